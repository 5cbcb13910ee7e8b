/**
 * Local curvature diagnostics at an optimum: finite-difference Hessian of the objective (from its analytic
 * gradient), its inverse as an approximate covariance, parameter correlations, and non-identifiability
 * warnings (singular / ill-conditioned Hessian, |corr| > 0.95 between exponents).
 */
import { Matrix, inverse, EigenvalueDecomposition } from 'ml-matrix';
import type { ObjectiveFn } from './types';

export interface HessianDiagnostics {
  hessian: number[][];
  /** Approximate covariance (H⁻¹), null when H is singular or not positive definite. */
  covariance: number[][] | null;
  correlation: number[][] | null;
  conditionNumber: number;
  warnings: string[];
}

export function numericHessian(fg: ObjectiveFn, x: ArrayLike<number>): number[][] {
  const n = x.length;
  const H: number[][] = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  const xp = Float64Array.from(x),
    gp = new Float64Array(n),
    gm = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    const h = 1e-5 * Math.max(1, Math.abs(x[j]));
    xp[j] = x[j] + h;
    fg(xp, gp);
    xp[j] = x[j] - h;
    fg(xp, gm);
    xp[j] = x[j];
    for (let i = 0; i < n; i++) H[i][j] = (gp[i] - gm[i]) / (2 * h);
  }
  for (let i = 0; i < n; i++)
    for (let j = 0; j < i; j++) {
      const v = 0.5 * (H[i][j] + H[j][i]);
      H[i][j] = v;
      H[j][i] = v;
    }
  return H;
}

/** Curvature diagnostics; `pairs` lists parameter index pairs whose strong correlation deserves a warning. */
export function hessianDiagnostics(
  fg: ObjectiveFn,
  x: ArrayLike<number>,
  names: string[],
  pairs: [number, number][] = [],
): HessianDiagnostics {
  const warnings: string[] = [];
  let H: number[][];
  try {
    H = numericHessian(fg, x);
  } catch {
    return {
      hessian: [],
      covariance: null,
      correlation: null,
      conditionNumber: Infinity,
      warnings: ['Hessian could not be evaluated'],
    };
  }
  if (H.some((r) => r.some((v) => !Number.isFinite(v)))) {
    return {
      hessian: H,
      covariance: null,
      correlation: null,
      conditionNumber: Infinity,
      warnings: ['Hessian not finite at the optimum'],
    };
  }
  let cond = Infinity,
    covariance: number[][] | null = null,
    correlation: number[][] | null = null;
  try {
    const ev = new EigenvalueDecomposition(new Matrix(H), { assumeSymmetric: true }).realEigenvalues;
    const maxAbs = Math.max(...ev.map(Math.abs)),
      minEv = Math.min(...ev);
    cond = minEv > 0 ? maxAbs / minEv : Infinity;
    if (!(minEv > 0) || cond > 1e14) {
      warnings.push(
        'objective is flat in some direction at the optimum (singular Hessian): some parameters are not identifiable from these points',
      );
    } else {
      covariance = inverse(new Matrix(H)).to2DArray();
      correlation = covariance.map((row, i) => row.map((v, j) => v / Math.sqrt(covariance![i][i] * covariance![j][j])));
      for (const [i, j] of pairs) {
        const c = correlation[i][j];
        if (Math.abs(c) > 0.95)
          warnings.push(
            `${names[i]} and ${names[j]} are strongly correlated at the optimum (corr ${c.toFixed(3)}): they are not separately identifiable`,
          );
      }
    }
  } catch {
    warnings.push('Hessian could not be decomposed');
  }
  return { hessian: H, covariance, correlation, conditionNumber: cond, warnings };
}
