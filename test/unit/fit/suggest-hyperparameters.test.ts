/**
 * Suggest Hyperparameters… (issue 15): the published Step Law and our fit on a workspace sweep at a target (N, D).
 * Checks against an independent computation (closed-form least squares written here) and against sweeps made from
 * a known law.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { REPO } from '../helpers/paths';
import {
  nearOptimalRuns,
  suggestHyperparameters,
  suggestHyperparametersAsync,
  stepLawPublished,
  type SweepRun,
} from '../../../src/fit/stepLaw';
import { parseCsv } from '../../../src/fit/csv';

/** Least squares of y on [1, x1, …] by the normal equations (Gauss–Jordan): independent of the fit engine. */
function ols(X: number[][], y: number[]): number[] {
  const k = X[0].length + 1;
  const A = Array.from({ length: k }, () => new Array(k + 1).fill(0));
  for (let i = 0; i < y.length; i++) {
    const row = [1, ...X[i]];
    for (let a = 0; a < k; a++) {
      for (let b = 0; b < k; b++) A[a][b] += row[a] * row[b];
      A[a][k] += row[a] * y[i];
    }
  }
  for (let c = 0; c < k; c++) {
    const p = A[c][c];
    for (let j = c; j <= k; j++) A[c][j] /= p;
    for (let r = 0; r < k; r++)
      if (r !== c) {
        const f = A[r][c];
        for (let j = c; j <= k; j++) A[r][j] -= f * A[c][j];
      }
  }
  return A.map((r) => r[k]);
}

function sampleSweep(): SweepRun[] {
  const { header, rows } = parseCsv(
    fs.readFileSync(path.join(REPO, 'sample-workspace/laws/hyperparameter-sweep.csv'), 'utf8'),
  );
  const at = (r: string[], k: string) => +r[header.indexOf(k)];
  return rows.map((r) => ({
    N: at(r, 'N'),
    D: at(r, 'D'),
    lr: at(r, 'lr'),
    bs: at(r, 'batch_size'),
    loss: at(r, 'loss'),
  }));
}

test('without a sweep: the published Step Law only', () => {
  const s = suggestHyperparameters(1e9, 1e11);
  assert.equal(s.fitted, null);
  // Li et al. 2025: η* = 1.79 N^−0.713 D^0.307, B* = 0.58 D^0.571 — evaluated in logs here.
  assert.ok(
    Math.abs(Math.log(s.published.lr) - (Math.log(1.79) - 0.713 * Math.log(1e9) + 0.307 * Math.log(1e11))) < 1e-12,
  );
  assert.ok(Math.abs(Math.log(s.published.batchTokens) - (Math.log(0.58) + 0.571 * Math.log(1e11))) < 1e-12);
  assert.match(s.published.lrFormula, /1\.79/);
  assert.ok(suggestHyperparameters(-1, 1e11).warnings.some((w) => /positive/.test(w)));
});

test('the fitted η* and B* are the least-squares power laws of the near-optimal runs (independent normal equations)', () => {
  const sweep = sampleSweep();
  const s = suggestHyperparameters(5e8, 5e10, sweep, { bootstrap: 100 });
  assert.ok(s.fitted, s.warnings.join('\n'));
  const rows = nearOptimalRuns(sweep).rows;
  const [c0, a, b] = ols(
    rows.map((r) => [Math.log(r.N), Math.log(r.D)]),
    rows.map((r) => Math.log(r.lr)),
  );
  const [g0, g] = ols(
    rows.map((r) => [Math.log(r.D)]),
    rows.map((r) => Math.log(r.bs)),
  );
  assert.ok(Math.abs(Math.log(s.fitted!.lr) - (c0 + a * Math.log(5e8) + b * Math.log(5e10))) < 1e-6);
  assert.ok(Math.abs(Math.log(s.fitted!.batchTokens) - (g0 + g * Math.log(5e10))) < 1e-6);
  const [lo, hi] = s.fitted!.lrInterval!;
  assert.ok(lo < s.fitted!.lr && s.fitted!.lr < hi);
  assert.equal(s.fitted!.cells, 9);
  // Inside the sweep: no extrapolation warning; far outside: one.
  assert.ok(!s.warnings.some((w) => /extrapolation/.test(w)), s.warnings.join('\n'));
  assert.ok(
    suggestHyperparameters(7e10, 1.4e13, sweep, { bootstrap: 0 }).warnings.some((w) => /extrapolation/.test(w)),
  );
});

test('a sweep drawn from a known law (not the published one) is recovered at a new target, inside its interval', () => {
  const lrStar = (N: number, D: number) => 0.5 * N ** -0.6 * D ** 0.25;
  const bsStar = (D: number) => 2 * D ** 0.5;
  const sweep: SweepRun[] = [];
  for (const N of [1e8, 2e8, 4e8, 8e8])
    for (const D of [1e10, 3e10, 9e10]) {
      const l0 = lrStar(N, D),
        b0 = bsStar(D);
      for (let i = -4; i <= 4; i++)
        for (let j = -2; j <= 2; j++) {
          const lr = l0 * 2 ** (i / 2),
            bs = b0 * 2 ** (j / 2);
          sweep.push({ N, D, lr, bs, loss: 3 + 0.02 * Math.log(lr / l0) ** 2 + 0.01 * Math.log(bs / b0) ** 2 });
        }
    }
  const s = suggestHyperparameters(6e8, 5e10, sweep, { bootstrap: 100 });
  assert.ok(s.fitted);
  assert.ok(Math.abs(s.fitted!.lr / lrStar(6e8, 5e10) - 1) < 0.05, `${s.fitted!.lr} vs ${lrStar(6e8, 5e10)}`);
  assert.ok(Math.abs(s.fitted!.batchTokens / bsStar(5e10) - 1) < 0.1, `${s.fitted!.batchTokens} vs ${bsStar(5e10)}`);
  // The published law is a different law: the two must differ here (the view shows both).
  assert.ok(Math.abs(stepLawPublished(6e8, 5e10).lr / s.fitted!.lr - 1) > 0.2);
});

test('the async variant (extension host) pauses between chunks and gives the sync answer', async () => {
  const sweep = sampleSweep();
  let pauses = 0;
  const a = await suggestHyperparametersAsync(5e8, 5e10, sweep, {
    bootstrap: 60,
    pause: async () => {
      pauses++;
    },
  });
  const b = suggestHyperparameters(5e8, 5e10, sweep, { bootstrap: 60 });
  assert.deepEqual(a, b);
  assert.ok(pauses >= 12, String(pauses));
});
