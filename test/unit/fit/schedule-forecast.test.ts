import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { shared } from '../helpers/paths';
import { readSchedule } from './curve-data';
// Through the facade: this is the entry point the editor and the CLI use.
import { inferSchedule, forecastLiveRun, fitCurve, predictCurve, type InferredSchedule } from '../../../src/fit';

function range(a: number, b: number, step: number): number[] {
  const out: number[] = [];
  for (let s = a; s <= b; s += step) out.push(s);
  return out;
}
function ok(r: ReturnType<typeof inferSchedule>): InferredSchedule {
  assert.ok(r.ok, r.ok ? '' : r.reason);
  return r as InferredSchedule;
}
/** Planned LR of an inferred schedule at step s (linear between knots, as buildLrSchedule does). */
function plannedAt(r: InferredSchedule, s: number): number {
  const i = r.lrSteps.findIndex((k) => k >= s);
  if (i <= 0) return r.lr[Math.max(i, 0)];
  const f = (s - r.lrSteps[i - 1]) / (r.lrSteps[i] - r.lrSteps[i - 1]);
  return r.lr[i - 1] + f * (r.lr[i] - r.lr[i - 1]);
}

describe('inferSchedule: planned LR from a logged prefix (synthetic schedules, closed form)', () => {
  const peak = 6e-4,
    W = 500,
    T = 20000;
  const warm = (s: number) => (peak * s) / W;
  const steps = range(10, 8000, 10);
  const cases: { name: string; f: (s: number) => number; shape: string; final: number }[] = [
    {
      name: 'cosine to 10 %',
      f: (s) => (s < W ? warm(s) : 0.1 * peak + 0.45 * peak * (1 + Math.cos((Math.PI * (s - W)) / (T - W)))),
      shape: 'cosine',
      final: 0.1 * peak,
    },
    { name: 'linear to 0', f: (s) => (s < W ? warm(s) : peak * (1 - (s - W) / (T - W))), shape: 'linear', final: 0 },
    {
      name: 'inverse square root',
      f: (s) => (s < W ? warm(s) : peak * Math.sqrt(W / s)),
      shape: 'inverse-sqrt',
      final: peak * Math.sqrt(W / T),
    },
  ];
  for (const c of cases) {
    test(`${c.name}: recognised, final LR and the rest of the schedule recovered`, () => {
      const r = ok(inferSchedule(steps, steps.map(c.f), T));
      assert.equal(r.shape, c.shape, r.explanation);
      assert.ok(Math.abs(r.finalLr - c.final) <= 1e-3 * peak, `final ${r.finalLr} vs ${c.final}`);
      assert.ok(r.confidence > 0.9, `confidence ${r.confidence}`);
      for (const s of [9000, 15000, 19999])
        assert.ok(
          Math.abs(plannedAt(r, s) - c.f(s)) <= 2e-3 * peak,
          `${c.name} at ${s}: ${plannedAt(r, s)} vs ${c.f(s)}`,
        );
    });
  }
  test('WSD whose decay has started: wsd with the decay start and shape', () => {
    const f = (s: number) => (s < W ? warm(s) : s < 7000 ? peak : peak * (1 - (s - 7000) / (T - 7000)));
    const logged = range(10, 12000, 10); // a third of the decay seen: linear and exponential decays differ by then
    const r = ok(inferSchedule(logged, logged.map(f), T));
    assert.equal(r.shape, 'wsd', r.explanation);
    assert.equal(r.decayShape, 'linear');
    assert.ok(r.decayStart! >= 6990 && r.decayStart! <= 7100, `decay start ${r.decayStart}`); // within the LR flatness tolerance
    assert.ok(Math.abs(plannedAt(r, 15000) - f(15000)) <= 2e-3 * peak);
  });
  test('a long log (LR at every one of 60,000 steps, thinned internally) is recognised the same way', () => {
    const steps60k = range(1, 60000, 1),
      T2 = 150000;
    const f = (s: number) =>
      s < W ? warm(s) : 0.1 * peak + 0.45 * peak * (1 + Math.cos((Math.PI * (s - W)) / (T2 - W)));
    const r = ok(inferSchedule(steps60k, steps60k.map(f), T2));
    assert.equal(r.shape, 'cosine', r.explanation);
    assert.ok(Math.abs(r.finalLr - 0.1 * peak) <= 1e-3 * peak, `final ${r.finalLr}`);
    assert.ok(r.candidates.every((c) => !Number.isNaN(c.relRmse)));
  });
  test('constant so far: constant, confidence capped (a WSD decay may still come), said so', () => {
    const r = ok(
      inferSchedule(
        steps,
        steps.map((s) => (s < W ? warm(s) : peak)),
        T,
      ),
    );
    assert.equal(r.shape, 'constant');
    assert.ok(r.confidence <= 0.6);
    assert.match(r.explanation, /WSD/);
  });
  test('step drops: piecewise-constant, last level held', () => {
    const f = (s: number) => (s < W ? warm(s) : s < 4000 ? peak : s < 6000 ? peak / 3 : peak / 10);
    const r = ok(inferSchedule(steps, steps.map(f), T));
    assert.equal(r.shape, 'piecewise-constant', r.explanation);
    assert.equal(plannedAt(r, 19000), peak / 10);
  });
  test('noise that fits no shape: unknown, last LR held, confidence 0', () => {
    let x = 7;
    const rnd = () => {
      x = (x * 16807) % 2147483647;
      return x / 2147483647;
    };
    const lr = steps.map(() => peak * (0.2 + 0.8 * rnd()));
    const r = ok(inferSchedule(steps, lr, T));
    assert.equal(r.shape, 'unknown', r.explanation);
    assert.equal(r.confidence, 0);
    assert.equal(plannedAt(r, 19000), lr[lr.length - 1]);
  });
  test('bad input gives a status, never throws', () => {
    assert.equal(inferSchedule([], [], 100).ok, false);
    assert.equal(inferSchedule([1, 2], [1e-3, 1e-3], NaN).ok, false);
    assert.equal(inferSchedule([1, 200], [1e-3, 1e-3], 100).ok, false);
    assert.equal(inferSchedule([1, 2], [0, 0], 100).ok, false);
    assert.equal(inferSchedule(null as unknown as number[], [1], 10).ok, false);
    assert.equal(forecastLiveRun(null as never).ok, false);
    assert.equal(
      forecastLiveRun({ steps: [1, 2, 3], loss: [3, 2, 1], lrSteps: [1], lr: [1e-3], totalSteps: 10 }).ok,
      false,
    );
    assert.equal(
      forecastLiveRun({
        steps: range(1, 100, 1),
        loss: range(1, 100, 1).map((s) => 3 + 1 / s),
        lrSteps: [],
        lr: [],
        totalSteps: 1000,
      }).ok,
      false,
    );
  });
});

// Backtest on the published LR-schedule runs (Luo et al. 2025): keep the first 25 % / 50 % of the planned
// steps of each run (loss and LR), forecast the final logged loss; the schedule-unaware curve forecast
// (fitCurve's automatic law selection on the same prefix) is computed in the same test. Planned totals: the
// file names (cosine_72000: 72,000 steps; wsd_20000_24000: 24,000), 16,000 for the wsdcon runs (their LR
// column ends there); warmup 2,160 steps (data README).
const TOTAL: Record<string, number> = {
  cosine_24000: 24000,
  cosine_72000: 72000,
  constant_24000: 24000,
  constant_72000: 72000,
  wsd_20000_24000: 24000,
  wsdld_20000_24000: 24000,
  wsdcon_3: 16000,
  wsdcon_9: 16000,
  wsdcon_18: 16000,
};
const family = (n: string) =>
  n.startsWith('cosine')
    ? 'cosine'
    : n.startsWith('constant')
      ? 'constant'
      : n.startsWith('wsdcon')
        ? 'two-stage'
        : 'wsd';

describe('forecastLiveRun backtest on the LR-schedule runs (fit on a prefix, predict the final loss)', () => {
  test('schedule-aware forecast vs the schedule-unaware curve forecast: errors and 95 % coverage', () => {
    const rows: string[] = [
      `${'run'.padEnd(24)} kept  inferred            MPL err %  [95 % band]      curve err % (law)`,
    ];
    const err: Record<string, { s: number[]; c: number[] }> = {};
    let covered = 0,
      coveredCurve = 0,
      total = 0;
    for (const size of ['25M', '100M']) {
      for (const [name, T] of Object.entries(TOTAL)) {
        const d = readSchedule(shared('lr-schedules', size, `${name}.csv`));
        const finalStep = d.step[d.step.length - 1],
          finalLoss = d.loss[d.loss.length - 1];
        for (const frac of [0.25, 0.5]) {
          const idx = d.step.map((_, i) => i).filter((i) => d.step[i] <= frac * T);
          const st = idx.map((i) => d.step[i]),
            y = idx.map((i) => d.loss[i]),
            lr = idx.map((i) => d.lr[i]);
          const f = forecastLiveRun(
            { steps: st, loss: y, lrSteps: st, lr, totalSteps: T },
            { warmupSteps: 2160, at: [finalStep] },
          );
          assert.ok(f.ok, f.ok ? '' : f.reason);
          if (!f.ok) continue;
          const p = f.points[0];
          assert.ok(p.lower <= p.value && p.value <= p.upper);
          const c = fitCurve(st, y);
          assert.ok(c.ok, c.ok ? '' : c.reason);
          if (!c.ok) continue;
          const q = predictCurve(c, [finalStep])[0];
          const es = (p.value - finalLoss) / finalLoss,
            ec = (q.value - finalLoss) / finalLoss;
          (err[family(name)] ??= { s: [], c: [] }).s.push(Math.abs(es));
          err[family(name)].c.push(Math.abs(ec));
          total++;
          if (p.lower <= finalLoss && finalLoss <= p.upper) covered++;
          if (q.lower <= finalLoss && finalLoss <= q.upper) coveredCurve++;
          rows.push(
            `${`${size} ${name}`.padEnd(24)} ${String(frac * 100).padStart(3)} % ${String(f.schedule.shape).padEnd(19)} ${(100 * es).toFixed(2).padStart(6)}  [${p.lower.toFixed(3)}, ${p.upper.toFixed(3)}]  ${(100 * ec).toFixed(2).padStart(6)} (${c.law})`,
          );
        }
      }
    }
    const mean = (a: number[]) => a.reduce((x, y) => x + y, 0) / a.length;
    for (const [k, v] of Object.entries(err))
      rows.push(
        `${k.padEnd(10)} mean |error|: schedule-aware ${(100 * mean(v.s)).toFixed(2)} %, curve ${(100 * mean(v.c)).toFixed(2)} %`,
      );
    rows.push(`final loss inside the 95 % band: schedule-aware ${covered}/${total}, curve ${coveredCurve}/${total}`);
    console.log(rows.join('\n'));
    // On decaying schedules the schedule-aware forecast must be the better one (both families, mean |error|).
    for (const k of ['cosine', 'wsd'])
      assert.ok(mean(err[k].s) < mean(err[k].c), `${k}: ${mean(err[k].s)} vs ${mean(err[k].c)}`);
    // Its band must be honest: at least 85 % of the held-out final losses inside the nominal 95 % band.
    assert.ok(covered / total >= 0.85, `coverage ${covered}/${total}`);
  });
  test('a given (what-if) schedule replaces the inferred one; a WSD decay planned ahead lowers the forecast', () => {
    const d = readSchedule(shared('lr-schedules', '100M', 'wsd_20000_24000.csv'));
    const idx = d.step.map((_, i) => i).filter((i) => d.step[i] <= 12000);
    const st = idx.map((i) => d.step[i]),
      y = idx.map((i) => d.loss[i]),
      lr = idx.map((i) => d.lr[i]);
    const run = { steps: st, loss: y, lrSteps: st, lr, totalSteps: 24000 };
    const inferred = forecastLiveRun(run, { warmupSteps: 2160 });
    const planned = forecastLiveRun(run, { warmupSteps: 2160, plannedLr: { steps: d.step, lr: d.lr } });
    assert.ok(inferred.ok && planned.ok);
    if (!inferred.ok || !planned.ok) return;
    assert.equal(inferred.schedule.shape, 'constant');
    assert.equal(planned.schedule.shape, 'given');
    const finalLoss = d.loss[d.loss.length - 1];
    // the planned decay is what makes the loss drop at the end: the forecast under it is lower and closer
    assert.ok(planned.final.value < inferred.final.value);
    assert.ok(
      Math.abs(planned.final.value - finalLoss) < Math.abs(inferred.final.value - finalLoss),
      `${planned.final.value} vs ${inferred.final.value}, truth ${finalLoss}`,
    );
    // the inferred (constant) forecast's band covers the possible WSD decay at its lower end
    assert.ok(inferred.final.lower <= finalLoss, `${inferred.final.lower} vs ${finalLoss}`);
  });
});
