/**
 * The keeper's one door: every change of a guest's seat state goes through here, and each runs as
 * a keeper transaction inside the script lock (transaction.ts), the requests of guests sharing
 * transactions behind it (group-commit.ts). Lanes, the messenger and the entry points import this
 * module and nothing else of the keeper (the linter holds them to it).
 */
import { HostEdit, KeeperRequest, SeatRequest } from '../core/keeper';
import { SeatAnswer, SeatFailure, requestSeat, serveQueue } from './group-commit';
import { previewSeat } from './preview';
import { checkInBatch } from './check-in';
import { LaneTransaction, MailOutlook, TxFailure, TxSuccess, policyOf, withLock } from './transaction';

export { BUSY_MESSAGE, NOT_SET_UP, LOCK_WAIT_MS } from './transaction';
export type { LaneTransaction, MailOutlook, TxFailure, TxSuccess } from './transaction';
export { QUEUED_MESSAGE } from './group-commit';
export type { SeatAnswer, SeatFailure } from './group-commit';
export type { CheckInItem, CheckInResult } from './check-in';
export { releaseLock, tryLock, workLock } from './locks';

export const keeper = {
  /** A guest's own request (sign-up, cancel, claim, decline): shares a transaction with whoever waits. */
  request: (req: KeeperRequest): SeatAnswer | SeatFailure => requestSeat(req),
  /** What a sign-up would be answered, from a read of the rows: nothing written (the honeypot). */
  preview: previewSeat,
  /** Recount and repair: counts, positions, expired offers, free seats offered, the Log put right. */
  recount: (outlook?: MailOutlook): TxSuccess | TxFailure => withLock([], { outlook }),
  /** The host typed into a guest's Status cell: follow it through, or put it back. */
  hostEdit: (edit: HostEdit): TxSuccess | TxFailure => withLock([edit]),
  /** A host import's requests (a chunk of the list), in list order, one transaction; the emails queued. */
  importBatch: (requests: SeatRequest[]): TxSuccess | TxFailure =>
    withLock(requests, { mailStatus: 'queued' }),
  /** A lane's batch whose own rows land in the same flush (email replies, invites). */
  laneBatch: (lane: LaneTransaction): TxSuccess | TxFailure => withLock(lane, { mailStatus: 'sending' }),
  /** Requests left queued by requesters that died or gave up after a transaction took them. */
  serveLeftovers: serveQueue,
  /** People arriving at the door (scans, the door list's ticks): one transaction, never past a party. */
  checkIn: checkInBatch,
  /** The keeper's policy from Settings: for a dry run of its pure decision (nothing written). */
  policyOf,
};
