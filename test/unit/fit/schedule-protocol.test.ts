import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { shared } from '../helpers/paths';
import { readSchedule } from './curve-data';
import { fitScheduleLaw, predictSchedule, type ScheduleCurve } from '../../../src/fit/schedule/fitSchedule';

// Luo et al. 2025 protocol: fit on cosine_24000, constant_24000, wsdcon_9 jointly (shared parameters), predict
// the six other schedules from their LR columns alone. MPL (default 'level' procedure: the anneal term scaled by
// P^(−ξ)) must reach the issue's 0.17 % mean relative error on each predicted curve of the 25M dev runs and
// ≤ 0.3 % on the 100M hold-out; the previous default ('staged'), the converged seven-parameter joint optimum
// ('lm') and the Tissue et al. 2024 law are reported next to it.
const FIT = ['cosine_24000', 'constant_24000', 'wsdcon_9'];
const PREDICT = ['cosine_72000', 'constant_72000', 'wsd_20000_24000', 'wsdld_20000_24000', 'wsdcon_3', 'wsdcon_18'];
// Published multi-power-law parameters [L0, A, α, B, C, β, γ] (data README; Luo et al. 2025).
const PUBLISHED: Record<string, number[]> = {
  '25M': [3.0405, 0.5247, 0.5079, 363.79, 2.0656, 0.5828, 0.6414],
  '100M': [2.6514, 0.6012, 0.453, 437.95, 2.1325, 0.5979, 0.6552],
};
const mre = (pred: number[], y: number[]) => pred.reduce((s, v, i) => s + Math.abs(v - y[i]) / y[i], 0) / pred.length;

function curve(size: string, name: string): ScheduleCurve & { loss: number[] } {
  const d = readSchedule(shared('lr-schedules', size, `${name}.csv`));
  return { name, lrSteps: d.step, lr: d.lr, steps: d.step, loss: d.loss };
}

describe('LR-schedule laws: fit 3 schedules, predict 6 (Luo et al. 2025 protocol)', () => {
  for (const [size, bound] of [
    ['25M', 0.0017],
    ['100M', 0.003],
  ] as const) {
    test(`${size}: MPL (default 'level' fit) predicts every unseen schedule within ${(100 * bound).toFixed(2)} % mean relative error`, () => {
      const train = FIT.map((n) => curve(size, n));
      const t0 = performance.now();
      const mpl = fitScheduleLaw(train, { law: 'mpl', warmupSteps: 2160 });
      const t1 = performance.now();
      const staged = fitScheduleLaw(train, { law: 'mpl', method: 'staged', warmupSteps: 2160 });
      const joint = fitScheduleLaw(train, { law: 'mpl', method: 'lm', warmupSteps: 2160 });
      const tissue = fitScheduleLaw(train, { law: 'tissue', warmupSteps: 2160 });
      assert.ok(mpl.ok, JSON.stringify(mpl));
      assert.ok(staged.ok, JSON.stringify(staged));
      assert.ok(joint.ok, JSON.stringify(joint));
      assert.ok(tissue.ok, JSON.stringify(tissue));
      if (!mpl.ok || !staged.ok || !joint.ok || !tissue.ok) return;
      assert.equal(mpl.method, 'level');
      assert.equal(mpl.params.length, 8);
      // The joint fit is the converged optimum of the staged fit's objective: it cannot be worse in-sample.
      assert.ok(
        joint.objective <= staged.objective * (1 + 1e-6),
        `joint ${joint.objective} vs staged ${staged.objective}`,
      );
      const lines = [
        `${size} MPL level fit ${(t1 - t0).toFixed(0)} ms, objective ${mpl.objective.toExponential(4)}, params ${mpl.params.map((v) => v.toPrecision(4)).join(', ')}`,
        `${size} MPL staged objective ${staged.objective.toExponential(4)}, params ${staged.params.map((v) => v.toPrecision(4)).join(', ')}`,
        `${size} MPL joint optimum objective ${joint.objective.toExponential(4)}, params ${joint.params.map((v) => v.toPrecision(4)).join(', ')}`,
        `${size} Tissue params ${tissue.params.map((v) => v.toPrecision(4)).join(', ')}`,
        `${'curve'.padEnd(20)} level %  staged %  joint %  Tissue %`,
      ];
      const failures: string[] = [];
      for (const n of PREDICT) {
        const c = curve(size, n);
        const errs = [mpl, staged, joint, tissue].map((f) => {
          const p = predictSchedule(f, c);
          assert.ok(p.ok);
          return p.ok ? mre(p.loss, c.loss) : NaN;
        });
        lines.push(`${n.padEnd(20)} ${errs.map((e) => (100 * e).toFixed(3)).join('    ')}`);
        if (!(errs[0] <= bound)) failures.push(`${n}: ${(100 * errs[0]).toFixed(3)} %`);
      }
      console.log(lines.join('\n'));
      assert.deepEqual(failures, [], `MPL mean relative error above ${100 * bound} % on: ${failures.join('; ')}`);
    });
  }
});

// Every fitting triple of the seven ≤ 24k-step runs (35 per size), each predicting the six others (both 72k runs
// included): the distribution the README reports. ~20 min of CPU, so only with SCALING_LENS_FULL=1 (the same
// figures: `node --import tsx bench/scheduleBacktest.ts --all`). Guards are regression bounds from the run
// reported in the README (2026-12-03, default 'level' fit: 25M median 0.083 %, p90 0.153 %, worst 0.350 %; 100M
// 0.098 %, 0.198 %, 0.494 %), not the issue's 0.17 % target.
describe(
  'MPL default (level) fit: every fit-3 / predict-6 triple (SCALING_LENS_FULL=1)',
  { skip: process.env.SCALING_LENS_FULL !== '1' },
  () => {
    const ALL = [...FIT, ...PREDICT];
    const pool = ALL.filter((n) => !n.endsWith('72000'));
    for (const size of ['25M', '100M']) {
      test(`${size}: distribution over the 35 triples`, () => {
        const curves = Object.fromEntries(ALL.map((n) => [n, curve(size, n)]));
        const errs: number[] = [];
        let allWithin = 0,
          triples = 0;
        for (let a = 0; a < pool.length; a++)
          for (let b = a + 1; b < pool.length; b++)
            for (let c = b + 1; c < pool.length; c++) {
              const fitSet = [pool[a], pool[b], pool[c]];
              const fit = fitScheduleLaw(
                fitSet.map((n) => curves[n]),
                { law: 'mpl', warmupSteps: 2160 },
              );
              assert.ok(fit.ok, JSON.stringify(fit));
              if (!fit.ok) continue;
              let worst = 0;
              for (const n of ALL.filter((x) => !fitSet.includes(x))) {
                const p = predictSchedule(fit, curves[n]);
                assert.ok(p.ok);
                if (!p.ok) continue;
                const e = mre(p.loss, curves[n].loss);
                errs.push(e);
                worst = Math.max(worst, e);
              }
              triples++;
              if (worst <= 0.0017) allWithin++;
            }
        errs.sort((x, y) => x - y);
        const q = (f: number) => errs[Math.min(errs.length - 1, Math.floor(f * errs.length))];
        console.log(
          `${size}: ${triples} triples, ${errs.length} predictions: median ${(100 * q(0.5)).toFixed(3)} %, p90 ${(100 * q(0.9)).toFixed(3)} %, worst ${(100 * errs[errs.length - 1]).toFixed(3)} %, within 0.17 %: ${errs.filter((e) => e <= 0.0017).length}/${errs.length}; triples with all six within 0.17 %: ${allWithin}/${triples}`,
        );
        assert.ok(q(0.5) <= 0.0011, `median ${(100 * q(0.5)).toFixed(3)} %`);
        assert.ok(q(0.9) <= 0.0022, `p90 ${(100 * q(0.9)).toFixed(3)} %`);
        assert.ok(errs[errs.length - 1] <= 0.005, `worst ${(100 * errs[errs.length - 1]).toFixed(3)} %`);
      });
    }
  },
);

describe('MPL jointly on all nine 100M runs (in-sample)', () => {
  // Can the law describe every schedule at once? With γ bounded at 3, LM stalled at the iteration limit on the
  // corner β = 10⁻³, γ = 3 (objective 1.35e-3; wsdcon_9 0.31 %, wsdcon_3 0.27 %); the optimum is interior
  // (γ ≈ 1.4, objective 1.06e-3) and fits all nine within 0.16 %. Guards against bounds that decide the fit.
  test('converges to an interior optimum that fits every run within 0.2 %', () => {
    const all = [...FIT, ...PREDICT].map((n) => curve('100M', n));
    const fit = fitScheduleLaw(all, { law: 'mpl', method: 'lm', warmupSteps: 2160 });
    assert.ok(fit.ok, JSON.stringify(fit));
    if (!fit.ok) return;
    assert.equal(fit.stopReason, 'relative cost reduction below tolerance');
    assert.deepEqual(
      fit.warnings.filter((w) => /at its bound/.test(w)),
      [],
    );
    const errs = all.map((c) => {
      const p = predictSchedule(fit, c);
      assert.ok(p.ok);
      return p.ok ? mre(p.loss, c.loss) : NaN;
    });
    console.log(
      `100M all nine, in-sample: ${all.map((c, i) => `${c.name} ${(100 * errs[i]).toFixed(3)} %`).join(', ')}; objective ${fit.objective.toExponential(3)}`,
    );
    for (let i = 0; i < all.length; i++) assert.ok(errs[i] <= 0.002, `${all[i].name}: ${(100 * errs[i]).toFixed(3)} %`);
  });
});

/**
 * The LR schedules of the three fitting runs as the authors generated them (their data loader builds the LR per
 * step from the schedule definition; the data README gives warmup 2,160 steps and peak 3e-4; the end LR 3e-5 of
 * the cosine, the drop to 9e-5 at step 8,000 and the 16,000-step horizon of wsdcon_9 are visible in the LR
 * columns). Warmup: numpy linspace(0, peak, 2160). Checked against the logged LR column below.
 */
function analyticLr(name: string): number[] {
  const W = 2160,
    peak = 3e-4;
  const out = Array.from({ length: W }, (_, i) => (peak * i) / (W - 1));
  if (name === 'cosine_24000')
    for (let s = W; s < 24000; s++)
      out.push(3e-5 + 0.5 * (peak - 3e-5) * (1 + Math.cos((Math.PI * (s - W)) / (24000 - W))));
  else if (name === 'constant_24000') for (let s = W; s < 24000; s++) out.push(peak);
  else if (name === 'wsdcon_9') for (let s = W; s < 16000; s++) out.push(s < 8000 ? peak : 9e-5);
  else throw new Error(name);
  return out;
}

describe("the authors' fitting procedure (method 'luo2025')", () => {
  for (const size of ['25M', '100M']) {
    test(`${size}: reproduces the published MPL parameters from the analytic LR schedules (to the 4–5 digits published)`, () => {
      const train = FIT.map((n) => {
        const c = curve(size, n);
        const lr = analyticLr(n);
        for (let i = 0; i < c.lrSteps.length; i++) {
          const s = c.lrSteps[i];
          if (s < lr.length)
            assert.ok(
              Math.abs(lr[s] - c.lr[i]) <= 1e-6 * c.lr[i],
              `${n} step ${s}: analytic ${lr[s]} vs logged ${c.lr[i]}`,
            );
        }
        return { ...c, lrSteps: lr.map((_, i) => i), lr };
      });
      const fit = fitScheduleLaw(train, { law: 'mpl', method: 'luo2025', warmupSteps: 0 });
      assert.ok(fit.ok, JSON.stringify(fit));
      if (!fit.ok) return;
      console.log(
        `${size} luo2025: ${fit.params.map((v) => v.toPrecision(5)).join(', ')} (${fit.stopReason} after ${fit.iterations} steps)`,
      );
      for (let j = 0; j < 7; j++) {
        const rel = Math.abs(fit.params[j] - PUBLISHED[size][j]) / PUBLISHED[size][j];
        assert.ok(rel <= 2e-4, `${fit.paramNames[j]}: ${fit.params[j]} vs published ${PUBLISHED[size][j]}`);
      }
    });
  }
  test('the LR-unit rescaling is equivariant: LR ×10 gives the same predictions (default level fit)', () => {
    const train = FIT.map((n) => curve('100M', n));
    const scaled = train.map((c) => ({ ...c, lr: c.lr.map((v) => v * 10) }));
    const a = fitScheduleLaw(train, { law: 'mpl', warmupSteps: 2160 });
    const b = fitScheduleLaw(scaled, { law: 'mpl', warmupSteps: 2160 });
    assert.ok(a.ok && b.ok);
    if (!a.ok || !b.ok) return;
    const c = curve('100M', 'cosine_72000');
    const pa = predictSchedule(a, c),
      pb = predictSchedule(b, { ...c, lr: c.lr.map((v) => v * 10) });
    assert.ok(pa.ok && pb.ok);
    if (!pa.ok || !pb.ok) return;
    // both stages run in LR units normalised by the peak: the same optimum, B in the caller's units (B·P^(−ξ)·Σ gaps:
    // B scales by 10^(ξ−1) when the LR is ×10)
    const xi = a.params[7] ?? 0;
    assert.ok(Math.abs(b.params[7] - xi) <= 1e-9, `xi ${a.params[7]} vs ${b.params[7]}`);
    const expectB = a.params[3] * Math.pow(10, xi - 1);
    assert.ok(Math.abs(expectB - b.params[3]) <= 1e-6 * b.params[3], `B ${b.params[3]} vs ${expectB}`);
    for (let i = 0; i < pa.loss.length; i++)
      assert.ok(Math.abs(pa.loss[i] - pb.loss[i]) <= 1e-9 * pa.loss[i], `step ${pa.steps[i]}`);
  });
  test('points it cannot use are dropped with a warning, never silently', () => {
    const c = curve('25M', 'cosine_24000');
    const keep = c.steps.map((_, i) => i).filter((i) => i % 2 === 0);
    const steps = keep.map((i) => c.steps[i]),
      loss = keep.map((i) => c.loss[i]);
    loss[5] = NaN;
    loss[9] = -1;
    steps[12] = 0;
    const fit = fitScheduleLaw([{ ...c, steps, loss }], { law: 'tissue', warmupSteps: 2160 });
    assert.ok(fit.ok, JSON.stringify(fit));
    if (!fit.ok) return;
    assert.equal(fit.nPoints, keep.length - 3);
    assert.ok(
      fit.warnings.some((w) => /^dropped 3 point\(s\)/.test(w)),
      fit.warnings.join('; '),
    );
    const clean = fitScheduleLaw([{ ...c, steps: keep.map((i) => c.steps[i]), loss: keep.map((i) => c.loss[i]) }], {
      law: 'tissue',
      warmupSteps: 2160,
    });
    assert.ok(clean.ok && !clean.warnings.some((w) => /dropped/.test(w)));
  });
});
