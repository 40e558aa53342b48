/**
 * What a host pastes into the Import sheet, turned into entries in list order. Pure.
 *
 * Accepted: Name | Email columns (either order, per row); one "Name <email>", '"Last, First" <email>'
 * or bare address per cell; a whole CSV/TSV block pasted into one cell (one entry per line).
 * A header line (column titles only, no address) is skipped wherever it is; a To: line
 * ("Eve <e@x.com>, Mallory <m@x.com>") is one entry per address.
 */
import addrs from 'email-addresses';
import { normalizeEmail } from './email';
import { clamp, oneLine } from './text';

export const MAX_NAME = 200;

export interface PasteEntry {
  /** Sheet row the entry came from, and its line within a multi-line cell (0-based). */
  sheetRow: number;
  line: number;
  name: string;
  /** Normalized email, or '' with a problem. */
  email: string;
  problem?: string;
  /** The party, from a pasted "Party" column (as typed; the import checks it). */
  party?: string;
}

/** What a pasted header line says each column holds (by index); other columns are kept out of names. */
type Role = 'name' | 'first' | 'last' | 'email' | 'party' | 'other';

const roleOf = (title: string): Role => {
  const t = title.trim().toLowerCase();
  if (/^e-?mail( address)?$/.test(t)) return 'email';
  if (/^(first|given) ?name$/.test(t)) return 'first';
  if (/^(last|family|sur) ?name$|^surname$/.test(t)) return 'last';
  if (/^((full |guest |display )?name|guest|attendee)$/.test(t)) return 'name';
  if (/^(party( size)?|seats|guests|people|plus ?ones?)$/.test(t)) return 'party';
  return 'other';
};

/**
 * A pasted header line: no address, and a column called Name or Email among titles ("Timestamp, Name,
 * Email, Diet"). Null when the line is data.
 */
function headerRoles(fields: string[]): Role[] | null {
  const cells = fields.map((f) => f.trim());
  if (!cells.some(Boolean) || cells.some((c) => c.includes('@'))) return null;
  const roles = cells.map(roleOf);
  return roles.some((r) => r === 'email' || r === 'name' || r === 'first') ? roles : null;
}

const HEADER_WORDS =
  /^(e-?mail( address)?|(full |first |last |given |family |sur|guest |display )?name|surname|guest|attendee|address|phone|party( size)?|plus ?ones?|notes?|company|organi[sz]ation|rsvp|status)$/i;

/** One CSV line (RFC 4180 quoting) split on `delim`. */
export function splitDelimited(line: string, delim: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        cur += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cur += ch;
    } else if (ch === '"' && cur.trim() === '') {
      quoted = true;
      cur = '';
    } else if (ch === delim) {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  out.push(cur);
  return out.map((s) => s.trim());
}

function delimiterOf(line: string): string | null {
  if (line.includes('\t')) return '\t';
  // A comma inside "Name <email>" or a quoted display name is not a delimiter.
  const outside = line.replace(/"[^"]*"/g, '').replace(/<[^<>]*>/g, '');
  if (outside.includes(';')) return ';';
  if (outside.includes(',')) return ',';
  return null;
}

/** "Ada <ada@x.com>", '"Lovelace, Ada" <ada@x.com>' or "ada@x.com" → name and email. */
export function parseNameAndEmail(text: string): { name: string; email: string } | { problem: string } {
  const t = text.trim();
  if (!t.includes('@')) return { problem: 'no email' };
  const angle = /<([^<>]*)>\s*$/.exec(t);
  const parsed = addrs.parseOneAddress({ input: t, rfc6532: true });
  const address = parsed && parsed.type === 'mailbox' ? parsed.address : angle ? angle[1] : t;
  const n = normalizeEmail(address);
  if (!n.ok) return { problem: `malformed email: ${n.message}` };
  // The name as typed: the parser reads "(…)" as a comment and drops it ("=SUM(1)" would become "=SUM").
  const typed = angle ? t.slice(0, angle.index).trim() : (/\(([^()]*)\)\s*$/.exec(t)?.[1] ?? '');
  return {
    name: typed.replace(/^"((?:[^"\\]|\\.)*)"$/, (_m, q: string) => q.replace(/\\(.)/g, '$1')),
    email: n.email,
  };
}

const cellString = (v: unknown): string =>
  v === null || v === undefined ? '' : Object.prototype.toString.call(v) === '[object Date]' ? '' : String(v);

const cleanName = (s: string) => clamp(oneLine(s.replace(/^"(.*)"$/, '$1')), MAX_NAME);

/** Fields of a line under a pasted header: each by its column's title, the rest kept out of the name. */
function entryByRoles(fields: string[], roles: Role[], sheetRow: number, line: number): PasteEntry | null {
  const get = (role: Role) =>
    fields
      .map((f, i) => (roles[i] === role ? f.trim() : ''))
      .filter(Boolean)
      .join(' ');
  const name = get('name') || [get('first'), get('last')].filter(Boolean).join(' ');
  const email = get('email');
  const party = get('party');
  if (!name && !email) return null;
  const base = { sheetRow, line, ...(party ? { party } : {}) };
  if (!email) return { ...base, name: cleanName(name), email: '', problem: 'no email' };
  const r = parseNameAndEmail(email);
  if ('problem' in r) return { ...base, name: cleanName(name), email: '', problem: r.problem };
  return { ...base, name: cleanName(name || r.name), email: r.email };
}

/** Fields of one line (a row's cells, or a delimited line) → an entry. */
function entryOf(fields: string[], sheetRow: number, line: number): PasteEntry | null {
  const cells = fields.map((f) => f.trim()).filter((f) => f !== '');
  if (!cells.length) return null;
  // The email is the cell that holds a valid address ("@SUM(1)" in the Name column is a name); failing
  // that, the first cell with an "@", whose problem is then reported.
  const valid = cells.findIndex((c) => c.includes('@') && !('problem' in parseNameAndEmail(c)));
  const at = valid >= 0 ? valid : cells.findIndex((c) => c.includes('@'));
  if (at < 0) return { sheetRow, line, name: cleanName(cells.join(' ')), email: '', problem: 'no email' };
  const r = parseNameAndEmail(cells[at]);
  // No header says which column is the name: the one beside the email (left, else right). Other columns
  // (a timestamp, a diet) are never glued into it.
  const others = cells[at - 1] ?? cells[at + 1] ?? '';
  if ('problem' in r) return { sheetRow, line, name: cleanName(others), email: '', problem: r.problem };
  return { sheetRow, line, name: cleanName(others || r.name), email: r.email };
}

const fieldsOfLine = (line: string): string[] => {
  const d = delimiterOf(line);
  return d ? splitDelimited(line, d) : [line];
};

/**
 * A To: line ("Eve <e@x.com>, Mallory <m@x.com>"): every field is one valid address. Each becomes
 * its own line (one guest each), never one guest named after the others.
 */
function splitAddressList(fields: string[]): string[][] {
  const filled = fields.map((f) => f.trim()).filter(Boolean);
  const isList =
    filled.length > 1 && filled.every((f) => f.includes('@') && !('problem' in parseNameAndEmail(f)));
  return isList ? filled.map((f) => [f]) : [fields];
}

/** A row's cells as lines of fields: a multi-line cell is a pasted block, one filled cell may be a CSV row. */
function linesOf(cells: string[]): string[][] {
  const filled = cells.filter((c) => c.trim());
  const lines =
    filled.length === 1 && /\r|\n/.test(filled[0])
      ? filled[0].split(/\r?\n|\r/).map(fieldsOfLine)
      : filled.length <= 1
        ? [fieldsOfLine(filled[0] ?? '')]
        : [cells];
  return lines.flatMap(splitAddressList);
}

/** A line of column titles only (no address anywhere): a header, wherever a pasted block puts it. */
const isHeader = (fields: string[]) => {
  const cells = fields.map((f) => f.trim()).filter(Boolean);
  return cells.length > 0 && cells.every((c) => HEADER_WORDS.test(c) && !c.includes('@'));
};

/**
 * `values`: the Import sheet's Name and Email columns from `firstRow` down. `skip(i)` says a row was
 * already imported. Entries come in sheet order, then line order.
 */
export function parsePaste(
  values: unknown[][],
  firstRow: number,
  skip: (i: number) => boolean = () => false,
): PasteEntry[] {
  const out: PasteEntry[] = [];
  // The latest pasted header's column titles, for the lines below it (a block may bring its own).
  let roles: Role[] | null = null;
  values.forEach((row, i) => {
    const sheetRow = firstRow + i;
    const lines = linesOf(row.map(cellString));
    lines.forEach((fields, line) => {
      if (!fields.some((f) => f.trim())) return;
      const header = headerRoles(fields);
      if (header || isHeader(fields)) {
        roles = header;
        return;
      }
      if (skip(i)) return;
      // Under a header, by its titles, while the Email column holds the address (a row typed the other
      // way round, "email | name", is still read by where its address is).
      const byRoles = roles && fields.some((f, k) => roles![k] === 'email' && f.includes('@'));
      const e = byRoles ? entryByRoles(fields, roles!, sheetRow, line) : entryOf(fields, sheetRow, line);
      if (e) out.push(e);
    });
  });
  return out;
}
