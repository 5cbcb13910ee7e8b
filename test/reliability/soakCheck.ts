import type { SoakReport } from './soakCore';

/**
 * Bounds of the soak. Held data is three series of doubles per line (loss, iteration time, MFU: step + value
 * = 16 B per point in Float64Array columns, up to 2× while a column grows) — so ~100 B per point is already
 * generous; anything beyond is retained memory that is not the data. Memory (JS heap + ArrayBuffers) must
 * follow the points linearly (residual small).
 */
export function checkSoak(r: SoakReport): string[] {
  const out: string[] = [];
  if (r.lostOrDuplicated !== 0) out.push(`lost or duplicated points: ${r.lostOrDuplicated}`);
  if (!(r.bytesPerPoint < 100)) out.push(`heap grows ${r.bytesPerPoint.toFixed(1)} B per point held (bound 100)`);
  if (!(r.maxResidualMb < 16 + ((r.points * 40) / 2 ** 20) * 0.25))
    out.push(`heap not linear in points: max residual ${r.maxResidualMb.toFixed(1)} MB`);
  return out;
}
