/**
 * Issue 12 study 7's proposed candidate (C8 `decline cap`, or C8b if the pool check proposes it) judged ONCE on the
 * blind curve hold-out 19 against main.
 *
 * JUDGEMENT, as declared in bench/i12Study7.ts and written out here with it (2026-12-05 05:32 UTC, branch i12study7),
 * before any figure of the candidate was computed and before any forecast of hold-out 19 (committed before either is
 * run; the lead runs it once, on main, where split 'holdout19' exists):
 *  The tasks are all of hold-out 19's backtest tasks (the usual 10 / 30 / 50 % cuts of every curve it holds when
 *  scored; the judgement needs at least 5 curves, else it waits for the next collection, scored together). Forecasts
 *  with scenario 'unknown' and the shipped calibrated band, as the backtest makes them; main is fitCurve's default,
 *  the candidate the same fit with `declineCap: θ` (C8 θ = 0.85; C8b θ = 0.75). The candidate passes when all hold:
 *   (a) its median |forecast / final − 1| at the 30 % cut is below main's;
 *   (b) at no cut is its median worse than main's by more than 0.5 points;
 *   (c) at every cut its band covers at least as many final values as main's, less one.
 *  If it passes it becomes the default (with the band table recalibrated on the pool as the README's recipe says);
 *  if it fails it is dropped. Either way hold-out 19 is then unblinded, and main's own hold-out 19 backtest
 *  (bench/backtest.ts --split holdout19) is run once in the same session and recorded with it.
 *  PROPOSED below is the candidate the pool check proposes (set from bench/i12Study7.ts's RESULT, before this is run);
 *  if the pool check proposes none, this judgement is not run. The pool check (2026-12-05 05:35 UTC) passed both and
 *  proposes C8b (the smaller pooled pre-training 30 % median, as declared), so PROPOSED is C8b.
 *
 * RESULT (2026-12-05 06:31 UTC, run once by the lead on main at a0b2341, hold-out 19: 6 curves of 2 families, 18
 * tasks): C8b PASSES. Medians main → C8b at 10 / 30 / 50 %: 8.35 → 7.25 %, 9.24 → 7.24 %, 2.27 → 1.61 %; C8b worse
 * on 0, 1 and 0 of 6 forecasts; coverage 5/6 → 5/6, 5/6 → 6/6, 6/6 → 6/6. (a), (b) and (c) hold, so C8b is the
 * default (fitCurve's DECLINE_CAP) with the band table recalibrated; main's own backtest of hold-out 19 at a0b2341,
 * same session: ours 8.35 / 9.24 / 2.27 %, scipy pow3 22.09 / 11.44 / 7.12 %, last value 40.38 / 12.54 / 6.08 %.
 *
 * main is the fit without the cap (`declineCap: null`, what fitCurve's default was when this was run), so the script
 * reproduces the judgement now that the cap is the default.
 *
 *   node --import tsx bench/i12Judge7.ts
 */
import { corpusCurves, type Split } from '../test/unit/fit/corpus';
import { tasksOf } from '../test/unit/fit/curve-tasks';
import { fitCurve } from '../src/fit/curve/fitCurve';
import { declaredJudgement, forecastOf } from './i12Study';

const THETA = { C8: 0.85, C8b: 0.75 } as const;
const PROPOSED: keyof typeof THETA = 'C8b';
const SPLIT = 'holdout19';

const curves = corpusCurves(SPLIT as Split);
const { tasks, skipped } = tasksOf(curves);

console.log(
  `hold-out 19: ${curves.length} curves, ${tasks.length} tasks; candidate ${PROPOSED} (θ = ${THETA[PROPOSED]})`,
);
if (curves.length < 5) {
  console.log(
    curves.length
      ? 'fewer than 5 curves: no judgement (declared; wait for the next collection)'
      : `no curve of split '${SPLIT}' in the corpus here: no judgement`,
  );
  process.exit(0);
}
if (skipped.length) console.log(`skipped: ${skipped.join(', ')}`);
declaredJudgement(
  tasks,
  PROPOSED,
  (t) => forecastOf(t, fitCurve(t.x, t.y, { declineCap: null })),
  (t) => forecastOf(t, fitCurve(t.x, t.y, { declineCap: THETA[PROPOSED] })),
);
