import { LoggedChange, replay, unloggedChanges, withoutLoggedLate } from '../../src/core/log-replay';
import { Guest } from '../../src/core/model';

const g = (email: string, status: string, name = email.split('@')[0]): Guest => ({
  row: 0,
  email,
  name,
  status,
  position: null,
  source: 'form',
  created: null,
  updated: null,
  offerExpires: null,
  note: '',
  token: `t-${email}-${status}`,
  party: 1,
});
const log = (email: string, from: string, to: string, detail = ''): LoggedChange => ({
  email,
  from,
  to,
  detail,
});

describe('the Log replayed against the rows', () => {
  test('replay: new adds a row, a change moves one, a revert changes nothing; a mailbox may hold several rows', () => {
    const r = replay([
      log('a@x.com', 'new', 'confirmed'),
      log('a@x.com', 'confirmed', 'cancelled'),
      log('a@x.com', 'new', 'waitlisted', 'signed up again after cancelling'),
      log('b@x.com', 'new', 'waitlisted'),
      log('b@x.com', 'waitlisted', 'confirmed', 'reverted: unknown status'),
    ]);
    expect(r.get('a@x.com')?.sort()).toEqual(['cancelled', 'waitlisted']);
    expect(r.get('b@x.com')).toEqual(['waitlisted']);
  });

  test('nothing to add when every change was logged', () => {
    const l = [log('a@x.com', 'new', 'confirmed'), log('b@x.com', 'new', 'waitlisted')];
    expect(unloggedChanges(l, [g('a@x.com', 'confirmed'), g('b@x.com', 'waitlisted')])).toEqual([]);
  });

  test('a change that landed without its Log row (the run stopped half-way) is logged late', () => {
    const l = [log('a@x.com', 'new', 'waitlisted')];
    const late = unloggedChanges(l, [g('a@x.com', 'offered'), g('b@x.com', 'confirmed')]);
    expect(late.map((e) => [e.email, e.from, e.to])).toEqual([
      ['a@x.com', 'waitlisted', 'offered'],
      ['b@x.com', 'new', 'confirmed'],
    ]);
    expect(late[0].detail).toMatch(/^logged late/);
    // Logged, the replay matches: a second recount adds nothing.
    expect(unloggedChanges([...l, ...late], [g('a@x.com', 'offered'), g('b@x.com', 'confirmed')])).toEqual(
      [],
    );
  });

  test('a row deleted by hand is logged as removed, once', () => {
    const l = [log('a@x.com', 'new', 'confirmed'), log('b@x.com', 'new', 'waitlisted')];
    const late = unloggedChanges(l, [g('b@x.com', 'waitlisted')]);
    expect(late.map((e) => [e.email, e.from, e.to, e.lane])).toEqual([
      ['a@x.com', 'confirmed', 'removed', 'host'],
    ]);
    expect(unloggedChanges([...l, ...late], [g('b@x.com', 'waitlisted')])).toEqual([]);
  });
});

describe('a row whose first status never reached the Log', () => {
  // From simulator seed 468066: an import stopped after writing the invited row, before its Log row;
  // a sign-up then moved it invited → waitlisted before any recount.
  test('is logged late once, and the Log then replays to the rows', () => {
    const history = [log('z@x.com', 'invited', 'waitlisted')];
    const rows = [g('z@x.com', 'waitlisted')];
    const late = unloggedChanges(history, rows);
    expect(late.map((e) => [e.from, e.to])).toEqual([['new', 'invited']]);
    expect(late[0].detail).toMatch(/^logged late: this row's first status/);
    const after = [...history, ...late.map((e) => log(e.email, e.from, e.to, e.detail))];
    expect(unloggedChanges(after, rows)).toEqual([]);
    expect(replay(after).get('z@x.com')).toEqual(['waitlisted']);
  });
});

describe('a host edit a recount logged late', () => {
  const edit = {
    email: 'p@x.com',
    name: 'P',
    from: 'offered',
    to: 'confirmed',
    lane: 'host' as const,
    detail: 'edited by the host',
  };
  const late = log('p@x.com', 'offered', 'confirmed', 'logged late: found on the sheet with no Log row');
  test('moves nothing when logged again, even with a reminder row since (seed 1474325)', () => {
    for (const tail of [[late], [late, log('p@x.com', 'confirmed', 'confirmed', 'reminder: on the day')]])
      expect(withoutLoggedLate([edit], tail)).toEqual([
        {
          ...edit,
          from: 'confirmed',
          detail: 'edited by the host (the change itself was logged late, above)',
        },
      ]);
  });
  test('negative control: a later move of its own means the edit is new, and it is logged as a move', () => {
    const since = [late, log('p@x.com', 'confirmed', 'offered', 'host override')];
    expect(withoutLoggedLate([edit], since)).toEqual([edit]);
  });
});
