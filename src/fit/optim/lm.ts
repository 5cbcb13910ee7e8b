/**
 * Levenberg–Marquardt least squares via `ml-levenberg-marquardt` (mljs), for plain (unweighted or
 * weighted) squared-error fits of one-input laws, e.g. quick initial guesses. Robust/Huber fits and
 * multi-input laws go through `minimizeLbfgsb` instead.
 *
 * The package is ESM-only; the engine is bundled as CommonJS by esbuild (which inlines it) and run by
 * tsx/Node ≥ 20.19 (which can `require` ESM), so it is loaded with `require` and typed via a type-only import.
 */
import type {
  LevenbergMarquardtOptions, LevenbergMarquardtReturn, Data2D, ParameterizedFunction,
} from 'ml-levenberg-marquardt' with { 'resolution-mode': 'import' };
import type { OptimResult } from '../types';

type LM = (data: Data2D, fn: ParameterizedFunction, options: LevenbergMarquardtOptions) => LevenbergMarquardtReturn;
let lmImpl: LM | null = null;

function loadLM(): LM | null {
  if (lmImpl) return lmImpl;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    lmImpl = (require('ml-levenberg-marquardt') as { levenbergMarquardt: LM }).levenbergMarquardt;
  } catch {
    lmImpl = null;
  }
  return lmImpl;
}

export interface LmOptions {
  lower?: number[];
  upper?: number[];
  maxIter?: number;
  weights?: ArrayLike<number>;
  jacobian?: (p: number[]) => (x: number) => number[];
}

/**
 * Fit y ≈ model(p)(x) by LM. Returns an OptimResult whose `f` is ½·Σ w·r² (same convention as the
 * squared loss elsewhere), or a failure reason. Never throws.
 */
export function fitLeastSquaresLM(
  model: (p: number[]) => (x: number) => number, x: ArrayLike<number>, y: ArrayLike<number>, init: number[], opts: LmOptions = {},
): OptimResult {
  const lm = loadLM();
  const fail = (reason: string): OptimResult => ({ x: Float64Array.from(init), f: Infinity, gradNorm: Infinity, iterations: 0, evaluations: 0, converged: false, reason });
  if (!lm) return fail('ml-levenberg-marquardt could not be loaded');
  try {
    const r = lm({ x, y }, model, {
      initialValues: init,
      minValues: opts.lower,
      maxValues: opts.upper,
      maxIterations: opts.maxIter ?? 200,
      weights: opts.weights ?? 1,
      damping: 1e-2,
      errorTolerance: 1e-12,
      jacobianFunction: opts.jacobian,
    });
    const p = r.parameterValues;
    const fp = model(p);
    let f = 0;
    for (let i = 0; i < y.length; i++) {
      const w = opts.weights ? opts.weights[i] : 1;
      const res = y[i] - fp(x[i]);
      f += 0.5 * w * res * res;
    }
    const ok = Number.isFinite(f);
    return {
      x: Float64Array.from(p), f: ok ? f : Infinity, gradNorm: NaN, iterations: r.iterations, evaluations: r.iterations,
      converged: ok && r.iterations < (opts.maxIter ?? 200), reason: ok ? (r.iterations < (opts.maxIter ?? 200) ? 'LM converged' : 'max iterations') : 'non-finite residuals',
    };
  } catch (e) {
    return fail(`LM failed: ${(e as Error)?.message ?? String(e)}`);
  }
}
