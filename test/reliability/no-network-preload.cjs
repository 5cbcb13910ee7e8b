// Preload (node --require) for test/unit/reliability/security.test.ts: every way Node can reach the network is
// replaced by a recorder that refuses the attempt. At exit the attempts are written to $SL_NET_LOG as JSON.

'use strict';
const fs = require('node:fs');
const attempts = [];
const record =
  (what) =>
  (...args) => {
    let target = '';
    try {
      target = JSON.stringify(args[0]).slice(0, 200);
    } catch {
      target = String(args[0]);
    }
    attempts.push({
      what,
      target,
      phase: globalThis.__slNetPhase || 'workload',
      stack: new Error().stack.split('\n').slice(2, 6).join(' | '),
    });
    throw new Error(`network access blocked in test: ${what}`);
  };
require('./network-entry-points.cjs')((what) => record(what));
globalThis.__slNetAttempts = attempts;
process.on('exit', () => {
  if (process.env.SL_NET_LOG) fs.writeFileSync(process.env.SL_NET_LOG, JSON.stringify(attempts));
});
