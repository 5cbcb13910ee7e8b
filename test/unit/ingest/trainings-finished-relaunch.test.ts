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
