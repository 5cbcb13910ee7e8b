/**
 * Broken neural scaling law (BNSL) with one or two breaks, Caballero et al. 2023, "Broken Neural Scaling Laws"
 * (ICLR), eq. 1:
 *
 *   y = a + b·x^(−c₀) · Π_{i=1..n} (1 + (x/d_i)^(1/f_i))^(−c_i·f_i)
 *
 * a: the limit; b, c₀: the first power-law segment; at each break i (location d_i, sharpness f_i, smaller =
 * sharper) the log-log slope changes by −c_i (c_i > 0 steepens, c_i < 0 flattens). Fit space: a (≥ 0, linear),
 * lb = log b, c₀, then per break c_i, ld_i = log d_i, lf_i = log f_i; residuals in log space (as our other
 * sweep laws; the authors fit log(y + 1) for their zero-limit tasks). With z_i = (log x − ld_i)/f_i,
 * log(1 + (x/d_i)^(1/f_i)) = softplus(z_i), which keeps the evaluation finite far from the break.
 *
 * Starts: BNSL is strongly multimodal and the authors stress the grid search (their code: a brute-force grid,
 * then curve_fit). Ours: data-driven starts (`init`) with breaks at quantiles of log x and a few slopes and
 * sharpnesses, each refined by bounded L-BFGS (sweep.ts).
 */
import type { Dataset, Law } from '../types';

function softplus(z: number): number {
  return z > 30 ? z : z < -30 ? Math.exp(z) : Math.log1p(Math.exp(z));
}
function sigmoid(z: number): number {
  return z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
}

/** log of the power-law part, b·x^(−c₀)·Π(…), and its gradient w.r.t. the fit-space params (g[0] for a untouched). */
function logTerm(p: ArrayLike<number>, lx: number, breaks: number, g: Float64Array | null): number {
  let lt = p[1] - p[2] * lx;
  if (g) {
    g[1] = 1;
    g[2] = -lx;
  }
  for (let i = 0; i < breaks; i++) {
    const c = p[3 + 3 * i],
      ld = p[4 + 3 * i],
      f = Math.exp(p[5 + 3 * i]);
    const z = (lx - ld) / f,
      sp = softplus(z),
      sg = sigmoid(z);
    lt -= c * f * sp;
    if (g) {
      g[3 + 3 * i] = -f * sp;
      g[4 + 3 * i] = c * sg;
      g[5 + 3 * i] = c * f * (z * sg - sp);
    }
  }
  return lt;
}

function makeBnsl(breaks: 1 | 2): Law {
  const params: Law['params'] = [
    { name: 'a', lower: 0, upper: 1e6, description: 'limit as x → ∞' },
    { name: 'lb', lower: -100, upper: 100, logScale: true, description: 'log b' },
    { name: 'c0', lower: -5, upper: 5, description: 'slope of the first segment' },
  ];
  for (let i = 1; i <= breaks; i++) {
    params.push(
      { name: `c${i}`, lower: -5, upper: 5, description: `slope change at break ${i}` },
      { name: `ld${i}`, lower: -100, upper: 200, logScale: true, description: `log of break location d${i}` },
      {
        name: `lf${i}`,
        lower: Math.log(1e-3),
        upper: Math.log(100),
        logScale: true,
        description: `log of sharpness f${i}`,
      },
    );
  }
  const k = params.length;
  const latexBreaks =
    breaks === 1
      ? '\\left(1+(x/d_1)^{1/f_1}\\right)^{-c_1 f_1}'
      : '\\prod_{i=1}^{2}\\left(1+(x/d_i)^{1/f_i}\\right)^{-c_i f_i}';
  return {
    id: `bnsl${breaks}`,
    name: `Broken power law (${breaks} break${breaks > 1 ? 's' : ''})`,
    latex: `L(x) = a + b\\,x^{-c_0}\\,${latexBreaks}`,
    source: 'Caballero et al. 2023, "Broken Neural Scaling Laws" (ICLR), eq. 1',
    scope: 'sweep',
    inputs: ['x'],
    params,
    defaultLoss: { space: 'log', kind: 'squared' },
    predict(p, x) {
      return p[0] + Math.exp(logTerm(p, Math.log(x[0]), breaks, null));
    },
    gradient(p, x, g) {
      const lt = logTerm(p, Math.log(x[0]), breaks, g);
      const t = Math.exp(lt);
      for (let j = 1; j < k; j++) g[j] *= t;
      g[0] = 1;
      return p[0] + t;
    },
    natural(p) {
      const out: Record<string, number> = { a: p[0], b: Math.exp(p[1]), c0: p[2] };
      for (let i = 1; i <= breaks; i++) {
        out[`c${i}`] = p[3 * i];
        out[`d${i}`] = Math.exp(p[3 * i + 1]);
        out[`f${i}`] = Math.exp(p[3 * i + 2]);
      }
      return out;
    },
    invalidInput(x) {
      return x[0] > 0 ? null : 'x must be positive';
    },
    init(data: Dataset) {
      const xs = Array.from(data.inputs[0]).filter((v) => v > 0);
      const ys = Array.from(data.y).filter((v) => v > 0);
      if (xs.length < 2 || ys.length < 2) return [];
      const lx = xs.map(Math.log).sort((u, v) => u - v);
      const lo = lx[0],
        hi = lx[lx.length - 1];
      const yMin = Math.min(...ys),
        yMax = Math.max(...ys);
      const q = (f: number) => lo + f * (hi - lo);
      const lfs = [Math.log(0.1), Math.log(0.5), Math.log(2)];
      const starts: number[][] = [];
      for (const a of [0, 0.5 * yMin, 0.9 * yMin]) {
        for (const c0 of [0, 0.3, 1]) {
          // b so that the first segment passes through the largest loss at the smallest x
          const lb = Math.log(Math.max(yMax - a, 1e-12)) + c0 * lo;
          if (breaks === 1) {
            for (const c1 of [-0.5, 0.5, 2])
              for (const f of [0.25, 0.5, 0.75]) for (const lf of lfs) starts.push([a, lb, c0, c1, q(f), lf]);
          } else {
            for (const [c1, c2] of [
              [0.5, -0.5],
              [2, -1],
              [-0.5, 0.5],
              [1, 1],
            ]) {
              for (const [f1, f2] of [
                [0.25, 0.6],
                [0.4, 0.8],
                [0.2, 0.45],
              ])
                starts.push([a, lb, c0, c1, q(f1), Math.log(0.3), c2, q(f2), Math.log(0.3)]);
            }
          }
        }
      }
      return starts;
    },
  };
}

export const bnsl1Law: Law = makeBnsl(1);
export const bnsl2Law: Law = makeBnsl(2);
