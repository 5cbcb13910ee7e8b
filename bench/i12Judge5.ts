/**
 * Issue 12 study 4's candidate C5 judged ONCE on the blind curve hold-out 15 against main (session 24).
 *
 * JUDGEMENT, declared by the lead 2026-12-04 21:05 UTC, before any forecast of hold-out 15 was computed (this
 * declaration is committed before the judgement is run):
 *  The tasks are hold-out 15's backtest tasks (the usual 10 / 30 / 50 % cuts) whose horizon is at least 5× the
 *  prefix's last step, the only ones on which C5 differs from main (C5: the bounded pow3 alone, `pow3b`; see
 *  bench/i12Study4.ts). Forecasts with scenario 'unknown' and the shipped calibrated band, as the backtest makes them.
 *  C5 passes when all three hold:
 *   (a) its median |forecast / final − 1| over those tasks is below main's;
 *   (b) it is worse than main on at most half of those tasks;
 *   (c) its 95 % band covers at least as many of their final values as main's band, less one.
 *  If C5 passes it becomes the forecaster's rule for LM pre-training runs once a way to tell pre-training from
 *  fine-tuning is declared and checked on the pool (fine-tunes at 10 % got much worse in study 4); if it fails it is
 *  dropped. Either way hold-out 15 is then unblinded. Main's own hold-out 15 backtest (bench/backtest.ts --split
 *  holdout15) is run once in the same session and recorded with it.
 *
 * RESULT (2026-12-04 20:54 UTC, at 51c1f59; 6 curves, 18 tasks, 6 at horizons >= 5x, all the 10 % cut):
 * C5 FAILS and is dropped. (a) median |error| main 14.03 %, C5 18.59 %; (b) C5 worse on 5 of 6; (c) coverage 6/6
 * each. Both forecast the four nano LLaMA-3 runs 14-21 % low from 10 % of their steps; C5 (pow3b alone) lower still.
 * Main's own hold-out 15 backtest in the same session (bench/backtest.ts --split holdout15): 10 / 30 / 50 % median
 * error ours 14.03 / 2.98 / 2.71 %, bounded pow3 33.46 / 7.82 / 2.16 %, last value 19.03 / 8.05 / 6.23 %; band
 * coverage ours 6/6 at every cut (pow3 1/6, 0/6, 0/6). Hold-out 15 is no longer blind.
 *
 *   node --import tsx bench/i12Judge5.ts
 */
import { corpusCurves } from '../test/unit/fit/corpus';
import { tasksOf } from '../test/unit/fit/curve-tasks';
import { fitCurve } from '../src/fit/curve/fitCurve';
import { forecastOf, judgeCovers, judgeErr, medianAll, type Scored } from './i12Study';

const LONG = 5;
const curves = corpusCurves('holdout15');
const { tasks, skipped } = tasksOf(curves);
const long = tasks.filter((t) => t.at >= LONG * t.x[t.x.length - 1]);
const pct = (v: number) => `${(v * 100).toFixed(2)} %`;
const err = judgeErr,
  covers = judgeCovers,
  median = medianAll;

console.log(`hold-out 15: ${curves.length} curves, ${tasks.length} tasks, ${long.length} at horizons ≥ ${LONG}×`);
if (skipped.length) console.log(`skipped: ${skipped.join(', ')}`);
console.log('\n| task | cut | horizon | final | main | main band | C5 | C5 band |\n|---|---|---|---|---|---|---|---|');
const rows = long.map((t) => {
  const main = forecastOf(t, fitCurve(t.x, t.y));
  const c5 = forecastOf(t, fitCurve(t.x, t.y, { laws: ['pow3b'] }));
  const band = (p: Scored | null) => (p ? `${p.lower.toFixed(3)}–${p.upper.toFixed(3)}` : '—');
  console.log(
    `| ${t.curve} | ${t.cut * 100} % | ${(t.at / t.x[t.x.length - 1]).toFixed(1)}× | ${t.truth.toFixed(3)} | ` +
      `${main ? main.value.toFixed(3) : '—'} (${pct(err(main, t.truth))}) | ${band(main)} | ` +
      `${c5 ? c5.value.toFixed(3) : '—'} (${pct(err(c5, t.truth))}) | ${band(c5)} |`,
  );
  return {
    em: err(main, t.truth),
    ec: err(c5, t.truth),
    cm: covers(main, t.truth),
    cc: covers(c5, t.truth),
  };
});
const mm = median(rows.map((r) => r.em)),
  mc = median(rows.map((r) => r.ec));
const worse = rows.filter((r) => r.ec > r.em).length;
const covM = rows.filter((r) => r.cm).length,
  covC = rows.filter((r) => r.cc).length;
const a = mc < mm,
  b = worse <= rows.length / 2,
  c = covC >= covM - 1;
console.log(`\n(a) median |error|: main ${pct(mm)}, C5 ${pct(mc)} → ${a}`);
console.log(`(b) C5 worse than main on ${worse} of ${rows.length} → ${b}`);
console.log(`(c) band coverage: main ${covM}/${rows.length}, C5 ${covC}/${rows.length} → ${c}`);
console.log(`C5 ${a && b && c ? 'PASSES' : 'FAILS'} the declared judgement`);
