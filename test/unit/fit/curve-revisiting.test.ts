import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { loadRevisitingCurves as loadCurves } from './curve-data';
import { fitCurve, predictCurve } from '../../../src/fit/curve/fitCurve';

// Alabdulmohsin et al. 2022 benchmark (revisiting_lang.csv): 20 learning curves; fit on Training == 1,
// score RMSE of log ŷ − log y on Training == 0 (their metric). Baselines M1 and M2 are computed here with
// independent simple fits (closed-form log-log least squares; M2 with a grid over ε∞), not with our engine.
// Our law is chosen by fitCurve's own backtest on the training points only (no peeking at the targets).

/** Closed-form least squares of ln(y − e) on ln x: returns [ln β, c]. */
function logLogLine(x: number[], y: number[], e: number): [number, number] | null {
  let n = 0,
    sx = 0,
    sy = 0,
    sxx = 0,
    sxy = 0;
  for (let i = 0; i < x.length; i++) {
    if (!(y[i] - e > 0)) return null;
    const lx = Math.log(x[i]),
      ly = Math.log(y[i] - e);
    n++;
    sx += lx;
    sy += ly;
    sxx += lx * lx;
    sxy += lx * ly;
  }
  const c = (n * sxy - sx * sy) / (n * sxx - sx * sx);
  return [(sy - c * sx) / n, c];
}

const logRmse = (pred: number[], y: number[]) =>
  Math.sqrt(pred.reduce((s, v, i) => s + (Math.log(v) - Math.log(y[i])) ** 2, 0) / y.length);

/** M2 = e + βx^c: grid over e ∈ [0, min y) (2000 values); for each e, β and c by the log-log line; keep the e
 *  with the smallest log-residual error of the full model on the training points. */
function fitM2(x: number[], y: number[]): (q: number) => number {
  const yMin = Math.min(...y);
  let best = { err: Infinity, f: (q: number) => q * NaN };
  for (let i = 0; i < 2000; i++) {
    const e = (yMin * i) / 2000;
    const line = logLogLine(x, y, e);
    if (!line) continue;
    const f = (q: number) => e + Math.exp(line[0]) * Math.pow(q, line[1]);
    const err = logRmse(x.map(f), y);
    if (err < best.err) best = { err, f };
  }
  return best.f;
}

describe('revisiting_lang (Alabdulmohsin et al. 2022): extrapolation vs M1/M2 baselines', () => {
  test('our forecast beats M2 on at least half of the 20 curves, and on the mean and median error', () => {
    const curves = loadCurves();
    assert.equal(curves.length, 20);
    const lines = [`${'curve'.padEnd(44)} n_fit  M1       M2       ours     law`];
    let wins = 0,
      covered = 0,
      targets = 0;
    const oursErr: number[] = [],
      m2Err: number[] = [];
    for (const c of curves) {
      const l1 = logLogLine(c.trainX, c.trainY, 0)!;
      const m1 = logRmse(
        c.testX.map((q) => Math.exp(l1[0]) * Math.pow(q, l1[1])),
        c.testY,
      );
      const m2f = fitM2(c.trainX, c.trainY);
      const m2 = logRmse(c.testX.map(m2f), c.testY);
      const fit = fitCurve(c.trainX, c.trainY);
      let ours = Infinity,
        law = '-';
      if (fit.ok) {
        const pred = predictCurve(fit, c.testX, { confidence: 0.95 });
        ours = logRmse(
          pred.map((p) => p.value),
          c.testY,
        );
        pred.forEach((p, i) => {
          targets++;
          if (p.lower <= c.testY[i] && c.testY[i] <= p.upper) covered++;
        });
        law = fit.members.map((m) => m.law).join('+');
      } else law = `failed: ${fit.reason}`;
      if (ours < m2) wins++;
      oursErr.push(ours);
      m2Err.push(m2);
      lines.push(
        `${c.key.slice(0, 44).padEnd(44)} ${String(c.trainX.length).padStart(5)}  ${m1.toFixed(4)}   ${m2.toFixed(4)}   ${ours.toFixed(4)}   ${law}`,
      );
    }
    lines.push(
      `ours beats M2 on ${wins}/20 curves; 95 % intervals cover ${covered}/${targets} targets (reported, not asserted)`,
    );
    console.log(lines.join('\n'));
    // Since study 7's decline cap became the default (judged blind on curve hold-out 19) ours beats M2 on 10/20 (was
    // 12/20: two LM validation curves where both are within 0.0004 of the targets), while its mean and median
    // log-RMSE fell further below M2's (mean 0.0138 → 0.0126, median 0.0081 → 0.0066; M2 0.0149 and 0.0077). So: at
    // least half the curves, and a smaller mean and median error than M2's.
    const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;
    const median = (v: number[]) => {
      const s = [...v].sort((a, b) => a - b);
      return (s[(s.length - 1) >> 1] + s[s.length >> 1]) / 2;
    };
    console.log(
      `mean log-RMSE ours ${mean(oursErr).toFixed(4)} vs M2 ${mean(m2Err).toFixed(4)}; median ${median(oursErr).toFixed(4)} vs ${median(m2Err).toFixed(4)}`,
    );
    assert.ok(wins >= 10, `ours beats M2 on only ${wins}/20 curves`);
    assert.ok(mean(oursErr) < mean(m2Err), `mean log-RMSE ${mean(oursErr)} ≥ M2's ${mean(m2Err)}`);
    assert.ok(median(oursErr) < median(m2Err), `median log-RMSE ${median(oursErr)} ≥ M2's ${median(m2Err)}`);
  });
});
