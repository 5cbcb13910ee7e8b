/**
 * Accumulates one Run while a reader parses: columnar series, metadata with provenance, diagnostics. Pure.
 *
 * Non-finite values (NaN, ±inf) are kept as points; the first one in each series is flagged with a warning
 * diagnostic at its line (later ones are not repeated, to keep diagnostics bounded on a diverged 1 GB log).
 */
import type { Diagnostic, FormatId, ParseResult, Provenance, Run, RunMeta, Sourced } from './types';
import { metricKey, normalizeName } from './names';
import { ColumnSeries } from './series';

/** Most diagnostics a single file keeps (the last one says how many more were dropped). */
export const MAX_DIAGNOSTICS = 200;

type NumericMetaKey =
  'params' | 'nonEmbeddingParams' | 'totalSteps' | 'plannedEpochs' | 'tokensPerStep' | 'totalTokens';

export class RunBuilder {
  readonly run: Run;
  readonly diagnostics: Diagnostic[] = [];
  private droppedDiagnostics = 0;
  private readonly flagged = new Set<string>();

  /** `maxSeriesPoints`: the per-series cap above which old points are merged into bins (series.ts). */
  constructor(
    readonly path: string,
    format: FormatId,
    idSuffix = '',
    private readonly maxSeriesPoints?: number,
  ) {
    this.run = { id: path + idSuffix, path, format, metrics: {}, meta: {} };
  }

  /** The series stored under the normalised name of `originalName` (created on first use). */
  series(originalName: string, normalised = normalizeName(originalName)): ColumnSeries {
    normalised = metricKey(normalised);
    let s = this.run.metrics[normalised] as ColumnSeries | undefined;
    if (!s) {
      s = new ColumnSeries(normalised, originalName, this.maxSeriesPoints);
      this.run.metrics[normalised] = s;
    }
    return s;
  }

  /** Appends one point. `time` (seconds since epoch) is optional; missing times are NaN. */
  add(originalName: string, step: number, value: number, lineNo?: number, time?: number, normalised?: string): void {
    this.addTo(this.series(originalName, normalised), step, value, lineNo, time);
  }

  /** Appends one point to a series of this run (hot paths keep the series instead of looking it up by name). */
  addTo(s: ColumnSeries, step: number, value: number, lineNo?: number, time?: number): void {
    s.append(step, value, time);
    // (the test inline, as before: this runs for every point of every reader)
    if (value - value !== 0) this.checkFinite(s, step, value, lineNo);
  }

  /** Flags the first non-finite value of a series (`addTo` does it for each point it appends). */
  checkFinite(s: ColumnSeries, step: number, value: number, lineNo?: number): void {
    if (value - value !== 0 && !this.flagged.has(s.name)) {
      this.flagged.add(s.name);
      this.warn(
        `${s.name} is ${value} at step ${step} (kept as a non-finite point; later ones are not reported again)`,
        lineNo,
      );
    }
  }

  /** Sets a numeric metadata value unless one is already known (first source wins) or `override`. */
  setMeta(key: NumericMetaKey, value: number, source: Provenance, override = false): void {
    if (!Number.isFinite(value)) return;
    if (this.run.meta[key] && !override) return;
    this.run.meta[key] = { value, source } as Sourced<number>;
  }

  /** Records a hyper-parameter unless one is already known (first source wins) or `override`. */
  setHparam(key: string, value: string | number | boolean, source: Provenance, override = false): void {
    const h = (this.run.meta.hparams ??= {});
    if (override || !(key in h)) h[key] = { value, source };
  }

  setName(name: string): void {
    if (!this.run.meta.name) this.run.meta.name = name;
  }

  get meta(): RunMeta {
    return this.run.meta;
  }

  /** Provenance for a log line of this file. */
  at(line: number | undefined, how: string): Provenance {
    return line === undefined ? { path: this.path, how } : { path: this.path, line, how };
  }

  warn(message: string, line?: number): void {
    this.push({ path: this.path, line, severity: 'warning', message });
  }

  info(message: string, line?: number): void {
    this.push({ path: this.path, line, severity: 'info', message });
  }

  push(d: Diagnostic): void {
    if (d.line === undefined) delete d.line;
    if (this.diagnostics.length < MAX_DIAGNOSTICS) this.diagnostics.push(d);
    else this.droppedDiagnostics++;
  }

  /** True when at least one point was stored. */
  hasPoints(): boolean {
    for (const k in this.run.metrics) if (this.run.metrics[k].step.length > 0) return true;
    return false;
  }

  /** The parse result: the run when it has points or metadata, plus diagnostics. */
  result(): ParseResult {
    const diagnostics = this.droppedDiagnostics
      ? [
          ...this.diagnostics,
          {
            path: this.path,
            severity: 'info' as const,
            message: `${this.droppedDiagnostics} more diagnostics not shown`,
          },
        ]
      : this.diagnostics;
    return { runs: this.hasPoints() ? [this.run] : [], diagnostics };
  }
}
