/**
 * LineFeeder's bytes path (`bytesLine`, the general reader's) splits lines at lone CRs (tqdm redraws) exactly as
 * the string path does: same segments, same line numbers, empty segments dropped the same way. It keeps the next
 * CR's position across lines instead of searching from every line (issue 17), so CRs several lines apart, several
 * CRs on one line, CR at a line's start or end, CRLF, and pieces split anywhere are compared here, on random input.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LineFeeder } from '../../../src/ingest/lineFeeder';
import type { LineParser } from '../../../src/ingest/reader';

/** Records what the feeder delivers; with `bytes` it offers `bytesLine` (the bytes path), else only `line`. */
function recorder(bytes: boolean): LineParser & { got: string[] } {
  const got: string[] = [];
  const p: LineParser & { got: string[] } = {
    got,
    line: (t, n) => void got.push(`${n}:${t}`),
    result: () => ({ runs: [], diagnostics: [] }),
  };
  if (bytes)
    p.bytesLine = (b, s, e, n) =>
      void got.push(`${n}:${Buffer.from(b.buffer, b.byteOffset + s, e - s).toString('utf8')}`);
  return p;
}

function feed(text: string, bytes: boolean, chunk: number, maxLine?: number): string[] {
  const r = recorder(bytes);
  const f = new LineFeeder('/t.log', r, maxLine);
  const buf = Buffer.from(text, 'utf8');
  for (let i = 0; i < buf.length; i += chunk) f.push(buf.subarray(i, i + chunk));
  f.flush();
  return [...r.got, ...f.diagnostics.map((d) => `diag ${d.line}: ${d.message}`)];
}

test('bytes path = string path on lines with lone CRs, CRLF and empty segments (random, any chunking)', () => {
  let seed = 4242;
  const rnd = () => (seed = (seed * 1103515245 + 12345) >>> 0) / 4294967296;
  const pieces = ['step 1 loss 2.5', 'train: 10%|██ | 1/10', '', 'é', 'x', 'eval 3: 1.25', ' '];
  const seps = ['\n', '\n', '\n', '\r', '\r\n', '\r\r', '\n\n', '\r\n\r'];
  let checked = 0;
  for (let k = 0; k < 300; k++) {
    let text = '';
    const n = 1 + Math.floor(rnd() * 40);
    for (let j = 0; j < n; j++) {
      // CRs sometimes every line, sometimes many lines apart
      const sep = rnd() < 0.7 ? '\n' : seps[Math.floor(rnd() * seps.length)];
      text += pieces[Math.floor(rnd() * pieces.length)] + sep;
    }
    if (rnd() < 0.3) text = text.slice(0, -1);
    for (const chunk of [1, 5, 64, 1 << 20]) {
      const maxLine = rnd() < 0.2 ? 12 : undefined;
      const a = feed(text, true, chunk, maxLine);
      const b = feed(text, false, chunk, maxLine);
      assert.deepStrictEqual(a, b, `input ${JSON.stringify(text)}, chunks of ${chunk}, max line ${maxLine}`);
      checked += a.length;
    }
  }
  assert.ok(checked > 10000, `${checked} lines compared`);
});

test('a CR far ahead of the current line does not split the lines before it', () => {
  const text = 'a 1\nb 2\nc 3\nd 4\re 5\nf 6\n';
  const got = feed(text, true, 1 << 20);
  assert.deepStrictEqual(got, ['1:a 1', '2:b 2', '3:c 3', '4:d 4', '4:e 5', '5:f 6']);
});
