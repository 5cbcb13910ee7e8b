/**
 * The general reader's planned total (issue 14, "planned total found where stated"), three shapes many trainers
 * print; lines made up by hand, each case failed before its rule:
 *  - a budget sentence listing its counts with thousands separators (`…, 2,048 optimizer steps, …`): the tokenizer
 *    splits `2,048` into two fields in a comma-separated list, the sentence's number is read whole;
 *  - a unit's plural alone as a setting's key (`steps=300` in an argparse Namespace, `'epochs': 60` in a config dict,
 *    `"epochs": 400,` in an indented JSON config): the planned count of that unit, when the step axis counts it;
 *  - a progress bar of another template that ended before the training loss's first point (a dataset download's
 *    `98765432/98765432`) is not the training's plan.
 */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';

import { parse, pts, lines } from './inferCase';

const rows = <T>(n: number, f: (i: number) => T): T[] => Array.from({ length: n }, (_, i) => f(i + 1));

describe('a planned count with thousands separators in a list of clauses', () => {
  const iterRow = (i: number) => `Train: Iter=${i * 25} train_loss=${(6 - i * 0.2).toFixed(3)} lr=3.0e-04`;
  test('`Budget: 1,000,000 tokens, 2,048 optimizer steps, 0.25 passes` → 2048', async () => {
    const r = await parse(lines('Budget: 1,000,000 tokens, 2,048 optimizer steps, 0.25 passes', ...rows(6, iterRow)));
    assert.equal(pts(r.runs[0], 'train/loss').step.length, 6);
    assert.equal(r.runs[0].meta.totalSteps?.value, 2048);
  });
  test('`12,500 optimization steps` written whole', async () => {
    const r = await parse(lines('Plan: 12,500 optimization steps', ...rows(6, iterRow)));
    assert.equal(r.runs[0].meta.totalSteps?.value, 12500);
  });
  test('an interval in the same words is no plan (`every 1,000 optimizer steps`)', async () => {
    const r = await parse(lines('Saving a checkpoint every 1,000 optimizer steps', ...rows(6, iterRow)));
    assert.equal(r.runs[0].meta.totalSteps, undefined);
  });
});

describe("a unit's plural alone as a setting's key", () => {
  const stepsRow = (i: number) => `steps: ${i * 10} loss: ${(2.5 - i * 0.1).toFixed(4)} iter time (s): 0.310`;
  test('an argparse Namespace `steps=300` over `steps: N loss: …` records → 300', async () => {
    const r = await parse(lines(`Namespace(local_rank=-1, steps=300, seed=7, backend='gloo')`, ...rows(6, stepsRow)));
    assert.equal(pts(r.runs[0], 'train/loss').step.length, 6);
    assert.equal(r.runs[0].meta.totalSteps?.value, 300);
  });
  test('an indented JSON config `"epochs": 400,` over `Epoch: N, train loss: …` → 400', async () => {
    const r = await parse(
      lines(
        '{',
        '    "seed": 3,',
        '    "epochs": 400,',
        '    "optimizer": "Adam"',
        '}',
        ...rows(6, (i) => `Epoch: ${i}, train loss: ${(1 - i * 0.05).toFixed(4)} val loss: 0.71`),
      ),
    );
    assert.equal(pts(r.runs[0], 'train/loss').step.length, 6);
    assert.equal(r.runs[0].meta.totalSteps?.value, 400);
  });
  test('the same JSON config printed again after the training: still its plan', async () => {
    const config = ['{', '    "seed": 3,', '    "epochs": 400,', '    "optimizer": "Adam"', '}'];
    const r = await parse(
      lines(
        ...config,
        ...rows(6, (i) => `Epoch: ${i}, train loss: ${(1 - i * 0.05).toFixed(4)} val loss: 0.71`),
        'Final evaluation with the configuration:',
        ...config,
      ),
    );
    assert.equal(pts(r.runs[0], 'train/loss').step.length, 6);
    assert.equal(r.runs[0].meta.totalSteps?.value, 400);
  });
  test("a config dict's `'epochs': 60` over `epoch 3 | loss …` records → 60", async () => {
    const r = await parse(
      lines(
        `{'run': 'base', 'batch_size': 32, 'epochs': 60, 'lr': 0.001}`,
        ...rows(6, (i) => `epoch ${i} | loss ${(1 - i * 0.05).toFixed(4)} | acc 0.5${i}`),
      ),
    );
    assert.equal(r.runs[0].meta.totalSteps?.value, 60);
  });
  test("a model config's `'steps': 250` (a sampler's) is no plan; a Namespace's `steps=500` is", async () => {
    const stepRow = (i: number) => `epoch: 1 step: ${i * 20} loss: ${(0.5 - i * 0.01).toFixed(3)}`;
    const cfg = `{'sampler': 'ddim', 'in_channel': 3, 'steps': 250, 'lr': 0.0002}`;
    const model = await parse(lines(cfg, ...rows(6, stepRow)));
    assert.equal(pts(model.runs[0], 'train/loss').step.length, 6);
    assert.equal(model.runs[0].meta.totalSteps, undefined);
    const args = await parse(lines(`Namespace(name='rec', steps=500, lr=0.0002)`, ...rows(6, stepRow)));
    assert.equal(args.runs[0].meta.totalSteps?.value, 500);
  });
  test("the records' own counter is no plan; a plural of another unit is not this axis' plan", async () => {
    const alone = await parse(lines(...rows(6, stepsRow)));
    assert.equal(alone.runs[0].meta.totalSteps, undefined);
    const other = await parse(lines(`Namespace(epochs=5, seed=7, backend='gloo')`, ...rows(6, stepsRow)));
    assert.equal(other.runs[0].meta.totalSteps, undefined);
  });
  test("a plural key whose value changes from line to line is another record's counter, not a setting", async () => {
    const r = await parse(
      lines(
        ...rows(3, stepsRow),
        `steps: 30 val_loss: 2.2000`,
        ...rows(2, (i) => stepsRow(i + 3)),
        `steps: 60 val_loss: 2.0000`,
        stepsRow(6),
      ),
    );
    assert.equal(pts(r.runs[0], 'train/loss').step.length, 6);
    assert.equal(r.runs[0].meta.totalSteps, undefined);
  });
});

describe("another template's bar that ended before the training began is no plan", () => {
  const stepsRow = (i: number) => `steps: ${i * 10} loss: ${(2.5 - i * 0.1).toFixed(4)} iter time (s): 0.310`;
  test('a download bar `98765432/98765432` printed before the records', async () => {
    const r = await parse(
      lines(
        'Fetching https://example.org/data.tar.gz',
        '100%|██████████| 98765432/98765432 [00:05<00:00, 18.1MB/s]',
        'Unpacking data.tar.gz',
        ...rows(6, stepsRow),
      ),
    );
    assert.equal(pts(r.runs[0], 'train/loss').step.length, 6);
    assert.equal(r.runs[0].meta.totalSteps, undefined);
  });
});

describe('the header line in force at the last point states the plan', () => {
  const row = (i: number, n: number) =>
    `40/40 [==============================] - 12s 300ms/step - loss: ${(3 - i * 0.1 - n * 0.01).toFixed(4)} - acc: 0.5${i}`;
  const fit = (n: number) => Array.from({ length: n }, (_, i) => [`Epoch ${i + 1}/${n}`, row(i, n)]).flat();
  test('`Epoch 1/2` … then a second fit `Epoch 1/4` …: the run the file ends with plans 4 epochs', async () => {
    const r = await parse(lines(...fit(2), ...fit(4)));
    const own = r.runs.find((run) => !run.id.includes('#'));
    assert.ok(own);
    assert.deepEqual(pts(own, 'train/loss').step, [1, 2, 3, 4]);
    assert.equal(own.meta.totalSteps?.value, 4);
    // the first fit, a run of its own, keeps the plan its headers state
    const first = r.runs.find((run) => run.id.includes('#'));
    assert.ok(first);
    assert.deepEqual(pts(first, 'train/loss').step, [1, 2]);
    assert.equal(first.meta.totalSteps?.value, 2);
  });
  test('one fit: its header total', async () => {
    const r = await parse(lines(...fit(6).slice(0, 8)));
    assert.equal(r.runs[0].meta.totalSteps?.value, 6);
  });
});

describe('a record printed over two lines: the plan of the unit its first line counts', () => {
  test("`Epoch: N | Epoch Time: …` over an indented `Train: loss = …`, after a config dict's `'epochs': 60`", async () => {
    const records = rows(6, (i) => [
      `Epoch: ${i - 1} | Epoch Time: 3.5 s`,
      `\tTrain: loss = ${(2 - i * 0.1).toFixed(4)}`,
    ]);
    const r = await parse(lines(`{'name': 'abc', 'batch_size': 32, 'epochs': 60, 'lr': 0.001}`, ...records.flat()));
    assert.deepEqual(pts(r.runs[0], 'train/loss').step, [0, 1, 2, 3, 4, 5]);
    assert.equal(r.runs[0].meta.totalSteps?.value, 60);
  });
});

describe('a whole config printed as one line too long or too many-numbered to be a record', () => {
  const rows6 = rows(6, (i) => `update ${i * 200} | loss ${(5 - i * 0.1).toFixed(3)} | lr 1e-05`);
  const options = rows(60, (i) => `'opt${i}': ${i + 3}`).join(', ');
  test("a dict with 60 numbers before `'max_update': 250000` → 250000", async () => {
    const cfg = `config: {'model': {'layers': 12, ${options}}, 'optimization': {'max_epoch': 0, 'max_update': 250000}}`;
    const r = await parse(lines(cfg, ...rows6));
    assert.equal(pts(r.runs[0], 'train/loss').step.length, 6);
    assert.equal(r.runs[0].meta.totalSteps?.value, 250000);
  });
  test('a line over 8 KiB holding `"max_steps": 9000` → 9000', async () => {
    const cfg = `config: {"notes": "${'n'.repeat(9000)}", "max_steps": 9000}`;
    const r = await parse(lines(cfg, ...rows6));
    assert.equal(r.runs[0].meta.totalSteps?.value, 9000);
  });
  test('a plan of another unit (`max_epoch`) on such a line is not the plan of an update axis', async () => {
    const cfg = `config: {'model': {'layers': 12, ${options}}, 'optimization': {'max_epoch': 40}}`;
    const r = await parse(lines(cfg, ...rows6));
    assert.equal(r.runs[0].meta.totalSteps, undefined);
  });
});
