/**
 * JSON Lines metric logs: one JSON object per line, flat or nested (`{"train": {"loss": 2.1}}` → `train/loss`).
 * Pure (no `vscode`). Text reader: fed complete lines.
 *
 * Covers LLaMA-Factory `trainer_log.jsonl` (`current_steps`, `total_steps`, `loss: null` on the last line),
 * HF/TRL-style dicts, and generic `{"step": …, "loss": …}` logs. Numbers may be strings; Python's bare
 * NaN/Infinity are accepted and kept as points. Lines that are not JSON objects → a diagnostic with the line
 * number, and reading goes on. A series whose step repeats or goes back (LLaMA-Factory writes a line per rank,
 * sometimes interleaved out of order; a resume appends to the file) keeps the last value written for each step
 * (`infer/resolve.ts`), and an info diagnostic says so.
 */
import type { LineParser, Sniff, TextReader } from '../reader';
import { diag } from '../reader';
import type { Diagnostic, ParseResult } from '../types';
import { RunBuilder, sourced, toNumber } from '../structuredRun';
import { forEachNumber, isObject, parseJsonLenient } from '../jsonUtil';
import { sniffLines } from '../csvUtil';
import { pickStepKey, recordOrderAxis, stepAxisOf, stepKeyRank } from '../stepAxis';
import type { ColumnSeries } from '../series';
import { increasing, lastWritePerStep } from '../infer/resolve';

/** Keys holding wall-clock time in seconds (or ms) since the epoch. */
const TIME_KEYS = ['_timestamp', 'timestamp', 'wall_time', 'time'];
/** Keys holding the planned total number of steps. */
const TOTAL_KEYS = ['total_steps', 'max_steps'];
/** Keys stating the model's parameter count (DETR/DeiT `n_parameters`, …): run metadata, not a metric. */
const PARAM_KEYS = new Set(['n_parameters', 'n_params', 'num_params', 'num_parameters', 'model_params', 'total_params']);
/** Bookkeeping keys that are not metrics. */
const SKIP_KEYS = new Set(['percentage', 'elapsed_time', 'remaining_time', '_runtime', ...TOTAL_KEYS]);

const MAX_DIAGNOSTICS = 200;

export const jsonlReader: TextReader = {
  format: 'jsonl',
  kind: 'text',
  detect: detectJsonl,
  create: (path, o) => new JsonlParser(path, o?.maxSeriesPoints),
};

/** Confidence that the sniffed text is JSON Lines of metric objects. */
export function detectJsonl(sniff: Sniff): number {
  const lines = sniffLines(sniff.text, 5).filter((l) => l.trim() !== '');
  if (lines.length === 0 || !lines[0].trimStart().startsWith('{')) return 0;
  let objects = 0;
  let numeric = 0;
  for (const l of lines) {
    const p = parseJsonLenient(l);
    if (!p.ok || !isObject(p.value)) continue;
    objects++;
    let has = false;
    forEachNumber(p.value, () => (has = true));
    if (has) numeric++;
  }
  if (objects === 0 || numeric === 0) return 0;
  const frac = objects / lines.length;
  return lines.length >= 2 ? 0.6 + 0.3 * frac : 0.6;
}

export class JsonlParser implements LineParser {
  private b: RunBuilder;
  private diagnostics: Diagnostic[] = [];
  private records = 0;
  private warnedNoStep = false;
  /** Every series as read (all writes), by original name; `result()` shows each resolved to one value per step. */
  private raw = new Map<string, ColumnSeries>();

  constructor(private path: string, maxSeriesPoints?: number) {
    this.b = new RunBuilder(path, 'jsonl', path, {}, maxSeriesPoints);
  }

  line(text: string, lineNo: number): void {
    try {
      this.parseLine(text, lineNo);
    } catch (e) {
      this.report(lineNo, `could not read line: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  private parseLine(text: string, lineNo: number): void {
    const t = text.trim();
    if (t === '') return;
    const p = parseJsonLenient(t);
    if (!p.ok || !isObject(p.value)) {
      this.report(lineNo, p.ok ? 'line is JSON but not an object' : `not valid JSON (${p.error})`);
      return;
    }
    const obj = p.value;
    this.records++;
    // The trainer's global step beats a logger's record index (`_step`) — stepAxis.ts.
    const stepKey = pickStepKey(Object.keys(obj), (k) => toNumber(obj[k]) !== undefined);
    let step: number;
    const meta = this.b.run.meta;
    if (stepKey) {
      step = toNumber(obj[stepKey])!;
      const had = meta.stepAxis?.value.split(' ')[0];
      if (had === undefined || had === 'record' || stepKeyRank(stepKey) < stepKeyRank(had)) meta.stepAxis = stepAxisOf(stepKey, { path: this.path, line: lineNo, how: `JSONL key "${stepKey}"` });
    } else {
      step = this.records - 1;
      meta.stepAxis ??= recordOrderAxis({ path: this.path, line: lineNo, how: 'no step key in the JSON lines: record index' });
      if (!this.warnedNoStep) {
        this.warnedNoStep = true;
        this.diagnostics.push(diag(this.path, 'no step field: using the record index as the step', { line: lineNo }, 'info'));
      }
    }
    // Only epoch timestamps count as time (a per-iteration `time: 0.35` stays a metric).
    const timeKey = TIME_KEYS.find((k) => (toNumber(obj[k]) ?? 0) > 1e8);
    const time = timeKey ? toSeconds(toNumber(obj[timeKey])!) : undefined;
    for (const k of TOTAL_KEYS) {
      const total = toNumber(obj[k]);
      if (total !== undefined && Number.isFinite(total) && total > 0 && this.b.run.meta.totalSteps?.value !== total)
        this.b.run.meta.totalSteps = sourced(total, this.path, `JSONL ${k}`, { line: lineNo });
    }
    forEachNumber(obj, (key, value) => {
      if (PARAM_KEYS.has(key)) {
        if (!meta.params && Number.isFinite(value) && value > 0) meta.params = sourced(value, this.path, `JSONL key "${key}"`, { line: lineNo });
        return;
      }
      // `_`-prefixed keys are logger internals (W&B `_runtime`, `_wandb/…`), not metrics.
      if (key === stepKey || key === timeKey || SKIP_KEYS.has(key) || key.startsWith('_')) return;
      let s = this.raw.get(key);
      if (!s) this.raw.set(key, (s = this.b.series(key)));
      s.append(step, value, time);
    });
  }

  private report(lineNo: number, message: string): void {
    if (this.diagnostics.length < MAX_DIAGNOSTICS) this.diagnostics.push(diag(this.path, message, { line: lineNo }));
  }

  result(): ParseResult {
    let repeats = 0;
    for (const s of this.raw.values()) {
      if (increasing(s.step)) {
        this.b.put(s);
        continue;
      }
      const r = lastWritePerStep(s.step, s.value, s.time);
      repeats += r.repeats;
      const shown = this.b.newSeries(s.name, s.originalName);
      for (let i = 0; i < r.step.length; i++) shown.append(r.step[i], r.value[i], r.time ? r.time[i] : undefined);
      this.b.put(shown);
    }
    const diagnostics = repeats
      ? [...this.diagnostics, diag(this.path, `${repeats} values repeat or go back to an earlier step (a line per rank, or a resume): each series keeps the last value written for each step`, {}, 'info')]
      : this.diagnostics;
    return { runs: this.b.pointCount() > 0 || this.records > 0 ? [this.b.run] : [], diagnostics };
  }
}

/** Seconds since the epoch from seconds or milliseconds. */
function toSeconds(t: number): number {
  return t > 1e11 ? t / 1000 : t;
}
