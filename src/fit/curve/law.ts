/**
 * A learning-curve law within one run: loss as a function of x (steps or tokens).
 * All laws here are written for a DECREASING loss. Pure: no I/O, no vscode.
 */
export interface CurveParam {
  name: string;
  lower: number;
  upper: number;
}

export interface CurveLaw {
  id: string;
  name: string;
  /** KaTeX source of the formula, in the loss (decreasing) form we fit. */
  latex: string;
  /** Paper the law comes from (and the transformation we applied, if any). */
  source: string;
  params: CurveParam[];
  /** Smallest admissible x (exclusive): 0 for power/log laws, 1 for ilog2, -Infinity otherwise. */
  minX: number;
  /** Predicted loss at x. May return NaN/≤0 outside the law's domain; callers treat that as a bad fit. */
  predict(p: ArrayLike<number>, x: number): number;
  /** Predicted loss at x; writes dŷ/dp into g. */
  grad(p: ArrayLike<number>, x: number, g: Float64Array): number;
  /** Starting points for multi-start, from the (decimated, x-sorted) data. */
  starts(d: CurveData): number[][];
  /** Asymptotic loss as x → ∞ if the law has one (for `stepsToReach`), else undefined. */
  asymptote?(p: ArrayLike<number>): number;
  /**
   * Id of another law with the same functional form (a re-parametrisation): the automatic selection and the
   * model average skip this one, so that one form does not get two votes in the average.
   */
  sameAs?: string;
}

export interface CurveData {
  x: Float64Array;
  y: Float64Array;
}

/** Summary numbers most starting-point heuristics need. */
export function dataStats(d: CurveData): {
  xMin: number;
  xMax: number;
  yMin: number;
  yMax: number;
  yFirst: number;
  yLast: number;
} {
  let yMin = Infinity,
    yMax = -Infinity;
  for (const v of d.y) {
    if (v < yMin) yMin = v;
    if (v > yMax) yMax = v;
  }
  return { xMin: d.x[0], xMax: d.x[d.x.length - 1], yMin, yMax, yFirst: d.y[0], yLast: d.y[d.y.length - 1] };
}

/**
 * Least-squares line through (log x, log(y − c)) for an offset c below all y: returns [a, α] with
 * y − c ≈ a·x^(−α). Used to seed the power-type laws. Points with y ≤ c are skipped.
 */
export function powerSeed(d: CurveData, c: number): [number, number] {
  let n = 0,
    sx = 0,
    sy = 0,
    sxx = 0,
    sxy = 0;
  for (let i = 0; i < d.x.length; i++) {
    const v = d.y[i] - c;
    if (!(v > 0) || !(d.x[i] > 0)) continue;
    const lx = Math.log(d.x[i]),
      ly = Math.log(v);
    n++;
    sx += lx;
    sy += ly;
    sxx += lx * lx;
    sxy += lx * ly;
  }
  if (n < 2) return [1, 0.5];
  const den = n * sxx - sx * sx;
  const slope = den > 0 ? (n * sxy - sx * sy) / den : -0.5;
  const icpt = (sy - slope * sx) / n;
  const alpha = Math.min(Math.max(-slope, 0.01), 5);
  return [Math.exp(icpt), alpha];
}

/** Offsets to try for the asymptote: fractions of the observed range below the smallest loss. */
export function offsetCandidates(d: CurveData): number[] {
  const s = dataStats(d);
  const range = Math.max(s.yMax - s.yMin, 1e-12 * Math.abs(s.yMin) + 1e-300);
  return [s.yMin - 0.02 * range, s.yMin - 0.3 * range, Math.max(s.yMin - 2 * range, 0.05 * s.yMin)];
}
