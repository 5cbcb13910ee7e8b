import { CurveLaw, dataStats, powerSeed } from '../law';

/**
 * M3: L(x) = β·(1/x + γ)^c (c > 0, γ ≥ 0): a power law in 1/x that saturates at β·γ^c.
 * Source: Alabdulmohsin et al. 2022 (NeurIPS), estimator M3 as written in the data README
 * (β(x⁻¹ + γ)^c); with c > 0 it decreases in x.
 */
export const m3: CurveLaw = {
  id: 'm3',
  name: 'Saturating power law (M3)',
  latex: 'L(x) = \\beta\\,(x^{-1} + \\gamma)^{c}',
  source: 'Alabdulmohsin et al. 2022 (M3)',
  params: [
    { name: 'beta', lower: 0, upper: Infinity },
    { name: 'gamma', lower: 0, upper: Infinity },
    { name: 'c', lower: 1e-4, upper: 6 },
  ],
  minX: 0,
  predict: (p, x) => p[0] * Math.pow(1 / x + p[1], p[2]),
  grad(p, x, g) {
    const u = 1 / x + p[1];
    const t = Math.pow(u, p[2]);
    g[0] = t;
    g[1] = (p[0] * p[2] * t) / u;
    g[2] = p[0] * t * Math.log(u);
    return p[0] * t;
  },
  starts(d) {
    const s = dataStats(d);
    const [b, al] = powerSeed(d, 0);
    // γ small: pure power law; γ ≈ 1/xMax: saturation around the end of the data.
    return [
      [b, 1e-6 / s.xMax, al],
      [b, 0.5 / s.xMax, al],
      [b, 2 / s.xMax, al * 1.5],
    ];
  },
  asymptote: (p) => p[0] * Math.pow(p[1], p[2]),
};
