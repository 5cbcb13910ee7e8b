/**
 * Shared types of the fitting engine (pure: no `vscode`, runs in a worker_thread and in the CLI).
 *
 * A `Law` is one small object describing a parametric scaling law. Its parameters are expressed in the
 * *fit space* the optimiser works in (e.g. Chinchilla's `a = log A`); `natural()` maps them back to the
 * values shown to users (A = e^a). `predict` and `gradient` take fit-space parameters.
 */

/** One fitted parameter, in fit space. */
export interface ParamSpec {
  name: string;
  /** Box bounds used by the optimiser (may be ±Infinity). */
  lower: number;
  upper: number;
  /** Values used to build the multi-start grid (cartesian product over all parameters that have one). */
  grid?: number[];
  /** The parameter is the log of a positive quantity (display and interval hints). */
  logScale?: boolean;
  description?: string;
}

/** Observations for a fit, column-major: `inputs[k][i]` is input `law.inputs[k]` of point i. */
export interface Dataset {
  inputs: Float64Array[];
  y: Float64Array;
  /** Optional non-negative weights per point (default 1). */
  weights?: Float64Array;
  /** Optional group id per point (e.g. run index) for grouped bootstrap / backtests. */
  groups?: Int32Array;
}

/** How residuals are measured and penalised. */
export interface LossSpec {
  /** `log`: r = log y − log ŷ (needs y, ŷ > 0); `linear`: r = y − ŷ. */
  space: 'log' | 'linear';
  /** `huber` with threshold `delta` (scipy.special.huber convention), or plain squared error r²/2. */
  kind: 'huber' | 'squared';
  delta?: number;
}

export interface Law {
  id: string;
  name: string;
  /** KaTeX source of the law in natural parameters. */
  latex: string;
  /** The paper (or papers) the law comes from. */
  source: string;
  scope: 'sweep' | 'curve';
  /** Names of the inputs, e.g. ['x'] or ['N', 'D']. */
  inputs: string[];
  /** Fit-space parameters. */
  params: ParamSpec[];
  /** Residual space / loss the law is usually fitted with. */
  defaultLoss: LossSpec;
  /** Prediction at one point (`x[k]` = input k) for fit-space parameters `p`. */
  predict(p: ArrayLike<number>, x: ArrayLike<number>): number;
  /** Analytic gradient d predict / d p written into `g`; returns the prediction. */
  gradient?(p: ArrayLike<number>, x: ArrayLike<number>, g: Float64Array): number;
  /**
   * Analytic gradient of log predict (for log-space residuals) written into `g`; returns log predict.
   * Optional; derived from `gradient` when missing.
   */
  logGradient?(p: ArrayLike<number>, x: ArrayLike<number>, g: Float64Array): number;
  /** Data-driven starting points (fit space), tried in addition to the grid. */
  init?(data: Dataset): number[][];
  /** Fit-space parameters → natural parameters for display (defaults to identity by name). */
  natural?(p: ArrayLike<number>): Record<string, number>;
  /** Input constraint check (e.g. x > 0 under a power law); returns a reason when point i is unusable. */
  invalidInput?(x: ArrayLike<number>): string | null;
}

/** Catalog entry for `listLaws()` (what `scaling-lens laws` prints). */
export interface LawInfo {
  id: string;
  name: string;
  latex: string;
  source: string;
  scope: 'sweep' | 'curve';
  inputs: string[];
  params: { name: string; lower: number; upper: number }[];
}

/** Convergence diagnostics of a local optimisation. */
export interface OptimResult {
  x: Float64Array;
  f: number;
  /** Infinity-norm of the projected gradient at `x`. */
  gradNorm: number;
  iterations: number;
  evaluations: number;
  converged: boolean;
  /** Why the optimiser stopped, e.g. "projected gradient ≤ gtol", "max iterations". */
  reason: string;
}

/** Objective with gradient: returns f(x) and, when `g` is given, writes ∇f(x) into it. */
export type ObjectiveFn = (x: Float64Array, g: Float64Array | null) => number;

export interface Interval {
  lower: number;
  upper: number;
}

export interface FitOk {
  ok: true;
  status: 'ok';
  lawId: string;
  /** Fit-space parameter names and values (what the optimiser returned). */
  paramNames: string[];
  raw: number[];
  /** Natural parameters (e.g. A, B, E, alpha, beta). */
  params: Record<string, number>;
  /** Percentile intervals of natural parameters (from a bootstrap), when computed. */
  intervals?: Record<string, Interval>;
  /** Objective value at the optimum (as defined by `loss`, summed over points). */
  objective: number;
  loss: LossSpec;
  /** Points used. */
  n: number;
  converged: boolean;
  iterations: number;
  /** Multi-start details. */
  starts?: number;
  distinctOptima?: number;
  /** Root-mean-square residual in the residual space. */
  rmse: number;
  /** Human-readable warnings: dropped points, non-identifiability, bounds hit, … */
  warnings: string[];
  diagnostics: Record<string, number | string | boolean>;
}

export interface FitFailed {
  ok: false;
  status: 'failed';
  lawId?: string;
  reason: string;
  warnings: string[];
}

export type FitResult = FitOk | FitFailed;

/** Status-style result for helpers that can fail on bad input. */
export type Result<T> = ({ ok: true } & T) | { ok: false; reason: string };

export function failed(reason: string, warnings: string[] = [], lawId?: string): FitFailed {
  return { ok: false, status: 'failed', reason, warnings, lawId };
}

/**
 * One point of a sweep (one finished run). Sweep laws read what they need: Chinchilla uses N and D (D from
 * C/(6N) when missing), one-input laws use `x` (or the axis named in the fit options).
 */
export interface SweepPointInput {
  /** Total parameter count. */
  N?: number;
  /** Effective (average active) parameter count, e.g. for sparse/MoE runs; overrides N when present. */
  Neff?: number;
  /** Training tokens. */
  D?: number;
  /** Training compute in FLOP. */
  C?: number;
  /** Generic input for one-input laws. */
  x?: number;
  /** Final loss (or the metric being modelled). */
  loss: number;
  /** Run / group identifier (bootstrap over runs, backtests). */
  group?: string | number;
  label?: string;
}
