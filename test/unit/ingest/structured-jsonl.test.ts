import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { shared, REPO } from '../helpers/paths';
import { jsonlReader } from '../../../src/ingest/readers/jsonl';
import { detectFormat } from '../../../src/ingest/registry';
import { feedLines, linesOf, readText, sniffOf } from './structured-feed';
import * as fs from 'node:fs';

const fixture = (...p: string[]) => path.join(REPO, 'test', 'fixtures', 'logs', ...p);

describe('JSONL reader', () => {
  test('LLaMA-Factory trainer_log.jsonl: every non-null loss, total_steps, null last line skipped', () => {
    const f = shared('logs', 'jsonl', 'luojiu_7b_llamafactory_trainer_log.jsonl');
    assert.equal(detectFormat(sniffOf(f))?.format, 'jsonl');
    const r = readText(jsonlReader, f);
    assert.equal(r.diagnostics.length, 0);
    const run = r.runs[0];
    // python3: 1743 lines; 1742 with "loss" not null (the last line has loss: null); same for learning_rate.
    const loss = run.metrics['train/loss'];
    assert.equal(loss.originalName, 'loss');
    assert.equal(loss.step.length, 1742);
    assert.equal(run.metrics['lr'].step.length, 1742);
    // First line: current_steps 5, loss 1.7484; last non-null: current_steps 8710, loss 1.3703 (visible in the file).
    assert.deepEqual([loss.step[0], loss.value[0]], [5, 1.7484]);
    assert.deepEqual([loss.step.at(-1), loss.value.at(-1)], [8710, 1.3703]);
    assert.equal(run.meta.totalSteps?.value, 8712);
    // Bookkeeping fields are not metrics.
    for (const k of ['percentage', 'total_steps', 'current_steps', 'elapsed_time']) assert.ok(!(k in run.metrics), k);
  });

  test('nested dicts, string numbers, NaN/Infinity kept, garbage lines reported with their line number', () => {
    const f = fixture('jsonl', 'nested_metrics.jsonl');
    const r = readText(jsonlReader, f);
    const run = r.runs[0];
    const loss = run.metrics['train/loss'];
    // The fixture has train.loss at steps 0,100,200,300,400,500; step 300 is NaN (written by Python as bare NaN).
    assert.deepEqual(Array.from(loss.step), [0, 100, 200, 300, 400, 500]);
    assert.equal(loss.value[1], 6.412); // "6.412" as a string
    assert.ok(Number.isNaN(loss.value[3]));
    assert.equal(run.metrics['train/grad_norm'] ? 1 : 0, 0, 'train/grad_norm normalises to grad_norm');
    assert.equal(run.metrics['grad_norm'].value[2], Infinity);
    // val.loss: 200 → 5.3, 400 → null (skipped), 500 → 4.55.
    assert.deepEqual(Array.from(run.metrics['val/loss'].step), [200, 500]);
    // Timestamps become time (seconds), not a metric.
    assert.equal(loss.time?.[2], 1717000122.25);
    assert.ok(!('timestamp' in run.metrics));
    // Line 5 is prose, line 7 a JSON array: both reported with line numbers, reading went on after them.
    assert.deepEqual(r.diagnostics.map((d) => d.line).sort(), [5, 7]);
  });

  test('a line cut mid-object is reported, and the lines around it still read', () => {
    const lines = ['{"step": 1, "loss": 3.0}', '{"step": 2, "loss": 2.', '{"step": 3, "loss": 2.5}'];
    const r = feedLines(jsonlReader.create('/x/log.jsonl'), lines).result();
    assert.deepEqual(Array.from(r.runs[0].metrics['train/loss'].step), [1, 3]);
    assert.equal(r.diagnostics[0].line, 2);
  });

  test('detection: JSON Lines yes; a pretty-printed JSON document or CSV no', () => {
    assert.ok(
      jsonlReader.detect(sniffOf('/a.jsonl', Buffer.from('{"step":1,"loss":2}\n{"step":2,"loss":1.5}\n'))) >= 0.8,
    );
    const pretty = fs.readFileSync(shared('logs', 'hf-trainer-state', 'tinyllama_finetune_trainer_state.json'));
    assert.ok(jsonlReader.detect(sniffOf('/t.json', pretty)) < 0.5);
    assert.equal(jsonlReader.detect(sniffOf('/a.csv', Buffer.from('step,loss\n1,2\n'))), 0);
  });

  test('W&B wandb-history.jsonl style: _step is the step, _timestamp the time, other _ keys are not metrics', () => {
    const lines = [
      '{"_step": 0, "_runtime": 3.2, "_timestamp": 1718100900.5, "train/loss": 10.9, "_wandb": {"runtime": 3}}',
      '{"_step": 1, "_runtime": 4.0, "_timestamp": 1718100901.5, "train/loss": 9.7}',
    ];
    const m = feedLines(jsonlReader.create('/w/wandb-history.jsonl'), lines).result().runs[0].metrics;
    assert.deepEqual(Object.keys(m), ['train/loss']);
    assert.deepEqual(Array.from(m['train/loss'].step), [0, 1]);
    assert.deepEqual(Array.from(m['train/loss'].time!), [1718100900.5, 1718100901.5]);
  });

  test('records without a step use their index', () => {
    const r = feedLines(jsonlReader.create('/x.jsonl'), linesOf('{"loss": 3}\n{"loss": 2}\n')).result();
    assert.deepEqual(Array.from(r.runs[0].metrics['train/loss'].step), [0, 1]);
  });
});
