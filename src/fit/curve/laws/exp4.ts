import { CurveLaw, dataStats, offsetCandidates } from '../law';

/**
 * exp4: L(x) = c + e^(−a·x^α + b).
 * Source: Domhan et al. 2015 (IJCAI), family `exp4` y = c − e^(−a·x^α + b); reflected about the asymptote
 * c for a decreasing loss (c − g ↦ c + g).
 */
export const exp4: CurveLaw = {
  id: 'exp4',
  name: 'Stretched exponential (exp4)',
  latex: 'L(x) = c + e^{-a x^{\\alpha} + b}',
  source: 'Domhan et al. 2015 (exp4), reflected for a decreasing loss',
  params: [
    { name: 'c', lower: 0, upper: Infinity },
    { name: 'a', lower: 0, upper: Infinity },
    { name: 'b', lower: -700, upper: 700 },
    { name: 'alpha', lower: 1e-3, upper: 3 },
  ],
  minX: 0,
  predict: (p, x) => p[0] + Math.exp(p[2] - p[1] * Math.pow(x, p[3])),
  grad(p, x, g) {
    const xa = Math.pow(x, p[3]);
    const e = Math.exp(p[2] - p[1] * xa);
    g[0] = 1;
    g[1] = -xa * e;
    g[2] = e;
    g[3] = -p[1] * xa * Math.log(x) * e;
    return p[0] + e;
  },
  starts(d) {
    const s = dataStats(d);
    const mid = d.x[d.x.length >> 1];
    return offsetCandidates(d)
      .slice(0, 2)
      .flatMap((c) =>
        [0.3, 0.6].map((al) => {
          const a = 1 / Math.pow(Math.max(mid, 1e-300), al);
          const b = Math.log(Math.max(s.yFirst - c, 1e-12)) + a * Math.pow(s.xMin, al);
          return [Math.max(c, 0), a, b, al];
        }),
      );
  },
  asymptote: (p) => p[0],
};
