/**
 * Issue 12 study 6's candidate C7 judged ONCE on the blind curve hold-out 17 against main (session 25).
 *
 * JUDGEMENT, as declared in bench/i12Study6.ts (committed at 157972e before the study ran), written out here by the
 * lead 2026-12-05 00:25 UTC before any forecast of hold-out 17 was computed (committed before it is run):
 *  The tasks are all of hold-out 17's backtest tasks (the usual 10 / 30 / 50 % cuts of every curve it holds when
 *  scored; the judgement needs at least 5 curves). Forecasts with scenario 'unknown' and the shipped calibrated band,
 *  as the backtest makes them; C7 is fitCurve with `burnIn: 3` on prefixes of at least 60 points, main's fit
 *  otherwise. C7 passes when all three hold:
 *   (a) its median |forecast / final − 1| at the 30 % cut is below main's;
 *   (b) at no cut is its median worse than main's by more than 0.5 points;
 *   (c) at every cut its band covers at least as many final values as main's, less one.
 *  If C7 passes it becomes the default (with the band table recalibrated on the pool as the README's recipe says);
 *  if it fails it is dropped. Either way hold-out 17 is then unblinded, and main's own hold-out 17 backtest
 *  (bench/backtest.ts --split holdout17) is run once in the same session and recorded with it.
 *
 * RESULT (2026-12-05 00:25 UTC, at 2b17fca, before the adoption; 11 curves, 33 tasks): C7 PASSES. Median |error|
 * main / C7: 10 % 22.82 / 22.82 %, 30 % 10.99 / 10.22 %, 50 % 8.97 / 5.52 %; C7 worse on 2 of 11 at each cut;
 * coverage 11/11 for both at every cut (with the band table then in use). C7 became the default (fitCurve's
 * DENSE_BURN_IN) and the band table was regenerated; hold-out 17 is no longer blind. Re-run now, "main" is the
 * forecaster before the adoption (`burnIn: 1`, every point) and the band is today's table, so the coverage columns
 * differ from the judgement's; both sides are fitted without study 7's later decline cap (`declineCap: null`).
 *
 *   node --import tsx bench/i12Judge6.ts
 */
import { corpusCurves } from '../test/unit/fit/corpus';
import { tasksOf } from '../test/unit/fit/curve-tasks';
import { fitCurve } from '../src/fit/curve/fitCurve';
import { declaredJudgement, forecastOf } from './i12Study';

const DENSE = 60;
const curves = corpusCurves('holdout17');
const { tasks, skipped } = tasksOf(curves);

console.log(`hold-out 17: ${curves.length} curves, ${tasks.length} tasks`);
if (curves.length < 5) {
  console.log('fewer than 5 curves: no judgement (declared)');
  process.exit(0);
}
if (skipped.length) console.log(`skipped: ${skipped.join(', ')}`);
declaredJudgement(
  tasks,
  'C7',
  (t) => forecastOf(t, fitCurve(t.x, t.y, { burnIn: 1, declineCap: null })),
  (t) =>
    t.x.length >= DENSE
      ? forecastOf(t, fitCurve(t.x, t.y, { burnIn: 3, declineCap: null }))
      : forecastOf(t, fitCurve(t.x, t.y, { burnIn: 1, declineCap: null })),
);
