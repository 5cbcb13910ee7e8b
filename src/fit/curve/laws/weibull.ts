import { CurveLaw, dataStats, offsetCandidates } from '../law';

/**
 * Weibull: L(x) = α + (β − α)·e^(−(κx)^δ), β > α.
 * Source: Domhan et al. 2015 (IJCAI), family `Weibull` y = α − (α − β)·e^(−(κx)^δ); for a decreasing loss
 * the same formula with β > α (falls from β to the asymptote α).
 */
export const weibull: CurveLaw = {
  id: 'weibull',
  name: 'Weibull',
  latex: 'L(x) = \\alpha + (\\beta - \\alpha)\\,e^{-(\\kappa x)^{\\delta}}',
  source: 'Domhan et al. 2015 (Weibull), with β > α for a decreasing loss',
  params: [
    { name: 'alpha', lower: 0, upper: Infinity },
    { name: 'beta', lower: 0, upper: Infinity },
    { name: 'kappa', lower: 1e-300, upper: Infinity },
    { name: 'delta', lower: 1e-3, upper: 3 },
  ],
  minX: 0,
  predict(p, x) {
    return p[0] + (p[1] - p[0]) * Math.exp(-Math.pow(p[2] * x, p[3]));
  },
  grad(p, x, g) {
    const kx = p[2] * x;
    const pw = Math.pow(kx, p[3]);
    const h = Math.exp(-pw);
    const amp = p[1] - p[0];
    g[0] = 1 - h;
    g[1] = h;
    g[2] = (-amp * h * p[3] * pw) / p[2];
    g[3] = -amp * h * pw * Math.log(kx);
    return p[0] + amp * h;
  },
  starts(d) {
    const s = dataStats(d);
    const mid = d.x[d.x.length >> 1];
    return offsetCandidates(d)
      .slice(0, 2)
      .flatMap((a) => [0.3, 0.7].map((dl) => [Math.max(a, 0), s.yMax + 0.5 * (s.yMax - a), 1 / mid, dl]));
  },
  asymptote: (p) => p[0],
};
