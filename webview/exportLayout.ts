/**
 * Layout and text of PNG exports (pure; unit-tested in node): line wrapping, legend rows, a law's LaTeX as plain
 * text, parameter lines. `./exportImage` draws them.
 */

export interface LegendItem {
  label: string;
  color: string;
  dashed?: boolean;
}

export type Measure = (text: string) => number;

/** Words of `text` wrapped into lines no wider than `width` (a word longer than a line gets a line of its own). */
export function wrapText(text: string, width: number, measure: Measure): string[] {
  const words = text.split(/\s+/).filter(Boolean);
  const out: string[] = [];
  let line = '';
  for (const w of words) {
    const next = line ? `${line} ${w}` : w;
    if (line && measure(next) > width) {
      out.push(line);
      line = w;
    } else line = next;
  }
  if (line) out.push(line);
  return out;
}

export const SWATCH = 18,
  SWATCH_GAP = 6,
  ITEM_GAP = 16;

/** Legend items placed in rows of at most `width`: each row lists the indices of its items and their x offsets. */
export function legendRows(
  items: readonly LegendItem[],
  width: number,
  measure: Measure,
): { index: number; x: number }[][] {
  const rows: { index: number; x: number }[][] = [];
  let row: { index: number; x: number }[] = [];
  let x = 0;
  items.forEach((it, index) => {
    const w = SWATCH + SWATCH_GAP + measure(it.label);
    if (row.length && x + w > width) {
      rows.push(row);
      row = [];
      x = 0;
    }
    row.push({ index, x });
    x += w + ITEM_GAP;
  });
  if (row.length) rows.push(row);
  return rows;
}

const GREEK: Record<string, string> = {
  alpha: 'α',
  beta: 'β',
  gamma: 'γ',
  delta: 'δ',
  varepsilon: 'ε',
  epsilon: 'ε',
  kappa: 'κ',
  lambda: 'λ',
  mu: 'μ',
  sigma: 'σ',
  tau: 'τ',
  theta: 'θ',
  phi: 'φ',
  rho: 'ρ',
  eta: 'η',
  nu: 'ν',
  omega: 'ω',
  infty: '∞',
  cdot: '·',
  times: '×',
};

/**
 * A law's LaTeX as plain text for the exported image (a canvas cannot show KaTeX's HTML): Greek letters as
 * symbols, \frac{a}{b} as (a)/(b), braces, spacing and \left/\right dropped. Unknown commands keep their name.
 */
export function latexToText(latex: string): string {
  let s = latex
    .replace(/\\(left|right)\s*/g, '')
    .replace(/\\[,;:! ]/g, ' ')
    .replace(/\\([A-Za-z]+)/g, (m, name: string) => GREEK[name] ?? m);
  // Scripts first (their braces would hide a fraction's arguments), then the innermost \frac, repeatedly.
  const script = /([_^])\{([^{}]*)\}/;
  for (let k = 0; k < 50 && script.test(s); k++)
    s = s.replace(script, (_m, op: string, e: string) =>
      e.trim().length > 1 && op === '^' ? `^(${e.trim()})` : `${op}${e.trim()}`,
    );
  const frac = /\\frac\{([^{}]*)\}\{([^{}]*)\}/;
  for (let k = 0; k < 50 && frac.test(s); k++)
    s = s.replace(frac, (_m, a: string, b: string) => `${wrap(a)}/${wrap(b)}`);
  s = s
    .replace(/\\([A-Za-z]+)/g, (_m, name: string) => GREEK[name] ?? name)
    .replace(/[{}]/g, '')
    .replace(/\s+/g, ' ')
    .trim();
  return s;
}

/** A fraction's numerator or denominator, parenthesised unless it is one term. */
function wrap(t: string): string {
  const x = t.trim();
  return /^[^\s+\-/]+$/.test(x) || /^[^\s+\-/]*\^\([^()]*\)$/.test(x) ? x : `(${x})`;
}

/** "E = 1.69 [1.61, 1.77], A = 406 […]" from fitted parameters. */
export function paramsLine(
  params: readonly { name: string; value: number; lower?: number; upper?: number }[],
  num: (v: number) => string,
): string {
  return params
    .map(
      (p) =>
        `${p.name} = ${num(p.value)}${p.lower !== undefined && p.upper !== undefined ? ` [${num(p.lower)}, ${num(p.upper)}]` : ''}`,
    )
    .join(', ');
}
