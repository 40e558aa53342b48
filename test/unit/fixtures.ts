/** Guest rows as the keeper reads them, for the pure keeper tests. */
import { Guest } from '../../src/core/model';

/** A form guest on sheet row `row`, created `row` seconds before `now`, with a token from its email. */
export const makeGuest = (
  now: Date,
  email: string,
  status: string,
  position: number | null = null,
  row = 2,
  party = 1,
): Guest => ({
  row,
  email,
  name: email.split('@')[0],
  status,
  position,
  source: 'form',
  created: new Date(now.getTime() - 1000 * row),
  updated: null,
  offerExpires: null,
  note: '',
  token: `tok-${email}`,
  party,
});
