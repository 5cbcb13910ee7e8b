import { CurveLaw, dataStats, offsetCandidates } from '../law';

/**
 * exp3: L(x) = c + e^(−a·x + b).
 * Source: Domhan et al. 2015 (IJCAI), family `exp3` y = c − e^(−a·x + b); reflected about the asymptote c
 * for a decreasing loss (c − g ↦ c + g).
 */
export const exp3: CurveLaw = {
  id: 'exp3',
  name: 'Exponential decay (exp3)',
  latex: 'L(x) = c + e^{-a x + b}',
  source: 'Domhan et al. 2015 (exp3), reflected for a decreasing loss',
  params: [
    { name: 'c', lower: 0, upper: Infinity },
    { name: 'a', lower: 0, upper: Infinity },
    { name: 'b', lower: -700, upper: 700 },
  ],
  minX: -Infinity,
  predict: (p, x) => p[0] + Math.exp(p[2] - p[1] * x),
  grad(p, x, g) {
    const e = Math.exp(p[2] - p[1] * x);
    g[0] = 1;
    g[1] = -x * e;
    g[2] = e;
    return p[0] + e;
  },
  starts(d) {
    const s = dataStats(d);
    const mid = d.x[d.x.length >> 1];
    return offsetCandidates(d)
      .slice(0, 2)
      .flatMap((c) =>
        [1, 3].map((k) => {
          const a = k / Math.max(mid, 1e-300);
          const b = Math.log(Math.max(s.yFirst - c, 1e-12)) + a * s.xMin;
          return [Math.max(c, 0), a, b];
        }),
      );
  },
  asymptote: (p) => p[0],
};
