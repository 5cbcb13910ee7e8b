import { test } from 'node:test';
import assert from 'node:assert/strict';
import { corpusCurves } from './corpus';
import { tasksOf, type Task } from './curve-tasks';
import { fitCurve, predictCurve } from '../../../src/fit/curve/fitCurve';
import {
  combine,
  equalRule,
  learnWeights,
  lofoForecasts,
  objective,
  recordOf,
  unknownLn,
  type StackRecord,
} from '../../../bench/stackLearn';

// The stacking experiment of issue 12 (bench/stackWeights.ts, README "Backtest of the curve forecasts") judges
// combination rules on records of every law's forecast instead of refitting per rule. These tests hold the
// simulation to fitCurve's own average (so a change of the averaging that the simulation misses fails here),
// and the learner and its leave-one-family-out split to what they promise, on planted records.

function synthTask(id: string, f: (x: number) => number, n: number, cut: number, noise = 0): Task {
  let s = 7;
  const rnd = () => {
    s = (s * 1103515245 + 12345) & 0x7fffffff;
    return s / 0x7fffffff - 0.5;
  };
  const X = Array.from({ length: n }, (_, i) => (i + 1) * 10);
  const Y = X.map((x) => f(x) * (1 + noise * rnd()));
  const k = X.filter((x) => x <= cut * X[n - 1]).length;
  return { id, curve: id, family: id, cut, x: X.slice(0, k), y: Y.slice(0, k), at: X[n - 1], truth: Y[n - 1] };
}

test('equal weights over the window reproduce fitCurve/predictCurve forecasts (both scenarios)', () => {
  const synth = [
    synthTask('pow', (x) => 2 + 5 * x ** -0.4, 300, 0.3, 0.01),
    synthTask('exp', (x) => 1.5 + 2 * Math.exp(-x / 400), 200, 0.5, 0.005),
    synthTask('short', (x) => 3 + 4 * x ** -0.6, 40, 0.3, 0.02),
  ];
  const dev = tasksOf(corpusCurves('dev').slice(0, 4)).tasks;
  const tasks = [...synth, ...dev];
  assert.ok(tasks.length >= 8, `only ${tasks.length} tasks`);
  let stacked = 0;
  for (const t of tasks) {
    const rec = recordOf(t);
    // the learner combines the members' own forecasts: the average without the decline cap (its own test)
    const f = fitCurve(t.x, t.y, { declineCap: null });
    if (!f.ok) {
      assert.equal(combine(rec, equalRule(['pow3'])), null, `${t.id}: a failed fit must be a failed forecast`);
      continue;
    }
    const laws = [...new Set(rec.members.map((m) => m.law))];
    const ln = combine(rec, equalRule(laws));
    const [a] = predictCurve(f, [t.at], { scenario: 'as-logged' });
    const [u] = predictCurve(f, [t.at], { scenario: 'unknown' });
    assert.ok(ln !== null, `${t.id}: simulated forecast failed where fitCurve's did not`);
    assert.ok(Math.abs(ln - Math.log(a.value)) < 1e-9, `${t.id}: ${Math.exp(ln)} vs ${a.value}`);
    const lu = unknownLn(ln, rec.ratio) as number;
    assert.ok(Math.abs(lu - Math.log(u.value)) < 1e-9, `${t.id}: unknown ${Math.exp(lu)} vs ${u.value}`);
    if (rec.members.length) stacked++;
  }
  assert.ok(stacked >= 6, `only ${stacked} tasks went through the backtest path`);
});

const rec = (id: string, family: string, truth: number, members: [string, number, number][]): StackRecord => ({
  id,
  family,
  cut: 0.3,
  truth,
  ratio: 3,
  fixed: null,
  members: members.map(([law, score, off]) => ({ law, score, ln: Math.log(truth) + off })),
});

test('the window, the cap on members and zero weights select as fitCurve does', () => {
  const r = rec('t', 'f', 2, [
    ['a', 1, 0],
    ['b', 1.5, 0.3],
    ['c', 1.9, 0.6],
    ['d', 2.5, 0.9],
  ]);
  const ln2 = Math.log(2);
  const eq = { weights: { a: 1, b: 1, c: 1, d: 1 }, window: 2, k: 5 };
  assert.ok(Math.abs((combine(r, eq) as number) - ln2 - 0.3) < 1e-12, 'd is outside 2× the best score');
  assert.ok(Math.abs((combine(r, { ...eq, k: 2 }) as number) - ln2 - 0.15) < 1e-12, 'at most 2 members');
  // b with weight 0 takes no slot: with k = 2 the members are a and c
  const w0 = { ...eq, k: 2, weights: { a: 1, b: 0, c: 1, d: 1 } };
  assert.ok(Math.abs((combine(r, w0) as number) - ln2 - 0.3) < 1e-12);
  // weights are relative
  const w3 = { ...eq, weights: { a: 3, b: 1, c: 0, d: 1 } };
  assert.ok(Math.abs((combine(r, w3) as number) - ln2 - 0.075) < 1e-12);
});

test('the learner finds the law that forecasts well and drops the biased ones', () => {
  const recs: StackRecord[] = [];
  for (let f = 0; f < 6; f++)
    for (let i = 0; i < 8; i++)
      recs.push(
        rec(`f${f}-${i}`, `fam${f}`, 2 + i / 10, [
          ['good', 1, 0.01 * ((i % 3) - 1)],
          ['high', 1.2, 0.3],
          ['low', 1.4, 0.2],
        ]),
      );
  const laws = ['good', 'high', 'low'];
  const before = objective(recs, equalRule(laws));
  const rule = learnWeights(recs, laws);
  const after = objective(recs, rule);
  assert.ok(before > 0.15, `planted equal-weight error ${before}`);
  assert.ok(after < 0.02, `learned error ${after} (weights ${JSON.stringify(rule.weights)})`);
  assert.ok(rule.weights.good > rule.weights.high && rule.weights.good > rule.weights.low);
});

test('leave-one-family-out never learns from the family it forecasts', () => {
  const recs: StackRecord[] = [];
  for (let f = 0; f < 4; f++)
    for (let i = 0; i < 6; i++)
      recs.push(
        rec(`f${f}-${i}`, `fam${f}`, 2, [
          ['a', 1, 0],
          ['b', 1.1, 0.4],
        ]),
      );
  // a family where the other law is the right one: in-sample it would learn b, out of family it cannot
  for (let i = 0; i < 6; i++)
    recs.push(
      rec(`odd-${i}`, 'odd', 2, [
        ['a', 1, -0.4],
        ['b', 1.1, 0],
      ]),
    );
  const laws = ['a', 'b'];
  const lofo = lofoForecasts(recs, laws);
  const others = learnWeights(
    recs.filter((r) => r.family !== 'odd'),
    laws,
  );
  for (const r of recs.filter((q) => q.family === 'odd')) {
    assert.equal(lofo.get(r.id), combine(r, others));
    assert.ok(Math.abs((lofo.get(r.id) as number) - Math.log(2)) > 0.2, 'odd family judged by its own records');
  }
  const ownOnly = learnWeights(
    recs.filter((r) => r.family === 'odd'),
    laws,
  );
  assert.ok(ownOnly.weights.b > ownOnly.weights.a, 'the odd family alone would have learned b');
});
