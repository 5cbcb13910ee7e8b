/**
 * The general reader on hold-out 14's step-axis and multi-training misses (issue 14): synthetic lines modelled on each
 * class, in at least two variants that differ in keys or separators (a rule must hold for the structure, not for one
 * file), small enough that the expected values are written by hand from the text. Each case failed before its fix.
 */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';

import { parse, one, pts, lines } from './inferCase';

describe('a keyed `N/M` counter logged at the same place every epoch is placed in its epoch', () => {
  test('`[train] epoch:E iter:0/18 … loss:…` once per epoch: step = epoch × 18 + 0', async () => {
    const row = (e: number, loss: string) => `[train] epoch:${e} iter:0/18 0.00% lr:0.001000 loss:${loss} ETA:0.0min`;
    const text = lines(row(0, '1.2'), '[val] epoch:0 miou:0.20', row(1, '0.9'), row(2, '0.8'), row(3, '0.7'));
    const run = one(await parse(text, 'train_log.txt'));
    assert.deepEqual(pts(run, 'train/loss'), { step: [0, 18, 36, 54], value: [1.2, 0.9, 0.8, 0.7] });
  });
  test('`Epoch 1 step 5/40 loss=…` at step 5 of every epoch (epochs from 1): step = (epoch − 1) × 40 + 5', async () => {
    const row = (e: number, loss: string) => `Epoch ${e} step 5/40 loss=${loss}`;
    const text = lines(row(1, '2.5'), row(2, '2.0'), row(3, '1.5'), row(4, '1.25'));
    const run = one(await parse(text, 'log.txt'));
    assert.deepEqual(pts(run, 'train/loss'), { step: [5, 45, 85, 125], value: [2.5, 2, 1.5, 1.25] });
  });
});

describe('a line saying the training finished, in another language than English, ends a training', () => {
  const ids = (r: { runs: { id: string }[] }) => r.runs.map((run) => run.id.replace('/tmp/x.log', ''));
  for (const [lang, done] of [
    ['Indonesian', 'Training selesai.'],
    ['German', 'Training abgeschlossen'],
    ['Spanish', 'Entrenamiento completado'],
  ]) {
    test(`${lang} \`${done}\` then epochs from the start again: two runs, each with its own points`, async () => {
      const row = (e: number, loss: string) => `Epoch 0${e} | Train Loss: ${loss} | Val Loss: 0.5`;
      const r = await parse(
        lines('Training started...', row(1, '2.0'), row(2, '1.5'), row(3, '1.25'), done, row(1, '1.75'), row(2, '1.0')),
      );
      assert.deepEqual(ids(r), ['#training 1', '']);
      assert.deepEqual(pts(r.runs[0], 'train/loss'), { step: [1, 2, 3], value: [2, 1.5, 1.25] });
      assert.deepEqual(pts(r.runs[1], 'train/loss'), { step: [1, 2], value: [1.75, 1] });
    });
  }
});

describe('two integers in a bracket separated by `|` are a counter and its total', () => {
  test('`Epoch:[ E | 19 ]    Batch:[ B | 250 ]    loss: …` every 100 batches: step = epoch × 250 + batch', async () => {
    const row = (e: number, n: number, loss: string) =>
      `Epoch:[ ${e} | 19 ]    Batch:[ ${String(n).padStart(3)} | 250 ]    loss_giou: 5.6838    loss: ${loss}    lr: 0.0001`;
    // epochs 0 and 1, batches 0, 100, 200 each; losses 9, 8, … 4 in record order
    const text = lines(...[0, 1].flatMap((e) => [0, 100, 200].map((n, i) => row(e, n, String(9 - 3 * e - i)))));
    const run = one(await parse(text, 'nohup.log'));
    assert.deepEqual(pts(run, 'train/loss'), { step: [0, 100, 200, 250, 350, 450], value: [9, 8, 7, 6, 5, 4] });
  });
  test('unpadded `[3|40]` after an epoch key, logged every 10 steps from 10: step = (epoch − 1) × 40 + step', async () => {
    const row = (e: number, n: number, loss: string) => `epoch ${e} step [${n}|40] loss=${loss}`;
    const text = lines(row(1, 10, '3'), row(1, 20, '2.5'), row(1, 30, '2'), row(2, 10, '1.5'), row(2, 20, '1.25'));
    const run = one(await parse(text, 'train.log'));
    assert.deepEqual(pts(run, 'train/loss'), { step: [10, 20, 30, 50, 60], value: [3, 2.5, 2, 1.5, 1.25] });
  });
});

describe('a training that reaches the epochs a sentence above it states has finished', () => {
  const ids = (r: { runs: { id: string }[] }) => r.runs.map((run) => run.id.replace('/tmp/x.log', ''));
  test('`Training linear probe (3 epochs, head only)...` then epochs 1–3, a new experiment from epoch 1: two runs', async () => {
    const row = (e: number, loss: string) => `  Epoch ${e}: loss=${loss}  train_acc=0.655`;
    const r = await parse(
      lines(
        '=== EXPERIMENT A ===',
        'Training linear probe (3 epochs, head only)...',
        row(1, '2.0'),
        row(2, '1.5'),
        row(3, '1.25'),
        'Kappa: 0.3786',
        '=== EXPERIMENT B ===',
        'Full fine-tuning (5 epochs, encoder + head)...',
        row(1, '1.75'),
        row(2, '1.0'),
      ),
    );
    assert.deepEqual(ids(r), ['#training 1', '']);
    assert.deepEqual(pts(r.runs[0], 'train/loss'), { step: [1, 2, 3], value: [2, 1.5, 1.25] });
    assert.deepEqual(pts(r.runs[1], 'train/loss'), { step: [1, 2], value: [1.75, 1] });
  });
  test('`Fine-tuning for 2 epochs` reached, then again from epoch 1: two runs; stopped short of it: one run, last write', async () => {
    const row = (e: number, loss: string) => `epoch ${e} | loss ${loss}`;
    const two = await parse(
      lines(
        'Fine-tuning for 2 epochs',
        row(1, '3'),
        row(2, '2'),
        'Fine-tuning for 2 epochs',
        row(1, '2.5'),
        row(2, '1.5'),
      ),
    );
    assert.deepEqual(ids(two), ['#training 1', '']);
    const short = one(
      await parse(
        lines('Fine-tuning for 3 epochs', row(1, '3'), row(2, '2'), 'Fine-tuning for 3 epochs', row(1, '2.5')),
      ),
    );
    assert.deepEqual(pts(short, 'train/loss'), { step: [1, 2], value: [2.5, 2] });
  });
});
