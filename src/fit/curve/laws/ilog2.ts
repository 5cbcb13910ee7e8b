import { CurveLaw, offsetCandidates } from '../law';

/**
 * ilog2: L(x) = c + a / ln x, x > 1.
 * Source: Domhan et al. 2015 (IJCAI), family `ilog2` y = c − a / log x; reflected about the asymptote c for a
 * decreasing loss. Needs x > 1 (fitCurve works on x rescaled so the first point sits at 2).
 */
export const ilog2: CurveLaw = {
  id: 'ilog2',
  name: 'Inverse log (ilog2)',
  latex: 'L(x) = c + \\frac{a}{\\ln x}',
  source: 'Domhan et al. 2015 (ilog2), reflected for a decreasing loss',
  params: [
    { name: 'c', lower: 0, upper: Infinity },
    { name: 'a', lower: 0, upper: Infinity },
  ],
  minX: 1,
  predict: (p, x) => p[0] + p[1] / Math.log(x),
  grad(p, x, g) {
    const il = 1 / Math.log(x);
    g[0] = 1;
    g[1] = il;
    return p[0] + p[1] * il;
  },
  starts(d) {
    // Two-point solve through the first and last points for each offset guess is exact for a; use it.
    const n = d.x.length;
    const i0 = 1 / Math.log(d.x[0]),
      i1 = 1 / Math.log(d.x[n - 1]);
    const a = i0 > i1 ? Math.max((d.y[0] - d.y[n - 1]) / (i0 - i1), 1e-9) : 1;
    const c = d.y[n - 1] - a * i1;
    return [
      [Math.max(c, 0), a],
      ...offsetCandidates(d)
        .slice(0, 1)
        .map((o) => [Math.max(o, 0), Math.max((d.y[0] - o) / i0, 1e-9)]),
    ];
  },
  asymptote: (p) => p[0],
};
