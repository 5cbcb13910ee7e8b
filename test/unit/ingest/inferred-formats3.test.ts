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

describe('a progress bar drawn once per pass of a loop that prints no number of its own', () => {
  // tqdm's rate is written `1.00it/s` or `1.00s/it` by the speed: both spellings in each pass
  const rate = (n: number) => (n % 3 ? '1.05it/s' : '1.10s/it');
  const bar = (desc: string, n: number, total: number, post: string) =>
    meter(desc, n, total, post).replace('1.00s/it', rate(n));
  const loss = (pass: number, n: number) => Number((3 - pass * 0.5 - n * 0.01).toFixed(2));

  test('three tqdm bars of 12 (a new bar per epoch, `\\n` after each): 36 points, the epochs laid end to end', async () => {
    let text = 'Loaded 1200 training samples\n';
    const want: number[] = [];
    for (let e = 0; e < 3; e++) {
      const draws = [bar('', 0, 12, '')];
      for (let n = 1; n <= 12; n++) {
        draws.push(bar('', n, 12, `loss=${loss(e, n)}`));
        want.push(loss(e, n));
      }
      text += draws.join('\r') + '\n';
    }
    text += 'Training finished.\n';
    const s = pts(one(await parse(text)), 'train/loss');
    assert.deepEqual(s.value, want);
    assert.deepEqual(
      s.step,
      Array.from({ length: 36 }, (_, i) => i + 1),
    );
  });

  test('described bars (`Training:`), a postfix `batch_loss` set before the first update, a print between passes', async () => {
    let text = '';
    const want: number[] = [];
    for (let e = 0; e < 4; e++) {
      // set_postfix before update(1): the 0 draw carries a loss (the same as the 1 draw's first)
      const draws = [bar('Training: ', 0, 10, ''), bar('Training: ', 0, 10, `batch_loss=${loss(e, 1)}`)];
      for (let n = 1; n <= 10; n++) draws.push(bar('Training: ', n, 10, `batch_loss=${loss(e, n)}`));
      for (let n = 0; n <= 10; n++) want.push(loss(e, Math.max(n, 1)));
      text += draws.join('\r') + '\n' + `mean of the pass: ${loss(e, 5)}\n`;
    }
    const s = pts(one(await parse(text)), 'batch_loss');
    // 11 draws a pass (0 to 10): steps 0…43, no step written twice
    assert.equal(s.value.length, 44);
    assert.deepEqual(s.value, want);
    assert.deepEqual(
      s.step,
      Array.from({ length: 44 }, (_, i) => i),
    );
  });
});

test('a bar that goes back before reaching its total (a crash, then a relaunch) stays a restart: last write per step', async () => {
  const first = [1, 2, 3, 4, 5, 6, 7].map((n) => meter('', n, 12, `loss=${(3 - n * 0.1).toFixed(2)}`));
  const second = Array.from({ length: 12 }, (_, i) => meter('', i + 1, 12, `loss=${(2 - (i + 1) * 0.1).toFixed(2)}`));
  const text = first.join('\r') + '\nTraceback (most recent call last):\n' + second.join('\r') + '\n';
  const s = pts(one(await parse(text)), 'train/loss');
  assert.deepEqual(
    s.step,
    Array.from({ length: 12 }, (_, i) => i + 1),
  );
  assert.deepEqual(
    s.value,
    Array.from({ length: 12 }, (_, i) => Number((2 - (i + 1) * 0.1).toFixed(2))),
  );
});

describe('a cross-entropy called an error or a cost is the training loss', () => {
  const vals = [5.21, 5.1, 4.87, 4.5, 4.31, 4.02];
  test('`Iteration 50 ; NLL err = 5.1`', async () => {
    const text = vals.map((v, i) => `Iteration ${i * 50} ; NLL err = ${v} `).join('\n') + '\n';
    const s = pts(one(await parse(text)), 'train/loss');
    assert.deepEqual(s.value, vals);
    assert.deepEqual(s.step, [0, 50, 100, 150, 200, 250]);
  });
  test('`step: 100 | Train NLL cost: 2.3 | lr: 0.001`, behind a timestamp', async () => {
    const text =
      vals
        .map((v, i) => `2026-03-01 10:00:0${i} step: ${(i + 1) * 100} | Train NLL cost: ${v} | lr: 0.001`)
        .join('\n') + '\n';
    const s = pts(one(await parse(text)), 'train/loss');
    assert.deepEqual(s.value, vals);
    assert.deepEqual(s.step, [100, 200, 300, 400, 500, 600]);
  });
});

describe('a long key keeps its loss word and the split word that qualifies it', () => {
  const tr = [3.64, 3.1, 2.75, 2.5, 2.31];
  const va = [3.96, 3.5, 3.2, 3.05, 2.99];
  test('`LOSS OVER EPOCHS: … ACCURACY OVER EPOCHS: … VAL ACCURACY OVER EPOCHS: … VAL LOSS OVER EPOCHS: …`', async () => {
    const text =
      tr
        .map(
          (v, i) =>
            `2024-03-01 10:00:0${i},651 - INFO - LOSS OVER EPOCHS: ${v} ACCURACY OVER EPOCHS: 0.${i + 1} VAL ACCURACY OVER EPOCHS: 0.${i + 2} VAL LOSS OVER EPOCHS: ${va[i]}`,
        )
        .join('\n') + '\n';
    const run = one(await parse(text));
    assert.deepEqual(pts(run, 'LOSS OVER EPOCHS').value, tr);
    assert.deepEqual(pts(run, 'VAL LOSS OVER EPOCHS').value, va);
  });
  test('`Epoch 3 - TRAIN LOSS PER SAMPLE: … - TEST LOSS PER SAMPLE: …`', async () => {
    const text =
      tr.map((v, i) => `Epoch ${i + 1} - TRAIN LOSS PER SAMPLE: ${v} - TEST LOSS PER SAMPLE: ${va[i]}`).join('\n') +
      '\n';
    const run = one(await parse(text));
    assert.deepEqual(pts(run, 'TRAIN LOSS PER SAMPLE').value, tr);
    assert.deepEqual(pts(run, 'TEST LOSS PER SAMPLE').value, va);
    assert.deepEqual(pts(run, 'TEST LOSS PER SAMPLE').step, [1, 2, 3, 4, 5]);
  });
});

describe('a bar whose cells are still empty is the same template as the bar drawn further on', () => {
  const loss = (e: number, n: number) => Number((4 - e * 0.5 - n * 0.01).toFixed(2));
  test('tqdm bars described `Epoch:E:`, redrawn with `\\r`: the first draw (`1/12`, no cell filled) is a point too', async () => {
    let text = 'Loaded 40230 training samples\n';
    const want: number[] = [];
    for (let e = 0; e < 3; e++) {
      const draws = [meter(`Epoch:${e}: `, 0, 12, '')];
      for (let n = 1; n <= 12; n++) {
        draws.push(meter(`Epoch:${e}: `, n, 12, `loss=${loss(e, n)}, mem=9${n}MB`));
        want.push(loss(e, n));
      }
      text += draws.join('\r') + '\n';
    }
    const s = pts(one(await parse(text)), 'train/loss');
    assert.deepEqual(s.value, want);
    assert.deepEqual(
      s.step,
      Array.from({ length: 36 }, (_, i) => i + 1),
    );
  });
  test('a bar printed a line per update (`Epoch 2:   5%|   | 1/20 [… loss=…]`): 20 points an epoch', async () => {
    const lines: string[] = [];
    const want: number[] = [];
    for (let e = 0; e < 2; e++)
      for (let n = 1; n <= 20; n++) {
        lines.push(meter(`Epoch ${e}: `, n, 20, `loss=${loss(e, n)}, v_num=0`));
        want.push(loss(e, n));
      }
    const s = pts(one(await parse(lines.join('\n') + '\n')), 'train/loss');
    assert.deepEqual(s.value, want);
    assert.deepEqual(
      s.step,
      Array.from({ length: 40 }, (_, i) => i + 1),
    );
  });
});

describe('a measure standing alone before values keyed by split words names them', () => {
  const tr = [2.58, 2.61, 2.55, 2.5, 2.47];
  const va = [2.81, 2.85, 2.79, 2.74, 2.7];
  test('`Predictor MSE | train 2.58 | val 2.81 | test 2.81`, one line per epoch (no counter): record order', async () => {
    const text = tr.map((v, i) => `Predictor MSE | train ${v} | val ${va[i]} | test ${va[i]}`).join('\n') + '\n';
    const run = one(await parse(text));
    assert.deepEqual(pts(run, 'train/loss').value, tr);
    assert.deepEqual(pts(run, 'train/loss').step, [1, 2, 3, 4, 5]);
  });
  test('`[fold 2] RMSE: train=0.51, valid=0.62`, behind a logger prefix', async () => {
    const text = tr.map((v, i) => `INFO:root:[fold 2] RMSE: train=${v}, valid=${va[i]}`).join('\n') + '\n';
    const run = one(await parse(text));
    assert.deepEqual(pts(run, 'train/loss').value, tr);
  });
});

describe('an article before a step word keeps it a step key', () => {
  const loss = [1.9, 1.71, 1.52, 1.44, 1.3];
  test('`the step is:  12  --- training loss is:  1.9 --- time is: 0.31`', async () => {
    const text =
      loss
        .map((v, i) => `the step is:  ${(i + 1) * 12}  --- training loss is:  ${v} --- time is: 0.3${i}  `)
        .join('\n') + '\n';
    const s = pts(one(await parse(text)), 'train/loss');
    assert.deepEqual(s.value, loss);
    assert.deepEqual(s.step, [12, 24, 36, 48, 60]);
  });
  test('`The epoch = 3, train_loss = 1.9` behind a bracketed tag', async () => {
    const text = loss.map((v, i) => `[trainer] The epoch = ${i + 3}, train_loss = ${v}`).join('\n') + '\n';
    const s = pts(one(await parse(text)), 'train/loss');
    assert.deepEqual(s.value, loss);
    assert.deepEqual(s.step, [3, 4, 5, 6, 7]);
  });
});

describe('a line announcing a saved checkpoint is not a point of the training', () => {
  const g = [2.27, 2.58, 2.4, 2.31, 2.2];
  const d = [0.79, 1.69, 1.2, 1.1, 1.3];
  test('`Epoch 0 | G: 2.27 | D: 0.79` then `  → Saved best checkpoint (G loss: 2.99)`: the epoch record gives the loss', async () => {
    const text =
      g
        .map(
          (v, i) =>
            `Epoch ${String(i).padStart(4)} | G: ${v} | D: ${d[i]}\n  → Saved best checkpoint (G loss: 3.0${i})`,
        )
        .join('\n') + '\n';
    const s = pts(one(await parse(text)), 'train/loss');
    assert.deepEqual(s.value, g);
    assert.deepEqual(s.step, [0, 1, 2, 3, 4]);
  });
  test('`[3/5] mse: 0.52 | mae: 0.31` then `Best model saved to ckpt/best.pt (loss: 0.61)`', async () => {
    const text =
      g
        .map((v, i) => `[${i + 1}/5] mse: ${v} | mae: ${d[i]}\nBest model saved to ckpt/best.pt (loss: 0.6${i})`)
        .join('\n') + '\n';
    const s = pts(one(await parse(text)), 'train/loss');
    assert.deepEqual(s.value, g);
    assert.deepEqual(s.step, [1, 2, 3, 4, 5]);
  });
});
