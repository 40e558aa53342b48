/**
 * The functions Apps Script calls, and nothing else: each wires one entry point (web app, menu,
 * simple and installed triggers) to its lane. The build turns each export into a top-level function
 * declaration in dist/Code.js.
 */
import { pollReplies as poll } from './lanes/email-reply/poll';
import {
  checkRepliesNow as checkNow,
  turnOffEmailReplies as off,
  turnOnEmailReplies as on,
} from './lanes/email-reply/switch';
import {
  checkDeployment as checkNowDeployment,
  checkDeploymentFollowUp as followUp,
  checkResults as results,
} from './lanes/checks/deployment';
import { recordRun } from './lanes/checks/runs';
import { handleGet, handlePost } from './lanes/form/web';
import {
  dashboardData as readDashboard,
  openDashboard as showDashboard,
  runDashboardAction,
} from './lanes/host/dashboard';
import { onHostChange, onHostEdit } from './lanes/host/edits';
import { addMenu } from './lanes/host/menu';
import { recount as recountNow, sendQueuedEmails as drain, setUp as setUpNow } from './lanes/host/upkeep';
import { importAs } from './lanes/import/import';
import { sendInvites as invite } from './lanes/import/invites';

/** Web app: the sign-up page and the pages a guest's links open. */
export function doGet(e: GoogleAppsScript.Events.DoGet) {
  return handleGet(e);
}

/** Web app: a sign-up, or a button on a link's page. */
export function doPost(e: GoogleAppsScript.Events.DoPost) {
  return handlePost(e);
}

/** Simple trigger: the RSVP menu. */
export function onOpen() {
  addMenu();
}

/** Menu: create or repair the sheets, then recount. */
export function setUp(): string {
  return setUpNow();
}

/** Menu: the Import sheet's rows become invited guests (no seat held until they confirm). */
export function importPending(): string {
  return importAs('invite');
}

/** Menu: the Import sheet's rows get seats now, in list order; past the cap, the waitlist. */
export function importConfirmed(): string {
  return importAs('seat');
}

/** Menu: invite the Import sheet's new rows, and every invited guest who has not had an invite yet. */
export function sendInvites(): string {
  return invite();
}

/** Menu: recompute counts, positions and the Log from the rows, and say what changed. */
export function recount(): string {
  return recountNow();
}

/** Time trigger (every 10 minutes) and menu: keep the list moving, send what the Outbox owes. */
export function sendQueuedEmails() {
  return recordRun('sendQueuedEmails', drain);
}

/** Installed edit trigger (set up by setUp): a host's edit of Settings or Guests. */
export function onSheetEdit(e: GoogleAppsScript.Events.SheetsOnEdit) {
  onHostEdit(e);
}

/** Installed change trigger (set up by setUp): a row deleted from Guests is logged, the list renumbered. */
export function onSheetChange(e: { changeType?: string }) {
  onHostChange(e);
}

/** Time trigger (installed by "Turn on email replies"): replies to the invite become seat requests. */
export function pollReplies() {
  return recordRun('pollReplies', () => poll());
}

/** Menu: look for replies now and say what happened. */
export function checkRepliesNow(): string {
  return checkNow();
}

/** Menu: one time trigger for the reply poll, at the interval in Settings. */
export function turnOnEmailReplies(): string {
  return on();
}

/** Menu: stop polling (replies already handled stay as they are). */
export function turnOffEmailReplies(): string {
  return off();
}

/** Menu: the dashboard sidebar. */
export function openDashboard() {
  showDashboard();
}

/** The dashboard's data (google.script.run, every refresh): read without the lock. */
export function dashboardData() {
  return readDashboard();
}

/** A dashboard button: runs one of the menu's actions and answers what it said, as a sentence. */
export function dashboardAction(fn: string): string {
  const actions: Record<string, () => unknown> = {
    setUp,
    importPending,
    importConfirmed,
    sendInvites,
    recount,
    checkDeployment,
    turnOnEmailReplies,
    checkRepliesNow,
    turnOffEmailReplies,
    sendQueuedEmails,
  };
  return runDashboardAction(fn, (name) => actions[name]?.());
}

/** Menu: check this deployment on the real account; results in the Checks sheet. */
export function checkDeployment(): string {
  return checkNowDeployment();
}

/** Time trigger (one minute after checkDeployment, then deleted): the checks a second execution finishes. */
export function checkDeploymentFollowUp(): string {
  return followUp();
}

/** The Checks sheet's rows as plain data (for the dashboard). */
export function checkResults() {
  return results();
}
