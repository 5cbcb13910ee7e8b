import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { selectLaw, backtest } from '../../../src/fit/select';

describe('law selection', () => {
  const xs = Array.from({ length: 12 }, (_, i) => 1e6 * 3 ** i);
  test('saturating data → saturating power law wins on held-out error', () => {
    const pts = xs.map((x) => ({ x, loss: 1.7 + 400 * x ** -0.35 }));
    const s = selectLaw(pts);
    assert.equal(s.chosen, 'saturating-power', s.explanation);
    assert.match(s.explanation, /Saturating power law chosen: held-out log-RMSE/);
  });
  test('backtest of the true law has ~0 held-out error (closed-form data)', () => {
    const pts = xs.map((x) => ({ x, loss: 5 * x ** -0.1 }));
    const b = backtest(pts, 'pure-power');
    assert.ok(b.ok && b.heldOutLogRmse! < 1e-6, JSON.stringify(b));
  });
  test('few points → AIC is used', () => {
    const pts = xs.slice(0, 6).map((x) => ({ x, loss: 1.7 + 400 * x ** -0.35 }));
    assert.match(selectLaw(pts).explanation, /AIC/);
  });
});
