/** The bundle's TextEncoder (Apps Script has none) writes the bytes Node's does. */
import { TextEncoder as Ours } from '../../src/polyfills/text-encoder';

test.each([
  '',
  'plain ASCII',
  'Zoë Łukasiewicz',
  '日本語のイベント',
  'party 🎉🎉',
  'lone \uD800 high',
  'lone \uDC00 low',
  '\u0000\u007f\u0080\u07ff\u0800\uffff',
])('encodes %j as Node does', (s) => {
  expect(Array.from(new Ours().encode(s))).toEqual(Array.from(new globalThis.TextEncoder().encode(s)));
});
