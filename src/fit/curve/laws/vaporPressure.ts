import { CurveLaw, dataStats } from '../law';

/**
 * Vapor pressure: L(x) = exp(a + b/x + c·ln x).
 * Source: Domhan et al. 2015 (IJCAI), family `vapor pressure` y = exp(a + b/x + c log x). The form is
 * already sign-free: a decreasing loss has b > 0 and/or c < 0, so the formula is used unchanged (the
 * transformation for a loss is only in the admissible signs). As x → ∞ it tends to 0 (c < 0), e^a (c = 0).
 */
export const vaporPressure: CurveLaw = {
  id: 'vapor',
  name: 'Vapor pressure',
  latex: 'L(x) = \\exp\\left(a + \\frac{b}{x} + c \\ln x\\right)',
  source: 'Domhan et al. 2015 (vapor pressure)',
  params: [
    { name: 'a', lower: -700, upper: 700 },
    { name: 'b', lower: -1e300, upper: 1e300 },
    { name: 'c', lower: -10, upper: 10 },
  ],
  minX: 0,
  predict: (p, x) => Math.exp(p[0] + p[1] / x + p[2] * Math.log(x)),
  grad(p, x, g) {
    const lx = Math.log(x);
    const v = Math.exp(p[0] + p[1] / x + p[2] * lx);
    g[0] = v;
    g[1] = v / x;
    g[2] = v * lx;
    return v;
  },
  starts(d) {
    const s = dataStats(d);
    // c from the log-log slope, b from the curvature scale of the first point, a to match the last point.
    const slope = Math.log(s.yLast / s.yFirst) / Math.log(s.xMax / s.xMin);
    return [0, 0.5].map((k) => {
      const b = k * s.xMin;
      return [Math.log(s.yLast) - b / s.xMax - slope * Math.log(s.xMax), b, slope];
    });
  },
  asymptote: (p) => (p[2] < 0 ? 0 : p[2] === 0 ? Math.exp(p[0]) : Infinity),
};
