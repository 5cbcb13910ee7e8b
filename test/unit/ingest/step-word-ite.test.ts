/**
 * `ite`, the other short form of `iteration` beside `itr`, is a step key: a loop printing `ite 0, loss is …` from 0
 * is read on its printed counter, not on the record order (which would start at 1).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parse, one, pts, lines } from './inferCase';

const variants: [string, (i: number) => string][] = [
  ['ite N, loss is X', (i) => `ite ${i}, loss is ${(500 / (i + 1)).toFixed(6)}`],
  ['Ite: N | train loss: X (every 10)', (i) => `Ite: ${i * 10} | train loss: ${(5 / (i + 1)).toFixed(4)}`],
];
for (const [name, row] of variants)
  test(`ite as the step key: ${name}`, async () => {
    const run = one(await parse(lines(...Array.from({ length: 8 }, (_, i) => row(i)))));
    const p = pts(
      run,
      Object.keys(run.metrics).find((k) => /loss/.test(k))!,
    );
    const step = (i: number) => (name.includes('every') ? i * 10 : i);
    assert.equal(p.step.length, 8);
    assert.deepEqual(
      p.step,
      Array.from({ length: 8 }, (_, i) => step(i)),
    );
  });
