import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { computeOptimal, chinchillaLoss, sweepJob, dedupePoints } from '../../../src/model/sweepViews';
import { shared } from '../helpers/paths';
import type { SweepPoint } from '../../../src/protocol';

const HOFFMANN = { A: 406.4, B: 410.7, E: 1.69, alpha: 0.34, beta: 0.28 };

test('closed-form compute-optimal allocation = brute-force minimum of L(N, C/6N)', () => {
  for (const C of [1e19, 1e21, 5.76e23]) {
    const o = computeOptimal(HOFFMANN, C);
    // independent: scan log N finely
    let best = { N: 0, L: Infinity };
    for (let lg = 6; lg <= 13; lg += 1e-4) {
      const N = 10 ** lg;
      const L = chinchillaLoss(HOFFMANN, N, C / (6 * N));
      if (L < best.L) best = { N, L };
    }
    assert.ok(
      Math.abs(Math.log(o.N / best.N)) < 1e-3,
      `C=${C}: N_opt ${o.N.toExponential(4)} vs ${best.N.toExponential(4)}`,
    );
    assert.ok(Math.abs(o.loss - best.L) < 1e-9);
    assert.ok(Math.abs(6 * o.N * o.D - C) / C < 1e-12);
  }
  // exponents a = β/(α+β) (Hoffmann et al. report a ≈ 0.46 for their approach-3 fit)
  assert.ok(Math.abs(computeOptimal(HOFFMANN, 1e20).a - 0.28 / 0.62) < 1e-12);
});

function chinchillaPoints(): SweepPoint[] {
  const lines = fs.readFileSync(shared('chinchilla', 'svg_extracted_data.csv'), 'utf8').trim().split('\n');
  const head = lines[0].split(',');
  const iN = head.indexOf('Model Size'),
    iC = head.indexOf('Training FLOP'),
    iL = head.indexOf('loss');
  const pts = lines
    .slice(1)
    .map((l) => l.split(','))
    .map((c) => ({ N: +c[iN], C: +c[iC], D: +c[iC] / (6 * +c[iN]), loss: +c[iL] }));
  // Besiroglu et al.: drop the 5 highest-loss points
  pts.sort((a, b) => b.loss - a.loss);
  return pts.slice(5).map((p, i) => ({ ...p, runId: `p${i}` }));
}

test('sweep view reproduces the Chinchilla replication (Besiroglu et al. 2024) with intervals and a ≈ 0.51', () => {
  const v = sweepJob({
    kind: 'sweep',
    points: chinchillaPoints(),
    law: 'chinchilla',
    confidence: 0.95,
    bootstrap: 200,
  });
  assert.ok(v.ok, v.reason);
  const get = (k: string) => v.params!.find((p) => p.name === k)!;
  assert.ok(Math.abs(get('E').value - 1.817) <= 0.003, `E ${get('E').value}`);
  assert.ok(Math.abs(get('alpha').value - 0.347) <= 0.003, `alpha ${get('alpha').value}`);
  assert.ok(Math.abs(get('beta').value - 0.367) <= 0.003, `beta ${get('beta').value}`);
  assert.ok(Math.abs(v.objective! - 1.0183e-3) / 1.0183e-3 <= 0.005, `objective ${v.objective}`);
  const a = get('alpha');
  assert.ok(a.lower! < 0.373 && a.upper! > 0.317, `α interval ${a.lower}–${a.upper} overlaps 0.317–0.373`);
  assert.ok(Math.abs(v.exponents!.a - 0.513) < 0.01, `a = ${v.exponents!.a}`);
  assert.equal(v.n, 240);
});

test('predictions at C include the allocation and an interval; unknown laws and too few points are statuses', () => {
  const v = sweepJob({
    kind: 'sweep',
    points: chinchillaPoints(),
    law: 'chinchilla',
    confidence: 0.9,
    bootstrap: 60,
    predict: { axis: 'C', value: 5.76e23 },
  });
  const pr = v.prediction!;
  assert.ok(pr.lower <= pr.value && pr.value <= pr.upper && pr.upper - pr.lower > 0);
  assert.ok(Math.abs(6 * pr.N! * pr.D! - 5.76e23) / 5.76e23 < 1e-9);
  assert.equal(
    sweepJob({ kind: 'sweep', points: chinchillaPoints(), law: 'nope', confidence: 0.95, bootstrap: 0 }).ok,
    false,
  );
  const few = sweepJob({
    kind: 'sweep',
    points: chinchillaPoints().slice(0, 3),
    law: 'chinchilla',
    confidence: 0.95,
    bootstrap: 0,
  });
  assert.equal(few.ok, false);
  assert.match(few.reason!, /not enough points: 3 < 5/);
});

test('points-table rows that repeat a run are counted once', () => {
  const pts: SweepPoint[] = [
    { runId: '/a.log', N: 1e8, D: 2e9, C: 1.2e18, loss: 3 },
    { runId: '/p.csv#1', N: 1.004e8, D: 2e9, C: 1.2e18, loss: 3 },
    { runId: '/p.csv#2', N: 4e8, D: 8e9, C: 1.9e19, loss: 2.7 },
  ];
  assert.deepEqual(
    dedupePoints(pts).map((p) => p.runId),
    ['/a.log', '/p.csv#2'],
  );
});
