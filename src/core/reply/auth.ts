/**
 * Did the mail really come from the address in its From header? Read from the Authentication-Results
 * header Gmail adds on receipt (RFC 8601). A cancel by reply removes a guest, so forged mail must not be
 * able to do it: only a pass that Gmail itself recorded, for the sender's own domain, counts. Pure.
 */

/** Gmail's authserv-id: results stamped by anyone else (the sender, a relay) are not evidence. */
export const TRUSTED_AUTHSERV_IDS: readonly string[] = ['mx.google.com'];

export interface AuthVerdict {
  ok: boolean;
  /** For the Log: 'dmarc=pass header.from=example.com' or why not. */
  why: string;
}

/** The header block of a raw message, unfolded: one entry per header, in order (topmost first). */
export function rawHeaders(raw: string): Array<[string, string]> {
  const end = raw.search(/\r?\n\r?\n/);
  const block = (end < 0 ? raw : raw.slice(0, end)).replace(/\r\n/g, '\n');
  const out: Array<[string, string]> = [];
  for (const line of block.split('\n')) {
    if (/^[ \t]/.test(line) && out.length) out[out.length - 1][1] += ' ' + line.trim();
    else {
      // "Name: value", the name printable ASCII without ':' (split by hand: a regex here backtracks).
      const colon = line.indexOf(':');
      const name = colon > 0 ? line.slice(0, colon) : '';
      if (/^[!-9;-~]+$/.test(name)) out.push([name.toLowerCase(), line.slice(colon + 1).trim()]);
    }
  }
  return out;
}

/** Drop RFC 5322 comments "(...)", which carry free text such as "google.com: domain of x designates…". */
function stripComments(s: string): string {
  let out = '';
  let depth = 0;
  for (const ch of s) {
    if (ch === '(') depth++;
    else if (ch === ')' && depth > 0) depth--;
    else if (!depth) out += ch;
  }
  return out;
}

interface MethodResult {
  method: string;
  result: string;
  props: Record<string, string>;
}

function parseResults(value: string): { authserv: string; results: MethodResult[] } {
  const parts = stripComments(value)
    .split(';')
    .map((p) => p.trim())
    .filter(Boolean);
  const authserv = (parts.shift() ?? '').split(/\s+/)[0].toLowerCase();
  const results = parts.map((p) => {
    const tokens = p.split(/\s+/);
    const [method, result] = (tokens.shift() ?? '').toLowerCase().split('=');
    const props: Record<string, string> = {};
    for (const t of tokens) {
      const eq = t.indexOf('=');
      if (eq > 0) props[t.slice(0, eq).toLowerCase()] = t.slice(eq + 1).replace(/^"|"$/g, '');
    }
    return { method, result: result ?? '', props };
  });
  return { authserv, results };
}

const domainOf = (addr: string) => addr.slice(addr.lastIndexOf('@') + 1).toLowerCase();

/**
 * Whether the topmost Authentication-Results header (the one Gmail added; a sender can only add headers
 * below it) shows DMARC, DKIM or SPF passing for the sender's own domain.
 */
export function senderAuthenticated(headers: Array<[string, string]>, senderEmail: string): AuthVerdict {
  const domain = domainOf(senderEmail);
  const top = headers.find(([name]) => name === 'authentication-results');
  if (!top) return { ok: false, why: 'no Authentication-Results header' };
  const { authserv, results } = parseResults(top[1]);
  if (!TRUSTED_AUTHSERV_IDS.includes(authserv))
    return { ok: false, why: `Authentication-Results not from Gmail (${authserv || 'no authserv-id'})` };
  const pass = results.filter((r) => r.result === 'pass');
  const dmarc = pass.find((r) => r.method === 'dmarc' && r.props['header.from']?.toLowerCase() === domain);
  if (dmarc) return { ok: true, why: `dmarc=pass header.from=${domain}` };
  const dkim = pass.find(
    (r) =>
      r.method === 'dkim' &&
      (r.props['header.d']?.toLowerCase() === domain ||
        (r.props['header.i'] ?? '').toLowerCase().replace(/^.*@/, '') === domain),
  );
  if (dkim) return { ok: true, why: `dkim=pass for ${domain}` };
  const spf = pass.find((r) => r.method === 'spf' && domainOf(r.props['smtp.mailfrom'] ?? '') === domain);
  if (spf) return { ok: true, why: `spf=pass smtp.mailfrom=…@${domain}` };
  const seen = results.map((r) => `${r.method}=${r.result}`).join(' ') || 'no results';
  return { ok: false, why: `no pass for ${domain} (${seen})` };
}
