/**
 * `npm run backtest`: forecast the final loss of real LM training curves from their first 10 / 30 / 50 % (of the
 * final step), and report, for the dev and the hold-out split SEPARATELY: median and worst relative error of the
 * final-loss forecast, coverage of the nominal 95 % band, and the same for two baselines computed in this run —
 * a bounded pow3 fitted with scipy curve_fit (bench/baselines/curve_backtest_scipy.py) and the last value of the
 * prefix. Curves: the corpus in test/fixtures/curves (SCALING_LENS_CURVES overrides), plus the shared LR-schedule
 * runs (dev); the hold-outs of the first (holdout), second (holdout2), third (holdout3), fourth (holdout4: LM
 * pre-training curves, with a row for its training-loss curves apart from its evaluation losses) and fifth
 * (holdout5: LM pre-training curves, likewise; only with `--split holdout5`, so that it stays blind) and sixth
 * (holdout6: LM training curves, mostly pre-training from scratch, likewise; only with `--split holdout6`) and
 * seventh (holdout7: likewise, collected after holdout4-6 became learning data; only with `--split holdout7`) and
 * eighth (holdout8: likewise, collected after holdouts 1-7 had all been scored; only with `--split holdout8`) and
 * ninth (holdout9: single-epoch LM pre-training closer to the independent check, collected after holdout8 was
 * scored; only with `--split holdout9`) and tenth (holdout10: complete LM training runs logged from the start to the
 * planned end of a decaying LR schedule, collected after holdout9 was scored; only with `--split holdout10`) and
 * eleventh (holdout11: complete runs to the planned end of a decaying or constant LR, mostly the training loss of
 * pre-training from scratch, collected after holdout10; only with `--split holdout11`) and twelfth (holdout12: the same
 * kind of complete runs from families new to the corpus, collected after holdout11 was scored; only with
 * `--split holdout12`) and thirteenth (holdout13: the same kind of complete runs from families new to the corpus, with a spread of
 * sizes and run lengths, collected after holdout12 was scored; only with `--split holdout13`) and fourteenth (holdout14: the same
 * kind of complete runs from families new to the corpus, spread over model sizes from under 50M to 300M parameters and more,
 * collected after holdout13 was scored; only with `--split holdout14`) and fifteenth (holdout15: the same kind of complete
 * runs from families new to the corpus, collected after holdout14 was scored; only with `--split holdout15`) and sixteenth
 * (holdout16: the same kind of complete runs from families new to the corpus, collected after holdout15 was scored; only
 * with `--split holdout16`), seventeenth (holdout17: the same kind of complete runs from families new to the corpus,
 * collected after holdout16 was scored; only with `--split holdout17`), eighteenth (holdout18: the same kind of
 * complete runs from families new to the corpus, collected after holdout17 was scored; only with `--split holdout18`)
 * nineteenth (holdout19: the same kind of complete runs from families new to the corpus, collected after holdout18
 * was scored; only with `--split holdout19`), twentieth (holdout20: the same kind of complete runs from families new
 * to the corpus, collected after holdout19 was scored; only with `--split holdout20`), twenty-first (holdout21: the
 * same kind of complete runs from families new to the corpus, collected after holdout20 was scored; only with
 * `--split holdout21`), twenty-second (holdout22: complete LM training runs, pre-training and fine-tuning, taken
 * from the real-log corpus test/fixtures/real/, collected after holdout21 was scored; only with `--split holdout22`),
 * twenty-third (holdout23: the same kind of runs from the real-log corpus's newer files, batch 29's holdout26/
 * and any holdout25/ file hold-out 22 could not read, collected after holdout22 was scored; only with
 * `--split holdout23`) and twenty-fourth (holdout24: the same kind of runs from the real-log corpus's batches 30 and
 * 31, holdout27/ and holdout28/, collected after holdout23 was scored; only with `--split holdout24`)
 * collections are reported apart. Also the sweep backtest: the last (largest) run of each sweep hidden, forecast
 * alone vs with the sweep prior.
 *
 * Each forecast is made in the LR-schedule scenario the product would choose (scenario.ts chooseScenario, from the
 * LR logged up to the cut and the planned total the source states); `--legacy-scenario` makes every forecast in the
 * 'unknown' scenario, as before session 31.
 *
 *   node --import tsx bench/backtest.ts [--legacy-scenario] [--split dev|holdout|holdout2|holdout3|holdout4|holdout5|holdout6|holdout7|holdout8|holdout9|holdout10|holdout11|holdout12|holdout13|holdout14|holdout15|holdout16|holdout17|holdout18|holdout19|holdout20|holdout21|holdout22|holdout23|holdout24|both] [--json FILE] [--no-scipy]
 * (`both` = dev and every hold-out but holdout5, holdout6, holdout7, holdout8, holdout9, holdout10, holdout11, holdout12, holdout13, holdout14, holdout15, holdout16, holdout17, holdout18, holdout19, holdout20, holdout21, holdout22, holdout23 and holdout24, which are scored
 * only when asked for by name)
 */
import * as fs from 'node:fs';
import { CALIBRATION_HOLDOUTS, corpusCurves, scheduleCurves, type Curve, type Split } from '../test/unit/fit/corpus';
import { fitCurve, predictCurve } from '../src/fit/curve/fitCurve';
import { sweepBacktest } from './sweepBacktest';
import { lastValueOf, median, scipyBands, type Scored } from './curveBaselines';
import { CUTS, tasksOf, calibrationSample, taskScenario, type Task } from '../test/unit/fit/curve-tasks';
import {
  BAND_CALIBRATION,
  bandHalfWidth,
  buildCalibration,
  covers,
  crossValidatedCoverage,
  N_EDGES,
  RATIO_EDGES,
  type BandCalibration,
  type CalibrationSample,
  type Weighting,
} from '../src/fit/curve/calibration';

const argv = process.argv.slice(2);
const argOf = (n: string) => {
  const i = argv.indexOf(n);
  return i >= 0 ? argv[i + 1] : undefined;
};
const splitArg = argOf('--split') ?? 'both';

/**
 * `--legacy-scenario`: every forecast in the 'unknown' scenario, as the backtest did before session 31. By default
 * the scenario is the one the product chooses (scenario.ts chooseScenario) from what the log shows at the cut: the LR
 * logged up to the cut and the planned total the source states (curve-tasks.ts taskScenario).
 */
const LEGACY_SCENARIO = argv.includes('--legacy-scenario');

function ours(t: Task): Scored | null {
  const f = fitCurve(t.x, t.y);
  if (!f.ok) return null;
  const p = predictCurve(f, [t.at], { scenario: taskScenario(t, LEGACY_SCENARIO).scenario })[0];
  return Number.isFinite(p.value) ? p : null;
}

function lastValue(t: Task): Scored {
  return { value: lastValueOf(t), lower: NaN, upper: NaN };
}

function scipy(tasks: Task[]): Map<string, Scored | null> {
  return argv.includes('--no-scipy') ? new Map() : scipyBands(tasks);
}

interface Row {
  method: string;
  cut: number;
  n: number;
  failed: number;
  median: number;
  worst: number;
  covered: number;
  withBand: number;
  /** median upper / lower of the band (its width as a factor) */
  width: number;
}

function summarise(method: string, cut: number, tasks: Task[], pred: (t: Task) => Scored | null | undefined): Row {
  const errs: number[] = [],
    widths: number[] = [];
  let failed = 0,
    covered = 0,
    withBand = 0;
  for (const t of tasks) {
    const p = pred(t);
    if (!p || !Number.isFinite(p.value)) {
      failed++;
      continue;
    }
    errs.push(Math.abs(p.value / t.truth - 1));
    if (Number.isFinite(p.lower) && Number.isFinite(p.upper)) {
      withBand++;
      if (p.lower > 0) widths.push(p.upper / p.lower);
      if (p.lower <= t.truth && t.truth <= p.upper) covered++;
    }
  }
  errs.sort((a, b) => a - b);
  const med = median(errs);
  return {
    method,
    cut,
    n: tasks.length,
    failed,
    median: med,
    worst: errs.length ? errs[errs.length - 1] : NaN,
    covered,
    withBand,
    width: median(widths),
  };
}

const pct = (v: number) => (Number.isFinite(v) ? `${(v * 100).toFixed(2)} %` : '—');

function report(name: string, curves: Curve[]): Row[] {
  const { tasks, skipped } = tasksOf(curves);
  const mine = new Map<string, Scored | null>();
  const t0 = Date.now();
  for (const t of tasks) mine.set(t.id, ours(t));
  const ms = Date.now() - t0;
  const sp = scipy(tasks);
  const rows: Row[] = [];
  for (const cut of CUTS) {
    const ts = tasks.filter((t) => t.cut === cut);
    rows.push(summarise('scaling-lens', cut, ts, (t) => mine.get(t.id)));
    rows.push(summarise('scipy pow3 (α≤1)', cut, ts, (t) => sp.get(t.id)));
    rows.push(summarise('last value', cut, ts, lastValue));
  }
  console.log(
    `\n## ${name}: ${curves.length} curves (${new Set(curves.map((c) => c.family)).size} families), ${tasks.length} forecasts, ours in ${ms} ms` +
      (skipped.length ? `; skipped (< 4 points before the cut): ${skipped.length}` : ''),
  );
  console.log(
    '| method | cut | forecasts | failed | median error | worst error | 95 % band coverage | band width (median upper/lower) |',
  );
  console.log('|---|---|---|---|---|---|---|---|');
  for (const r of rows)
    console.log(
      `| ${r.method} | ${r.cut * 100} % | ${r.n} | ${r.failed} | ${pct(r.median)} | ${pct(r.worst)} | ${r.withBand ? `${r.covered}/${r.withBand} (${pct(r.covered / r.withBand)})` : '—'} | ${Number.isFinite(r.width) ? r.width.toFixed(3) : '—'} |`,
    );
  if (argv.includes('--verbose')) {
    for (const t of tasks) {
      const p = mine.get(t.id),
        s = sp.get(t.id);
      console.log(
        `  ${t.id.padEnd(48)} truth ${t.truth.toFixed(4)}  ours ${p ? `${p.value.toFixed(4)} [${p.lower.toFixed(3)}, ${p.upper.toFixed(3)}] ${pct(p.value / t.truth - 1)}` : 'failed'}  scipy ${s ? pct(s.value / t.truth - 1) : '—'}`,
      );
    }
  }
  return rows;
}

/** The hold-outs taken into the calibration pool (`--calibrate --pool`): corpus.ts CALIBRATION_HOLDOUTS. */
const POOL_HOLDOUTS = CALIBRATION_HOLDOUTS;

/**
 * Variant choice for `--calibrate --pool`, declared before the pool was first calibrated (commit message of the
 * commit that added it): a variant passes when its leave-one-family-out coverage is within 90–99 % at every cut
 * and in every ratio row with ≥ 20 forecasts; if both pass, the narrower median LOFO band half-width; if neither,
 * the one closest to 95 % at its worst cut.
 */
function chooseVariant(
  cvs: { weighting: Weighting; byCut: number[]; byRow: { covered: number; total: number }[]; medianHalf: number }[],
): Weighting {
  const inRange = (v: number) => v >= 0.9 && v <= 0.99;
  const passes = cvs.filter(
    (c) => c.byCut.every(inRange) && c.byRow.filter((r) => r.total >= 20).every((r) => inRange(r.covered / r.total)),
  );
  if (passes.length) return passes.sort((a, b) => a.medianHalf - b.medianHalf)[0].weighting;
  const worst = (c: (typeof cvs)[number]) => Math.max(...c.byCut.map((v) => Math.abs(v - 0.95)));
  return [...cvs].sort((a, b) => worst(a) - worst(b))[0].weighting;
}

/**
 * `--calibrate`: the split-conformal band calibration (calibration.ts), printed as the BAND_CALIBRATION constant
 * to paste, with its leave-one-family-out coverage (and, for comparison, the same without the cap of the upper
 * end). Without `--pool`: from the DEV curves only (the table before 2026-12-03's pool calibration). With
 * `--pool`: from dev + the shared LR-schedule runs + POOL_HOLDOUTS (scored hold-outs, no longer blind), both weightings judged leave-one-family-out and chosen by `chooseVariant`, and for
 * each split and cut the coverage and median band half-width with the table in use (before) and the new one
 * (in-sample, and leave-one-family-out). `--samples-cache FILE` keeps the forecasts' scores (the fits are the
 * slow part) for a re-run.
 */
function calibrate(): void {
  const pool = argv.includes('--pool');
  const cacheFile = argOf('--samples-cache');
  let samples: CalibrationSample[];
  if (cacheFile && fs.existsSync(cacheFile)) {
    samples = (JSON.parse(fs.readFileSync(cacheFile, 'utf8')) as CalibrationSample[]).map((s) => ({
      ...s,
      // JSON has no Infinity: a failed fit was written as null
      score: s.score ?? Infinity,
      up: s.up ?? Infinity,
      down: s.down ?? Infinity,
      overLast: s.overLast ?? Infinity,
      overValue: s.overValue ?? Infinity,
    }));
  } else {
    const curves = [...corpusCurves('dev'), ...scheduleCurves(), ...(pool ? POOL_HOLDOUTS.flatMap(corpusCurves) : [])];
    const { tasks } = tasksOf(curves);
    // each forecast in the scenario the backtest gives it (taskScenario; 'unknown' for all with --legacy-scenario)
    samples = tasks.map((t) =>
      calibrationSample(t, undefined, { scenario: taskScenario(t, LEGACY_SCENARIO).scenario }),
    );
    if (cacheFile) fs.writeFileSync(cacheFile, JSON.stringify(samples));
  }
  const fmt = (v: number) => (Number.isFinite(v) ? Number(v.toPrecision(4)) : 'Infinity');
  const frac = (c: { covered: number; total: number }) => `${c.covered}/${c.total} (${pct(c.covered / c.total)})`;
  const splits = [...new Set(samples.map((s) => s.split ?? 'dev'))];
  /** Indices of the samples of split `sp` cut at `c`. */
  const indicesOf = (sp: string, c: number) =>
    samples.map((_, k) => k).filter((k) => (samples[k].split ?? 'dev') === sp && samples[k].cut === c);
  console.log(
    `${pool ? 'pool' : 'dev'} calibration: ${samples.length} forecasts, ${new Set(samples.map((s) => s.family)).size} families, ${samples.filter((s) => !Number.isFinite(s.score)).length} failed fits; by split: ${splits.map((sp) => `${sp} ${samples.filter((s) => (s.split ?? 'dev') === sp).length}`).join(', ')}`,
  );
  const variants: Weighting[] = pool ? ['equal', 'family'] : ['equal'];
  const judged = variants.map((weighting) => {
    const cv = crossValidatedCoverage(samples, 0.95, { weighting });
    const noCap = crossValidatedCoverage(samples, 0.95, { weighting, cap: false });
    const byCut = CUTS.map((c) => cv.byCut.get(c) ?? { covered: 0, total: 0 });
    console.log(`\n### ${weighting} weights: leave-one-family-out coverage of the 95 % band`);
    console.log(`overall ${frac(cv)} (without the cap ${frac(noCap)}); median half-width ${pct(median(cv.halfWidth))}`);
    console.log(
      `by ratio row (edges ${RATIO_EDGES.join(', ')}): ${cv.byRatioRow.map((r) => (r.total ? frac(r) : '0/0')).join(', ')}`,
    );
    console.log(
      `by cut: ${CUTS.map((c, i) => `${c * 100} % ${frac(byCut[i])}, half-width ${pct(median(cv.halfWidth.filter((_, k) => samples[k].cut === c)))}`).join('; ')}`,
    );
    for (const sp of splits) {
      const parts = CUTS.map((c) => {
        const idx = indicesOf(sp, c);
        const cov = idx.filter((k) => cv.inside[k]).length;
        return `${c * 100} % ${cov}/${idx.length}`;
      });
      console.log(`  ${sp}: ${parts.join(', ')}`);
    }
    return {
      weighting,
      cv,
      byCut: byCut.map((c) => c.covered / c.total),
      byRow: cv.byRatioRow,
      medianHalf: median(cv.halfWidth),
    };
  });
  const chosen = chooseVariant(judged);
  const cal = buildCalibration(samples, 0.95, RATIO_EDGES, N_EDGES, { weighting: chosen });
  const above = samples.filter((s) => Number.isFinite(s.overLast) && s.overLast > 0).length;
  console.log(
    `\nchosen: ${chosen} weights; final loss above the smoothed loss at the cut in ${above}; cap ln(final / smoothed) ≤ ${fmt(cal.capLog)} (×${fmt(Math.exp(cal.capLog))})`,
  );
  if (pool) {
    const cv = judged.find((j) => j.weighting === chosen)!.cv;
    console.log(
      '\n| split | cut | forecasts | before (table in use): coverage | before: median half-width | after, in-sample: coverage | after, in-sample: half-width | after, leave-one-family-out: coverage | LOFO: half-width |',
    );
    console.log('|---|---|---|---|---|---|---|---|---|');
    for (const sp of splits)
      for (const c of CUTS) {
        const idx = indicesOf(sp, c);
        const of = (t: BandCalibration) => ({
          cov: idx.filter((k) => covers(t, samples[k])).length,
          half: median(idx.map((k) => bandHalfWidth(t, samples[k]))),
        });
        const b = of(BAND_CALIBRATION),
          a = of(cal);
        console.log(
          `| ${sp} | ${c * 100} % | ${idx.length} | ${b.cov}/${idx.length} | ${pct(b.half)} | ${a.cov}/${idx.length} | ${pct(a.half)} | ${idx.filter((k) => cv.inside[k]).length}/${idx.length} | ${pct(median(idx.map((k) => cv.halfWidth[k])))} |`,
        );
      }
  }
  // rounded UP to 4 significant digits: a forecast whose score is the quantile itself stays inside the band
  const up4 = (v: number) => {
    if (!Number.isFinite(v) || v <= 0) return fmt(v);
    const u = 10 ** (Math.floor(Math.log10(v)) - 3);
    return Number((Math.ceil(v / u - 1e-9) * u).toPrecision(4));
  };
  const table = (q: number[][]) => `[${q.map((r) => `[${r.map(up4).join(', ')}]`).join(', ')}]`;
  console.log(
    `\nexport const BAND_CALIBRATION: BandCalibration = {\n  ratioEdges: ${JSON.stringify(cal.ratioEdges)},\n  nEdges: ${JSON.stringify(cal.nEdges)},\n  qUp: ${table(cal.qUp)},\n  qDown: ${table(cal.qDown)},\n  count: ${JSON.stringify(cal.count)},\n  capLog: ${up4(cal.capLog)},\n  level: ${cal.level},${cal.weighting ? `\n  weighting: '${cal.weighting}',` : ''}\n};`,
  );
}

function main(): void {
  if (argv.includes('--calibrate')) {
    calibrate();
    return;
  }
  const out: Record<string, unknown> = {};
  if (splitArg === 'dev' || splitArg === 'both') {
    out.dev = report('dev (corpus dev split + shared LR-schedule runs)', [...corpusCurves('dev'), ...scheduleCurves()]);
    out.sweepDev = sweepBacktest([...corpusCurves('dev'), ...scheduleCurves()], 'dev');
  }
  if (splitArg === 'holdout' || splitArg === 'both') {
    const hold = corpusCurves('holdout');
    if (hold.length) {
      out.holdout = report('HOLD-OUT (corpus hold-out split)', hold);
      out.sweepHoldout = sweepBacktest(hold, 'holdout');
    } else console.log('\n## HOLD-OUT: no hold-out curves found (test/fixtures/curves/split.json)');
  }
  // the second collection's own hold-out (families new to the corpus, split.json `holdout2`): scored apart
  if (splitArg === 'holdout2' || splitArg === 'both') {
    const hold2 = corpusCurves('holdout2');
    if (hold2.length) {
      out.holdout2 = report('NEW HOLD-OUT (second collection, split holdout2)', hold2);
      out.sweepHoldout2 = sweepBacktest(hold2, 'holdout2');
    } else console.log('\n## NEW HOLD-OUT: no holdout2 curves found (test/fixtures/curves/split.json)');
  }
  // the third collection, blind as a whole (families new to the corpus, split.json `holdout3`): scored apart
  if (splitArg === 'holdout3' || splitArg === 'both') {
    const hold3 = corpusCurves('holdout3');
    if (hold3.length) {
      out.holdout3 = report('THIRD HOLD-OUT (third collection, blind as a whole, split holdout3)', hold3);
      out.sweepHoldout3 = sweepBacktest(hold3, 'holdout3');
    } else console.log('\n## THIRD HOLD-OUT: no holdout3 curves found (test/fixtures/curves/split.json)');
  }
  // A collection of LM pre-training curves, blind as a whole (families new to the corpus): scored apart, with a
  // row for its curves whose loss is the run's own training objective (not an evaluation loss: tag eval-metric).
  const pretrainingHoldout = (
    split: Exclude<Split, 'dev' | 'holdout' | 'holdout2' | 'holdout3'>,
    ordinal: string,
    key: string,
    what = 'LM pre-training',
  ) => {
    const curves = corpusCurves(split);
    if (!curves.length) {
      console.log(`\n## ${ordinal} HOLD-OUT: no ${split} curves found (test/fixtures/curves/split.json)`);
      return;
    }
    out[key] = report(
      `${ordinal} HOLD-OUT (${ordinal.toLowerCase()} collection, ${what}, blind as a whole, split ${split})`,
      curves,
    );
    const trainLoss = curves.filter((c) => c.domain === 'lm-pretraining' && !(c.tags ?? []).includes('eval-metric'));
    if (trainLoss.length && trainLoss.length < curves.length)
      out[`${key}TrainLoss`] = report(
        `${ordinal} HOLD-OUT, pre-training curves of the training loss (no eval-metric)`,
        trainLoss,
      );
    out[`sweep${key[0].toUpperCase()}${key.slice(1)}`] = sweepBacktest(curves, split);
  };
  // the fourth collection (split.json `holdout4`)
  if (splitArg === 'holdout4' || splitArg === 'both') pretrainingHoldout('holdout4', 'FOURTH', 'holdout4');
  // the fifth collection (`holdout5`), collected to judge a forecaster change blind. Only on an explicit
  // `--split holdout5`, never under `both`: a routine `npm run backtest` while the forecaster is being changed
  // must not show it (the lead scores it once).
  if (splitArg === 'holdout5') pretrainingHoldout('holdout5', 'FIFTH', 'holdout5');
  // the sixth collection (`holdout6`), collected after holdout4/5 were opened for study, to judge the next
  // forecaster change blind: mostly pre-training from scratch, a few long fine-tunes / continued pre-training (the
  // training-loss row keeps the pre-training curves). Like holdout5, only on an explicit `--split holdout6`.
  if (splitArg === 'holdout6')
    pretrainingHoldout('holdout6', 'SIXTH', 'holdout6', 'LM training curves, mostly pre-training from scratch');
  // the seventh collection (`holdout7`), collected after holdout4-6 became learning data for the forecaster's
  // average, to judge the next forecaster change blind (at least 16 curves pre-training from scratch, at most 4 per
  // family). Like holdout5/6, only on an explicit `--split holdout7`, never under `both` (the lead scores it once).
  if (splitArg === 'holdout7')
    pretrainingHoldout('holdout7', 'SEVENTH', 'holdout7', 'LM training curves, mostly pre-training from scratch');
  // the eighth collection (`holdout8`), collected after every earlier hold-out had been scored (none blind any more),
  // to judge the next forecaster change (the band recalibration) blind. Like holdout5-7, only on an explicit
  // `--split holdout8`, never under `both` (the lead scores it once).
  if (splitArg === 'holdout8')
    pretrainingHoldout('holdout8', 'EIGHTH', 'holdout8', 'LM training curves, mostly pre-training from scratch');
  // the ninth collection (`holdout9`), collected after holdout8 was scored: single-epoch pre-training of models of
  // 20M parameters or more on large corpora, closer to the independent GPT-3/OPT check. Like holdout5-8, only on an
  // explicit `--split holdout9`, never under `both` (the lead scores it once).
  if (splitArg === 'holdout9')
    pretrainingHoldout('holdout9', 'NINTH', 'holdout9', 'LM pre-training on large corpora, mostly single-epoch');
  // the tenth collection (`holdout10`), collected after holdout9 was scored: complete LM training runs, logged from the
  // start to the planned end of a decaying LR schedule (cosine, linear, WSD), so the final loss is the run's own end.
  // Like holdout5-9, only on an explicit `--split holdout10`, never under `both` (the lead scores it once).
  if (splitArg === 'holdout10')
    pretrainingHoldout(
      'holdout10',
      'TENTH',
      'holdout10',
      'complete LM training runs to the planned end of a decaying LR',
    );
  // the eleventh collection (`holdout11`), collected after holdout10: complete runs logged from the start to the
  // planned end of a decaying or constant LR schedule, at least 12 of them the training loss of pre-training from
  // scratch (the training-loss row). Like holdout5-10, only on an explicit `--split holdout11`, never under `both`
  // and never in the calibration pool (the lead scores it once).
  if (splitArg === 'holdout11')
    pretrainingHoldout(
      'holdout11',
      'ELEVENTH',
      'holdout11',
      'complete LM training runs to the planned end, mostly training loss of pre-training',
    );
  // the twelfth collection (`holdout12`), collected after holdout11 was scored: complete runs logged from the start to
  // the planned end of a decaying or constant LR schedule, mostly the training loss of pre-training from scratch, from
  // families and codebases new to the corpus. Like holdout5-11, only on an explicit `--split holdout12`, never under
  // `both` and never in the calibration pool (the lead scores it once).
  if (splitArg === 'holdout12')
    pretrainingHoldout(
      'holdout12',
      'TWELFTH',
      'holdout12',
      'complete LM training runs to the planned end, mostly training loss of pre-training',
    );
  // the thirteenth collection (`holdout13`), collected after holdout12 was scored: complete runs logged from the start
  // to the planned end of a decaying or constant LR schedule, mostly the training loss of pre-training from scratch,
  // from families and codebases new to the corpus, with a spread of model sizes and run lengths. Like holdout5-12,
  // only on an explicit `--split holdout13`, never under `both` and never in the calibration pool (the lead scores it
  // once).
  if (splitArg === 'holdout13')
    pretrainingHoldout(
      'holdout13',
      'THIRTEENTH',
      'holdout13',
      'complete LM training runs to the planned end, mostly training loss of pre-training',
    );
  // the fourteenth collection (`holdout14`), collected after holdout13 was scored: complete runs logged from the start
  // to the planned end of a decaying or constant LR schedule, mostly the training loss of pre-training from scratch,
  // from families and codebases new to the corpus, spread over model sizes (300M parameters or more, under 50M) and run
  // lengths. Like holdout5-13, only on an explicit `--split holdout14`, never under `both` and never in the calibration
  // pool (the lead scores it once).
  if (splitArg === 'holdout14')
    pretrainingHoldout(
      'holdout14',
      'FOURTEENTH',
      'holdout14',
      'complete LM training runs to the planned end, mostly training loss of pre-training',
    );
  // the fifteenth collection (`holdout15`), collected after holdout14 was scored: complete runs logged from the start
  // to the planned end of a decaying or constant LR schedule, mostly the training loss of single-epoch pre-training
  // from scratch, from families and codebases new to the corpus. Like holdout5-14, only on an explicit
  // `--split holdout15`, never under `both` and never in the calibration pool (the lead scores it once).
  if (splitArg === 'holdout15')
    pretrainingHoldout(
      'holdout15',
      'FIFTEENTH',
      'holdout15',
      'complete LM training runs to the planned end, mostly training loss of pre-training',
    );
  // the sixteenth collection (`holdout16`), collected after holdout15 was scored: complete runs logged from the start
  // to the planned end of a decaying or constant LR schedule, mostly the training loss of single-epoch pre-training
  // from scratch, from families and codebases new to the corpus. Like holdout5-15, only on an explicit
  // `--split holdout16`, never under `both` and never in the calibration pool (the lead scores it once).
  if (splitArg === 'holdout16')
    pretrainingHoldout(
      'holdout16',
      'SIXTEENTH',
      'holdout16',
      'complete LM training runs to the planned end, mostly training loss of pre-training',
    );
  // the seventeenth collection (`holdout17`), collected after holdout16 was scored: complete runs logged from the
  // start to the planned end of a decaying or constant LR schedule, mostly the training loss of single-epoch
  // pre-training from scratch, from families and codebases new to the corpus. Like holdout5-16, only on an explicit
  // `--split holdout17`, never under `both` and never in the calibration pool (the lead scores it once).
  if (splitArg === 'holdout17')
    pretrainingHoldout(
      'holdout17',
      'SEVENTEENTH',
      'holdout17',
      'complete LM training runs to the planned end, mostly training loss of pre-training',
    );
  // the eighteenth collection (`holdout18`), collected after holdout17 was scored: complete runs logged from the
  // start to the planned end of a decaying or constant LR schedule, mostly the training loss of single-epoch
  // pre-training from scratch, from families and codebases new to the corpus. Like holdout5-17, only on an explicit
  // `--split holdout18`, never under `both` and never in the calibration pool (the lead scores it once).
  if (splitArg === 'holdout18')
    pretrainingHoldout(
      'holdout18',
      'EIGHTEENTH',
      'holdout18',
      'complete LM training runs to the planned end, mostly training loss of pre-training',
    );
  // the nineteenth collection (`holdout19`), collected after holdout18 was scored: complete runs logged from the
  // start to the planned end of a decaying or constant LR schedule, mostly the training loss of single-epoch
  // pre-training from scratch, from families and codebases new to the corpus. Like holdout5-18, only on an explicit
  // `--split holdout19`, never under `both` and never in the calibration pool (the lead scores it once).
  if (splitArg === 'holdout19')
    pretrainingHoldout(
      'holdout19',
      'NINETEENTH',
      'holdout19',
      'complete LM training runs to the planned end, mostly training loss of pre-training',
    );
  // the twentieth collection (`holdout20`), collected after holdout19 was scored: complete runs logged from the
  // start to the planned end of a decaying or constant LR schedule, mostly the training loss of single-epoch
  // pre-training from scratch, from families and codebases new to the corpus. Like holdout5-19, only on an explicit
  // `--split holdout20`, never under `both` and never in the calibration pool (the lead scores it once).
  if (splitArg === 'holdout20')
    pretrainingHoldout(
      'holdout20',
      'TWENTIETH',
      'holdout20',
      'complete LM training runs to the planned end, mostly training loss of pre-training',
    );
  // the twenty-first collection (`holdout21`), collected after holdout20 was scored: complete runs logged from the
  // start to the planned end of a decaying or constant LR schedule, mostly the training loss of single-epoch
  // pre-training from scratch, from families and codebases new to the corpus. Like holdout5-20, only on an explicit
  // `--split holdout21`, never under `both` and never in the calibration pool (the lead scores it once).
  if (splitArg === 'holdout21')
    pretrainingHoldout(
      'holdout21',
      'TWENTY-FIRST',
      'holdout21',
      'complete LM training runs to the planned end, mostly training loss of pre-training',
    );
  // the twenty-second collection (`holdout22`), collected after holdout21 was scored: complete LM training runs
  // (pre-training from scratch, continued pre-training, SFT and LoRA fine-tunes; next-token cross-entropy only) logged
  // from the start to a planned total stated in the log, taken from the real-log corpus (test/fixtures/real/) that the
  // forecaster was never run on. Like holdout5-21, only on an explicit `--split holdout22`, never under `both` and
  // never in the calibration pool (the lead scores it once).
  if (splitArg === 'holdout22')
    pretrainingHoldout(
      'holdout22',
      'TWENTY-SECOND',
      'holdout22',
      'complete LM training runs to the planned end from the real-log corpus, pre-training and fine-tuning',
    );
  // the twenty-third collection (`holdout23`), collected after holdout22 was scored: the same kind of complete LM
  // training runs (next-token cross-entropy only) logged from the start to a planned total stated in the log, taken
  // from the real-log corpus's newer files (batch 29's holdout26/, once the lead has scored and retired that log
  // hold-out, and holdout25/ files hold-out 22 could not read). Like holdout5-22, only on an explicit
  // `--split holdout23`, never under `both` and never in the calibration pool (the lead scores it once).
  if (splitArg === 'holdout23')
    pretrainingHoldout(
      'holdout23',
      'TWENTY-THIRD',
      'holdout23',
      'complete LM training runs to the planned end from the real-log corpus (newest batches), pre-training and fine-tuning',
    );
  // the twenty-fourth collection (`holdout24`), collected after holdout23 was scored: the same kind of complete LM
  // training runs (next-token or masked-token language modelling, seq2seq included) logged from the start to a
  // planned total, taken from the real-log corpus's batches 30 and 31 (holdout27/, holdout28/, once the lead had
  // scored those log hold-outs). Like holdout5-23, only on an explicit `--split holdout24`, never under `both` and
  // never in the calibration pool (the lead scores it once).
  if (splitArg === 'holdout24')
    pretrainingHoldout(
      'holdout24',
      'TWENTY-FOURTH',
      'holdout24',
      'complete LM training runs to the planned end from the real-log corpus (batches 30-31), pre-training and fine-tuning',
    );
  const j = argOf('--json');
  if (j) fs.writeFileSync(j, JSON.stringify(out, null, 2));
}

main();
