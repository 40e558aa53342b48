/** HTML bodies to plain text, without a DOM (Apps Script has none), dropping quoted history. Pure. */

const VOID_TAGS = new Set('area base br col embed hr img input link meta param source track wbr'.split(' '));
const BLOCK_TAGS = new Set([
  ...'address article aside blockquote br center dd div dl dt fieldset figure footer form h1'.split(' '),
  ...'h2 h3 h4 h5 h6 header hr li ol p pre section table tr ul'.split(' '),
]);
/** Elements whose content is not text. */
const RAW_TAGS = new Set(['script', 'style', 'head', 'title', 'template', 'noscript']);
/** Quoted history and signatures, removed with their content. */
const DROP_CLASSES =
  'gmail_quote gmail_quote_container moz-cite-prefix yahoo_quoted gmail_signature moz-signature'.split(' ');
/** Ids (or classes) of the header above Outlook's quoted history, which follows as siblings: the text ends there. */
const CUT_IDS = ['divrplyfwdmsg', 'outlookmessageheader'];

const ENTITIES: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: ' ',
  ensp: ' ',
  emsp: ' ',
  thinsp: ' ',
  zwnj: '',
  zwj: '',
  shy: '',
  rsquo: '’',
  lsquo: '‘',
  rdquo: '”',
  ldquo: '“',
  sbquo: '‚',
  bdquo: '„',
  hellip: '…',
  ndash: '–',
  mdash: '—',
  bull: '•',
  middot: '·',
  copy: '©',
  reg: '®',
  trade: '™',
  euro: '€',
  pound: '£',
  laquo: '«',
  raquo: '»',
  eacute: 'é',
  egrave: 'è',
  ecirc: 'ê',
  aacute: 'á',
  agrave: 'à',
  acirc: 'â',
  auml: 'ä',
  ouml: 'ö',
  uuml: 'ü',
  szlig: 'ß',
  ccedil: 'ç',
  ntilde: 'ñ',
  iacute: 'í',
  oacute: 'ó',
  uacute: 'ú',
};

function decodeEntities(s: string): string {
  return s.replace(/&(#[xX][0-9a-fA-F]{1,6}|#[0-9]{1,7}|[a-zA-Z][a-zA-Z0-9]{1,31});?/g, (all, e: string) => {
    if (e[0] === '#') {
      const n = e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
      return n > 0 && n <= 0x10ffff && !(n >= 0xd800 && n <= 0xdfff) ? String.fromCodePoint(n) : '';
    }
    return ENTITIES[e.toLowerCase()] ?? all;
  });
}

function attr(attrs: string, name: string): string {
  const m = new RegExp(`(?:^|\\s)${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)'|([^\\s"'>]+))`, 'i').exec(attrs);
  return m ? (m[1] ?? m[2] ?? m[3] ?? '') : '';
}

/**
 * HTML to plain text without a DOM: a linear scan over tags. Quoted history (<blockquote>, Gmail's
 * .gmail_quote, Thunderbird's .moz-cite-prefix, Yahoo's .yahoo_quoted) and HTML signatures are dropped
 * with their content; Outlook's #divRplyFwdMsg / .OutlookMessageHeader end the text.
 */
export function htmlToText(html: string): string {
  const lower = html.toLowerCase();
  const n = html.length;
  let out = '';
  let i = 0;
  let pre = 0;
  /** While dropping an element: its tag name and how deep we are in same-named elements. */
  let drop: { name: string; depth: number } | null = null;
  const TAG = /<(\/?)([a-zA-Z][a-zA-Z0-9:-]*)/y;
  while (i < n) {
    const lt = html.indexOf('<', i);
    const textEnd = lt < 0 ? n : lt;
    if (!drop && textEnd > i) {
      const t = decodeEntities(html.slice(i, textEnd));
      out += pre ? t : t.replace(/[ \t\r\n\f]+/g, ' ');
    }
    if (lt < 0) break;
    if (lower.startsWith('<!--', lt)) {
      const end = html.indexOf('-->', lt + 4);
      i = end < 0 ? n : end + 3;
      continue;
    }
    TAG.lastIndex = lt;
    const m = TAG.exec(html);
    if (!m) {
      if (html[lt + 1] === '!' || html[lt + 1] === '?') {
        const end = html.indexOf('>', lt);
        i = end < 0 ? n : end + 1;
      } else {
        if (!drop) out += '<';
        i = lt + 1;
      }
      continue;
    }
    // Scan to the tag's end, skipping quoted attribute values.
    let j = TAG.lastIndex;
    while (j < n && html[j] !== '>') {
      if (html[j] === '"' || html[j] === "'") {
        const q = html.indexOf(html[j], j + 1);
        j = q < 0 ? n : q + 1;
      } else j++;
    }
    const attrs = html.slice(TAG.lastIndex, j);
    i = Math.min(n, j + 1);
    const closing = m[1] === '/';
    const name = m[2].toLowerCase();
    const selfClosing = VOID_TAGS.has(name) || /\/\s*$/.test(attrs);

    if (!closing && RAW_TAGS.has(name) && !selfClosing) {
      const end = lower.indexOf(`</${name}`, i);
      const gt = end < 0 ? -1 : html.indexOf('>', end);
      i = gt < 0 ? n : gt + 1;
      continue;
    }
    if (drop) {
      if (name === drop.name && !selfClosing) drop.depth += closing ? -1 : 1;
      if (drop.depth === 0) drop = null;
      continue;
    }
    if (!closing) {
      const classes = attr(attrs, 'class').toLowerCase().split(/\s+/);
      const id = attr(attrs, 'id').toLowerCase();
      if (CUT_IDS.includes(id) || classes.some((c) => CUT_IDS.includes(c))) break;
      const dropIt =
        name === 'blockquote' ||
        classes.some((c) => DROP_CLASSES.includes(c)) ||
        id.startsWith('yahoo_quoted') ||
        id === 'signature';
      if (dropIt && !selfClosing) {
        drop = { name, depth: 1 };
        continue;
      }
    }
    if (name === 'pre') pre = Math.max(0, pre + (closing ? -1 : 1));
    if (BLOCK_TAGS.has(name)) out += name === 'p' ? '\n\n' : '\n';
    else if ((name === 'td' || name === 'th') && closing) out += ' ';
  }
  return out;
}
