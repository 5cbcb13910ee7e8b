import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { api, scratch, until, nanoLines, points, sleep, hoverText } from './util';
import type { HostMessage } from '../../../src/protocol';
import { CHART_MAX } from '../../../src/model/chartSet';
import type { MessageLog } from '../../../src/model/messageLog';
import { lttbIndices } from '../../../src/model/decimate';

type Msg<T extends HostMessage['type']> = Extract<HostMessage, { type: T }>;

/** The charted set the webview was last told about (from `init` or `charted`). */
function lastCharted(sent: MessageLog<HostMessage>): string[] | undefined {
  const m = sent.findLast((x) => x.type === 'charted' || x.type === 'init');
  return m?.type === 'charted' ? m.runIds : m?.type === 'init' ? m.state.charted : undefined;
}

describe('dashboard: bounded chart, batching, target loss', () => {
  it('charts at most CHART_MAX runs, lists all, and a pinned run joins the chart with its points', async function () {
    this.timeout(180_000);
    const a = await api();
    const d0 = scratch('forty');
    for (let r = 0; r < 40; r++) {
      fs.mkdirSync(path.join(d0, `run${r}`));
      fs.writeFileSync(path.join(d0, `run${r}`, 'train.log'), nanoLines(0, 20));
    }
    const files = Array.from({ length: 40 }, (_, r) => path.join(d0, `run${r}`, 'train.log'));
    await until(() => files.every((f) => points(a, f) === 20), 90_000, 'the 40 runs');
    await vscode.commands.executeCommand('scalingLens.openDashboard');
    const d = await until(() => a.dashboard(), 10_000, 'the dashboard');
    d.receive({ type: 'ready' }); // a fresh init, now that all runs are known
    const init = await until(
      () => d.probe.sent.findLast((m): m is Msg<'init'> => m.type === 'init' && m.state.runs.length >= 43),
      30_000,
      'an init with every run',
    );
    assert.ok(init.state.charted, 'the init says which runs are charted');
    assert.ok(init.state.charted.length <= CHART_MAX, `${init.state.charted.length} charted`);
    assert.ok(init.state.runs.length > init.state.charted.length, 'the run list has more runs than the chart');
    const chartedIds = new Set(init.state.charted);
    assert.ok(
      init.state.series.every((s) => chartedIds.has(s.runId)),
      'series only for charted runs',
    );
    // Pin one that is not on the chart now (runs leave it as they stop being live): it joins, with its points.
    const runOf = (f: string) => a.controller.model.files.get(f)!.runIds[0];
    const chartedNow = new Set(lastCharted(d.probe.sent));
    const outside = files.map(runOf).find((id) => !chartedNow.has(id));
    assert.ok(outside, 'some run is not charted');
    const before = d.probe.sent.length;
    d.receive({ type: 'togglePin', runId: outside });
    await until(() => (lastCharted(d.probe.sent) ?? []).includes(outside), 10_000, 'the pinned run on the chart');
    // Its series follows as a `series` message — or inside a full `init`, when the panel was hidden meanwhile
    // (a hidden panel's queue is dropped and the webview gets the whole state once visible again).
    const seriesOf = (m: HostMessage) =>
      m.type === 'series'
        ? m.series.runId === outside
          ? m.series
          : undefined
        : m.type === 'init'
          ? m.state.series.find((x) => x.runId === outside)
          : undefined;
    const series = await until(
      () =>
        d.probe.sent
          .since(before)
          .map(seriesOf)
          .find((x) => x !== undefined),
      10_000,
      'its series',
    );
    assert.equal(series.y.length, 20);
    assert.ok((a.controller.options.pinned ?? []).includes(outside));
    const t = Date.now(),
      pong = await d.probe.ping(30_000);
    assert.ok(
      pong !== undefined,
      `the webview drew it and answered (no pong after ${Date.now() - t} ms; panel visible ${d.panel.visible}, active ${d.panel.active}, column ${d.panel.viewColumn}; last from the webview: ${[
        ...d.probe.received,
      ]
        .slice(-5)
        .map((m) => m.type)
        .join(', ')})`,
    );
    d.receive({ type: 'togglePin', runId: outside });
    await until(() => !(a.controller.options.pinned ?? []).includes(outside), 10_000, 'unpinned');
    await fs.promises.rm(d0, { recursive: true, force: true });
  });

  it('a burst of appended lines reaches the webview as few batched messages, every point once', async function () {
    this.timeout(120_000);
    const a = await api();
    const f = path.join(scratch('burst'), 'train.log');
    fs.writeFileSync(f, nanoLines(0, 10));
    await until(() => points(a, f) === 10, 40_000, 'the log');
    const runId = a.controller.model.files.get(f)!.runIds[0];
    await vscode.commands.executeCommand('scalingLens.openRunInDashboard', runId);
    const d = await until(() => a.dashboard(), 10_000, 'the dashboard');
    await until(() => (lastCharted(d.probe.sent) ?? []).includes(runId), 20_000, 'the selected run charted');
    await d.probe.ping();
    const sentBefore = d.probe.sent.length,
      postsBefore = d.probe.posts;
    for (let k = 0; k < 50; k++) {
      fs.appendFileSync(f, nanoLines(10 + k * 4, 14 + k * 4));
      await sleep(10);
    }
    await until(() => points(a, f) === 210, 40_000, '210 points');
    const got = () =>
      d.probe.sent
        .since(sentBefore)
        .flatMap(
          (m) =>
            (m.type === 'points' && m.runId === runId && m.metric === 'train/loss'
              ? Array.from(m.step)
              : m.type === 'series' && m.series.runId === runId && m.series.metric === 'train/loss'
                ? [-1]
                : []) as number[],
        );
    await until(() => got().length >= 200, 20_000, 'the 200 new points posted');
    assert.deepEqual(
      got(),
      Array.from({ length: 200 }, (_, i) => 10 + i),
      'every appended step once, in order',
    );
    assert.ok(d.probe.posts - postsBefore < 50, `${d.probe.posts - postsBefore} posts for 50 appends`);
    assert.ok((await d.probe.ping(30_000)) !== undefined, 'the webview answered after drawing them');
  });

  it('setting the target loss from the webview updates forecasts, hover and CodeLens at once, then the setting', async function () {
    this.timeout(120_000);
    const a = await api();
    const f = path.join(scratch('target'), 'train.log');
    fs.writeFileSync(f, 'number of parameters: 30.00M\n' + nanoLines(0, 300));
    await until(() => points(a, f) === 300, 40_000, 'the log');
    const runId = a.controller.model.files.get(f)!.runIds[0];
    await until(() => a.controller.forecast(runId), 60_000, 'a forecast');
    await vscode.commands.executeCommand('scalingLens.openRunInDashboard', runId);
    const d = await until(() => a.dashboard(), 10_000, 'the dashboard');
    await until(() => d.probe.sent.some((m) => m.type === 'init'), 30_000, 'the init');
    // loss = 2 + 8·(i+10)^-0.3 reaches 2.9 at i ≈ 1,530: within the forecast horizon.
    const before = d.probe.sent.length;
    d.receive({ type: 'setTargetLoss', value: 2.9 });
    await until(() => a.controller.config.targetLoss === 2.9, 5_000, 'the target in the controller');
    const fc = a.controller.forecast(runId)!;
    assert.ok(
      fc.stepToTarget != null && fc.stepToTarget > 300 && fc.stepToTarget < 10_000,
      `steps to 2.9: ${fc.stepToTarget}`,
    );
    await until(
      () => d.probe.sent.since(before).some((m) => m.type === 'targetLoss' && m.value === 2.9),
      5_000,
      'a targetLoss increment',
    );
    const doc = await vscode.workspace.openTextDocument(f);
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>(
      'vscode.executeHoverProvider',
      doc.uri,
      new vscode.Position(100, 3),
    );
    const text = hoverText(hovers);
    assert.match(text, /Target 2\.9: reached at step ~/, text);
    assert.match(text, /Target 2\.9: reached at step ~.*; 95% band: step \d/, text);
    const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', doc.uri);
    assert.ok(
      lenses.some((l) => /target 2\.9 @/.test(l.command?.title ?? '')),
      lenses.map((l) => l.command?.title).join(' | '),
    );
    await until(
      () => vscode.workspace.getConfiguration('scalingLens').get('targetLoss') === 2.9,
      10_000,
      'the setting written',
    );
    // Clearing it.
    d.receive({ type: 'setTargetLoss', value: null });
    await until(
      () => a.controller.config.targetLoss === null && a.controller.forecast(runId)?.stepToTarget === undefined,
      5_000,
      'the target cleared',
    );
    await until(
      () => vscode.workspace.getConfiguration('scalingLens').get('targetLoss') === null,
      10_000,
      'the setting cleared',
    );
  });

  it('a long run is charted thinned (LTTB, computed in slices off the first init), and a short tail after it is sent raw', async function () {
    this.timeout(180_000);
    const a = await api();
    const N = 150_000; // above the host's synchronous-thinning limit (100k points)
    const f = path.join(scratch('long'), 'train.log');
    fs.writeFileSync(f, nanoLines(0, N));
    await until(() => points(a, f) === N, 120_000, 'the long log');
    const runId = a.controller.model.files.get(f)!.runIds[0];
    await vscode.commands.executeCommand('scalingLens.openRunInDashboard', runId);
    const d = await until(() => a.dashboard(), 10_000, 'the dashboard');
    const seriesIn = (m: HostMessage) =>
      m.type === 'series'
        ? m.series.runId === runId && m.series.metric === 'train/loss'
          ? m.series
          : undefined
        : m.type === 'init'
          ? m.state.series.find((x) => x.runId === runId && x.metric === 'train/loss')
          : undefined;
    const first = await until(() => [...d.probe.sent].map(seriesIn).find((x) => x !== undefined), 30_000, 'its series');
    const s = a.controller.model.runs.get(runId)!.metrics['train/loss'];
    const idx = lttbIndices(s.step, s.value, 4000);
    assert.ok(first.step instanceof Float64Array, 'columns are posted as Float64Arrays (binary, not JSON numbers)');
    assert.deepEqual(
      Array.from(first.step),
      idx.map((i) => s.step[i]),
      'the LTTB-thinned series, as the one-shot thinning gives it',
    );
    // A short tail: a fresh init holds the cached thinned prefix plus the tail raw (what the webview had after the
    // earlier series and the raw increments).
    fs.appendFileSync(f, nanoLines(N, N + 100));
    await until(() => points(a, f) === N + 100, 40_000, 'the tail');
    const before = d.probe.sent.length;
    d.receive({ type: 'ready' });
    const again = await until(
      () =>
        d.probe.sent
          .since(before)
          .map(seriesIn)
          .find((x) => x !== undefined),
      30_000,
      'the series again',
    );
    assert.deepEqual(Array.from(again.step), [
      ...idx.map((i) => s.step[i]),
      ...Array.from({ length: 100 }, (_, i) => N + i),
    ]);
    assert.ok((await d.probe.ping(30_000)) !== undefined, 'the webview answered after drawing it');
    await fs.promises.rm(path.dirname(f), { recursive: true, force: true });
  });
});
