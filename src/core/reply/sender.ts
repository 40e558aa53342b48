/** Who sent an inbound message: the mailbox in its From header, display name decoded. Pure. */
import addrs from 'email-addresses';
import { normalizeEmail } from '../email';
import { oneLine } from '../text';
import { decodeEncodedWords } from './mime-words';

type Mailbox = { name: string; email: string };

/** One mailbox from a header value, or null. The name is raw (not yet decoded). */
export function parseMailbox(raw: string): Mailbox | null {
  // Unfolded only: an invisible character in the address must reach normalizeEmail, which refuses it
  // (oneLine would remove it, and "ada\u200b@x.com" would pass for ada@x.com).
  const input = String(raw ?? '')
    .replace(/[\r\n\t]+/g, ' ')
    .trim();
  if (!input) return null;
  const parsed = addrs.parseOneAddress({ input, rfc6532: true });
  if (parsed && parsed.type === 'mailbox') {
    const ok = normalizeEmail(parsed.address);
    if (!ok.ok) return null;
    let name = parsed.name ?? '';
    // Old style "ada@example.com (Ada Lovelace)": the comment is the only name there is.
    const comment = !name && /^[^\s<>()]+@[^\s<>()]+\s*\(([^()]*)\)$/.exec(input);
    if (comment) name = comment[1];
    return { name, email: ok.email };
  }
  // Not RFC 5322 (an unquoted ':' or ',' in the name…): take "<address>" at the end and the rest as the name.
  const loose = /^(.*?)\s*<([^<>\s]+)>$/.exec(input);
  if (!loose) return null;
  const ok = normalizeEmail(loose[2]);
  if (!ok.ok) return null;
  return { name: loose[1].replace(/^"(.*)"$/, '$1'), email: ok.email };
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
