/**
 * The corpus's multi-epoch curves for the epoch studies (bench/epochStudy.ts, bench/epochBandStudy.ts): the epochs
 * each curve's source states (test/fixtures/curves/epochs.json), and each family's measured drop per epoch boundary.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CORPUS_DIR } from '../test/unit/fit/corpus';
import { loggedWithinEpochs } from '../src/fit/curve/epochs';
import { boundaryDrops } from './epochRule';
import { median } from './curveBaselines';

export interface EpochEntry {
  epochs: number;
  stepsPerEpoch: number;
  how: string;
}

/** Curve id → the epochs its source states. */
export function epochTable(): Record<string, EpochEntry> {
  return (
    JSON.parse(fs.readFileSync(path.join(CORPUS_DIR, 'epochs.json'), 'utf8')) as {
      curves: Record<string, EpochEntry>;
    }
  ).curves;
}

/**
 * Family → the median log drop per boundary of each of its complete curves (those logged at least
 * MIN_POINTS_PER_EPOCH times an epoch — loggedWithinEpochs —, with a boundary measured): the source of the leave-one-family-out priors.
 */
export function familyDrops(
  curves: readonly { id: string; family: string; x: number[]; y: number[] }[],
  table: Record<string, EpochEntry>,
): Map<string, number[]> {
  const out = new Map<string, number[]>();
  for (const c of curves) {
    const L = table[c.id].stepsPerEpoch;
    if (!loggedWithinEpochs(c.x, L)) continue;
    const d = boundaryDrops(c.x, c.y, L).map((q) => q.drop);
    if (d.length) out.set(c.family, [...(out.get(c.family) ?? []), median(d)]);
  }
  return out;
}
