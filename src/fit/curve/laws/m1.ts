import { CurveLaw, powerSeed } from '../law';

/**
 * M1: L(x) = β·x^c (c < 0), a pure power law.
 * Source: Alabdulmohsin, Neyshabur & Zhai 2022, "Revisiting Neural Scaling Laws in Language and Vision"
 * (NeurIPS), estimator M1 (their baseline, after Kaplan et al. 2020).
 */
export const m1: CurveLaw = {
  id: 'm1',
  name: 'Power law (M1)',
  latex: 'L(x) = \\beta x^{c}',
  source: 'Alabdulmohsin et al. 2022 (M1)',
  params: [
    { name: 'beta', lower: 0, upper: Infinity },
    { name: 'c', lower: -6, upper: 0 },
  ],
  minX: 0,
  predict: (p, x) => p[0] * Math.pow(x, p[1]),
  grad(p, x, g) {
    const t = Math.pow(x, p[1]);
    g[0] = t;
    g[1] = p[0] * t * Math.log(x);
    return p[0] * t;
  },
  starts(d) {
    const [a, al] = powerSeed(d, 0);
    return [[a, -al]];
  },
  asymptote: () => 0,
};
