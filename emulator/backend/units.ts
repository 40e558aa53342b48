/** The units Google's limits are counted in. */

export const DAY = 86400e3;

/** Bytes of UTF-8, the unit of Google's size limits on text. */
export const bytes = (s: string) => Buffer.byteLength(s, 'utf8');
