import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { shared } from '../helpers/paths';
import { mlflowReader, parseMlflow } from '../../../src/ingest/readers/mlflow';
import { sniffOf } from './structured-feed';

const EXP = '586757370402886605';

/** Run folders and their meta.yaml run_name, read with plain fs + regex (independent of the reader). */
function expectedRuns(root: string): Map<string, string> {
  const out = new Map<string, string>();
  const expDir = path.join(root, EXP);
  for (const d of fs.readdirSync(expDir)) {
    const meta = path.join(expDir, d, 'meta.yaml');
    if (!fs.existsSync(meta)) continue;
    out.set(d, /^run_name: (.*)$/m.exec(fs.readFileSync(meta, 'utf8'))![1]);
  }
  return out;
}

describe('MLflow file store', () => {
  test('real store: 9 runs (Default experiment has none), names, params, one-value metrics', () => {
    const root = shared('logs', 'mlflow', 'imageclass_mlruns');
    assert.ok(mlflowReader.detect({ path: root, head: new Uint8Array(0), text: '' }) >= 0.9);
    const r = parseMlflow(root);
    assert.deepEqual(r.diagnostics, []);
    const expected = expectedRuns(root);
    assert.equal(expected.size, 9);
    assert.equal(r.runs.length, 9);
    for (const run of r.runs) {
      const id = path.basename(run.path);
      assert.equal(run.meta.name, expected.get(id), id);
      assert.equal(run.format, 'mlflow');
      // Every run has val_loss, val_accuracy, test_loss, test_accuracy with one value at step 0.
      assert.deepEqual(
        Object.values(run.metrics)
          .map((s) => s.originalName)
          .sort(),
        ['test_accuracy', 'test_loss', 'val_accuracy', 'val_loss'],
      );
      assert.deepEqual(Array.from(run.metrics['val/loss'].step), [0]);
      // Params: "epochs"/"optimizer" (one run writes "Epochs"/"Optimizer"): stored lower-cased.
      assert.equal(run.meta.hparams?.epochs.value, 10);
      assert.equal(typeof run.meta.hparams?.optimizer.value, 'string');
      assert.equal(run.meta.hparams?.['mlflow.experiment'].value, 'Fashion_MNIST_Experiment');
    }
    const skunk = r.runs.find((x) => x.meta.name === 'indecisive-skunk-86')!;
    // c9efc9e1…/params/Optimizer holds "Nadam"; metrics/val_loss holds "1691411095455 0.3170156180858612 0".
    assert.equal(skunk.meta.hparams?.optimizer.value, 'Nadam');
    assert.match(skunk.meta.hparams!.optimizer.source.path, /params[\\/]Optimizer$/);
    assert.equal(skunk.metrics['val/loss'].value[0], 0.3170156180858612);
    assert.equal(skunk.metrics['val/loss'].time?.[0], 1691411095.455);
    assert.equal(skunk.meta.hparams?.['mlflow.lifecycle_stage'].value, 'deleted');
    // `cat */params/[oO]ptimizer | sort | uniq -c`: adam, Adam, SGD, RMSprop, Adagrad, Adadelta, Adamax, Nadam ×2 → 8 distinct.
    assert.equal(new Set(r.runs.map((x) => x.meta.hparams!.optimizer.value)).size, 8);
  });

  test('a metric file inside a run → that run only; detection of store and metric files', () => {
    const root = shared('logs', 'mlflow', 'imageclass_mlruns');
    const f = path.join(root, EXP, 'c9efc9e12e8d4c7c846d2c2805695cd5', 'metrics', 'val_loss');
    const r = parseMlflow(f);
    assert.equal(r.runs.length, 1);
    assert.equal(r.runs[0].meta.name, 'indecisive-skunk-86');
    assert.ok(mlflowReader.detect(sniffOf(f)) >= 0.5);
  });

  test('per-step curves, nested metric keys, nan values and a bad line in a generated store', () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'sl-mlruns-'));
    const store = path.join(root, 'mlruns');
    const run = path.join(store, '1', 'abc');
    fs.mkdirSync(path.join(run, 'metrics', 'train'), { recursive: true });
    fs.mkdirSync(path.join(run, 'params'), { recursive: true });
    fs.writeFileSync(path.join(store, '1', 'meta.yaml'), "experiment_id: '1'\nname: sweep\n");
    fs.writeFileSync(path.join(run, 'meta.yaml'), 'run_id: abc\nrun_name: gpt-350M\nlifecycle_stage: active\n');
    fs.writeFileSync(
      path.join(run, 'metrics', 'train', 'loss'),
      '1700000000000 5.5 0\n1700000001000 4.5 100\ngarbage\n1700000002000 nan 200\n',
    );
    fs.writeFileSync(path.join(run, 'params', 'n_params'), '350000000');
    const r = parseMlflow(store);
    assert.equal(r.runs.length, 1);
    const loss = r.runs[0].metrics['train/loss'];
    assert.deepEqual(Array.from(loss.step), [0, 100, 200]);
    assert.ok(Number.isNaN(loss.value[2]));
    assert.equal(r.diagnostics.length, 1);
    assert.equal(r.diagnostics[0].line, 3);
    assert.equal(r.runs[0].meta.params?.value, 350000000);
    assert.ok(mlflowReader.detect({ path: store, head: new Uint8Array(0), text: '' }) >= 0.9);
    fs.rmSync(root, { recursive: true });
  });

  test('a missing path gives a diagnostic, not an exception', () => {
    const r = parseMlflow('/nonexistent/mlruns/1/x/metrics/loss');
    assert.equal(r.runs.length, 0);
    assert.equal(r.diagnostics.length, 1);
  });
});
