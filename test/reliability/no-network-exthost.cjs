// Preload for the VS Code reliability session (test/harness/run-code-server-tests.mjs --session reliability):
// code-server is started with `node --require <this>`, and the extension host inherits code-server's execArgv,
// so this runs first in the extension host — before VS Code's bootstrap and any extension — and in every worker
// thread it starts (the fitting worker included). It is inert in code-server's other processes.
//
// Every Node entry point to the network is wrapped by a recorder that appends one JSON line per attempt to
// $SL_NET_LOG: { pid, thread, what, target, ours, probe, stack }. `ours` = a frame of the stack is in the
// extension's bundles ($SL_NET_OURS, e.g. <repo>/dist/); such attempts, and the tests' deliberate probes, are
// refused. Everything else (VS Code itself, built-in extensions) is recorded and let through, so the workbench
// keeps working. test/integration/reliability/1-network.test.ts reads the log.

'use strict';
const { isMainThread, threadId } = require('node:worker_threads');

const inExtHost = isMainThread ? process.argv.includes('--type=extensionHost') : process.env.SL_NET_EXTHOST === '1';
if (inExtHost && process.env.SL_NET_LOG) {
  // Worker threads copy process.env when they start: this marks them as the extension host's.
  if (isMainThread) process.env.SL_NET_EXTHOST = '1';
  const fs = require('node:fs');
  const LOG = process.env.SL_NET_LOG;
  const OURS = (process.env.SL_NET_OURS || '').split(',').filter(Boolean);
  const stackNow = () => {
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 60;
    const s = new Error().stack || '';
    Error.stackTraceLimit = limit;
    return s
      .split('\n')
      .slice(3)
      .map((l) => l.trim());
  };
  const describe = (args) => {
    try {
      return JSON.stringify(args[0], (k, v) => (typeof v === 'function' ? '[fn]' : v)).slice(0, 200);
    } catch {
      return String(args[0]).slice(0, 200);
    }
  };
  const wrap = (what, orig) =>
    function (...args) {
      const stack = stackNow();
      const ours = stack.some((l) => OURS.some((o) => l.includes(o)));
      const probe = globalThis.__slNetProbe === true || stack.some((l) => l.includes('__slNetProbe'));
      try {
        fs.appendFileSync(
          LOG,
          JSON.stringify({
            pid: process.pid,
            thread: threadId,
            what,
            target: describe(args),
            ours,
            probe,
            stack: stack.slice(0, 12),
          }) + '\n',
        );
      } catch {
        /* the log must never break the host */
      }
      if (ours || probe) throw new Error(`network access refused in the reliability test: ${what}`);
      return new.target ? Reflect.construct(orig, args) : orig.apply(this, args);
    };
  require('./network-entry-points.cjs')(wrap);
  globalThis.__slNetTrap = { active: true, log: LOG, ours: OURS };
}
