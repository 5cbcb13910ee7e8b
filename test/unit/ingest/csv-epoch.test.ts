/**
 * A CSV table stepped by `epoch` with loss columns (YOLOv5's results.csv, cells padded with blanks) is read by the
 * CSV reader under its header's names. It used to fall to the general reader as a header-less table ("column 2",
 * …, since its header holds `metrics/mAP_0.5:0.95`), which then called column 2 the training loss, and the run
 * built with the same run's TensorBoard file lost `train/box_loss` in the editor. Expected values are read from
 * the file here with a plain split, independently of the reader.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { REPO } from '../helpers/paths';
import { parseBytes, parseText } from '../../../src/ingest/incremental';

const FILE = path.join(REPO, 'test', 'fixtures', 'sameRun', 'yolov5-helmet', 'exp2', 'results.csv');

test("YOLOv5 results.csv: the CSV reader, the header's names, epoch as the step, every row", async () => {
  const text = fs.readFileSync(FILE, 'utf8');
  const [head, ...rows] = text.trim().split('\n');
  const names = head.split(',').map((c) => c.trim());
  const col = (n: string) => rows.map((r) => Number(r.split(',')[names.indexOf(n)]));
  for (const r of [await parseText(FILE, text), await parseBytes(FILE, Buffer.from(text))]) {
    assert.equal(r.runs.length, 1);
    const run = r.runs[0];
    assert.equal(run.format, 'csv');
    for (const n of ['train/box_loss', 'val/obj_loss', 'metrics/mAP_0.5:0.95']) {
      assert.ok(run.metrics[n], `${n} in ${Object.keys(run.metrics).join(', ')}`);
      assert.deepEqual(Array.from(run.metrics[n].value), col(n), n);
      assert.deepEqual(Array.from(run.metrics[n].step), col('epoch'), `${n} by epoch`);
    }
  }
});

test('a table with an epoch column but no loss column is not claimed by the CSV reader on that account', async () => {
  const r = await parseText('/tmp/acc.csv', 'epoch,accuracy,lr\n0,0.5,0.1\n1,0.6,0.1\n2,0.7,0.05\n');
  assert.ok(
    r.runs.every((x) => x.format !== 'csv'),
    r.runs.map((x) => x.format).join(', '),
  );
});

test('a table of models (a column of names, then loss and a score) is not read as a training log in row order', async () => {
  const r = await parseText('/tmp/downstream.csv', 'model,loss,acc\nm1,2,0.79\nm2,2.14,0.78\nm3,2.3,0.75\n');
  assert.ok(
    r.runs.every((x) => x.format !== 'csv'),
    r.runs.map((x) => x.format).join(', '),
  );
  // the same columns without the names: a per-row training log (GAIL/PPO's progress.csv), read in row order
  const g = await parseText('/tmp/progress.csv', 'acc,loss,reward\n0.5,2.0,10\n0.6,1.9,12\n0.7,1.8,15\n');
  assert.equal(g.runs[0]?.format, 'csv');
  assert.deepEqual(Array.from(g.runs[0].metrics['train/loss'].value), [2.0, 1.9, 1.8]);
});
