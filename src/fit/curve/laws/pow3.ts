import { CurveLaw, offsetCandidates, powerSeed } from '../law';

/**
 * pow3: L(x) = c + a·x^(−α).
 * Source: Domhan, Springenberg & Hutter 2015, "Speeding up automatic hyperparameter optimization of deep
 * neural networks by extrapolation of learning curves" (IJCAI), family `pow3` y = c − a·x^(−α) for an
 * increasing accuracy; for a decreasing loss we reflect the curve about its asymptote (y ↦ 2c − y), i.e.
 * c − g(x) becomes c + g(x). Same form as the saturating power law E + A·t^(−α) used for loss curves.
 */
export const pow3: CurveLaw = {
  id: 'pow3',
  name: 'Power law with offset (pow3)',
  latex: 'L(x) = c + a\\,x^{-\\alpha}',
  source: 'Domhan et al. 2015 (pow3), reflected for a decreasing loss',
  params: [
    { name: 'c', lower: 0, upper: Infinity },
    { name: 'a', lower: 0, upper: Infinity },
    { name: 'alpha', lower: 1e-4, upper: 6 },
  ],
  minX: 0,
  predict: (p, x) => p[0] + p[1] * Math.pow(x, -p[2]),
  grad(p, x, g) {
    const t = Math.pow(x, -p[2]);
    g[0] = 1;
    g[1] = t;
    g[2] = -p[1] * t * Math.log(x);
    return p[0] + p[1] * t;
  },
  starts(d) {
    return offsetCandidates(d).map((c) => {
      const [a, al] = powerSeed(d, c);
      return [Math.max(c, 0), a, al];
    });
  },
  asymptote: (p) => p[0],
};
