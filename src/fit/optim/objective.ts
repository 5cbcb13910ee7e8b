/**
 * Generic fit objective for any `Law`: Σ_i w_i · ρ(r_i), with r_i = log y_i − log ŷ_i (log space) or
 * y_i − ŷ_i (linear space) and ρ the Huber loss (scipy convention) or r²/2. Gradients come from the law's
 * analytic gradient (chain rule through the log when needed), or central finite differences as a fallback.
 */
import type { Dataset, Law, LossSpec, ObjectiveFn } from '../types';
import { huber, huberDeriv } from './huber';

export function lossValue(loss: LossSpec, r: number): number {
  return loss.kind === 'huber' ? huber(loss.delta ?? 1e-3, r) : 0.5 * r * r;
}

export function lossDeriv(loss: LossSpec, r: number): number {
  return loss.kind === 'huber' ? huberDeriv(loss.delta ?? 1e-3, r) : r;
}

/** Residual of point i for parameters p (NaN when the prediction is unusable, e.g. ≤ 0 in log space). */
export function residual(law: Law, loss: LossSpec, p: ArrayLike<number>, x: ArrayLike<number>, y: number): number {
  const yh = law.predict(p, x);
  if (loss.space === 'log') return yh > 0 ? Math.log(y) - Math.log(yh) : NaN;
  return y - yh;
}

/** Build f(p) (and ∇f) for fitting `law` to `data`. Returns Infinity where predictions are unusable. */
export function makeObjective(law: Law, data: Dataset, loss: LossSpec): ObjectiveFn {
  const n = data.y.length,
    k = law.inputs.length,
    P = law.params.length;
  const xi = new Float64Array(k),
    gp = new Float64Array(P);
  const logY = new Float64Array(n);
  for (let i = 0; i < n; i++) logY[i] = Math.log(data.y[i]);
  const w = data.weights;
  const grad = law.gradient?.bind(law),
    logGrad = law.logGradient?.bind(law);
  const fval = (p: Float64Array): number => {
    let f = 0;
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < k; j++) xi[j] = data.inputs[j][i];
      const yh = law.predict(p, xi);
      let r: number;
      if (loss.space === 'log') {
        if (!(yh > 0)) return Infinity;
        r = logY[i] - Math.log(yh);
      } else r = data.y[i] - yh;
      if (!Number.isFinite(r)) return Infinity;
      f += (w ? w[i] : 1) * lossValue(loss, r);
    }
    return f;
  };
  return (p, g) => {
    if (!g) return fval(p);
    if (!grad && !logGrad) return finiteDiff(fval, p, g);
    g.fill(0);
    let f = 0;
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < k; j++) xi[j] = data.inputs[j][i];
      let r: number, scale: number;
      if (loss.space === 'log') {
        if (logGrad) {
          const lyh = logGrad(p, xi, gp);
          r = logY[i] - lyh;
          scale = 1;
        } else {
          const yh = grad!(p, xi, gp);
          if (!(yh > 0)) return Infinity;
          r = logY[i] - Math.log(yh);
          scale = 1 / yh;
        }
      } else {
        const yh = grad ? grad(p, xi, gp) : NaN;
        r = data.y[i] - yh;
        scale = 1;
      }
      if (!Number.isFinite(r)) return Infinity;
      const wi = w ? w[i] : 1;
      f += wi * lossValue(loss, r);
      const c = -wi * lossDeriv(loss, r) * scale;
      for (let q = 0; q < P; q++) g[q] += c * gp[q];
    }
    return f;
  };
}

/** Central differences, step scaled to |p|. */
export function finiteDiff(fval: (p: Float64Array) => number, p: Float64Array, g: Float64Array): number {
  const f0 = fval(p);
  for (let q = 0; q < p.length; q++) {
    const h = 1e-6 * Math.max(1, Math.abs(p[q]));
    const v = p[q];
    p[q] = v + h;
    const fp = fval(p);
    p[q] = v - h;
    const fm = fval(p);
    p[q] = v;
    g[q] = (fp - fm) / (2 * h);
  }
  return f0;
}
