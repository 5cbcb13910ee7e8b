/**
 * HF Trainer stdout dicts that carry extra loss keys beside the Trainer's own `loss` (a custom `compute_loss` logging
 * `lm_loss`, `eval_lm_loss`, …): only `loss` / `eval_loss` feed the training / validation loss series; a key that
 * would normalize to the same name keeps its own (issue 14, hold-out 14's Qwen2.5-VL log: 560 points for 280 dicts).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseWith } from './bytePathKit';
import { hfStdoutReader } from '../../../src/ingest/readers/hfStdout';

/** Three training dicts whose `lm_loss` differs from `loss`, then one eval dict with `eval_lm_loss`. */
function log(): string {
  const out: string[] = [];
  for (let k = 1; k <= 3; k++)
    out.push(`{'loss': ${(2 / k).toFixed(4)}, 'grad_norm': 1.5, 'lm_loss': ${(3 / k).toFixed(4)}, 'epoch': ${k / 10}}`);
  out.push("{'eval_loss': 1.25, 'eval_runtime': 1.97, 'epoch': 0.3, 'eval_lm_loss': 0.75}");
  return out.join('\n') + '\n';
}

for (const withBytes of [true, false])
  test(`hf-stdout: a dict's extra loss keys do not join the loss series (${withBytes ? 'byte' : 'string'} path)`, () => {
    const { r } = parseWith(hfStdoutReader, 'run.log', Buffer.from(log()), withBytes);
    const m = r.runs[0].metrics;
    assert.deepEqual([...m['train/loss'].step], [1, 2, 3]);
    assert.deepEqual([...m['train/loss'].value], [2, 1, 0.6667]);
    assert.deepEqual([...m['lm_loss'].value], [3, 1.5, 1]);
    assert.deepEqual([...m['val/loss'].step], [3]);
    assert.deepEqual([...m['val/loss'].value], [1.25]);
    assert.deepEqual([...m['eval_lm_loss'].value], [0.75]);
  });

/**
 * The same evaluation printed again at the same step (a callback and the Trainer both print it; hold-out 14's
 * Qwen2.5-VL log prints each eval dict twice, the second with more keys): one point per evaluation, the extra keys
 * kept; a later evaluation with the same values after more training is a point of its own.
 */
for (const withBytes of [true, false])
  test(`hf-stdout: an evaluation dict printed again is one point (${withBytes ? 'byte' : 'string'} path)`, () => {
    const text = [
      "{'loss': 2.0, 'epoch': 0.1}",
      "{'eval_loss': 1.5, 'eval_runtime': 1.9, 'epoch': 0.1}",
      "{'eval_loss': 1.5, 'eval_runtime': 1.9, 'epoch': 0.1, 'eval_lm_loss': 0.7}",
      "{'loss': 1.0, 'epoch': 0.2}",
      "{'eval_loss': 1.5, 'eval_runtime': 1.9, 'epoch': 0.2}",
      "{'eval_loss': 1.25, 'eval_runtime': 1.8, 'epoch': 0.2}",
    ].join('\n');
    const { r } = parseWith(hfStdoutReader, 'run.log', Buffer.from(text + '\n'), withBytes);
    const m = r.runs[0].metrics;
    // step 1: one point; step 2: the same values after more training, then a different evaluation (both kept)
    assert.deepEqual([...m['val/loss'].step], [1, 2, 2]);
    assert.deepEqual([...m['val/loss'].value], [1.5, 1.5, 1.25]);
    assert.deepEqual([...m['eval_lm_loss'].value], [0.7]);
    assert.deepEqual([...m['eval_runtime'].step], [1, 2, 2]);
  });
