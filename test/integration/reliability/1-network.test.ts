/**
 * "No network request is ever made by the extension", checked in the real extension host: the reliability
 * launcher starts code-server with test/reliability/no-network-exthost.cjs preloaded, so every network entry
 * point of the extension host — and of its worker threads, the fitting worker included — has been recorded since
 * before VS Code loaded any extension. This suite drives the extension through the whole sample workspace
 * (activation, scan, curve and sweep fits, prediction, dashboard) and reads the record: attempts whose stack
 * runs through the extension's bundles must be zero. Deliberate attempts from this process and from a worker
 * thread prove the recorder is live in both.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as net from 'node:net';
import { Worker } from 'node:worker_threads';
import * as vscode from 'vscode';
import { api, until } from '../suite/util';
import { openDashboard } from './util';
import type { SweepFitView } from '../../../src/protocol';

interface Attempt {
  pid: number;
  thread: number;
  what: string;
  target: string;
  ours: boolean;
  probe: boolean;
  stack: string[];
}

function attempts(): Attempt[] {
  const log = process.env.SL_NET_LOG!;
  return fs
    .readFileSync(log, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Attempt);
}

describe('no network (inside VS Code)', () => {
  it('scanning, fitting and showing the sample workspace make no network attempt, in the host or the fitting worker', async function () {
    this.timeout(240_000);
    const trap = (globalThis as { __slNetTrap?: { active: boolean; ours: string[] } }).__slNetTrap;
    assert.ok(process.env.SL_NET_LOG && trap?.active, 'the extension host runs with the network recorder preloaded');
    assert.ok(trap.ours.length > 0, 'the recorder knows the extension bundles');
    const a = await api();
    // The sample workspace: 10 finished sweep runs, 2 runs with problems, 1 live run.
    await until(() => a.controller.model.runs.size >= 13 || undefined, 60_000, 'the sample workspace to be scanned');
    const fit = await vscode.commands.executeCommand<SweepFitView>('scalingLens.fitScalingLaw', 'chinchilla');
    assert.ok(fit?.ok, `the sweep fits: ${fit?.reason}`);
    const pred = await vscode.commands.executeCommand<SweepFitView>('scalingLens.predictAt', 'C', 1e21);
    assert.ok(pred?.prediction, 'a prediction');
    await until(
      () =>
        [...a.controller.model.runs.keys()].filter((id) => a.controller.curveFits.get(id)?.ok).length >= 10 ||
        undefined,
      120_000,
      'curve fits of the runs (in the worker)',
    );
    const d = await openDashboard(a);
    assert.ok(
      d.probe.sent.some((m) => m.type === 'init' && m.state.runs.length >= 13),
      'the dashboard shows the runs',
    );
    await vscode.commands.executeCommand('scalingLens.exportReport');

    // Deliberate attempts: from this thread, and from a worker thread (as the fitting worker is).
    const g = globalThis as { __slNetProbe?: boolean };
    g.__slNetProbe = true;
    try {
      assert.throws(() => net.connect(9, '192.0.2.1'), /refused/);
      await assert.rejects(async () => fetch('http://192.0.2.1/'), /refused/);
    } finally {
      g.__slNetProbe = false;
    }
    const w = new Worker(
      'globalThis.__slNetProbe = true; try { require("node:https").get("https://192.0.2.1/"); } catch { } process.exit(0);',
      { eval: true },
    );
    await new Promise((r) => w.once('exit', r));

    const all = attempts();
    const ours = all.filter((x) => x.ours && !x.probe);
    const probes = all.filter((x) => x.probe);
    const others = all.filter((x) => !x.ours && !x.probe);
    const byWhat = (xs: Attempt[]) => [...new Set(xs.map((x) => x.what))].sort().join(', ') || 'none';
    console.log(
      `      network attempts recorded in the extension host: ${ours.length} by Scaling Lens; ${others.length} by VS Code/other extensions (${byWhat(others)}); ${probes.length} deliberate (${byWhat(probes)})`,
    );
    for (const x of others)
      console.log(
        `        other: ${x.what} ${x.target.slice(0, 80)} @ ${x.stack.find((l) => !l.includes('no-network-exthost')) ?? '?'}`,
      );
    assert.deepEqual(
      ours.map((x) => `${x.what} ${x.target} @ ${x.stack.slice(0, 4).join(' | ')}`),
      [],
      'Scaling Lens made network attempts',
    );
    // The rest of the host connects only to code-server's own IPC socket (a Unix socket), never to a remote address.
    const remote = others.filter((x) => !/"(?:socketPath|path)":"\//.test(x.target));
    assert.deepEqual(
      remote.map((x) => `${x.what} ${x.target}`),
      [],
      'a remote network attempt in the extension host',
    );
    assert.ok(
      probes.some((x) => x.thread === 0 && x.what.startsWith('net.')),
      'the recorder caught the deliberate net.connect in the host thread',
    );
    assert.ok(
      probes.some((x) => x.what === 'fetch'),
      'the recorder caught the deliberate fetch',
    );
    assert.ok(
      probes.some((x) => x.thread !== 0 && x.what.startsWith('https.')),
      'the recorder is live in worker threads too',
    );
  });
});
