/**
 * Step axis and parameter counts as the logs state them (issue 14, "Runs, steps and metadata"):
 *  - the trainer's global step beats a logger's record index (`_step`), in JSON lines and CSV exports;
 *  - every stated spelling of a parameter count is read, ranked total > count > trainable, and beats a
 *    shape estimate; a size from a path only from a standalone size token;
 *  - `parse --json` reports planned steps, parameters, tokens and the step axis, each with its source.
 * Expected values are written out by hand from the inputs below.
 */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pickStepColumn, pickStepKey, stepKeyRank } from '../../../src/ingest/stepAxis';
import { paramsFromName, statedParams } from '../../../src/ingest/metaLines';
import { jsonlReader } from '../../../src/ingest/readers/jsonl';
import { csvReader } from '../../../src/ingest/readers/csv';
import { parseFile } from '../../../src/ingest/incremental';
import { loadPaths } from '../../../src/cli/load';
import { parseOutputOf } from '../../../src/cli/parseCmd';
import { feedLines } from './structured-feed';
import { crc32 } from '../../../src/ingest/binary/crc32';

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'sl-axis-'));
/** Two nanoGPT iteration lines: a format today's readers recognise, so the metadata lines around them are scanned. */
const ITERS = ['iter 0: loss 4.2000, time 10.00ms, mfu -100.00%', 'iter 10: loss 3.9000, time 10.00ms, mfu 1.00%', ''];

describe('step key preference', () => {
  test('global step first, record index last, epoch only when nothing else', () => {
    assert.equal(pickStepKey(['_step', 'train/global_step', 'loss']), 'train/global_step');
    assert.equal(pickStepKey(['_step', 'step']), 'step');
    assert.equal(pickStepKey(['epoch', '_step']), '_step');
    assert.equal(pickStepKey(['epoch', 'loss']), 'epoch');
    assert.equal(pickStepKey(['loss', 'lr']), undefined);
    assert.ok(stepKeyRank('Global_Step') < stepKeyRank('iter'));
    // a key without a usable value is passed over
    assert.equal(
      pickStepKey(['global_step', '_step'], (k) => k === '_step'),
      '_step',
    );
  });
  test('CSV header: the best-ranked column, whatever its position', () => {
    assert.equal(pickStepColumn(['_step', 'loss', 'train/global_step']), 2);
    assert.equal(pickStepColumn(['loss', 'iter', 'step']), 2);
    assert.equal(pickStepColumn(['loss', 'lr']), -1);
  });
});

describe('JSON lines and CSV exports of W&B runs', () => {
  // W&B logs eval rows as extra log() calls: _step counts rows, train/global_step is the Trainer step.
  const rows = [
    { _step: 0, 'train/global_step': 10, 'train/loss': 3.0 },
    { _step: 1, 'train/global_step': 20, 'train/loss': 2.5 },
    { _step: 2, 'train/global_step': 20, 'eval/loss': 2.7 },
    { _step: 3, 'train/global_step': 30, 'train/loss': 2.2 },
  ];
  test('JSONL: points at train/global_step, the axis says so', () => {
    const r = feedLines(
      jsonlReader.create('run.jsonl'),
      rows.map((o) => JSON.stringify(o)),
    ).result();
    const run = r.runs[0];
    assert.deepEqual(Array.from(run.metrics['train/loss'].step), [10, 20, 30]);
    assert.deepEqual(Array.from(run.metrics['val/loss'].step), [20]);
    assert.equal(run.meta.stepAxis?.value, 'train/global_step');
    assert.equal(run.meta.stepAxis?.source.line, 1);
    assert.equal(run.metrics['train/global_step'], undefined, 'the step key is the axis, not a metric');
  });
  test('JSONL with only _step: the axis is named a record index', () => {
    const r = feedLines(jsonlReader.create('run.jsonl'), [
      '{"_step": 0, "loss": 1}',
      '{"_step": 1, "loss": 0.5}',
    ]).result();
    assert.equal(r.runs[0].meta.stepAxis?.value, '_step (record index)');
  });
  test('JSONL without any step key: record order, and a DETR-style epoch log steps by epoch', () => {
    const none = feedLines(jsonlReader.create('a.jsonl'), ['{"loss": 1}', '{"loss": 0.5}']).result().runs[0];
    assert.equal(none.meta.stepAxis?.value, 'record order');
    assert.deepEqual(Array.from(none.metrics['train/loss'].step), [0, 1]);
    const detr = feedLines(jsonlReader.create('log.txt'), [
      '{"train_loss": 9.1, "epoch": 0, "n_parameters": 41302368}',
      '{"train_loss": 8.2, "epoch": 1, "n_parameters": 41302368}',
    ]).result().runs[0];
    assert.equal(detr.meta.stepAxis?.value, 'epoch');
    assert.deepEqual(Array.from(detr.metrics['train/loss'].step), [0, 1]);
    assert.equal(detr.meta.params?.value, 41302368, 'n_parameters is the parameter count');
    assert.equal(detr.metrics['n_parameters'], undefined, 'and not a metric');
  });
  test('CSV export: train/global_step column beats the _step column before it', () => {
    const lines = ['_step,train/loss,train/global_step', '0,3.0,10', '1,2.5,20', '2,2.2,30'];
    const run = feedLines(csvReader.create('export.csv'), lines).result().runs[0];
    assert.deepEqual(Array.from(run.metrics['train/loss'].step), [10, 20, 30]);
    assert.equal(run.meta.stepAxis?.value, 'train/global_step');
  });
});

describe('stated parameter counts', () => {
  const cases: [string, number, number][] = [
    ['Total params: 1,234,567', 1234567, 3],
    ['model_params:26041425', 26041425, 3],
    ['Model params : 299,392,704  (0.299B)', 299392704, 3],
    ['# of parameters 1.2B', 1.2e9, 3],
    ['   Total parameters: 125,029,632', 125029632, 3],
    ['n_parameters = 41302368', 41302368, 2],
    ['num_params: 7,000', 7000, 2],
    ['# Model: TemporalMamba  |  Params: 89,154  |  Device: cuda', 89154, 2],
    ['Trainable params: 40,012,032', 40012032, 1],
    ['Enhanced model has 9,854,851 trainable parameters.', 9854851, 1],
    ['The model has 124M parameters', 124e6, 2],
  ];
  for (const [line, value, rank] of cases) {
    test(line, () => {
      const st = statedParams(line);
      assert.ok(st, 'found');
      assert.equal(st.value, value);
      assert.equal(st.rank, rank);
    });
  }
  test('not counts: flags, per-tensor counts', () => {
    assert.equal(statedParams('fsdp_config={"min_num_params": 0}'), undefined);
    assert.equal(statedParams('num decayed parameter tensors: 50, with 124,354,560 parameters tensors'), undefined);
    assert.equal(statedParams('params size saved'), undefined);
  });
  test('in a log: the total beats a trainable count printed before it, and a later bare count does not replace it', async () => {
    const dir = tmp();
    const f = path.join(dir, 'train.log');
    fs.writeFileSync(
      f,
      ['Trainable params: 40,012,032', 'Total params: 125,029,632', 'params: 99,999', ...ITERS].join('\n'),
    );
    const r = await parseFile(f);
    const run = r.runs[0];
    assert.ok(run, 'a run');
    assert.equal(run.meta.params?.value, 125029632);
    assert.equal(run.meta.params?.source.line, 2);
  });
  test('a stated count beats the shape estimate of a config.json beside the log', async () => {
    const dir = tmp();
    fs.writeFileSync(path.join(dir, 'config.json'), JSON.stringify({ n_layer: 12, n_embd: 768, vocab_size: 50257 }));
    const f = path.join(dir, 'train.log');
    fs.writeFileSync(f, ['Total params: 124,439,808', ...ITERS].join('\n'));
    const run = (await parseFile(f)).runs[0];
    assert.equal(run.meta.params?.value, 124439808);
    assert.match(run.meta.params!.source.how, /stated total/);
  });
});

describe('size from a path', () => {
  test('standalone size tokens only', () => {
    assert.equal(paramsFromName('gpt-125M'), 125e6);
    assert.equal(paramsFromName('pythia-1.3b'), 1.3e9);
    assert.equal(paramsFromName('llama_7B'), 7e9);
    assert.equal(paramsFromName('opt-350m.log'), 350e6);
    assert.equal(paramsFromName('qwen7b_baseline_500.log'), undefined, 'glued to a word');
    assert.equal(paramsFromName('run_1m_steps'), undefined, 'counts steps');
    assert.equal(paramsFromName('data-10M-tokens'), undefined, 'counts tokens');
    assert.equal(paramsFromName('ERAv1_Session13'), undefined);
  });
  test('lowest priority, source shown: used only when the log states nothing', async () => {
    const dir = path.join(tmp(), 'gpt-125M');
    fs.mkdirSync(dir);
    const f = path.join(dir, 'train.log');
    fs.writeFileSync(f, ITERS.join('\n'));
    const out = parseOutputOf(await loadPaths([f]));
    assert.equal(out.runs[0].params, 125e6);
    assert.match(out.runs[0].paramsSource ?? '', /run name "gpt-125M"/);
    fs.writeFileSync(f, ['Total params: 98,000,000', ...ITERS].join('\n'));
    const out2 = parseOutputOf(await loadPaths([f]));
    assert.equal(out2.runs[0].params, 98e6);
    assert.match(out2.runs[0].paramsSource ?? '', /^train\.log:1 — /);
  });
});

describe('parse --json metadata', () => {
  test('planned steps, tokens and step axis with their sources', async () => {
    const dir = tmp();
    const f = path.join(dir, 'trainer_log.jsonl');
    fs.writeFileSync(
      f,
      [
        '{"current_steps": 10, "total_steps": 500, "loss": 2.0, "epoch": 0.1}',
        '{"current_steps": 20, "total_steps": 500, "loss": 1.8, "epoch": 0.2, "tokens": 81920}',
        '',
      ].join('\n'),
    );
    const out = parseOutputOf(await loadPaths([f]));
    const r = out.runs[0];
    assert.deepEqual(r.plannedSteps, { value: 500, source: 'trainer_log.jsonl:1 — JSONL total_steps' });
    assert.deepEqual(r.stepAxis, { name: 'current_steps', source: 'trainer_log.jsonl:1 — JSONL key "current_steps"' });
    assert.equal(r.tokens, 81920);
    assert.match(r.tokensSource ?? '', /logged "tokens" series \(step 20\)/);
    assert.equal(r.params, null);
    assert.equal(r.paramsSource, null);
  });
  test('a text format whose reader always reads one counter names it', async () => {
    const dir = tmp();
    const f = path.join(dir, 'train.log');
    fs.writeFileSync(
      f,
      [
        'number of parameters: 10.65M',
        'iter 0: loss 4.2, time 10.0ms, mfu -100.00%',
        'iter 10: loss 3.9, time 10.0ms, mfu 1.00%',
        '',
      ].join('\n'),
    );
    const r = parseOutputOf(await loadPaths([f])).runs[0];
    assert.equal(r.format, 'nanogpt');
    assert.equal(r.stepAxis?.name, 'iter');
    assert.equal(r.params, 10_650_000);
    assert.equal(r.paramsSource, 'train.log:1 — log line (nanoGPT)');
  });
});

describe('W&B .wandb history: the Trainer step beats _step', () => {
  // A minimal .wandb file built here from the framing the reader documents (header, FULL records with a CRC-32
  // of type byte + data) and hand-encoded wandb_internal.proto HistoryRecords; the framing is not under test.
  const varint = (n: number): number[] => {
    const out: number[] = [];
    do {
      let b = n & 0x7f;
      n = Math.floor(n / 128);
      if (n) b |= 0x80;
      out.push(b);
    } while (n);
    return out;
  };
  const bytes = (s: string) => Array.from(new TextEncoder().encode(s));
  const lenField = (field: number, payload: number[]) => [
    ...varint((field << 3) | 2),
    ...varint(payload.length),
    ...payload,
  ];
  const item = (key: string, valueJson: string) =>
    lenField(1, [...lenField(1, bytes(key)), ...lenField(16, bytes(valueJson))]);
  const historyRecord = (items: [string, string][]) =>
    lenField(
      2,
      items.flatMap(([k, v]) => item(k, v)),
    );
  function wandbFile(records: number[][]): Uint8Array {
    const out: number[] = [0x3a, 0x57, 0x26, 0x42, 0xe1, 0xbe, 0x00];
    for (const data of records) {
      const typed = new Uint8Array([1, ...data]);
      const crc = crc32(typed);
      out.push(
        crc & 0xff,
        (crc >>> 8) & 0xff,
        (crc >>> 16) & 0xff,
        crc >>> 24,
        data.length & 0xff,
        data.length >> 8,
        1,
        ...data,
      );
    }
    return new Uint8Array(out);
  }
  test('points at train/global_step, which is the axis and not a metric', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sl-wandb-'));
    const f = path.join(dir, 'run-abc123.wandb');
    fs.writeFileSync(
      f,
      wandbFile([
        historyRecord([
          ['_step', '0'],
          ['train/global_step', '10'],
          ['train/loss', '3.0'],
        ]),
        historyRecord([
          ['_step', '1'],
          ['train/global_step', '20'],
          ['eval/loss', '2.7'],
        ]),
        historyRecord([
          ['_step', '2'],
          ['train/global_step', '20'],
          ['train/loss', '2.5'],
        ]),
      ]),
    );
    const run = (await parseFile(f)).runs[0];
    assert.equal(run.format, 'wandb');
    assert.deepEqual(Array.from(run.metrics['train/loss'].step), [10, 20]);
    assert.deepEqual(Array.from(run.metrics['val/loss'].step), [20]);
    assert.equal(run.metrics['train/global_step'], undefined);
    assert.equal(run.meta.stepAxis?.value, 'train/global_step');
  });
  test('without it, _step is the axis and is named a record index', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sl-wandb-'));
    const f = path.join(dir, 'run-abc123.wandb');
    fs.writeFileSync(
      f,
      wandbFile([
        historyRecord([
          ['_step', '0'],
          ['loss', '3.0'],
        ]),
        historyRecord([
          ['_step', '1'],
          ['loss', '2.5'],
        ]),
      ]),
    );
    const run = (await parseFile(f)).runs[0];
    assert.deepEqual(Array.from(run.metrics['train/loss'].step), [0, 1]);
    assert.equal(run.meta.stepAxis?.value, '_step (record index)');
  });
});
