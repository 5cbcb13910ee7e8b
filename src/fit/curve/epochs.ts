/**
 * Multi-epoch runs (issue 12). A fine-tune of 2–5 epochs over the same data may step down in its training loss at
 * each epoch boundary: the model sees each example again and the loss on it is lower the second time (memorisation;
 * Muennighoff et al. 2023, "Scaling Data-Constrained Language Models", on repeated data). No curve law fitted on a
 * prefix forecasts that step. What the product does with it (session 31, README "Multi-epoch runs"): it reads the
 * run's epoch length from its logged `epoch` series (`stepsPerEpochOf`, into CurveJob.stepsPerEpoch) and, when the
 * forecast's horizon lies one or more epoch boundaries beyond the last logged step, says so next to the LR-schedule
 * note (`epochNote`: hover, status-bar tooltip, fit details). The forecast and its band are not changed: the rules
 * studied for a step or a wider lower side (bench/epochRule.ts, bench/epochBandStudy.ts) did not pass their landing
 * rules on the 65 corpus curves whose epochs are stated. Pure; no `vscode` import.
 */

/** Fewer logged points per epoch (median spacing) and an epoch has no within-epoch curve to step from. */
export const MIN_POINTS_PER_EPOCH = 4;

/** The median of the finite values of `v` (NaN when none). */
export function medianOf(v: number[]): number {
  const a = v.filter(Number.isFinite).sort((p, q) => p - q);
  if (!a.length) return NaN;
  return a.length % 2 ? a[a.length >> 1] : (a[a.length / 2 - 1] + a[a.length / 2]) / 2;
}

/** Median step between consecutive logged points that move forward; undefined when none does. */
export function medianSpacing(step: ArrayLike<number>): number | undefined {
  const g: number[] = [];
  for (let i = 1; i < step.length; i++) if (step[i] > step[i - 1]) g.push(step[i] - step[i - 1]);
  return g.length ? medianOf(g) : undefined;
}

/** Whether points logged at `step` fall at least MIN_POINTS_PER_EPOCH times an epoch of `stepsPerEpoch` steps. */
export function loggedWithinEpochs(step: ArrayLike<number>, stepsPerEpoch: number): boolean {
  return stepsPerEpoch / (medianSpacing(step) ?? NaN) >= MIN_POINTS_PER_EPOCH;
}

/**
 * Steps per epoch from a logged epoch series (HF Trainer's fractional `epoch`, LLaMA-Factory's `epoch`, an
 * `Epoch k/E` counter): fractional values give the median of step / epoch; an integer counter the median number of
 * steps between the first steps of consecutive epochs (at least two changes). undefined when neither holds.
 */
export function stepsPerEpochOf(step: ArrayLike<number>, epoch: ArrayLike<number>): number | undefined {
  const n = Math.min(step.length, epoch.length);
  const pts: [number, number][] = [];
  for (let i = 0; i < n; i++) if (Number.isFinite(step[i]) && Number.isFinite(epoch[i])) pts.push([step[i], epoch[i]]);
  if (pts.length < 2) return undefined;
  const integer = pts.every(([, e]) => Math.abs(e - Math.round(e)) < 1e-9);
  if (!integer) {
    const r = medianOf(pts.filter(([s, e]) => e >= 0.05 && s > 0).map(([s, e]) => s / e));
    return Number.isFinite(r) && r > 0 ? r : undefined;
  }
  const firsts: number[] = [];
  for (let i = 1; i < pts.length; i++) if (pts[i][1] > pts[i - 1][1]) firsts.push(pts[i][0]);
  if (firsts.length < 2) return undefined;
  const d = medianOf(firsts.slice(1).map((s, i) => s - firsts[i]));
  return Number.isFinite(d) && d > 0 ? d : undefined;
}

/**
 * Boundaries k·L (k ≥ 1) strictly before x: how many steps down a point logged at step x has seen. A point logged
 * at a boundary closes the epoch before it (HF Trainer logs the mean loss of the steps up to it), and the planned
 * end E·L is the run's end, not a step.
 */
export function boundariesBefore(x: number, stepsPerEpoch: number): number {
  return x > 0 && stepsPerEpoch > 0 ? Math.max(0, Math.ceil(x / stepsPerEpoch - 1e-9) - 1) : 0;
}

/** Epoch boundaries between the last logged step and the horizon (0 when the length is unknown or none lies ahead). */
export function boundariesAhead(lastStep: number, horizon: number, stepsPerEpoch: number | undefined): number {
  if (!(stepsPerEpoch && stepsPerEpoch > 0) || !(horizon > lastStep)) return 0;
  return Math.max(0, boundariesBefore(horizon, stepsPerEpoch) - boundariesBefore(lastStep, stepsPerEpoch));
}

const count = (v: number) => Math.round(v).toLocaleString('en-US');

/**
 * The note the editor shows when a forecast crosses epoch boundaries, or undefined when it crosses none (or the
 * epoch length is unknown). Runs logged once or a few times an epoch (fewer than MIN_POINTS_PER_EPOCH points) have
 * no within-epoch curve: their steps are part of the curve the laws fit, and no note is shown.
 */
export function epochNote(input: {
  lastStep: number;
  horizon: number;
  stepsPerEpoch?: number;
  /** median spacing of the logged points, in steps */
  spacing?: number;
}): string | undefined {
  const { lastStep, horizon, stepsPerEpoch: L, spacing } = input;
  const ahead = boundariesAhead(lastStep, horizon, L);
  if (!ahead || !L) return undefined;
  if (spacing !== undefined && !(L / spacing >= MIN_POINTS_PER_EPOCH)) return undefined;
  return `${ahead} epoch boundar${ahead === 1 ? 'y' : 'ies'} ahead (epoch of ${count(L)} steps): the loss may step down at ${ahead === 1 ? 'it' : 'each'} (repeated data); neither the forecast nor its band allows for that step`;
}
