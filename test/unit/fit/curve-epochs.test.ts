import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fitCurve, predictCurve } from '../../../src/fit/curve/fitCurve';
import { boundariesAhead, boundariesBefore, epochNote, stepsPerEpochOf } from '../../../src/fit/curve/epochs';
import { boundaryDrops, epochForecast, epochPlan } from '../../../bench/epochRule';
import { conformalFactor, quantile, widened, type BandRec } from '../../../bench/epochBandStudy';

// Multi-epoch runs (src/fit/curve/epochs.ts, and the rule not adopted in bench/epochRule.ts), checked on made-up curves whose epoch drop is known: a within-epoch
// power law times e^{−δ·k(x)}, k(x) = ⌈x / L⌉ − 1 the epoch boundaries strictly before x (a point logged at a
// boundary closes its epoch), with seeded noise.

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}
function gauss(r: () => number): number {
  return Math.sqrt(-2 * Math.log(r() + 1e-12)) * Math.cos(2 * Math.PI * r());
}

/** A run of `epochs` epochs of L steps, logged every `every` steps; noise SD `sd` in log space. */
function run(opts: { L: number; epochs: number; every: number; drop: number; sd: number; seed: number }) {
  const r = rng(opts.seed);
  const truthAt = (x: number) =>
    (0.6 + 1.8 * x ** -0.35) * Math.exp(-opts.drop * Math.max(0, Math.ceil(x / opts.L) - 1));
  const x: number[] = [];
  for (let s = opts.every; s <= opts.L * opts.epochs; s += opts.every) x.push(s);
  const y = x.map((s) => truthAt(s) * Math.exp(opts.sd * gauss(r)));
  return { x, y, truthAt, end: opts.L * opts.epochs };
}

const prefix = (a: { x: number[]; y: number[] }, upTo: number) => {
  const k = a.x.filter((v) => v <= upTo).length;
  return { x: a.x.slice(0, k), y: a.y.slice(0, k) };
};

test('steps per epoch from a fractional epoch series (HF Trainer, 2 decimals) and from an integer counter', () => {
  const step = Array.from({ length: 60 }, (_, i) => 10 * (i + 1));
  const frac = step.map((s) => Math.round((s / 137) * 100) / 100);
  const L = stepsPerEpochOf(step, frac) as number;
  assert.ok(Math.abs(L - 137) < 2, `fractional: ${L}`);
  // `Epoch k/E` counter, 1-based, 50 steps per epoch
  const ctr = step.map((s) => 1 + Math.floor((s - 1) / 50));
  assert.equal(stepsPerEpochOf(step, ctr), 50);
  // one change only: the length is not known
  assert.equal(stepsPerEpochOf([10, 20, 30, 40], [1, 1, 2, 2]), undefined);
  assert.equal(stepsPerEpochOf([], []), undefined);
});

test('boundaries ahead of the last logged step: none without an epoch length or a horizon beyond the last step', () => {
  // epoch of 200 steps: last step 350 (epoch 2), horizon 1000 (the end of epoch 5) -> boundaries 400, 600, 800 ahead
  assert.equal(boundariesAhead(350, 1000, 200), 3);
  // a point logged at a boundary closes its epoch: from 400 the boundary at 400 is behind
  assert.equal(boundariesAhead(400, 1000, 200), 3);
  assert.equal(boundariesAhead(401, 1000, 200), 2);
  // the planned end is no step
  assert.equal(boundariesAhead(801, 1000, 200), 0);
  assert.equal(boundariesAhead(350, 1000, undefined), 0);
  assert.equal(boundariesAhead(350, 300, 200), 0);
});

test('the epoch note: said when a boundary lies ahead, silent otherwise and for runs logged a few times an epoch', () => {
  const n = epochNote({ lastStep: 350, horizon: 3600, stepsPerEpoch: 1200, spacing: 10 });
  assert.equal(
    n,
    '2 epoch boundaries ahead (epoch of 1,200 steps): the loss may step down at each (repeated data); neither the forecast nor its band allows for that step',
  );
  assert.match(
    epochNote({ lastStep: 1300, horizon: 3600, stepsPerEpoch: 1200 }) ?? '',
    /^1 epoch boundary ahead .* at it /,
  );
  assert.equal(epochNote({ lastStep: 2500, horizon: 3600, stepsPerEpoch: 1200, spacing: 10 }), undefined);
  assert.equal(epochNote({ lastStep: 350, horizon: 3600, spacing: 10 }), undefined);
  // 1,200-step epochs logged every 400 steps: 3 points an epoch, below MIN_POINTS_PER_EPOCH
  assert.equal(epochNote({ lastStep: 400, horizon: 3600, stepsPerEpoch: 1200, spacing: 400 }), undefined);
});

test('boundaries strictly before a step: a point at a boundary closes its epoch, the planned end is no step', () => {
  assert.deepEqual(
    [1, 199, 200, 201, 400, 401, 600].map((x) => boundariesBefore(x, 200)),
    [0, 0, 0, 1, 1, 2, 2],
  );
  assert.equal(boundariesBefore(70, 70 / 1.56), 1);
  assert.equal(boundariesBefore(100, 0), 0);
});

test('the drop measured at each boundary is the known step (within the noise and the within-epoch decline)', () => {
  for (const drop of [0.05, 0.15, 0.3]) {
    const a = run({ L: 200, epochs: 3, every: 5, drop, sd: 0.01, seed: 7 });
    const d = boundaryDrops(a.x, a.y, 200);
    assert.deepEqual(
      d.map((q) => q.at),
      [200, 400],
    );
    // independent: the ln-drop of the generating curve across a boundary is δ plus the within-epoch decline between
    // the two window medians (an eighth of an epoch either side), small next to δ here
    for (const q of d) assert.ok(Math.abs(q.drop - drop) < 0.02, `δ ${drop}: measured ${q.drop} at ${q.at}`);
  }
  // no step: ~0, and the rule does not act on it
  const flat = run({ L: 200, epochs: 3, every: 5, drop: 0, sd: 0.01, seed: 9 });
  const p0 = epochPlan(prefix(flat, 300).x, prefix(flat, 300).y, 200, 600);
  assert.ok(p0.drop < 0.02, `drop ${p0.drop}`);
});

test('a forecast made after a boundary takes the step at each boundary ahead: near the truth, the plain fit far above', () => {
  const a = run({ L: 200, epochs: 3, every: 5, drop: 0.2, sd: 0.01, seed: 3 });
  const p = prefix(a, 300); // half-way through epoch 2 (one boundary seen), forecast at the end of epoch 3
  const H = a.end;
  const truth = a.truthAt(H);
  const ef = epochForecast(p.x, p.y, 200, H);
  assert.ok(ef.plan.applies && ef.plan.measured === 1, ef.plan.note);
  const [q] = ef.predict([H], { scenario: 'as-logged' });
  const plain = fitCurve(p.x, p.y);
  assert.ok(plain.ok);
  const [o] = predictCurve(plain, [H], { scenario: 'as-logged' });
  const err = Math.abs(Math.log(q.value / truth)),
    errPlain = Math.abs(Math.log(o.value / truth));
  assert.ok(err < 0.05, `epoch forecast ${q.value} vs truth ${truth}`);
  assert.ok(errPlain > 2 * err, `plain ${o.value} should err more than the epoch forecast ${q.value} (truth ${truth})`);
  assert.ok(q.lower <= truth && truth <= q.upper, `band [${q.lower}, ${q.upper}] misses ${truth}`);
  // the band spans no further step (upper) to twice the measured step (lower) for the one boundary ahead
  assert.ok(q.lower < q.value * Math.exp(-0.15) && q.upper > q.value * Math.exp(0.15));
  // inside the prefix the forecast follows the data with its steps (the fitted curve, not a smooth one)
  const [inside] = ef.predict([290], { scenario: 'as-logged' });
  assert.ok(Math.abs(Math.log(inside.value / a.truthAt(290))) < 0.03, `${inside.value} vs ${a.truthAt(290)}`);
});

test('no change where the rule must not act: first epoch, no epoch length, too few points per epoch', () => {
  const a = run({ L: 200, epochs: 3, every: 5, drop: 0.2, sd: 0.01, seed: 5 });
  const same = (px: number[], py: number[], L: number | undefined, H: number) => {
    const ef = epochForecast(px, py, L, H);
    const f = fitCurve(px, py);
    assert.ok(f.ok);
    const [q] = ef.predict([H], { scenario: 'unknown' });
    const [o] = predictCurve(f, [H], { scenario: 'unknown' });
    assert.ok(!ef.plan.applies);
    assert.equal(q.value, o.value);
    assert.equal(q.lower, o.lower);
    assert.equal(q.upper, o.upper);
    return ef.plan;
  };
  const first = prefix(a, 180);
  assert.match(same(first.x, first.y, 200, a.end).note, /no boundary measured yet/);
  const half = prefix(a, 300);
  assert.equal(same(half.x, half.y, undefined, a.end).note, '');
  // logged every 100 steps: 2 points per epoch
  const sparse = run({ L: 200, epochs: 6, every: 100, drop: 0.2, sd: 0.01, seed: 6 });
  const sp = prefix(sparse, 600);
  assert.match(same(sp.x, sp.y, 200, sparse.end).note, /fewer than 4 logged points/);
});

test('the lower-band study: the lower end widened by e^(-c k) only where eligible, and its conformal factor', () => {
  const rec = (o: Partial<BandRec>): BandRec => ({
    id: 'x',
    family: 'f',
    cut: 0.1,
    truth: 1,
    value: 1.1,
    lower: 1,
    upper: 1.3,
    ahead: 2,
    eligible: true,
    measured: NaN,
    ...o,
  });
  assert.ok(Math.abs(widened(rec({ lower: 0.9 }), 0.1) - 0.9 * Math.exp(-0.2)) < 1e-12);
  assert.equal(widened(rec({ lower: 0.9, eligible: false }), 0.1), 0.9);
  assert.equal(widened(rec({ lower: 0.9 }), 0), 0.9);
  // linear interpolation between order statistics, as numpy's default
  assert.equal(quantile([4, 1, 3, 2], 0.5), 2.5);
  assert.ok(Math.abs(quantile([0, 10], 0.975) - 9.75) < 1e-12);
  // shortfalls per boundary: ln(1.2 / 1) / 2 and ln(1.1 / 1) / 1; covered forecasts count 0; ineligible ones are left out
  const rs = [
    rec({ lower: 1.2, ahead: 2 }),
    rec({ lower: 1.1, ahead: 1 }),
    rec({ lower: 0.8 }),
    rec({ lower: 0.7 }),
    rec({ lower: 5, eligible: false }),
  ];
  const s = [0, 0, Math.log(1.2) / 2, Math.log(1.1)].sort((a, b) => a - b);
  const want = s[2] + (0.975 * 3 - 2) * (s[3] - s[2]);
  assert.ok(Math.abs(conformalFactor(rs) - want) < 1e-12, `${conformalFactor(rs)} vs ${want}`);
  assert.equal(conformalFactor([rec({ lower: 0.5 })]), 0);
});
