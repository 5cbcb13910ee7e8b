// Every way Node can reach the network, replaced through `wrap(label, original)` — shared by the two preloads
// (no-network-preload.cjs for the plain-Node run, no-network-exthost.cjs for the extension host in VS Code).

'use strict';

module.exports = function trapNetwork(wrap) {
  const patch = (mod, names, label) => {
    const m = require(mod);
    for (const n of names) if (typeof m[n] === 'function') m[n] = wrap(`${label}.${n}`, m[n]);
  };
  patch('node:net', ['connect', 'createConnection'], 'net');
  const net = require('node:net');
  net.Socket.prototype.connect = wrap('net.Socket.connect', net.Socket.prototype.connect);
  patch('node:http', ['request', 'get'], 'http');
  patch('node:https', ['request', 'get'], 'https');
  patch('node:tls', ['connect'], 'tls');
  patch('node:http2', ['connect'], 'http2');
  patch('node:dgram', ['createSocket'], 'dgram');
  patch('node:dns', ['lookup', 'resolve', 'resolve4', 'resolve6', 'resolveAny', 'lookupService'], 'dns');
  const dnsp = require('node:dns').promises;
  for (const n of ['lookup', 'resolve', 'resolve4', 'resolve6', 'resolveAny'])
    if (typeof dnsp[n] === 'function') dnsp[n] = wrap(`dns.promises.${n}`, dnsp[n]);
  for (const g of ['fetch', 'WebSocket', 'EventSource'])
    if (typeof globalThis[g] === 'function') globalThis[g] = wrap(g, globalThis[g]);
};
