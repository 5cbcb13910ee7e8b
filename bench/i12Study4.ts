/**
 * Issue 12 study 4 (session 23): candidate C5 `power tail at long horizons` and its variant C5b on the POOL.
 *
 * CANDIDATE, declared by the lead 2026-12-04 18:56 UTC, before any of its figures was computed (this declaration is
 * committed before the study's code):
 *
 *  C5 `power tail at long horizons`: a forecast whose horizon is at least 5× the prefix's last step (an extrapolation
 *  over ≥ 0.7 decades; in the backtest, the 10 % cut) is made from the bounded pow3 alone, c + a·x^(−α) with
 *  0 < α ≤ 1 (`pow3b`, fitted, backtested and banded as every law is); shorter horizons are main's. Variant C5b: at
 *  those horizons, the average over the laws with a power-law tail only ({pow3, pow4, pow3b}, the usual backtest
 *  weights and Occam's window). Nothing is estimated from the data (the factor 5 and the law sets are declared).
 *  Why: LM loss against steps follows a power law in the step with an exponent below 1 (Kaplan et al. 2020, Hoffmann
 *  et al. 2022); from a prefix of a tenth of the run the backtest-weighted average is dominated by laws with
 *  exponential or sigmoidal tails (Weibull, MMF, Janoschek, exp4) fitted to the early fast phase, which saturate too
 *  soon. Seen before the declaration, on curve hold-outs 13 and 14 after each was scored: at 10 % ours 17.0 / 19.5 %
 *  against the bounded pow3's 9.3 / 4.2 %; on hold-out 14's six modded-nanogpt arms ours 15–36 % low with such laws.
 *  Session 19's pool (study 1) had main and the scipy pow3 tied at 10 % (15.4 % each).
 *
 * POOL CHECK (declared with it): main, C5 and C5b on the same tasks in one run, on the pool (dev, LR-schedule runs,
 * holdout … holdout14; every split scored, none blind):
 *  (i) pooled 10 % median |error| on LM pre-training curves below main's by at least 1.0 point, on the whole pool AND
 *      on the pool without holdout13 and holdout14 (the two that motivated the candidate);
 *  (ii) at no cut the pooled median over all pool forecasts worse than main's by > 0.3 points;
 *  (iii) band coverage after recalibration (the `--calibrate --pool` recipe with the candidate's forecasts)
 *      90–99 % leave-one-family-out at every cut, family weights, whole pool;
 *  (iv) at 10 % worse than main on at most a third of the splits.
 * If both pass, the one with the smaller pooled pre-training 10 % median is proposed; it is then judged once on the
 * next blind curve hold-out against main, before it becomes the default.
 *
 *   node --import tsx bench/i12Study4.ts [--cache FILE]
 */
