/** Test data for the sweep-law tests: the 245 Chinchilla points (Hoffmann et al. 2022, Fig. 4, via Epoch). */
import * as fs from 'node:fs';
import { shared } from '../helpers/paths';
import { sweepPointsFromCsv } from '../../../src/fit/csv';
import type { SweepPointInput } from '../../../src/fit/types';

export function chinchillaPoints(): SweepPointInput[] {
  const text = fs.readFileSync(shared('chinchilla', 'svg_extracted_data.csv'), 'utf8');
  return sweepPointsFromCsv(text, { N: 'Model Size', C: 'Training FLOP', loss: 'loss' });
}

/** The 240 points of the replication (5 highest-loss points dropped). */
export function chinchilla240(): SweepPointInput[] {
  const pts = chinchillaPoints()
    .slice()
    .sort((a, b) => a.loss - b.loss);
  return pts.slice(0, pts.length - 5);
}
