/**
 * The incremental file reader: resume from an offset, partial lines, truncation, rotation, in-place rewrites,
 * CRLF / CR, over-long lines, invalid bytes, binary and whole readers through the same LogFile.
 * Temporary files live in a fresh directory under os.tmpdir().
 */
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { randomBytes } from 'node:crypto';
import { shared } from '../helpers/paths';
import { IDLE_LAST_LINE_MS, LogFile, parseFile, parseBytes, parseText } from '../../../src/ingest/incremental';
import { openSource } from '../../../src/model/sources';
import type { BinaryReader, WholeReader } from '../../../src/ingest/reader';
import type { ParseResult } from '../../../src/ingest/types';
import { nanogptReader } from '../../../src/ingest/readers/nanogpt';
import { ColumnSeries, seriesFrom } from '../../../src/ingest/series';

let dir = '';
before(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sl-incr-'));
});
after(() => fs.rmSync(dir, { recursive: true, force: true }));
let n = 0;
const tmp = (name = 'run.log') => path.join(dir, `${n++}-${name}`);

/** Series as plain {name: [step, value][]} for comparison. */
function pointsOf(r: ParseResult): Record<string, [number, number][]> {
  const out: Record<string, [number, number][]> = {};
  for (const run of r.runs)
    for (const s of Object.values(run.metrics))
      out[s.name] = Array.from(s.step, (x, i): [number, number] => [x, s.value[i]]);
  return out;
}
const iter = (i: number, loss: number | string) => `iter ${i}: loss ${loss}, time 10.00ms, mfu 1.00%\n`;

describe('appending', () => {
  test('feeding the real nanoGPT log in random pieces gives exactly the one-shot points', async () => {
    const src = fs.readFileSync(shared('logs', 'nanogpt', 'chenzihua_nanogpt_termux_train.log'));
    const oneShot = await parseFile(shared('logs', 'nanogpt', 'chenzihua_nanogpt_termux_train.log'));
    const p = tmp();
    fs.writeFileSync(p, '');
    const lf = new LogFile(p, { sidecars: false });
    let seed = 7;
    const rnd = () => (seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32;
    for (let at = 0; at < src.length;) {
      const k = Math.min(src.length - at, 1 + Math.floor(rnd() * 300)); // splits lines and UTF-8 anywhere
      fs.appendFileSync(p, src.subarray(at, at + k));
      at += k;
      const r = await lf.poll();
      assert.equal(r.reset, false);
    }
    lf.finish();
    assert.deepEqual(pointsOf(lf.result()), pointsOf(oneShot));
    // and the NaN flag survives
    assert.ok(lf.result().diagnostics.some((d) => d.line === 104 && /NaN/.test(d.message)));
  });

  test('a partial last line waits for its newline; only new bytes are read', async () => {
    const p = tmp();
    fs.writeFileSync(p, iter(0, 4.5) + 'iter 5: loss 4.2');
    const lf = new LogFile(p, { reader: nanogptReader, sidecars: false });
    await lf.poll();
    assert.deepEqual(pointsOf(lf.result())['train/loss'], [[0, 4.5]]);
    fs.appendFileSync(p, '082, time 10.00ms, mfu 1.00%\n');
    const before = lf.offset;
    const r = await lf.poll();
    assert.equal(r.grew, true);
    assert.equal(lf.offset - before, '082, time 10.00ms, mfu 1.00%\n'.length);
    assert.deepEqual(pointsOf(lf.result())['train/loss'], [
      [0, 4.5],
      [5, 4.2082],
    ]);
  });

  test('poll(maxBytes) reads in bounded slices and says when more is waiting', async () => {
    const p = tmp();
    let text = '';
    for (let i = 0; i < 2000; i++) text += iter(i, 3 + i / 1e4);
    fs.writeFileSync(p, text);
    const lf = new LogFile(p, { reader: nanogptReader, sidecars: false, chunkBytes: 4096 });
    const r1 = await lf.poll(10_000);
    assert.equal(r1.more, true);
    assert.ok(lf.offset <= 10_000 + 4096 && lf.offset >= 10_000);
    let guard = 0;
    while ((await lf.poll(10_000)).more && guard++ < 1000);
    assert.equal(lf.result().runs[0].metrics['train/loss'].step.length, 2000);
  });
});

describe("an idle file's last line without a line feed (a trainer killed while writing)", () => {
  const longAgo = (p: string) => {
    const t = new Date(Date.now() - 2 * IDLE_LAST_LINE_MS);
    fs.utimesSync(p, t, t);
  };
  const loss = (lf: { result(): ParseResult }) => pointsOf(lf.result())['train/loss'];

  test('read once the file has stood unmodified for the idle time; never without the option or while recent', async () => {
    const text = iter(0, 4.5) + iter(1, 4.4) + 'iter 2: loss 4.3000, time 10.00ms, mfu 1.00%';
    const old = tmp();
    fs.writeFileSync(old, text);
    longAgo(old);
    const idle = new LogFile(old, { reader: nanogptReader, sidecars: false, idleLastLineMs: IDLE_LAST_LINE_MS });
    assert.equal((await idle.poll()).grew, true);
    assert.deepEqual(loss(idle), [
      [0, 4.5],
      [1, 4.4],
      [2, 4.3],
    ]);
    // the same file without the option (the default), or a file written just now: the line waits
    const plain = new LogFile(old, { reader: nanogptReader, sidecars: false });
    await plain.poll();
    assert.equal(loss(plain).length, 2);
    const fresh = tmp();
    fs.writeFileSync(fresh, text);
    const live = new LogFile(fresh, { reader: nanogptReader, sidecars: false, idleLastLineMs: IDLE_LAST_LINE_MS });
    await live.poll();
    await live.poll();
    assert.equal(loss(live).length, 2);
  });

  test('the file grows after all: re-read from the start, the cut number read whole, no early read again', async () => {
    const p = tmp();
    fs.writeFileSync(p, iter(0, 4.5) + 'iter 5: loss 4.2');
    longAgo(p);
    const lf = new LogFile(p, { reader: nanogptReader, sidecars: false, idleLastLineMs: IDLE_LAST_LINE_MS });
    await lf.poll();
    assert.deepEqual(loss(lf), [
      [0, 4.5],
      [5, 4.2],
    ]);
    fs.appendFileSync(p, '082, time 10.00ms, mfu 1.00%\n' + 'iter 6: loss 4.1');
    longAgo(p);
    const r = await lf.poll();
    assert.equal(r.reset, true);
    assert.ok(lf.result().diagnostics.some((d) => /stood idle without a line feed/.test(d.message)));
    // iter 5 read whole (4.2082, not 4.2, not both); iter 6's line, idle again, now waits for its line feed
    assert.deepEqual(loss(lf), [
      [0, 4.5],
      [5, 4.2082],
    ]);
    await lf.poll();
    assert.equal(loss(lf).length, 2);
  });

  test("the extension host's sources read it (openSource passes the idle time)", async () => {
    const p = tmp();
    fs.writeFileSync(p, iter(0, 4.5) + iter(1, 4.4) + iter(2, 4.3) + 'iter 3: loss 4.2000, time 10.00ms, mfu 1.00%');
    longAgo(p);
    const o = await openSource(p);
    assert.ok(o.ok);
    if (!o.ok) return;
    await o.source.poll(1 << 20);
    assert.equal(loss(o.source).length, 4);
  });
});

describe('files that change under us', () => {
  test('truncation: re-read from the start, no duplicated points', async () => {
    const p = tmp();
    fs.writeFileSync(p, iter(0, 5) + iter(5, 4) + iter(10, 3));
    const lf = new LogFile(p, { sidecars: false });
    await lf.poll();
    fs.truncateSync(p, 0);
    fs.appendFileSync(p, iter(0, 9));
    const r = await lf.poll();
    assert.equal(r.reset, true);
    assert.deepEqual(pointsOf(lf.result())['train/loss'], [[0, 9]]);
    assert.ok(lf.result().diagnostics.some((d) => /shrank|truncated/.test(d.message)));
  });

  test('rotation (rename + re-create): the new file is read from its start', async () => {
    const p = tmp();
    fs.writeFileSync(p, iter(0, 5) + iter(5, 4));
    const lf = new LogFile(p, { sidecars: false });
    await lf.poll();
    fs.renameSync(p, p + '.1');
    // longer than the old file, so only the inode tells
    fs.writeFileSync(p, iter(100, 2) + iter(105, 1.9) + iter(110, 1.8));
    const r = await lf.poll();
    assert.equal(r.reset, true);
    assert.deepEqual(pointsOf(lf.result())['train/loss'], [
      [100, 2],
      [105, 1.9],
      [110, 1.8],
    ]);
  });

  test('in-place rewrite with the same size (and the same mtime) is detected', async () => {
    const p = tmp();
    fs.writeFileSync(p, iter(0, 5.5) + iter(5, 4.5));
    const lf = new LogFile(p, { sidecars: false });
    await lf.poll();
    const st = fs.statSync(p);
    const fd = fs.openSync(p, 'r+');
    fs.writeSync(fd, Buffer.from(iter(0, 7.5) + iter(5, 6.5)), 0, undefined, 0); // same length
    fs.closeSync(fd);
    fs.utimesSync(p, st.atime, st.mtime); // defeat the mtime check: only content hashing can tell
    assert.equal(fs.statSync(p).size, st.size);
    const r = await lf.poll();
    assert.equal(r.reset, true);
    assert.deepEqual(pointsOf(lf.result())['train/loss'], [
      [0, 7.5],
      [5, 6.5],
    ]);
  });

  test('rewrite that keeps the head but changes the bytes before the offset, then grows', async () => {
    const p = tmp();
    const head = 'number of parameters: 10.65M\n'.padEnd(5000, '#') + '\n';
    fs.writeFileSync(p, head + iter(0, 5) + iter(5, 4));
    const lf = new LogFile(p, { sidecars: false });
    await lf.poll();
    fs.writeFileSync(p, head + iter(0, 8) + iter(5, 7) + iter(10, 6)); // same first 4 KiB, grew
    const r = await lf.poll();
    assert.equal(r.reset, true);
    assert.deepEqual(pointsOf(lf.result())['train/loss'], [
      [0, 8],
      [5, 7],
      [10, 6],
    ]);
  });

  test('a deleted file reports gone', async () => {
    const p = tmp();
    fs.writeFileSync(p, iter(0, 5));
    const lf = new LogFile(p, { sidecars: false });
    await lf.poll();
    fs.unlinkSync(p);
    assert.equal((await lf.poll()).gone, true);
  });
});

describe('line endings and bad bytes', () => {
  test('CRLF gives the same points as LF', async () => {
    const lf = iter(0, 5) + 'step 0: train loss 5.1, val loss 5.2\n' + iter(5, 4);
    const a = await parseText('a.log', lf);
    const b = await parseText('b.log', lf.replace(/\n/g, '\r\n'));
    assert.deepEqual(pointsOf(b), pointsOf(a));
    assert.equal(pointsOf(a)['train/loss'].length, 2);
  });

  test('lone CR progress-bar noise: the text after each CR is its own line', async () => {
    const text =
      iter(0, 5) + ' 10%|#   | 1/10 [00:01<00:09]\r 20%|##  | 2/10 [00:02<00:08]\r' + iter(5, 4) + iter(10, 3);
    const r = await parseText('cr.log', text);
    assert.deepEqual(pointsOf(r)['train/loss'], [
      [0, 5],
      [5, 4],
      [10, 3],
    ]);
  });

  test('a 50 MB line is skipped with its line number; memory stays bounded; later lines parse', async () => {
    const p = tmp();
    const fd = fs.openSync(p, 'w');
    fs.writeSync(fd, iter(0, 5) + iter(5, 4) + 'x');
    const block = Buffer.alloc(1 << 20, 0x61);
    for (let i = 0; i < 50; i++) fs.writeSync(fd, block);
    fs.writeSync(fd, '\n' + iter(10, 3));
    fs.closeSync(fd);
    const ab0 = process.memoryUsage().arrayBuffers;
    const lf = new LogFile(p, { sidecars: false });
    let peak = 0;
    for (;;) {
      const r = await lf.poll(4 << 20);
      peak = Math.max(peak, process.memoryUsage().arrayBuffers - ab0);
      if (!r.more) break;
    }
    const res = lf.result();
    assert.deepEqual(pointsOf(res)['train/loss'], [
      [0, 5],
      [5, 4],
      [10, 3],
    ]);
    const d = res.diagnostics.find((x) => /longer than/.test(x.message));
    assert.equal(d?.line, 3);
    assert.ok(peak < 16 << 20, `external memory grew by ${peak} bytes`);
  });

  test('invalid UTF-8 → a diagnostic with the line, the other lines still parse', async () => {
    const bytes = Buffer.concat([
      Buffer.from(iter(0, 5)),
      Buffer.from([0x69, 0x74, 0xff, 0xfe, 0xc3, 0x0a]),
      Buffer.from(iter(5, 4)),
    ]);
    const r = await parseBytes('bad.log', bytes, { reader: nanogptReader });
    assert.deepEqual(pointsOf(r)['train/loss'], [
      [0, 5],
      [5, 4],
    ]);
    const d = r.diagnostics.find((x) => /UTF-8/.test(x.message));
    assert.equal(d?.line, 2);
  });

  test('random bytes never throw, as a file and in memory', async () => {
    const bytes = randomBytes(1 << 20);
    const r = await parseBytes('noise.bin', bytes);
    assert.ok(Array.isArray(r.runs) && Array.isArray(r.diagnostics));
    const forced = await parseBytes('noise.log', bytes, { reader: nanogptReader });
    assert.equal(forced.runs.length, 0);
    const p = tmp('noise.log');
    fs.writeFileSync(p, bytes);
    const f = await parseFile(p);
    assert.ok(Array.isArray(f.runs));
  });
});

describe('binary and whole readers through the same LogFile', () => {
  /** A toy binary format: 8-byte records [int32 step, float32 loss]; an incomplete record waits. */
  const toyBinary: BinaryReader = {
    format: 'tensorboard',
    kind: 'binary',
    detect: () => 0,
    create(p) {
      const s = new ColumnSeries('train/loss', 'loss');
      return {
        feed(bytes) {
          const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
          let i = 0;
          for (; i + 8 <= bytes.length; i += 8) {
            s.append(dv.getInt32(i, true), dv.getFloat32(i + 4, true));
          }
          return i;
        },
        result: () => ({
          runs: [{ id: p, path: p, format: 'tensorboard', meta: {}, metrics: { 'train/loss': s } }],
          diagnostics: [],
        }),
      };
    },
  };
  const rec = (s: number, v: number) => {
    const b = Buffer.alloc(8);
    b.writeInt32LE(s, 0);
    b.writeFloatLE(v, 4);
    return b;
  };

  test('binary: records split across appends are parsed once, in order', async () => {
    const p = tmp('events.bin');
    const all = Buffer.concat([rec(1, 4), rec(2, 3), rec(3, 2)]);
    fs.writeFileSync(p, all.subarray(0, 11)); // one record and a half
    const lf = new LogFile(p, { reader: toyBinary, sidecars: false });
    await lf.poll();
    assert.deepEqual(pointsOf(lf.result())['train/loss'], [[1, 4]]);
    fs.appendFileSync(p, all.subarray(11));
    await lf.poll();
    assert.deepEqual(pointsOf(lf.result())['train/loss'], [
      [1, 4],
      [2, 3],
      [3, 2],
    ]);
    fs.truncateSync(p, 8);
    assert.equal((await lf.poll()).reset, true);
    assert.deepEqual(pointsOf(lf.result())['train/loss'], [[1, 4]]);
  });

  test('whole: re-parsed when the file changes, not when it does not', async () => {
    let calls = 0;
    const toyWhole: WholeReader = {
      format: 'hf-trainer-state',
      kind: 'whole',
      detect: () => 0,
      parse(p, content) {
        calls++;
        const xs = JSON.parse(Buffer.from(content).toString()) as number[];
        return {
          runs: [
            {
              id: p,
              path: p,
              format: 'hf-trainer-state',
              meta: {},
              metrics: {
                'train/loss': seriesFrom(
                  'train/loss',
                  'loss',
                  xs.map((_, i) => i),
                  xs,
                ),
              },
            },
          ],
          diagnostics: [],
        };
      },
    };
    const p = tmp('state.json');
    fs.writeFileSync(p, '[3,2]');
    const lf = new LogFile(p, { reader: toyWhole, sidecars: false });
    assert.equal((await lf.poll()).grew, true);
    assert.equal((await lf.poll()).grew, false);
    assert.equal(calls, 1);
    fs.writeFileSync(p, '[3,2,1]');
    await lf.poll();
    assert.equal(calls, 2);
    assert.deepEqual(pointsOf(lf.result())['train/loss'], [
      [0, 3],
      [1, 2],
      [2, 1],
    ]);
  });
});
