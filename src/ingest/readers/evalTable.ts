/**
 * Evaluation tables written beside training logs: CSV/TSV or JSONL, one row per (checkpoint, task) with the
 * scores as columns — `step,task,acc,acc_stderr`, `model,checkpoint,task,fewshot,acc,acc_stderr` (the Pythia
 * term-frequency evaluations, EleutherAI/pythia evals/csv/) — or in long form with `metric` and `value` columns.
 * Pure (no `vscode`); a text reader (the file grows by appending rows).
 *
 * What sets it apart from a metrics table (csv.ts / jsonl.ts, which must not claim it): a task column
 * (`task`, `benchmark`, `eval`, `dataset`, `task_name`) next to a checkpoint/step column. One run per model
 * (a `model` column, else the file), series `eval/<task>/<metric>` at each row's step (a `fewshot` column other
 * than 0 is kept in the task name: `task[5-shot]`). `meta.evaluation.stepwise` lets the loader fold the run into
 * the training run beside it (evalLink.ts).
 */
import type { LineParser, Sniff, TextReader } from '../reader';
import { diag } from '../reader';
import type { Diagnostic, ParseResult, Run } from '../types';
import { RunBuilder, toNumber } from '../structuredRun';
import {
  cellNumber,
  findColumn,
  guessDelimiter,
  isMissingCell,
  sniffLines,
  splitCsvLine,
  type Delimiter,
} from '../csvUtil';
import { isObject, parseJsonLenient } from '../jsonUtil';
import { checkpointStep } from '../evalLink';
import { sniffTable } from './csv';

const TASK = /^(task|task_name|benchmark|eval|eval_name|dataset|eval_task)$/i;
const STEP = /^(step|steps|global_step|checkpoint|ckpt|iteration|iter|train_step|checkpoint_step|revision)$/i;
const MODEL = /^(model|model_name|run|run_name)$/i;
const FEWSHOT = /^(fewshot|num_fewshot|n_shot|shots|k_shot)$/i;
const METRIC = /^(metric|metric_name)$/i;
const VALUE = /^(value|score|result)$/i;
const MAX_DIAGNOSTICS = 100;
const MAX_RUNS = 200;

export const evalTableReader: TextReader = {
  format: 'eval-table',
  kind: 'text',
  detect: detectEvalTable,
  create: (path, o) => new EvalTableParser(path, o?.maxSeriesPoints),
};

function jsonRows(sniff: Sniff): Record<string, unknown>[] | null {
  const lines = sniffLines(sniff.text, 5).filter((l) => l.trim() !== '');
  if (!lines.length || !lines[0].trimStart().startsWith('{')) return null;
  const rows: Record<string, unknown>[] = [];
  for (const l of lines) {
    const p = parseJsonLenient(l);
    if (p.ok && isObject(p.value)) rows.push(p.value);
  }
  return rows.length ? rows : null;
}

/** A task column and a step/checkpoint column, with at least one numeric score (or metric + value columns). */
export function detectEvalTable(sniff: Sniff): number {
  const js = jsonRows(sniff);
  if (js) {
    const keys = Object.keys(js[0]);
    const ok =
      keys.some((k) => TASK.test(k)) &&
      keys.some((k) => STEP.test(k)) &&
      keys.some((k) => !TASK.test(k) && !STEP.test(k) && !MODEL.test(k) && typeof js[0][k] === 'number');
    return ok ? 0.93 : 0;
  }
  const t = sniffTable(sniff);
  if (!t) return 0;
  if (findColumn(t.header, TASK) < 0 || findColumn(t.header, STEP) < 0) return 0;
  return 0.93;
}

interface Cols {
  task: number;
  step: number;
  model: number;
  fewshot: number;
  metric: number;
  value: number;
}

export class EvalTableParser implements LineParser {
  private header: string[] | null = null;
  private delim: Delimiter = ',';
  private cols: Cols = { task: -1, step: -1, model: -1, fewshot: -1, metric: -1, value: -1 };
  private builders = new Map<string, RunBuilder>();
  private diagnostics: Diagnostic[] = [];
  private json: boolean | null = null;

  constructor(
    private path: string,
    private maxSeriesPoints?: number,
  ) {}

  line(text: string, lineNo: number): void {
    try {
      if (text.trim() === '') return;
      if (this.json === null) this.json = text.trimStart().startsWith('{');
      if (this.json) return this.jsonLine(text, lineNo);
      if (this.header === null || lineNo === 1) {
        this.delim = guessDelimiter(text);
        const h = splitCsvLine(text, this.delim);
        this.header = h;
        this.cols = {
          task: findColumn(h, TASK),
          step: findColumn(h, STEP),
          model: findColumn(h, MODEL),
          fewshot: findColumn(h, FEWSHOT),
          metric: findColumn(h, METRIC),
          value: findColumn(h, VALUE),
        };
        if (this.cols.task < 0 || this.cols.step < 0)
          this.report(lineNo, 'no task or step/checkpoint column in the header');
        return;
      }
      const cells = splitCsvLine(text, this.delim);
      const h = this.header;
      const scores: [string, number][] = [];
      const c = this.cols;
      if (c.metric >= 0 && c.value >= 0) {
        const v = cellNumber(cells[c.value] ?? '');
        if (v !== undefined) scores.push([cells[c.metric] ?? 'value', v]);
      } else {
        for (let i = 0; i < h.length; i++) {
          if (i === c.task || i === c.step || i === c.model || i === c.fewshot) continue;
          const cell = cells[i] ?? '';
          if (isMissingCell(cell)) continue;
          const v = cellNumber(cell);
          if (v !== undefined) scores.push([h[i], v]);
        }
      }
      this.add(
        cells[c.task] ?? '',
        cells[c.step] ?? '',
        c.model >= 0 ? cells[c.model] : undefined,
        c.fewshot >= 0 ? cellNumber(cells[c.fewshot] ?? '') : undefined,
        scores,
        lineNo,
      );
    } catch (e) {
      this.report(lineNo, `could not read row: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  private jsonLine(text: string, lineNo: number): void {
    const p = parseJsonLenient(text);
    if (!p.ok || !isObject(p.value))
      return this.report(lineNo, p.ok ? 'not a JSON object' : `not valid JSON (${p.error})`);
    const o = p.value;
    const key = (re: RegExp) => Object.keys(o).find((k) => re.test(k));
    const tk = key(TASK),
      sk = key(STEP),
      mk = key(MODEL),
      fk = key(FEWSHOT),
      metk = key(METRIC),
      vk = key(VALUE);
    const scores: [string, number][] = [];
    if (metk && vk) {
      const v = toNumber(o[vk]);
      if (v !== undefined) scores.push([String(o[metk]), v]);
    } else {
      for (const [k, v] of Object.entries(o)) {
        if (k === tk || k === sk || k === mk || k === fk) continue;
        const n = toNumber(v);
        if (n !== undefined) scores.push([k, n]);
      }
    }
    this.add(
      tk ? String(o[tk]) : '',
      sk ? String(o[sk]) : '',
      mk ? String(o[mk]) : undefined,
      fk ? toNumber(o[fk]) : undefined,
      scores,
      lineNo,
    );
  }

  private add(
    task: string,
    stepCell: string,
    model: string | undefined,
    fewshot: number | undefined,
    scores: [string, number][],
    lineNo: number,
  ): void {
    task = task.trim();
    if (!task) return this.report(lineNo, 'row without a task');
    const step = cellNumber(stepCell) ?? checkpointStep(stepCell)?.step;
    if (step === undefined || !Number.isFinite(step))
      return this.report(lineNo, `row without a readable step or checkpoint ("${stepCell.slice(0, 40)}")`);
    if (!scores.length) return;
    const m = model?.trim() || '';
    let b = this.builders.get(m);
    if (!b) {
      if (this.builders.size >= MAX_RUNS)
        return this.report(lineNo, `more than ${MAX_RUNS} models: the rest were not read`);
      b = new RunBuilder(this.path, 'eval-table', m ? `${this.path}#${m}` : this.path, {}, this.maxSeriesPoints);
      b.run.meta.evaluation = { stepwise: true, ...(m ? { model: m } : {}) };
      if (m) b.run.meta.name = m;
      b.run.meta.stepAxis = {
        value: 'checkpoint step',
        source: { path: this.path, how: 'the step/checkpoint column of the evaluation table' },
      };
      this.builders.set(m, b);
    }
    const t = fewshot ? `${task}[${fewshot}-shot]` : task;
    for (const [metric, v] of scores) {
      const name = `eval/${t}/${metric.replace(/,none$/, '')}`;
      let s = b.run.metrics[name] as ReturnType<RunBuilder['newSeries']> | undefined;
      if (!s) {
        s = b.newSeries(name, `${task}: ${metric}`);
        b.put(s);
      }
      s.append(step, v);
    }
  }

  private report(lineNo: number, message: string): void {
    if (this.diagnostics.length < MAX_DIAGNOSTICS) this.diagnostics.push(diag(this.path, message, { line: lineNo }));
  }

  result(): ParseResult {
    const runs: Run[] = [...this.builders.values()].map((b) => b.run);
    return { runs, diagnostics: this.diagnostics };
  }
}
