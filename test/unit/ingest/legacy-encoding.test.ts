/**
 * Logs that are not UTF-8 and carry no byte-order mark (issue 14): GB18030/GBK (Chinese Windows consoles),
 * Windows-1252 (Western ones), and UTF-16LE with a BOM as Windows PowerShell's `>` writes it (CRLF). Each must
 * give the step/loss series the test wrote, the same points as the same text written in UTF-8, in one shot and
 * appended in odd pieces that split double-byte characters and UTF-16 code units, and say how it was decoded.
 * The decision is a rule about bytes (encoding.ts `sniffEncoding`), checked here on its own too; and UTF-8
 * input — valid, or with a few stray bytes among many valid multi-byte characters — keeps the UTF-8 path:
 * no transcoding, no encoding diagnostic, the same result as before.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { LogFile, encodingOfBytes, parseBytes, parseText } from '../../../src/ingest/incremental';
import { LegacyTranscoder, sniffEncoding, toUtf8, utf8Census } from '../../../src/ingest/encoding';
import { appendInPieces, points } from './appendPieces';

let dir = '';
before(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sl-legacy-'));
});
after(() => fs.rmSync(dir, { recursive: true, force: true }));

/**
 * A GB18030 encoder for the test, independent of the code under test's choices: every two-byte GBK code
 * (lead 0x81–0xFE, trail 0x40–0x7E / 0x80–0xFE) decoded once by ICU, inverted; ASCII as itself.
 */
const GBK = (() => {
  const pairs: number[] = [];
  for (let lead = 0x81; lead <= 0xfe; lead++)
    for (let trail = 0x40; trail <= 0xfe; trail++) if (trail !== 0x7f) pairs.push(lead, trail);
  const text = new TextDecoder('gb18030').decode(Uint8Array.from(pairs));
  const map = new Map<string, [number, number]>();
  // every pair decodes to one BMP character, in order
  assert.equal(text.length, pairs.length / 2);
  for (let i = 0; i < text.length; i++) if (!map.has(text[i])) map.set(text[i], [pairs[2 * i], pairs[2 * i + 1]]);
  return map;
})();
function gb18030(s: string): Buffer {
  const out: number[] = [];
  for (const ch of s) {
    const c = ch.charCodeAt(0);
    if (c < 0x80) out.push(c);
    else {
      const p = GBK.get(ch);
      assert.ok(p, `no GBK code for ${ch}`);
      out.push(...p);
    }
  }
  return Buffer.from(out);
}
/** Windows-1252 = Latin-1 on U+00A0–U+00FF, which is all these tests write. */
const cp1252 = (s: string) => {
  assert.ok([...s].every((c) => c.charCodeAt(0) < 0x100));
  return Buffer.from(s, 'latin1');
};
const utf16leBom = (s: string) => Buffer.from('\uFEFF' + s, 'utf16le');

const N = 40;
const loss = (i: number) => +(3 - i * 0.05).toFixed(4);
const known = Array.from({ length: N }, (_, k): [number, number] => [(k + 1) * 10, loss(k + 1)]);

interface Case {
  name: string;
  text: string;
  encode: (s: string) => Buffer;
  /** the start of the encoding diagnostic */
  says: RegExp;
}
const CASES: Case[] = [
  {
    name: 'GB18030 with CJK keys (步数：…，损失：…)',
    text:
      '训练开始，起始时间：2024-07-13 06:23:43\n' +
      known.map(([s, l], k) => `步数：${s}，损失：${l.toFixed(4)}，准确率：${(k * 1.5).toFixed(2)}%`).join('\n') +
      '\n最佳模型保存成功！\n',
    encode: gb18030,
    says: /decoded as GB18030/,
  },
  {
    name: 'GB18030 with English keys among Chinese words ([训练] step … | 损失 …)',
    text:
      '模型：小型GPT\n' +
      known
        .map(([s, l], k) => `[训练] step ${s} | 损失 ${l.toFixed(4)} | 耗时 ${(1.2 + k / 100).toFixed(2)}s`)
        .join('\n') +
      '\n',
    encode: gb18030,
    says: /decoded as GB18030/,
  },
  {
    name: 'Windows-1252 with µ and ° (step … | loss … | 12.5 µs/it | GPU 45°C)',
    text:
      "Démarrage de l'entraînement — modèle « petit »\n".replace('—', '-').replace('«', '"').replace('»', '"') +
      known
        .map(([s, l], k) => `step ${s} | loss ${l.toFixed(4)} | ${(12.5 + k).toFixed(1)} µs/it | GPU ${45 + (k % 3)}°C`)
        .join('\n') +
      '\n',
    encode: cp1252,
    says: /decoded as Windows-1252/,
  },
  {
    name: 'UTF-16LE with a BOM and CRLF, as Windows PowerShell `>` writes it',
    text:
      '**********************\r\nWindows PowerShell transcript start\r\n' +
      known.map(([s, l]) => `Epoch 1 | step ${s} | 损失 ${l.toFixed(4)} | 12.5 µs/it`).join('\r\n') +
      '\r\n',
    encode: utf16leBom,
    says: /^UTF-16LE text \(byte-order mark\)/,
  },
];

for (const c of CASES) {
  test(`${c.name}: the known loss series, as from UTF-8, one shot and appended in odd pieces`, async () => {
    const bytes = c.encode(c.text);
    assert.ok(!bytes.equals(Buffer.from(c.text, 'utf8')), 'the encoding differs from UTF-8');
    const ref = points(await parseText('/w/train.log', c.text));
    assert.deepEqual(ref['train/loss'], known, 'the UTF-8 text gives the known series');
    const one = await parseBytes('/w/train.log', bytes);
    assert.deepEqual(points(one), ref, 'one shot');
    assert.ok(
      one.diagnostics.some((d) => d.severity === 'info' && c.says.test(d.message)),
      JSON.stringify(one.diagnostics),
    );
    // appended in pieces of 1, 3, 7, … bytes: a GBK character's two bytes and UTF-16 code units are split
    const file = path.join(dir, c.name.replace(/\W+/g, '_') + '.log');
    fs.writeFileSync(file, bytes.subarray(0, 1));
    const lf = new LogFile(file, { sidecars: false });
    await lf.poll();
    await appendInPieces(file, bytes, 1, lf, (at) => {
      const have = points(lf.result())['train/loss']?.length ?? 0;
      assert.ok(have <= N, `never more points than written (${have} at byte ${at})`);
    });
    lf.finish();
    const res = lf.result();
    assert.deepEqual(points(res), ref, 'incremental');
    assert.ok(
      res.diagnostics.some((d) => d.severity === 'info' && c.says.test(d.message)),
      JSON.stringify(res.diagnostics),
    );
    assert.ok(!res.diagnostics.some((d) => /U\+FFFD/.test(d.message)), 'no replacement characters reported');
  });
}

test('GB18030 after 100 KiB of ASCII warnings: decided on the sample, not the head', async () => {
  const preamble = Array.from({ length: 2000 }, (_, i) => `warning: deprecated option --opt${i} ignored`).join('\n');
  const text = preamble + '\n' + CASES[0].text;
  assert.ok(preamble.length > 64 * 1024);
  const bytes = gb18030(text);
  const ref = points(await parseText('/w/train.log', text));
  assert.deepEqual(ref['train/loss'], known);
  assert.deepEqual(points(await parseBytes('/w/train.log', bytes)), ref, 'one shot');
  // live: the ASCII preamble is written first, the Chinese lines arrive later
  const file = path.join(dir, 'late-gbk.log');
  const cut = Buffer.byteLength(preamble) + 1;
  fs.writeFileSync(file, bytes.subarray(0, cut));
  const lf = new LogFile(file, { sidecars: false });
  await lf.poll();
  for (let at = cut; at < bytes.length; at += 101) {
    fs.appendFileSync(file, bytes.subarray(at, at + 101));
    await lf.poll();
  }
  lf.finish();
  const res = lf.result();
  assert.deepEqual(points(res), ref, 'incremental');
  assert.ok(
    res.diagnostics.some((d) => /decoded as GB18030/.test(d.message)),
    JSON.stringify(res.diagnostics),
  );
});

test('a Windows-1252 byte after 200 UTF-8-valid records: the file is re-read from the start, said so', async () => {
  const rec = (s: number) => `step ${s} | loss ${(4 - s / 1000).toFixed(4)} | lr 3.0e-4`;
  const steps = Array.from({ length: 240 }, (_, k) => (k + 1) * 10);
  const text = [
    'training started',
    ...steps.slice(0, 200).map(rec),
    'GPU temperature 85°C: clocks throttled',
    ...steps.slice(200).map(rec),
  ].join('\n');
  const bytes = cp1252(text + '\n');
  const want = steps.map((s): [number, number] => [s, +(4 - s / 1000).toFixed(4)]);
  assert.deepEqual(points(await parseText('/w/train.log', text))['train/loss'], want);
  assert.deepEqual(points(await parseBytes('/w/train.log', bytes))['train/loss'], want, 'one shot');
  const file = path.join(dir, 'late-cp1252.log');
  const cut = bytes.indexOf(Buffer.from('GPU'));
  fs.writeFileSync(file, bytes.subarray(0, cut));
  const lf = new LogFile(file, { sidecars: false });
  await lf.poll();
  assert.equal(points(lf.result())['train/loss'].length, 200, 'read as UTF-8 so far');
  let resets = 0;
  for (let at = cut; at < bytes.length; at += 57) {
    fs.appendFileSync(file, bytes.subarray(at, at + 57));
    if ((await lf.poll()).reset) resets++;
  }
  lf.finish();
  const res = lf.result();
  assert.deepEqual(points(res)['train/loss'], want, 'incremental');
  assert.ok(resets >= 1, 're-read');
  const msgs = res.diagnostics.map((d) => d.message);
  assert.ok(
    msgs.some((m) => /read as UTF-8, but its bytes are WINDOWS-1252/.test(m)),
    msgs.join('\n'),
  );
  assert.ok(
    msgs.some((m) => /decoded as Windows-1252/.test(m)),
    msgs.join('\n'),
  );
});

test('the rule: by bytes, not by file', () => {
  const v = (s: Buffer | string) => sniffEncoding([typeof s === 'string' ? Buffer.from(s) : s]).encoding;
  // GB18030 decodes `µs` (B5 73) and `°C` (B0 43) too, but single high bytes between ASCII are Windows-1252
  assert.equal(new TextDecoder('gb18030', { fatal: true }).decode(cp1252('12 µs 45°C')).length, 8);
  assert.equal(v(cp1252('time 12.5 µs, GPU 45°C\n')), 'windows-1252');
  assert.equal(v(cp1252('époque 3 : perte 2.5\n')), 'windows-1252');
  assert.equal(v(gb18030('当前损失值：2.5\n')), 'gb18030');
  assert.equal(v(gb18030('损失 2.5\n')), 'gb18030');
  // UTF-8: plain, BOM, cut mid-character at the end of the sample, or a few stray bytes among many characters
  assert.equal(v('损失 2.5 — 🚀\n'), 'utf-8');
  assert.equal(v(Buffer.from('损失 2.5\n损').subarray(0, -1)), 'utf-8');
  assert.equal(v(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), cp1252('µ')])), 'utf-8');
  assert.equal(
    v(Buffer.concat([Buffer.from('步数 1 损失 2.5 █████ ✓\n'.repeat(3)), Buffer.from([0xff, 0x0a])])),
    'utf-8',
  );
  assert.equal(v(Buffer.from([0xff, 0xfe, 0x41, 0x00])), 'utf-16le');
  assert.equal(v(Buffer.from([0xfe, 0xff, 0x00, 0x41])), 'utf-16be');
  // the census: valid multi-byte sequences, invalid ones, the first bad offset; a cut tail is neither
  assert.deepEqual(utf8Census(Buffer.from([0x61, 0xc3, 0xa9, 0xff, 0xe6, 0x8d])), { multi: 1, invalid: 1, first: 3 });
  assert.deepEqual(utf8Census(Buffer.from([0xe6, 0x41, 0xc0, 0xaf])), { multi: 0, invalid: 3, first: 0 });
  // the diagnostic names the first line that is not UTF-8
  assert.equal(sniffEncoding([cp1252('step 1\nstep 2 µs\n')]).line, 2);
});

test('a GB18030 character split across reads waits for its second byte', () => {
  const bytes = gb18030('损失：2.5\n');
  for (let cut = 1; cut < bytes.length; cut++) {
    const t = new LegacyTranscoder('gb18030');
    const s = Buffer.concat([t.push(bytes.subarray(0, cut)), t.push(bytes.subarray(cut)), t.end()]).toString('utf8');
    assert.equal(s, '损失：2.5\n', `cut at ${cut}`);
  }
});

test('UTF-8 path unchanged (fuzz): valid UTF-8 logs, and ones with a few stray bytes among many characters', async () => {
  let seed = 12345;
  const rnd = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32) as number;
  const pick = <T>(a: readonly T[]) => a[Math.floor(rnd() * a.length)];
  const words = ['loss', 'step', '损失', 'époque', '🚀', 'µs', '█', 'ステップ', '손실', 'lr', 'acc', '—'];
  const wide = words.filter((w) => /[^\x00-\x7f]/.test(w)); // every line holds a multi-byte character
  for (let trial = 0; trial < 60; trial++) {
    const lines: string[] = [];
    for (let i = 1; i <= 30 + Math.floor(rnd() * 50); i++)
      lines.push(
        `${pick(words)} step ${i * 10} | loss ${(4 - i / 40).toFixed(3)} | ${pick(wide)} ${(rnd() * 9).toFixed(2)}`,
      );
    const text = lines.join(rnd() < 0.3 ? '\r\n' : '\n') + '\n';
    let bytes: Buffer = Buffer.from(text, 'utf8');
    const stray = trial % 3 === 2;
    if (stray) {
      // one or two stray bytes where a line has at least a handful of valid multi-byte characters around it
      const at = bytes.indexOf(10, Math.floor(bytes.length / 2)) + 1;
      bytes = Buffer.concat([bytes.subarray(0, at), Buffer.from([0xff, 0x20]), bytes.subarray(at)]);
    }
    const v = encodingOfBytes(bytes);
    assert.equal(v.encoding, 'utf-8', `trial ${trial}`);
    assert.equal(toUtf8(bytes, v.encoding), bytes, 'the same bytes, not a copy: nothing transcoded');
    const r = await parseBytes('/w/train.log', bytes);
    assert.ok(!r.diagnostics.some((d) => /decoded as|converted to UTF-8/.test(d.message)), `trial ${trial}`);
    if (stray) {
      // (when a reader claims the text: the reader's lines carry the report)
      if (r.runs.length)
        assert.ok(
          r.diagnostics.some((d) => /invalid UTF-8/.test(d.message)),
          'the stray bytes still reported',
        );
    } else if (trial % 4 === 0) {
      // the incremental reader takes the same UTF-8 path: read at once, the same points; fed in random pieces,
      // never re-read for its encoding
      const file = path.join(dir, `fuzz${trial}.log`);
      fs.writeFileSync(file, bytes);
      const whole = new LogFile(file, { sidecars: false });
      await whole.poll();
      whole.finish();
      assert.deepEqual(points(whole.result()), points(r), `trial ${trial}`);
      fs.writeFileSync(file, '');
      const lf = new LogFile(file, { sidecars: false });
      for (let at = 0; at < bytes.length;) {
        const n = 1 + Math.floor(rnd() * 700);
        fs.appendFileSync(file, bytes.subarray(at, at + n));
        at += n;
        await lf.poll();
      }
      lf.finish();
      const msgs = lf.result().diagnostics.map((d) => d.message);
      assert.ok(!msgs.some((m) => /its bytes are|decoded as|converted to UTF-8/.test(m)), msgs.join('\n'));
    }
  }
});
