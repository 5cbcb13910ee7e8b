/**
 * Fit jobs: what the extension host asks the fitting worker to compute, and the views it gets back.
 * Pure (no `vscode`): the worker runs `runFitJob`, unit tests call it directly.
 */
import type { CurveFitView, SweepFitView, SweepPoint } from '../protocol';
import type { SweepPointInput } from '../fit/types';
import { curveJob, sweepJob } from './fitViews';
import type { FormatId } from '../ingest/types';
import type { ForecastPlan } from './runState';
import { approachDisagreement, identifiabilityWarnings } from './format';
import { readerFor } from '../ingest/registry';
import { linesOfPoints, offsetsOfPoints } from './locate';
import { readFileSync } from 'node:fs';
import { tableJob, type TableJob, type TableFitView } from './tableJob';
import { predictorOf, type SweepPredictor } from './sweepPredictor';
import { stepsPerEpochOf } from '../fit/curve/epochs';

/** Files larger than this are not re-read to locate problems (the diagnostic goes on the last line instead). */
export const LOCATE_MAX_BYTES = 256 * 1024 * 1024;

/** Byte offsets of the records of given points, for binary formats (index → offset pairs). */
function locateRecords(job: LocateJob): [number, number][] {
  const reader = readerFor(job.format);
  if (reader?.kind !== 'binary') return [];
  const bytes = readFileSync(job.path);
  if (bytes.length > LOCATE_MAX_BYTES) return [];
  return [...offsetsOfPoints(reader, job.path, bytes, job.metric, job.indices, job.runId)];
}

function locateJob(job: LocateJob): [number, number][] {
  const reader = readerFor(job.format);
  if (reader?.kind !== 'text') return [];
  const text = readFileSync(job.path, 'utf8');
  if (text.length > LOCATE_MAX_BYTES) return [];
  return [...linesOfPoints(reader, job.path, text, job.metric, job.indices, job.runId)];
}

export interface CurveJob {
  kind: 'curve';
  runId: string;
  metric: string;
  /** Float64Array when sent from a series (structured clone copies it as one block). */
  step: number[] | Float64Array;
  y: number[] | Float64Array;
  /** Planned final step (forecast horizon); when unknown and no `plan` says otherwise, 2× the last step (stated). */
  totalSteps?: number;
  /**
   * What to forecast given the run's state (src/model/runState.ts `forecastPlan`): nothing (finished, diverged),
   * a what-if to step X (stopped early), the planned end or an assumed end, stated. `atStep` overrides it.
   */
  plan?: ForecastPlan;
  /** Forecast at this step instead of the planned final step ("Predict at…"). */
  atStep?: number;
  /** Logged LR series (for schedule-aware laws), when the run has one. */
  lr?: { step: number[] | Float64Array; value: number[] | Float64Array };
  targetLoss?: number | null;
  law: string;
  confidence: number;
  /** Seconds per step (from wall times), for ETAs. */
  secondsPerStep?: number;
  /** Finished runs of the same sweep (same metric), for the sweep prior on the final loss (src/fit/curve/sweepPrior.ts). */
  siblings?: { id: string; x: number[] | Float64Array; y: number[] | Float64Array }[];
  /**
   * Steps per epoch, from the run's logged `epoch` series (`epochLengthOf`), when it has one: the forecast says how
   * many epoch boundaries lie between the last logged step and the horizon (src/fit/curve/epochs.ts epochNote).
   */
  stepsPerEpoch?: number;
  /**
   * Buffers of this job's own copies of the points (never a series' storage), moved to the worker instead of cloned
   * (src/worker/fitClient.ts): cloning a live run's 200k+ points again on the host's loop cost 15–30 ms a refit in
   * the VS Code soak. Not sent as a field; after sending, the job's arrays are detached and must not be read.
   */
  transfer?: ArrayBuffer[];
}

/**
 * Steps per epoch of a run from its logged `epoch` series (HF Trainer `trainer_state.json`, LLaMA-Factory
 * `trainer_log.jsonl`, ms-swift `logging.jsonl`, HF/TRL stdout dicts keep one; src/ingest/names.ts), for
 * CurveJob.stepsPerEpoch; undefined without one or when it gives no length (stepsPerEpochOf).
 */
export function epochLengthOf(
  metrics: Readonly<Record<string, { step: ArrayLike<number>; value: ArrayLike<number> } | undefined>>,
): number | undefined {
  const e = metrics['epoch'];
  return e ? stepsPerEpochOf(e.step, e.value) : undefined;
}

export interface SweepJob {
  kind: 'sweep';
  points: SweepPoint[];
  law: string;
  confidence: number;
  bootstrap: number;
  predict?: { axis: 'N' | 'D' | 'C'; value: number };
  /** Training curves of the sweep's runs (N, C, loss per checkpoint, group = run), for the loss-envelope frontier. */
  curves?: SweepPointInput[];
  /** The one metric of every point's loss, and how `auto` chose it (RunModel.sweepInput). */
  metric?: string;
  metricNote?: string;
  /** Runs left out and what would bring them in ("3 runs lack token counts: run '…Set Tokens per Step…'"). */
  notes?: string[];
  /**
   * What the fit was asked with (law, metric, options), returned with its predictor: *Predict at…* evaluates the
   * last fit only while the host's current key is the same (src/host/controller.ts `predictSweep`).
   */
  cacheKey?: string;
}

/**
 * The sweep view as shown: its metric named, the runs left out said in plain words (leading the reason when
 * the fit failed for want of points), parameters whose interval spans orders of magnitude and compute-optimal
 * methods that disagree beyond their intervals flagged.
 */
export function honestSweep(view: SweepFitView, job: SweepJob): SweepFitView {
  const out: SweepFitView = { ...view };
  if (job.metric) out.metric = job.metric;
  if (job.metricNote) out.metricNote = job.metricNote;
  const notes = job.notes ?? [];
  const warnings = [...(out.warnings ?? [])];
  if (!out.ok && notes.length) out.reason = `${notes.join('; ')}. (${out.reason ?? 'no fit'})`;
  else warnings.push(...notes);
  if (out.ok) {
    warnings.push(...identifiabilityWarnings(out.params));
    const dis = approachDisagreement(out);
    if (dis) warnings.push(dis);
  }
  if (job.metricNote && /train\/loss for all|left out|neither/.test(job.metricNote)) warnings.unshift(job.metricNote);
  if (warnings.length) out.warnings = warnings;
  return out;
}

/** Find the log lines of given points (for Problems): reads and re-parses the file, so it runs in the worker. */
export interface LocateJob {
  kind: 'locate';
  path: string;
  format: FormatId;
  runId: string;
  metric: string;
  indices: number[];
}

export type FitJob = CurveJob | SweepJob | LocateJob | TableJob;
export type FitJobResult =
  | { kind: 'curve'; view: CurveFitView }
  /** `predictor`: the fit's parameters and bootstrap sets, for *Predict at…* without a refit (host only). */
  | { kind: 'sweep'; view: SweepFitView; predictor?: SweepPredictor & { key?: string } }
  | { kind: 'locate'; lines: [number, number][]; offsets?: [number, number][] }
  /** issue 15: a table law (downstream, over-training, data-constrained, Step Law) fitted with its bootstrap. */
  | { kind: 'table'; view: TableFitView };

/** Runs one job. Never throws: failures come back as views with ok = false and a reason. */
export function runFitJob(job: FitJob): FitJobResult {
  try {
    if (job.kind === 'curve') return { kind: 'curve', view: curveJob(job) };
    if (job.kind === 'table') return { kind: 'table', view: tableJob(job) };
    if (job.kind === 'locate')
      return readerFor(job.format)?.kind === 'binary'
        ? { kind: 'locate', lines: [], offsets: locateRecords(job) }
        : { kind: 'locate', lines: locateJob(job) };
    const view = sweepJob(job);
    const predictor = predictorOf(view);
    return {
      kind: 'sweep',
      view: honestSweep(view, job),
      ...(predictor ? { predictor: { ...predictor, key: job.cacheKey } } : {}),
    };
  } catch (e) {
    const reason = `fit failed: ${e instanceof Error ? e.message : String(e)}`;
    if (job.kind === 'locate') return { kind: 'locate', lines: [] };
    if (job.kind === 'table') return { kind: 'table', view: { ok: false, reason, law: job.law } };
    return job.kind === 'curve'
      ? { kind: 'curve', view: { runId: job.runId, metric: job.metric, ok: false, reason } }
      : { kind: 'sweep', view: { ok: false, reason, points: job.points } };
  }
}

/** Structural check of a worker answer (the worker is a separate thread: trust, but verify). */
export function isFitJobResult(v: unknown): v is FitJobResult {
  if (typeof v !== 'object' || v === null) return false;
  const r = v as { kind?: unknown; view?: unknown; lines?: unknown };
  if (r.kind === 'locate')
    return (
      Array.isArray(r.lines) &&
      r.lines.every((p) => Array.isArray(p) && p.length === 2 && p.every((n) => Number.isInteger(n)))
    );
  if (typeof r.view !== 'object' || r.view === null) return false;
  const view = r.view as Record<string, unknown>;
  if (typeof view.ok !== 'boolean') return false;
  if (r.kind === 'curve') return typeof view.runId === 'string' && typeof view.metric === 'string';
  if (r.kind === 'sweep') return Array.isArray(view.points);
  if (r.kind === 'table') return typeof view.law === 'string';
  return false;
}
