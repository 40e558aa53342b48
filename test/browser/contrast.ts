/** Colour contrast as WCAG 2 defines it, for the browser tests' computed colours. */
/** WCAG 2 contrast ratio of two CSS colours as getComputedStyle gives them (rgb()/rgba(), opaque). */
export function contrast(a: string, b: string): number {
  const lum = (css: string) => {
    const m = /rgba?\(([\d.]+),\s*([\d.]+),\s*([\d.]+)(?:,\s*([\d.]+))?\)/.exec(css);
    if (!m) throw new Error(`not an rgb() colour: ${css}`);
    if (m[4] !== undefined && Number(m[4]) !== 1) throw new Error(`not opaque: ${css}`);
    const [r, g, bl] = [m[1], m[2], m[3]].map((v) => {
      const c = Number(v) / 255;
      return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * bl;
  };
  const [hi, lo] = [lum(a), lum(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}
