// Preload (node --require) for test/unit/reliability/security.test.ts: every way Node can reach the network is
// replaced by a recorder that refuses the attempt. At exit the attempts are written to $SL_NET_LOG as JSON.
/* eslint-disable @typescript-eslint/no-require-imports -- a CommonJS --require preload */
'use strict';
const fs = require('node:fs');
const attempts = [];
const record = (what) => (...args) => {
  let target = '';
  try { target = JSON.stringify(args[0]).slice(0, 200); } catch { target = String(args[0]); }
  attempts.push({ what, target, phase: globalThis.__slNetPhase || 'workload', stack: new Error().stack.split('\n').slice(2, 6).join(' | ') });
  throw new Error(`network access blocked in test: ${what}`);
};
const patch = (mod, names, label) => {
  const m = require(mod);
  for (const n of names) if (typeof m[n] === 'function') m[n] = record(`${label}.${n}`);
};
patch('node:net', ['connect', 'createConnection'], 'net');
require('node:net').Socket.prototype.connect = record('net.Socket.connect');
patch('node:http', ['request', 'get'], 'http');
patch('node:https', ['request', 'get'], 'https');
patch('node:tls', ['connect'], 'tls');
patch('node:http2', ['connect'], 'http2');
patch('node:dgram', ['createSocket'], 'dgram');
patch('node:dns', ['lookup', 'resolve', 'resolve4', 'resolve6', 'resolveAny', 'lookupService'], 'dns');
for (const n of ['lookup', 'resolve', 'resolve4', 'resolve6', 'resolveAny']) require('node:dns').promises[n] = record(`dns.promises.${n}`);
if (typeof globalThis.fetch === 'function') globalThis.fetch = record('fetch');
if (typeof globalThis.WebSocket === 'function') globalThis.WebSocket = record('WebSocket');
if (typeof globalThis.EventSource === 'function') globalThis.EventSource = record('EventSource');
globalThis.__slNetAttempts = attempts;
process.on('exit', () => {
  if (process.env.SL_NET_LOG) fs.writeFileSync(process.env.SL_NET_LOG, JSON.stringify(attempts));
});
