import { test } from 'node:test';
import assert from 'node:assert/strict';
import { nextScanDelay, MIN_SCAN_PERIOD_MS, MAX_SCAN_PERIOD_MS } from '../../../src/model/scanCadence';

test('periodic scan cadence: 50× the last scan, within [5 s, 60 s]; bad inputs give the fastest safe period', () => {
  assert.equal(nextScanDelay(20), MIN_SCAN_PERIOD_MS, 'a 20 ms listing: every 5 s');
  assert.equal(nextScanDelay(400), 20_000, 'a 400 ms listing: every 20 s (2 % of the time)');
  assert.equal(nextScanDelay(5_000), MAX_SCAN_PERIOD_MS, 'never slower than once a minute');
  for (const bad of [NaN, -1, 0, Infinity]) assert.equal(nextScanDelay(bad), MIN_SCAN_PERIOD_MS, String(bad));
  // Overhead bound: the time spent scanning stays ≤ 2 % whenever the period is cost-driven.
  for (const ms of [150, 300, 900]) assert.ok(ms / nextScanDelay(ms) <= 0.02 + 1e-12);
});
