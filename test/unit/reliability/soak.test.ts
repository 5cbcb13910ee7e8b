/**
 * Reduced soak (2 simulated hours = 72,000 lines; SCALING_LENS_FULL=1: 24 h = 864,000 lines — or run
 * `node test/reliability/soak.mjs`). See test/reliability/soakCore.ts for what runs; bounds in soakCheck.ts.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runSoak } from '../../reliability/soakCore';
import { checkSoak } from '../../reliability/soakCheck';
import { enableGc, size } from './util';

test(
  'soak: live log through LogFile + RunModel + decimation + anomalies; heap linear in points held',
  { timeout: 3_600_000 },
  async () => {
    assert.ok(enableGc(), 'a forced GC is needed to measure retained heap');
    const hours = size(24, 2);
    const r = await runSoak(hours);
    const last = r.samples[r.samples.length - 1];
    console.log(
      `soak: ${hours} h simulated, ${r.lines} lines, ${r.points} points in ${r.seconds.toFixed(1)} s; heap ${r.samples[0].heapMb.toFixed(1)} → ${last.heapMb.toFixed(1)} MB, rss ${r.samples[0].rssMb.toFixed(1)} → ${last.rssMb.toFixed(1)} MB; ${r.bytesPerPoint.toFixed(1)} B/point (residual ${r.maxResidualMb.toFixed(1)} MB); heap +${r.heapGrowthMbPerMillionLines.toFixed(1)} MB and rss +${r.rssGrowthMbPerMillionLines.toFixed(1)} MB per million lines; ${r.decimations} decimations, ${r.anomalies} anomaly reports`,
    );
    assert.deepEqual(checkSoak(r), []);
  },
);
