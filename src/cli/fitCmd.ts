/**
 * `scaling-lens fit PATH… --law NAME [--x AXIS] [--y METRIC] [--bootstrap N] [--seed S] [--json]`
 * Sweep laws (chinchilla): one point per run / table row. Curve laws (pow3, …, or `auto`): one run's curve.
 */
import { parseArgs, opt, type OptionSpecs } from './args';
import type { Command } from './command';
import { DataError, UsageError } from './errors';
import { loadPaths } from './load';
import { diagJson, diagnosticsText, fmt, table, toJson } from './output';
import type { FitOutput } from './schema';
import type { Diagnostic } from '../ingest/types';
import { sweepPoints, dropHighest } from './points';
import { fitChinchilla } from './sweepFit';
import { CURVE_LAWS, curveLawById } from '../fit/curve/laws/index';
import { fitCurve } from '../fit/curve/fitCurve';
import { normalQuantile } from '../fit/curve/stats';
import { divergenceWarning, oneRun, runCurve } from './curve';
import { SCHEDULE_LAW_IDS } from './lawsCmd';
import { SWEEP_LAWS } from '../fit/sweep';
import { fitAlong, bootstrapAlong, paramIntervals, type SweepAxis } from '../model/sweepLaws';
import type { SweepPoint } from '../protocol';
import { TABLE_LAWS, tableLawById } from '../fit/tableLaws';
import { fitTable } from './tableCmd';

/** One-input sweep laws (saturating/pure power, log, exponential, broken power laws): loss vs one axis across runs. */
const ONE_INPUT_IDS = SWEEP_LAWS.filter((l) => l.inputs.length === 1).map((l) => l.id);

/** Sweep fits say how sure they are by default: 200 refits cost ~0.15 s on the 240-point Chinchilla data. */
const DEFAULT_BOOTSTRAP = 200;

function bootstrapCount(a: ReturnType<typeof parseArgs>): number {
  const b = opt.num(a, 'bootstrap') ?? DEFAULT_BOOTSTRAP;
  if (b < 0 || b > 100000) throw new UsageError('--bootstrap must be in 0..100000', 'fit');
  return b;
}

const options: OptionSpecs = {
  law: {
    type: 'string',
    arg: 'NAME',
    help: `law id (see \`scaling-lens laws\`): chinchilla or a one-input sweep law (saturating-power, pure-power, log-law, exponential, bnsl1, bnsl2) across runs, a curve law (pow3, …, bnsl1, bnsl2) or auto (curve, chosen by backtest) for one run, or a table law on one CSV (${TABLE_LAWS.map((l) => l.id).join(', ')}). Default: chinchilla for several runs/tables, auto for one run`,
  },
  x: {
    type: 'string',
    arg: 'AXIS',
    help: 'curve fits: step (default) or tokens; one-input sweep laws: C (default), N or D; table laws: the input column(s), comma-separated (e.g. loss)',
  },
  y: {
    type: 'string',
    arg: 'METRIC',
    help: 'metric to model (default val/loss, else train/loss); table laws: the modelled column (e.g. err)',
  },
  run: { type: 'string', arg: 'ID', help: 'curve fits: the run to fit when several were read (id or part of it)' },
  bootstrap: {
    type: 'int',
    arg: 'N',
    help: `sweep fits: bootstrap refits over points for percentile intervals (default ${DEFAULT_BOOTSTRAP}; 0: none)`,
  },
  seed: { type: 'int', arg: 'S', help: 'bootstrap seed (default 0)' },
  confidence: { type: 'number', arg: 'P', help: 'interval coverage (default 0.95)' },
  'drop-highest': {
    type: 'int',
    arg: 'K',
    help: 'sweep fits: drop the K highest-loss points first (Besiroglu et al. drop 5 on the Chinchilla data)',
  },
  tolerance: {
    type: 'number',
    arg: 'P',
    help: "hyperparameter laws (steplaw-lr, steplaw-batch): keep the runs within P (relative) of their (N, D) cell's best loss (default 0.0025)",
  },
  'seq-len': {
    type: 'number',
    arg: 'S',
    help: 'hyperparameter laws: multiply the batch-size column by S (sequences → tokens; default 1)',
  },
  fix: {
    type: 'string',
    arg: 'p=v,…',
    help: `table laws (${TABLE_LAWS.map((l) => l.id).join(', ')}): hold fit-space parameters fixed, e.g. a published first-stage fit`,
  },
  json: { type: 'flag', help: 'print JSON (schema: FitOutput in src/cli/schema.ts)' },
  help: { type: 'flag', help: 'show this help' },
};

export const fitCommand: Command = {
  name: 'fit',
  summary: 'fit a scaling law across runs (chinchilla) or a learning-curve law to one run',
  usage: 'scaling-lens fit PATH… --law NAME [--x AXIS] [--y METRIC] [--bootstrap N] [--seed S] [--json]',
  description:
    'PATH: logs, run folders (one point per run: N from the log/config, D from tokens, final loss) or a\n' +
    'points table with columns N,D,loss or N,C,loss (e.g. the Chinchilla CSV: Model Size, Training FLOP,\n' +
    "loss; D = C/(6N)). A curve law (pow3, …, auto) fits one run's learning curve. A table law (loss →\n" +
    'downstream metric, over-training, data-constrained, Step Law) fits one CSV with one row per model or run.',
  options,
  async run(argv, io) {
    const a = parseArgs('fit', argv, options);
    if (!a.positionals.length) throw new UsageError('fit needs at least one PATH', 'fit');
    const conf = opt.num(a, 'confidence') ?? 0.95;
    if (!(conf > 0 && conf < 1)) throw new UsageError('--confidence must be in (0, 1)', 'fit');
    const boot = bootstrapCount(a);
    const lawArg = opt.str(a, 'law');
    const table = lawArg ? tableLawById(lawArg) : undefined;
    if (table) {
      const diags: Diagnostic[] = [];
      const out = fitTable(table, a, conf, boot, diags);
      if (opt.flag(a, 'json')) io.stdout(toJson(out) + '\n');
      else io.stdout(humanFit(out, diags) + '\n');
      return 0;
    }
    for (const k of ['fix', 'tolerance', 'seq-len'])
      if (a.options[k] !== undefined)
        throw new UsageError(`--${k} applies to table laws only (${TABLE_LAWS.map((l) => l.id).join(', ')})`, 'fit');
    if (
      lawArg &&
      lawArg !== 'chinchilla' &&
      lawArg !== 'auto' &&
      !curveLawById(lawArg) &&
      !ONE_INPUT_IDS.includes(lawArg)
    ) {
      if (SCHEDULE_LAW_IDS.includes(lawArg))
        throw new UsageError(
          `${lawArg} is an LR-schedule law: use \`scaling-lens predict --fit PATH… --law ${lawArg} --schedule FILE\``,
          'fit',
        );
      throw new UsageError(
        `unknown law "${lawArg}" (known: chinchilla, auto, ${[...ONE_INPUT_IDS, ...CURVE_LAWS.map((l) => l.id), ...TABLE_LAWS.map((l) => l.id)].join(', ')})`,
        'fit',
      );
    }
    const loaded = await loadPaths(a.positionals);
    const law = lawArg ?? (loaded.runs.length === 1 && !loaded.tables.length ? 'auto' : 'chinchilla');
    const diagnostics: Diagnostic[] = [...loaded.diagnostics];
    const acrossRuns = loaded.tables.length > 0 || loaded.runs.length > 1;
    let out: FitOutput;
    if (law === 'chinchilla') out = sweep(a, loaded, diagnostics, conf, boot);
    else if (ONE_INPUT_IDS.includes(law) && (acrossRuns || !curveLawById(law)))
      out = sweepOneInput(a, loaded, law, diagnostics, conf);
    else out = curve(a, loaded, law, diagnostics, conf);
    if (opt.flag(a, 'json')) io.stdout(toJson(out) + '\n');
    else io.stdout(humanFit(out, diagnostics) + '\n');
    return 0;
  },
};

function sweep(
  a: ReturnType<typeof parseArgs>,
  loaded: Awaited<ReturnType<typeof loadPaths>>,
  diagnostics: Diagnostic[],
  conf: number,
  boot: number,
): FitOutput {
  const x = opt.str(a, 'x');
  if (x && x !== 'N,D' && x !== 'ND')
    diagnostics.push({ path: '', severity: 'info', message: `--x ${x} ignored: chinchilla uses N and D` });
  let pts = sweepPoints(loaded, opt.str(a, 'y'), diagnostics);
  pts = dropHighest(pts, opt.num(a, 'drop-highest') ?? 0);
  if (pts.length < 6)
    throw new DataError(
      `chinchilla has 5 parameters and needs at least 6 points with N, D and a final loss; found ${pts.length}`,
    );
  const r = fitChinchilla(pts, { bootstrap: boot, seed: opt.num(a, 'seed') ?? 0, confidence: conf });
  for (const w of r.warnings) diagnostics.push({ path: '', severity: 'warning', message: w });
  return {
    law: 'chinchilla',
    kind: 'sweep',
    params: r.params,
    intervals: r.intervals,
    objective: r.objective,
    n: r.n,
    derived: r.derived,
    bootstrap: r.bootstrapDone,
    diagnostics: diagnostics.map(diagJson),
  } as FitOutput;
}

/** A one-input sweep law across runs / table rows: loss vs C (default), N or D. */
function sweepOneInput(
  a: ReturnType<typeof parseArgs>,
  loaded: Awaited<ReturnType<typeof loadPaths>>,
  law: string,
  diagnostics: Diagnostic[],
  conf: number,
): FitOutput {
  const x = (opt.str(a, 'x') ?? 'C').toUpperCase();
  if (x !== 'C' && x !== 'N' && x !== 'D')
    throw new UsageError(`--x must be C, N or D for the sweep law ${law} (got "${opt.str(a, 'x')}")`, 'fit');
  let pts = sweepPoints(loaded, opt.str(a, 'y'), diagnostics);
  pts = dropHighest(pts, opt.num(a, 'drop-highest') ?? 0);
  const def = SWEEP_LAWS.find((l) => l.id === law)!;
  if (pts.length < def.params.length + 1)
    throw new DataError(
      `${law} has ${def.params.length} parameters and needs at least ${def.params.length + 1} points with a final loss and ${x}; found ${pts.length}`,
    );
  const input: SweepPoint[] = pts.map((p) => ({ N: p.N, D: p.D, C: 6 * p.N * p.D, loss: p.loss, label: p.label }));
  const r = fitAlong(def, x as SweepAxis, input); // the dashboard's one-input fit, and below its bootstrap
  if (!r.ok) throw new DataError(`${law} fit failed: ${r.reason}`);
  for (const w of r.warnings) diagnostics.push({ path: '', severity: 'warning', message: w });
  const B = bootstrapCount(a);
  const boot = B > 0 ? bootstrapAlong(r, input, B, opt.num(a, 'seed') ?? 0) : [];
  const intervals = paramIntervals(r, boot, conf, 2);
  const done = boot.length;
  if (done < B)
    diagnostics.push({ path: '', severity: 'warning', message: `${B - done} of ${B} bootstrap replicate(s) failed` });
  return {
    law,
    kind: 'sweep',
    params: r.params,
    intervals,
    objective: r.objective,
    n: r.n,
    x,
    derived: { logRmse: r.rmse },
    bootstrap: done,
    diagnostics: diagnostics.map(diagJson),
  } as FitOutput;
}

function curve(
  a: ReturnType<typeof parseArgs>,
  loaded: Awaited<ReturnType<typeof loadPaths>>,
  law: string,
  diagnostics: Diagnostic[],
  conf: number,
): FitOutput {
  if (loaded.tables.length && !loaded.runs.length)
    throw new UsageError(`${law} is a learning-curve law; a points table needs a sweep law (--law chinchilla)`, 'fit');
  const run = oneRun(loaded, opt.str(a, 'run'), 'fit');
  const c = runCurve(run, opt.str(a, 'y'), opt.str(a, 'x'), 'fit');
  const dw = divergenceWarning(c);
  if (dw) diagnostics.push({ path: run.path, severity: 'warning', message: dw });
  // every point (burnIn 1): `fit` describes the run's whole curve, and reports the objective over all of it; the
  // dense-prefix burn-in is for forecasts (`predict`)
  const f = fitCurve(c.x, c.y, { laws: law === 'auto' ? 'auto' : [law], burnIn: 1 });
  if (!f.ok) throw new DataError(`curve fit of ${run.id} (${c.metric}) failed: ${f.reason}`);
  for (const w of f.warnings) diagnostics.push({ path: run.path, severity: 'info', message: w });
  const z = normalQuantile(0.5 + conf / 2);
  const params: Record<string, number> = {},
    intervals: Record<string, [number, number]> = {};
  const k = f.params.length;
  f.paramNames.forEach((name, i) => {
    params[name] = f.params[i];
    if (f.cov) {
      const se = Math.sqrt(Math.max(f.cov[i * k + i], 0));
      intervals[name] = [f.params[i] - z * se, f.params[i] + z * se];
    }
  });
  const cl = curveLawById(f.law)!;
  let obj = 0,
    n = 0;
  for (let i = 0; i < c.x.length; i++) {
    const xv = c.x[i],
      yv = c.y[i];
    if (!(xv > 0) || !(yv > 0) || !Number.isFinite(yv)) continue;
    const yh = cl.predict(f.params, xv / f.xScale);
    const r = Math.log(yv) - Math.log(yh);
    obj += 0.5 * r * r;
    n++;
  }
  return {
    law: f.law,
    kind: 'curve',
    params,
    intervals,
    objective: obj,
    n,
    x: c.axis,
    xScale: f.xScale,
    derived: { asymptote: f.asymptote ?? NaN, backtestLogRmse: f.backtest.logRmse, sigma: f.sigma },
    bootstrap: 0,
    diagnostics: diagnostics.map(diagJson),
  };
}

function humanFit(o: FitOutput, diags: Diagnostic[]): string {
  const rows = [['parameter', 'value', ...(Object.keys(o.intervals).length ? ['interval'] : [])]];
  for (const [k, v] of Object.entries(o.params)) {
    const iv = o.intervals[k];
    rows.push([
      k,
      fmt(v as number),
      ...(Object.keys(o.intervals).length ? [iv ? `[${fmt(iv[0] as number)}, ${fmt(iv[1] as number)}]` : '-'] : []),
    ]);
  }
  for (const [k, v] of Object.entries(o.derived)) {
    const iv = o.intervals[k];
    rows.push([
      `${k} (derived)`,
      fmt(v as number),
      ...(Object.keys(o.intervals).length ? [iv ? `[${fmt(iv[0] as number)}, ${fmt(iv[1] as number)}]` : '-'] : []),
    ]);
  }
  const head =
    `law ${o.law} (${o.kind}), n = ${o.n} points, objective ${fmt(o.objective as number)}` +
    (o.kind === 'curve' ? `, x = ${o.x} / ${fmt(o.xScale!)}` : '') +
    (o.bootstrap ? `, ${o.bootstrap} bootstrap refits` : '');
  const d = diagnosticsText(diags);
  return [head, table(rows), d].filter(Boolean).join('\n\n');
}
