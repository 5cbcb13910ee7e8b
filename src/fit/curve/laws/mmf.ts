import { CurveLaw, dataStats, offsetCandidates } from '../law';

/**
 * MMF (Morgan–Mercer–Flodin): L(x) = α + (β − α) / (1 + (κx)^δ), β > α.
 * Source: Domhan et al. 2015 (IJCAI), family `MMF` y = α − (α − β)/(1 + (κx)^δ); for a decreasing loss the
 * same formula with β > α (falls from β at x = 0 to the asymptote α).
 */
export const mmf: CurveLaw = {
  id: 'mmf',
  name: 'Morgan–Mercer–Flodin (MMF)',
  latex: 'L(x) = \\alpha + \\frac{\\beta - \\alpha}{1 + (\\kappa x)^{\\delta}}',
  source: 'Domhan et al. 2015 (MMF), with β > α for a decreasing loss',
  params: [
    { name: 'alpha', lower: 0, upper: Infinity },
    { name: 'beta', lower: 0, upper: Infinity },
    { name: 'kappa', lower: 1e-300, upper: Infinity },
    { name: 'delta', lower: 1e-3, upper: 6 },
  ],
  minX: 0,
  predict(p, x) {
    return p[0] + (p[1] - p[0]) / (1 + Math.pow(p[2] * x, p[3]));
  },
  grad(p, x, g) {
    const kx = p[2] * x;
    const pw = Math.pow(kx, p[3]);
    const q = 1 / (1 + pw);
    const amp = p[1] - p[0];
    const dp = -amp * q * q;
    g[0] = 1 - q;
    g[1] = q;
    g[2] = (dp * p[3] * pw) / p[2];
    g[3] = dp * pw * Math.log(kx);
    return p[0] + amp * q;
  },
  starts(d) {
    const s = dataStats(d);
    return offsetCandidates(d)
      .slice(0, 2)
      .flatMap((a) => [0.5, 1].map((dl) => [Math.max(a, 0), s.yMax + 0.5 * (s.yMax - a), 1 / s.xMin, dl]));
  },
  asymptote: (p) => p[0],
};
