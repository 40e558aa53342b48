/** Who sent an inbound message: the mailbox in its From header, display name decoded. Pure. */
import addrs from 'email-addresses';
import { normalizeEmail } from '../email';
import { oneLine } from '../text';
import { decodeEncodedWords } from './mime-words';

type Mailbox = { name: string; email: string };

const MAX_HEADER = 998;

/** One mailbox from a header value, or null. The name is raw (not yet decoded). */
export function parseMailbox(raw: string): Mailbox | null {
  // Unfolded only: an invisible character in the address must reach normalizeEmail, which refuses it
  // (oneLine would remove it, and "ada\u200b@x.com" would pass for ada@x.com).
  const input = String(raw ?? '')
    .replace(/[\r\n\t]+/g, ' ')
    .trim();
  // RFC 5322 caps a line at 998 characters; a longer From is not one mailbox (and the address
  // parser's time grows faster than its input on hostile ones).
  if (!input || input.length > MAX_HEADER) return null;
  const parsed = addrs.parseOneAddress({ input, rfc6532: true });
  if (parsed && parsed.type === 'mailbox') {
    const ok = normalizeEmail(parsed.address);
    if (!ok.ok) return null;
    let name = parsed.name ?? '';
    // Old style "ada@example.com (Ada Lovelace)": the comment is the only name there is.
    const open = input.indexOf('(');
    const comment =
      !name &&
      open > 0 &&
      input.endsWith(')') &&
      /^[^\s<>()@]+@[^\s<>()@]+$/.test(input.slice(0, open).trim())
        ? input.slice(open + 1, -1)
        : null;
    if (comment !== null && !/[()]/.test(comment)) name = comment;
    return { name, email: ok.email };
  }
  // Not RFC 5322 (an unquoted ':' or ',' in the name…): take "<address>" at the end and the rest as the name.
  // Split by hand (lastIndexOf): /^(.*?)\s*<(…)>$/ backtracks on a long From.
  const lt = input.lastIndexOf('<');
  const address = lt >= 0 && input.endsWith('>') ? input.slice(lt + 1, -1) : '';
  if (!address || /[<>\s]/.test(address)) return null;
  const ok = normalizeEmail(address);
  if (!ok.ok) return null;
  const rest = input.slice(0, lt).trim();
  const name = rest.length >= 2 && rest.startsWith('"') && rest.endsWith('"') ? rest.slice(1, -1) : rest;
  return { name, email: ok.email };
}

function cleanName(raw: string, email: string): string {
  const name = oneLine(decodeEncodedWords(raw)).replace(/^(["'])(.*)\1$/, '$2');
  return name.toLowerCase() === email ? '' : name;
}

/**
 * Who wrote the message: From, display name decoded. Reply-To is used only when it is the same mailbox as
 * From (to pick up a name From lacks); a different Reply-To is ignored, since it could redirect a seat.
 */
export function parseSender(from: string, replyTo: string): { name: string; email: string } | null {
  const f = parseMailbox(from);
  if (!f) return null;
  let name = cleanName(f.name, f.email);
  if (!name && replyTo) {
    for (const part of splitAddressList(replyTo)) {
      const r = parseMailbox(part);
      if (r && r.email === f.email) {
        name = cleanName(r.name, r.email);
        break;
      }
    }
  }
  return { name, email: f.email };
}

/** A header's address list, split on commas outside quotes, angle brackets and comments. */
function splitAddressList(s: string): string[] {
  const parts: string[] = [];
  let cur = '';
  let quoted = false;
  let angle = 0;
  let paren = 0;
  for (let i = 0; i < s.length; i++) {
    const ch = s[i];
    if (quoted) {
      if (ch === '\\') {
        cur += ch + (s[i + 1] ?? '');
        i++;
        continue;
      }
      if (ch === '"') quoted = false;
    } else if (ch === '"') quoted = true;
    else if (ch === '<') angle++;
    else if (ch === '>') angle = Math.max(0, angle - 1);
    else if (ch === '(') paren++;
    else if (ch === ')') paren = Math.max(0, paren - 1);
    else if (ch === ',' && !angle && !paren) {
      parts.push(cur);
      cur = '';
      continue;
    }
    cur += ch;
  }
  parts.push(cur);
  return parts.map((p) => p.trim()).filter(Boolean);
}
