/**
 * The general reader on the shapes of hold-out 26's misses (issue 14, fix round 14): synthetic lines, small enough
 * that the expected values are written by hand. Each case failed before its fix.
 */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';

import { parse, one, pts, lines } from './inferCase';
import { stepRank } from '../../../src/ingest/infer/templates';

describe('a URL is one literal address, no values', () => {
  const rec = (s: number) =>
    `epoch ${Math.floor(s / 10)} step ${s}/30 lr=${(2e-4 - s * 5e-6).toExponential(2)} nll=${(0.9 - s / 40).toFixed(4)}`;
  test('`name:0` inside an address is no key (`…:train:0/…` read as a training loss of 0)', async () => {
    const out = ['rows: train=800 val=100'];
    for (let s = 0; s < 30; s++) {
      out.push(rec(s));
      if (s % 10 === 9) {
        const e = (s + 1) / 10 - 1;
        out.push(
          `epoch ${e} VAL nll=${(0.5 - e / 10).toFixed(4)}`,
          `sampler checkpoint: store://0a1b2c3d-4e5f-6789-abcd-ef0123456789:train:0/weights/epoch${e}`,
        );
      }
    }
    const run = one(await parse(lines(...out)));
    assert.equal(run.metrics['train/loss'].originalName, 'nll');
    assert.equal(pts(run, 'train/loss').value.length, 30);
    assert.equal(pts(run, 'train/loss').value[29], 0.175);
    assert.deepEqual(
      Object.keys(run.metrics).filter((k) => /column|weights|store/i.test(k)),
      [],
    );
  });
  test('lines that differ only in the address they name are one template (no fields in it)', async () => {
    const out: string[] = [];
    for (let s = 1; s <= 6; s++)
      out.push(`step ${s} loss ${(3 - s / 10).toFixed(2)}`, `upload to https://host.example/run7/step_${s}00 ok`);
    const run = one(await parse(lines(...out)));
    assert.deepEqual(pts(run, 'train/loss').step, [1, 2, 3, 4, 5, 6]);
    assert.deepEqual(Object.keys(run.metrics), ['train/loss']);
  });
});

describe('a word of amount before a plural step word is a count, not the step (`Total steps = 500`)', () => {
  test('stepRank: `total steps`, `num epochs` are no step keys; `total step` (a running counter) still is', () => {
    assert.equal(stepRank('total steps'), 0);
    assert.equal(stepRank('Num Epochs'), 0);
    assert.equal(stepRank('max iters'), 0);
    assert.ok(stepRank('total step') > 0);
    assert.ok(stepRank('global step') > 0);
  });
  test('a trainer banner with `Num Epochs = 3 | Total steps = 90` makes no one-point series; 90 is the plan', async () => {
    const text = lines(
      'FastTune 0.1: patched model',
      '  ##  /|   Num examples = 2,880 | Num Epochs = 3 | Total steps = 90',
      ' #  #      Batch size = 8 | Gradient accumulation steps = 4',
      'Step\tTraining Loss',
      ...Array.from({ length: 9 }, (_, i) => `${(i + 1) * 10}\t${(2.5 - i / 10).toFixed(6)}`),
    );
    const run = one(await parse(text));
    assert.deepEqual(Object.keys(run.metrics), ['train/loss']);
    assert.equal(pts(run, 'train/loss').step.at(-1), 90);
    assert.equal(run.meta.totalSteps?.value, 90);
  });
});

describe('the model size in a `Parameter counts:` table whose rows no parameter word marks', () => {
  test('indented `name : count` rows under the heading, then records without an `N/M` step', async () => {
    const text = lines(
      'Device: gpu0',
      'Parameter counts:',
      '  embed          : 1,048,576',
      '  blocks         : 6,291,456',
      '  head           : 1,048,576',
      '  total          : 8,388,608',
      'Tokens per step: 65,536',
      ...Array.from(
        { length: 5 },
        (_, i) => `step ${String(i).padStart(4, '0')} (${i * 20}.0%) | loss: ${(9 - i / 3).toFixed(4)} | dt: 310ms`,
      ),
    );
    const run = one(await parse(text));
    assert.equal(run.meta.params?.value, 8388608);
    assert.equal(pts(run, 'train/loss').value.length, 5);
  });
});

describe('a trainable count out of the model size without the parameter word (`trainable N of M`)', () => {
  const recs = Array.from({ length: 4 }, (_, i) => `epoch 0 | step ${i * 50}/200 | loss ${(3 - i / 5).toFixed(4)}`);
  test('`trainable 294,912 of 124,734,720` states the model size', async () => {
    const run = one(await parse(lines('900 examples | device cpu', 'trainable 294,912 of 124,734,720', ...recs)));
    assert.equal(run.meta.params?.value, 124734720);
  });
  test('a count of other things (`trainable 12 of 24 layers`) is none', async () => {
    const run = one(await parse(lines('trainable 12 of 24 layers', 'trainable 12,000 of 24,000 rows kept', ...recs)));
    assert.equal(run.meta.params, undefined);
  });
});

describe('an `N/M` step at the same place in every epoch but the last (a record every k epochs, then the end)', () => {
  test('composed with the epoch: epoch × M + step, the last one too', async () => {
    const out: string[] = [];
    for (const e of [1, 20, 40, 60, 80])
      out.push(`Epoch [${e}/100] Step [0/250] Loss: ${(1 - e / 200).toFixed(4)}`, '');
    out.push('Epoch [100/100] Step [120/250] Loss: 0.4100');
    const run = one(await parse(lines(...out)));
    const got = pts(run, 'train/loss');
    assert.deepEqual(got.step, [0, 19 * 250, 39 * 250, 59 * 250, 79 * 250, 99 * 250 + 120]);
    assert.equal(got.value.at(-1), 0.41);
  });
  test('a step that changes on more than the last record is not taken as such a place', async () => {
    const out = [1, 2, 3, 4, 5].map((e, i) => `Epoch [${e}/5] Step [${i * 10}/50] Loss: ${(1 - e / 10).toFixed(3)}`);
    const run = one(await parse(lines(...out)));
    assert.deepEqual(pts(run, 'train/loss').step, [0, 10, 20, 30, 40]);
  });
});

describe('trainings one after another, each ended by an end line, the next logging at a coarser interval', () => {
  const rec = (s: number, v: number) =>
    `2026-01-05 10:00:00,000 INFO:   | Train Device=X1, Step=${s}, Loss=${v.toFixed(5)}, Rate=40.1 samples/sec`;
  test('a step back to the current training’s second record after `Training completed` starts a training', async () => {
    const text = lines(
      '## Model A',
      ...[20, 40, 60, 80].map((s) => rec(s, 9 - s / 20)),
      '2026-01-05 10:10:00,000 INFO:   Training completed successfully!',
      '## Model B',
      ...[40, 80, 120].map((s) => rec(s, 7 - s / 40)),
      '2026-01-05 10:20:00,000 INFO:   Training completed successfully!',
    );
    const r = await parse(text);
    assert.equal(r.runs.length, 2);
    assert.deepEqual(pts(r.runs[0], 'train/loss').step, [20, 40, 60, 80]);
    assert.deepEqual(pts(r.runs[1], 'train/loss').step, [40, 80, 120]);
  });
  test('without an end line between them, such a step back is an attempt of the same training (a resume)', async () => {
    const text = lines(
      ...[20, 40, 60, 80].map((s) => rec(s, 9 - s / 20)),
      ...[40, 60, 80, 100].map((s) => rec(s, 6 - s / 40)),
    );
    const r = await parse(text);
    assert.equal(r.runs.length, 1);
    assert.deepEqual(pts(r.runs[0], 'train/loss').step, [20, 40, 60, 80, 100]);
  });
});

describe('a `Total steps: N` line after the last record is a summary of the steps done, no plan', () => {
  const recs = [0, 40, 80, 120].map(
    (s) => `step ${String(s).padStart(4)} | loss: ${(9 - s / 40).toFixed(6)} | lr: 3.00e-04`,
  );
  test('the planned total stays the stated setting (`Max iterations: 5000`)', async () => {
    const text = lines(
      'Settings:',
      '  Max iterations: 5000',
      '',
      ...recs,
      '',
      'Run summary:',
      '- Total steps: 121',
      '- Final loss: 6.0',
    );
    const run = one(await parse(text));
    assert.equal(run.meta.totalSteps?.value, 5000);
  });
  test('before the records it is the plan (`Total steps = 500` in a banner)', async () => {
    const run = one(await parse(lines('Num examples = 900 | Total steps = 500', ...recs)));
    assert.equal(run.meta.totalSteps?.value, 500);
  });
});
