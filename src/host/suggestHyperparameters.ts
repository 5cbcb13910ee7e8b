/**
 * The *Suggest Hyperparameters…* command (issue 15): for a target N and D, the Step Law's optimal peak learning
 * rate η* and batch size B* (Li et al. 2025) and, when the workspace holds a learning-rate × batch-size sweep, our
 * fit of the same laws on it with intervals. The sweep comes from CSV tables with N, D, lr, batch size and loss
 * columns (e.g. `laws/hyperparameter-sweep.csv` of the sample workspace), else from the runs whose logs state a
 * learning rate, tokens per step, N and tokens. The numbers are computed in src/fit/stepLaw.ts; this file only asks,
 * gathers and shows.
 */
import * as vscode from 'vscode';
import type { Controller } from './controller';
import { parseQuantity } from '../model/format';
import { formatCount, lastFinite, tokensAt } from '../model/runModel';
import {
  suggestHyperparametersAsync,
  sweepFromTable,
  type HyperparameterSuggestion,
  type SweepRun,
} from '../fit/stepLaw';
import { parseCsv } from '../fit/csv';

const MAX_TABLES = 50;
const MAX_TABLE_BYTES = 1024 * 1024;
const LR_KEYS = ['learning_rate', 'lr', 'max_lr', 'peak_lr'];

const pause = () => new Promise<void>((r) => setImmediate(r));

/** Sweep rows from the workspace's CSV sweep tables (read asynchronously, one file per slice). */
async function sweepTables(): Promise<{ runs: SweepRun[]; files: string[] }> {
  const runs: SweepRun[] = [],
    files: string[] = [];
  const uris = await vscode.workspace.findFiles('**/*.{csv,tsv}', '**/{node_modules,.git}/**', 500);
  for (const uri of uris) {
    if (files.length >= MAX_TABLES) break;
    try {
      const st = await vscode.workspace.fs.stat(uri);
      if (st.size > MAX_TABLE_BYTES) continue;
      const text = new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
      const head = text.slice(0, text.indexOf('\n') + 1 || text.length);
      if (!/lr|learning/i.test(head) || !/batch|bs/i.test(head)) continue;
      const { header, rows } = parseCsv(text);
      const s = sweepFromTable(header, rows);
      if (s?.length) {
        runs.push(...s);
        files.push(vscode.workspace.asRelativePath(uri));
      }
    } catch {
      // an unreadable file is not a sweep
    }
    await pause();
  }
  return { runs, files };
}

/** Sweep rows from the runs the extension tracks: N, tokens seen, stated learning rate, tokens per step, last loss. */
function sweepFromRuns(c: Controller): SweepRun[] {
  const out: SweepRun[] = [];
  for (const run of c.model.runs.values()) {
    if (run.meta.evaluation) continue;
    const h = run.meta.hparams ?? {};
    const lrKey = Object.keys(h).find((k) => LR_KEYS.includes(k.slice(k.lastIndexOf('.') + 1).toLowerCase()));
    const lr = lrKey ? Number(h[lrKey].value) : NaN;
    const withTok = c.model.withTokens(run);
    const bs = withTok.meta.tokensPerStep?.value ?? NaN;
    const metric = c.model.metricOf(run, c.options.metric);
    const last = metric && run.metrics[metric] ? lastFinite(run.metrics[metric]) : undefined;
    const N = c.model.params(run) ?? NaN;
    const D = last ? (tokensAt(withTok, last.step) ?? NaN) : NaN;
    if (last && [N, D, lr, bs, last.value].every((v) => Number.isFinite(v) && v > 0))
      out.push({ N, D, lr, bs, loss: last.value });
  }
  return out;
}

/**
 * The workspace's LR × batch sweep: its sweep tables when there are any, else the runs that state what a sweep row
 * needs (mixing a table with unrelated runs would bias both fits).
 */
export async function gatherSweep(c: Controller): Promise<{ runs: SweepRun[]; sources: string[] }> {
  const tables = await sweepTables();
  if (tables.runs.length) return { runs: tables.runs, sources: tables.files };
  const fromRuns = sweepFromRuns(c);
  return { runs: fromRuns, sources: fromRuns.length ? [`${fromRuns.length} run(s) of the workspace`] : [] };
}

export const pauseTurn = pause;

function fmt(v: number): string {
  return Number.isFinite(v) ? v.toPrecision(3) : '–';
}

/** The suggestion as Markdown (shown in a preview-able document; also the command's return value's `text`). */
export function suggestionMarkdown(s: HyperparameterSuggestion, sources: string[]): string {
  const pct = Math.round(s.confidence * 100);
  const lines = [
    `# Suggested hyperparameters for N = ${formatCount(s.N)}, D = ${formatCount(s.D)} tokens`,
    '',
    '| | peak learning rate η* | batch size B* (tokens) |',
    '|---|---|---|',
    `| Step Law, published (${s.published.source}) | ${fmt(s.published.lr)} | ${formatCount(s.published.batchTokens)} |`,
  ];
  if (s.fitted) {
    const f = s.fitted;
    const iv = (b: [number, number] | null, count = false) =>
      b ? ` (${pct} %: ${count ? formatCount(b[0]) : fmt(b[0])} – ${count ? formatCount(b[1]) : fmt(b[1])})` : '';
    lines.push(
      `| fitted on this workspace's sweep (${f.rows} near-optimal runs, ${f.cells} (N, D) cells) | ${fmt(f.lr)}${iv(f.lrInterval)} | ${formatCount(f.batchTokens)}${iv(f.batchInterval, true)} |`,
    );
    lines.push(
      '',
      `Fitted laws: η* = ${fmt(f.lrParams.c)}·N^${fmt(f.lrParams.alpha)}·D^${fmt(f.lrParams.beta)}; B* = ${fmt(f.batchParams.c)}·D^${fmt(f.batchParams.gamma)}.`,
    );
  } else lines.push('', 'No learning-rate × batch-size sweep found in the workspace: only the published law is shown.');
  lines.push(`Published: ${s.published.lrFormula}; ${s.published.batchFormula}.`);
  if (sources.length) lines.push('', `Sweep read from: ${sources.join(', ')}.`);
  if (s.warnings.length) lines.push('', '## Warnings', '', ...s.warnings.map((w) => `- ${w}`));
  return lines.join('\n') + '\n';
}

/**
 * `scalingLens.suggestHyperparameters [N] [D]`: asks what is missing, returns the suggestion (and opens it as a
 * Markdown document unless `quiet`, for tests).
 */
export async function suggestHyperparametersCommand(
  c: Controller,
  nArg?: unknown,
  dArg?: unknown,
  quiet?: unknown,
): Promise<(HyperparameterSuggestion & { text: string; sources: string[] }) | undefined> {
  const ask = async (arg: unknown, prompt: string, placeHolder: string): Promise<number | undefined> => {
    const v = typeof arg === 'number' ? arg : typeof arg === 'string' ? parseQuantity(arg) : NaN;
    if (Number.isFinite(v) && v > 0) return v;
    const s = await vscode.window.showInputBox({
      prompt,
      placeHolder,
      validateInput: (x) =>
        Number.isFinite(parseQuantity(x)) && parseQuantity(x) > 0
          ? undefined
          : 'a positive number, optionally with k/M/B/T or an exponent',
    });
    return s === undefined ? undefined : parseQuantity(s);
  };
  const N = await ask(nArg, 'Target model size N (parameters)', '7B');
  if (N === undefined) return undefined;
  const D = await ask(dArg, 'Target training tokens D', '1.4T');
  if (D === undefined) return undefined;
  const result = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: 'Scaling Lens: fitting η* and B*…' },
    async () => {
      const { runs, sources } = await gatherSweep(c);
      const s = await suggestHyperparametersAsync(N, D, runs, {
        bootstrap: 200,
        confidence: c.config.confidence,
        pause,
      });
      return { ...s, sources, text: suggestionMarkdown(s, sources) };
    },
  );
  c.log.info(
    `Suggest Hyperparameters: N = ${N}, D = ${D}: published η* = ${result.published.lr}, B* = ${result.published.batchTokens}; fitted ${result.fitted ? `η* = ${result.fitted.lr}, B* = ${result.fitted.batchTokens}` : 'none'}`,
  );
  if (quiet !== true) {
    const doc = await vscode.workspace.openTextDocument({ language: 'markdown', content: result.text });
    await vscode.window.showTextDocument(doc, { preview: true });
  }
  return result;
}
