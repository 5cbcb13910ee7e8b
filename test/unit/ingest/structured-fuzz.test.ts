/**
 * Fuzz test of the part-B readers: thousands of seeded mutations (bit flips, truncation, splices, huge numbers,
 * deep JSON nesting, random bytes, zeroed ranges) of real and fixture inputs. Asserts that no exception escapes
 * any public entry point (detect / line / feed / result / parse), that every result is well formed (parallel
 * arrays of equal length), and that each input is handled in bounded time.
 * Size: 250 mutations per reader by default; SCALING_LENS_FULL=1 (test:reliability) runs 2,500 per reader.
 */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { shared, REPO } from '../helpers/paths';
import type { BinaryReader, Reader, TextReader, WholeReader } from '../../../src/ingest/reader';
import type { ParseResult } from '../../../src/ingest/types';
import { jsonlReader } from '../../../src/ingest/readers/jsonl';
import { csvReader } from '../../../src/ingest/readers/csv';
import { lightningCsvReader } from '../../../src/ingest/readers/lightningCsv';
import { kerasCsvReader } from '../../../src/ingest/readers/kerasCsv';
import { pointsTableReader } from '../../../src/ingest/readers/pointsTable';
import { trainerStateReader } from '../../../src/ingest/readers/trainerState';
import { megatronGoldenReader } from '../../../src/ingest/readers/megatronGolden';
import { tensorboardReader } from '../../../src/ingest/readers/tensorboard';
import { wandbReader } from '../../../src/ingest/readers/wandb';
import { parseMlflow } from '../../../src/ingest/readers/mlflow';
import { linesOf } from './structured-feed';
import { mulberry32 } from '../../../src/fit/bootstrap';

const N = process.env.SCALING_LENS_FULL ? 2500 : 250;
/** Per-input time bound (generous: 2 shared cores under a parallel test run). */
const MAX_MS_PER_INPUT = 1500;

/** mulberry32: small seeded PRNG (the engine's, src/fit/bootstrap.ts). */
const prng = mulberry32;

const enc = new TextEncoder();

/** One random mutation of `base` (other inputs may be spliced in). */
export function mutate(base: Uint8Array, others: Uint8Array[], rnd: () => number): Uint8Array {
  const int = (n: number) => Math.floor(rnd() * n);
  let b: Uint8Array = base.slice();
  const kinds = 1 + int(3);
  for (let k = 0; k < kinds; k++) {
    const at = int(b.length + 1);
    switch (int(9)) {
      case 0: // bit flips
        for (let i = 0, n = 1 + int(8); i < n && b.length; i++) b[int(b.length)] ^= 1 << int(8);
        break;
      case 1: // truncation
        b = b.slice(0, at);
        break;
      case 2: {
        // splice a piece of another input
        const o = others[int(others.length)];
        const s = int(o.length);
        const piece = o.subarray(s, s + int(4096));
        b = concat(b.subarray(0, at), piece, b.subarray(at + int(64)));
        break;
      }
      case 3: {
        // huge / odd numbers
        const nums = [
          '1e309',
          '-1e309',
          '99999999999999999999999999',
          '1e-400',
          'NaN',
          '-Infinity',
          '0x1p3',
          '1,2,3',
          '--1',
          '.',
          '1e',
        ];
        b = concat(b.subarray(0, at), enc.encode(nums[int(nums.length)]), b.subarray(at + int(6)));
        break;
      }
      case 4: {
        // deep JSON nesting
        const d = 1 + int(200000);
        b = concat(
          b.subarray(0, at),
          enc.encode('{"a":'.repeat(int(2)) + '['.repeat(d) + ']'.repeat(int(2) ? d : 0)),
          b.subarray(at),
        );
        break;
      }
      case 5: {
        // random bytes
        const r = Uint8Array.from({ length: 1 + int(256) }, () => int(256));
        b = concat(b.subarray(0, at), r, b.subarray(at));
        break;
      }
      case 6: // zeroed range
        b.fill(0, at, at + int(512));
        break;
      case 7: {
        // duplicate a range (repeated records / rewritten headers)
        const s = int(b.length);
        b = concat(b.subarray(0, at), b.subarray(s, s + int(2048)), b.subarray(at));
        break;
      }
      default: {
        // a very long line
        b = concat(b.subarray(0, at), enc.encode('9'.repeat(int(200000))), b.subarray(at));
      }
    }
  }
  return b;
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

function checkResult(r: ParseResult, what: string): void {
  assert.ok(Array.isArray(r.runs) && Array.isArray(r.diagnostics), what);
  for (const run of r.runs)
    for (const s of Object.values(run.metrics)) {
      assert.equal(s.step.length, s.value.length, `${what}: ${s.name} step/value lengths`);
      if (s.time) assert.equal(s.time.length, s.step.length, `${what}: ${s.name} time length`);
    }
  if (r.points) for (const k of ['N', 'D', 'C'] as const) assert.equal(r.points[k].length, r.points.loss.length, what);
}

async function runOnce(reader: Reader, p: string, bytes: Uint8Array, rnd: () => number): Promise<ParseResult> {
  reader.detect({ path: p, head: bytes.subarray(0, 65536), text: new TextDecoder().decode(bytes.subarray(0, 65536)) });
  if (reader.kind === 'text') {
    const parser = (reader as TextReader).create(p);
    linesOf(new TextDecoder().decode(bytes)).forEach((l, i) => parser.line(l, i + 1));
    return parser.result();
  }
  if (reader.kind === 'binary') {
    const parser = (reader as BinaryReader).create(p);
    let off = 0;
    let pending = new Uint8Array(0);
    for (let i = 0; i < bytes.length;) {
      const n = 1 + Math.floor(rnd() * 20000);
      const all = concat(pending, bytes.subarray(i, i + n));
      i += n;
      const used = parser.feed(all, off);
      assert.ok(used >= 0 && used <= all.length, `feed consumed ${used} of ${all.length}`);
      off += used;
      pending = all.slice(used);
    }
    return parser.result();
  }
  return await (reader as WholeReader).parse(p, bytes);
}

const fixture = (...p: string[]) => path.join(REPO, 'test', 'fixtures', 'logs', ...p);
const head = (f: string, n: number) => new Uint8Array(fs.readFileSync(f)).slice(0, n);

describe(`fuzz: part-B readers (${N} mutations each)`, () => {
  const cases: [string, Reader, () => Uint8Array[]][] = [
    [
      'jsonl',
      jsonlReader,
      () => [
        head(shared('logs', 'jsonl', 'luojiu_7b_llamafactory_trainer_log.jsonl'), 12000),
        head(fixture('jsonl', 'nested_metrics.jsonl'), 1e6),
      ],
    ],
    ['csv', csvReader, () => [head(shared('lr-schedules', '25M', 'wsdcon_9.csv'), 1e6)]],
    [
      'lightning-csv',
      lightningCsvReader,
      () => [head(shared('logs', 'lightning-csv', 'slm_training_v0_metrics.csv'), 16000)],
    ],
    [
      'keras-csv',
      kerasCsvReader,
      () => [
        head(shared('logs', 'keras-csvlogger', 'tomato_leaf_cnn_keras_training_log.csv'), 1e6),
        head(fixture('csv', 'keras_diverged.csv'), 1e6),
      ],
    ],
    [
      'points-table',
      pointsTableReader,
      () => [
        head(shared('chinchilla', 'svg_extracted_data.csv'), 12000),
        head(fixture('csv', 'sweep_points.tsv'), 1e6),
      ],
    ],
    [
      'hf-trainer-state',
      trainerStateReader,
      () => [head(shared('logs', 'hf-trainer-state', 'tinyllama_finetune_trainer_state.json'), 1e6)],
    ],
    [
      'megatron-golden',
      megatronGoldenReader,
      () => [head(shared('logs', 'megatron-golden-values', 'bert_mcore_tp1_pp2_golden_values_dev_dgx_h100.json'), 1e6)],
    ],
    [
      'tensorboard',
      tensorboardReader,
      () => [head(shared('logs', 'tensorboard', 't5_pile_base_train_events.out.tfevents.1691309474.v2'), 40000)],
    ],
    [
      'wandb',
      wandbReader,
      () => [head(fixture('wandb', 'offline-run-20240611_101500-k3x9p2qa', 'run-k3x9p2qa.wandb'), 80000)],
    ],
  ];
  cases.forEach(([name, reader, bases], ci) => {
    test(`${name}: no exception escapes, results well formed, bounded time`, async () => {
      const inputs = bases();
      const rnd = prng(0x5eed + ci);
      let worst = 0;
      for (let i = 0; i < N; i++) {
        const input = mutate(inputs[i % inputs.length], inputs, rnd);
        const t0 = performance.now();
        let r: ParseResult;
        try {
          r = await runOnce(reader, `/fuzz/${name}/input-${i}`, input, rnd);
        } catch (e) {
          assert.fail(`${name} mutation #${i} (seed ${0x5eed + ci}) threw: ${e instanceof Error ? e.stack : e}`);
        }
        const ms = performance.now() - t0;
        worst = Math.max(worst, ms);
        assert.ok(ms < MAX_MS_PER_INPUT, `${name} mutation #${i} took ${ms.toFixed(0)} ms`);
        checkResult(r!, `${name} #${i}`);
      }
      assert.ok(worst >= 0);
    });
  });

  test('mlflow: mutated metric/meta/param files in a temp store never throw', () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'sl-fuzz-mlruns-'));
    const run = path.join(root, 'mlruns', '1', 'r1');
    fs.mkdirSync(path.join(run, 'metrics'), { recursive: true });
    fs.mkdirSync(path.join(run, 'params'), { recursive: true });
    fs.writeFileSync(path.join(root, 'mlruns', '1', 'meta.yaml'), 'name: e\n');
    const bases = [
      enc.encode('1700000000000 5.5 0\n1700000001000 4.5 100\n'),
      enc.encode('run_name: x\nlifecycle_stage: active\n'),
      enc.encode('adam'),
    ];
    const rnd = prng(77);
    for (let i = 0; i < Math.ceil(N / 5); i++) {
      fs.writeFileSync(path.join(run, 'metrics', 'loss'), mutate(bases[0], bases, rnd));
      fs.writeFileSync(path.join(run, 'meta.yaml'), mutate(bases[1], bases, rnd));
      fs.writeFileSync(path.join(run, 'params', 'opt'), mutate(bases[2], bases, rnd));
      const t0 = performance.now();
      const r = parseMlflow(path.join(root, 'mlruns'));
      assert.ok(performance.now() - t0 < MAX_MS_PER_INPUT);
      checkResult(r, `mlflow #${i}`);
      assert.equal(r.runs.length, 1);
    }
    fs.rmSync(root, { recursive: true });
  });
});
