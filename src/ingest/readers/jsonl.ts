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
 *
 * Hot path (`asciiLine`): a flat object whose values are plain JSON numbers, `null`, `true`/`false` or strings that
 * are not numbers (`"0:03:29"`) is read straight from the feeder's bytes — keys interned once per distinct key, no
 * string or object per line — with the same points and metadata as the string path. Anything else (nesting,
 * escapes, numeric strings, NaN, duplicate or integer-like keys, invalid JSON) is declined: JSON.parse decides.
 */
import type { LineParser, Sniff, TextReader } from '../reader';
import { diag } from '../reader';
import type { Diagnostic, ParseResult } from '../types';
import { RunBuilder, sourced, toNumber } from '../structuredRun';
import { forEachNumber, isObject, parseJsonLenient, scalarOf } from '../jsonUtil';
import { sniffLines } from '../csvUtil';
import { pickStepKey, recordOrderAxis, stepAxisOf, stepKeyRank } from '../stepAxis';
import * as A from '../asciiScan';
import type { ColumnSeries } from '../series';
import { increasing, lastWritePerStep } from '../infer/resolve';
import { statedParams } from '../metaLines';

/** Keys holding wall-clock time in seconds (or ms) since the epoch. */
const TIME_KEYS = ['_timestamp', 'timestamp', 'wall_time', 'time'];
/**
 * Keys holding the planned total number of steps. Those from STEPLESS_TOTAL on are a plan only on a record with no
 * step key (a config or summary event: `{"event": "config", "lr": 1e-06, "num_steps": 51, …}`), since a record
 * that has a step may count its steps so far under the same name.
 */
/** A training loss's key (`loss`, `train_loss`, `train/loss`): a record holding one is the training loop's. */
const TRAIN_LOSS_KEY = /^(?:train(?:ing)?[_/])?loss$/i;
const TOTAL_KEYS = ['total_steps', 'max_steps', 'num_steps', 'num_train_steps'];
const STEPLESS_TOTAL = 2;
const STEPPED_TOTAL_KEYS = TOTAL_KEYS.slice(0, STEPLESS_TOTAL);
/** Keys stating the model's parameter count (DETR/DeiT `n_parameters`, …): run metadata, not a metric. */
const PARAM_KEYS = new Set([
  'n_parameters',
  'n_params',
  'num_params',
  'num_parameters',
  'model_params',
  'total_params',
]);
/**
 * A key naming a counter and its total with a string value `N/M` holding both (ms-swift's
 * `"global_step/max_steps": "10/234"`): the two fields, the counter under its own name; the total is the planned
 * total of steps (`total_steps`) when the counter is a step key finer than the epoch, else it keeps its own name.
 * Undefined for any other key or value.
 */
export function slashPairFields(key: string, value: unknown): [string, number][] | undefined {
  if (typeof value !== 'string') return undefined;
  const k = /^([^/]+)\/([^/]+)$/.exec(key);
  const v = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(value);
  if (!k || !v) return undefined;
  const counter = k[1].trim();
  const rank = stepKeyRank(counter);
  const steps = rank >= 0 && rank < stepKeyRank('epoch');
  return [
    [counter, Number(v[1])],
    [steps ? 'total_steps' : k[2].trim(), Number(v[2])],
  ];
}

/**
 * A parameter count a text value states under a key naming parameters (ms-swift's `"model_parameter_info":
 * "PeftModelForCausalLM: 8212.5588M Params (21.8235M Trainable [0.2657%]), …"`): read as a log line would be
 * (metaLines' statedParams), or undefined.
 */
export function paramsInTextValue(key: string, value: unknown): number | undefined {
  if (typeof value !== 'string' || !/param/i.test(key)) return undefined;
  return statedParams(value)?.value;
}

/** Bookkeeping keys that are not metrics. */
const SKIP_KEYS = new Set(['percentage', 'elapsed_time', 'remaining_time', '_runtime', ...TOTAL_KEYS]);

const MAX_DIAGNOSTICS = 200;

/** What the byte path knows of a key (computed once per distinct key). */
interface KeyInfo {
  key: string;
  bytes: Uint8Array;
  /** stepKeyRank (−1: not a step key). */
  rank: number;
  /** Index in TIME_KEYS / TOTAL_KEYS, or −1. */
  time: number;
  total: number;
  param: boolean;
  /** Bookkeeping (SKIP_KEYS) or a logger internal (`_…`). */
  skip: boolean;
  /** A string value under it may hold fields (slashPairFields, paramsInTextValue): the string path reads it. */
  textual: boolean;
  /** Its series (the one `RunBuilder.add(key, …)` would use). */
  series?: ColumnSeries;
}

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
  /** The largest step of a record so far (-Infinity before the first stepped record). */
  private maxStep = -Infinity;
  /**
   * Whether a record's total restates the plan: not when its step counter went back below the steps already logged,
   * it holds no training-loss value, and it states a smaller total than the plan read — a second loop's progress
   * records in the same file (LLaMA-Factory's `trainer_log.jsonl` ends with the evaluation loop's own
   * `{"current_steps": 10, "total_steps": 300, "loss": null, …}`, counting evaluation batches).
   */
  private restatesPlan(step: number, total: number, trainLoss: boolean): boolean {
    const plan = this.b.run.meta.totalSteps?.value;
    return trainLoss || plan === undefined || step >= this.maxStep || total >= plan;
  }
  private warnedNoStep = false;
  /** Every series as read (all writes), by original name; `result()` shows each resolved to one value per step. */
  private raw = new Map<string, ColumnSeries>();

  constructor(
    private path: string,
    maxSeriesPoints?: number,
  ) {
    this.b = new RunBuilder(path, 'jsonl', path, {}, maxSeriesPoints);
  }

  line(text: string, lineNo: number): void {
    try {
      this.parseLine(text, lineNo);
    } catch (e) {
      this.report(lineNo, `could not read line: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  // ── byte path (see the module doc) ──
  /** Interned keys (made once per distinct key) and what the record logic needs to know of each. */
  private readonly keyInfo: KeyInfo[] = [];
  /** FNV-1a hash of a key's bytes → ids in keyInfo. */
  private readonly keyByHash = new Map<number, number[]>();
  /** The key ids of the last line read, as the guess for the next line (logs repeat their key order). */
  private prevIds = new Int32Array(64).fill(-1);
  private lineIds = new Int32Array(64);
  private lineVals = new Float64Array(64);
  /** 1: a number; 0: a value toNumber ignores (null, a boolean, a non-numeric string). */
  private lineNum = new Uint8Array(64);
  /** The step axis the byte path set last, and from which key id. */
  private axisSet: unknown;
  private axisKey = -1;

  asciiLine(buf: Uint8Array, start: number, limit: number, lineNo: number): number {
    let i = start;
    let c = buf[i];
    while (c === 32 || c === 9) c = buf[++i];
    if (c !== 123 /* { */) return -1;
    const ids = this.lineIds,
      prev = this.prevIds,
      infos = this.keyInfo;
    const vals = this.lineVals,
      num = this.lineNum;
    let n = 0;
    c = buf[++i];
    while (c === 32 || c === 9) c = buf[++i];
    if (c === 125) return -1; // {}: the string path
    for (;;) {
      // "key": first the key the last line had here, compared as bytes; else hashed and looked up
      if (c !== 34 || n >= vals.length) return -1;
      const ks = i + 1;
      let ke = -1;
      let id = prev[n];
      if (id >= 0) {
        const kb = infos[id].bytes;
        const len = kb.length;
        if (ks + len <= limit && buf[ks + len] === 34) {
          let j = 0;
          while (j < len && buf[ks + j] === kb[j]) j++;
          if (j === len) ke = ks + len;
        }
      }
      if (ke < 0) {
        ke = ks;
        let h = 0x811c9dc5;
        while (ke <= limit && (c = buf[ke]) !== 34) {
          if (c === 92 /* \ */ || c < 32) return -1;
          h = Math.imul(h ^ c, 0x01000193);
          ke++;
        }
        if (ke > limit) return -1;
        id = this.intern(buf, ks, ke, h);
        if (id < 0) return -1;
      }
      for (let k = 0; k < n; k++) if (ids[k] === id) return -1; // a duplicate key: JSON.parse keeps the last
      ids[n] = id;
      i = ke + 1;
      c = buf[i];
      while (c === 32 || c === 9) c = buf[++i];
      if (c !== 58 /* : */) return -1;
      c = buf[++i];
      while (c === 32 || c === 9) c = buf[++i];
      // value
      if (c === 45 || (c >= 48 && c <= 57)) {
        const e = jsonNumberEnd(buf, i);
        if (e < 0) return -1;
        const v = A.asciiNumber(buf, i, limit);
        if (A.numEnd !== e) return -1;
        vals[n] = v;
        num[n] = 1;
        i = e;
      } else if (c === 34) {
        // a string: ignored by toNumber unless it reads as a number (then the string path decides)
        let e = i + 1;
        while (e <= limit && (c = buf[e]) !== 34) {
          if (c === 92 || c < 32) return -1;
          e++;
        }
        if (e > limit || numericText(buf, i + 1, e) || infos[id].textual) return -1;
        num[n] = 0;
        i = e + 1;
      } else if (c === 110 /* n */ && buf[i + 1] === 117 && buf[i + 2] === 108 && buf[i + 3] === 108) {
        num[n] = 0;
        i += 4;
      } else if (c === 116 /* t */ && buf[i + 1] === 114 && buf[i + 2] === 117 && buf[i + 3] === 101) {
        num[n] = 0;
        i += 4;
      } else if (
        c === 102 /* f */ &&
        buf[i + 1] === 97 &&
        buf[i + 2] === 108 &&
        buf[i + 3] === 115 &&
        buf[i + 4] === 101
      ) {
        num[n] = 0;
        i += 5;
      } else return -1;
      n++;
      c = buf[i];
      while (c === 32 || c === 9) c = buf[++i];
      if (c === 44 /* , */) {
        c = buf[++i];
        while (c === 32 || c === 9) c = buf[++i];
        continue;
      }
      if (c !== 125 /* } */) return -1;
      c = buf[++i];
      while (c === 32 || c === 9) c = buf[++i];
      if (c !== 10 || i > limit) return -1;
      break;
    }
    for (let k = 0; k < n; k++) prev[k] = ids[k];
    if (n < prev.length) prev[n] = -1;
    this.flatRecord(n, lineNo);
    return i;
  }

  /** The id of the key `buf[s..e)` (interned once per distinct key); −1 for keys the byte path leaves alone. */
  private intern(buf: Uint8Array, s: number, e: number, h: number): number {
    let list = this.keyByHash.get(h);
    if (list) {
      outer: for (const id of list) {
        const kb = this.keyInfo[id].bytes;
        if (kb.length !== e - s) continue;
        for (let j = 0; j < kb.length; j++) if (kb[j] !== buf[s + j]) continue outer;
        return id;
      }
    }
    if (this.keyInfo.length >= 4096) return -1; // (bounded: a log with ever new keys takes the string path)
    let key = '';
    for (let j = s; j < e; j++) key += String.fromCharCode(buf[j]);
    // integer-like keys come first in Object.keys (and so in the string path's order); __proto__ is special
    if (/^(?:0|[1-9]\d*)$/.test(key) || key === '__proto__') return -1;
    const id = this.keyInfo.length;
    this.keyInfo.push({
      key,
      bytes: Uint8Array.from(buf.subarray(s, e)),
      rank: stepKeyRank(key),
      time: TIME_KEYS.indexOf(key),
      total: TOTAL_KEYS.indexOf(key),
      param: PARAM_KEYS.has(key),
      skip: SKIP_KEYS.has(key) || key.startsWith('_'),
      textual: key.includes('/') || /param/i.test(key),
    });
    (list ??= []).push(id);
    this.keyByHash.set(h, list);
    return id;
  }

  /** The record of the line just read (`lineIds`/`lineVals`/`lineNum`, `n` keys in line order): as the string path. */
  private flatRecord(n: number, lineNo: number): void {
    const ids = this.lineIds,
      vals = this.lineVals,
      num = this.lineNum,
      infos = this.keyInfo;
    this.records++;
    // the step key: the best-ranked key with a numeric value, the first of equals (pickStepKey)
    let stepAt = -1;
    let best = Infinity;
    let timeAt = -1;
    let timeRank = Infinity;
    for (let k = 0; k < n; k++) {
      if (!num[k]) continue;
      const info = infos[ids[k]];
      if (info.rank >= 0 && info.rank < best) {
        stepAt = k;
        best = info.rank;
      }
      // the time key: the first of TIME_KEYS (in their order) whose value is an epoch time (> 1e8)
      if (info.time >= 0 && info.time < timeRank && vals[k] > 1e8) {
        timeAt = k;
        timeRank = info.time;
      }
    }
    let step: number;
    const meta = this.b.run.meta;
    if (stepAt >= 0) {
      step = vals[stepAt];
      // (the axis this path set last, from the same key, stands: skip re-reading its name)
      if (meta.stepAxis === undefined || meta.stepAxis !== this.axisSet || ids[stepAt] !== this.axisKey) {
        const stepKey = infos[ids[stepAt]].key;
        const had = meta.stepAxis?.value.split(' ')[0];
        if (had === undefined || had === 'record' || best < stepKeyRank(had)) {
          meta.stepAxis = stepAxisOf(stepKey, { path: this.path, line: lineNo, how: `JSONL key "${stepKey}"` });
          this.axisSet = meta.stepAxis;
          this.axisKey = ids[stepAt];
        }
      }
    } else {
      step = this.records - 1;
      meta.stepAxis ??= recordOrderAxis({
        path: this.path,
        line: lineNo,
        how: 'no step key in the JSON lines: record index',
      });
      if (!this.warnedNoStep) {
        this.warnedNoStep = true;
        this.diagnostics.push(
          diag(this.path, 'no step field: using the record index as the step', { line: lineNo }, 'info'),
        );
      }
    }
    const time = timeAt >= 0 ? toSeconds(vals[timeAt]) : undefined;
    let trainLoss = false;
    for (let k = 0; k < n && !trainLoss; k++) trainLoss = !!num[k] && TRAIN_LOSS_KEY.test(infos[ids[k]].key);
    for (let t = 0; t < (stepAt >= 0 ? STEPLESS_TOTAL : TOTAL_KEYS.length); t++) {
      for (let k = 0; k < n; k++) {
        if (!num[k] || infos[ids[k]].total !== t) continue;
        const total = vals[k];
        if (
          Number.isFinite(total) &&
          total > 0 &&
          meta.totalSteps?.value !== total &&
          (stepAt < 0 || this.restatesPlan(step, total, trainLoss))
        )
          meta.totalSteps = sourced(total, this.path, `JSONL ${TOTAL_KEYS[t]}`, { line: lineNo });
      }
    }
    if (stepAt >= 0 && step > this.maxStep) this.maxStep = step;
    for (let k = 0; k < n; k++) {
      if (!num[k]) continue;
      const info = infos[ids[k]];
      const value = vals[k];
      if (info.param) {
        if (!meta.params && Number.isFinite(value) && value > 0)
          meta.params = sourced(value, this.path, `JSONL key "${info.key}"`, { line: lineNo });
        continue;
      }
      if (k === stepAt || k === timeAt || info.skip) continue;
      (info.series ??= this.seriesOf(info.key)).append(step, value, time);
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
    let obj = p.value;
    // one-element lists of scalars (`"episode": [3]`) are their element, for the step, time and total keys too
    if (Object.values(obj).some(Array.isArray))
      obj = Object.fromEntries(Object.entries(obj).map(([k, v]) => [k, scalarOf(v)]));
    // a pair of counters in one string (`"global_step/max_steps": "10/234"`) is its two fields
    if (Object.entries(obj).some(([k, v]) => slashPairFields(k, v)))
      obj = Object.fromEntries(Object.entries(obj).flatMap(([k, v]) => slashPairFields(k, v) ?? [[k, v]]));
    this.records++;
    // The trainer's global step beats a logger's record index (`_step`) — stepAxis.ts.
    const stepKey = pickStepKey(Object.keys(obj), (k) => toNumber(obj[k]) !== undefined);
    let step: number;
    const meta = this.b.run.meta;
    if (stepKey) {
      step = toNumber(obj[stepKey])!;
      const had = meta.stepAxis?.value.split(' ')[0];
      if (had === undefined || had === 'record' || stepKeyRank(stepKey) < stepKeyRank(had))
        meta.stepAxis = stepAxisOf(stepKey, { path: this.path, line: lineNo, how: `JSONL key "${stepKey}"` });
    } else {
      step = this.records - 1;
      meta.stepAxis ??= recordOrderAxis({
        path: this.path,
        line: lineNo,
        how: 'no step key in the JSON lines: record index',
      });
      if (!this.warnedNoStep) {
        this.warnedNoStep = true;
        this.diagnostics.push(
          diag(this.path, 'no step field: using the record index as the step', { line: lineNo }, 'info'),
        );
      }
    }
    // Only epoch timestamps count as time (a per-iteration `time: 0.35` stays a metric).
    const timeKey = TIME_KEYS.find((k) => (toNumber(obj[k]) ?? 0) > 1e8);
    const time = timeKey ? toSeconds(toNumber(obj[timeKey])!) : undefined;
    const trainLoss = Object.keys(obj).some((k) => TRAIN_LOSS_KEY.test(k) && toNumber(obj[k]) !== undefined);
    for (const k of stepKey ? STEPPED_TOTAL_KEYS : TOTAL_KEYS) {
      const total = toNumber(obj[k]);
      if (
        total !== undefined &&
        Number.isFinite(total) &&
        total > 0 &&
        this.b.run.meta.totalSteps?.value !== total &&
        (!stepKey || this.restatesPlan(step, total, trainLoss))
      )
        this.b.run.meta.totalSteps = sourced(total, this.path, `JSONL ${k}`, { line: lineNo });
    }
    if (stepKey && step > this.maxStep) this.maxStep = step;
    if (!meta.params)
      for (const [k, v] of Object.entries(obj)) {
        const stated = paramsInTextValue(k, v);
        if (stated !== undefined) {
          meta.params = sourced(stated, this.path, `JSONL key "${k}" (stated count)`, { line: lineNo });
          break;
        }
      }
    forEachNumber(obj, (key, value) => {
      if (PARAM_KEYS.has(key)) {
        if (!meta.params && Number.isFinite(value) && value > 0)
          meta.params = sourced(value, this.path, `JSONL key "${key}"`, { line: lineNo });
        return;
      }
      // `_`-prefixed keys are logger internals (W&B `_runtime`, `_wandb/…`), not metrics.
      if (key === stepKey || key === timeKey || SKIP_KEYS.has(key) || key.startsWith('_')) return;
      this.seriesOf(key).append(step, value, time);
    });
  }

  /** The series of a key as read (every write), shared by the byte and string paths. */
  private seriesOf(key: string): ColumnSeries {
    let s = this.raw.get(key);
    if (!s) this.raw.set(key, (s = this.b.series(key)));
    return s;
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
      ? [
          ...this.diagnostics,
          diag(
            this.path,
            `${repeats} values repeat or go back to an earlier step (a line per rank, or a resume): each series keeps the last value written for each step`,
            {},
            'info',
          ),
        ]
      : this.diagnostics;
    return { runs: this.b.pointCount() > 0 || this.records > 0 ? [this.b.run] : [], diagnostics };
  }
}

/** End of a JSON number at `i` (`-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?`), or −1 when the text there is not one. */
function jsonNumberEnd(b: Uint8Array, i: number): number {
  if (b[i] === 45) i++;
  if (b[i] === 48) i++;
  else if (b[i] >= 49 && b[i] <= 57) while (b[i] >= 48 && b[i] <= 57) i++;
  else return -1;
  if (b[i] === 46) {
    i++;
    if (!(b[i] >= 48 && b[i] <= 57)) return -1;
    while (b[i] >= 48 && b[i] <= 57) i++;
  }
  if (b[i] === 101 || b[i] === 69) {
    i++;
    if (b[i] === 43 || b[i] === 45) i++;
    if (!(b[i] >= 48 && b[i] <= 57)) return -1;
    while (b[i] >= 48 && b[i] <= 57) i++;
  }
  return i;
}

const isDigit = (c: number) => c >= 48 && c <= 57;

/**
 * Whether `toNumber` reads a JSON string's raw ASCII bytes `b[s..e)` (no escapes) as a number: its NUMERIC pattern
 * or a nan/inf word, after trimming — on bytes, so `"0:03:29"` costs no string. A line with such a string is
 * declined (JSON.parse + toNumber decide).
 */
function numericText(b: Uint8Array, s: number, e: number): boolean {
  const blank = (c: number) => c === 32 || c === 9 || c === 11 || c === 12;
  while (s < e && blank(b[s])) s++;
  while (e > s && blank(b[e - 1])) e--;
  if (s === e) return false;
  let k = s;
  if (b[k] === 43 || b[k] === 45) k++;
  const l0 = b[k] | 32;
  if (l0 === 110 || l0 === 105) {
    // nan, inf, infinity (any case, optional sign)
    const w = e - k;
    const low = (j: number) => b[k + j] | 32;
    if (w === 3 && l0 === 110 && low(1) === 97 && low(2) === 110) return true;
    if ((w === 3 || w === 8) && l0 === 105 && low(1) === 110 && low(2) === 102)
      return w === 3 || (low(3) === 105 && low(4) === 110 && low(5) === 105 && low(6) === 116 && low(7) === 121);
    return false;
  }
  if (isDigit(b[k])) {
    k++;
    while (k < e && (isDigit(b[k]) || b[k] === 95 || b[k] === 44)) k++;
    if (b[k] === 46) {
      k++;
      while (k < e && isDigit(b[k])) k++;
    }
  } else if (b[k] === 46) {
    k++;
    if (!isDigit(b[k])) return false;
    while (k < e && isDigit(b[k])) k++;
  } else return false;
  if (k < e && (b[k] === 101 || b[k] === 69)) {
    k++;
    if (b[k] === 43 || b[k] === 45) k++;
    if (!isDigit(b[k])) return false;
    while (k < e && isDigit(b[k])) k++;
  }
  return k === e;
}

/** Seconds since the epoch from seconds or milliseconds. */
function toSeconds(t: number): number {
  return t > 1e11 ? t / 1000 : t;
}
