/**
 * The RSVP menu in the spreadsheet (onOpen, a simple trigger: it may only build the menu), and the
 * same actions as the dashboard's buttons: one list, so an action added here appears in both.
 */

export interface MenuAction {
  fn: string;
  label: string;
}

/** The menu in order; null is a separator. Every `fn` is a top-level function in main.ts. */
export const MENU: ReadonlyArray<MenuAction | null> = [
  { fn: 'openDashboard', label: 'Open dashboard' },
  null,
  { fn: 'openSetup', label: 'Set up your event…' },
  { fn: 'setUp', label: 'Set up this sheet' },
  { fn: 'importPending', label: 'Import as pending invites' },
  { fn: 'importConfirmed', label: 'Import as pre-confirmed' },
  { fn: 'sendInvites', label: 'Send invites' },
  { fn: 'openMessages', label: 'Message guests…' },
  { fn: 'recount', label: 'Recount and repair' },
  { fn: 'checkDeployment', label: 'Check this deployment' },
  { fn: 'makeDoorList', label: 'Door list (works offline)' },
  { fn: 'markNoShows', label: 'Mark no-shows' },
  { fn: 'deletePrivateAnswers', label: 'Delete private answers after the event…' },
  null,
  { fn: 'turnOnEmailReplies', label: 'Turn on email replies' },
  { fn: 'checkRepliesNow', label: 'Check replies now' },
  { fn: 'turnOffEmailReplies', label: 'Turn off email replies' },
  null,
  { fn: 'sendQueuedEmailsNow', label: 'Send queued emails now' },
];

/** Menu items that open a sidebar, or ask the host to confirm (not one-click dashboard buttons). */
const SIDEBARS = new Set(['openDashboard', 'openSetup', 'openMessages', 'deletePrivateAnswers']);

/** The actions a dashboard button may run (the sidebars are not among them). */
export const DASHBOARD_ACTIONS: readonly MenuAction[] = MENU.filter(
  (m): m is MenuAction => !!m && !SIDEBARS.has(m.fn),
);

export function addMenu(): void {
  const menu = SpreadsheetApp.getUi().createMenu('RSVP');
  for (const item of MENU) {
    if (item) menu.addItem(item.label, item.fn);
    else menu.addSeparator();
  }
  menu.addToUi();
}
