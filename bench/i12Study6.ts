/**
 * Issue 12 study 6 (session 25): candidate C7 `burn-in for dense prefixes` and its variant C7b on the POOL.
 *
 * CANDIDATE, declared by the lead 2026-12-05 00:13 UTC, before any of its figures was computed by this script (this
 * declaration is committed before the study is run). NOT a clean pool check: the gate and the ratio were chosen
 * after looking at the pool, holdout13 … holdout16 included (see the README, "Where the forecaster stands on the
 * whole pool"), so a pass here is no evidence; only the blind judgement below can make it the default.
 *
 *  C7 `burn-in for dense prefixes`: when the prefix holds at least 60 points, fitCurve fits only its points with
 *  x ≥ x_last / 3 (its `burnIn: 3` option: at least the last 12 points are kept); prefixes of fewer than 60 points
 *  are main's. Variant C7b: the same with x ≥ x_last / 10 (study 3's C4, gated). Nothing else changes (laws,
 *  backtest, average, scenario, band table).
 *  Why: in study 1's signed-error tables on today's pool (bench/i12Study.ts), main forecasts densely logged
 *  training-loss prefixes low at horizons of 5–12× (median signed −12 % with 60–199 points, −17 % with ≥ 200), while
 *  sparse evaluation curves are not; a dense log from step 1 holds the early fast phase, which the log-spaced fit
 *  weighs as much as the late slope. The bounded scipy pow3, a least-squares fit in linear x (so dominated by the
 *  late points), is closer on such prefixes.
 *
 * POOL CHECK (declared with it, as studies 3–5): main, C7 and C7b on the same tasks in one run, on the pool (dev,
 * LR-schedule runs, holdout … holdout16; holdout17 is blind and never loaded):
 *  (i) pooled 30 % median |error| on LM pre-training curves below main's by at least 0.2 points, on the whole pool
 *      AND on the pool without holdout13 … holdout16 (where the pattern was seen);
 *  (ii) at no cut the pooled median over all pool forecasts worse than main's by > 0.3 points;
 *  (iii) band coverage after recalibration (the `--calibrate --pool` recipe with the candidate's forecasts)
 *      90–99 % leave-one-family-out at every cut, family weights, whole pool;
 *  (iv) at 30 % worse than main on at most a third of the splits.
 * If both pass, the one with the smaller pooled pre-training 30 % median is proposed.
 *
 * BLIND JUDGEMENT (declared now): the proposed candidate is judged once against main on curve hold-out 17 (collection
 * 2026-12-04h, blind) when it is scored, if it then holds at least 5 curves (else on the next collection with it,
 * scored together): it passes if (a) its 30 % median |error| is below main's, (b) at no cut is its median worse than
 * main's by more than 0.5 points, and (c) at every cut its band covers at least main's count less one. Only then does
 * it become the default (with the band table recalibrated).
 *
 * RESULT (2026-12-05 00:23 UTC, 1,091 pool forecasts: 317 / 387 / 387 at 10 / 30 / 50 %, 387 curves, 17 splits):
 * C7 PASSES, C7b does not; C7 is proposed for the blind judgement (again: the pass is no evidence, see above).
 *  (i) LM pre-training at 30 %: whole pool (341) main 3.74 %, C7 3.44 %, C7b 3.69 %; without holdout13–16 (284)
 *      main 3.93 %, C7 3.51 %, C7b 3.61 %.
 *  (ii) all forecasts 10 / 30 / 50 %: main 15.26 / 4.41 / 3.53 %, C7 13.48 / 3.99 / 3.27 %, C7b 15.23 / 4.29 /
 *      3.12 %. Fine-tunes and other curves at 30 %: main 16.61 %, C7 13.40 %.
 *  (iii) LOFO coverage, family weights, whole pool: main 302/317, 368/387, 356/387; C7 293/317, 365/387, 352/387
 *      (median half-width 33.7 → 29.8 %).
 *  (iv) worse than main at 30 % on C7 3 of 17 splits (holdout4 1.73 → 1.87 %, holdout9 2.68 → 5.54, holdout15
 *      2.98 → 3.93), C7b 5 of 17.
 *
 * C7 then passed its blind judgement (bench/i12Judge6.ts) and is the default since; "main" here is now the forecaster
 * before it (`burnIn: 1`), so a re-run gives the figures above.
 *
 *   node --import tsx bench/i12Study6.ts [--cache FILE]
 */
import { calibrationSample, type Task } from '../test/unit/fit/curve-tasks';
import { fitCurve } from '../src/fit/curve/fitCurve';
import { declaredPoolCheck, forecastOf, poolComparison, type MethodResult } from './i12Study';

const argv = process.argv.slice(2);
const argOf = (n: string) => {
  const i = argv.indexOf(n);
  return i >= 0 ? argv[i + 1] : undefined;
};

type Method = 'main' | 'C7' | 'C7b';
const METHODS: Method[] = ['main', 'C7', 'C7b'];
/** The declared burn-in ratios, applied to prefixes of at least DENSE points. */
const BURN_IN: Record<Method, number> = { main: 1, C7: 3, C7b: 10 };
const DENSE = 60;

function scoreAll(t: Task): Record<Method, MethodResult> {
  const out = {} as Record<Method, MethodResult>;
  for (const m of METHODS) {
    const f = fitCurve(t.x, t.y, { burnIn: t.x.length >= DENSE ? BURN_IN[m] : 1 });
    out[m] = { p: forecastOf(t, f), s: calibrationSample(t, f) };
  }
  return out;
}

const cmp = poolComparison(
  METHODS,
  { main: 'main', C7: 'C7 burn-in 3 when ≥ 60 points', C7b: 'C7b burn-in 10 when ≥ 60 points' },
  scoreAll,
  argOf('--cache'),
);
declaredPoolCheck(cmp, METHODS, ['C7', 'C7b'], {
  cut: 0.3,
  minGain: 0.002,
  motivating: ['holdout13', 'holdout14', 'holdout15', 'holdout16'],
});
