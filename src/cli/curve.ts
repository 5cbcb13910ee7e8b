/** Picking one run's curve (x = step or tokens, y = metric) for curve fits and forecasts. */
import type { Run } from '../ingest/types';
import { DataError, UsageError } from './errors';
import type { Loaded } from './load';
import { pickMetric } from './load';

export interface RunCurve {
  run: Run;
  metric: string;
  x: number[];
  y: number[];
  /** Multiply steps by this to get the x axis (1 for steps). */
  xPerStep: number;
  axis: 'step' | 'tokens';
  /** First step of a trailing run of NaN/inf values (the run diverged there), or null. */
  divergedAt: number | null;
}

/** Step where the series turns non-finite for good (NaN/inf to the end), or null. */
export function divergence(step: ArrayLike<number>, value: ArrayLike<number>): number | null {
  let at: number | null = null;
  for (let i = value.length - 1; i >= 0 && !Number.isFinite(value[i]); i--) at = step[i];
  return at;
}

/** The warning fit/predict attach when the curve ends in NaN/inf. */
export function divergenceWarning(c: RunCurve): string | null {
  return c.divergedAt === null
    ? null
    : `${c.metric} turns NaN/inf at step ${c.divergedAt} and stays so: the run diverged; the fit uses the finite points before it and cannot forecast the divergence`;
}

/** The single run the command works on (`--run ID` picks one by id substring when several were read). */
export function oneRun(loaded: Loaded, runSel: string | undefined, command: string): Run {
  let runs = loaded.runs;
  if (runSel) runs = runs.filter((r) => r.id === runSel || r.id.includes(runSel));
  if (runs.length === 0)
    throw new DataError(runSel ? `no run matches --run ${runSel}` : 'no run found in the given paths');
  if (runs.length > 1) {
    throw new UsageError(
      `${command} works on one run but ${runs.length} were found; pick one with --run ID:\n  ${runs
        .slice(0, 20)
        .map((r) => r.id)
        .join('\n  ')}`,
      command,
    );
  }
  return runs[0];
}

export function runCurve(run: Run, metric: string | undefined, axis: string | undefined, command: string): RunCurve {
  const m = pickMetric(run, metric);
  if (!m)
    throw new DataError(
      `run ${run.id} has no metric ${metric ?? 'val/loss or train/loss'} (has: ${Object.keys(run.metrics).join(', ') || 'none'})`,
    );
  const ax = axis ?? 'step';
  if (ax !== 'step' && ax !== 'tokens')
    throw new UsageError(`--x must be step or tokens for a curve fit, got "${ax}"`, command);
  let xPerStep = 1;
  if (ax === 'tokens') {
    const tps = run.meta.tokensPerStep?.value;
    if (!(tps && tps > 0)) throw new DataError(`run ${run.id}: tokens per step unknown, cannot use --x tokens`);
    xPerStep = tps;
  }
  const s = run.metrics[m];
  return {
    run,
    metric: m,
    x: Array.from(s.step, (v) => v * xPerStep),
    y: Array.from(s.value),
    xPerStep,
    axis: ax,
    divergedAt: divergence(s.step, s.value),
  };
}
