/**
 * A QR code of a link, drawn here (qrcode-generator, MIT): no outside service ever sees the URL or a
 * token in it. Pure. The SVG is built from the module matrix by us (one path, black on white, a
 * four-module quiet zone as the standard asks), so it carries nothing but squares.
 */
import qrcode from 'qrcode-generator';

export interface QrMatrix {
  /** Modules per side, without the quiet zone. */
  size: number;
  dark: (row: number, col: number) => boolean;
}

const QUIET = 4;

/** The code's modules, at error correction level M (15% of the code may be lost: posters get scuffed). */
export function qrMatrix(text: string): QrMatrix {
  const qr = qrcode(0, 'M');
  qr.addData(unescape(encodeURIComponent(text)), 'Byte');
  qr.make();
  return { size: qr.getModuleCount(), dark: (r, c) => qr.isDark(r, c) };
}

/** An SVG of the code, `px` wide (it scales: viewBox in modules). */
export function qrSvg(text: string, px = 200, label = 'QR code of the link'): string {
  const m = qrMatrix(text);
  const side = m.size + 2 * QUIET;
  let d = '';
  for (let r = 0; r < m.size; r++)
    for (let c = 0; c < m.size; c++) if (m.dark(r, c)) d += `M${c + QUIET} ${r + QUIET}h1v1h-1z`;
  const safe = label.replace(/[<>&"]/g, '');
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${px}" height="${px}" viewBox="0 0 ${side} ${side}" ` +
    `shape-rendering="crispEdges" role="img" aria-label="${safe}"><rect width="${side}" height="${side}" fill="#fff"/>` +
    `<path d="${d}" fill="#000"/></svg>`
  );
}
