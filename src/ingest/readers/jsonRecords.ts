/**
 * A list of metric records saved as one JSON document, or pasted as a literal into code or notes. Pure (no `vscode`).
 *
 * What scripts write when they keep one dict per logging step and dump the list at the end:
 *  - `json.dump(trainer.state.log_history, f, indent=2)` (the Hugging Face Trainer's records, one key a line), and any
 *    list of per-epoch or per-step dicts (`history.append({"epoch": e, "train_loss": …}); json.dump(history, f)`);
 *  - the same list, or a whole `trainer_state.json`, pasted into a source file or a note as a literal: `const logs = [`
 *    … `];` in JavaScript, `history = [` … `]` or `ts = {` … `}` in Python (`None`, `True`, `False` for JSON's
 *    `null`, `true`, `false`; commas left before a closing bracket).
 * Each record is read as a JSON Lines record is (`JsonlParser`): the same step keys (a `step`, an `iteration`, …; record
 * order when there is none), the same evaluation and summary records, numbers written as strings. A `"log_history"`
 * list found inside a pasted trainer state takes the state's `max_steps` as the planned total.
 */
import { JsonlParser } from './jsonl';
import { diag } from '../reader';
import type { Diagnostic, ParseResult } from '../types';
import { isObject, parseJsonLenient } from '../jsonUtil';
import { sourced } from '../structuredRun';

/** A metric's word in a record's key (as `jsonArrays`' METRIC_WORD). */
const METRIC_KEY =
  /"[^"\n]{0,80}(?:loss|acc|err|ppl|perplexity|reward|score|mse|mae|rmse|auc|bleu|nll)[^"\n]{0,80}"\s*:/i;
/**
 * The start of a list of records: the document itself, or a literal assigned to a name (`const logs = [`, `history =
 * [`, `export default [`, `module.exports = [`), then `[` and `{` and a quoted key.
 */
const RECORDS_START =
  /^(?:(?:export\s+default|(?:export\s+)?(?:const|let|var)\s+[A-Za-z_$][\w$]*\s*(?::[^=\n]{1,40})?=|[A-Za-z_$][\w$.]*\s*=)\s*)?\[\s*\{\s*"/;
/** A trainer state's `"log_history": [` anywhere (a `trainer_state.json` pasted into code or notes). */
const LOG_HISTORY = /"log_history"\s*:\s*\[/;

/** Confidence that the sniffed text is a list of metric records (or holds a pasted trainer state's log history). */
export function detectJsonRecords(text: string): number {
  const t = text.trimStart();
  if (RECORDS_START.test(t) && METRIC_KEY.test(t.slice(0, 4096))) return 0.7;
  // (a `trainer_state.json` itself, starting with `{`, is the trainer-state reader's)
  if (!t.startsWith('{') && LOG_HISTORY.test(t)) return 0.7;
  return 0;
}

/** The list's `[` in the text: after `"log_history":` when the text holds one, else the first `[`; −1 if none. */
function listStart(text: string): { at: number; history: boolean } {
  const m = LOG_HISTORY.exec(text);
  if (m) return { at: m.index + m[0].length - 1, history: true };
  return { at: text.indexOf('['), history: false };
}

/**
 * The literal from the bracket at `at` to its matching bracket, as JSON text: Python's `None`/`True`/`False` as
 * `null`/`true`/`false` and commas before a closing bracket dropped, outside strings. Undefined when the bracket is
 * never closed (a file cut short). One pass.
 */
export function literalAsJson(text: string, at: number): string | undefined {
  let out = '';
  let last = at;
  let depth = 0;
  let quote = 0;
  for (let i = at; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (quote) {
      if (c === 92) i++;
      else if (c === quote) quote = 0;
      continue;
    }
    if (c === 34) quote = c;
    else if (c === 91 || c === 123) depth++;
    else if (c === 93 || c === 125) {
      if (--depth === 0) return out + text.slice(last, i + 1);
    } else if (c === 44) {
      // a comma before a closing bracket (blanks between): dropped
      let j = i + 1;
      while (j < text.length && /\s/.test(text[j])) j++;
      if (text[j] === ']' || text[j] === '}') {
        out += text.slice(last, i);
        last = i + 1;
      }
    } else if (c === 78 || c === 84 || c === 70) {
      // `None`, `True`, `False` as a bare word
      const w = /^(?:None|True|False)(?![\w$])/.exec(text.slice(i, i + 6));
      if (w && !/[\w$.]/.test(text[i - 1] ?? '')) {
        out += text.slice(last, i) + (w[0] === 'None' ? 'null' : w[0] === 'True' ? 'true' : 'false');
        i += w[0].length - 1;
        last = i + 1;
      }
    }
  }
  return undefined;
}

/** Reads the list of records in `text` (see the module comment); undefined when there is none. */
export function parseJsonRecords(path: string, text: string, maxSeriesPoints?: number): ParseResult | undefined {
  const { at, history } = listStart(text);
  if (at < 0) return undefined;
  const json = literalAsJson(text, at);
  const diagnostics: Diagnostic[] = [];
  if (json === undefined) {
    diagnostics.push(diag(path, 'a list of records that is never closed; the file may be mid-write', {}, 'warning'));
    return { runs: [], diagnostics };
  }
  const p = parseJsonLenient(json);
  if (!p.ok || !Array.isArray(p.value) || !p.value.some(isObject)) return undefined;
  const parser = new JsonlParser(path, maxSeriesPoints);
  p.value.forEach((rec, i) => {
    if (isObject(rec)) parser.line(JSON.stringify(rec), i + 1);
  });
  const r = parser.result();
  const run = r.runs[0];
  if (run) {
    run.format = 'json-arrays';
    // a pasted trainer state's planned total, stated after its log history
    const max = history ? /"max_steps"\s*:\s*(\d+)/.exec(text.slice(at)) : null;
    if (max && !run.meta.totalSteps && +max[1] > 0)
      run.meta.totalSteps = sourced(+max[1], path, 'max_steps of the trainer state around the log history');
  }
  return {
    runs: r.runs,
    diagnostics: [
      diag(
        path,
        `a list of ${p.value.length} records in one JSON document${history ? " (a trainer state's log_history)" : ''}${text.trimStart().startsWith('[') ? '' : ', pasted as a literal'}: each read as a JSON Lines record`,
        {},
        'info',
      ),
      ...r.diagnostics,
    ],
  };
}
