import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { shared } from '../helpers/paths';
import { readSchedule, loadRevisitingCurves } from './curve-data';
import { fitCurve, predictCurve, type CurveFit } from '../../../src/fit';

// Do the learning-curve forecast bands widen honestly with the extrapolation distance? Backtests on real
// curves: the fraction of held-out FINAL losses inside the nominal 95 % band, reported and checked against a
// floor (nominal 95 %; the floors are what an honest band must at least reach on these curves, below the
// measured values 17/20 and 8/10, so a regression to distance-blind bands — 16/20 and 4/10 — fails).
const inside = (fit: CurveFit, x: number, y: number) => {
  const p = predictCurve(fit, [x])[0];
  return p.lower <= y && y <= p.upper;
};

describe('forecast interval coverage on real learning curves', () => {
  test('revisiting_lang: final held-out target of each of the 20 curves', () => {
    let covered = 0,
      total = 0;
    const rows: string[] = [];
    for (const c of loadRevisitingCurves()) {
      const fit = fitCurve(c.trainX, c.trainY);
      if (!fit.ok) continue;
      const i = c.testX.indexOf(Math.max(...c.testX));
      const ok = inside(fit, c.testX[i], c.testY[i]);
      total++;
      covered += ok ? 1 : 0;
      if (!ok)
        rows.push(
          `  outside: ${c.key} (x ${c.testX[i]} = ${(c.testX[i] / fit.xRange[1]).toFixed(2)}× the last fitted x)`,
        );
    }
    console.log(`revisiting_lang: ${covered}/${total} final targets inside the 95 % band\n${rows.join('\n')}`);
    assert.equal(total, 20);
    assert.ok(covered >= 17, `${covered}/${total}`);
  });
  test('constant-LR runs (Luo et al. 2025 data) cut at 10/25/50 %: final loss 2–10× beyond the data', () => {
    let covered = 0,
      total = 0;
    const rows: string[] = [];
    for (const size of ['25M', '100M']) {
      for (const [name, T] of [
        ['constant_24000', 24000],
        ['constant_72000', 72000],
      ] as const) {
        const d = readSchedule(shared('lr-schedules', size, `${name}.csv`));
        const X = d.step[d.step.length - 1],
          Y = d.loss[d.loss.length - 1];
        for (const frac of [0.1, 0.25, 0.5]) {
          const idx = d.step.map((_, i) => i).filter((i) => d.step[i] <= frac * T);
          const fit = fitCurve(
            idx.map((i) => d.step[i]),
            idx.map((i) => d.loss[i]),
          );
          if (!fit.ok) {
            rows.push(`  ${size} ${name} ${frac}: ${fit.reason}`);
            continue;
          }
          const p = predictCurve(fit, [X])[0];
          const ok = p.lower <= Y && Y <= p.upper;
          total++;
          covered += ok ? 1 : 0;
          rows.push(
            `  ${size} ${name} ${String(frac * 100).padStart(2)} %: ${(X / fit.xRange[1]).toFixed(1)}× beyond, forecast ${p.value.toFixed(3)} [${p.lower.toFixed(3)}, ${p.upper.toFixed(3)}], final ${Y} ${ok ? 'inside' : 'OUTSIDE'}`,
          );
        }
      }
    }
    console.log(`constant-LR runs: ${covered}/${total} final losses inside the 95 % band\n${rows.join('\n')}`);
    assert.ok(total >= 10);
    assert.ok(covered >= 8, `${covered}/${total}`);
  });
  test('the band widens with the distance beyond the data (log-distance growth), not only the first step past it', () => {
    const d = readSchedule(shared('lr-schedules', '100M', 'constant_72000.csv'));
    const idx = d.step.map((_, i) => i).filter((i) => d.step[i] <= 7200);
    const fit = fitCurve(
      idx.map((i) => d.step[i]),
      idx.map((i) => d.loss[i]),
    );
    assert.ok(fit.ok);
    if (!fit.ok) return;
    const last = fit.xRange[1];
    const half = (x: number) => {
      const p = predictCurve(fit, [x])[0];
      return Math.log(p.upper / p.value);
    };
    const [h2, h4, h10] = [half(2 * last), half(4 * last), half(10 * last)];
    assert.ok(h2 < h4 && h4 < h10, `${h2} ${h4} ${h10}`);
    // with linear growth in ln(x / x_last), the extrapolation part at 10× is ln 10 / ln 2 ≈ 3.3× that at 2×
    assert.ok(h10 > 2 * h2, `10×: ${h10} vs 2×: ${h2}`);
  });
});
