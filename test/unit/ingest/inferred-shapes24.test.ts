/**
 * The general reader on real logs it still read wrong after hold-out 21 (issue 14), second round: synthetic lines
 * modelled on each class, small enough that the expected values are written by hand. Each case failed before its fix.
 */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';

import { parse, pts, lines } from './inferCase';

describe('several writers printing one record at once, one of them reaching the planned total first', () => {
  const rec = (w: string, e: number, loss: string) =>
    `[${w}][Epoch ${String(e).padStart(2, '0')}/3] Epsilon:0.5000 #Buy:10 Loss:${loss} ET:49.1071`;
  const ids = (r: { runs: { id: string }[] }) => r.runs.map((run) => run.id.replace('/tmp/x.log', ''));

  test('the others finishing their last epochs after it is no new training: one run, last write per epoch', async () => {
    const r = await parse(
      lines(
        rec('035420', 1, '14.286367'),
        rec('051910', 1, '55.905014'),
        rec('035420', 2, '24.208878'),
        rec('035720', 1, '77.528562'),
        rec('051910', 2, '50.799827'),
        rec('035420', 3, '22.100001'),
        rec('035720', 2, '78.249284'),
        rec('051910', 3, '49.500002'),
        rec('035720', 3, '76.400003'),
      ),
    );
    assert.deepEqual(ids(r), ['']);
    assert.deepEqual(pts(r.runs[0], 'train/loss'), { step: [1, 2, 3], value: [77.528562, 78.249284, 76.400003] });
  });
  test('a step back to the start after the total is still the next training', async () => {
    const r = await parse(
      lines(
        rec('035420', 1, '14.286367'),
        rec('051910', 1, '55.905014'),
        rec('035420', 2, '24.208878'),
        rec('051910', 2, '50.799827'),
        rec('051910', 3, '49.500002'),
        rec('035420', 3, '22.100001'),
        rec('035420', 1, '13.100001'),
        rec('051910', 1, '54.200002'),
        rec('035420', 2, '12.300003'),
      ),
    );
    assert.deepEqual(ids(r), ['#training 1', '']);
    assert.deepEqual(pts(r.runs[1], 'train/loss'), { step: [1, 2], value: [54.200002, 12.300003] });
  });
});
