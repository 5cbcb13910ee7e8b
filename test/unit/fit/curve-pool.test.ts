import { test } from 'node:test';
import assert from 'node:assert/strict';
import { combine, equalRule, objective, type StackRecord } from '../../../bench/stackLearn';
import {
  LEARNERS,
  bootstrapSd,
  bucketOf,
  lofo,
  objectiveOf,
  pow3MemberForecast,
  shrinkForecast,
} from '../../../bench/stackPool';

// The pool experiment of issue 12 (bench/stackPool.ts, README "Backtest of the curve forecasts") judges simple
// averaging rules leave-one-family-out over dev + the studied hold-outs 4–6. These tests hold its rules and its
// LOFO split and bootstrap to what they promise, on planted records.

const rec = (
  id: string,
  family: string,
  ratio: number,
  truth: number,
  members: [string, number, number][],
): StackRecord => ({
  id,
  family,
  cut: ratio > 5 ? 0.1 : ratio > 2.5 ? 0.3 : 0.5,
  truth,
  ratio,
  fixed: null,
  members: members.map(([law, score, off]) => ({ law, score, ln: Math.log(truth) + off })),
});

test('the rules reduce to the equal-weight average where they should', () => {
  const r = rec('t', 'f', 3.3, 2, [
    ['logpower', 1, -0.2],
    ['mmf', 1.5, -0.1],
    ['pow3', 2.5, 0.05],
  ]);
  const base = equalRule(['logpower', 'mmf', 'pow3']);
  const eq = combine(r, base) as number;
  assert.ok(Math.abs(eq - Math.log(2) + 0.15) < 1e-12, 'pow3 is outside the window: mean of -0.2 and -0.1');
  assert.equal(shrinkForecast(r, [0, 0, 0], base), eq);
  // s = 1 in the record's bucket: the pow3 member's forecast; other buckets' s do not matter
  assert.ok(Math.abs((shrinkForecast(r, [0, 1, 0], base) as number) - Math.log(2) - 0.05) < 1e-12);
  assert.equal(shrinkForecast(r, [1, 0, 1], base), eq);
  // pow3 forced into the average: mean of -0.2, -0.1, 0.05
  assert.ok(Math.abs((pow3MemberForecast(r, base) as number) - Math.log(2) + 0.25 / 3) < 1e-12);
  assert.deepEqual([bucketOf(1.9), bucketOf(2.5), bucketOf(3.3), bucketOf(5), bucketOf(9)], [0, 0, 1, 1, 2]);
  // the pool objective is stackLearn's objective for the equal rule
  const recs = [r, rec('u', 'g', 9, 3, [['pow3', 1, 0.3]])];
  assert.ok(Math.abs(objectiveOf(recs, (q) => combine(q, base)) - objective(recs, base)) < 1e-12);
});

function planted(): StackRecord[] {
  // five families where the flexible members over-extrapolate and pow3 is right, one where the average is right
  const recs: StackRecord[] = [];
  for (let f = 0; f < 5; f++)
    for (let i = 0; i < 6; i++)
      recs.push(
        rec(`f${f}-${i}`, `fam${f}`, [2, 3.3, 9][i % 3], 2 + i / 10, [
          ['logpower', 1, -0.12],
          ['mmf', 1.2, -0.1],
          ['pow3', 1.4, 0.005 * ((i % 3) - 1)],
        ]),
      );
  for (let i = 0; i < 6; i++)
    recs.push(
      rec(`odd-${i}`, 'odd', [2, 3.3, 9][i % 3], 2, [
        ['logpower', 1, 0.02],
        ['mmf', 1.2, 0.0],
        ['pow3', 1.4, 0.6],
      ]),
    );
  return recs;
}

test('the shrink learner finds pow3 where it is right; LOFO never learns from the family it forecasts', () => {
  const recs = planted();
  const laws = ['logpower', 'mmf', 'pow3'];
  const m = lofo(recs, laws, LEARNERS.shrink);
  const others = LEARNERS.shrink(
    recs.filter((r) => r.family !== 'odd'),
    laws,
  );
  assert.ok(
    (others.params as number[]).every((s) => s >= 0.7),
    `learned s ${JSON.stringify(others.params)}`,
  );
  // with the odd family in, the equal average wins (so a LOFO that leaked it would forecast the odd family well)
  assert.ok((LEARNERS.shrink(recs, laws).params as number[]).every((s) => s < 0.7));
  for (const r of recs.filter((q) => q.family === 'odd')) {
    assert.equal(m.get(r.id), others.forecast(r));
    assert.ok(Math.abs((m.get(r.id) as number) - Math.log(2)) > 0.1, 'odd family judged by its own records');
  }
  const own = LEARNERS.shrink(
    recs.filter((r) => r.family === 'odd'),
    laws,
  );
  assert.ok(
    (own.params as number[]).every((s) => s === 0),
    'the odd family alone keeps the equal average',
  );
});

test('the family bootstrap: no difference, no noise; a rule better in every family is better beyond its SD', () => {
  const recs = planted();
  const base = equalRule(['logpower', 'mmf', 'pow3']);
  const A = (r: StackRecord) => combine(r, base);
  const same = bootstrapSd(recs, A, A, 50);
  assert.equal(same.diff, 0);
  assert.equal(same.sd, 0);
  const B = (r: StackRecord) => (A(r) as number) + 0.5 * (Math.log(r.truth) - (A(r) as number));
  const b = bootstrapSd(recs, A, B, 50);
  assert.ok(b.diff < 0 && b.diff < -2 * b.sd, `diff ${b.diff} sd ${b.sd}`);
});
