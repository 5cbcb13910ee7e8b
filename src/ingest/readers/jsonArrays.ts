/**
 * Metric histories saved as JSON arrays in one document (whole file, re-read when it changes). Pure (no `vscode`).
 *
 * What scripts write when they keep their losses in a list and dump it at the end, not a log line per step:
 *  - Keras' `History.history` dumped with `json.dump` (`{"loss": [0.69, 0.52, …], "val_loss": […], "accuracy": […]}`),
 *    and any dict of per-epoch or per-step lists (`{"train_loss": […], "epoch": [1, 2, …]}`), at the top level or
 *    under one key (`{"history": {…}}`);
 *  - a list of records (`json.dump(trainer.state.log_history, f)`, a list of per-epoch dicts), also pasted into code
 *    as a literal: read record by record as JSON Lines are (jsonRecords.ts);
 *  - a bare list of numbers (`json.dump(losses, f)`, or `f.write(str(losses))`: Python's `str` of a list of floats is
 *    JSON) — named from the file (`train_loss.txt` → the training loss).
 * Points are the list's elements in order (step = index + 1, axis 'record'), unless a list keyed by a step word
 * (`epoch`, `step`, `iteration`, …) of the same length gives each element's step.
 */
import type { Sniff, WholeReader } from '../reader';
import { diag } from '../reader';
import type { Diagnostic, ParseResult } from '../types';
import { RunBuilder, toNumber } from '../structuredRun';
import { isObject, parseJsonLenient } from '../jsonUtil';
import { baseName, namedForLoss } from '../csvUtil';
import { detectJsonRecords, parseJsonRecords } from './jsonRecords';

/** Keys of a list that holds each element's step rather than a metric. */
const STEP_KEYS = ['epoch', 'epochs', 'step', 'steps', 'global_step', 'iteration', 'iterations', 'iter', 'batch'];
/** A list needs this many numbers to be a history (a one-element list is a setting). */
const MIN_POINTS = 2;

export const jsonArraysReader: WholeReader = {
  format: 'json-arrays',
  kind: 'whole',
  detect: detectJsonArrays,
  parse: (path, content, o) => parseJsonArrays(path, content, o?.maxSeriesPoints),
};

/** `[` then a number, or `{` then a quoted key whose value is `[` then a number (possibly under one more key). */
const ARRAY_START = /^\[\s*-?(?:\d|NaN|Infinity)/;
const DICT_OF_ARRAYS = /^\{\s*(?:"[^"\n]{1,80}"\s*:\s*\{\s*)?"[^"\n]{1,80}"\s*:\s*\[\s*-?(?:\d|NaN|Infinity)/;

/** A name that says its numbers are a training metric (so a config's `"image_mean": [0.48, …]` is not a history). */
const METRIC_WORD = /loss|acc|err|ppl|perplexity|reward|score|mse|mae|rmse|auc|f1|bleu|rouge|nll|cost/i;
/** A quoted key naming a metric (METRIC_WORD), whose value is a list that starts with a number. */
const METRIC_LIST = new RegExp(
  `"[^"\\n]{0,80}(?:${METRIC_WORD.source})[^"\\n]{0,80}"\\s*:\\s*\\[\\s*-?(?:\\d|NaN|Infinity)`,
  'i',
);

export function detectJsonArrays(sniff: Sniff): number {
  const t = sniff.text.trimStart();
  // a list of records (dicts), or one pasted as a literal into code or notes (jsonRecords.ts)
  const records = detectJsonRecords(t);
  if (records) return records;
  // a bare list: only when the file's name says what the numbers are (`train_loss.txt`, `losses.json`)
  if (ARRAY_START.test(t)) return bareListShape(t) && METRIC_WORD.test(stemOf(sniff.path)) ? 0.7 : 0;
  if (DICT_OF_ARRAYS.test(t) && METRIC_LIST.test(t)) return 0.7;
  return 0;
}

/** The sniffed start of a bare list holds only numbers and separators (not a list of lists or of records). */
function bareListShape(t: string): boolean {
  const head = t.slice(1, 4096);
  return /^[\s\d.,eE+\-NaInfity]*(?:\]\s*)?$/.test(head);
}

export function parseJsonArrays(path: string, content: Uint8Array, maxSeriesPoints?: number): ParseResult {
  const diagnostics: Diagnostic[] = [];
  const text = new TextDecoder().decode(content);
  if (detectJsonRecords(text.slice(0, 65536))) {
    const r = parseJsonRecords(path, text, maxSeriesPoints);
    if (r) return r;
  }
  const p = parseJsonLenient(text);
  if (!p.ok) {
    diagnostics.push(diag(path, `not valid JSON (${p.error}); the file may be mid-write`, {}, 'warning'));
    return { runs: [], diagnostics };
  }
  const lists = listsOf(p.value, path);
  const bare = Array.isArray(p.value);
  const b = new RunBuilder(path, 'json-arrays', path, bare ? lossAliasOf(nameFromFile(path)) : {}, maxSeriesPoints);
  if (!lists.length) {
    diagnostics.push(diag(path, 'a JSON document with no list of numbers: no metric history in it', {}, 'warning'));
    return { runs: [], diagnostics };
  }
  const stepList = lists.find((l) => STEP_KEYS.includes(l.key.toLowerCase()));
  for (const l of lists) {
    if (l === stepList) continue;
    const byStep = stepList && stepList.values.length === l.values.length ? stepList.values : undefined;
    for (let i = 0; i < l.values.length; i++) {
      const v = l.values[i];
      if (v === undefined) continue;
      b.add(l.key, byStep ? (byStep[i] ?? i + 1) : i + 1, v);
    }
  }
  b.run.meta.stepAxis = stepList
    ? { value: stepList.key, source: { path, how: `the "${stepList.key}" list beside the metric lists` } }
    : { value: 'record order', source: { path, how: "each list's elements in order (no step is saved with them)" } };
  diagnostics.push(
    diag(
      path,
      `metric lists in one JSON document (${lists.map((l) => `${l.key} ×${l.values.length}`).join(', ')})${stepList ? '' : ': their points are numbered in list order (1, 2, 3, …)'}`,
    ),
  );
  return { runs: [b.lastWritesRun()], diagnostics };
}

interface NumberList {
  key: string;
  values: (number | undefined)[];
}

/** The lists of numbers in a document: a bare list (named from the file), or a dict's lists (one level down at most). */
function listsOf(doc: unknown, path: string): NumberList[] {
  if (Array.isArray(doc)) {
    const values = numbers(doc);
    return values ? [{ key: nameFromFile(path), values }] : [];
  }
  if (!isObject(doc)) return [];
  let out = dictLists(doc);
  if (!out.length) {
    const inner = Object.values(doc).filter(isObject);
    if (inner.length === 1) out = dictLists(inner[0]);
  }
  return out;
}

function dictLists(d: Record<string, unknown>): NumberList[] {
  const out: NumberList[] = [];
  for (const [key, v] of Object.entries(d)) {
    if (!Array.isArray(v)) continue;
    const values = numbers(v);
    if (values) out.push({ key, values });
  }
  return out;
}

/** The numbers of a list of numbers (NaN/Infinity kept; `null` a gap), or undefined when it holds anything else. */
function numbers(xs: unknown[]): (number | undefined)[] | undefined {
  if (xs.length < MIN_POINTS) return undefined;
  const out: (number | undefined)[] = [];
  let n = 0;
  for (const x of xs) {
    if (x === null) {
      out.push(undefined);
      continue;
    }
    if (typeof x !== 'number' && typeof x !== 'string') return undefined;
    const v = toNumber(x);
    if (v === undefined) return undefined;
    out.push(v);
    n++;
  }
  return n >= MIN_POINTS ? out : undefined;
}

/** The file's name without its extension. */
function stemOf(path: string): string {
  return baseName(path).replace(/\.[A-Za-z0-9]{1,5}$/, '');
}

/** A bare list's metric name: the file's name without its extension (`train_loss.txt` → `train_loss`). */
function nameFromFile(path: string): string {
  return stemOf(path) || 'value';
}

/**
 * What a bare list named for a loss is: the validation loss when the name says evaluation (`val_losses.json`), else
 * the training loss (`train_loss.txt`, `losses.json`, `exp3_loss_history.txt`); other names stay as written.
 */
function lossAliasOf(name: string): Record<string, string> {
  if (!namedForLoss(name)) return {};
  return {
    [name]: /(?:^|[^a-z])(?:val|valid|validation|eval|dev|test)(?:[^a-z]|$)/i.test(name) ? 'val/loss' : 'train/loss',
  };
}
