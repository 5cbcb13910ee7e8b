/**
 * Formats with no real public sample (fairseq, torchtitan, litgpt, nanochat, a generic key=value trainer), and
 * nanoGPT's configurator output (config/train_shakespeare_char.py as nanoGPT ships it, plus two overrides):
 * hand-written fixtures in test/fixtures/logs/<format>/ modelled on what those trainers print. Expected values
 * are read off the fixture text by eye (quoted in comments), not produced by our code.
 */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { REPO } from '../helpers/paths';
import { parseFile, parseText } from '../../../src/ingest/incremental';
import type { Run } from '../../../src/ingest/types';

const fx = (...p: string[]) => path.join(REPO, 'test', 'fixtures', 'logs', ...p);
async function one(...p: string[]): Promise<Run> {
  const r = await parseFile(fx(...p));
  assert.equal(r.runs.length, 1);
  return r.runs[0];
}
const pts = (run: Run, name: string) =>
  run.metrics[name] && { step: Array.from(run.metrics[name].step), value: Array.from(run.metrics[name].value) };

describe('fairseq', () => {
  test('json progress format: string numbers, valid_ entries, nan/inf kept', async () => {
    const run = await one('fairseq', 'train_json.log');
    assert.equal(run.format, 'fairseq');
    // four train_inner lines: num_updates 100..400, loss "15.362" "11.203" "9.884" "nan"
    const tl = pts(run, 'train/loss')!;
    assert.deepEqual(Array.from(tl.step), [100, 200, 300, 400]);
    assert.deepEqual(Array.from(tl.value.slice(0, 3)), [15.362, 11.203, 9.884]);
    assert.ok(Number.isNaN(tl.value[3]));
    // "gnorm": "inf" on the last line
    assert.equal(run.metrics['grad_norm'].value[3], Infinity);
    // valid line: "valid_loss": "9.512", "valid_num_updates": "300"
    assert.deepEqual(pts(run, 'val/loss'), { step: [300], value: [9.512] });
    // "num. shared model params: 353,495,040"
    assert.equal(run.meta.params?.value, 353_495_040);
  });
  test('simple progress format (pipes and key=value)', async () => {
    const run = await one('fairseq', 'train_simple.log');
    assert.deepEqual(pts(run, 'train/loss'), { step: [1000, 3000, 6000], value: [9.812, 8.944, 7.512] });
    assert.deepEqual(pts(run, 'val/loss'), { step: [3000, 6000], value: [7.921, 7.102] });
    assert.equal(run.meta.params?.value, 44_517_376);
  });
});

test('torchtitan: ANSI colours stripped, validate step → val/loss, params and total steps', async () => {
  const run = await one('torchtitan', 'train.log');
  assert.equal(run.format, 'torchtitan');
  assert.deepEqual(pts(run, 'train/loss'), { step: [1, 10, 20, 30], value: [12.2041, 9.8312, 8.1207, 7.442] });
  assert.deepEqual(pts(run, 'val/loss'), { step: [30], value: [7.601] });
  // "tps: 6,543" has a thousands separator
  assert.equal(run.metrics['tps'].value[1], 6543);
  assert.equal(run.meta.params?.value, 8_030_261_248);
  assert.equal(run.meta.totalSteps?.value, 1000);
  // "[titan] 2025-01-10 09:00:20,001" → seconds since epoch (UTC)
  assert.equal(run.metrics['train/loss'].time?.[0], Date.UTC(2025, 0, 10, 9, 0, 20) / 1000 + 0.001);
});

test('litgpt: optimizer step as x, validation at the last step, stale val: fields ignored', async () => {
  const run = await one('litgpt', 'pretrain.log');
  assert.equal(run.format, 'litgpt');
  assert.deepEqual(pts(run, 'train/loss'), { step: [25, 50, 75, 100], value: [9.843, 8.112, 7.402, 6.951] });
  // "iter 200: val loss 7.9981" comes after "iter 200 step 50"
  assert.deepEqual(pts(run, 'val/loss'), { step: [50], value: [7.9981] });
  assert.equal(run.meta.params?.value, 1_100_048_384);
});

test('nanochat: step N/M lines, validation bpb', async () => {
  const run = await one('nanochat', 'base_train.log');
  assert.equal(run.format, 'nanochat');
  assert.deepEqual(pts(run, 'train/loss'), { step: [0, 1, 2, 3], value: [11.090355, 10.812634, 10.289443, 9.70412] });
  assert.deepEqual(pts(run, 'val/bpb'), { step: [0, 250], value: [3.3013, 1.0431] });
  assert.equal(run.meta.totalSteps?.value, 21400);
  assert.equal(run.meta.params?.value, 560_988_160);
  assert.equal(run.metrics['tok_per_sec'].value[1], 520_471);
});

test('generic key=value fallback needs a step key; a config line without one makes no point', async () => {
  const run = await one('generic', 'custom_trainer.txt');
  assert.equal(run.format, 'generic-text');
  assert.deepEqual(pts(run, 'train/loss'), { step: [10, 20, 30, 40], value: [5.912, 5.101, 4.733, 4.512] });
  // "config: lr=3e-4 batch=64" has no step key → lr has only the four step lines
  assert.deepEqual(Array.from(run.metrics['lr'].step), [10, 20, 30, 40]);
  // "eval: step: 30, val loss: 4.901"
  assert.deepEqual(pts(run, 'val/loss'), { step: [30], value: [4.901] });
});

describe('nanoGPT configurator output', () => {
  test('config file dump then command-line override: max_iters → planned steps (the override wins), hparams kept', async () => {
    const run = await one('nanogpt', 'train_shakespeare_char.log');
    assert.equal(run.format, 'nanogpt');
    // line 29 "max_iters = 5000", line 40 "Overriding: max_iters = 40"
    assert.equal(run.meta.totalSteps?.value, 40);
    assert.equal(run.meta.totalSteps?.source.line, 40);
    const h = run.meta.hparams!;
    assert.equal(h.max_iters.value, 40);
    assert.equal(h.lr_decay_iters.value, 5000); // "lr_decay_iters = 5000 # make equal to max_iters usually"
    assert.equal(h.learning_rate.value, 1e-3); // "learning_rate = 1e-3 # with baby networks …"
    assert.equal(h.block_size.value, 256);
    assert.equal(h.dataset.value, 'shakespeare_char');
    assert.equal(h.dropout.value, 0.2);
    assert.ok(!('out_dir' in h) && !('compile' in h), 'only training settings');
    assert.equal(run.meta.tokensPerStep?.value, 16_384); // "tokens per iteration will be: 16,384"
    assert.equal(run.meta.params?.value, 10_650_000);
    // iter 0…40 every 10; the -100% mfu placeholder of iter 0 is dropped
    assert.deepEqual(pts(run, 'train/loss'), {
      step: [0, 10, 20, 30, 40],
      value: [4.2654, 3.1461, 2.7322, 2.6184, 2.5549],
    });
    assert.deepEqual(Array.from(run.metrics['mfu'].step), [10, 20, 30, 40]);
  });

  test('config file only; a dict print; commented-out and indented lines are not config', async () => {
    const iters = 'iter 0: loss 4.0, time 1.00ms, mfu -100.00%\niter 10: loss 3.0, time 1.00ms, mfu 1.00%\n';
    let r = await parseText(
      '/w/a/train.log',
      `Overriding config with config/x.py:\nmax_iters = 600000 # total number of training iterations\n# max_iters = 7\n${iters}`,
    );
    assert.equal(r.runs[0].meta.totalSteps?.value, 600000);
    r = await parseText(
      '/w/b/train.log',
      `{'out_dir': 'out', 'batch_size': 12, 'max_iters': 250, 'lr_decay_iters': 250}\n${iters}`,
    );
    assert.equal(r.runs[0].meta.totalSteps?.value, 250);
    r = await parseText(
      '/w/c/train.log',
      `  max_iters = 99\nscaler = torch.cuda.amp.GradScaler(enabled=True)\n${iters}`,
    );
    assert.equal(r.runs[0].meta.totalSteps, undefined);
    assert.equal(r.runs[0].meta.hparams, undefined);
  });
});
