/**
 * The general reader on real logs it still read wrong after hold-out 21 (issue 14), second round: synthetic lines
 * modelled on each class, small enough that the expected values are written by hand. Each case failed before its fix.
 */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';

import { parse, one, pts, lines } from './inferCase';

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

describe('a file of attempts whose record text changed between two of them (`step 0, loss: 10.9` then `step 0, loss: 10.8, norm: 0.7`)', () => {
  test('a record that already went back to its first step is a file of attempts: one run, last write per step', async () => {
    const r = await parse(
      lines(
        'step 0, loss: 10.90',
        'step 1, loss: 9.50',
        'step 2, loss: 8.10',
        'step 0, loss: 10.85',
        'step 1, loss: 9.45',
        'step 2, loss: 8.05',
        'step 0, loss: 10.80, norm: 0.69, time: 120.5 ms',
        'step 1, loss: 9.40, norm: 0.71, time: 110.2 ms',
        'step 2, loss: 8.00, norm: 0.66, time: 111.0 ms',
        'step 3, loss: 7.10, norm: 0.61, time: 90.2 ms',
      ),
    );
    const run = one(r);
    assert.deepEqual(pts(run, 'train/loss'), { step: [0, 1, 2, 3], value: [10.8, 9.4, 8.0, 7.1] });
  });
  test('each training printed once by another record text (a loop over models) is still a run of its own', async () => {
    const r = await parse(
      lines(
        'Epoch 1, Loss 2.50, Time 10s',
        'Epoch 2, Loss 2.10, Time 10s',
        'Epoch 3, Loss 1.90, Time 10s',
        'Epoch 1, Loss 2.40, Time 12s, Speed 1200 tok/s',
        'Epoch 2, Loss 2.00, Time 12s, Speed 1210 tok/s',
      ),
    );
    assert.equal(r.runs.length, 2);
    assert.deepEqual(pts(r.runs[1], 'train/loss'), { step: [1, 2], value: [2.4, 2.0] });
  });
  test('the same keys with another word in the record (a loop over models) are still trainings of their own', async () => {
    const rec = (cfg: string, s: number, loss: string) =>
      `Config: {'filter_config': '${cfg}'}, step ${s}, loss: ${loss}`;
    const r = await parse(
      lines(
        rec('wide', 0, '10.90'),
        rec('wide', 1, '9.50'),
        rec('wide', 2, '8.10'),
        rec('large', 0, '10.80'),
        rec('large', 1, '9.40'),
      ),
    );
    assert.equal(r.runs.length, 2);
    assert.deepEqual(pts(r.runs[1], 'train/loss'), { step: [0, 1], value: [10.8, 9.4] });
  });
});
