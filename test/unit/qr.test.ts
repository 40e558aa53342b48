/** The QR code the script draws itself: a reader (jsQR) gets the link back, whole. */
import jsQR from 'jsqr';
import { qrMatrix, qrSvg } from '../../src/core/qr';

/** The matrix as an RGBA image, 4 px a module, with the quiet zone: what a phone's camera sees. */
function image(text: string) {
  const m = qrMatrix(text);
  const scale = 4;
  const side = (m.size + 8) * scale;
  const data = new Uint8ClampedArray(side * side * 4).fill(255);
  for (let y = 0; y < side; y++)
    for (let x = 0; x < side; x++) {
      const r = Math.floor(y / scale) - 4;
      const c = Math.floor(x / scale) - 4;
      if (r >= 0 && c >= 0 && r < m.size && c < m.size && m.dark(r, c)) {
        const i = (y * side + x) * 4;
        data[i] = data[i + 1] = data[i + 2] = 0;
      }
    }
  return { data, side };
}

test.each([
  'https://script.google.com/macros/s/AKfycbx-0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJ/exec',
  'https://script.google.com/macros/s/X/exec?action=status&t=8a6883d8-8c83-41b5-a461-c76fda492507',
  'https://example.com/événement?q=日本',
])('a reader gets %s back', (url) => {
  const { data, side } = image(url);
  expect(jsQR(data, side, side)?.data).toBe(url);
});

test('negative control: a code with one finder pattern blotted out does not read', () => {
  const url = 'https://script.google.com/macros/s/X/exec';
  const { data, side } = image(url);
  for (let y = 16; y < 16 + 7 * 4; y++)
    for (let x = 16; x < 16 + 7 * 4; x++) data.fill(255, (y * side + x) * 4, (y * side + x) * 4 + 3);
  expect(jsQR(data, side, side)).toBeNull();
});

test('the SVG holds squares only, and no text of the link', () => {
  const svg = qrSvg('https://script.google.com/macros/s/X/exec?t=secret-token');
  expect(svg).toMatch(/^<svg [^>]*><rect [^>]*\/><path d="[Mhvz0-9 -]+" fill="#000"\/><\/svg>$/);
  expect(svg).not.toContain('secret-token');
});
