/**
 * Logs that are not plain UTF-8: UTF-16 LE/BE with a byte-order mark (Windows PowerShell `>` redirection) and
 * UTF-8 with a BOM. Each must give exactly the points of the same log written as plain UTF-8, however the bytes
 * arrive (odd-sized appends split code units and surrogate pairs), and say how it was decoded.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { LogFile, parseText, parseBytes } from '../../../src/ingest/incremental';
import { Utf16Transcoder, utf16Bom } from '../../../src/ingest/encoding';
import { appendInPieces, points } from './appendPieces';

let dir = '';
before(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sl-enc-'));
});
after(() => fs.rmSync(dir, { recursive: true, force: true }));

const LOG =
  'Overriding config with config/train_gpt2.py:\n🚀 run “gpt2” — été\nnumber of parameters: 123.59M\n' +
  Array.from(
    { length: 60 },
    (_, i) => `iter ${i}: loss ${(5 - i / 50).toFixed(4)}, time 10.00ms, mfu ${i ? '1.00' : '-100.00'}%`,
  ).join('\n') +
  '\nstep 60: train loss 3.8000, val loss 3.9000\n';

function encode(text: string, how: 'utf-16le' | 'utf-16be' | 'utf-8-bom'): Buffer {
  if (how === 'utf-8-bom') return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')]);
  const le = Buffer.from('\uFEFF' + text, 'utf16le');
  return how === 'utf-16le' ? le : Buffer.from(le).swap16();
}

test('UTF-16 transcoder: any chunking gives what Node decodes from the whole buffer', () => {
  const text = 'a🚀b — é\n' + 'x'.repeat(100) + '😀\n';
  const le = Buffer.from('\uFEFF' + text, 'utf16le');
  const be = Buffer.from(le).swap16();
  assert.equal(utf16Bom(le), 'utf-16le');
  assert.equal(utf16Bom(be), 'utf-16be');
  assert.equal(utf16Bom(Buffer.from('iter 1')), undefined);
  for (const [bytes, enc] of [
    [le, 'utf-16le'],
    [be, 'utf-16be'],
  ] as const) {
    for (const size of [1, 2, 3, 5, 7, 1000]) {
      const t = new Utf16Transcoder(enc);
      const parts: Buffer[] = [];
      for (let i = 0; i < bytes.length; i += size) parts.push(t.push(bytes.subarray(i, i + size)));
      parts.push(t.end());
      assert.equal(Buffer.concat(parts).toString('utf8'), text, `${enc} in pieces of ${size}`);
    }
  }
  // a lone trailing byte at the end is not dropped silently
  const t = new Utf16Transcoder('utf-16le');
  assert.equal(
    Buffer.concat([t.push(Buffer.from([0xff, 0xfe, 0x41, 0x00, 0x42])), t.end()]).toString('utf8'),
    'A\uFFFD',
  );
});

for (const how of ['utf-16le', 'utf-16be', 'utf-8-bom'] as const) {
  test(`${how}: same points as plain UTF-8, appended in odd pieces with polls between, and said so`, async () => {
    const want = points(await parseText('/w/train.log', LOG));
    assert.ok(want['train/loss'].length === 60 && want['train/loss'][0][0] === 0, 'reference has iter 0');
    const bytes = encode(LOG, how);
    const oneShot = await parseBytes('/w/train.log', bytes);
    assert.deepEqual(points(oneShot), want, 'one shot');
    const file = path.join(dir, `${how}.log`);
    fs.writeFileSync(file, bytes.subarray(0, 3));
    const lf = new LogFile(file, { sidecars: false });
    await lf.poll();
    await appendInPieces(file, bytes, 3, lf, (at, r) => {
      assert.ok(!r.reset, `no reset at byte ${at}`);
      // never more points than the complete lines written so far hold
      const have = points(lf.result())['train/loss']?.length ?? 0;
      assert.ok(have <= want['train/loss'].length);
    });
    lf.finish();
    const res = lf.result();
    assert.deepEqual(points(res), want, 'incremental');
    assert.equal(res.runs[0].format, 'nanogpt');
    assert.equal(res.runs[0].meta.params?.value, 123_590_000);
    if (how !== 'utf-8-bom') {
      assert.ok(
        res.diagnostics.some((d) => d.severity === 'info' && d.message.startsWith(how.toUpperCase())),
        JSON.stringify(res.diagnostics),
      );
      assert.ok(oneShot.diagnostics.some((d) => d.message.startsWith(how.toUpperCase())));
    }
    assert.ok(!res.diagnostics.some((d) => d.severity !== 'info'), JSON.stringify(res.diagnostics));
  });
}

test('a UTF-8 BOM before a CSV header or a first metric line costs nothing', async () => {
  const csv = 'step,train_loss\n1,2.5\n2,2.25\n';
  const r = await parseBytes('/w/metrics.csv', encode(csv, 'utf-8-bom'));
  assert.deepEqual(points(r)['train/loss'], [
    [1, 2.5],
    [2, 2.25],
  ]);
  const log = await parseBytes(
    '/w/train.log',
    encode('iter 0: loss 4.0, time 1.00ms, mfu -100.00%\niter 1: loss 3.5, time 1.00ms, mfu 1.00%\n', 'utf-8-bom'),
  );
  assert.deepEqual(points(log)['train/loss'], [
    [0, 4],
    [1, 3.5],
  ]);
});
