/**
 * Issue 12 study 3 (session 22): candidate C4 `burn-in` and its variant C4b on the POOL.
 *
 * CANDIDATE, declared by the lead 2026-12-04 14:34 UTC, before any of its figures was computed (this declaration is
 * committed before the study's code):
 *
 *  C4 `burn-in`: before decimation and fitting, fitCurve drops the prefix points with x < x_last / R (x_last: the
 *  prefix's last step), R = 10, so the laws are fitted to the last decade of steps only; when fewer than 12 points
 *  (after the warm-up bump is dropped) would remain, it keeps the last 12 points (all of them when there are fewer).
 *  Variant C4b: the same with R = 30. Nothing is estimated from the data (R is declared), so the pool check needs
 *  leave-one-family-out only for the band.
 *  Why: LM loss curves start with a fast phase (loss 11 → 4 in the first few % of steps) that the log-spaced
 *  decimation bins weight as heavily as the later decades; the fitted laws then carry the early steepness into the
 *  extrapolation. Seen before the declaration, on hold-out 12 after it was scored (engram-moe at 50 %: every member
 *  forecasts 2.35–2.41 for a final 2.77, the fitted decay exponent ~0.25 against ~0.11 over the last quarter of the
 *  prefix) and hold-outs 11 and 12's mostly low forecasts (11 of 14 low at 30 % on hold-out 12).
 *
 * POOL CHECK (declared with it): main, C4 and C4b on the same tasks in one run, on the pool (dev, LR-schedule runs,
 * holdout … holdout12; every split scored, none blind):
 *  (i) pooled 30 % median |error| on LM pre-training curves below main's by at least 0.2 points, on the whole pool
 *      AND on the pool without holdout11 and holdout12 (the two that motivated the candidate);
 *  (ii) at no cut the pooled median over all pool forecasts worse than main's by > 0.3 points;
 *  (iii) band coverage after recalibration (the `--calibrate --pool` recipe with the candidate's forecasts)
 *      90–99 % leave-one-family-out at every cut, family weights, whole pool;
 *  (iv) at 30 % worse than main on at most a third of the splits.
 * If both pass, the one with the smaller pooled pre-training 30 % median is proposed; it is then judged once on the
 * next blind curve hold-out (holdout13) against main, before anything else changes.
 */
