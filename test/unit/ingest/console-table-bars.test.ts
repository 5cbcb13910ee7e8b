/**
 * A console table whose rows are drawn before a tqdm progress bar (Ultralytics YOLOv8+: the header `Epoch  GPU_mem
 * box_loss cls_loss dfl_loss  Instances  Size` printed before each epoch, then the row `3/100  2.29G  1.018 …  640:
 * 45%|████ | 642/1426 [02:13<…]` redrawn as the epoch runs), as a plain console keeps it and as W&B's `output.log`
 * keeps it (hold-out 13): the header far above the rows, or directly above only some of them; several draws per
 * epoch; per-class results at the end with as many columns. Synthetic lines, the expected series written by hand.
 */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { parse, one, pts, lines } from './inferCase';

const HEADER = '      Epoch    GPU_mem   box_loss   cls_loss   dfl_loss  Instances       Size';
const cell = (x: string | number) => String(x).padStart(11);
/** One draw of epoch `e`'s row at batch `i` of `n`, its losses given. */
const row = (e: number, epochs: number, box: number, cls: number, dfl: number, inst: number, i: number, n: number) => {
  const pct = Math.floor((100 * i) / n);
  const bar = '█'.repeat(Math.floor(pct / 10)).padEnd(10);
  return `${cell(`${e}/${epochs}`)}${cell('2.29G')}${cell(box)}${cell(cls)}${cell(dfl)}${cell(inst)}${cell(640)}: ${String(pct).padStart(3)}%|${bar}| ${i}/${n} [00:31<00:00,  7.90it/s]`;
};
const VAL =
  '                 Class     Images  Instances      Box(P          R      mAP50  mAP50-95): 100%|██████████| 246/246 [00:31<00:00,  7.93it/s]';
const ALL = (e: number) =>
  `                   all       7866       9060      0.${700 + e}      0.879      0.731      0.555`;
const box = (e: number) => Number((1.5 - e / 10).toFixed(4));

describe('a console table drawn before a progress bar (Ultralytics YOLO)', () => {
  test('a row with a tqdm bar directly under its header is named by the header, not as a header-less results.txt', async () => {
    // 16 numbers, as many as YOLOv5's results.txt row has: only a row of bare numbers is that layout
    for (const dfl of [0, 0.9852]) {
      const text = lines(
        'Starting training for 3 epochs...',
        ...[1, 2, 3].flatMap((e) => [HEADER, row(e, 3, box(e), 2.1, dfl, 120 + e * 7, 1426, 1426), VAL, ALL(e)]),
      );
      const run = one(await parse(text));
      assert.deepEqual(pts(run, 'box_loss'), { step: [1, 2, 3], value: [box(1), box(2), box(3)] });
      assert.equal(run.metrics['train/loss'], undefined, Object.keys(run.metrics).join(', '));
    }
  });

  test('the header printed far above the rows (W&B keeps the bar draws apart) still names them', async () => {
    for (const gap of [['100 epochs completed in 19.4 hours.'], ['Validating best.pt...', 'Speed: 0.1ms']]) {
      const text = lines(
        'Starting training for 3 epochs...',
        ...[1, 2, 3].flatMap((e) => [HEADER, ALL(e)]),
        ...gap,
        ...[1, 2, 3].flatMap((e) => [row(e, 3, box(e), 2.1, 0, 90 + ((e * 37) % 50), 6019, 6019), VAL]),
      );
      const run = one(await parse(text));
      // one draw per epoch: the epoch is the step, the `Instances` count is no counter within it
      assert.deepEqual(pts(run, 'box_loss'), { step: [1, 2, 3], value: [box(1), box(2), box(3)] });
    }
  });

  test('the header directly above only a later row names the rows before it too', async () => {
    for (const first of [1, 2]) {
      const epochs = [1, 2, 3, 4];
      const text = lines(
        'Starting training for 4 epochs...',
        ...epochs.flatMap((e) => [
          ...(e > first ? [HEADER] : []),
          row(e, 4, box(e), 2.1, 0.9, 20 + e, 1426, 1426),
          VAL,
          ALL(e),
        ]),
      );
      const run = one(await parse(text));
      assert.deepEqual(pts(run, 'box_loss').value, epochs.map(box));
    }
  });

  test('several draws per epoch are one point per epoch, its last draw', async () => {
    for (const draws of [
      [2, 700, 1426],
      [100, 1426],
    ]) {
      const text = lines(
        'Starting training for 3 epochs...',
        ...[1, 2, 3].flatMap((e) => [
          HEADER,
          ...draws.map((i) => row(e, 3, i === 1426 ? box(e) : box(e) + 0.05, 2.1, 0.9, 25 + (i % 7), i, 1426)),
          VAL,
          ALL(e),
        ]),
      );
      const run = one(await parse(text));
      assert.deepEqual(pts(run, 'box_loss'), { step: [1, 2, 3], value: [box(1), box(2), box(3)] });
    }
  });

  test('per-class results with as many columns, not under the header’s columns, are not its rows', async () => {
    for (const classes of [
      ['2c', '3c', '4c'],
      ['7h', '8h', '9h'],
    ]) {
      const text = lines(
        'Starting training for 3 epochs...',
        ...[1, 2, 3].flatMap((e) => [HEADER, ALL(e)]),
        ...[1, 2, 3].map((e) => row(e, 3, box(e), 2.1, 0.9, 30 + e, 1426, 1426)),
        ...classes.map(
          (c, k) =>
            `${c.padStart(22)}${cell(150 + k)}${cell(170 + k)}${cell(0.7)}${cell(0.95)}${cell(0.8)}${cell(0.6)}`,
        ),
      );
      const run = one(await parse(text));
      assert.deepEqual(pts(run, 'box_loss'), { step: [1, 2, 3], value: [box(1), box(2), box(3)] });
      // (nor a series of their own under the header's names: their first cell is a class, not an epoch)
      const named = Object.keys(run.metrics).filter((k) => k.startsWith('box_loss'));
      assert.deepEqual(named, ['box_loss']);
    }
  });
});
