/**
 * Every real plain-text log in ../shared/data/logs parses into the right run, format, point counts, metadata.
 * Expected counts were obtained independently of our code, with grep/awk on the files (commands quoted).
 */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { shared } from '../helpers/paths';
import { parseFile } from '../../../src/ingest/incremental';
import type { ParseResult, Run } from '../../../src/ingest/types';

function only(r: ParseResult): Run {
  assert.equal(r.runs.length, 1, `expected one run, got ${r.runs.length}`);
  return r.runs[0];
}
const count = (run: Run, name: string) => run.metrics[name]?.step.length ?? 0;
const increasing = (xs: ArrayLike<number>) => Array.from(xs).every((x, i, a) => i === 0 || x >= a[i - 1]);

describe('nanoGPT (chenzihua termux train.log)', () => {
  const file = () => shared('logs', 'nanogpt', 'chenzihua_nanogpt_termux_train.log');
  test('points, params, NaN kept and flagged', async () => {
    const r = await parseFile(file());
    const run = only(r);
    assert.equal(run.format, 'nanogpt');
    // grep -c "^iter [0-9]*: loss" → 91
    assert.equal(count(run, 'train/loss'), 91);
    // grep -c "^step [0-9]*: train loss" → 5
    assert.equal(count(run, 'val/loss'), 5);
    assert.deepEqual(Array.from(run.metrics['val/loss'].step), [0, 100, 200, 300, 400]);
    // line 4: "number of parameters: 10.65M"
    assert.equal(run.meta.params?.value, 10_650_000);
    assert.equal(run.meta.params?.source.line, 4);
    // line 1: "tokens per iteration will be: 512"
    assert.equal(run.meta.tokensPerStep?.value, 512);
    const s = run.metrics['train/loss'];
    const i425 = s.step.indexOf(425);
    assert.ok(i425 > 0);
    assert.ok(Number.isNaN(s.value[i425]), 'iter 425 loss is NaN');
    // line 103 (sed -n 103p): "iter 420: loss 3.5023, …" — the last finite loss before the divergence
    assert.deepEqual([s.step[i425 - 1], s.value[i425 - 1]], [420, 3.5023]);
    // grep -c "^iter [0-9]*: loss nan" → 6 NaN points kept
    assert.equal(s.value.filter(Number.isNaN).length, 6);
    const flag = r.diagnostics.find((d) => /NaN/.test(d.message));
    assert.ok(flag, 'NaN flagged');
    assert.equal(flag!.line, 104);
    assert.equal(flag!.severity, 'warning');
    // "mfu -100.00%" placeholder at iter 0 is not a point
    assert.equal(run.metrics['mfu'].step[0], 5);
  });
});

describe('modded-nanogpt record log', () => {
  test('train/val points and total steps', async () => {
    const run = only(await parseFile(shared('logs', 'modded-nanogpt', 'modded_nanogpt_muon_eb5659d0.txt')));
    assert.equal(run.format, 'modded-nanogpt');
    // grep -c "^step:[0-9]*/[0-9]* train_loss:" → 6200 ; grep -c "^step:[0-9]*/[0-9]* val_loss:" → 51
    assert.equal(count(run, 'train/loss'), 6200);
    assert.equal(count(run, 'val/loss'), 51);
    assert.equal(run.meta.totalSteps?.value, 6200);
    // last line: "step:6200/6200 val_loss:3.2785 …"
    assert.equal(run.metrics['val/loss'].value.at(-1), 3.2785);
    // GPTConfig in the dumped code: n_layer 12, n_embd 768, vocab 50257 → 12·12·768² + 50257·768 (by hand)
    assert.equal(run.meta.params?.value, 12 * 12 * 768 * 768 + 50257 * 768);
    assert.ok(increasing(run.metrics['train/loss'].step));
  });
});

describe('llm.c stdout', () => {
  test('trl / tel / lr / norm', async () => {
    const run = only(await parseFile(shared('logs', 'llmc-stdout', 'modded_nanogpt_llmc_main.log')));
    assert.equal(run.format, 'llmc');
    // grep -c "^s:[0-9]* trl:" → 19560 ; grep -c "^s:[0-9]* tel:" → 80
    assert.equal(count(run, 'train/loss'), 19560);
    assert.equal(count(run, 'val/loss'), 80);
    assert.equal(count(run, 'lr'), 19560);
    assert.equal(count(run, 'grad_norm'), 19560);
    assert.equal(run.metrics['val/loss'].originalName, 'tel');
    // tail: "s:19560 tel:3.2722"
    assert.deepEqual([run.metrics['val/loss'].step.at(-1), run.metrics['val/loss'].value.at(-1)], [19560, 3.2722]);
  });
});

describe('Megatron-DeepSpeed', () => {
  test('qwen7b: 500 iterations, 6 validations, params = sum over distinct (tensor, pipeline) ranks', async () => {
    const run = only(await parseFile(shared('logs', 'megatron-deepspeed', 'qwen7b_baseline_500.log')));
    assert.equal(run.format, 'megatron');
    // grep -c "^ *iteration  *[0-9]*/ *500 |" → 500 ; grep -c "validation loss at iteration" → 6
    assert.equal(count(run, 'train/loss'), 500);
    assert.equal(count(run, 'val/loss'), 6);
    // grep -o "model parallel rank ([0-9]*, [0-9]*): [0-9]*" | sort -u → 4 distinct tuples × 1904025088
    assert.equal(run.meta.params?.value, 4 * 1_904_025_088);
    assert.equal(run.meta.totalSteps?.value, 500);
    // first iteration line: "lm loss: 1.263599E+01", "consumed tokens: 32768"
    assert.equal(run.metrics['train/loss'].value[0], 12.63599);
    assert.equal(run.metrics['tokens'].value[0], 32768);
    // args dump: global_batch_size 16, seq_length 2048
    assert.equal(run.meta.tokensPerStep?.value, 16 * 2048);
    // DeepSpeed's "steps: N loss: X" echo lines are not points: every train/loss step is an iteration number 1..500
    assert.deepEqual(
      Array.from(run.metrics['train/loss'].step),
      Array.from({ length: 500 }, (_, i) => i + 1),
    );
  });

  test('BigScience blow-up log: rank prefixes, overflow lines make no points, shard params', async () => {
    const run = only(await parseFile(shared('logs', 'megatron-deepspeed', 'datablations_blowup-4-adam-1793736.out')));
    assert.equal(run.format, 'megatron');
    // grep -c "^0:  *iteration  *[0-9]*/" → 21 ; grep -c "^0: valid loss at iteration" → 43
    assert.equal(count(run, 'train/loss'), 21);
    assert.equal(count(run, 'val/loss'), 43);
    // 192 "Grad overflow"/"Skipping step" lines exist; none creates a point: every step is a multiple of 200
    assert.ok(run.metrics['train/loss'].step.every((s) => s % 200 === 0));
    // max lm loss in the file (grep -o "lm loss: …" | sort -g | tail -1) = 9.980914
    assert.equal(Math.max(...run.metrics['train/loss'].value), 9.980914);
    // "[000-000] 0.3559B / 0.3023B"
    assert.equal(run.meta.params?.value, 355_900_000);
    assert.equal(run.meta.nonEmbeddingParams?.value, 302_300_000);
    assert.equal(run.meta.totalSteps?.value, 148693);
    // batch-size ramp-up: global_batch_size × seq_length would be wrong, so tokensPerStep is not claimed
    assert.equal(run.meta.tokensPerStep, undefined);
  });
});

describe('OLMo trainer log', () => {
  test('multi-line blocks, thousands separators, params', async () => {
    const run = only(await parseFile(shared('logs', 'olmo', 'olmo_1b_0724_continue_training.log')));
    assert.equal(run.format, 'olmo');
    // grep -c "\[step=[0-9]*/" → 1010 ; grep -c "train/CrossEntropyLoss=" → 1010
    assert.equal(count(run, 'train/loss'), 1010);
    assert.equal(count(run, 'grad_norm'), 1010);
    assert.equal(run.metrics['train/loss'].originalName, 'train/CrossEntropyLoss');
    // line 12 "Total number of parameters: 1,279,787,008"; line 13 non-embedding 1,176,764,416
    assert.equal(run.meta.params?.value, 1_279_787_008);
    assert.equal(run.meta.nonEmbeddingParams?.value, 1_176_764_416);
    assert.equal(run.meta.totalSteps?.value, 15000);
    // block of step 1: "throughput/total_tokens=2,097,152", "train/CrossEntropyLoss=2.998"
    assert.equal(run.metrics['tokens'].value[0], 2_097_152);
    assert.equal(run.metrics['train/loss'].value[0], 2.998);
    // TrainConfig: global_train_batch_size=512 × max_sequence_length=4096
    assert.equal(run.meta.tokensPerStep?.value, 512 * 4096);
    // time from "2025-12-12 11:05:02.009" (UTC) on the [step=1/15000] header
    assert.equal(run.metrics['train/loss'].time?.[0], Date.UTC(2025, 11, 12, 11, 5, 2) / 1000 + 0.009);
  });
});

describe('HF Trainer stdout', () => {
  test('string-valued dicts between \\r progress bars', async () => {
    const run = only(await parseFile(shared('logs', 'hf-trainer-stdout', 'llama_sft_train_log.txt')));
    assert.equal(run.format, 'hf-stdout');
    // tr '\r' '\n' < file | grep -c "{'loss'" → 167 ; grep -c "{'eval_loss'" → 3
    assert.equal(count(run, 'train/loss'), 167);
    assert.equal(count(run, 'val/loss'), 3);
    // first dict: {'loss': '3.412', 'grad_norm': '0.9297', 'learning_rate': '1.071e-05', …}
    assert.equal(run.metrics['train/loss'].value[0], 3.412);
    assert.equal(run.metrics['grad_norm'].value[0], 0.9297);
    assert.equal(run.metrics['lr'].value[0], 1.071e-5);
    // steps = ordinal of the training dict (documented choice)
    assert.deepEqual(Array.from(run.metrics['train/loss'].step.slice(0, 3)), [1, 2, 3]);
    // "trainable params: 24,313,856 || all params: 3,237,063,680"
    assert.equal(run.meta.params?.value, 3_237_063_680);
  });
});
