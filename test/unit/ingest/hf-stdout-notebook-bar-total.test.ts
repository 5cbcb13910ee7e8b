/**
 * HF Trainer stdout saved from a notebook, with no training bar before the first training dict (the notebook's saved
 * output keeps the bar only where an evaluation interrupted it, drawn without its bar characters: `20% 60/300
 * [01:02<04:10,  0.96it/s]`): a bar drawn part-way between the training dicts, whose count is at or past the number of
 * dicts so far, is the training loop's, and its total is the planned number of steps. An evaluation bar part-way
 * (fewer batches than dicts so far) or a finished one (`100% 12/12`) states no plan. Made-up lines.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseWith } from './bytePathKit';
import { hfStdoutReader } from '../../../src/ingest/readers/hfStdout';

const dicts = (from: number, to: number) => {
  const out: string[] = [];
  for (let k = from; k <= to; k++)
    out.push(
      `{'loss': ${(3 / k).toFixed(4)}, 'grad_norm': 0.8, 'learning_rate': 0.0002, 'epoch': ${(k / 15).toFixed(2)}}`,
    );
  return out;
};

function log(trainingBar: boolean): string {
  const out = ['loading weights ...', ...dicts(1, 6)];
  // an evaluation, its bar drawn part-way and then finished: not the training loop's
  out.push(' 33% 4/12 [00:01<00:02,  3.90it/s]', '100% 12/12 [00:03<00:00,  3.81it/s]');
  out.push("{'eval_loss': 0.91, 'eval_runtime': 3.1, 'epoch': 0.4}");
  if (trainingBar) out.push(' 20% 60/300 [01:02<04:10,  0.96it/s]');
  out.push(...dicts(7, 12));
  return out.join('\n') + '\n';
}

for (const withBytes of [true, false]) {
  test(`hf-stdout: a training bar part-way between the dicts gives the planned total (${withBytes ? 'byte' : 'string'} path)`, () => {
    const { r } = parseWith(hfStdoutReader, 'train_log.txt', Buffer.from(log(true)), withBytes);
    assert.equal(r.runs[0].meta.totalSteps?.value, 300);
    assert.equal(r.runs[0].metrics['train/loss'].value.length, 12);
  });
  test(`hf-stdout: evaluation bars between the dicts give no planned total (${withBytes ? 'byte' : 'string'} path)`, () => {
    const { r } = parseWith(hfStdoutReader, 'train_log.txt', Buffer.from(log(false)), withBytes);
    assert.equal(r.runs[0].meta.totalSteps, undefined);
    assert.equal(r.runs[0].metrics['train/loss'].value.length, 12);
  });
}
