/**
 * The general reader on real logs it still read wrong after hold-out 22's round (issue 14): synthetic lines modelled
 * on each class, small enough that the expected values are written by hand. Each case failed before its fix.
 */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';

import { parse, one, pts, lines } from './inferCase';
import type { Run } from '../../../src/ingest/types';

/** One training: a start line, `Epoch e/E, Batch b/M, Loss: v` every `every` batches, an end line. */
function training(opts: {
  epochs: number;
  batches: number;
  every: number;
  base: number;
  end: string;
  upTo?: number;
}): string[] {
  const out = [
    '2024-03-01 09:00:00,100 - INFO - starting the model loop',
    '2024-03-01 09:00:00,200 - INFO - device: cuda',
  ];
  let v = opts.base;
  for (let e = 1; e <= (opts.upTo ?? opts.epochs); e++) {
    for (let b = 0; b < opts.batches; b += opts.every) {
      v = Math.round((v - 0.01) * 1000) / 1000;
      out.push(`2024-03-01 09:00:01,000 - INFO - Epoch ${e}/${opts.epochs}, Batch ${b}/${opts.batches}, Loss: ${v}`);
    }
  }
  out.push(`2024-03-01 09:00:02,000 - INFO - ${opts.end}`);
  return out;
}

const byId = (runs: Run[]) => runs.map((r) => pts(r, 'train/loss'));

describe('an inner counter that stays the same where the epoch goes up restarted there', () => {
  test('a training of 25 batches logged every 10, then one of 2 batches logged once an epoch: epoch-composed', async () => {
    const r = await parse(
      lines(
        ...training({ epochs: 3, batches: 25, every: 10, base: 5, end: 'Training complete!' }),
        ...training({ epochs: 4, batches: 2, every: 2, base: 3, end: 'Training complete!' }),
      ),
    );
    // without the rule the step was the batch alone (0, 10, 20 then 0, 0, …): one run, the last write per batch
    const s = byId(r.runs);
    assert.equal(r.runs.length, 2, r.diagnostics.map((d) => d.message).join(' | '));
    assert.deepEqual(s[0].step, [0, 10, 20, 25, 35, 45, 50, 60, 70]);
    // the second training keyed by epoch × the largest batch total (25) + batch: 4 points, one an epoch
    assert.deepEqual(s[1].value, [2.99, 2.98, 2.97, 2.96]);
    assert.deepEqual(s[1].step, [0, 25, 50, 75]);
  });
});

describe('a training said finished in Chinese, Japanese or Korean ends that training', () => {
  for (const end of ['训练完成!', '训练已完成', '学習が完了しました', '학습 완료']) {
    test(`\`${end}\` after trainings stopped before their planned epochs, each started again from the first step: each its own run`, async () => {
      const r = await parse(
        lines(
          ...training({ epochs: 5, batches: 20, every: 10, base: 5, end, upTo: 2 }),
          ...training({ epochs: 5, batches: 20, every: 10, base: 4, end, upTo: 2 }),
          ...training({ epochs: 5, batches: 20, every: 10, base: 3, end, upTo: 2 }),
        ),
      );
      assert.equal(r.runs.length, 3, r.diagnostics.map((d) => d.message).join(' | '));
      const s = byId(r.runs);
      for (const x of s) assert.deepEqual(x.step, [0, 10, 20, 30]);
      assert.deepEqual(
        s.map((x) => x.value.at(-1)),
        [4.96, 3.96, 2.96],
      );
    });
  }
  test('a degree of completion (`训练完成度: 50%`) ends nothing: the attempts stay one run', async () => {
    const r = await parse(
      lines(
        ...training({ epochs: 5, batches: 20, every: 10, base: 5, end: '训练完成度: 40%', upTo: 2 }),
        ...training({ epochs: 5, batches: 20, every: 10, base: 4, end: '训练完成度: 40%', upTo: 2 }),
      ),
    );
    assert.equal(r.runs.length, 1);
  });
});

describe('a closing banner `Training ends` ends the training', () => {
  /** A search over configurations: each training opened and closed by a banner, its record every 50 epochs. */
  const search = (epochsOf: number[], stop?: number) =>
    epochsOf.flatMap((last, j) => [
      '=============== Training begins ===============',
      `Config: {'hidden': ${32 + 8 * j}, 'layers': ${1 + (j % 2)}, 'num_epochs': 500}`,
      ...(j === stop ? ['Interrupted!! ...saving the model at epoch:1'] : []),
      ...(j === stop
        ? []
        : Array.from({ length: Math.floor(last / 50) + 1 }, (_, i) => Math.max(1, i * 50)).map(
            (e, i) => `Epoch: ${e}/500, Train Loss:${(9 - j - i * 0.5).toFixed(3)}, Time:${i + 1}.5 secs`,
          )),
      `Stopped after 3 iterations below the threshold`,
      '=============== Training ends ===============',
      '',
    ]);
  test('three trainings stopped early at different epochs: three runs', async () => {
    const r = await parse(lines(...search([100, 150, 50])));
    assert.equal(r.runs.length, 3, r.diagnostics.map((d) => d.message).join(' | '));
    assert.deepEqual(
      r.runs.map((x) => pts(x, 'train/loss').step),
      [
        [1, 50, 100],
        [1, 50, 100, 150],
        [1, 50],
      ],
    );
  });
  test('trainings of one point each (stopped at epoch 1), one with none: each its own run', async () => {
    const r = await parse(lines(...search([0, 0, 0, 300], 1)));
    assert.equal(r.runs.length, 3, r.diagnostics.map((d) => d.message).join(' | '));
    assert.deepEqual(
      r.runs.map((x) => pts(x, 'train/loss').value),
      [[9], [7], [6, 5.5, 5, 4.5, 4, 3.5, 3]],
    );
  });
  test('`Training ends at epoch 500` (a plan) ends nothing: a relaunch stays an attempt of one run', async () => {
    const rec = (e: number, v: number) => `Epoch: ${e}/500, Train Loss:${v.toFixed(3)}`;
    const r = await parse(
      lines(
        'Training ends at epoch 500',
        rec(1, 9),
        rec(50, 8),
        rec(100, 7),
        'Training ends at epoch 500',
        rec(1, 6),
        rec(50, 5),
      ),
    );
    assert.equal(r.runs.length, 1);
  });
});

describe('a split word cut short with a period', () => {
  test('`Val. Loss` is the validation loss, not the training loss', async () => {
    const run = one(
      await parse(lines(...[1, 2, 3].map((e) => `Epoch: ${e}/9, Train Loss:${5 - e}.5, Val. Loss:${6 - e}.25`))),
    );
    assert.deepEqual(pts(run, 'train/loss').value, [4.5, 3.5, 2.5]);
    assert.deepEqual(pts(run, 'val/loss').value, [5.25, 4.25, 3.25]);
  });
  test('`Training MSE Loss` and `Val. MSE Loss`: two series, the validation one not named the training loss', async () => {
    const run = one(
      await parse(
        lines(...[1, 2, 3].map((e) => `Epoch: ${e}/9, Training MSE Loss:${5 - e}.5, Val. MSE Loss:${6 - e}.25`)),
      ),
    );
    assert.ok(!run.metrics['train/loss'] || pts(run, 'train/loss').value[0] === 4.5, Object.keys(run.metrics).join());
    assert.deepEqual(pts(run, 'Training MSE Loss').value, [4.5, 3.5, 2.5]);
    assert.deepEqual(pts(run, 'Val. MSE Loss').value, [5.25, 4.25, 3.25]);
  });
});

describe("a finished progress bar's loss beside the record line of the same step", () => {
  const bar = (e: number, v: string, key = 'loss') =>
    `Epoch ${e}/300: 100%|██████████| 12/12 [00:00<00:00, 150.20batch/s, ${key}=${v}]`;
  test('`… 12/12 [… loss=2.5]` then `epoch 1/300 - train loss: 4.25, …`, one more bar after the last record', async () => {
    const run = one(
      await parse(
        lines(
          ...(
            [
              [1, '2.5', '4.2500'],
              [2, '1.25', '1.7500'],
              [3, '0.875', '1.1250'],
            ] as const
          ).flatMap(([e, b, r]) => [
            bar(e, b),
            `epoch ${e}/300 - train loss: ${r}, validation loss: 0.6${e}00, time: 0.12s`,
          ]),
          bar(4, '0.5'),
          'early stopping: 3 epochs without improvement',
        ),
      ),
    );
    // before: one series of both, the record's values and the bar's last draw (4 points, last 0.5)
    assert.deepEqual(pts(run, 'train/loss'), { step: [1, 2, 3], value: [4.25, 1.75, 1.125] });
    assert.deepEqual(pts(run, 'loss').value, [2.5, 1.25, 0.875, 0.5]);
  });
  test('`Loss=` in the bar and `Training Loss:` on the record line: the record line is the loss', async () => {
    const run = one(
      await parse(
        lines(
          ...[1, 2, 3, 4].flatMap((e) => [
            bar(e, `${5 - e}.5`, 'Loss'),
            `Epoch ${e} | Training Loss: ${5 - e}.25 | Acc: 0.${e}`,
          ]),
        ),
      ),
    );
    assert.deepEqual(pts(run, 'train/loss').value, [4.25, 3.25, 2.25, 1.25]);
  });
});
