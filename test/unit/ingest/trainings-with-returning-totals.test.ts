/**
 * Trainings one after another whose `N/M` totals come back (a loop over models trained for 6, 10 and again 6 epochs,
 * each closed by a line saying it ended) are not one print statement used by two loops taking turns (session 30:
 * a GAN log of three trainings was read as "loops of 50 and 100" beside a 150-epoch series). Synthetic lines.
 */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';

import { parse, lines } from './inferCase';
import type { ParseResult } from '../../../src/ingest/types';

/** One training of `epochs` epochs behind its banner, closed by its end line when `closed`. */
function training(epochs: number, base: number, closed = true): string[] {
  const out = ['RUN started', 'Settings:', `  epochs: ${epochs}`, '  batch: 32'];
  for (let e = 1; e <= epochs; e++)
    out.push(`Epoch ${e}/${epochs} | critic=${(base - e / 10).toFixed(2)} | gen=${(base + e / 10).toFixed(2)}`);
  if (closed) out.push('Training complete.');
  return out;
}
const loopSeries = (r: ParseResult) => r.runs.flatMap((x) => Object.keys(x.metrics).filter((k) => /loop of/.test(k)));

describe('a total that comes back after a line saying the training ended', () => {
  test('is no loop: no "loop of" series, every training on the one training-loss series', async () => {
    const r = await parse(lines(...training(6, 5), ...training(10, 4), ...training(6, 3)));
    assert.deepEqual(loopSeries(r), []);
    assert.ok(r.runs.some((x) => x.metrics['train/loss']));
  });

  test('without the end lines, the same totals taking turns are still read as loops of one print', async () => {
    const r = await parse(lines(...training(6, 5, false), ...training(10, 4, false), ...training(6, 3, false)));
    assert.ok(loopSeries(r).length > 0);
  });
});
