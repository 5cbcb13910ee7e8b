/** Colour helpers for theme colours read from VS Code CSS variables (pure). */

/** Parses #rgb, #rgba, #rrggbb, #rrggbbaa, rgb(), rgba() → [r,g,b,a], or null. */
export function parseColor(c: string): [number, number, number, number] | null {
  const s = c.trim().toLowerCase();
  let m = /^#([0-9a-f]{3,8})$/.exec(s);
  if (m) {
    const h = m[1];
    if (h.length === 3 || h.length === 4) {
      const v = [...h].map((d) => parseInt(d + d, 16));
      return [v[0], v[1], v[2], h.length === 4 ? v[3] / 255 : 1];
    }
    if (h.length === 6 || h.length === 8) {
      const v = [0, 2, 4, 6].map((i) => parseInt(h.slice(i, i + 2), 16));
      return [v[0], v[1], v[2], h.length === 8 ? v[3] / 255 : 1];
    }
    return null;
  }
  m = /^rgba?\(\s*([\d.]+)[\s,]+([\d.]+)[\s,]+([\d.]+)(?:[\s,/]+([\d.]+%?))?\s*\)$/.exec(s);
  if (m) {
    let a = 1;
    if (m[4] !== undefined) a = m[4].endsWith('%') ? parseFloat(m[4]) / 100 : parseFloat(m[4]);
    return [+m[1], +m[2], +m[3], a];
  }
  return null;
}

/** The colour with its alpha multiplied by `alpha`, as rgba(); unparseable colours are returned unchanged. */
export function withAlpha(c: string, alpha: number): string {
  const p = parseColor(c);
  if (!p) return c;
  const a = Math.round(Math.max(0, Math.min(1, p[3] * alpha)) * 1000) / 1000;
  return `rgba(${p[0]}, ${p[1]}, ${p[2]}, ${a})`;
}
