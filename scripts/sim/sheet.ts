/**
 * A sheet's cells read by their header, never by index: the checks keep working when a column is
 * added, moved, or a host's sheet has one more.
 */
export type Record_ = { readonly row: number; readonly [header: string]: unknown };

/** The rows below the header row, each as header → value (a missing header reads as undefined). */
export function records(raw: readonly unknown[][]): Array<Record_> {
  const header = (raw[0] ?? []).map((h) => String(h ?? ''));
  return raw.slice(1).map((r, i) => {
    const rec: { [h: string]: unknown } = { row: i + 2 };
    header.forEach((h, j) => {
      if (h && h !== 'row') rec[h] = r[j];
    });
    return rec as Record_;
  });
}

/** A cell as text ('' for blank or a missing column). */
export const text = (rec: Record_, header: string) => String(rec[header] ?? '');

/** The value beside a label in a two-column settings sheet (Settings: label, value). */
export const settingValue = (raw: readonly unknown[][], label: string): unknown =>
  raw.find((r) => r[0] === label)?.[1];
