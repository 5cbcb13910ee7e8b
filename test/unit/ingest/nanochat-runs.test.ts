/**
 * nanochat: a step counter that goes back after its run reached the planned total opens a new run in the same file
 * (pre-training then SFT in a speedrun's log). What the metadata scanner reads after that belongs to the new run.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parse, lines } from './inferCase';

const step = (s: number, total: number | undefined, loss: number) =>
  `step ${String(s).padStart(5, '0')}${total ? `/${String(total).padStart(5, '0')}` : ''} (${((100 * s) / (total ?? 10)).toFixed(2)}%) | loss: ${loss.toFixed(6)} | grad norm: 0.5000 | lrm: 1.00 | dt: 123.45ms | tok/sec: 123,456 | mfu: 45.67 | total time: 1.23m`;

test('nanochat: a parameter count printed after the second run opened is that run’s, not the first’s', async () => {
  for (const [said, count] of [
    ['Number of parameters: 1,234,567', 1_234_567],
    ['Model params : 2,345,678', 2_345_678],
  ] as const) {
    const text = lines(
      'Number of parameters: 560,988,160',
      ...[0, 1, 2, 3].map((s) => step(s, 4, 11 - s)),
      step(0, undefined, 3.5),
      said,
      ...[1, 2, 3].map((s) => step(s, undefined, 3.4 - s / 10)),
    );
    const r = await parse(text, 'base_train.log');
    assert.equal(r.runs.length, 2, r.diagnostics.map((d) => d.message).join(' | '));
    assert.equal(r.runs[0].format, 'nanochat');
    assert.equal(r.runs[0].meta.params?.value, 560_988_160);
    assert.equal(r.runs[1].meta.params?.value, count);
  }
});
