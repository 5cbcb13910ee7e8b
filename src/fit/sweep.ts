/**
 * Fitting sweep laws (across runs). Chinchilla goes through its dedicated fitter; one-input laws
 * (saturating / pure power law) use the generic objective, the bounded L-BFGS and a multi-start grid.
 */
import type { FitFailed, FitOk, Law, LossSpec, SweepPointInput } from './types';
import { failed } from './types';
import { fitChinchilla, type ChinchillaOptions } from './chinchilla';
import { saturatingPowerLaw } from './laws/saturatingPower';
import { purePowerLaw } from './laws/purePower';
import { chinchillaLaw } from './laws/chinchilla';
import { logLaw } from './laws/logLaw';
import { exponentialLaw } from './laws/exponential';
import { bnsl1Law, bnsl2Law } from './laws/bnsl';
import { makeObjective } from './optim/objective';
import { multiStart } from './optim/multistart';
import { cartesian } from './optim/grid';
import { isNum } from './prepare';

export const SWEEP_LAWS: Law[] = [
  chinchillaLaw,
  saturatingPowerLaw,
  purePowerLaw,
  logLaw,
  exponentialLaw,
  bnsl1Law,
  bnsl2Law,
];

export interface SweepOptions extends ChinchillaOptions {
  law?: string;
  /** Input axis of one-input laws: 'x' | 'N' | 'D' | 'C' (default 'x', falling back to C, N). */
  axis?: 'x' | 'N' | 'D' | 'C';
  loss?: LossSpec;
}

export function fitSweep(points: readonly SweepPointInput[], opts: SweepOptions = {}): FitOk | FitFailed {
  try {
    const id = opts.law ?? 'chinchilla';
    if (id === 'chinchilla') return fitChinchilla(points, opts);
    if (id === 'chinchilla-shared') return fitChinchilla(points, { ...opts, sharedExponent: true });
    const law = SWEEP_LAWS.find((l) => l.id === id);
    if (!law) return failed(`unknown sweep law "${id}"`);
    return fitOneInput(law, points, opts);
  } catch (e) {
    return failed(`fit failed: ${(e as Error)?.message ?? String(e)}`);
  }
}

function axisValue(p: SweepPointInput, axis: SweepOptions['axis']): number | undefined {
  if (axis && axis !== 'x') return axis === 'N' ? (p.Neff ?? p.N) : p[axis];
  return p.x ?? p.C ?? p.N;
}

export function fitOneInput(law: Law, points: readonly SweepPointInput[], opts: SweepOptions): FitOk | FitFailed {
  const xs: number[] = [],
    ys: number[] = [],
    warnings: string[] = [];
  let dropped = 0,
    outOfDomain = 0;
  for (const p of Array.isArray(points) ? points : []) {
    const x = p ? axisValue(p, opts.axis) : undefined;
    if (!p || !isNum(x) || !isNum(p.loss)) {
      dropped++;
      continue;
    }
    if (law.invalidInput?.([x]) || !(p.loss > 0)) {
      outOfDomain++;
      continue;
    }
    xs.push(x);
    ys.push(p.loss);
  }
  if (dropped) warnings.push(`dropped ${dropped} point(s) with a missing or non-finite value`);
  if (outOfDomain)
    warnings.push(`dropped ${outOfDomain} point(s) outside the law's domain (x and loss must be positive)`);
  const P = law.params.length;
  if (xs.length < P) return failed(`not enough points: ${xs.length} < ${P} parameters`, warnings, law.id);
  if (new Set(ys).size < 2) warnings.push('the loss is constant: exponents are not identifiable');
  if (new Set(xs).size < 2) return failed('all points have the same x: the law cannot be fitted', warnings, law.id);
  const loss = opts.loss ?? law.defaultLoss;
  const data = { inputs: [Float64Array.from(xs)], y: Float64Array.from(ys) };
  const fg = makeObjective(law, data, loss);
  const grid = cartesian(law.params.map((p) => p.grid ?? [0.5 * (Math.max(p.lower, -10) + Math.min(p.upper, 10))]));
  // data-driven starts (e.g. BNSL's breaks at quantiles of log x) in addition to the grid
  let init: number[][] = [];
  try {
    init = law.init ? law.init(data).filter((s) => s.length === grid.dim && s.every(Number.isFinite)) : [];
  } catch {
    init = [];
  }
  const starts = init.length ? Float64Array.from([...grid.data, ...init.flat()]) : grid.data;
  const ms = multiStart(fg, starts, grid.dim, {
    lower: law.params.map((p) => p.lower),
    upper: law.params.map((p) => p.upper),
    gtol: 1e-10,
    ftol: 1e-13,
    maxIter: 2000,
  });
  if (!ms) return failed('no start produced a finite objective', warnings, law.id);
  const raw = Array.from(ms.best.x);
  law.params.forEach((p, i) => {
    if (raw[i] <= p.lower + 1e-9 || raw[i] >= p.upper - 1e-9) warnings.push(`${p.name} hit its bound (${raw[i]})`);
  });
  const flat = flatFitWarning(law, raw, xs, ys);
  if (flat) warnings.push(flat);
  let sse = 0;
  for (let i = 0; i < xs.length; i++) {
    const yh = law.predict(raw, [xs[i]]);
    const r = loss.space === 'log' ? Math.log(ys[i]) - Math.log(yh) : ys[i] - yh;
    sse += r * r;
  }
  return {
    ok: true,
    status: 'ok',
    lawId: law.id,
    paramNames: law.params.map((p) => p.name),
    raw,
    params: law.natural ? law.natural(raw) : Object.fromEntries(law.params.map((p, i) => [p.name, raw[i]])),
    objective: ms.best.f,
    loss,
    n: xs.length,
    converged: ms.best.converged,
    iterations: ms.totalIterations,
    starts: ms.starts,
    distinctOptima: ms.distinct.length,
    rmse: Math.sqrt(sse / xs.length),
    warnings,
    diagnostics: { reason: ms.best.reason, gradNorm: ms.best.gradNorm },
  };
}

/**
 * A fitted curve that barely moves across the data while the data do (e.g. the exponential law on rising
 * data, whose τ runs off to ~1e13): the law cannot follow the trend and its parameters mean nothing.
 */
export function flatFitWarning(law: Law, raw: number[], xs: number[], ys: number[]): string | null {
  let iMin = 0,
    iMax = 0;
  for (let i = 1; i < xs.length; i++) {
    if (xs[i] < xs[iMin]) iMin = i;
    if (xs[i] > xs[iMax]) iMax = i;
  }
  const yRange = Math.max(...ys) - Math.min(...ys);
  if (!(yRange > 0)) return null;
  const move = Math.abs(law.predict(raw, [xs[iMax]]) - law.predict(raw, [xs[iMin]]));
  if (move >= 0.05 * yRange) return null;
  // Least-squares slope of y on log x: which way the data go.
  const lx = xs.map((x) => Math.log(x)),
    mx = lx.reduce((a, v) => a + v, 0) / lx.length,
    my = ys.reduce((a, v) => a + v, 0) / ys.length;
  let c = 0;
  for (let i = 0; i < lx.length; i++) c += (lx[i] - mx) * (ys[i] - my);
  const trend = c > 0 ? 'rise' : 'fall';
  return `degenerate fit: the fitted ${law.id} curve is flat over the data (it moves ${move.toPrecision(2)} while the data span ${yRange.toPrecision(2)}) — ${c > 0 ? `the data ${trend} with x and this law can only fall` : 'the law cannot follow the data'}; its parameters (${Object.entries(
    law.natural ? law.natural(raw) : {},
  )
    .map(([k, v]) => `${k} = ${v.toPrecision(3)}`)
    .join(', ')}) are not meaningful`;
}
