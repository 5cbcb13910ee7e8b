/**
 * Issue 12 study 2 (session 20): candidate C3 `drop-shrink` and its variant C3b on the POOL, leave-one-family-out.
 *
 * CANDIDATE, declared by the lead before any of its figures (copied verbatim; study started 2026-12-04 08:05 UTC,
 * this declaration committed before any candidate figure was computed):
 *
 *  C3 `drop-shrink`: the forecast F at the horizon is replaced by L + s·(F − L), where L is the forecaster's own fitted
 *  value at the last step of the prefix (the smooth current loss, not the last noisy point), and s is ONE constant in
 *  (0, 1] for all curves, chosen on the pool to minimise the pooled median |ln(F'/final)| over all cuts. The band is
 *  shrunk about L by the same s and then recalibrated by the existing recipe (`--calibrate --pool`). Also a variant
 *  C3b where s depends only on the cut's horizon ratio H/x_last through s = (x_last/H)^β with one β fitted likewise.
 * POOL CHECK (declared with it): evaluate with LEAVE-ONE-FAMILY-OUT (s or β fitted without the family being scored),
 * on the pool (dev, LR-schedule runs, holdout … holdout11), in the same run as main:
 *  (i) pooled 30 % median |error| on LM pre-training curves below main's by at least 0.2 points;
 *  (ii) at no cut the pooled median over all pool forecasts worse than main's by > 0.3 points;
 *  (iii) band coverage after recalibration 90–99 % leave-one-family-out at every cut;
 *  (iv) at 30 % worse than main on at most a third of the splits.
 *
 * Context (from the lead's brief, before the declaration): curve hold-out 11 (13 LM pre-training curves, 5 families),
 * scored blind at 30 % cut, main's median |error| 8.60 %, errors mostly negative (the forecast continues the decline
 * too far); session 19 (bench/i12Study.ts) found main's pool errors mostly spread with little bias.
 *
 * RESULT: (not yet computed)
 */
export {};
