/**
 * The keeper's pure core, split by kind of decision: types (what it is asked and answers), rows
 * (how rows are read), ledger (the only code that changes seat state), waitlist, seats, guest
 * actions, host edits, and decide (the fixed order they run in).
 */
export * from './types';
export { decide, rowsAfter } from './decide';
export { KeeperInvariantError } from './ledger';
export { isSuperseded, ledgerProblems, renumberWaitlist, rowForMailbox, seatsHeld } from './rows';
