import { CurveLaw, offsetCandidates, powerSeed } from '../law';

/**
 * pow4: L(x) = c + (a·x + b)^(−α).
 * Source: Domhan et al. 2015 (IJCAI), family `pow4` y = c − (a·x + b)^(−α); reflected about the asymptote
 * c for a decreasing loss (c − g ↦ c + g). b shifts the origin (b ≥ 0 keeps a·x + b > 0 for x > 0).
 */
export const pow4: CurveLaw = {
  id: 'pow4',
  name: 'Shifted power law (pow4)',
  latex: 'L(x) = c + (a\\,x + b)^{-\\alpha}',
  source: 'Domhan et al. 2015 (pow4), reflected for a decreasing loss',
  params: [
    { name: 'c', lower: 0, upper: Infinity },
    { name: 'a', lower: 1e-300, upper: Infinity },
    { name: 'b', lower: 0, upper: Infinity },
    { name: 'alpha', lower: 1e-4, upper: 6 },
  ],
  minX: 0,
  predict: (p, x) => p[0] + Math.pow(p[1] * x + p[2], -p[3]),
  grad(p, x, g) {
    const u = p[1] * x + p[2];
    const v = Math.pow(u, -p[3]);
    g[0] = 1;
    g[1] = (-p[3] * v * x) / u;
    g[2] = (-p[3] * v) / u;
    g[3] = -v * Math.log(u);
    return p[0] + v;
  },
  starts(d) {
    // (a x)^(−α) = a^(−α) x^(−α): match the pow3 seed A·x^(−α) with a = A^(−1/α), b = 0 or a small shift.
    return offsetCandidates(d)
      .slice(0, 2)
      .flatMap((c) => {
        const [A, al] = powerSeed(d, c);
        const a = Math.pow(A, -1 / al);
        return [
          [Math.max(c, 0), a, 0, al],
          [Math.max(c, 0), a, a * d.x[0], al],
        ];
      });
  },
  asymptote: (p) => p[0],
};
