/**
 * Table laws in the CLI (loss → downstream metric, over-training, data-constrained scaling): one CSV with a
 * header, one row per model, the law's columns found by name (or given with --x A[,B…] and --y Y).
 *   scaling-lens fit FILE --law ID [--x COLS] [--y COL] [--fix p=v,…] [--bootstrap N]
 *   scaling-lens predict --fit FILE --law ID [--x COLS] [--y COL] --at X | --at name=v,… [--bootstrap N]
 */
import * as fs from 'node:fs';
import { opt, type ParsedArgs } from './args';
import { DataError, UsageError } from './errors';
import { diagJson } from './output';
import type { FitOutput, TablePredictOutput } from './schema';
import type { Diagnostic } from '../ingest/types';
import { parseCsv } from '../fit/csv';
import { fitTableLaw, predictionBand, type TableFit, type TableLaw } from '../fit/tableLaw';
import { fromComputeAndMultiplier } from '../fit/laws/overtraining';

export interface TableData {
  inputs: number[][];
  y: number[];
  columns: { inputs: string[]; y: string };
}

/** Reads FILE and picks the law's columns (by --x/--y or by name). Unparsable cells become NaN (counted later). */
export function readTable(law: TableLaw, path: string, xArg: string | undefined, yArg: string | undefined, cmd: string): TableData {
  let text: string;
  try {
    text = fs.readFileSync(path, 'utf8');
  } catch {
    throw new DataError(`no such file: ${path}`);
  }
  const { header, rows } = parseCsv(text);
  if (!header.length || !rows.length) throw new DataError(`${path}: expected a CSV with a header and one row per model`);
  const find = (name: string) => header.findIndex((h) => h.toLowerCase() === name.toLowerCase());
  let xi: number[];
  if (xArg) {
    const names = xArg.split(',').map((s) => s.trim()).filter(Boolean);
    if (names.length !== law.inputs.length) throw new UsageError(`${law.id} takes ${law.inputs.length} input column(s) (${law.inputs.join(', ')}); --x gave ${names.length}`, cmd);
    xi = names.map((n) => find(n));
    const missing = names.filter((_, k) => xi[k] < 0);
    if (missing.length) throw new DataError(`${path}: no column ${missing.map((m) => `"${m}"`).join(', ')} (columns: ${header.join(', ')})`);
  } else {
    xi = law.columns.inputs.map((re) => header.findIndex((h) => re.test(h.trim())));
    const missing = law.inputs.filter((_, k) => xi[k] < 0);
    if (missing.length) throw new DataError(`${path}: no column for ${missing.join(', ')} of ${law.id} (columns: ${header.join(', ')}); name them with --x ${law.inputs.join(',')}`);
  }
  const yi = yArg ? find(yArg) : header.findIndex((h, k) => law.columns.y.test(h.trim()) && !xi.includes(k));
  if (yi < 0) throw new DataError(`${path}: no ${yArg ? `column "${yArg}"` : `${law.columns.yName} column`} (columns: ${header.join(', ')})${yArg ? '' : '; name it with --y'}`);
  const col = (k: number) => rows.map((r) => { const c = (r[k] ?? '').trim(); return c === '' ? NaN : Number(c); });
  return { inputs: xi.map(col), y: col(yi), columns: { inputs: xi.map((k) => header[k]), y: header[yi] } };
}

/** `--fix a=6.26,b=7.30`: fit-space parameters held fixed. */
export function parseFixed(law: TableLaw, s: string | undefined, cmd: string): Record<string, number> | undefined {
  if (!s) return undefined;
  const out: Record<string, number> = {};
  for (const part of s.split(',').map((x) => x.trim()).filter(Boolean)) {
    const m = /^([A-Za-z_][\w]*)=(.+)$/.exec(part);
    const v = m ? Number(m[2]) : NaN;
    if (!m || !Number.isFinite(v)) throw new UsageError(`--fix expects name=value[,name=value…], got "${part}"`, cmd);
    if (!law.params.some((p) => p.name === m[1])) throw new UsageError(`${law.id} has no fit-space parameter "${m[1]}" (${law.params.map((p) => `${p.name}${p.description ? ` = ${p.description}` : ''}`).join(', ')})`, cmd);
    out[m[1]] = v;
  }
  return out;
}

function fitOrFail(law: TableLaw, t: TableData, a: ParsedArgs, conf: number, boot: number, cmd: string): TableFit {
  const r = fitTableLaw(law, t.inputs, t.y, { bootstrap: boot, seed: opt.num(a, 'seed') ?? 0, confidence: conf, fixed: parseFixed(law, opt.str(a, 'fix'), cmd) });
  if (!r.ok) throw new DataError(`${law.id} fit failed: ${r.reason}${r.warnings.length ? ` (${r.warnings.join('; ')})` : ''}`);
  return r;
}

export function fitTable(law: TableLaw, a: ParsedArgs, conf: number, boot: number, diagnostics: Diagnostic[]): FitOutput {
  if (a.positionals.length !== 1) throw new UsageError(`${law.id} fits one CSV file (one row per model); got ${a.positionals.length} paths`, 'fit');
  const path = a.positionals[0];
  const t = readTable(law, path, opt.str(a, 'x'), opt.str(a, 'y'), 'fit');
  const r = fitOrFail(law, t, a, conf, boot, 'fit');
  for (const w of r.warnings) diagnostics.push({ path, severity: 'warning', message: w });
  if (law.advice) diagnostics.push({ path: '', severity: 'info', message: law.advice(r.raw) });
  if (law.published) {
    diagnostics.push({ path: '', severity: 'info', message: `published (${law.published.source}): ${Object.entries(law.published.params).map(([k, v]) => `${k} = ${v}`).join(', ')}` });
  }
  const fixed = parseFixed(law, opt.str(a, 'fix'), 'fit');
  return {
    law: law.id, kind: 'sweep', params: r.params, intervals: r.intervals, objective: r.objective, n: r.n,
    derived: { ...r.derived, rmse: r.rmse }, bootstrap: r.bootstrap, columns: t.columns, ...(fixed ? { fixed } : {}),
    diagnostics: diagnostics.map(diagJson),
  } as FitOutput;
}

/** `--at 2.5` (one-input law) or `--at N=1.4e9,D=9.2e11` (by input name; over-training also takes C=…,M=…). */
export function parseAt(law: TableLaw, s: string | undefined, cmd: string): number[] {
  if (!s) throw new UsageError(`predict --fit with ${law.id} needs --at ${law.inputs.length === 1 ? 'X' : law.inputs.map((n) => `${n}=…`).join(',')}`, cmd);
  if (law.inputs.length === 1 && Number.isFinite(Number(s))) return [Number(s)];
  const kv: Record<string, number> = {};
  for (const part of s.split(',').map((x) => x.trim()).filter(Boolean)) {
    const m = /^([A-Za-z_]\w*)=(.+)$/.exec(part);
    if (!m || !Number.isFinite(Number(m[2]))) throw new UsageError(`--at expects a number or name=value[,…], got "${part}"`, cmd);
    kv[m[1].toUpperCase() === m[1] ? m[1] : m[1].toLowerCase()] = Number(m[2]);
  }
  if (law.id === 'overtraining' && kv.C !== undefined && kv.M !== undefined) return fromComputeAndMultiplier(kv.C, kv.M);
  return law.inputs.map((name) => {
    const v = kv[name] ?? kv[name.toLowerCase()] ?? kv[name.toUpperCase()];
    if (v === undefined) throw new UsageError(`--at is missing ${name} (${law.id} inputs: ${law.inputs.join(', ')}${law.id === 'overtraining' ? '; or C=…,M=…' : ''})`, cmd);
    return v;
  });
}

export function predictTable(law: TableLaw, a: ParsedArgs, conf: number, boot: number, diagnostics: Diagnostic[]): TablePredictOutput {
  if (a.positionals.length !== 1) throw new UsageError(`predict --fit with ${law.id} takes one CSV file; got ${a.positionals.length} paths`, 'predict');
  const path = a.positionals[0];
  const x = parseAt(law, opt.str(a, 'at'), 'predict');
  const t = readTable(law, path, opt.str(a, 'x'), opt.str(a, 'y'), 'predict');
  const fixed = parseFixed(law, opt.str(a, 'fix'), 'predict');
  const r = fitOrFail(law, t, a, conf, 0, 'predict');
  for (const w of r.warnings) diagnostics.push({ path, severity: 'warning', message: w });
  for (let k = 0; k < x.length; k++) {
    const seen = t.inputs[k].filter(Number.isFinite);
    const lo = Math.min(...seen), hi = Math.max(...seen);
    if (x[k] < lo || x[k] > hi) diagnostics.push({ path: '', severity: 'warning', message: `extrapolating: ${law.inputs[k]} = ${x[k]} is outside the fitted range [${lo}, ${hi}]` });
  }
  const band = predictionBand(law, t.inputs, t.y, r, x, { bootstrap: boot, seed: opt.num(a, 'seed') ?? 0, confidence: conf, fixed });
  if (!band && boot >= 20) diagnostics.push({ path: '', severity: 'warning', message: 'fewer than 20 bootstrap refits succeeded: no interval' });
  return {
    law: law.id, at: Object.fromEntries(law.inputs.map((n, k) => [n, x[k]])), value: law.predict(r.raw, x),
    lower: band ? band[0] : null, upper: band ? band[1] : null, confidence: conf, params: r.params, columns: t.columns,
    diagnostics: diagnostics.map(diagJson),
  };
}
