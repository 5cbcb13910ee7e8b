/**
 * Shared building blocks of the structured/binary readers (part B). Pure (no `vscode`).
 *
 *  - `RunBuilder`: appends (metric, step, value[, time]) points into a Run's columnar series, keyed by the
 *    normalised metric name (the first original name claiming a normalised name keeps it; a second, different
 *    original with the same normalised name keeps its own name so that nothing is merged silently).
 *  - `toNumber`: numbers as logs write them (numbers, numeric strings, "nan", "inf", "1,234"), null → undefined.
 */
import type { FormatId, Run, Sourced, Provenance } from './types';
import { metricKey, normalizeName } from './names';
import { mergeMeta, metaFromConfig } from './metaFiles';
import { ColumnSeries } from './series';
import { increasing, lastWritePerStep } from './infer/resolve';

export class RunBuilder {
  readonly run: Run;
  private byOriginal = new Map<string, ColumnSeries>();

  /**
   * `aliases`: format-specific names that override `normalizeName` (e.g. `num_input_tokens_seen` → `tokens`).
   * `maxSeriesPoints`: the per-series cap above which old points are merged into bins (series.ts).
   */
  constructor(
    path: string,
    format: FormatId,
    id: string = path,
    private aliases: Record<string, string> = {},
    private readonly maxSeriesPoints?: number,
  ) {
    this.run = { id, path, format, metrics: {}, meta: {} };
  }

  /** The series for an original metric name (created on first use). */
  series(original: string): ColumnSeries {
    let s = this.byOriginal.get(original);
    if (s) return s;
    let name = metricKey(
      (Object.hasOwn(this.aliases, original) ? this.aliases[original] : undefined) ?? safeNormalize(original),
    );
    if (this.run.metrics[name] && this.run.metrics[name].originalName !== original) name = metricKey(original);
    // A raw name may itself collide with an already normalised key of a different original: suffix it.
    let key = name;
    for (let k = 2; this.run.metrics[key]; k++) key = `${name}#${k}`;
    s = new ColumnSeries(key, original, this.maxSeriesPoints);
    this.run.metrics[key] = s;
    this.byOriginal.set(original, s);
    return s;
  }

  /** A new series with this builder's cap, not yet in the run (see `put`). */
  newSeries(name: string, original: string): ColumnSeries {
    return new ColumnSeries(name, original, this.maxSeriesPoints);
  }

  /**
   * A copy of the run in which every series whose steps repeat or go back (a resume, a second training appended)
   * keeps the last value written for each step; the builder's own series keep every point.
   */
  lastWritesRun(): Run {
    const run = { ...this.run, metrics: { ...this.run.metrics } };
    for (const [key, s] of Object.entries(this.run.metrics)) {
      if (increasing(s.step)) continue;
      const r = lastWritePerStep(s.step, s.value, s.time);
      const shown = this.newSeries(key, s.originalName);
      for (let i = 0; i < r.step.length; i++) shown.append(r.step[i], r.value[i], r.time ? r.time[i] : undefined);
      run.metrics[key] = shown;
    }
    return run;
  }

  /** Puts a series under its name, replacing what was there (for series derived by a reader). */
  put(s: ColumnSeries): void {
    this.run.metrics[s.name] = s;
  }

  /**
   * From now on the series of `original` is stored under `name` (a reader learned what the name means): renamed
   * in place if it exists. Consumers see a new metric and, under the old key, a different series (a reset).
   */
  rename(original: string, name: string): void {
    name = metricKey(name);
    this.aliases = { ...this.aliases, [original]: name };
    const s = this.byOriginal.get(original);
    if (!s || s.name === name) return;
    let key = name;
    for (let k = 2; this.run.metrics[key]; k++) key = `${name}#${k}`;
    if (this.run.metrics[s.name] === s) delete this.run.metrics[s.name];
    s.rename(key);
    this.run.metrics[key] = s;
  }

  /** Append one point; `time` in seconds since the epoch (NaN/undefined when unknown). */
  add(original: string, step: number, value: number, time?: number): void {
    this.series(original).append(step, value, time);
  }

  /** Drop every point (used when a rewritten file is re-read from its start). Metadata is kept. */
  clearPoints(): void {
    this.byOriginal.clear();
    this.run.metrics = {};
  }

  /** Total number of points over all series. */
  pointCount(): number {
    let n = 0;
    for (const k in this.run.metrics) n += this.run.metrics[k].step.length;
    return n;
  }

  setHparam(key: string, value: string | number | boolean, source: Provenance): void {
    (this.run.meta.hparams ??= {})[key] = { value, source };
  }

  /**
   * Fill params / totalSteps / tokensPerStep the run lacks from its hparams (part A's `metaFromConfig` rules:
   * `n_params`, or `num_layers`+`d_model`+`vocab_size`, `max_steps`, batch × sequence length, …), keyed by
   * the last `.` segment of each hparam name. `file` is named in the provenance.
   */
  metaFromHparams(file: string): void {
    const flat: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(this.run.meta.hparams ?? {})) {
      const last = k.slice(k.lastIndexOf('.') + 1);
      if (!(last in flat)) flat[last] = v.value;
    }
    try {
      const found = metaFromConfig(flat, file);
      delete found.hparams;
      mergeMeta(this.run.meta, found);
    } catch {
      // metadata is best effort
    }
  }
}

function safeNormalize(original: string): string {
  try {
    const n = normalizeName(original);
    return typeof n === 'string' && n ? n : original;
  } catch {
    return original;
  }
}

/** Unambiguous (no nested/overlapping quantifiers): linear time even on 200 KB digit runs. */
const NUMERIC = /^[+-]?(?:\d[\d_,]*(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

/**
 * A metric value as logs write it. Numbers pass through; strings may be numeric, "nan", "inf", "-Infinity",
 * "1,234" (thousands separators) or "1_000". Anything else (null, booleans, text, objects) → undefined.
 */
export function toNumber(x: unknown): number | undefined {
  if (typeof x === 'number') return x;
  if (typeof x !== 'string') return undefined;
  const t = x.trim();
  if (t === '') return undefined;
  if (NUMERIC.test(t)) {
    const v = Number(t.replace(/[,_]/g, ''));
    return Number.isNaN(v) ? undefined : v;
  }
  const l = t.toLowerCase();
  if (l === 'nan' || l === '+nan' || l === '-nan') return NaN;
  if (l === 'inf' || l === '+inf' || l === 'infinity' || l === '+infinity') return Infinity;
  if (l === '-inf' || l === '-infinity') return -Infinity;
  return undefined;
}

/** A Sourced value. */
export function sourced<T>(
  value: T,
  path: string,
  how: string,
  where: { line?: number; offset?: number } = {},
): Sourced<T> {
  return { value, source: { path, how, ...where } };
}
