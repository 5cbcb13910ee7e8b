/**
 * A long console whose only metric lines are a few `step:N - key:value - …` lines that the sampled sniff misses
 * (a verl run's W&B `output.log` with sample dumps between steps, issue 14): it is read by the general reader after
 * it reads the file whole (the same whole-file scan as any log between the sampled windows), with a diagnostic
 * saying so, instead of "no reader claimed it".
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseFile, parseText, SNIFF_BYTES } from '../../../src/ingest/incremental';
import { sampleRanges } from '../../../src/ingest/infer/sample';
import type { ParseResult } from '../../../src/ingest/types';

const WORDS = ['the', 'model', 'considers', 'formula', 'implication', 'of', 'and', 'negation', 'is', 'true', 'next'];

/** ~2 MB of prose lines, with 6 step lines placed where none of the sample's windows reaches. */
function console_(): string {
  let seed = 7;
  const rnd = () => (seed = (seed * 1103515245 + 12345) >>> 0) / 4294967296;
  const lines: string[] = [];
  let size = 0;
  while (size < 2_000_000) {
    const l = Array.from({ length: 6 + Math.floor(rnd() * 10) }, () => WORDS[Math.floor(rnd() * WORDS.length)]).join(
      ' ',
    );
    lines.push(l);
    size += l.length + 1;
  }
  const text = lines.join('\n') + '\n';
  const windows = sampleRanges(text.length, SNIFF_BYTES);
  const out: string[] = [];
  let from = 0;
  for (let k = 1; k <= 6; k++) {
    // just after window k ends, at a line start
    const [start, len] = windows[k - 1];
    const at = text.indexOf('\n', start + len + 100) + 1;
    assert.ok(at > from && windows.every(([s, l]) => at + 200 < s || at > s + l));
    out.push(
      text.slice(from, at),
      `step:${k} - actor/kl_loss:0.001 - actor/pg_loss:${(0.5 - k / 10).toFixed(3)} - critic/score/mean:0.2\n`,
    );
    from = at;
  }
  out.push(text.slice(from));
  return out.join('');
}

function check(r: ParseResult): void {
  assert.equal(r.runs.length, 1, JSON.stringify(r.diagnostics).slice(0, 300));
  assert.deepEqual([...r.runs[0].metrics['actor/pg_loss'].value], [0.4, 0.3, 0.2, 0.1, 0, -0.1]);
  assert.deepEqual([...r.runs[0].metrics['actor/pg_loss'].step], [1, 2, 3, 4, 5, 6]);
  assert.ok(r.diagnostics.some((d) => /reading the first .* MiB whole/.test(d.message)));
}

const text = console_();

test('a console whose step lines the sample misses is read by the general reader (parseText)', () => {
  check(parseText('output.log', text) as ParseResult);
});

test('a console whose step lines the sample misses is read by the general reader (parseFile)', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'step-dash-'));
  try {
    const f = path.join(dir, 'output.log');
    fs.writeFileSync(f, text);
    check(await parseFile(f));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
