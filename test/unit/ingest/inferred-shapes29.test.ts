/**
 * The general reader on logs dressed the way real setups print them (issue 14, the metamorphic check
 * `test/fixtures/real/dress.mjs`) and on the dev misses left after hold-out 23's round: synthetic lines, small enough
 * that the expected values are written by hand. Each case failed before its fix.
 */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';

import { parse, one, pts, lines } from './inferCase';
import { stripEscapes } from '../../../src/ingest/readers/inferred';
import { LogFile } from '../../../src/ingest/incremental';
import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const E = '\x1b';
/** Each whole line in colour, as rich, colorlog or loguru's colorize print it to a captured console. */
const colour = (text: string, code = '32') =>
  text
    .split('\n')
    .map((l) => (l.length ? `${E}[${code}m${l}${E}[0m` : l))
    .join('\n');

describe('lines coloured whole are read as the text on screen', () => {
  /** A words-only header over rows of bare numbers (a metrics table printed by hand). */
  const table = () => {
    const rows = ['epoch   train_loss   val_loss   lr'];
    for (let e = 1; e <= 6; e++) rows.push(`${e}   ${(2 - e / 8).toFixed(4)}   ${(2.2 - e / 10).toFixed(4)}   0.001`);
    return lines(...rows);
  };
  for (const code of ['32', '1;34', '38;5;208'])
    test(`a header over bare-number rows, every line in \\x1b[${code}m: the header names the columns`, async () => {
      const plain = pts(one(await parse(table())), 'train/loss');
      for (const text of [colour(table(), code), Buffer.from(colour(table(), code))]) {
        const s = pts(one(await parse(text)), 'train/loss');
        assert.deepEqual(s, plain);
        assert.equal(s.value.length, 6);
        assert.equal(s.value[5], 1.25);
      }
    });

  /** A pair printed as a tuple after its key (`loss: (epoch, value)`), one line an epoch. */
  const tuples = () => lines(...[5.5, 4.25, 4.5, 3.75, 3.125, 2.5].map((v, e) => `loss: (${e}, ${v})`));
  /** Epoch blocks under a rule holding the epoch (`-----3------`), one metric a line. */
  const blocks = () => {
    const rows: string[] = [];
    for (let e = 0; e < 5; e++)
      rows.push(`-----${e}------`, `train loss: ${2 - e / 4}`, `train acc: 0.${e + 3}`, `test loss: ${3 - e / 8}`);
    return lines(...rows);
  };
  /** A table whose header and rows carry a logger prefix, its header once above the rows. */
  const prefixedTable = () => {
    const rows = ['2026-02-01 10:00:00 [INFO]:    Epoch    Batch    box    cls    total'];
    for (let k = 0; k < 6; k++)
      rows.push(
        `2026-02-01 10:0${k}:30 [INFO]:    ${Math.floor(k / 3)}/9    ${(k % 3) * 10}/30    0.${9 - k}    1.${k}    ${20 - k}.5`,
      );
    return lines(...rows);
  };
  for (const [name, make, key, n, last] of [
    ['a tuple after its key (`loss: (3, 1.25)`)', tuples, 'train/loss', 6, 2.5],
    ['epoch blocks under a `-----3------` rule', blocks, 'train/loss', 5, 1],
    ['a prefixed table under a prefixed header', prefixedTable, 'train/loss', 6, 15.5],
  ] as const)
    test(`${name}: coloured whole, the same series as plain`, async () => {
      const plain = pts(one(await parse(make())), key);
      assert.equal(plain.value.length, n);
      assert.equal(plain.value[n - 1], last);
      for (const text of [colour(make()), Buffer.from(colour(make(), '1;34'))])
        assert.deepEqual(pts(one(await parse(text)), key), plain);
    });

  test('the byte path and the string path agree on coloured lines, also with colour inside a line', async () => {
    const rows: string[] = [];
    for (let k = 1; k <= 8; k++)
      rows.push(
        k % 2
          ? `${E}[36mstep ${k * 10}${E}[0m | ${E}[1mloss${E}[0m ${(3 - k / 10).toFixed(3)} | lr 1e-4`
          : `step ${k * 10} | loss ${(3 - k / 10).toFixed(3)} | lr 1e-4`,
      );
    const text = lines(...rows);
    const a = pts(one(await parse(text)), 'train/loss');
    const b = pts(one(await parse(Buffer.from(text))), 'train/loss');
    assert.deepEqual(a, b);
    assert.deepEqual(a.step, [10, 20, 30, 40, 50, 60, 70, 80]);
    assert.equal(a.value[7], 2.2);
  });

  test('stripEscapes removes colour codes, keeps a cursor-up and a lone ESC, and says when nothing was removed', () => {
    const run = (s: string) => {
      const b = Buffer.from(s, 'utf8');
      const out = new Uint8Array(b.length + 1);
      const n = stripEscapes(b, b.indexOf(27), 0, b.length, out);
      return n < 0 ? null : Buffer.from(out.subarray(0, n)).toString('utf8');
    };
    assert.equal(run(`${E}[32mloss 1.5${E}[0m`), 'loss 1.5');
    assert.equal(run(`a ${E}[38;5;208mb${E}[K c`), 'a b c');
    assert.equal(run(`bar 3/10${E}[A${E}[1mloss 2`), `bar 3/10${E}[Aloss 2`);
    assert.equal(run(`bar 3/10${E}[2A loss 2`), null);
    assert.equal(run(`x ${E} y ${E}[12`), null);
    // a progress bar drawn in colour is left to the tokenizer as it is
    assert.equal(run(`loss 0.5${E}[38;5;237m\u2501\u2501${E}[0m 3/10`), null);
  });
});

describe("the file's last record cut off without a line feed", () => {
  /** Records of one print, then the last one cut off after `cut` characters (no line feed). */
  const log = (cutTo: (full: string) => string) => {
    const rows: string[] = [];
    const rec = (k: number) =>
      `Epoch 1 Batch ${k * 10} train_loss ${(2.5 - k / 100).toFixed(4)} train_acc 0.${k} valid_loss 2.75 valid_acc 0.1 `;
    for (let k = 1; k <= 8; k++) rows.push(`step ${k * 10 - 1}`, rec(k));
    return rows.join('\n') + '\n' + cutTo(rec(9));
  };
  /** Cut after the loss and the first letters of the next key. */
  const afterLoss = (full: string) => full.slice(0, full.indexOf('train_acc') + 5);

  test('a one-shot parse reads the fields the cut record holds whole: the loss, not the fields never written', async () => {
    for (const text of [log(afterLoss), Buffer.from(log(afterLoss))]) {
      const run = one(await parse(text));
      const s = pts(run, 'train/loss');
      assert.equal(s.value.length, 9);
      assert.equal(s.value[8], 2.41);
      assert.equal(s.step[8], 90);
      // the validation loss was never written for that record: no point, no NaN
      const v = pts(run, 'val/loss');
      assert.equal(v.value.length, 8);
      assert.ok(v.value.every((x) => x === 2.75));
    }
  });

  test('a number that ends the cut line may have lost digits: it is not read', async () => {
    const run = one(await parse(log((full) => full.slice(0, full.indexOf('train_loss') + 14))));
    assert.equal(pts(run, 'train/loss').value.length, 8);
    // nor when NUL padding follows it (a crashed writer's last block)
    const nul = '\0'.repeat(64);
    const padded = one(await parse(Buffer.from(log((full) => full.slice(0, full.indexOf('train_loss') + 14) + nul))));
    assert.equal(pts(padded, 'train/loss').value.length, 8);
  });

  test('NUL padding after the cut record: the record is read as without it', async () => {
    const run = one(await parse(Buffer.from(log((full) => afterLoss(full) + '\0'.repeat(4096)))));
    assert.equal(pts(run, 'train/loss').value.length, 9);
    assert.equal(pts(run, 'train/loss').value[8], 2.41);
  });

  test('a cut line that is not the record above begun (other words) adds nothing', async () => {
    const run = one(await parse(log(() => 'Epoch 1 Batch 90 lr 0.001 train')));
    assert.equal(pts(run, 'train/loss').value.length, 8);
  });

  test('a growing file: the unterminated line waits for its line feed, then reads whole', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sl-cut-'));
    try {
      const p = join(dir, 'train.log');
      const full = log((r) => r + '\n');
      const partial = log(afterLoss);
      writeFileSync(p, partial);
      const lf = new LogFile(p, { sidecars: false });
      await lf.poll();
      await lf.poll();
      // not yet: the line may still grow (the file is being written)
      assert.equal(pts(one(lf.result()), 'train/loss').value.length, 8);
      appendFileSync(p, full.slice(partial.length));
      await lf.poll();
      const run = one(lf.result());
      assert.equal(pts(run, 'train/loss').value.length, 9);
      assert.equal(pts(run, 'val/loss').value.length, 9);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('an evaluation announced by words behind a logger prefix', () => {
  /** Each epoch: `checking on the test set in eval mode`, the evaluation's record, the training's (one print). */
  const log = (prefix: (i: number) => string) => {
    const rows: string[] = [];
    for (let e = 0; e < 6; e++)
      rows.push(
        'checking on the test set in eval mode...',
        `epoch: ${e}, loss is: ${5 - e / 4}`,
        `epoch: ${e}, loss is: ${(3 - e / 2).toFixed(3)}`,
      );
    return lines(...rows.map((l, i) => prefix(i) + l));
  };
  const stamp = (i: number) => `2026-03-01 10:${String(10 + i).padStart(2, '0')}:07,${100 + i} - INFO - `;
  test('the prefixed announcement keeps the evaluation record out of the training loss, as bare', async () => {
    const bare = one(await parse(log(() => '')));
    const a = pts(bare, 'train/loss');
    assert.deepEqual(a.value, [3, 2.5, 2, 1.5, 1, 0.5]);
    for (const pre of [stamp, (i: number) => `I0301 10:00:${String(i).padStart(2, '0')}.123456  4242 run.py:7] `]) {
      const run = one(await parse(log(pre)));
      assert.deepEqual(pts(run, 'train/loss').value, a.value);
    }
  });
});

describe('a table header behind a logger prefix without numbers', () => {
  /** Per epoch: the header, then one line of a bar's redraws after `\r` (torchrun's tag only before the first). */
  const log = (pre: string) => {
    const rows: string[] = [];
    for (let e = 0; e < 4; e++) {
      rows.push(`${pre}      Epoch    gpu_mem   box_loss   cls_loss  Instances       Size`);
      const segs = [pre];
      for (let k = 0; k <= 3; k++)
        segs.push(
          `        ${e}/9     2.5G     ${(2 - e / 4 - k / 40).toFixed(3)}     1.${e}${k}         30        640: ${k * 30}%|###  | ${k}/3 00:0${k}`,
        );
      rows.push(segs.join('\r'));
    }
    return lines(...rows);
  };
  test('`[rank0]: ` before the header: its words name the rows redrawn below it, as bare', async () => {
    const bare = one(await parse(log('')));
    const a = pts(bare, 'box_loss');
    assert.equal(a.value.length, 4);
    assert.equal(a.value[3], 1.175);
    assert.deepEqual(pts(one(await parse(Buffer.from(log('[rank0]: ')))), 'box_loss'), a);
  });
});
