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
import {
  bootstrapRaws,
  fitTableLaw,
  percentileBand,
  predictionBand,
  type TableFit,
  type TableLaw,
} from '../fit/tableLaw';
import { tableLawById } from '../fit/tableLaws';
import { fromComputeAndMultiplier } from '../fit/laws/overtraining';
import { nearOptimalRuns } from '../fit/stepLaw';

export interface TableData {
  inputs: number[][];
  y: number[];
  columns: { inputs: string[]; y: string };
}

/** Reads FILE and picks the law's columns (by --x/--y or by name). Unparsable cells become NaN (counted later). */
export function readTable(
  law: TableLaw,
  path: string,
  xArg: string | undefined,
  yArg: string | undefined,
  cmd: string,
): TableData {
  let text: string;
  try {
    text = fs.readFileSync(path, 'utf8');
  } catch {
    throw new DataError(`no such file: ${path}`);
  }
  const { header, rows } = parseCsv(text);
  if (!header.length || !rows.length)
    throw new DataError(`${path}: expected a CSV with a header and one row per model`);
  const find = (name: string) => header.findIndex((h) => h.toLowerCase() === name.toLowerCase());
  let xi: number[];
  if (xArg) {
    const names = xArg
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    if (names.length !== law.inputs.length)
      throw new UsageError(
        `${law.id} takes ${law.inputs.length} input column(s) (${law.inputs.join(', ')}); --x gave ${names.length}`,
        cmd,
      );
    xi = names.map((n) => find(n));
    const missing = names.filter((_, k) => xi[k] < 0);
    if (missing.length)
      throw new DataError(
        `${path}: no column ${missing.map((m) => `"${m}"`).join(', ')} (columns: ${header.join(', ')})`,
      );
  } else {
    xi = law.columns.inputs.map((re) => header.findIndex((h) => re.test(h.trim())));
    const missing = law.inputs.filter((_, k) => xi[k] < 0);
    if (missing.length)
      throw new DataError(
        `${path}: no column for ${missing.join(', ')} of ${law.id} (columns: ${header.join(', ')}); name them with --x ${law.inputs.join(',')}`,
      );
  }
  const yi = yArg ? find(yArg) : header.findIndex((h, k) => law.columns.y.test(h.trim()) && !xi.includes(k));
  if (yi < 0)
    throw new DataError(
      `${path}: no ${yArg ? `column "${yArg}"` : `${law.columns.yName} column`} (columns: ${header.join(', ')})${yArg ? '' : '; name it with --y'}`,
    );
  const col = (k: number) =>
    rows.map((r) => {
      const c = (r[k] ?? '').trim();
      return c === '' ? NaN : Number(c);
    });
  return { inputs: xi.map(col), y: col(yi), columns: { inputs: xi.map((k) => header[k]), y: header[yi] } };
}

const SWEEP_COLS = {
  N: /^(n|params|parameters|num_params|n_params|model[ _]?size)$/i,
  D: /^(d|tokens|num_tokens|n_tokens|train(ing)?[ _]tokens)$/i,
  lr: /^(lr|learning[ _]?rate|peak[ _]?lr|max[ _]?lr)$/i,
  bs: /^(bs|batch[ _]?size|global[ _]?batch[ _]?size|batch[ _]?tokens)$/i,
  loss: /^(smooth[ _]?loss|loss|final[ _]?loss|val[ _]?loss|eval[ _]?loss|train[ _]?loss)$/i,
};

/**
 * Hyperparameter laws read a learning-rate × batch-size sweep (one row per run: N, D, lr, batch size, final
 * loss) and fit the near-optimal runs of each (N, D) cell (Step Law protocol). `--seq-len S` turns a batch size
 * in sequences into tokens; `--tolerance P` is the near-optimal band (default 0.0025 = 0.25 %).
 */
export function readSweepTable(
  law: TableLaw,
  path: string,
  a: ParsedArgs,
  cmd: string,
  diagnostics: Diagnostic[],
): TableData {
  let text: string;
  try {
    text = fs.readFileSync(path, 'utf8');
  } catch {
    throw new DataError(`no such file: ${path}`);
  }
  for (const k of ['x', 'y'])
    if (a.options[k] !== undefined)
      throw new UsageError(
        `--${k} does not apply to ${law.id}: it reads the sweep's N, D, lr, batch size and loss columns by name`,
        cmd,
      );
  const { header, rows } = parseCsv(text);
  const idx: Record<string, number> = {};
  for (const [k, re] of Object.entries(SWEEP_COLS)) {
    // the smoothed loss wins over the raw one when both are there (the authors fit on it)
    const hits = header.map((h, i) => (re.test(h.trim()) ? i : -1)).filter((i) => i >= 0);
    idx[k] = k === 'loss' ? (hits.find((i) => /smooth/i.test(header[i])) ?? hits[0] ?? -1) : (hits[0] ?? -1);
  }
  const missing = Object.keys(idx).filter((k) => idx[k] < 0);
  if (missing.length)
    throw new DataError(
      `${path}: a sweep for ${law.id} needs columns N, D, lr, batch size and loss; missing ${missing.join(', ')} (columns: ${header.join(', ')})`,
    );
  const seq = opt.num(a, 'seq-len') ?? 1;
  if (!(seq > 0)) throw new UsageError('--seq-len must be positive', cmd);
  const tol = opt.num(a, 'tolerance') ?? 0.0025;
  if (!(tol > 0 && tol < 1)) throw new UsageError('--tolerance must be in (0, 1)', cmd);
  const cell = (r: string[], k: string) => {
    const c = (r[idx[k]] ?? '').trim();
    return c === '' ? NaN : Number(c);
  };
  const runs = rows.map((r) => ({
    N: cell(r, 'N'),
    D: cell(r, 'D'),
    lr: cell(r, 'lr'),
    bs: cell(r, 'bs') * seq,
    loss: cell(r, 'loss'),
  }));
  const sel = nearOptimalRuns(runs, tol);
  if (sel.dropped)
    diagnostics.push({
      path,
      severity: 'warning',
      message: `${sel.dropped} run(s) without positive finite N, D, lr, batch size and loss were skipped`,
    });
  for (const w of sel.warnings) diagnostics.push({ path, severity: 'warning', message: w });
  diagnostics.push({
    path,
    severity: 'info',
    message: `${sel.rows.length} near-optimal run(s) (loss within ${+(tol * 100).toPrecision(3)} % of their cell's best) from ${sel.cells} (N, D) cell(s), ${runs.length} runs`,
  });
  const ys = law.columns.yName === 'learning rate' ? sel.rows.map((r) => r.lr) : sel.rows.map((r) => r.bs);
  const inputs = law.inputs.map((n) => sel.rows.map((r) => (n === 'N' ? r.N : r.D)));
  return {
    inputs,
    y: ys,
    columns: {
      inputs: law.inputs.map((n) => header[idx[n]]),
      y: header[law.columns.yName === 'learning rate' ? idx.lr : idx.bs],
    },
  };
}

/** `--fix a=6.26,b=7.30`: fit-space parameters held fixed. */
export function parseFixed(law: TableLaw, s: string | undefined, cmd: string): Record<string, number> | undefined {
  if (!s) return undefined;
  const out: Record<string, number> = {};
  for (const part of s
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean)) {
    const m = /^([A-Za-z_][\w]*)=(.+)$/.exec(part);
    const v = m ? Number(m[2]) : NaN;
    if (!m || !Number.isFinite(v)) throw new UsageError(`--fix expects name=value[,name=value…], got "${part}"`, cmd);
    if (!law.params.some((p) => p.name === m[1]))
      throw new UsageError(
        `${law.id} has no fit-space parameter "${m[1]}" (${law.params.map((p) => `${p.name}${p.description ? ` = ${p.description}` : ''}`).join(', ')})`,
        cmd,
      );
    out[m[1]] = v;
  }
  return out;
}

function fitOrFail(
  law: TableLaw,
  t: TableData,
  a: ParsedArgs,
  conf: number,
  boot: number,
  cmd: string,
  useFix = true,
): TableFit {
  const r = fitTableLaw(law, t.inputs, t.y, {
    bootstrap: boot,
    seed: opt.num(a, 'seed') ?? 0,
    confidence: conf,
    fixed: useFix ? parseFixed(law, opt.str(a, 'fix'), cmd) : undefined,
  });
  if (!r.ok)
    throw new DataError(`${law.id} fit failed: ${r.reason}${r.warnings.length ? ` (${r.warnings.join('; ')})` : ''}`);
  return r;
}

export function fitTable(
  law: TableLaw,
  a: ParsedArgs,
  conf: number,
  boot: number,
  diagnostics: Diagnostic[],
): FitOutput {
  if (a.positionals.length !== 1)
    throw new UsageError(`${law.id} fits one CSV file (one row per model); got ${a.positionals.length} paths`, 'fit');
  const path = a.positionals[0];
  const t =
    law.kind === 'hyperparameter'
      ? readSweepTable(law, path, a, 'fit', diagnostics)
      : readTable(law, path, opt.str(a, 'x'), opt.str(a, 'y'), 'fit');
  const r = fitOrFail(law, t, a, conf, boot, 'fit');
  for (const w of r.warnings) diagnostics.push({ path, severity: 'warning', message: w });
  if (law.advice) diagnostics.push({ path: '', severity: 'info', message: law.advice(r.raw) });
  if (law.published) {
    const pub = law.published.params;
    diagnostics.push({
      path: '',
      severity: 'info',
      message: `published (${law.published.source}): ${Object.entries(pub)
        .map(([k, v]) => `${k} = ${v}`)
        .join(', ')}; this fit: ${Object.keys(pub)
        .map((k) => `${k} = ${r.params[k]?.toPrecision(3)}`)
        .join(', ')}`,
    });
  }
  const fixed = parseFixed(law, opt.str(a, 'fix'), 'fit');
  return {
    law: law.id,
    kind: 'sweep',
    params: r.params,
    intervals: r.intervals,
    objective: r.objective,
    n: r.n,
    derived: { ...r.derived, rmse: r.rmse },
    bootstrap: r.bootstrap,
    columns: t.columns,
    ...(fixed ? { fixed } : {}),
    ...(law.published ? { published: law.published } : {}),
    diagnostics: diagnostics.map(diagJson),
  } as FitOutput;
}

/** `--at 2.5` (one-input law) or `--at N=1.4e9,D=9.2e11` (by input name; over-training also takes C=…,M=…). */
export function parseAt(law: TableLaw, s: string | undefined, cmd: string): number[] {
  if (!s)
    throw new UsageError(
      `predict --fit with ${law.id} needs --at ${law.inputs.length === 1 ? 'X' : law.inputs.map((n) => `${n}=…`).join(',')}`,
      cmd,
    );
  if (law.inputs.length === 1 && Number.isFinite(Number(s))) return [Number(s)];
  const kv: Record<string, number> = {};
  for (const part of s
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean)) {
    const m = /^([A-Za-z_]\w*)=(.+)$/.exec(part);
    if (!m || !Number.isFinite(Number(m[2])))
      throw new UsageError(`--at expects a number or name=value[,…], got "${part}"`, cmd);
    kv[m[1].toUpperCase() === m[1] ? m[1] : m[1].toLowerCase()] = Number(m[2]);
  }
  if (law.id === 'overtraining' && kv.C !== undefined && kv.M !== undefined)
    return fromComputeAndMultiplier(kv.C, kv.M);
  return law.inputs.map((name) => {
    const v = kv[name] ?? kv[name.toLowerCase()] ?? kv[name.toUpperCase()];
    if (v === undefined)
      throw new UsageError(
        `--at is missing ${name} (${law.id} inputs: ${law.inputs.join(', ')}${law.id === 'overtraining' ? '; or C=…,M=…' : ''})`,
        cmd,
      );
    return v;
  });
}

export function predictTable(
  law: TableLaw,
  a: ParsedArgs,
  conf: number,
  boot: number,
  diagnostics: Diagnostic[],
): TablePredictOutput {
  if (a.positionals.length !== 1)
    throw new UsageError(
      `predict --fit with ${law.id} takes one CSV file; got ${a.positionals.length} paths`,
      'predict',
    );
  const path = a.positionals[0];
  const x = parseAt(law, opt.str(a, 'at'), 'predict');
  const t =
    law.kind === 'hyperparameter'
      ? readSweepTable(law, path, a, 'predict', diagnostics)
      : readTable(law, path, opt.str(a, 'x'), opt.str(a, 'y'), 'predict');
  const fixed = parseFixed(law, opt.str(a, 'fix'), 'predict');
  const r = fitOrFail(law, t, a, conf, 0, 'predict');
  for (const w of r.warnings) diagnostics.push({ path, severity: 'warning', message: w });
  for (let k = 0; k < x.length; k++) {
    const seen = t.inputs[k].filter(Number.isFinite);
    const lo = Math.min(...seen),
      hi = Math.max(...seen);
    if (x[k] < lo || x[k] > hi)
      diagnostics.push({
        path: '',
        severity: 'warning',
        message: `extrapolating: ${law.inputs[k]} = ${x[k]} is outside the fitted range [${lo}, ${hi}]`,
      });
  }
  const bopts = { bootstrap: boot, seed: opt.num(a, 'seed') ?? 0, confidence: conf, fixed };
  const value = law.predict(r.raw, x);
  const thenPath = opt.str(a, 'then');
  if (!thenPath) {
    const band = predictionBand(law, t.inputs, t.y, r, x, bopts);
    if (!band && boot >= 20)
      diagnostics.push({
        path: '',
        severity: 'warning',
        message: 'fewer than 20 bootstrap refits succeeded: no interval',
      });
    return {
      law: law.id,
      at: Object.fromEntries(law.inputs.map((n, k) => [n, x[k]])),
      value,
      lower: band ? band[0] : null,
      upper: band ? band[1] : null,
      confidence: conf,
      params: r.params,
      columns: t.columns,
      diagnostics: diagnostics.map(diagJson),
    };
  }
  // Chained (two-step) prediction, e.g. N, D → loss (overtraining) → error (downstream-exp): the second law is
  // fitted on FILE2 and evaluated at the first law's prediction; the band pairs bootstrap refits of both fits.
  const law2 = tableLawById(opt.str(a, 'then-law') ?? '');
  if (!law2 || law2.inputs.length !== 1)
    throw new UsageError(
      '--then FILE needs --then-law with a one-input table law (downstream-exp or downstream-sigmoid)',
      'predict',
    );
  const t2 = readTable(law2, thenPath, opt.str(a, 'then-x'), opt.str(a, 'then-y'), 'predict');
  const r2 = fitOrFail(law2, t2, a, conf, 0, 'predict', false);
  for (const w of r2.warnings) diagnostics.push({ path: thenPath, severity: 'warning', message: w });
  const seen = t2.inputs[0].filter(Number.isFinite);
  if (value < Math.min(...seen) || value > Math.max(...seen))
    diagnostics.push({
      path: thenPath,
      severity: 'warning',
      message: `extrapolating: the predicted ${t.columns.y} ${value.toPrecision(4)} is outside the ${t2.columns.inputs[0]} range [${Math.min(...seen)}, ${Math.max(...seen)}] of ${law2.id}`,
    });
  const chainedValue = law2.predict(r2.raw, [value]);
  let band1: [number, number] | null = null,
    band2: [number, number] | null = null;
  if (boot >= 20) {
    const b1 = bootstrapRaws(law, t.inputs, t.y, r, bopts),
      b2 = bootstrapRaws(law2, t2.inputs, t2.y, r2, { ...bopts, fixed: undefined, seed: (bopts.seed ?? 0) + 1 });
    const m = Math.min(b1.length, b2.length);
    band1 = percentileBand(
      b1.map((q) => law.predict(q, x)),
      conf,
    );
    band2 = percentileBand(
      Array.from({ length: m }, (_, i) => law2.predict(b2[i], [law.predict(b1[i], x)])),
      conf,
    );
    if (!band1 || !band2)
      diagnostics.push({
        path: '',
        severity: 'warning',
        message: 'fewer than 20 bootstrap refits succeeded: no interval',
      });
  }
  return {
    law: law.id,
    at: Object.fromEntries(law.inputs.map((n, k) => [n, x[k]])),
    value,
    lower: band1 ? band1[0] : null,
    upper: band1 ? band1[1] : null,
    confidence: conf,
    params: r.params,
    columns: t.columns,
    chained: {
      law: law2.id,
      value: chainedValue,
      lower: band2 ? band2[0] : null,
      upper: band2 ? band2[1] : null,
      params: r2.params,
      columns: t2.columns,
    },
    diagnostics: diagnostics.map(diagJson),
  };
}
