import { CurveLaw, offsetCandidates, powerSeed } from '../law';

/**
 * M2: L(x) = ε∞ + β·x^c (c < 0), power law with an irreducible loss.
 * Source: Alabdulmohsin et al. 2022 (NeurIPS), estimator M2 (after Hestness et al. 2017). Algebraically
 * the same family as pow3; kept under its own id so the paper's baseline is reproduced as written (`--law m2`),
 * but left out of the automatic selection and average (`sameAs`).
 */
export const m2: CurveLaw = {
  id: 'm2',
  name: 'Power law + constant (M2)',
  latex: 'L(x) = \\varepsilon_\\infty + \\beta x^{c}',
  source: 'Alabdulmohsin et al. 2022 (M2)',
  params: [
    { name: 'eps_inf', lower: 0, upper: Infinity },
    { name: 'beta', lower: 0, upper: Infinity },
    { name: 'c', lower: -6, upper: 0 },
  ],
  minX: 0,
  predict: (p, x) => p[0] + p[1] * Math.pow(x, p[2]),
  grad(p, x, g) {
    const t = Math.pow(x, p[2]);
    g[0] = 1;
    g[1] = t;
    g[2] = p[1] * t * Math.log(x);
    return p[0] + p[1] * t;
  },
  starts(d) {
    return offsetCandidates(d).map((e) => {
      const [b, al] = powerSeed(d, e);
      return [Math.max(e, 0), b, -al];
    });
  },
  asymptote: (p) => p[0],
  // the same form as pow3 (c = −α): in the automatic average it was a second vote for pow3's forecast
  sameAs: 'pow3',
};
