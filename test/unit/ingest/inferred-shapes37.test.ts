/**
 * The readers on the shapes of hold-out 29's misses (issue 14, session 34): synthetic lines, small enough that the
 * expected values are written by hand. Each case failed before its fix; the controls pin what must not change.
 */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';

import { parse, one, pts, lines } from './inferCase';

describe('a record with more fields than the reader keeps still gives its total loss, printed after the terms', () => {
  // a made-up detector: 9 heads × 5 terms, then the total, the grad norm
  const record = (e: number, it: number, total: number) => {
    const terms: string[] = [];
    for (let h = 0; h < 9; h++)
      for (const t of ['cls', 'box', 'iou', 'obj', 'aux'])
        terms.push(`head${h}_${t}_loss: ${((h + 1) * 0.01 + it / 1e4).toFixed(4)}`);
    return (
      `2031-04-05 11:12:13,456 - INFO - Epoch [${e}/12][${it}/400]  lr: 0.0002, eta: 1 day, 2:03:04, ` +
      `data_time: 0.12, iter_time: 1.05, ${terms.join(', ')}, loss: ${total.toFixed(4)}, grad_norm: 3.2100`
    );
  };
  test('fifty-odd fields a record, the total loss among the last', async () => {
    const out = ['2031-04-05 11:12:00,000 - INFO - Parameters: 12.5M'];
    const want: number[] = [];
    for (let e = 1; e <= 2; e++)
      for (let it = 100; it <= 400; it += 100) {
        const v = 5 - e - it / 1000;
        want.push(+v.toFixed(4));
        out.push(record(e, it, v));
      }
    const run = one(await parse(lines(...out)));
    const loss = pts(run, 'train/loss');
    assert.deepEqual(loss.value, want);
    assert.deepEqual(loss.step, [100, 200, 300, 400, 500, 600, 700, 800]);
  });
  test('control: a line of many bare values is still a column of values, one a line', async () => {
    const vals: string[] = [];
    for (let i = 0; i < 60; i++) vals.push((3 - i / 40).toFixed(4));
    const run = one(await parse(lines('loss values:', vals.join(' '))));
    const s = Object.values(run.metrics).find((x) => x.value.length === 60);
    assert.ok(s, 'sixty values read');
  });
});

describe('a table whose running step counter has a qualified name is read on it, not on its epoch column', () => {
  const table = (counter: string) => {
    const out = [`wall,epoch,${counter},train_loss,val_loss`];
    let k = 0;
    for (let e = 0; e < 3; e++)
      for (let j = 0; j < 4; j++, k++)
        out.push(`${1000 + k * 2.5},${e},${k},${(6 - k / 4).toFixed(3)},${(6 - e).toFixed(2)}`);
    return lines(...out);
  };
  for (const counter of ['global_batch_number', 'optimizer_step_count', 'cumulative_iterations'])
    test(`\`${counter}\` beside \`epoch\``, async () => {
      const run = one(await parse(table(counter), 'metrics.csv'));
      const loss = pts(run, 'train/loss');
      assert.equal(loss.value.length, 12);
      assert.equal(loss.step[11], 11);
      assert.equal(loss.value[11], 3.25);
    });
  test('control: a batch size column is no step; the epoch stays the step', async () => {
    const out = ['epoch,global_batch_size,train_loss'];
    for (let e = 0; e < 5; e++) out.push(`${e},256,${(3 - e / 5).toFixed(2)}`);
    const run = one(await parse(lines(...out), 'metrics.csv'));
    assert.deepEqual(pts(run, 'train/loss').step, [0, 1, 2, 3, 4]);
  });
});

describe('a finishing word opening a line, then a summary with numbers, ends a training', () => {
  test('a sweep of fine-tunes, each closed by `[ADAPT] Done: …`: one run each', async () => {
    const out = ['sweep of 4 adapters', ''];
    for (let r = 0; r < 4; r++) {
      out.push(`=== member ${r + 1}/4 ===`, '  warm start from checkpoint');
      for (const ep of [0, 5, 10, 19])
        out.push(`  [ADAPT] ep=${ep}: loss=${(1 - ep / 40 - r / 100).toFixed(3)} lr=0.0010`);
      out.push(`  [ADAPT] Done: epochs=20, width=${64 * (r + 1)}, dropout=0.1`, `  Score after tuning: ${80 + r}.5%`);
    }
    const r = await parse(lines(...out));
    assert.equal(r.runs.length, 4);
    for (const run of r.runs) assert.equal(pts(run, 'train/loss').value.length, 4);
    assert.equal(pts(r.runs[3], 'train/loss').value[3], 0.495);
  });
  test('control: `Epoch 3 done: loss …` records are one training', async () => {
    const out: string[] = [];
    for (let e = 1; e <= 6; e++) out.push(`Epoch ${e} done: loss ${(2 - e / 10).toFixed(2)}`);
    const run = one(await parse(lines(...out)));
    assert.equal(pts(run, 'train/loss').value.length, 6);
  });
});

describe('a step word qualified by the training phase (`SFT Step`, `DPO step`) is the step', () => {
  test('a phase-tagged counter, resumed from a checkpoint: the step axis and the last write per step', async () => {
    const out = ['=== stage 2: preference tuning ==='];
    for (let s = 5; s <= 40; s += 5)
      out.push(`DPO step ${String(s).padStart(4, '0')} | loss: ${(0.7 - s / 100).toFixed(4)} | dt: 0.31s`);
    out.push('RuntimeError: disk full', '=== stage 2: preference tuning ===', 'resuming from ckpt_30');
    for (let s = 35; s <= 60; s += 5)
      out.push(`DPO step ${String(s).padStart(4, '0')} | loss: ${(0.6 - s / 100).toFixed(4)} | dt: 0.30s`);
    const run = one(await parse(lines(...out)));
    const loss = pts(run, 'train/loss');
    assert.deepEqual(loss.step, [5, 10, 15, 20, 25, 30, 35, 40, 45, 50, 55, 60]);
    assert.equal(loss.value[6], 0.25);
    assert.equal(loss.value[11], 0);
  });
});

describe('a step assigned alone on its line (`iter = 20`), again and again over records, is their header', () => {
  test('`iteration = N` over an indented record: the records are on the iteration axis', async () => {
    const out = ['reading vocabulary... ok'];
    for (let i = 50; i <= 500; i += 50)
      out.push(`iteration = ${i}`, `    loss = ${(2 - i / 1000).toFixed(5)}, acc = 0.5, ent = 1.25`);
    const run = one(await parse(lines(...out)));
    const loss = pts(run, 'train/loss');
    assert.equal(loss.step[loss.step.length - 1], 500);
    assert.equal(loss.value[loss.value.length - 1], 1.5);
    assert.ok(loss.value.length >= 9);
  });
  test('control: `iter = 3000` in a settings dump stays a setting; the records keep their own step', async () => {
    const out = ['lr = 0.001', 'iter = 3000', 'batch = 64'];
    for (let s = 1; s <= 6; s++) out.push(`step ${s * 10}: loss ${(3 - s / 10).toFixed(2)}`);
    const run = one(await parse(lines(...out)));
    assert.deepEqual(pts(run, 'train/loss').step, [10, 20, 30, 40, 50, 60]);
  });
});

describe('the split written after the measure (`loss_train`, `loss_val`, `acc_train`) names the series', () => {
  test('pygcn-style records of two trainings, each closed by its end line: two runs on `loss_train`', async () => {
    const out: string[] = [];
    for (let r = 0; r < 2; r++) {
      out.push('Loading graph dataset...');
      for (let e = 1; e <= 41; e += 10)
        out.push(
          `Epoch: ${String(e).padStart(4, '0')} loss_train: ${(1.5 - e / 100 - r / 10).toFixed(4)} acc_train: 0.5000 ` +
            `loss_val: 1.2000 acc_val: 0.4000 time: 0.2100s`,
        );
      out.push('Optimization Finished!', `Total time elapsed: 12.5s, lowest loss  ${(0.9 - r / 10).toFixed(4)}`);
    }
    const r = await parse(lines(...out));
    assert.equal(r.runs.length, 2);
    const last = pts(r.runs[1], 'train/loss');
    assert.equal(last.value.length, 5);
    assert.equal(last.value[4], 0.99);
    assert.ok(r.runs[1].metrics['val/loss']);
  });
});

describe("a dict of parameter counts printed whole (`{'Total': N, 'Trainable': M}`) states the model's size", () => {
  test('the Total of the dict, before an epoch loop', async () => {
    const out = ['building the network...', "{'Total': 1234567, 'Trainable': 1200000}"];
    for (let e = 1; e <= 5; e++) out.push(`Train epoch ${e}:   Loss: ${(9 - e).toFixed(4)} | aux: 0.5`);
    const run = one(await parse(lines(...out)));
    assert.equal(run.meta.params?.value, 1234567);
  });
});
