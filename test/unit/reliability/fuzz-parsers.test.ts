/**
 * Parser fuzzing over every reader in the registry. Seed corpus: the real logs in ../shared/data/logs and the
 * fixtures under test/fixtures (windows of the large ones, so an input costs ~1 ms). Mutations: bit flips, byte
 * insertions/deletions, truncation, splices of two formats, huge/odd numbers (1e308, 1e999, -0, 0x…, nan),
 * deep JSON nesting (10,000 levels), very long lines (> the 1 MiB line cap), invalid UTF-8, NUL bytes.
 *
 * Every input goes through:
 *  - the one-shot entry point `parseBytes` (content detection, and once more with a randomly forced reader),
 *  - the reader contract directly, WITHOUT parseBytes' safety net: text readers line by line (`LineParser.line`
 *    must never throw), binary readers in random chunk sizes (`ChunkParser.feed`), whole readers' `parse`,
 *  - the incremental text path: `LineFeeder` fed random chunk sizes;
 * and a sample of inputs (1 in 50) through `LogFile.poll` on a real file with a random read budget.
 * Asserts: no exception escapes any of them, every result is well formed (parallel arrays), no input takes
 * longer than 2 s (max reported; > 100 ms flagged), heap after GC grows < 64 MB over the run.
 * Reduced: 10,000 inputs; SCALING_LENS_FULL=1: 100,000. Replay with RELIABILITY_SEED=<seed>.
 * A second test fuzzes the MLflow directory reader: one file of a copied mlruns store mutated per round (plus
 * odd extra file names), 300 rounds (3,000 full).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { READERS } from '../../../src/ingest/registry';
import type { Reader } from '../../../src/ingest/reader';
import type { ParseResult } from '../../../src/ingest/types';
import { LogFile, parseBytes } from '../../../src/ingest/incremental';
import { LineFeeder } from '../../../src/ingest/lineFeeder';
import { REPO, SHARED_DATA } from '../helpers/paths';
import { MB, Rng, enableGc, heapAfterGc, seedFor, size } from './util';

interface Seed {
  name: string;
  bytes: Buffer;
}

function listFiles(dir: string, out: string[] = []): string[] {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) listFiles(p, out);
    else if (e.isFile()) out.push(p);
  }
  return out;
}

function loadCorpus(): Seed[] {
  const roots = [path.join(SHARED_DATA, 'logs'), path.join(REPO, 'test', 'fixtures')];
  const out: Seed[] = [];
  for (const r of roots) {
    assert.ok(fs.existsSync(r), `seed corpus missing: ${r}`);
    for (const f of listFiles(r)) out.push({ name: path.relative(path.dirname(r), f), bytes: fs.readFileSync(f) });
  }
  return out;
}

const ODD_NUMBERS = [
  '1e308',
  '1e999',
  '-1e999',
  '-0',
  '0x1F',
  '0xdeadbeef',
  'nan',
  'NaN',
  '-inf',
  'Infinity',
  '1e-400',
  '99999999999999999999999999',
  '4.9e-324',
  '1_000',
  '1,234.5',
  '.',
  '-',
  '+.e5',
  '0b101',
  '١٢٣',
];

/** A slice of a seed: whole when small, else a window (line-aligned half of the time), sometimes the head. */
function window(rng: Rng, b: Buffer): Buffer {
  if (b.length <= 16384) return b;
  const len = rng.int(256, 16384);
  const start = rng.bool(0.3) ? 0 : rng.int(0, b.length - len);
  let s = start;
  if (rng.bool(0.5)) {
    const nl = b.indexOf(10, s);
    if (nl >= 0 && nl < b.length - 1) s = nl + 1;
  }
  return b.subarray(s, Math.min(b.length, s + len));
}

function mutate(rng: Rng, seeds: Seed[], base: Buffer): { bytes: Buffer; how: string } {
  let b = Buffer.from(base);
  const how = rng.weighted<string>([
    [14, 'bitflip'],
    [10, 'insert'],
    [10, 'delete'],
    [8, 'truncate'],
    [8, 'splice'],
    [12, 'number'],
    [3, 'deepJson'],
    [1, 'longLine'],
    [8, 'badUtf8'],
    [6, 'nul'],
    [8, 'none'],
    [6, 'multi'],
    [3, 'random'],
  ]);
  const apply = (h: string): void => {
    switch (h) {
      case 'bitflip':
        for (let k = rng.int(1, 8); k > 0 && b.length; k--) b[rng.int(0, b.length - 1)] ^= 1 << rng.int(0, 7);
        break;
      case 'insert': {
        const at = rng.int(0, b.length);
        const ins = Buffer.from(
          Array.from({ length: rng.int(1, 64) }, () =>
            rng.bool(0.5) ? rng.int(0, 255) : rng.pick([10, 13, 44, 58, 34, 123, 125, 91, 93, 32, 48, 57]),
          ),
        );
        b = Buffer.concat([b.subarray(0, at), ins, b.subarray(at)]);
        break;
      }
      case 'delete': {
        if (!b.length) break;
        const at = rng.int(0, b.length - 1);
        b = Buffer.concat([b.subarray(0, at), b.subarray(Math.min(b.length, at + rng.int(1, 256)))]);
        break;
      }
      case 'truncate':
        b = b.subarray(0, rng.int(0, b.length));
        break;
      case 'splice': {
        const other = window(rng, rng.pick(seeds).bytes);
        const cut = rng.int(0, b.length);
        b = Buffer.concat([b.subarray(0, cut), other.subarray(rng.int(0, other.length))]);
        break;
      }
      case 'number': {
        const s = b.toString('latin1');
        const re = /-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?/g;
        const hits: [number, number][] = [];
        let m: RegExpExecArray | null;
        while ((m = re.exec(s)) && hits.length < 4000) hits.push([m.index, m[0].length]);
        for (let k = rng.int(1, 20); k > 0 && hits.length; k--) {
          const [at, len] = rng.pick(hits);
          const rep = Buffer.from(rng.pick(ODD_NUMBERS), 'utf8');
          if (at + len <= b.length) b = Buffer.concat([b.subarray(0, at), rep, b.subarray(at + len)]);
        }
        break;
      }
      case 'deepJson': {
        const depth = 10000;
        const open = rng.bool() ? '['.repeat(depth) : '{"a":'.repeat(depth);
        const nest = rng.bool() ? open + '1' + (open[0] === '[' ? ']' : '}').repeat(depth) : open; // closed or not
        const variants = [
          nest,
          `{"loss": ${nest}, "step": 1}`,
          `{"log_history": ${nest}}`,
          `{"lm loss": {"values": ${nest}}}`,
        ];
        const v = Buffer.from(rng.pick(variants) + '\n');
        const at = rng.bool(0.5) ? 0 : b.indexOf(10) + 1;
        b = Buffer.concat([b.subarray(0, at), v, b.subarray(at)]);
        break;
      }
      case 'longLine': {
        const n = rng.int((1 << 20) - 16, (1 << 20) + 4096 * 4);
        const fill = rng.pick(['a', '1', ' ', '{', 'loss ', '\u00e9']);
        const long = Buffer.from(fill.repeat(Math.ceil(n / Buffer.byteLength(fill))).slice(0, n));
        const at = rng.int(0, b.length);
        b = Buffer.concat([b.subarray(0, at), long, rng.bool() ? Buffer.from('\n') : Buffer.alloc(0), b.subarray(at)]);
        break;
      }
      case 'badUtf8': {
        const bad = rng.pick([
          [0xff],
          [0xfe, 0xff],
          [0xc0, 0xaf],
          [0xed, 0xa0, 0x80],
          [0xe2, 0x82],
          [0xf4, 0x90, 0x80, 0x80],
          [0x80, 0x80, 0x80],
          [0xf0],
        ]);
        for (let k = rng.int(1, 6); k > 0; k--) {
          const at = rng.int(0, b.length);
          b = Buffer.concat([b.subarray(0, at), Buffer.from(bad), b.subarray(at)]);
        }
        break;
      }
      case 'nul': {
        for (let k = rng.int(1, 10); k > 0; k--) {
          const at = rng.int(0, b.length);
          b = Buffer.concat([b.subarray(0, at), Buffer.alloc(rng.int(1, 32)), b.subarray(at)]);
        }
        break;
      }
      case 'random':
        b = Buffer.from(Array.from({ length: rng.int(0, 4096) }, () => rng.int(0, 255)));
        break;
      case 'none':
        break;
    }
  };
  if (how === 'multi') {
    const steps: string[] = [];
    for (let k = rng.int(2, 4); k > 0; k--) {
      const h = rng.pick(['bitflip', 'insert', 'delete', 'truncate', 'splice', 'number', 'badUtf8', 'nul']);
      steps.push(h);
      apply(h);
    }
    return { bytes: b, how: 'multi:' + steps.join('+') };
  }
  apply(how);
  return { bytes: b, how };
}

/** Well-formed result: parallel arrays, numbers only. Returns a problem or undefined. */
function malformed(r: unknown): string | undefined {
  const res = r as ParseResult;
  if (!res || !Array.isArray(res.runs) || !Array.isArray(res.diagnostics))
    return 'result without runs/diagnostics arrays';
  for (const run of res.runs) {
    if (!run || typeof run.id !== 'string' || typeof run.metrics !== 'object') return 'run without id/metrics';
    for (const [k, s] of Object.entries(run.metrics)) {
      if (s.step.length !== s.value.length) return `${k}: step/value lengths ${s.step.length} ≠ ${s.value.length}`;
      if (s.time && s.time.length !== s.step.length) return `${k}: time length ${s.time.length} ≠ ${s.step.length}`;
      for (let i = 0; i < s.step.length; i++)
        if (typeof s.step[i] !== 'number' || typeof s.value[i] !== 'number') return `${k}: non-number at ${i}`;
    }
  }
  return undefined;
}

/**
 * A random chunk size: 1 byte … 64 KiB; at least 4 KiB for inputs over 16 KiB. (LineFeeder copies its pending
 * partial line on every push, so feeding a 1 MiB line byte by byte is quadratic by design; a live file's poll
 * reads everything appended, and the copy is bounded by the 1 MiB line cap per poll.)
 */
function chunkSize(rng: Rng, total: number): number {
  const min = total > 16384 ? 4096 : 1;
  return rng.bool(0.2) ? rng.int(min, min + 15) : rng.int(min, 65536);
}

/** Random chunk boundaries over `n` bytes. */
function* chunks(rng: Rng, n: number): Generator<[number, number]> {
  let i = 0;
  while (i < n) {
    const len = chunkSize(rng, n);
    yield [i, Math.min(n, i + len)];
    i += len;
  }
}

/** Drives a reader's contract directly (no safety net). Throws what the reader throws. */
async function driveReader(rng: Rng, reader: Reader, file: string, bytes: Buffer): Promise<void> {
  if (reader.kind === 'whole') {
    const r = await reader.parse(file, bytes);
    const bad = malformed(r);
    if (bad) throw new Error(`${reader.format}.parse: ${bad}`);
    return;
  }
  if (reader.kind === 'binary') {
    const p = reader.create(file);
    let pending: Buffer = Buffer.alloc(0);
    let base = 0;
    for (const [a, z] of chunks(rng, bytes.length)) {
      const data = pending.length ? Buffer.concat([pending, bytes.subarray(a, z)]) : bytes.subarray(a, z);
      const used = p.feed(data, base);
      if (!(used >= 0 && used <= data.length))
        throw new Error(`${reader.format}.feed consumed ${used} of ${data.length}`);
      base += used;
      pending = data.subarray(used);
    }
    const bad = malformed(p.result());
    if (bad) throw new Error(`${reader.format}.result: ${bad}`);
    return;
  }
  // text: line by line straight into the parser (contract: line() never throws) …
  const p = reader.create(file);
  const text = bytes.toString('utf8');
  let lineNo = 0;
  for (const l of text.split('\n')) {
    if (l.length > 1 << 20) continue; // the feeder skips over-long lines before a parser sees them
    p.line(l.endsWith('\r') ? l.slice(0, -1) : l, ++lineNo);
  }
  let bad = malformed(p.result());
  if (bad) throw new Error(`${reader.format}.result (lines): ${bad}`);
  // … and through the incremental LineFeeder in random chunk sizes.
  const p2 = reader.create(file);
  const feeder = new LineFeeder(file, p2);
  for (const [a, z] of chunks(rng, bytes.length)) feeder.push(bytes.subarray(a, z));
  feeder.flush();
  bad = malformed(p2.result());
  if (bad) throw new Error(`${reader.format}.result (feeder): ${bad}`);
}

test(
  'parser fuzzing: no exception escapes, bounded time and memory, across every registered format',
  { timeout: 3_600_000 },
  async () => {
    const seed = seedFor(0xf022);
    const rng = new Rng(seed);
    const total = Number(process.env.RELIABILITY_INPUTS) || size(100_000, 10_000);
    const seeds = loadCorpus();
    const gcOk = enableGc();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sl-fuzz-'));
    const failures: string[] = [];
    const slow: string[] = [];
    const perHow: Record<string, number> = {};
    const perFormat: Record<string, number> = {};
    let maxMs = 0,
      maxWhat = '',
      logFilePolls = 0,
      bytesTotal = 0;
    let slowCount = 0;
    const names = [
      'train.log',
      'metrics.csv',
      'trainer_state.json',
      'log.jsonl',
      'stdout.txt',
      'events.out.tfevents.1.host',
      'run-x.wandb',
      'golden_values_dev.json',
      'points.tsv',
      'x.out',
    ];
    try {
      // warm up (JIT, lazy module state) before the heap baseline
      for (const s of seeds.slice(0, 5)) await parseBytes(path.join(dir, 'w.log'), window(rng, s.bytes));
      const heap0 = heapAfterGc();
      for (let n = 0; n < total; n++) {
        const s = rng.pick(seeds);
        const { bytes, how } = mutate(rng, seeds, window(rng, s.bytes));
        perHow[how.split(':')[0]] = (perHow[how.split(':')[0]] ?? 0) + 1;
        bytesTotal += bytes.length;
        const file = path.join(dir, rng.bool(0.5) ? path.basename(s.name) : rng.pick(names));
        const forced = rng.pick(READERS);
        perFormat[forced.format] = (perFormat[forced.format] ?? 0) + 1;
        const what = `input #${n} (seed=${seed}, from ${s.name}, ${how}, ${bytes.length} bytes, forced ${forced.format})`;
        const t0 = performance.now();
        try {
          let bad = malformed(await parseBytes(file, bytes, { chunkBytes: chunkSize(rng, bytes.length) }));
          if (bad) throw new Error(`parseBytes (detected): ${bad}`);
          bad = malformed(await parseBytes(file, bytes, { reader: forced, chunkBytes: chunkSize(rng, bytes.length) }));
          if (bad) throw new Error(`parseBytes (${forced.format}): ${bad}`);
          if (forced.format !== 'mlflow') await driveReader(rng, forced, file, bytes);
          if (n % 50 === 0) {
            fs.writeFileSync(file, bytes);
            const lf = new LogFile(file, { sidecars: false });
            for (let k = 0; k < 10_000; k++) {
              const r = await lf.poll(chunkSize(rng, bytes.length));
              logFilePolls++;
              if (!r.more) break;
            }
            lf.finish();
            bad = malformed(lf.result());
            if (bad) throw new Error(`LogFile: ${bad}`);
            fs.rmSync(file, { force: true });
          }
        } catch (e) {
          if (failures.length < 20)
            failures.push(`${what}: ${(e as Error)?.stack?.split('\n').slice(0, 3).join(' | ') ?? String(e)}`);
          else failures.push('…');
        }
        const ms = performance.now() - t0;
        if (ms > maxMs) {
          maxMs = ms;
          maxWhat = what;
        }
        if (ms > 100) slowCount++;
        if (ms > 100 && slow.length < 50) slow.push(`${ms.toFixed(0)} ms: ${what}`);
        if (process.env.RELIABILITY_PROGRESS && n % 500 === 0)
          console.error(`  … ${n} inputs, max ${maxMs.toFixed(0)} ms, last ${ms.toFixed(1)} ms`);
      }
      const heap1 = heapAfterGc();
      const growthMb = (heap1 - heap0) / MB;
      console.log(
        `parser fuzzing: seed=${seed} inputs=${total} (${(bytesTotal / MB).toFixed(1)} MB) exceptions=${failures.length} max=${maxMs.toFixed(1)} ms [${maxWhat}] >100ms=${slowCount} LogFile polls=${logFilePolls} heap growth after GC=${growthMb.toFixed(1)} MB (gc ${gcOk ? 'forced' : 'unavailable'})`,
      );
      console.log(`  mutations: ${JSON.stringify(perHow)}`);
      console.log(`  forced readers: ${JSON.stringify(perFormat)}`);
      for (const s of slow.slice(0, 10)) console.log(`  slow: ${s}`);
      assert.deepEqual(failures, [], `exceptions escaped (replay: RELIABILITY_SEED=${seed})`);
      assert.ok(maxMs < 2000, `an input took ${maxMs.toFixed(0)} ms (> 2 s): ${maxWhat}`);
      if (gcOk) assert.ok(growthMb < 64, `heap after GC grew ${growthMb.toFixed(1)} MB over the run`);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  },
);

test(
  'MLflow store fuzzing: mutated metric/param/tag/meta files and odd names in a copied mlruns tree',
  { timeout: 600_000 },
  async () => {
    const seed = seedFor(0xf1a5);
    const rng = new Rng(seed);
    const total = size(3000, 300);
    const src = path.join(SHARED_DATA, 'logs', 'mlflow', 'imageclass_mlruns');
    const seeds = loadCorpus();
    const reader = READERS.find((r) => r.format === 'mlflow');
    assert.ok(reader && reader.kind === 'whole', 'the MLflow reader is a whole (directory) reader');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sl-mlfuzz-'));
    const failures: string[] = [];
    let maxMs = 0;
    try {
      const store = path.join(dir, 'mlruns');
      fs.cpSync(src, store, { recursive: true });
      const files = listFiles(store);
      for (let n = 0; n < total; n++) {
        const f = rng.pick(files);
        const original = fs.readFileSync(f);
        const { bytes, how } = mutate(rng, seeds, original);
        fs.writeFileSync(f, bytes);
        const extra = rng.bool(0.1)
          ? path.join(path.dirname(f), rng.pick(['..weird', 'a b', '\u00e9t\u00e9', 'x'.repeat(200), '.hidden']))
          : undefined;
        if (extra) fs.writeFileSync(extra, bytes.subarray(0, 100));
        const t0 = performance.now();
        try {
          const r = await reader.parse(store, new Uint8Array(0));
          const bad = malformed(r);
          if (bad) throw new Error(bad);
          const r2 = await parseBytes(f, bytes); // a metric file on its own, detected by path
          if (malformed(r2)) throw new Error(`parseBytes: ${malformed(r2)}`);
        } catch (e) {
          failures.push(`#${n} ${path.relative(store, f)} ${how}: ${(e as Error)?.message} (seed=${seed})`);
        }
        maxMs = Math.max(maxMs, performance.now() - t0);
        fs.writeFileSync(f, original);
        if (extra) fs.rmSync(extra, { force: true });
      }
      console.log(
        `mlflow fuzzing: seed=${seed} stores=${total} exceptions=${failures.length} max=${maxMs.toFixed(1)} ms`,
      );
      assert.deepEqual(failures.slice(0, 10), []);
      assert.ok(maxMs < 2000, `max ${maxMs.toFixed(0)} ms`);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  },
);
