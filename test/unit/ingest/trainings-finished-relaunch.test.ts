/**
 * truth.mjs's rule for trainings one after another behind the same reprinted banner (issue 14, fix round 13): a
 * training that reached its stated planned total, or printed an end line, and is followed by one from the start is a
 * run of its own, also when the banner's settings do not change; a relaunch after an unfinished training is an
 * attempt of the same run. Made-up launches of a script that prints the same banner each time.
 */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';

import { parse, pts, lines } from './inferCase';
import type { ParseResult } from '../../../src/ingest/types';

/**
 * One launch: the banner (identical every time), then `until` of its 8 planned epochs, each `epoch e/8 - <key> v -
 * took 2.0s`; `end`: an end line after the last epoch.
 */
function launch(key: string, until: number, shift: number, end?: string): string[] {
  const out = ['=== sampler trainer v2 ===', 'settings:', '  epochs: 8', '  width: 64'];
  for (let e = 1; e <= until; e++) out.push(`epoch ${e}/8 - ${key} ${(5 - e / 4 - shift).toFixed(3)} - took 2.0s`);
  if (end) out.push(end);
  return out;
}

const runsOf = (r: ParseResult) => r.runs.map((x) => pts(x, 'train/loss').value.length);

describe('launches behind an identical banner', () => {
  for (const key of ['loss', 'cost']) {
    test(`each finished by its planned total (key \`${key}\`): a run each; an unfinished one joins the next`, async () => {
      const r = await parse(
        lines(...launch(key, 8, 0), ...launch(key, 3, 0.01), ...launch(key, 8, 0.02), ...launch(key, 8, 0.03)),
      );
      // (the unfinished second launch and the third are attempts of one run, last write per epoch)
      assert.deepEqual(runsOf(r), [8, 8, 8]);
      const last = pts(r.runs[r.runs.length - 1], 'train/loss');
      assert.equal(last.value[7], 2.97);
    });
  }

  test('finished by an end line with no total reached: a run each', async () => {
    const stop = (k: string, u: number, s: number) =>
      launch(k, u, s, 'finished training, model saved').map((l) => l.replace('/8 ', ' '));
    const r = await parse(lines(...stop('cost', 6, 0), ...stop('cost', 6, 0.01)));
    assert.deepEqual(runsOf(r), [6, 6]);
  });

  test('unfinished launches only: attempts of one run', async () => {
    const r = await parse(lines(...launch('cost', 5, 0), ...launch('cost', 3, 0.01), ...launch('cost', 6, 0.02)));
    assert.deepEqual(runsOf(r), [6]);
  });
});

describe('fits told apart only in one of their two line templates', () => {
  /** A Keras `verbose=2` fit of `n` epochs, its epoch lines with the validation values or without. */
  function fit(n: number, val: boolean, shift: number): string[] {
    const out = [val ? 'Train on 900 samples, validate on 100 samples' : 'Train on 1000 samples'];
    for (let e = 1; e <= n; e++) {
      out.push(`Epoch ${e}/${n}`);
      const loss = (2 - e / 10 - shift).toFixed(4);
      out.push(
        `${11 + e}s - loss: ${loss} - acc: 0.${50 + e}${val ? ` - val_loss: ${loss}1 - val_acc: 0.${40 + e}` : ''}`,
      );
    }
    return out;
  }

  test('each fit reaching its stated total ends where it ends, in either template: a run each', async () => {
    const r = await parse(
      lines(...fit(5, true, 0), ...fit(4, false, 0.01), ...fit(5, true, 0.02), ...fit(3, false, 0.03)),
    );
    assert.deepEqual(runsOf(r), [5, 4, 5, 3]);
    assert.equal(pts(r.runs[3], 'train/loss').value[2], 1.67);
  });
});
