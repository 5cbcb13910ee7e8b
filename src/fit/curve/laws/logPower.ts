import { CurveLaw, dataStats } from '../law';

/**
 * log-power: L(x) = a / (1 + (x / e^b)^c), c > 0.
 * Source: Domhan et al. 2015 (IJCAI), family `log power` y = a / (1 + (x/e^b)^c), which increases for
 * c < 0 (accuracy). For a decreasing loss we keep the formula and constrain c > 0 (a logistic curve in
 * log x falling from a to 0; the decay is centred at x = e^b). Its asymptote is 0.
 */
export const logPower: CurveLaw = {
  id: 'logpower',
  name: 'Log-power (logistic in log x)',
  latex: 'L(x) = \\frac{a}{1 + (x / e^{b})^{c}}',
  source: 'Domhan et al. 2015 (log power), sign of c flipped for a decreasing loss',
  params: [
    { name: 'a', lower: 0, upper: Infinity },
    { name: 'b', lower: -200, upper: 200 },
    { name: 'c', lower: 1e-4, upper: 10 },
  ],
  minX: 0,
  predict: (p, x) => p[0] / (1 + Math.exp(p[2] * (Math.log(x) - p[1]))),
  grad(p, x, g) {
    const lx = Math.log(x) - p[1];
    const w = Math.exp(p[2] * lx);
    const q = 1 / (1 + w);
    const dw = -p[0] * q * q;
    g[0] = q;
    g[1] = dw * (-p[2] * w);
    g[2] = dw * lx * w;
    return p[0] * q;
  },
  starts(d) {
    const s = dataStats(d);
    // The loss is well above 0 on the data: the midpoint e^b lies far right of the data, L ≈ a·(x/e^b)^(−c)
    // there; seed b at a few multiples of the range and a at twice the first loss.
    const l1 = Math.log(s.xMax);
    return [
      [2 * s.yFirst, l1 + 2, 0.3],
      [s.yFirst * 1.2, l1, 0.5],
      [4 * s.yFirst, l1 + 6, 0.1],
    ];
  },
  asymptote: () => 0,
};
