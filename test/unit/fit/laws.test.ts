import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { fitSweep, listLaws, computeOptimal } from '../../../src/fit';

describe('one-input sweep laws', () => {
  test('saturating power law recovers exact synthetic parameters (closed-form truth)', () => {
    const pts = [1e6, 3e6, 1e7, 3e7, 1e8, 3e8, 1e9, 3e9].map((x) => ({ x, loss: 1.7 + 400 * x ** -0.35 }));
    const r = fitSweep(pts, { law: 'saturating-power' });
    assert.ok(r.ok, !r.ok ? r.reason : '');
    if (!r.ok) return;
    assert.ok(Math.abs(r.params.E - 1.7) < 1e-3 && Math.abs(r.params.alpha - 0.35) < 1e-3, JSON.stringify(r.params));
  });
  test('pure power law = least squares line in log-log (closed form)', () => {
    const xs = [1, 2, 4, 8, 16, 32],
      ys = [3.1, 2.4, 1.9, 1.52, 1.2, 0.97];
    const lx = xs.map(Math.log),
      ly = ys.map(Math.log);
    const mx = lx.reduce((a, b) => a + b) / 6,
      my = ly.reduce((a, b) => a + b) / 6;
    const slope = lx.reduce((s, v, i) => s + (v - mx) * (ly[i] - my), 0) / lx.reduce((s, v) => s + (v - mx) ** 2, 0);
    const r = fitSweep(
      xs.map((x, i) => ({ x, loss: ys[i] })),
      { law: 'pure-power' },
    );
    assert.ok(r.ok);
    if (r.ok) assert.ok(Math.abs(r.params.alpha + slope) < 1e-6, `${r.params.alpha} vs ${-slope}`);
  });
  test('log law = ordinary least squares of y on log x (closed form)', () => {
    const xs = [1, 10, 100, 1000, 1e4],
      ys = [4.0, 3.6, 3.1, 2.75, 2.3];
    const lx = xs.map(Math.log),
      mx = lx.reduce((a, b) => a + b) / 5,
      my = ys.reduce((a, b) => a + b) / 5;
    const slope = lx.reduce((s, v, i) => s + (v - mx) * (ys[i] - my), 0) / lx.reduce((s, v) => s + (v - mx) ** 2, 0);
    const r = fitSweep(
      xs.map((x, i) => ({ x, loss: ys[i] })),
      { law: 'log-law' },
    );
    assert.ok(r.ok);
    if (r.ok)
      assert.ok(
        Math.abs(r.params.k + slope) < 1e-6 && Math.abs(r.params.c - (my - slope * mx)) < 1e-6,
        JSON.stringify(r.params),
      );
  });
  test('exponential law recovers exact synthetic parameters', () => {
    const pts = [0, 1, 2, 4, 6, 8, 12, 16, 24].map((x) => ({ x: x * 1e3, loss: 0.5 + 2 * Math.exp((-x * 1e3) / 5e3) }));
    const r = fitSweep(pts, { law: 'exponential' });
    assert.ok(r.ok, !r.ok ? r.reason : '');
    if (r.ok)
      assert.ok(Math.abs(r.params.E - 0.5) < 1e-4 && Math.abs(r.params.tau - 5e3) < 5, JSON.stringify(r.params));
  });
  test('bad input → statuses', () => {
    const r = fitSweep([{ x: 1, loss: 2 }], { law: 'saturating-power' });
    assert.equal(r.ok, false);
    if (!r.ok) assert.equal(r.reason, 'not enough points: 1 < 3 parameters');
    const neg = fitSweep(
      [
        { x: -1, loss: 2 },
        { x: 0, loss: 2 },
        { x: 2, loss: 1 },
        { x: 3, loss: 0.9 },
      ],
      { law: 'pure-power' },
    );
    assert.ok(neg.ok);
    if (neg.ok) assert.ok(neg.warnings.some((w) => /domain/.test(w)));
    assert.equal(fitSweep([], { law: 'nope' }).ok, false);
  });
});

describe('facade', () => {
  test('listLaws has id, name, latex, source, params', () => {
    const laws = listLaws();
    assert.ok(laws.some((l) => l.id === 'chinchilla'));
    for (const l of laws) assert.ok(l.id && l.name && l.latex && l.source && l.params.length > 0);
  });
  test('computeOptimal from a failed fit is a status', () => {
    assert.equal(computeOptimal({ ok: false }, [1e21]).ok, false);
  });
});
