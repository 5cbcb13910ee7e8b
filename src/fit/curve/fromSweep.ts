/** Reverse adapter: a one-input sweep law (src/fit/laws) as a learning-curve law. */
import type { Law } from '../types';
import type { CurveLaw } from './law';

/**
 * A one-input sweep law used as a learning-curve law (x = steps or tokens in fitCurve's x̃ units): same
 * parameters, bounds and formula; its data-driven `init` gives the starts; the asymptote is its first
 * parameter when that is the limit `a`/`E`-like (BNSL's a).
 */
export function sweepLawAsCurveLaw(l: Law, asymptoteIndex?: number): CurveLaw {
  const n = l.params.length;
  return {
    id: l.id,
    name: l.name,
    latex: l.latex,
    source: l.source,
    params: l.params.map((q) => ({ name: q.name, lower: q.lower, upper: q.upper })),
    minX: 0,
    predict: (p, x) => l.predict(p, [x]),
    grad: (p, x, g) => {
      if (l.gradient) return l.gradient(p, [x], g);
      const y = l.predict(p, [x]);
      const q = Array.from(p);
      for (let j = 0; j < n; j++) {
        const h = 1e-6 * Math.max(1, Math.abs(q[j]));
        q[j] += h;
        g[j] = (l.predict(q, [x]) - y) / h;
        q[j] -= h;
      }
      return y;
    },
    starts: (d) => (l.init ? l.init({ inputs: [d.x], y: d.y }) : []),
    ...(asymptoteIndex !== undefined ? { asymptote: (p: ArrayLike<number>) => p[asymptoteIndex] } : {}),
  };
}
