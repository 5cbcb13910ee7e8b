/**
 * The sweep law selector: which law is fitted across runs, and the one-input laws (a saturating or pure power law,
 * a log law, an exponential law) fitted along one axis — N, D or C — for sweeps where only one of them varies
 * (a points table of model sizes at a fixed token budget, a data-scaling sweep, compute-only tables). Pure; runs
 * in the worker.
 *
 * Law ids: `auto`, `chinchilla`, `chinchilla-shared`, and `<law>@<axis>` for one-input laws, e.g.
 * `saturating-power@N` for L(N) = E + A·N^(−α).
 *
 * `auto` fits the candidates that suit the data — Chinchilla L(N, D) and a saturating power law in C when N and D
 * both vary, the one-input laws along the varying axis otherwise — and keeps the one with the lowest held-out error
 * (fitted on the smaller 75 % of the points, log-RMSE on the larger 25 %: the extrapolation a sweep is for), or the
 * lowest AIC with fewer than 8 points.
 */
import type { Law, SweepPointInput } from '../fit/types';
import type { LawOption, SweepFitView, SweepPoint } from '../protocol';
import { fitOneInput } from '../fit/sweep';
import { saturatingPowerLaw } from '../fit/laws/saturatingPower';
import { purePowerLaw } from '../fit/laws/purePower';
import { logLaw } from '../fit/laws/logLaw';
import { exponentialLaw } from '../fit/laws/exponential';
import { bnsl1Law, bnsl2Law } from '../fit/laws/bnsl';
import { AUTO_MIN_POINTS } from '../fit/select';
import { makeObjective } from '../fit/optim/objective';
import { multiStart } from '../fit/optim/multistart';
import { mulberry32, percentile } from '../fit/bootstrap';
import { rememberPredictor } from './sweepPredictor';

export type SweepAxis = 'N' | 'D' | 'C';
export const AXES: readonly SweepAxis[] = ['N', 'D', 'C'];
const AXIS_NAME: Record<SweepAxis, string> = { N: 'parameters N', D: 'tokens D', C: 'compute C' };

/** One-input laws offered across runs (the broken power laws of Caballero et al. 2023 last). */
export const ONE_INPUT_LAWS: readonly Law[] = [
  saturatingPowerLaw,
  purePowerLaw,
  logLaw,
  exponentialLaw,
  bnsl1Law,
  bnsl2Law,
];

export type ParsedSweepLaw =
  { kind: 'auto' } | { kind: 'chinchilla'; shared: boolean } | { kind: 'one'; law: Law; axis: SweepAxis };

export function parseSweepLaw(id: string): ParsedSweepLaw | undefined {
  if (id === 'auto') return { kind: 'auto' };
  if (id === 'chinchilla' || id === 'chinchilla-shared')
    return { kind: 'chinchilla', shared: id === 'chinchilla-shared' };
  const m = /^([a-z0-9-]+)@([NDC])$/.exec(id);
  const law = m ? ONE_INPUT_LAWS.find((l) => l.id === m[1]) : undefined;
  return law ? { kind: 'one', law, axis: m![2] as SweepAxis } : undefined;
}

/** The formula of a one-input law with its input written as the axis (x → N). */
export function axisLatex(law: Law, axis: SweepAxis): string {
  return law.latex.replace(/\bx\b/g, axis);
}

export function sweepLawName(id: string): string {
  const p = parseSweepLaw(id);
  if (!p) return id;
  if (p.kind === 'auto') return 'Automatic (lowest held-out error)';
  if (p.kind === 'chinchilla')
    return p.shared ? 'Chinchilla with a shared exponent α = β' : 'Chinchilla L(N, D) = E + A/N^α + B/D^β';
  return `${p.law.name} in ${AXIS_NAME[p.axis]}`;
}

export function sweepLawOptions(): LawOption[] {
  const ids = ['auto', 'chinchilla', 'chinchilla-shared'];
  for (const axis of AXES) for (const l of ONE_INPUT_LAWS) ids.push(`${l.id}@${axis}`);
  return ids.map((id) => ({ id, name: sweepLawName(id), scope: 'sweep' as const }));
}

// ---------------------------------------------------------------------------------------------------------------
// Data helpers

/** The points' values along an axis. */
export function axisValues(points: readonly SweepPoint[], axis: SweepAxis): number[] {
  return points.map((p) => p[axis]);
}

/** An axis varies when its values span more than 5 % (points tables repeat N or D across rows). */
export function varies(values: readonly number[]): boolean {
  const v = values.filter((x) => Number.isFinite(x) && x > 0);
  if (v.length < 2) return false;
  return Math.max(...v) > 1.05 * Math.min(...v);
}

/** Which candidates `auto` compares for these points (the broken power laws only from AUTO_MIN_POINTS points). */
export function autoCandidates(points: readonly SweepPoint[]): string[] {
  const vN = varies(axisValues(points, 'N')),
    vD = varies(axisValues(points, 'D'));
  if (vN && vD) return ['chinchilla', 'saturating-power@C'];
  const axis: SweepAxis = vN ? 'N' : vD ? 'D' : 'C';
  return ONE_INPUT_LAWS.filter((l) => points.length >= (AUTO_MIN_POINTS[l.id] ?? 0)).map((l) => `${l.id}@${axis}`);
}

/** Indices of the points sorted by an axis, split into the smaller (train) and larger (held-out) parts. */
export function holdoutSplit(values: readonly number[], fraction = 0.25): { train: number[]; test: number[] } {
  const idx = values.map((_, i) => i).sort((a, b) => values[a] - values[b] || a - b);
  const k = Math.max(1, Math.round(idx.length * fraction));
  return { train: idx.slice(0, idx.length - k), test: idx.slice(idx.length - k) };
}

/** log-RMSE of predictions against losses. */
export function logRmse(loss: readonly number[], pred: readonly number[]): number {
  let s = 0;
  for (let i = 0; i < loss.length; i++) s += (Math.log(loss[i]) - Math.log(pred[i])) ** 2;
  return Math.sqrt(s / loss.length);
}

/** R² of log loss: 1 − SS_res / SS_tot. */
export function logR2(loss: readonly number[], pred: readonly number[]): number {
  const ly = loss.map(Math.log);
  const mean = ly.reduce((s, v) => s + v, 0) / ly.length;
  let res = 0,
    tot = 0;
  for (let i = 0; i < ly.length; i++) {
    res += (ly[i] - Math.log(pred[i])) ** 2;
    tot += (ly[i] - mean) ** 2;
  }
  return tot > 0 ? 1 - res / tot : NaN;
}

/** AIC from the Gaussian log-likelihood of log residuals: n·log(RSS/n) + 2k. */
export function aic(n: number, rmse: number, k: number): number {
  return n * Math.log(Math.max(rmse * rmse, 1e-300)) + 2 * k;
}

function logSpace(a: number, b: number, n: number): number[] {
  const la = Math.log10(a),
    lb = Math.log10(b);
  return Array.from({ length: n }, (_, i) => 10 ** (la + ((lb - la) * i) / (n - 1)));
}

// ---------------------------------------------------------------------------------------------------------------
// One-input fits

export interface OneInputFit {
  ok: true;
  law: Law;
  axis: SweepAxis;
  raw: number[];
  params: Record<string, number>;
  objective: number;
  n: number;
  rmse: number;
  warnings: string[];
}

function inputsAlong(points: readonly SweepPoint[], axis: SweepAxis): SweepPointInput[] {
  return points.map((p, i) => ({ x: p[axis], loss: p.loss, group: p.runId ?? i, label: p.label }));
}

export function fitAlong(
  law: Law,
  axis: SweepAxis,
  points: readonly SweepPoint[],
): OneInputFit | { ok: false; reason: string; warnings: string[] } {
  const r = fitOneInput(law, inputsAlong(points, axis), { axis: 'x' });
  if (!r.ok) return { ok: false, reason: r.reason, warnings: r.warnings };
  return {
    ok: true,
    law,
    axis,
    raw: r.raw,
    params: r.params,
    objective: r.objective,
    n: r.n,
    rmse: r.rmse,
    warnings: r.warnings,
  };
}

export function predictAlong(fit: Pick<OneInputFit, 'law' | 'raw'>, x: number): number {
  return fit.law.predict(fit.raw, [x]);
}

/**
 * Percentile intervals of the law's named parameters over bootstrap replicates (raw parameter vectors from
 * `bootstrapAlong`); none when fewer than `minReplicates` succeeded.
 */
export function paramIntervals(
  fit: Pick<OneInputFit, 'law' | 'params'>,
  boot: number[][],
  confidence: number,
  minReplicates = 20,
): Record<string, [number, number]> {
  const law = fit.law,
    lo = (1 - confidence) / 2,
    out: Record<string, [number, number]> = {};
  const nat = boot.map((r) =>
    law.natural ? law.natural(r) : Object.fromEntries(law.params.map((q, i) => [q.name, r[i]])),
  );
  for (const k of Object.keys(fit.params)) {
    const v = nat
      .map((q) => q[k])
      .filter(Number.isFinite)
      .sort((a, b) => a - b);
    if (v.length >= minReplicates) out[k] = [percentile(v, lo), percentile(v, 1 - lo)];
  }
  return out;
}

/** Bootstrap over points (multiplicity weights), each replicate refitted from the full-data optimum. */
export function bootstrapAlong(fit: OneInputFit, points: readonly SweepPoint[], B: number, seed = 1): number[][] {
  const xs: number[] = [],
    ys: number[] = [];
  for (const p of points) {
    const x = p[fit.axis];
    if (Number.isFinite(x) && Number.isFinite(p.loss) && p.loss > 0 && !fit.law.invalidInput?.([x])) {
      xs.push(x);
      ys.push(p.loss);
    }
  }
  const n = xs.length;
  const rnd = mulberry32(seed);
  const lower = fit.law.params.map((q) => q.lower),
    upper = fit.law.params.map((q) => q.upper);
  const out: number[][] = [];
  for (let b = 0; b < B; b++) {
    const w = new Float64Array(n);
    for (let i = 0; i < n; i++) w[Math.floor(rnd() * n)] += 1;
    const fg = makeObjective(
      fit.law,
      { inputs: [Float64Array.from(xs)], y: Float64Array.from(ys), weights: w },
      fit.law.defaultLoss,
    );
    const ms = multiStart(fg, [fit.raw], fit.raw.length, { lower, upper, gtol: 1e-10, ftol: 1e-13, maxIter: 500 });
    if (ms && Number.isFinite(ms.best.f)) out.push(Array.from(ms.best.x));
  }
  return out;
}

/**
 * The law's value at x and its bootstrap band: the [lo, hi] percentiles of the replicates' values (widened to hold
 * the fitted value), none with fewer than 20 replicates. The sweep view and *Predict at…* both answer with it.
 */
export function bandAlong(
  law: Law,
  raw: number[],
  boot: readonly number[][],
  x: number,
  lo: number,
  hi: number,
): { value: number; lower: number; upper: number } {
  const value = law.predict(raw, [x]);
  const v = boot
    .map((r) => law.predict(r, [x]))
    .filter(Number.isFinite)
    .sort((a, b) => a - b);
  return v.length >= 20
    ? { value, lower: Math.min(percentile(v, lo), value), upper: Math.max(percentile(v, hi), value) }
    : { value, lower: value, upper: value };
}

/** Held-out log-RMSE of a law id on these points (fitted on the smaller 75 % along its axis). */
export function backtestOne(law: Law, axis: SweepAxis, points: readonly SweepPoint[]): number | undefined {
  const { train, test } = holdoutSplit(axisValues(points, axis));
  if (train.length < law.params.length + 1) return undefined;
  const f = fitAlong(
    law,
    axis,
    train.map((i) => points[i]),
  );
  if (!f.ok) return undefined;
  const pred = test.map((i) => predictAlong(f, points[i][axis]));
  return pred.every((v) => v > 0 && Number.isFinite(v))
    ? logRmse(
        test.map((i) => points[i].loss),
        pred,
      )
    : Infinity;
}

export interface OneInputViewOptions {
  confidence: number;
  bootstrap: number;
  predict?: { axis: SweepAxis; value: number };
}

/** The sweep view of a one-input law (Fit details, the sweep chart, predictions along its axis). */
export function oneInputView(
  law: Law,
  axis: SweepAxis,
  used: SweepPoint[],
  all: SweepPoint[],
  o: OneInputViewOptions,
): SweepFitView {
  const id = `${law.id}@${axis}`;
  const fit = fitAlong(law, axis, used);
  if (!fit.ok) return { ok: false, law: id, reason: fit.reason, warnings: fit.warnings, points: all };
  const lo = (1 - o.confidence) / 2,
    hi = 1 - lo;
  const boot = o.bootstrap > 0 ? bootstrapAlong(fit, used, Math.min(o.bootstrap, 200)) : [];
  const iv = paramIntervals(fit, boot, o.confidence);
  const params = Object.keys(fit.params).map((k) => ({
    name: k,
    value: fit.params[k],
    ...(iv[k] ? { lower: iv[k][0], upper: iv[k][1] } : {}),
  }));
  const warnings = [...fit.warnings];
  if (o.bootstrap > 0 && boot.length < 20) warnings.push('too few successful bootstrap refits for intervals');
  if (used.length < 10) warnings.push(`only ${used.length} points: treat extrapolations with caution`);
  const xs = used.map((p) => p[axis]).filter((x) => x > 0);
  const xMin = Math.min(...xs),
    xMax = Math.max(...xs);
  const pred = used.map((p) => predictAlong(fit, p[axis]));
  const band = (x: number) => bandAlong(law, fit.raw, boot, x, lo, hi);
  const curve = { x: [] as number[], y: [] as number[], lower: [] as number[], upper: [] as number[] };
  for (const x of logSpace(xMin / 2, xMax * 100, 80)) {
    const b = band(x);
    if (!(b.value > 0) || !Number.isFinite(b.value)) continue;
    curve.x.push(x);
    curve.y.push(b.value);
    curve.lower.push(b.lower);
    curve.upper.push(b.upper);
  }
  const backtestError = backtestOne(law, axis, used);
  const view: SweepFitView = {
    ok: true,
    law: id,
    lawName: sweepLawName(id),
    latex: axisLatex(law, axis),
    axis,
    params,
    objective: fit.objective,
    n: fit.n,
    points: all,
    curve,
    logRmse: logRmse(
      used.map((p) => p.loss),
      pred,
    ),
    r2: logR2(
      used.map((p) => p.loss),
      pred,
    ),
    backtestError,
    explanation:
      `${law.name} in ${AXIS_NAME[axis]} fitted on ${fit.n} points (${law.defaultLoss.kind === 'huber' ? `Huber δ = ${law.defaultLoss.delta}` : 'least squares'} on log residuals, multi-start L-BFGS)` +
      (boot.length
        ? `; ${Math.round(o.confidence * 100)} % intervals from ${boot.length} bootstrap refits over points.`
        : '.') +
      ` Source: ${law.source}.`,
    warnings,
  };
  rememberPredictor(view, {
    kind: 'one',
    law: id,
    lawName: view.lawName ?? id,
    axis,
    raw: fit.raw,
    boot,
    confidence: o.confidence,
  });
  if (o.predict) {
    if (o.predict.axis !== axis)
      view.predictionError = `${view.lawName} predicts along ${axis} only; choose ${axis} to predict, or a Chinchilla law for compute-optimal predictions.`;
    else {
      const b = band(o.predict.value);
      view.prediction = { axis, at: o.predict.value, value: b.value, lower: b.lower, upper: b.upper };
    }
  }
  return view;
}
