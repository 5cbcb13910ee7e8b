/**
 * A long console whose only metric lines are a few `step:N - key:value - …` lines that the sampled sniff misses
 * (a verl run's W&B `output.log` with sample dumps between steps, issue 14): it is read by the general reader, with
 * a diagnostic naming the line, instead of "no reader claimed it".
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseFile, parseText, SNIFF_BYTES } from '../../../src/ingest/incremental';
import { sampleRanges } from '../../../src/ingest/infer/sample';
import { STEP_DASH_CARRY_CHARS, stepDashCarry, stepDashKeyLineAt } from '../../../src/ingest/stepDashLines';
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
  assert.ok(r.diagnostics.some((d) => /step's metric line/.test(d.message)));
}

test('stepDashKeyLineAt: a step counter then " - "-separated key:value pairs, at a line start', () => {
  assert.equal(stepDashKeyLineAt('a\nstep:3 - actor/pg_loss:-0.1 - x:2\n'), 2);
  assert.equal(stepDashKeyLineAt('(TaskRunner pid=9) step:1 - a/b:0.5'), 0);
  assert.equal(stepDashKeyLineAt('we take one step:3 - then more\nstep: 3 - a:1\nstep:3 - a:b\n'), -1);
});

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

test('stepDashCarry: the unfinished last line is carried, a newline-free run longer than the bound is not', () => {
  assert.equal(stepDashCarry('a\nstep:3 - a'), 'step:3 - a');
  assert.equal(stepDashCarry('a\n'), '');
  const long = 'x'.repeat(STEP_DASH_CARRY_CHARS + 1);
  assert.equal(stepDashCarry('a\n' + long), '\u0000');
  assert.equal(stepDashCarry(long), '\u0000');
  // the stand-in is not a line start: a piece that follows it does not begin a metric line
  assert.equal(stepDashKeyLineAt(stepDashCarry(long) + 'step:3 - a/b:0.5'), -1);
});
