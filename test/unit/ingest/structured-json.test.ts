import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { shared } from '../helpers/paths';
import { detectFormat } from '../../../src/ingest/registry';
import { parseTrainerState } from '../../../src/ingest/readers/trainerState';
import { parseMegatronGolden } from '../../../src/ingest/readers/megatronGolden';
import { sniffOf } from './structured-feed';

const bytes = (s: string) => new TextEncoder().encode(s);

describe('HF trainer_state.json', () => {
  test('classic schema (LLaMA-Factory run): counts from python json, summary entry not a point', () => {
    const f = shared('logs', 'hf-trainer-state', 'luojiu_7b_trainer_state.json');
    assert.equal(detectFormat(sniffOf(f))?.format, 'hf-trainer-state');
    const r = parseTrainerState(f, fs.readFileSync(f));
    assert.equal(r.diagnostics.length, 0);
    const run = r.runs[0];
    // python3 json: 1743 log_history entries; 1742 with loss/learning_rate (the last is the train_runtime summary).
    assert.equal(run.metrics['train/loss'].step.length, 1742);
    assert.equal(run.metrics['lr'].step.length, 1742);
    assert.equal(run.metrics['train/loss'].step.at(-1), 8710);
    assert.ok(!('train_runtime' in run.metrics) && !('train_loss' in run.metrics));
    assert.equal(run.meta.totalSteps?.value, 8712); // "max_steps": 8712
    assert.equal(run.meta.hparams?.total_flos.value, 1.13456296708811e19);
  });

  test('TRL schema: eval_* → val series, num_tokens → tokens, mean_token_accuracy', () => {
    const f = shared('logs', 'hf-trainer-state', 'tinyllama_finetune_trainer_state.json');
    const r = parseTrainerState(f, fs.readFileSync(f));
    const m = r.runs[0].metrics;
    // python3 json: loss 186, grad_norm 186, num_tokens 186, mean_token_accuracy 186, eval_loss 14 entries.
    assert.equal(m['train/loss'].step.length, 186);
    assert.equal(m['grad_norm'].step.length, 186);
    assert.equal(m['tokens'].originalName, 'num_tokens');
    assert.equal(m['tokens'].step.length, 186);
    assert.equal(m['accuracy'].originalName, 'mean_token_accuracy');
    assert.equal(m['val/loss'].step.length, 14);
    // First eval entry: step 200, eval_loss 1.622266411781311; last: step 2800, 1.1219322681427002 (= best_metric).
    assert.deepEqual([m['val/loss'].step[0], m['val/loss'].value[0]], [200, 1.622266411781311]);
    assert.equal(m['val/loss'].value.at(-1), 1.1219322681427002);
    assert.ok(!('eval_runtime' in m));
    assert.equal(r.runs[0].meta.totalSteps?.value, 2808);
  });

  test('num_input_tokens_seen > 0 becomes a tokens point; NaN losses kept; bad entries reported', () => {
    const doc = `{"global_step": 20, "max_steps": 100, "num_input_tokens_seen": 40960,
      "log_history": [{"loss": 2.5, "step": 10}, {"loss": NaN, "step": 20}, 7, {"loss": 1.0}]}`;
    const r = parseTrainerState('/s/trainer_state.json', bytes(doc));
    const m = r.runs[0].metrics;
    assert.equal(m['train/loss'].step.length, 2);
    assert.ok(Number.isNaN(m['train/loss'].value[1]));
    assert.deepEqual([m['tokens'].step[0], m['tokens'].value[0]], [20, 40960]);
    assert.equal(r.diagnostics.length, 2); // the 7 and the entry without a step
  });

  test('a half-written file gives a diagnostic, not an exception', () => {
    const r = parseTrainerState('/s/trainer_state.json', bytes('{"log_history": [{"loss": 2.5, "st'));
    assert.equal(r.runs.length, 0);
    assert.equal(r.diagnostics.length, 1);
  });
});

describe('Megatron golden values', () => {
  test('real file: five metrics, iteration-time from step 2', () => {
    const f = shared('logs', 'megatron-golden-values', 'bert_mcore_tp1_pp2_golden_values_dev_dgx_h100.json');
    assert.equal(detectFormat(sniffOf(f))?.format, 'megatron-golden');
    const r = parseMegatronGolden(f, fs.readFileSync(f));
    const m = r.runs[0].metrics;
    // python3 json: keys lm loss, num-zeros, mem-allocated-bytes, mem-max-allocated-bytes (50 values each, steps 1–50),
    // iteration-time (49 values, steps 2–50).
    assert.equal(Object.keys(m).length, 5);
    assert.equal(m['train/loss'].originalName, 'lm loss');
    assert.equal(m['train/loss'].step.length, 50);
    assert.deepEqual([m['train/loss'].value[0], m['train/loss'].value[49]], [10.51634, 9.49558]);
    assert.equal(m['iteration-time'].step[0], 2);
    assert.equal(m['iteration-time'].step.length, 49);
  });

  test('"nan" strings kept, array form uses start_step/step_interval, steps sorted numerically', () => {
    const doc = `{"lm loss": {"start_step": 1, "end_step": 3, "step_interval": 1, "values": {"10": 2.0, "2": 3.0, "3": "nan"}},
      "old": {"start_step": 5, "end_step": 25, "step_interval": 10, "values": [1.5, 1.25, 1.0]}}`;
    const m = parseMegatronGolden('/g.json', bytes(doc)).runs[0].metrics;
    assert.deepEqual(Array.from(m['train/loss'].step), [2, 3, 10]);
    assert.ok(Number.isNaN(m['train/loss'].value[1]));
    assert.deepEqual(Array.from(m['old'].step), [5, 15, 25]);
  });
});
