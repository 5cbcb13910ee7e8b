/**
 * The general reader on the failure classes found once the format corpus' hold-outs were retired into dev
 * (test/fixtures/formats, both batches: print calls and library displays): synthetic logs modelled on each class,
 * small enough that the expected series is written by hand from the text (never taken from the reader's output).
 * Each case failed before its fix.
 */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';

import { parse, one, pts } from './inferCase';

/** A tqdm meter at `n` of `total` (`desc: PP%|bar| n/total [elapsed<left, rate, postfix]`), as tqdm draws it. */
function meter(desc: string, n: number, total: number, postfix: string): string {
  const pct = Math.floor((100 * n) / total);
  const cells = Math.floor((10 * n) / total);
  const bar = '█'.repeat(cells) + ' '.repeat(10 - cells);
  const left = total - n;
  return `${desc}${String(pct).padStart(3)}%|${bar}| ${n}/${total} [00:${String(n).padStart(2, '0')}<00:${String(left).padStart(2, '0')},  1.00s/it${postfix ? `, ${postfix}` : ''}]`;
}

describe('a percentage is a share, not a counter', () => {
  const loss = [2.5, 2.25, 2.0, 1.9, 1.75, 1.6, 1.5, 1.45, 1.4, 1.3, 1.25, 1.2];
  test('tqdm bar described `Steps:` (its percentage follows the step word): the `N/M` counter is the step', async () => {
    const draws = [meter('Steps: ', 0, 12, '')];
    loss.forEach((v, i) => draws.push(meter('Steps: ', i + 1, 12, `loss=${v}, lr=1.00e-01`)));
    const run = one(await parse('Using device: cuda\n' + draws.join('\r') + '\n'));
    assert.deepEqual(pts(run, 'train/loss').step, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    assert.deepEqual(pts(run, 'train/loss').value, loss);
  });
  test('a print on its own lines, `iter` before a percentage and an `N/M` counter: the counter is the step', async () => {
    const text =
      loss
        .map((v, i) => `[train] iter ${Math.floor(((i + 1) * 100) / 12)} % | ${(i + 1) * 10}/120 | loss: ${v}`)
        .join('\n') + '\n';
    const run = one(await parse(text));
    assert.deepEqual(pts(run, 'train/loss').step, [10, 20, 30, 40, 50, 60, 70, 80, 90, 100, 110, 120]);
    assert.deepEqual(pts(run, 'train/loss').value, loss);
  });
});
