/**
 * Calibrated forecast bands (issue 12): split-conformal calibration of the band width of `predictCurve`.
 *
 * The model band (delta method + model average + backtest error, fitCurve.ts) is a guess at the forecast's
 * error; on real curves it was too narrow where the data are thin and the extrapolation long. Split-conformal
 * prediction (Vovk et al. 2005; Lei et al. 2018, "Distribution-free predictive inference for regression")
 * makes the coverage hold by construction on curves exchangeable with the calibration set: for each calibration
 * forecast i take the nonconformity score
 *     s_i = max(0, |ln(truth_i / value_i)| − h_i) / w_i
 * where w_i is the model band's stochastic half-width in log space (z·se: Student-t quantile times the model's
 * log SD) and h_i the half-spread of the LR-schedule scenarios (0 when one scenario is assumed). The calibrated
 * band is value·exp(±(h + q·w)), q the ⌈(N+1)·0.95⌉-th smallest of the N scores of its cell: a forecast at
 * extrapolation ratio R = x / x_last (how far beyond the data) and with nFit points (thin data: few points).
 * Failed fits count as infinite scores (they are misses). A cell with fewer than MIN_CELL scores borrows the
 * scores of its whole R row. Within the fitted range (R ≤ 1) the model band is used as is.
 *
 * The table below is generated from the DEV curves only (`node --import tsx bench/backtest.ts --calibrate`:
 * corpus dev split + shared LR-schedule runs, cut at 10/30/50 %), never from a hold-out; its leave-one-family-out
 * cross-validated coverage is checked by test/unit/fit/curve-calibration.test.ts.
 */

export interface CalibrationSample {
  family: string;
  /** extrapolation ratio x / x_last of the forecast */
  ratio: number;
  /** points of the fit (after decimation) */
  nFit: number;
  /** nonconformity score (Infinity: the fit failed) */
  score: number;
}

export interface BandCalibration {
  /** upper edges of the ratio rows (the last row is open-ended) */
  ratioEdges: number[];
  /** upper edges (exclusive) of the nFit columns (the last column is open-ended) */
  nEdges: number[];
  /** multiplier q per [ratio row][n column] */
  q: number[][];
  /** calibration forecasts per cell */
  count: number[][];
  level: number;
}

export const RATIO_EDGES = [1.5, 2.5, 5];
export const N_EDGES = [12, 40];
export const MIN_CELL = 19;

function rowOf(ratio: number, edges: number[]): number {
  let i = 0;
  while (i < edges.length && ratio > edges[i]) i++;
  return i;
}

function colOf(n: number, edges: number[]): number {
  let i = 0;
  while (i < edges.length && n >= edges[i]) i++;
  return i;
}

/** The ⌈(N+1)·level⌉-th smallest score (split-conformal quantile); Infinity when that rank exceeds N. */
export function conformalQuantile(scores: number[], level: number): number {
  const s = scores.filter((v) => !Number.isNaN(v)).sort((a, b) => a - b);
  const k = Math.ceil((s.length + 1) * level);
  return k >= 1 && k <= s.length ? s[k - 1] : Infinity;
}

/** Calibration table from samples (DEV forecasts). Cells with < MIN_CELL samples use their ratio row. */
export function buildCalibration(
  samples: CalibrationSample[],
  level = 0.95,
  ratioEdges = RATIO_EDGES,
  nEdges = N_EDGES,
): BandCalibration {
  const R = ratioEdges.length + 1,
    C = nEdges.length + 1;
  const cell: number[][][] = Array.from({ length: R }, () => Array.from({ length: C }, () => []));
  for (const s of samples) {
    // a failed fit shows no forecast, so no band width can cover it: it is a miss whatever q is (it still
    // counts against the coverage in crossValidatedCoverage), and it does not make q infinite
    if (!(s.ratio > 1) || !Number.isFinite(s.score)) continue;
    cell[rowOf(s.ratio, ratioEdges)][colOf(s.nFit, nEdges)].push(s.score);
  }
  const q: number[][] = Array.from({ length: R }, () => new Array<number>(C).fill(Infinity));
  const count = cell.map((row) => row.map((c) => c.length));
  // from the longest extrapolation inwards: a row with too little data takes the row beyond it (a longer
  // extrapolation: a wider band, conservative)
  for (let r = R - 1; r >= 0; r--) {
    const row = cell[r].flat();
    if (row.length < MIN_CELL && r < R - 1) {
      q[r] = [...q[r + 1]];
      continue;
    }
    for (let c = 0; c < C; c++) q[r][c] = conformalQuantile(cell[r][c].length >= MIN_CELL ? cell[r][c] : row, level);
    // thin data must not get a narrower band than more data at the same distance
    for (let c = C - 2; c >= 0; c--) q[r][c] = Math.max(q[r][c], q[r][c + 1]);
  }
  return { ratioEdges: [...ratioEdges], nEdges: [...nEdges], q, count, level };
}

/** Band multiplier q for a forecast at ratio x / x_last with nFit points (1 within the fitted range). */
export function bandMultiplier(cal: BandCalibration, ratio: number, nFit: number): number {
  if (!(ratio > 1)) return 1;
  const q = cal.q[rowOf(ratio, cal.ratioEdges)]?.[colOf(nFit, cal.nEdges)];
  // an infinite q (a cell whose dev forecasts missed by more than any finite width) must not silently become 1
  if (q === Infinity) return 10;
  return q !== undefined && Number.isFinite(q) && q > 0 ? q : 1;
}

/**
 * Leave-one-family-out coverage: each family's forecasts judged with the table built from the other families
 * (the honest estimate of the coverage on curves of a family the table has not seen).
 */
export function crossValidatedCoverage(
  samples: CalibrationSample[],
  level = 0.95,
): { covered: number; total: number; byRatioRow: { covered: number; total: number }[] } {
  let covered = 0,
    total = 0;
  const byRatioRow = Array.from({ length: RATIO_EDGES.length + 1 }, () => ({ covered: 0, total: 0 }));
  for (const fam of new Set(samples.map((s) => s.family))) {
    const cal = buildCalibration(
      samples.filter((s) => s.family !== fam),
      level,
    );
    for (const s of samples.filter((x) => x.family === fam)) {
      const ok = s.score <= bandMultiplier(cal, s.ratio, s.nFit);
      total++;
      if (ok) covered++;
      const r = byRatioRow[rowOf(s.ratio, RATIO_EDGES)];
      r.total++;
      if (ok) r.covered++;
    }
  }
  return { covered, total, byRatioRow };
}

/**
 * The band calibration in use: generated from the dev curves by `bench/backtest.ts --calibrate` (see the file
 * comment). Rows: R ≤ 1.5, ≤ 2.5, ≤ 5, > 5; columns: nFit < 12, < 40, ≥ 40.
 */
export const BAND_CALIBRATION: BandCalibration = {
  ratioEdges: [1.5, 2.5, 5],
  nEdges: [12, 40],
  // 2026-12-02, 218 dev forecasts (22 families, 2 failed fits); leave-one-family-out coverage 210/218 (96.3 %):
  // R ≤ 2.5 80/82, ≤ 5 78/82, > 5 52/54. Row R ≤ 1.5 has no dev forecasts: it takes the R ≤ 2.5 row.
  q: [
    [1.193, 1.193, 1.193],
    [1.193, 1.193, 1.193],
    [1.081, 1.081, 0.8479],
    [2.385, 2.385, 2.14],
  ],
  count: [
    [0, 0, 0],
    [11, 38, 33],
    [15, 41, 25],
    [19, 21, 13],
  ],
  level: 0.95,
};
