/**
 * `scalingLens.customPatterns` (src/ingest/readers/customPatterns.ts): user regexes with named groups `step` and
 * `value` read plain-text logs no built-in reader claims; bad patterns are reported, not thrown; built-in formats
 * still win over a custom pattern that also matches them.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { compileCustomPatterns } from '../../../src/ingest/readers/customPatterns';
import { LogFile } from '../../../src/ingest/incremental';
import { READERS } from '../../../src/ingest/registry';

const EVAL = { metric: 'custom/score', regex: '^EVAL round=(?<step>\\d+) score=(?<value>[-+0-9.eE]+)$' };

async function read(text: string, patterns: { metric: string; regex: string }[]) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sl-custom-'));
  const f = path.join(dir, 'run.log');
  fs.writeFileSync(f, text);
  try {
    const { reader } = compileCustomPatterns(patterns);
    const lf = new LogFile(f, reader ? { readers: [reader, ...READERS] } : {});
    for (;;) {
      const r = await lf.poll(1 << 20);
      if (!r.more) break;
    }
    return { format: lf.format, runs: lf.result().runs };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

test('custom patterns: matching lines become points of the named metric; other lines are ignored', async () => {
  let s = 'starting evaluation harness\n';
  for (let i = 1; i <= 30; i++) s += `EVAL round=${i * 10} score=${(i / 40).toFixed(3)}\nsome other line ${i}\n`;
  s += `EVAL round=999 score=${'9'.repeat(5000)}\n`; // a line over the length bound is skipped
  const r = await read(s, [EVAL]);
  assert.equal(r.format, 'custom');
  const series = r.runs[0].metrics['custom/score'];
  assert.deepEqual(
    Array.from(series.step),
    Array.from({ length: 30 }, (_, i) => (i + 1) * 10),
  );
  assert.equal(series.value[29], 0.75);
  // without the pattern the same file is no log at all
  assert.equal((await read(s, [])).format, undefined);
});

test('custom patterns: invalid ones are reported and left out, never thrown', () => {
  const { reader, errors } = compileCustomPatterns([
    { metric: 'a', regex: '(' },
    { metric: 'b', regex: '^step (\\d+) loss ([\\d.]+)$' },
    { metric: '', regex: '(?<step>\\d+) (?<value>\\d+)' },
    { metric: 'c', regex: 'x'.repeat(1001) },
  ]);
  assert.equal(reader, undefined);
  assert.equal(errors.length, 4);
  assert.match(errors[0], /invalid regular expression/);
  assert.match(errors[1], /named groups/);
});

test('custom patterns: a built-in format still wins when a pattern also matches it', async () => {
  let s = '';
  for (let i = 0; i < 40; i++) s += `iter ${i}: loss ${(3 - i / 100).toFixed(4)}, time 100.00ms, mfu 30.00%\n`;
  const r = await read(s, [{ metric: 'x', regex: '^iter (?<step>\\d+): loss (?<value>[\\d.]+)' }]);
  assert.equal(r.format, 'nanogpt');
});
