/**
 * Step axis for every structured reader (issue 14, "Runs, steps and metadata"): the trainer's global step (the logged
 * step) is the X axis, never the record index or the order of the records. Each input below logs steps that differ
 * from their record positions (every 50 steps, with a gap), so an axis taken from the order would fail.
 * W&B `.wandb` history and the JSONL / CSV exports are covered in step-axis-params.test.ts; TensorBoard events carry
 * the step in each Event (structured-tensorboard.test.ts).
 */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadPaths } from '../../../src/cli/load';
import type { Run } from '../../../src/ingest/types';

const STEPS = [50, 100, 150, 300, 350];
const LOSS = [4.1, 3.7, 3.4, 3.0, 2.9];

async function readOne(name: string, text: string): Promise<Run> {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'axis-'));
  try {
    const f = path.join(d, name);
    fs.mkdirSync(path.dirname(f), { recursive: true });
    fs.writeFileSync(f, text);
    const loaded = await loadPaths([f]);
    assert.equal(loaded.runs.length, 1, `${name}: ${loaded.diagnostics.map((x) => x.message).join('; ')}`);
    return loaded.runs[0];
  } finally {
    fs.rmSync(d, { recursive: true, force: true });
  }
}

function lossSteps(r: Run): number[] {
  const k = ['train/loss', 'loss'].find((m) => r.metrics[m]);
  assert.ok(k, `metrics: ${Object.keys(r.metrics).join(', ')}`);
  return Array.from(r.metrics[k!].step);
}

describe('step axis: the trainer step, not the record order', () => {
  test('HF Trainer state: log_history[].step, not the entry index', async () => {
    const r = await readOne(
      'trainer_state.json',
      JSON.stringify({
        global_step: 350,
        max_steps: 400,
        log_history: STEPS.map((s, i) => ({ epoch: s / 400, loss: LOSS[i], learning_rate: 1e-4, step: s })),
      }),
    );
    assert.deepEqual(lossSteps(r), STEPS);
    assert.match(r.meta.stepAxis!.value, /step/);
  });

  test('HF stdout dicts with a global_step key: that key, not the dict order', async () => {
    const lines = STEPS.map(
      (s, i) => `{'loss': ${LOSS[i]}, 'learning_rate': 0.0001, 'epoch': ${s / 400}, 'global_step': ${s}}`,
    );
    const r = await readOne('train.log', lines.join('\n') + '\n');
    assert.deepEqual(lossSteps(r), STEPS);
    assert.equal(r.meta.stepAxis?.value, 'global_step');
  });

  test('Lightning CSVLogger: the step column, not the row number', async () => {
    const rows = STEPS.map((s, i) => `0,${s},${LOSS[i]},`);
    const r = await readOne(
      'lightning_logs/version_0/metrics.csv',
      ['epoch,step,train_loss,val_loss', ...rows, '0,350,,3.1'].join('\n') + '\n',
    );
    assert.deepEqual(lossSteps(r), STEPS);
  });

  test('JSON lines with both global_step and _step: global_step', async () => {
    const lines = STEPS.map((s, i) => JSON.stringify({ _step: i, 'train/global_step': s, 'train/loss': LOSS[i] }));
    const r = await readOne('metrics.jsonl', lines.join('\n') + '\n');
    assert.deepEqual(lossSteps(r), STEPS);
    assert.equal(r.meta.stepAxis?.value, 'train/global_step');
  });

  test('MLflow metric file: the step field of each line, not the line order', async () => {
    const d = fs.mkdtempSync(path.join(os.tmpdir(), 'axis-ml-'));
    try {
      const run = path.join(d, 'mlruns', '0', 'a1b2c3');
      fs.mkdirSync(path.join(run, 'metrics'), { recursive: true });
      fs.writeFileSync(path.join(d, 'mlruns', '0', 'meta.yaml'), 'experiment_id: "0"\nname: Default\n');
      fs.writeFileSync(path.join(run, 'meta.yaml'), 'run_id: a1b2c3\nexperiment_id: "0"\nstatus: 3\n');
      fs.writeFileSync(
        path.join(run, 'metrics', 'loss'),
        STEPS.map((s, i) => `${1700000000000 + i} ${LOSS[i]} ${s}`).join('\n') + '\n',
      );
      const loaded = await loadPaths([path.join(d, 'mlruns')]);
      assert.equal(loaded.runs.length, 1, loaded.diagnostics.map((x) => x.message).join('; '));
      assert.deepEqual(lossSteps(loaded.runs[0]), STEPS);
    } finally {
      fs.rmSync(d, { recursive: true, force: true });
    }
  });
});
