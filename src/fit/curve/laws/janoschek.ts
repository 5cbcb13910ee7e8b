import { CurveLaw, dataStats, offsetCandidates } from '../law';

/**
 * Janoschek: L(x) = α + (β − α)·e^(−κ·x^δ), β > α.
 * Source: Domhan et al. 2015 (IJCAI), family `Janoschek` y = α − (α − β)·e^(−κ x^δ) (rising from β to α);
 * for a decreasing loss the same formula with β > α falls from β to the asymptote α. (Identical algebra;
 * only the admissible sign of β − α changes.)
 */
export const janoschek: CurveLaw = {
  id: 'janoschek',
  name: 'Janoschek',
  latex: 'L(x) = \\alpha + (\\beta - \\alpha)\\,e^{-\\kappa x^{\\delta}}',
  source: 'Domhan et al. 2015 (Janoschek), with β > α for a decreasing loss',
  params: [
    { name: 'alpha', lower: 0, upper: Infinity },
    { name: 'beta', lower: 0, upper: Infinity },
    { name: 'kappa', lower: 0, upper: Infinity },
    { name: 'delta', lower: 1e-3, upper: 3 },
  ],
  minX: 0,
  predict(p, x) {
    return p[0] + (p[1] - p[0]) * Math.exp(-p[2] * Math.pow(x, p[3]));
  },
  grad(p, x, g) {
    const xd = Math.pow(x, p[3]);
    const h = Math.exp(-p[2] * xd);
    const amp = p[1] - p[0];
    g[0] = 1 - h;
    g[1] = h;
    g[2] = -amp * xd * h;
    g[3] = -amp * p[2] * xd * Math.log(x) * h;
    return p[0] + amp * h;
  },
  starts(d) {
    const s = dataStats(d);
    const mid = d.x[d.x.length >> 1];
    return offsetCandidates(d)
      .slice(0, 2)
      .flatMap((a) => [0.3, 0.7].map((dl) => [Math.max(a, 0), s.yMax + 0.5 * (s.yMax - a), 1 / Math.pow(mid, dl), dl]));
  },
  asymptote: (p) => p[0],
};
