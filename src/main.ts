/**
 * The functions Apps Script calls, and nothing else. On Google every one of them is public: any visitor
 * of the form can call it through google.script.run, and it runs as the host. So each is declared as
 * exactly one kind (core/entry.ts) and passes the one gate (gate/gate.ts): a web entry (anyone), a host
 * UI function (the RSVP menu, the dashboard, onOpen: only from the spreadsheet's own UI) or a trigger
 * (only with the event of an installed trigger of its own). The build turns each export into a
 * top-level function declaration in dist/Code.js and fails on an export that is not declared.
 */
import { entry } from './gate/gate';
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
  sendQueuedEmailsNow as drainNow,
  sendTestSignup as testSignup,
  shareKit as readShareKit,
  replaceDoorKey as newDoorKey,
  setPublicLink as setLink,
} from './lanes/host/dashboard';
import { onHostChange, onHostEdit } from './lanes/host/edits';
import { addMenu } from './lanes/host/menu';
import {
  messagesData as readMessages,
  openMessages as showMessages,
  previewMessage as preview,
  sendMessage as send,
} from './lanes/host/messages';
import { openSetupForm, saveSetup as save, setupData as readSetup } from './lanes/host/setup-form';
import { recount as recountNow, sendQueuedEmails as drain, setUp as setUpNow } from './lanes/host/upkeep';
import { importAs, previewImport as dryImport } from './lanes/import/import';
import { deletePrivateAnswers as deletePrivate } from './lanes/host/privacy';
import { markNoShows as noShows } from './lanes/host/no-shows';
import { makeDoorList as doorList } from './lanes/host/door-list';
import {
  applyCapacity as setCapacity,
  applyChange as setChange,
  previewCapacity as dryCapacity,
  previewChange as dryChange,
} from './lanes/host/dry-run';
import { sendInvites as invite } from './lanes/import/invites';

/** The menu's actions (also the dashboard's buttons), unguarded: each export below passes the gate once. */
const HOST_ACTIONS: Record<string, () => unknown> = {
  setUp: () => setUpNow(),
  importPending: () => importAs('invite'),
  importConfirmed: () => importAs('seat'),
  sendInvites: () => invite(),
  recount: () => recountNow(),
  checkDeployment: () => checkNowDeployment(),
  turnOnEmailReplies: () => on(),
  checkRepliesNow: () => checkNow(),
  turnOffEmailReplies: () => off(),
  sendQueuedEmailsNow: () => drainNow(),
  markNoShows: () => noShows(),
  makeDoorList: () => doorList(),
};

/** Web app: the sign-up page and the pages a guest's links open. */
export const doGet = entry('web', 'doGet', (e: GoogleAppsScript.Events.DoGet) => handleGet(e));

/** Web app: a sign-up, or a button on a link's page. */
export const doPost = entry('web', 'doPost', (e: GoogleAppsScript.Events.DoPost) => handlePost(e));

/** Simple trigger when the spreadsheet opens: the RSVP menu (it needs the spreadsheet's UI, so: host). */
export const onOpen = entry('host', 'onOpen', () => addMenu());

/** Menu: create or repair the sheets, then recount. */
export const setUp = entry('host', 'setUp', () => HOST_ACTIONS.setUp() as string);

/** Menu: the Import sheet's rows become invited guests (no seat held until they confirm). */
export const importPending = entry('host', 'importPending', () => HOST_ACTIONS.importPending() as string);

/** Menu: the Import sheet's rows get seats now, in list order; past the cap, the waitlist. */
export const importConfirmed = entry(
  'host',
  'importConfirmed',
  () => HOST_ACTIONS.importConfirmed() as string,
);

/** Menu: invite the Import sheet's new rows, and every invited guest who has not had an invite yet. */
export const sendInvites = entry('host', 'sendInvites', () => HOST_ACTIONS.sendInvites() as string);

/** Menu: recompute counts, positions and the Log from the rows, and say what changed. */
export const recount = entry('host', 'recount', () => HOST_ACTIONS.recount() as string);

/** Time trigger (every 10 minutes): keep the list moving, send what the Outbox owes. */
export const sendQueuedEmails = entry('trigger', 'sendQueuedEmails', () =>
  recordRun('sendQueuedEmails', drain),
);

/** Menu: the same as the 10-minute run, now. */
export const sendQueuedEmailsNow = entry('host', 'sendQueuedEmailsNow', () =>
  HOST_ACTIONS.sendQueuedEmailsNow(),
);

/** Installed edit trigger (set up by setUp): a host's edit of Settings or Guests. */
export const onSheetEdit = entry('trigger', 'onSheetEdit', (e: GoogleAppsScript.Events.SheetsOnEdit) =>
  onHostEdit(e),
);

/** Installed change trigger (set up by setUp): a row deleted from Guests is logged, the list renumbered. */
export const onSheetChange = entry('trigger', 'onSheetChange', (e: { changeType?: string }) =>
  onHostChange(e),
);

/** Time trigger (installed by "Turn on email replies"): replies to the invite become seat requests. */
export const pollReplies = entry('trigger', 'pollReplies', () => recordRun('pollReplies', () => poll()));

/** Menu: look for replies now and say what happened. */
export const checkRepliesNow = entry(
  'host',
  'checkRepliesNow',
  () => HOST_ACTIONS.checkRepliesNow() as string,
);

/** Menu: one time trigger for the reply poll, at the interval in Settings. */
export const turnOnEmailReplies = entry(
  'host',
  'turnOnEmailReplies',
  () => HOST_ACTIONS.turnOnEmailReplies() as string,
);

/** Menu: stop polling (replies already handled stay as they are). */
export const turnOffEmailReplies = entry(
  'host',
  'turnOffEmailReplies',
  () => HOST_ACTIONS.turnOffEmailReplies() as string,
);

/** Menu: the Set up sidebar (a form built from the settings schema). */
export const openSetup = entry('host', 'openSetup', () => openSetupForm());

/** The Set up sidebar's fields and what Settings holds now. */
export const setupData = entry('host', 'setupData', () => readSetup());

/** The Set up sidebar's Save: checked by the keeper's own parser; nothing is written unless all is valid. */
export const saveSetup = entry('host', 'saveSetup', (values: unknown) => save(values));

/** Menu: the Message guests sidebar. */
/** Menu: the Door list sheet (by name, with an Arrived checkbox to tick offline). */
export const makeDoorList = entry('host', 'makeDoorList', () => HOST_ACTIONS.makeDoorList() as string);

/** Menu: after the start, a Log row for each confirmed RSVP nobody of whom checked in. */
export const markNoShows = entry('host', 'markNoShows', () => HOST_ACTIONS.markNoShows() as string);

/** Menu: clear the answers to private questions once the event has ended (after a yes). */
export const deletePrivateAnswers = entry('host', 'deletePrivateAnswers', () => deletePrivate());

export const openMessages = entry('host', 'openMessages', () => showMessages());

/** The Message guests sidebar's data: the groups' sizes, the quota, the messages sent before. */
export const messagesData = entry('host', 'messagesData', () => readMessages());

/** The Message guests sidebar: who would get it and one guest's email as it will read (writes nothing). */
export const previewMessage = entry('host', 'previewMessage', (draft: unknown) => preview(draft));

/** The Message guests sidebar: queue it for every guest in the groups chosen, in one transaction. */
export const sendMessage = entry('host', 'sendMessage', (draft: unknown) => send(draft));

/** Menu: the dashboard sidebar. */
export const openDashboard = entry('host', 'openDashboard', () => showDashboard());

/** The dashboard's data (google.script.run from the sidebar, every refresh): read without the lock. */
export const dashboardData = entry('host', 'dashboardData', () => readDashboard());

/** A dashboard button: runs one of the menu's actions and answers what it said, as a sentence. */
export const dashboardAction = entry('host', 'dashboardAction', (fn: string) =>
  runDashboardAction(fn, (name) => HOST_ACTIONS[name]?.()),
);

/** The dashboard's first card: what is left to do, or the form's link, embed snippet and QR code. */
export const dashboardShare = entry('host', 'dashboardShare', () => readShareKit());

/** Dashboard: what an import would do (nothing written). */
export const previewImportPending = entry('host', 'previewImportPending', () => dryImport('invite'));
export const previewImportConfirmed = entry('host', 'previewImportConfirmed', () => dryImport('seat'));

/** Dashboard: what a new capacity would do (nothing written), and Apply. */
export const previewCapacity = entry('host', 'previewCapacity', (n: unknown) => dryCapacity(n));
export const applyCapacity = entry('host', 'applyCapacity', (n: unknown, seen: unknown) =>
  setCapacity(n, seen),
);
/** Dashboard: what a new deadline, largest party or capacity would do together (nothing written), and Apply. */
export const previewChange = entry('host', 'previewChange', (c: unknown) => dryChange(c));
export const applyChange = entry('host', 'applyChange', (c: unknown, seen: unknown) => setChange(c, seen));

/** Dashboard: a new door key, so the door link given out before stops working. */
export const replaceDoorKey = entry('host', 'replaceDoorKey', () => newDoorKey());

/** The dashboard: email the host the confirmation a guest would get (nothing is counted). */
export const sendTestSignup = entry('host', 'sendTestSignup', () => testSignup());

/** The dashboard: the host sets the form's public /exec link (blank: learn it from the next visit). */
export const setPublicLink = entry('host', 'setPublicLink', (url: string) => setLink(url));

/** Menu: check this deployment on the real account; results in the Checks sheet. */
export const checkDeployment = entry(
  'host',
  'checkDeployment',
  () => HOST_ACTIONS.checkDeployment() as string,
);

/** Time trigger (one minute after checkDeployment, then deleted): the checks a second execution finishes. */
export const checkDeploymentFollowUp = entry('trigger', 'checkDeploymentFollowUp', () => followUp());

/** The Checks sheet's rows as plain data (for the dashboard). */
export const checkResults = entry('host', 'checkResults', () => results());
