/**
 * `scaling-lens predict PATH --y METRIC --at-step S [--until-step K] [--json]`: extrapolate one run's curve
 * (optionally pretending only steps ≤ K exist: a backtest).
 * `scaling-lens predict --fit PATH… --law mpl|tissue --schedule FILE [--json]`: fit an LR-schedule-aware law
 * on finished runs and predict the loss curve of the schedule in FILE (see scheduleCmd.ts).
 */
import { parseArgs, opt, type OptionSpecs } from './args';
import type { Command } from './command';
import { DataError, UsageError } from './errors';
import { describeSource, loadPaths } from './load';
import { diagJson, diagnosticsText, fmt, table as table_, toJson } from './output';
import type { PredictOutput } from './schema';

type TargetCrossing = NonNullable<PredictOutput['target']>;
import type { Diagnostic } from '../ingest/types';
import { fitCurve, predictCurve } from '../fit/curve/fitCurve';
import { CURVE_LAWS, curveLawById } from '../fit/curve/laws/index';
import { divergenceWarning, oneRun, runCurve } from './curve';
import { predictSchedule as scheduleRun } from './scheduleCmd';
import { TABLE_LAWS, tableLawById } from '../fit/tableLaws';
import { predictTable } from './tableCmd';
import { chooseScenario, type CurveScenario } from '../fit/curve/scenario';
import { describeFit } from '../fit/curve/describe';
import type { RunCurve } from './curve';
import { epochNote, medianSpacing } from '../fit/curve/epochs';
import { epochLengthOf } from '../model/fitJobs';
import { targetSteps } from '../model/target';
import type { CurveFit } from '../fit/curve/fitCurve';

/** `1e3,2e3,5e3` → [1000, 2000, 5000]; every entry a positive number. */
export function parseSteps(arg: string): number[] {
  const parts = arg
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  if (parts.length === 0) throw new UsageError('--at-step needs at least one step', 'predict');
  return parts.map((s) => {
    const v = Number(s);
    if (!Number.isFinite(v) || !(v > 0)) throw new UsageError(`--at-step: "${s}" is not a positive number`, 'predict');
    return v;
  });
}

/** Observed value at the step (nearest logged step within 0.5 %), for backtests; null when none. */
function observedAt(c: RunCurve, at: number): number | null {
  let observed: number | null = null,
    bestD = Infinity;
  for (let i = 0; i < c.x.length; i++) {
    const d = Math.abs(c.x[i] - at);
    if (d <= 0.005 * at && d < bestD) {
      bestD = d;
      observed = c.y[i];
    }
  }
  return observed;
}

/** The points of a series at steps ≤ `until` (all of them without one). */
function upTo<T extends { step: ArrayLike<number>; value: ArrayLike<number> }>(
  s: T,
  until: number | undefined,
): T | { step: number[]; value: number[] } {
  if (until === undefined) return s;
  const step: number[] = [],
    value: number[] = [];
  for (let i = 0; i < s.step.length; i++)
    if (s.step[i] <= until) {
      step.push(s.step[i]);
      value.push(s.value[i]);
    }
  return { step, value };
}

/** Grid points of the `--target` search between the last fitted step and its horizon (log-spaced). */
const TARGET_GRID = 400;

/**
 * When the forecast reaches `target` (`--target L`): the crossings of its mean and of both ends of its band with L,
 * on a log grid from the last fitted step to `horizon`, each grid step forecast under the schedule scenario
 * `--at-step` would assume there (`scenarioAt`), crossings interpolated as the editor's target does
 * (model/target.ts targetSteps). `early`: where the lower end reaches L (the soonest the band allows); `late`:
 * where the upper end does (null: not within the horizon). `observedAt`: the first logged step (≤ --until-step)
 * at or below L, when the run has already been there.
 */
export function targetCrossing(
  fit: CurveFit,
  target: number,
  opts: {
    horizon: number;
    confidence: number;
    scenarioAt: (step: number) => CurveScenario;
    observed: { x: readonly number[]; y: readonly number[] };
  },
): TargetCrossing {
  const x0 = fit.xRange[1];
  const grid = Array.from({ length: TARGET_GRID + 1 }, (_, i) => x0 * Math.pow(opts.horizon / x0, i / TARGET_GRID));
  const preds = grid.map(
    (x) => predictCurve(fit, [x], { confidence: opts.confidence, scenario: opts.scenarioAt(x) })[0],
  );
  const t = targetSteps(
    { x: grid, y: preds.map((p) => p.value), lower: preds.map((p) => p.lower), upper: preds.map((p) => p.upper) },
    target,
  );
  const i = opts.observed.y.findIndex((v) => v <= target);
  return {
    value: target,
    step: t.stepToTarget ?? null,
    early: t.stepToTargetBand?.[0] ?? null,
    late: t.stepToTargetBand?.[1] ?? null,
    horizon: opts.horizon,
    observedAt: i < 0 ? null : opts.observed.x[i],
  };
}

/** One line for `--target`: when the forecast (and each end of its band) reaches the value. */
export function targetText(t: TargetCrossing, conf: number): string {
  const s = (x: number | null) => (x === null ? `not by step ${fmt(t.horizon)}` : `step ${fmt(Math.round(x))}`);
  const seen = t.observedAt === null ? '' : ` (already logged at or below it at step ${fmt(t.observedAt)})`;
  if (t.step === null && t.early === null)
    return `target ${fmt(t.value)}: not reached by step ${fmt(t.horizon)}, not even by the band's lower end${seen}`;
  return `target ${fmt(t.value)}: reached at ${t.step === null ? `no step up to ${fmt(t.horizon)}` : s(t.step)}; ${Math.round(conf * 100)}% band: from ${s(t.early)} to ${s(t.late)}${seen}`;
}

/** `{ epochs }` when a forecast crosses epoch boundaries (epochNote), else nothing: the JSON has no null field. */
function optionalEpochs(note: string | undefined): { epochs?: string } {
  return note ? { epochs: note } : {};
}

const options: OptionSpecs = {
  y: { type: 'string', arg: 'METRIC', help: 'metric to forecast (default val/loss, else train/loss)' },
  'at-step': {
    type: 'string',
    arg: 'S[,S…]',
    help: "step(s) to predict at, comma-separated (e.g. 1e3,2e3,5e3; default: the run's planned total steps)",
  },
  'total-steps': {
    type: 'number',
    arg: 'T',
    help: 'planned total steps of the run: forecasts at its end also consider an LR anneal nobody logged',
  },
  scenario: {
    type: 'string',
    arg: 'NAME',
    help: 'schedule scenario: auto (default), as-logged, unknown (as-logged and anneal averaged), anneal',
  },
  'until-step': { type: 'number', arg: 'K', help: 'fit only the points with step ≤ K (backtesting)' },
  target: {
    type: 'number',
    arg: 'L',
    help: 'also say when the forecast reaches the value L (the step, and the steps where both band ends reach it)',
  },
  law: {
    type: 'string',
    arg: 'NAME',
    help: `curve law (default auto: chosen by backtest); with --fit: mpl or tissue, or a table law (${TABLE_LAWS.map((l) => l.id).join(', ')})`,
  },
  x: {
    type: 'string',
    arg: 'COLS',
    help: 'with --fit and a table law: the input column(s), comma-separated (e.g. loss)',
  },
  at: {
    type: 'string',
    arg: 'X',
    help: 'with --fit and a table law: where to predict, a number (one input) or name=value,… (e.g. N=1.4e9,D=9e11; overtraining also C=…,M=…)',
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
  fix: { type: 'string', arg: 'p=v,…', help: 'with --fit and a table law: hold fit-space parameters fixed' },
  then: {
    type: 'string',
    arg: 'FILE2',
    help: 'with --fit and a table law: chain a second law fitted on FILE2 (e.g. loss → error) at the prediction',
  },
  'then-law': { type: 'string', arg: 'ID', help: 'with --then: the second law (downstream-exp or downstream-sigmoid)' },
  'then-x': {
    type: 'string',
    arg: 'COL',
    help: "with --then: FILE2's input column (default: found by name, e.g. loss)",
  },
  'then-y': { type: 'string', arg: 'COL', help: "with --then: FILE2's modelled column (e.g. err)" },
  bootstrap: {
    type: 'int',
    arg: 'N',
    help: 'with --fit and a table law: bootstrap refits for the prediction band (default 200; 0: none)',
  },
  seed: { type: 'int', arg: 'S', help: 'bootstrap seed (default 0)' },
  run: { type: 'string', arg: 'ID', help: 'the run to use when PATH holds several (id or part of it)' },
  confidence: { type: 'number', arg: 'P', help: 'interval coverage (default 0.95)' },
  fit: { type: 'flag', help: 'schedule mode: fit PATH… (CSV step,lr,loss) and predict --schedule FILE' },
  schedule: {
    type: 'string',
    arg: 'FILE',
    help: 'with --fit: CSV with columns step,lr (and optionally loss, to score the prediction)',
  },
  warmup: {
    type: 'int',
    arg: 'W',
    help: 'with --fit: linear warmup steps from LR 0 before the first logged LR (default 0)',
  },
  loo: { type: 'flag', help: 'with --fit: widen the interval to the leave-one-run-out error (one extra fit per run)' },
  json: { type: 'flag', help: 'print JSON (schema: PredictOutput / SchedulePredictOutput in src/cli/schema.ts)' },
  help: { type: 'flag', help: 'show this help' },
};

export const predictCommand: Command = {
  name: 'predict',
  summary: "forecast one run's metric at a step, or the loss curve of a new LR schedule",
  usage:
    'scaling-lens predict PATH [--y METRIC] [--at-step S] [--target L] [--until-step K] [--json]\n       scaling-lens predict --fit PATH… --law mpl|tissue --schedule FILE [--json]\n       scaling-lens predict --fit FILE --law TABLE-LAW [--x COLS] [--y COL] --at X [--json]',
  description:
    'Curve mode fits a learning-curve law (chosen by backtest unless --law) and gives a delta-method\n' +
    'interval for the curve. --until-step K fits only steps ≤ K, so a later observed value can be compared.\n' +
    'Schedule mode (--fit) fits a multi-power (mpl) or Tissue law jointly to finished runs, then predicts\n' +
    'every step listed in the schedule FILE.',
  options,
  async run(argv, io) {
    const a = parseArgs('predict', argv, options);
    const conf = opt.num(a, 'confidence') ?? 0.95;
    if (!(conf > 0 && conf < 1)) throw new UsageError('--confidence must be in (0, 1)', 'predict');
    const tlaw = tableLawById(opt.str(a, 'law') ?? '');
    if (opt.flag(a, 'fit') && tlaw) {
      const boot = opt.num(a, 'bootstrap') ?? 200;
      if (boot < 0 || boot > 100000) throw new UsageError('--bootstrap must be in 0..100000', 'predict');
      const diags: Diagnostic[] = [];
      const out = predictTable(tlaw, a, conf, boot, diags);
      if (opt.flag(a, 'json')) io.stdout(toJson(out) + '\n');
      else {
        const rows = [
          [...tlaw.inputs, `predicted ${out.columns.y}`, `${Math.round(conf * 100)}% interval`],
          [
            ...tlaw.inputs.map((n) => fmt(out.at[n])),
            fmt(out.value as number),
            out.lower === null ? '-' : `[${fmt(out.lower as number)}, ${fmt(out.upper as number)}]`,
          ],
        ];
        const params = Object.entries(out.params)
          .map(([k, v]) => `${k} = ${fmt(v as number)}`)
          .join(', ');
        const c = out.chained;
        if (c)
          rows.push([
            ...tlaw.inputs.map(() => ''),
            `→ ${c.columns.y} (${c.law}): ${fmt(c.value as number)}`,
            c.lower === null ? '-' : `[${fmt(c.lower as number)}, ${fmt(c.upper as number)}]`,
          ]);
        io.stdout(
          [`law ${tlaw.id}: ${params}`, table_(rows), diagnosticsText(diags)].filter(Boolean).join('\n\n') + '\n',
        );
      }
      return 0;
    }
    for (const k of [
      'x',
      'at',
      'fix',
      'bootstrap',
      'seed',
      'tolerance',
      'seq-len',
      'then',
      'then-law',
      'then-x',
      'then-y',
    ])
      if (a.options[k] !== undefined)
        throw new UsageError(
          `--${k} applies to predict --fit with a table law (${TABLE_LAWS.map((l) => l.id).join(', ')})`,
          'predict',
        );
    if (opt.flag(a, 'fit')) return scheduleRun(a, conf, io);
    if (opt.str(a, 'schedule')) throw new UsageError('--schedule needs --fit (schedule mode)', 'predict');
    if (a.positionals.length !== 1)
      throw new UsageError(`predict needs exactly one PATH (got ${a.positionals.length})`, 'predict');
    const atArg = opt.str(a, 'at-step');
    const targetValue = opt.num(a, 'target');
    if (targetValue !== undefined && !Number.isFinite(targetValue))
      throw new UsageError('--target must be a number', 'predict');
    const scenarioArg = opt.str(a, 'scenario') ?? 'auto';
    if (!['auto', 'as-logged', 'unknown', 'anneal'].includes(scenarioArg))
      throw new UsageError(`--scenario must be auto, as-logged, unknown or anneal (got "${scenarioArg}")`, 'predict');
    const total = opt.num(a, 'total-steps');
    const until = opt.num(a, 'until-step');
    const lawArg = opt.str(a, 'law') ?? 'auto';
    if (lawArg !== 'auto' && !curveLawById(lawArg))
      throw new UsageError(
        `unknown curve law "${lawArg}" (known: auto, ${CURVE_LAWS.map((l) => l.id).join(', ')})`,
        'predict',
      );

    const loaded = await loadPaths(a.positionals);
    const diagnostics: Diagnostic[] = [...loaded.diagnostics];
    const run = oneRun(loaded, opt.str(a, 'run'), 'predict');
    const c = runCurve(run, opt.str(a, 'y'), 'step', 'predict');
    const dw = divergenceWarning(c);
    if (dw) diagnostics.push({ path: run.path, severity: 'warning', message: dw });
    let xs = c.x,
      ys = c.y;
    if (until !== undefined) {
      const keep = xs.map((x, i) => i).filter((i) => xs[i] <= until);
      xs = keep.map((i) => c.x[i]);
      ys = keep.map((i) => c.y[i]);
      if (!xs.length) throw new DataError(`no ${c.metric} points at steps ≤ ${until}`);
    }
    const f = fitCurve(xs, ys, { laws: lawArg === 'auto' ? 'auto' : [lawArg] });
    if (!f.ok) throw new DataError(`could not fit ${c.metric} of ${run.id}: ${f.reason}`);
    for (const w of f.warnings) diagnostics.push({ path: run.path, severity: 'info', message: w });
    const plannedTotal = total ?? run.meta.totalSteps?.value;
    const plannedSource = run.meta.totalSteps?.source;
    const plannedFrom = total !== undefined ? '--total-steps' : plannedSource ? describeSource(plannedSource) : '';
    // Without --at-step: the run's planned end ("where is this run going"); with only --target: the target's search
    // horizon. Neither known: the step must be given.
    const targetHorizon = Math.max(10 * f.xRange[1], plannedTotal ?? 0);
    let stepsFrom: string | undefined;
    let steps: number[];
    if (atArg !== undefined) steps = parseSteps(atArg);
    else if (plannedTotal !== undefined && plannedTotal > 0) {
      steps = [plannedTotal];
      stepsFrom = `the planned end of the run (${plannedTotal} steps, from ${plannedFrom})`;
    } else if (targetValue !== undefined) {
      steps = [targetHorizon];
      stepsFrom = `the --target search horizon (10× the last fitted step; no planned total steps found)`;
    } else
      throw new UsageError(
        `predict needs --at-step S: no planned total steps were found for ${run.id} (give --at-step S, or --total-steps T to forecast its end)`,
        'predict',
      );
    const far = Math.max(...steps);
    if (far > f.xRange[1]) {
      const ratio = far / f.xRange[1];
      if (ratio > 10)
        diagnostics.push({
          path: run.path,
          severity: 'warning',
          message: `extrapolating ${fmt(ratio)}× beyond the last fitted step ${f.xRange[1]}: the interval does not include model-choice error`,
        });
    }
    const lrSeries = run.metrics['lr'] ?? run.metrics['learning_rate'] ?? run.metrics['train/lr'];
    const lrLogged = lrSeries ? Array.from(upTo(lrSeries, until).value) : undefined;
    // Steps per epoch from the run's logged epoch series (only its part up to --until-step, as a backtest must):
    // a forecast across epoch boundaries says so, as the editor's hover and fit details do.
    const epochSeries = run.metrics['epoch'];
    const stepsPerEpoch = epochLengthOf({ epoch: epochSeries && upTo(epochSeries, until) });
    const spacing = medianSpacing(xs);
    const choose = (at: number) =>
      scenarioArg === 'auto'
        ? chooseScenario({ horizon: at, lastStep: f.xRange[1], totalSteps: plannedTotal, lr: lrLogged })
        : { scenario: scenarioArg as CurveScenario, note: `${scenarioArg} (--scenario)` };
    const points = steps.map((at) => {
      const choice = choose(at);
      const [p] = predictCurve(f, [at], { confidence: conf, scenario: choice.scenario });
      const [asLogged] = predictCurve(f, [at], { confidence: conf, scenario: 'as-logged' });
      const [anneal] = predictCurve(f, [at], { confidence: conf, scenario: 'anneal' });
      return {
        step: at,
        value: p.value,
        lower: p.lower,
        upper: p.upper,
        observed: observedAt(c, at),
        scenario: choice.scenario,
        schedule: choice.note,
        scenarios: { asLogged: asLogged.value, anneal: anneal.value },
        ...optionalEpochs(epochNote({ lastStep: f.xRange[1], horizon: at, stepsPerEpoch, spacing })),
      };
    });
    const p0 = points[0];
    const method = describeFit(f);
    const target =
      targetValue === undefined
        ? undefined
        : targetCrossing(f, targetValue, {
            horizon: Math.max(targetHorizon, far),
            confidence: conf,
            scenarioAt: (x) => choose(x).scenario,
            observed: { x: xs, y: ys },
          });
    const out: PredictOutput = {
      value: p0.value,
      lower: p0.lower,
      upper: p0.upper,
      law: f.law,
      step: p0.step,
      metric: c.metric,
      confidence: conf,
      fittedUntil: f.xRange[1],
      observed: p0.observed,
      schedule: p0.schedule,
      method,
      points,
      ...(stepsFrom ? { stepFrom: stepsFrom } : {}),
      ...(target ? { target } : {}),
      diagnostics: diagnostics.map(diagJson),
    } as PredictOutput;
    if (opt.flag(a, 'json')) io.stdout(toJson(out) + '\n');
    else {
      // A model average is named as one (its members and weights are in the note above the table), not by the
      // law that happens to be listed first.
      const lawColumn = f.members.length > 1 ? `avg(${f.members.map((m) => m.law).join(',')})` : f.law;
      const rows = [
        ['step', 'metric', 'law', 'predicted', `${Math.round(conf * 100)}% interval`, 'observed', 'schedule'],
        ...points.map((q) => [
          String(q.step),
          c.metric,
          lawColumn,
          fmt(q.value),
          `[${fmt(q.lower)}, ${fmt(q.upper)}]`,
          fmt(q.observed),
          q.scenario,
        ]),
      ];
      const note = `fitted on ${f.nRaw} points from step ${f.xRange[0]} to step ${f.xRange[1]} of ${run.id}; ${method}`;
      const notes = [
        ...(stepsFrom ? [`step: ${stepsFrom}`] : []),
        ...new Set(points.flatMap((q) => [`schedule: ${q.schedule}`, ...(q.epochs ? [`epochs: ${q.epochs}`] : [])])),
        ...(target ? [targetText(target, conf)] : []),
      ].join('\n');
      io.stdout([note, table_(rows), notes, diagnosticsText(diagnostics)].filter(Boolean).join('\n\n') + '\n');
    }
    return 0;
  },
};
