/**
 * Schedule mode of `predict`: fit an LR-schedule-aware law (multi-power law or Tissue et al.'s annealing law,
 * src/fit/schedule/) jointly on finished runs (each a CSV with columns step,lr,loss, or any log with `lr` and
 * a loss metric), then predict the loss at every step of the schedule FILE (columns step,lr; a loss column,
 * when present, is used to score the prediction).
 *
 * Interval: the prediction × exp(± z·σ), σ = RMS log residual of the joint fit (an observation band for
 * curves like the fitted ones). With `--loo` (and ≥ 2 runs), σ = max(that, RMS log error of leave-one-run-out
 * predictions): the honest scale for a schedule the law has not seen, at the cost of one extra fit per run
 * (an MPL fit of three 24k-step runs takes ~10 s of CPU).
 */
import { opt, type ParsedArgs } from './args';
import type { CommandIo } from './command';
import { DataError, UsageError } from './errors';
import { loadPaths, pickMetric } from './load';
import { diagJson, diagnosticsText, fmt, table, toJson } from './output';
import type { SchedulePredictOutput } from './schema';
import type { Diagnostic, Run } from '../ingest/types';
import {
  fitScheduleLaw,
  predictSchedule as predictLaw,
  type ScheduleCurve,
  type ScheduleLawId,
} from '../fit/schedule/fitSchedule';
import { normalQuantile } from '../fit/curve/stats';

function curveOf(run: Run, needLoss: boolean, metric?: string): ScheduleCurve {
  const lr = run.metrics['lr'];
  if (!lr)
    throw new DataError(`${run.path}: no learning-rate column (lr) (has: ${Object.keys(run.metrics).join(', ')})`);
  const m = pickMetric(run, metric);
  if (needLoss && !m) throw new DataError(`${run.path}: no loss column`);
  const loss = m ? run.metrics[m] : undefined;
  return {
    name: run.id,
    lrSteps: Array.from(lr.step),
    lr: Array.from(lr.value),
    steps: Array.from((loss ?? lr).step),
    loss: loss ? Array.from(loss.value) : undefined,
  };
}

function logRmse(pred: number[], obs: number[]): number {
  let s = 0,
    n = 0;
  for (let i = 0; i < pred.length; i++) {
    if (!(pred[i] > 0) || !(obs[i] > 0)) continue;
    const e = Math.log(pred[i]) - Math.log(obs[i]);
    s += e * e;
    n++;
  }
  return n ? Math.sqrt(s / n) : NaN;
}

function meanRel(pred: number[], obs: number[]): number {
  let s = 0,
    n = 0;
  for (let i = 0; i < pred.length; i++) {
    if (!Number.isFinite(pred[i]) || !(obs[i] > 0)) continue;
    s += Math.abs(pred[i] - obs[i]) / obs[i];
    n++;
  }
  return n ? s / n : NaN;
}

export async function predictSchedule(a: ParsedArgs, conf: number, io: CommandIo): Promise<number> {
  const law = (opt.str(a, 'law') ?? 'mpl') as ScheduleLawId;
  if (law !== 'mpl' && law !== 'tissue')
    throw new UsageError(`--fit needs a schedule law: --law mpl or --law tissue (got "${law}")`, 'predict');
  const schedFile = opt.str(a, 'schedule');
  if (!schedFile) throw new UsageError('--fit needs --schedule FILE (CSV with columns step,lr)', 'predict');
  if (!a.positionals.length)
    throw new UsageError('--fit needs at least one PATH of finished runs (CSV step,lr,loss)', 'predict');
  for (const bad of ['at-step', 'until-step'])
    if (a.options[bad] !== undefined) throw new UsageError(`--${bad} is for curve mode, not --fit`, 'predict');
  const warmupSteps = opt.num(a, 'warmup') ?? 0;
  if (warmupSteps < 0) throw new UsageError('--warmup must be ≥ 0', 'predict');

  const loaded = await loadPaths(a.positionals);
  const diagnostics: Diagnostic[] = [...loaded.diagnostics];
  if (!loaded.runs.length) throw new DataError('no runs found to fit');
  const curves = loaded.runs.map((r) => curveOf(r, true, opt.str(a, 'y')));
  const target = await loadPaths([schedFile]);
  diagnostics.push(...target.diagnostics);
  if (target.runs.length !== 1)
    throw new DataError(`${schedFile}: expected one schedule (columns step,lr), found ${target.runs.length} runs`);
  const tc = curveOf(target.runs[0], false);
  const hasObserved = !!tc.loss && tc.loss.some((v) => Number.isFinite(v));

  const fo = { law, warmupSteps };
  const fit = fitScheduleLaw(curves, fo);
  if (!fit.ok) throw new DataError(`${law} fit failed: ${fit.reason}`);
  for (const w of fit.warnings) diagnostics.push({ path: '', severity: 'info', message: w });
  // Fit diagnostics on the fitted curves.
  let fitRelSum = 0,
    fitN = 0;
  for (const c of curves) {
    const p = predictLaw(fit, c);
    if (!p.ok) continue;
    const mr = meanRel(p.loss, c.loss!);
    if (Number.isFinite(mr)) {
      fitRelSum += mr * c.steps.length;
      fitN += c.steps.length;
    }
  }
  // Leave-one-run-out error scale.
  let sigma = fit.logRmse;
  if (opt.flag(a, 'loo') && curves.length >= 2) {
    let s = 0,
      n = 0;
    for (let k = 0; k < curves.length; k++) {
      const f = fitScheduleLaw(
        curves.filter((_, j) => j !== k),
        fo,
      );
      if (!f.ok) continue;
      const p = predictLaw(f, curves[k]);
      if (!p.ok) continue;
      const e = logRmse(p.loss, curves[k].loss!);
      if (Number.isFinite(e)) {
        s += e * e;
        n++;
      }
    }
    if (n) sigma = Math.max(sigma, Math.sqrt(s / n));
  }
  const pred = predictLaw(fit, { ...tc, loss: undefined });
  if (!pred.ok) throw new DataError(`prediction failed: ${pred.reason}`);
  const z = normalQuantile(0.5 + conf / 2);
  const out: SchedulePredictOutput = {
    law,
    params: Object.fromEntries(fit.paramNames.map((k, i) => [k, fit.params[i]])),
    step: pred.steps,
    value: pred.loss,
    lower: pred.loss.map((v) => v * Math.exp(-z * sigma)),
    upper: pred.loss.map((v) => v * Math.exp(z * sigma)),
    observed: hasObserved ? tc.loss! : null,
    meanRelError: hasObserved ? meanRel(pred.loss, tc.loss!) : null,
    fit: { runs: curves.length, points: fit.nPoints, rmse: fit.logRmse, meanRelError: fitN ? fitRelSum / fitN : NaN },
    diagnostics: diagnostics.map(diagJson),
  } as SchedulePredictOutput;
  if (opt.flag(a, 'json')) {
    io.stdout(toJson(out) + '\n');
    return 0;
  }
  const head =
    `${law} fitted on ${curves.length} run(s), ${fit.nPoints} points: log RMSE ${fmt(fit.logRmse)}, mean rel. error ${fmt((out.fit.meanRelError as number) * 100)} %` +
    (out.meanRelError !== null
      ? `\nprediction vs observed in ${schedFile}: mean rel. error ${fmt((out.meanRelError as number) * 100)} %`
      : '');
  const params = table([['parameter', 'value'], ...fit.paramNames.map((k, i) => [k, fmt(fit.params[i])])]);
  const every = Math.max(1, Math.ceil(pred.steps.length / 20));
  const rows = [['step', 'predicted', `${Math.round(conf * 100)}% interval`, ...(hasObserved ? ['observed'] : [])]];
  for (let i = 0; i < pred.steps.length; i += every) {
    rows.push([
      String(pred.steps[i]),
      fmt(pred.loss[i]),
      `[${fmt(out.lower[i] as number)}, ${fmt(out.upper[i] as number)}]`,
      ...(hasObserved ? [fmt(tc.loss![i])] : []),
    ]);
  }
  io.stdout(
    [
      head,
      params,
      table(rows) + (every > 1 ? `\n(every ${every}th step shown; --json for all)` : ''),
      diagnosticsText(diagnostics),
    ]
      .filter(Boolean)
      .join('\n\n') + '\n',
  );
  return 0;
}
