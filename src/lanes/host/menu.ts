/** The RSVP menu in the spreadsheet (onOpen, a simple trigger: it may only build the menu). */

export function addMenu(): void {
  SpreadsheetApp.getUi()
    .createMenu('RSVP')
    .addItem('Set up this sheet', 'setUp')
    .addItem('Import as pending invites', 'importPending')
    .addItem('Import as pre-confirmed', 'importConfirmed')
    .addItem('Send invites', 'sendInvites')
    .addItem('Recount and repair', 'recount')
    .addItem('Check this deployment', 'checkDeployment')
    .addSeparator()
    .addItem('Turn on email replies', 'turnOnEmailReplies')
    .addItem('Check replies now', 'checkRepliesNow')
    .addItem('Turn off email replies', 'turnOffEmailReplies')
    .addSeparator()
    .addItem('Send queued emails now', 'sendQueuedEmails')
    .addToUi();
}
