/**
 * Step Law (Li et al. 2025): the near-optimal selection of the authors' fit_tool.py and the power-law fits.
 * The authors' sweep (step-law/steplaw data/dense_lr_bs_loss.csv) carries no licence, so it is not committed:
 * the comparison with it runs when STEPLAW_DENSE_CSV points at a copy (expected values computed independently
 * with numpy, the authors' protocol: runs within 0.25 % of their (N, D) cell's best smooth loss, batch size ×
 * 2048 tokens, OLS of log lr on log N, log D and of log bs on log D).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { nearOptimalRuns, type SweepRun } from '../../../src/fit/stepLaw';
import { fitTableLaw } from '../../../src/fit/tableLaw';
import { stepLawLr } from '../../../src/fit/laws/stepLawLr';
import { stepLawBatch } from '../../../src/fit/laws/stepLawBatch';
import { parseCsv } from '../../../src/fit/csv';

test("nearOptimalRuns keeps the runs within the tolerance of their cell's best and flags optima on the sweep's edge", () => {
  const runs: SweepRun[] = [];
  for (const lr of [1e-4, 2e-4, 4e-4, 8e-4])
    runs.push({ N: 1e8, D: 1e10, lr, bs: 1e6, loss: 3 + Math.log2(lr / 4e-4) ** 2 * 0.01 });
  for (const lr of [1e-4, 2e-4, 4e-4]) runs.push({ N: 2e8, D: 1e10, lr, bs: 1e6, loss: 2.9 + (lr === 1e-4 ? 0 : 0.1) });
  runs.push({ N: 2e8, D: 1e10, lr: NaN, bs: 1e6, loss: 2 });
  const r = nearOptimalRuns(runs, 0.0025);
  assert.equal(r.cells, 2);
  assert.equal(r.dropped, 1);
  assert.deepEqual(r.rows.map((x) => x.lr).sort(), [1e-4, 4e-4]);
  assert.ok(
    r.warnings.some((w) => /1 of 2 .* smallest or largest learning rate/.test(w)),
    r.warnings.join('\n'),
  );
});

test('steplaw-lr and steplaw-batch recover exact power laws (η* = 1.79 N^−0.713 D^0.307, B* = 0.58 D^0.571)', () => {
  const N: number[] = [],
    D: number[] = [],
    lr: number[] = [],
    bs: number[] = [];
  for (const n of [1e8, 3e8, 1e9, 3e9])
    for (const d of [1e10, 4e10, 2e11]) {
      N.push(n);
      D.push(d);
      lr.push(1.79 * n ** -0.713 * d ** 0.307);
      bs.push(0.58 * d ** 0.571);
    }
  const f = fitTableLaw(stepLawLr, [N, D], lr);
  const g = fitTableLaw(stepLawBatch, [D], bs);
  assert.ok(f.ok && g.ok);
  if (!f.ok || !g.ok) return;
  assert.ok(
    Math.abs(f.params.c - 1.79) < 1e-6 &&
      Math.abs(f.params.alpha + 0.713) < 1e-8 &&
      Math.abs(f.params.beta - 0.307) < 1e-8,
    JSON.stringify(f.params),
  );
  assert.ok(Math.abs(g.params.c - 0.58) < 1e-6 && Math.abs(g.params.gamma - 0.571) < 1e-8, JSON.stringify(g.params));
});

const DENSE = process.env.STEPLAW_DENSE_CSV;
test(
  "the authors' dense sweep gives the fit their protocol gives (opt-in: STEPLAW_DENSE_CSV)",
  { skip: !DENSE || !fs.existsSync(DENSE) ? 'STEPLAW_DENSE_CSV not set (unlicensed data, not committed)' : false },
  () => {
    const { header, rows } = parseCsv(fs.readFileSync(DENSE!, 'utf8'));
    const at = (r: string[], k: string) => +r[header.indexOf(k)];
    const runs = rows.map((r) => ({
      N: at(r, 'N'),
      D: at(r, 'D'),
      lr: at(r, 'lr'),
      bs: at(r, 'bs') * 2048,
      loss: at(r, 'smooth loss'),
    }));
    const sel = nearOptimalRuns(runs, 0.0025);
    assert.equal(sel.cells, 17);
    assert.equal(sel.rows.length, 129);
    const f = fitTableLaw(
      stepLawLr,
      [sel.rows.map((x) => x.N), sel.rows.map((x) => x.D)],
      sel.rows.map((x) => x.lr),
    );
    const g = fitTableLaw(
      stepLawBatch,
      [sel.rows.map((x) => x.D)],
      sel.rows.map((x) => x.bs),
    );
    assert.ok(f.ok && g.ok);
    if (!f.ok || !g.ok) return;
    // numpy lstsq on the same rows: lr = 77.6866 · N^−0.766228 · D^0.197006; bs = 0.208522 · D^0.612529
    assert.ok(
      Math.abs(f.params.alpha + 0.766228) < 1e-5 &&
        Math.abs(f.params.beta - 0.197006) < 1e-5 &&
        Math.abs(f.params.c / 77.6866 - 1) < 1e-4,
      JSON.stringify(f.params),
    );
    assert.ok(
      Math.abs(g.params.gamma - 0.612529) < 1e-5 && Math.abs(g.params.c / 0.208522 - 1) < 1e-4,
      JSON.stringify(g.params),
    );
  },
);
