/**
 * Issue 12 study 7 (session 26): candidate C8 `decline cap` and its variant C8b on the POOL.
 *
 * CANDIDATE, declared by a helper (branch i12study7) 2026-12-05 05:32 UTC, before any of its figures was computed
 * (this declaration, with the option's code, is committed before the study is run).
 *
 *  C8 `decline cap`: beyond the prefix's last step, the forecast's as-logged model average may not fall faster, in
 *  log-log terms from the last prefix loss, than θ = 0.85 of the prefix's own late slope:
 *      ln L(x) ≥ ln L_last + θ · s_late · ln(x / x_last)        (x > x_last),
 *  where s_late is the least-squares slope of ln y on ln x over the prefix's points in the last quarter of its ln-x
 *  range (bench/featureStudy.ts's slopeLate, on fitCurve's cleaned points before the burn-in; at least 4 points;
 *  only when s_late < 0) and L_last is fitCurve's lastLoss (the last decimated bin). The 'unknown' scenario's anneal
 *  drop and the band (same variance, same table) are applied to the capped value as to main's. fitCurve's
 *  `declineCap: θ` option; absent: main, byte-identical. Variant C8b: the same with θ = 0.75. Nothing is estimated
 *  from the data beyond θ, declared here.
 *  Why: a loss with a positive floor E has a log-log slope −α(L − E)/L that shrinks as L nears E, so a law with a
 *  floor extrapolates less than the late slope (the ratio < 1); members whose asymptote sits at its bound 0 (Weibull,
 *  Janoschek, exp4) or that have none (log-power, M1) keep the late slope. The cap asks for at least (1 − θ) of
 *  deceleration, measured against the prefix itself, and never lowers a forecast.
 *
 * WHAT WAS LOOKED AT BEFORE CHOOSING (so the pool check below is NOT clean evidence; only the blind judgement is):
 *  - bench/i12Study.ts's signed-error tables on today's pool (dev, LR-schedule runs, holdout … holdout18; 1,130
 *    forecasts, the default with C7): LM pre-training median |error| main 12.01 / 3.54 / 3.00 % at 10 / 30 / 50 %,
 *    scipy pow3 14.84 / 5.43 / 3.69 %; at 30 % main's median signed error is −0.77 % overall but −2.43 % on cosine
 *    runs, −10.6 / −8.9 / −7.1 % on holdout16 / 17 / 18, −4.6 / −3.6 % on holdout12 / 11, +6.6 % on holdout14.
 *  - the same errors by forecast-time features (a scratch script, not kept; main's and pow3's errors only): by
 *    tertile of extrapRatio (the log-log slope main's as-logged average extrapolates from the last level to the
 *    horizon ÷ slopeLate), LM pre-training at 30 %: ≤ 0.597 main +1.61 % signed (2.87 % abs), 0.597…0.844 −0.40
 *    (1.98), > 0.844 −6.97 (7.96; pow3 +2.25, 6.67, closer on 63/116); at 10 %: > 0.905 −13.85 % (pow3 closer
 *    58/92); at 50 %: > 0.903 −3.49 %. θ = 0.85 was chosen from the 30 % tertile boundary (0.844) seen there.
 *    Likewise seen: slopeLate ≤ −0.175 −5.70 %, accel ≤ 0.009 −6.00 %, main's drop below the last level > 15.6 %
 *    −7.63 %, a log-power or M1 member −2.59 % (30 %).
 *  - earlier work on the same feature, all in the README: featureStudy's gate2Any (a shrink toward the pow3 member
 *    where extrapRatio ≥ 0.814) passed its pool rule on dev + holdout4–6 but broke the revisiting_lang benchmark; the
 *    restricted gate (branch i12gate) passed its blind judgement on holdout7 but was worse at 30 % on the first and
 *    third hold-outs and moved the Megatron check out of its band. C8 differs in being a one-sided cap toward the
 *    prefix's own slope (no pow3 fit, no learned weight); whether that matters is what the checks below say.
 *
 * POOL CHECK (declared with it, as study 6's): main, C8 and C8b on the same tasks in one run, on the pool (dev,
 * LR-schedule runs, POOLABLE_SPLITS: holdout … holdout18; a blind hold-out, holdout19 once it exists, is never
 * loaded):
 *  (i) pooled 30 % median |error| on LM pre-training curves below main's by at least 0.2 points, on the whole pool
 *      AND on the pool without holdout11, holdout12, holdout16, holdout17, holdout18 (where the low bias was seen);
 *  (ii) at no cut the pooled median over all pool forecasts worse than main's by > 0.3 points;
 *  (iii) band coverage after recalibration (the `--calibrate --pool` recipe with the candidate's forecasts)
 *      90–99 % leave-one-family-out at every cut, family weights, whole pool;
 *  (iv) at 30 % worse than main on at most a third of the splits.
 * If both pass, the one with the smaller pooled pre-training 30 % median is proposed. Also run and reported, not
 * part of the check: the forecast identity of main (the option absent) against the default's forecasts.
 *
 * BLIND JUDGEMENT (declared now; bench/i12Judge7.ts): the proposed candidate is judged once against main on curve
 * hold-out 19 (split 'holdout19', collected blind by branch i12curves19) when it is scored, if it then holds at least
 * 5 curves (else on the next collection, scored together): it passes if (a) its 30 % median |error| is below main's,
 * (b) at no cut is its median worse than main's by more than 0.5 points, and (c) at every cut its band covers at
 * least main's count less one. Only then does it become the default (with the band table recalibrated).
 *
 * RESULT (2026-12-05 05:35 UTC, 1,130 pool forecasts: 330 / 400 / 400 at 10 / 30 / 50 %, 400 curves, 19 splits):
 * BOTH PASS; C8b (θ = 0.75) has the smaller pooled pre-training 30 % median and is proposed for the blind
 * judgement (again: the pass is no clean evidence, see above). Median |forecast / final − 1|:
 *  (i) LM pre-training at 30 %: whole pool (353) main 3.51 %, C8 3.00 %, C8b 2.91 %; without holdout11/12/16/17/18
 *      (305) main 3.00 %, C8 2.55 %, C8b 2.68 %.
 *  (ii) all forecasts 10 / 30 / 50 %: main 13.63 / 4.11 / 3.28 %, C8 12.65 / 3.36 / 3.10 %, C8b 12.23 / 3.21 /
 *      2.98 %. LM pre-training 10 / 50 %: main 12.10 / 3.00, C8 11.51 / 2.77, C8b 11.01 / 2.84 %. Fine-tunes and
 *      other curves 10 / 30 / 50 % (45 / 47 / 47): main 49.62 / 12.13 / 16.06 %, C8b 34.48 / 7.05 / 9.25 %.
 *  (iii) LOFO coverage of the recalibrated band, family weights, whole pool: main 305/330, 378/400, 367/400; C8
 *      305/330, 376/400, 367/400; C8b 304/330, 378/400, 370/400 (median half-width 30.1 → 29.7 / 29.4 %).
 *  (iv) worse than main at 30 %: C8 on 2 of 19 splits (holdout2 2.12 → 2.46 %, holdout14 6.83 → 15.07 %), C8b on 4
 *      (holdout2 → 2.46, holdout10 1.06 → 1.12, holdout13 1.89 → 2.29, holdout14 → 17.77 %).
 *  Forecast identity: main (the option absent) equals the default forecaster's records (bench/i12Study.ts --cache,
 *  made before the option existed) on all 1,130 forecasts, value and band.
 * Seen in the same tables, not part of the check: holdout14 at 30 % gets much worse (6.83 → 15.07 / 17.77 %): its
 * multi-epoch "slowrun" curves were already forecast high (main's median signed +6.6 % there) and the cap only
 * raises forecasts; a blind set of such runs would fail the judgement.
 *
 * FLIP, PREPARED AND NOT APPLIED (only if bench/i12Judge7.ts passes on holdout19), tried in the worktree and reverted
 * (patch kept at /tmp/i12s7/flip-default-and-table.patch on the machine it was made on):
 *  - fitCurve: `const capTheta = opts.declineCap === undefined ? DECLINE_CAP : opts.declineCap` with
 *    `export const DECLINE_CAP = 0.75` and `declineCap?: number | null` (null: off), the late slope measured when
 *    capTheta !== null, the floor line recorded when capTheta !== null && slope < 0;
 *  - the band table regenerated: `node --import tsx bench/backtest.ts --calibrate --pool --no-scipy` (1,091 forecasts,
 *    dev … holdout16, 123 families): family weights chosen by the declared rule, LOFO 1010/1091 (92.6 %; 10 / 30 / 50 %
 *    292/317, 365/387, 353/387), median half-width 28.39 % (today's table 29.26 %), cap ×1.064 unchanged; the upper
 *    multipliers fall (R > 5, nFit 12–39: 0.8386 → 0.475; R ≤ 2.5, nFit ≥ 40: 0.5899 → 0.3252), qDown at R ≤ 2.5
 *    0.9713 → 1.07;
 *  - with both: test/unit/cli/predict.test.ts (the Megatron check) and curve-calibration's table test pass; to
 *    change: this study's own test and the two average-identity tests (curve-average, curve-stack), which simulate
 *    the plain average (give them `declineCap: null` or the cap); and test/unit/fit/curve-revisiting.test.ts FAILS:
 *    on revisiting_lang (20 published curves, outside the pool) ours beats M2 on 10/20 (main 12/20; the test asks for
 *    > 10), though the mean log-RMSE improves (0.0138 → 0.0126) and the 95 % band covers 342/342 targets (main
 *    339/342): the two curves lost are near-ties on the LM val-loss curves (1.68e7: 0.0003 → 0.0004 against M2's
 *    0.0003; 4.53e8: 0.0006 → 0.0010 against 0.0007). That test is the one the gate of featureStudy failed; whether
 *    its threshold or the flip gives way is the lead's decision.
 *  - live refit cost (the 100k-point curve of bench/run.mjs, A/B under tsx, interleaved medians of 15 at load 6–8):
 *    the option adds 0.4–2.2 ms CPU to ~60 ms (one pass, two logs per point of the late quarter).
 *
 *   node --import tsx bench/i12Study7.ts [--cache FILE] [--identity RECORDS]
 *   (--identity: a bench/i12Study.ts --cache file made by the default forecaster; main's forecasts must equal it)
 */
import * as fs from 'node:fs';
import { calibrationSample, type Task } from '../test/unit/fit/curve-tasks';
import { fitCurve, type CurveFit, type FitFailure } from '../src/fit/curve/fitCurve';
import { declaredPoolCheck, forecastOf, poolComparison, type MethodResult, type StudyRecord } from './i12Study';

const argv = process.argv.slice(2);
const argOf = (n: string) => {
  const i = argv.indexOf(n);
  return i >= 0 ? argv[i + 1] : undefined;
};

type Method = 'main' | 'C8' | 'C8b';
const METHODS: Method[] = ['main', 'C8', 'C8b'];
/** The declared caps (θ); main has none. */
export const DECLINE_CAP: Record<Exclude<Method, 'main'>, number> = { C8: 0.85, C8b: 0.75 };

/**
 * The option only adds `declineCap` to the fit (the fit itself is the same), so one fit with the option serves all
 * three: main without the field, C8b with its θ.
 */
export function variantsOf(f: CurveFit | FitFailure): Record<Method, CurveFit | FitFailure> {
  if (!f.ok) return { main: f, C8: f, C8b: f };
  const { declineCap, ...main } = f;
  return {
    main: main as CurveFit,
    C8: f,
    C8b: declineCap ? { ...f, declineCap: { ...declineCap, theta: DECLINE_CAP.C8b } } : f,
  };
}

function scoreAll(t: Task): Record<Method, MethodResult> {
  const v = variantsOf(fitCurve(t.x, t.y, { declineCap: DECLINE_CAP.C8 }));
  const out = {} as Record<Method, MethodResult>;
  for (const m of METHODS) out[m] = { p: forecastOf(t, v[m]), s: calibrationSample(t, v[m]) };
  return out;
}

if (process.argv[1] && /i12Study7\.ts$/.test(process.argv[1])) {
  const cmp = poolComparison(
    METHODS,
    { main: 'main', C8: 'C8 decline cap 0.85', C8b: 'C8b decline cap 0.75' },
    scoreAll,
    argOf('--cache'),
  );
  declaredPoolCheck(cmp, METHODS, ['C8', 'C8b'], {
    cut: 0.3,
    minGain: 0.002,
    motivating: ['holdout11', 'holdout12', 'holdout16', 'holdout17', 'holdout18'],
  });
  const idFile = argOf('--identity');
  const cache = argOf('--cache');
  if (idFile && cache) {
    // main's forecasts (the option absent) against a record file of the default forecaster, task by task
    const recs = new Map((JSON.parse(fs.readFileSync(idFile, 'utf8')) as StudyRecord[]).map((r) => [r.id, r]));
    const res = JSON.parse(fs.readFileSync(cache, 'utf8')) as Record<Method, MethodResult>[];
    let same = 0,
      diff = 0,
      missing = 0;
    cmp.tasks.forEach((t, i) => {
      const r = recs.get(t.id);
      const p = res[i].main.p;
      if (!r) missing++;
      else if (
        (r.main === null && p === null) ||
        (r.main && p && r.main.value === p.value && r.main.lower === p.lower && r.main.upper === p.upper)
      )
        same++;
      else diff++;
    });
    console.log(`\nidentity: main vs ${idFile}: ${same} identical, ${diff} different, ${missing} not in the records`);
  }
}
