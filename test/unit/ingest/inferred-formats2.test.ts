/**
 * The general reader on the failure classes found by the format corpus' second batch (test/fixtures/formats,
 * entries f167 on: displays drawn by tqdm, Keras and Lightning, and JAX/Julia/R loops), dev split only: synthetic
 * logs modelled on each class, small enough that the expected series is written by hand from the text (never
 * taken from the reader's output). Each case failed before its fix.
 */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';

import { parse, one, pts } from './inferCase';

/** A Keras progress bar of `w` cells at `cur` of `target` (TF2's Progbar: `=`… `>` then `.`…). */
function kbar(cur: number, target: number, w = 30): string {
  const n = Math.floor((w * cur) / target);
  const digits = String(target).length;
  const fill = n > 0 ? '='.repeat(n - 1) + (cur < target ? '>' : '=') : '';
  return `${String(cur).padStart(digits)}/${target} [${fill}${'.'.repeat(w - n)}]`;
}

describe('a progress display drafts the line that completes its loop', () => {
  // one epoch of TF2 Keras' model.fit(verbose=1): updates `\b…\r`-redrawn, the last one finalised with val_*
  const epoch = (e: number, of: number, steps: number, loss: number[], sep: 'redraw' | 'newline') => {
    let out = `Epoch ${e}/${of}\n`;
    let prev = 0;
    const draw = (s: string, last: boolean) => {
      out += sep === 'redraw' ? '\b'.repeat(prev) + '\r' + s : '\n' + s;
      prev = s.length;
      if (last) out += '\n';
    };
    for (let i = 0; i < steps; i++) {
      const cur = i + 1;
      draw(`${kbar(cur, steps)} - ETA: ${steps - cur}s - loss: ${loss[i].toFixed(4)} - accuracy: 0.${50 + i}`, false);
    }
    draw(
      `${kbar(steps, steps)} - 2s 40ms/step - loss: ${loss[steps - 1].toFixed(4)} - accuracy: 0.5${steps}00 - val_loss: 0.9000`,
      true,
    );
    return out;
  };
  // 40 steps, 30 bar cells: several updates share a bar drawing (`2/40 [>…` and `3/40 [>…`)
  const E1 = Array.from({ length: 40 }, (_, i) => 2 - i / 100);
  const E2 = Array.from({ length: 40 }, (_, i) => 1.5 - i / 100);
  const E3 = Array.from({ length: 40 }, (_, i) => 1.2 - i / 200);

  test('Keras `fit` redrawn with \\b…\\r: the epoch-end lines are the points (one per epoch), not the running means', async () => {
    const text = epoch(1, 3, 40, E1, 'redraw') + epoch(2, 3, 40, E2, 'redraw') + epoch(3, 3, 40, E3, 'redraw');
    const run = one(await parse(text));
    assert.deepEqual(pts(run, 'train/loss').value, [1.61, 1.11, 1.005]);
    assert.deepEqual(pts(run, 'train/loss').step, [1, 2, 3]);
  });

  test('standalone Keras writing each update on a new line (a file is no terminal): the same', async () => {
    const text =
      'Using TensorFlow backend.\n' +
      epoch(1, 3, 40, E1, 'newline') +
      epoch(2, 3, 40, E2, 'newline') +
      epoch(3, 3, 40, E3, 'newline');
    const run = one(await parse(text));
    assert.deepEqual(pts(run, 'train/loss').value, [1.61, 1.11, 1.005]);
    assert.deepEqual(pts(run, 'train/loss').step, [1, 2, 3]);
  });

  // Keras 3: `\x1b[1m12/40\x1b[0m \x1b[32m━━━━━━\x1b[0m\x1b[37m━━━━…\x1b[0m \x1b[1m5s\x1b[0m 40ms/step - loss: …`; the time left
  // has no key, the completed line carries val_* (sorted names: accuracy, loss, val_accuracy, val_loss)
  const k3epoch = (e: number, of: number, steps: number, loss: number[], ansi: boolean) => {
    const b = (s: string) => (ansi ? `\x1b[1m${s}\x1b[0m` : s);
    const bar = (cur: number) => {
      const w = Math.floor((20 * cur) / steps);
      return ansi
        ? (w ? `\x1b[32m${'━'.repeat(w)}\x1b[0m` : '') + `\x1b[37m${'━'.repeat(20 - w)}\x1b[0m`
        : '━'.repeat(20);
    };
    let out = `Epoch ${e}/${of}\n`;
    let prev = 0;
    const draw = (s: string, width: number, last: boolean) => {
      out += '\b'.repeat(prev) + '\r' + s + (last ? '\n' : '');
      prev = width;
    };
    for (let i = 0; i < steps; i++) {
      const cur = i + 1;
      const s = `${b(`${String(cur).padStart(2)}/${steps}`)} ${bar(cur)} ${b(`${steps - cur}s`)} 40ms/step - accuracy: 0.${50 + i} - loss: ${loss[i].toFixed(4)}`;
      draw(s, s.length, false);
    }
    const s = `${b(`${steps}/${steps}`)} ${bar(steps)} ${b('2s')} 40ms/step - accuracy: 0.${50 + steps} - loss: ${loss[steps - 1].toFixed(4)} - val_accuracy: 0.5000 - val_loss: 0.9000`;
    draw(s, s.length, true);
    return out;
  };

  test('Keras 3 (its ETA unkeyed, ANSI bold and colours): the lines completed with val_* are the points', async () => {
    const text = k3epoch(1, 3, 40, E1, true) + k3epoch(2, 3, 40, E2, true) + k3epoch(3, 3, 40, E3, true);
    const run = one(await parse(text));
    assert.deepEqual(pts(run, 'train/loss').value, [1.61, 1.11, 1.005]);
    assert.deepEqual(pts(run, 'train/loss').step, [1, 2, 3]);
  });

  test('the same display without colours (a log written with them turned off)', async () => {
    const text = k3epoch(1, 3, 40, E1, false) + k3epoch(2, 3, 40, E2, false) + k3epoch(3, 3, 40, E3, false);
    const run = one(await parse(text));
    assert.deepEqual(pts(run, 'train/loss').value, [1.61, 1.11, 1.005]);
    assert.deepEqual(pts(run, 'train/loss').step, [1, 2, 3]);
  });
});

describe('a line printed while a tqdm bar is on screen', () => {
  // tqdm draws `\r` + the meter and no newline: a print in the loop's body lands right after the meter
  const meter = (n: number, total: number, postfix = '') =>
    `\r${String(Math.round((100 * n) / total)).padStart(3)}%|${'█'.repeat(n)}${' '.repeat(total - n)}| ${n}/${total} [00:0${n}<00:0${total - n},  1.01s/it${postfix}]`;
  const losses = [0.9, 0.8, 0.7, 0.65, 0.6, 0.55];

  test('`…[00:04<00:06,  1.01s/it]loss: 0.7000 [ 320/640]`: the printed record starts after the meter', async () => {
    let text = '';
    for (let i = 0; i < 6; i++)
      text += meter(i, 6) + `loss: ${losses[i].toFixed(4)}  [${String(i * 64).padStart(4)}/ 384]\n`;
    const run = one(await parse(text + meter(6, 6) + '\n'));
    assert.deepEqual(pts(run, 'train/loss').value, losses);
    assert.deepEqual(pts(run, 'train/loss').step, [0, 64, 128, 192, 256, 320]);
  });

  test('a meter with a postfix (`…, 1.01s/it, lr=0.01]loss: 0.7000 [ 320/ 384]`) the same', async () => {
    let text = '';
    for (let i = 0; i < 6; i++)
      text += meter(i, 6, ', lr=0.01') + `loss: ${losses[i].toFixed(4)}  [${String(i * 64).padStart(4)}/ 384]\n`;
    const run = one(await parse(text + meter(6, 6, ', lr=0.01') + '\n'));
    assert.deepEqual(pts(run, 'train/loss').value, losses);
    assert.deepEqual(pts(run, 'train/loss').step, [0, 64, 128, 192, 256, 320]);
  });
});

describe('a logger prefix with `@` in its brackets', () => {
  // Python logging's `[%(module)15s @ %(asctime)s]: %(message)s`: the bracket is a prefix, not data
  const log = (stamp: (e: number, i: number) => string, head = 'Epoch') => {
    let text = '';
    for (let e = 1; e <= 3; e++) {
      text += `${stamp(e, 0)}${head} ${e}/3\n`;
      for (let i = 0; i < 4; i++)
        text += `${stamp(e, i + 1)}loss: ${(2 - e / 2 - i / 10).toFixed(4)}  [${i * 100}/400]\n`;
    }
    return text;
  };
  const want = [1.5, 1.4, 1.3, 1.2, 1, 0.9, 0.8, 0.7, 0.5, 0.4, 0.3, 0.2];

  test('`[     train_loop @ 2024/03/01 10:00:25.417]: loss: …` (slashes, a dot before the milliseconds): every epoch is kept', async () => {
    const run = one(
      await parse(log((e, i) => `[${'train_loop'.padStart(15)} @ 2024/03/01 10:0${e}:${10 + i}.${417 + i}]: `)),
    );
    assert.deepEqual(pts(run, 'train/loss').value, want);
  });

  test('`[train @ 2024-03-01 10:00:25,123] ` (a date and milliseconds): the same', async () => {
    const run = one(await parse(log((e, i) => `[train @ 2024-03-01 10:0${e}:${10 + i},${100 + i}] `)));
    assert.deepEqual(pts(run, 'train/loss').value, want);
  });
});
