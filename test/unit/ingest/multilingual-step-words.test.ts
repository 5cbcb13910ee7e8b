/**
 * Step and epoch words in the other languages training scripts print in (issue 14): Polish `Epoka`/`Krok`, Russian
 * `Эпоха`/`шаг`, Spanish `Época`/`Iteración`, German `Epoche`/`Schritt`, Korean `에폭`/`스텝`, Japanese
 * `エポック`/`ステップ`, Chinese `轮`. Synthetic lines written by hand; each case failed before the change (the
 * points came in record order).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';

import { parse, pts, lines } from './inferCase';
import { stepRank } from '../../../src/ingest/infer/templates';

const cases: [string, (e: number, s: number, loss: string) => string][] = [
  [
    'Polish',
    (e, s, l) => `Epoka ${String(e).padStart(4)} | Krok ${String(s).padStart(4)}/300 | Loss (ostatni batch): ${l}`,
  ],
  ['Russian', (e, s, l) => `Эпоха ${e}, шаг ${s}/300, loss: ${l}`],
  ['Spanish', (e, s, l) => `Época ${e} - Iteración ${s}/300 - loss: ${l}`],
  ['German', (e, s, l) => `Epoche ${e} Schritt ${s}/300 Verlust loss=${l}`],
  ['Korean', (e, s, l) => `에폭 ${e} 스텝 ${s}/300 loss: ${l}`],
  ['Japanese', (e, s, l) => `エポック ${e} ステップ ${s}/300 loss: ${l}`],
];
for (const [lang, row] of cases)
  test(`${lang}: an epoch word and a step word of N/M make the global step`, async () => {
    const r = await parse(lines(row(0, 100, '0.90'), row(0, 200, '0.80'), row(1, 100, '0.70'), row(1, 200, '0.60')));
    assert.deepEqual(pts(r.runs[0], 'train/loss'), { step: [100, 200, 400, 500], value: [0.9, 0.8, 0.7, 0.6] });
  });

test('Chinese 轮 is an epoch word, ranked as `epoch`', async () => {
  assert.equal(stepRank('轮'), stepRank('epoch'));
  const r = await parse(lines('轮 1 loss: 0.9', '轮 2 loss: 0.8', '轮 3 loss: 0.7'));
  assert.deepEqual(pts(r.runs[0], 'train/loss').step, [1, 2, 3]);
});
