/**
 * A reply that quotes our own email, under a reply header no list of ours names, through the built bundle:
 * the guest's "Thanks for organising!" must not cancel (quoting the confirmation) or confirm (quoting the
 * invite). Gmail vouches for the sender (DMARC pass), as it does for most Gmail and Outlook senders, so a
 * cancel read from the quote would go through: only what the guest wrote may decide.
 */
import { Runtime } from '../../emulator/runtime';
import {
  checkInvariants,
  deliverReply,
  guests,
  pollReplies,
  replyRows,
  setUpRuntime,
  signUp,
} from '../helpers';

const PASS =
  'mx.google.com; dkim=pass header.i=@example.com header.s=s1; spf=pass smtp.mailfrom=ada@example.com; dmarc=pass header.from=example.com';

/** Headers in shapes our header patterns were not written for (Gmail in Czech, Ukrainian, Turkish). */
const UNLISTED = [
  'Dne so 5. 12. 2026 v 10:00 odesílatel My event <host@example.com> napsal:',
  'сб, 5 груд. 2026 р. о 10:00 My event <host@example.com> пише:',
  'My event <host@example.com>, 5 Ara 2026 Cmt, 10:00 tarihinde şunu yazdı:',
];

const status = (rt: Runtime, email: string) => guests(rt).find((g) => g.email === email)?.status;
const mailTo = (rt: Runtime, email: string) => rt.backend.mail.filter((m) => m.to.includes(email));
const repliesResult = (rt: Runtime) => replyRows(rt).map((r) => r.status);

describe('a reply quoting our own email decides nothing by the quote', () => {
  let rt: Runtime;
  afterEach(async () => rt?.close());

  test.each(UNLISTED)(
    'thanks above our confirmation, unquoted under "%s": still confirmed',
    async (header) => {
      rt = await setUpRuntime({ capacity: 5 });
      await signUp(rt, 'Ada Lovelace', 'ada@example.com');
      const confirmation = mailTo(rt, 'ada@example.com')[0];
      expect(confirmation.body).toMatch(/cancel/i);
      // Gmail's plain text of an HTML reply: our email under the header, no '>' marks.
      deliverReply(
        rt,
        'Ada Lovelace <ada@example.com>',
        `Thanks for organising!\n\n${header}\n\n${confirmation.body}`,
        {
          authResults: PASS,
        },
      );
      await pollReplies(rt);
      expect(status(rt, 'ada@example.com')).toBe('confirmed');
      expect(mailTo(rt, 'ada@example.com').map((m) => m.subject)).toEqual([confirmation.subject]);
      expect(repliesResult(rt)).toEqual(['review']);
      checkInvariants(rt, 5);
    },
  );

  test('negative control: the same reply with the guest’s own "can’t make it" above the quote cancels', async () => {
    rt = await setUpRuntime({ capacity: 5 });
    await signUp(rt, 'Ada Lovelace', 'ada@example.com');
    const confirmation = mailTo(rt, 'ada@example.com')[0];
    deliverReply(
      rt,
      'Ada Lovelace <ada@example.com>',
      `Sorry, I can't make it after all.\n\n${UNLISTED[0]}\n\n${confirmation.body}`,
      { authResults: PASS },
    );
    await pollReplies(rt);
    expect(status(rt, 'ada@example.com')).toBe('cancelled');
    expect(
      mailTo(rt, 'ada@example.com').filter((m) => /RSVP for My event is cancelled/.test(m.body)),
    ).toHaveLength(1);
  });

  test('thanks above our invite, re-wrapped with ">" under an unlisted header: not a yes', async () => {
    rt = await setUpRuntime({ capacity: 5 });
    await rt.hostEdit('Import', 'A2', [['Grace Hopper <grace@example.com>']]);
    await rt.run('importPending', [], { context: 'editor' });
    const invite = mailTo(rt, 'grace@example.com')[0];
    expect(invite.body).toContain('reply "yes"');
    const wrapped = invite.body
      .split('\n')
      .flatMap((l) => l.match(/.{1,30}(\s|$)|\S+/g) ?? [''])
      .map((l) => `> ${l.trim()}`)
      .join('\n');
    deliverReply(
      rt,
      'Grace Hopper <grace@example.com>',
      `Thanks for organising!\n${UNLISTED[1]}\n${wrapped}`,
      {
        authResults: PASS,
      },
    );
    await pollReplies(rt);
    expect(status(rt, 'grace@example.com')).toBe('invited');
    expect(mailTo(rt, 'grace@example.com')).toHaveLength(1);
    expect(repliesResult(rt)).toEqual(['review']);
  });
});
