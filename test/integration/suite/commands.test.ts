import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { api, until } from './util';
import type { SweepFitView } from '../../../src/protocol';

describe('commands', () => {
  it('Open Dashboard shows the panel, which asks for and gets the full state', async () => {
    const a = await api();
    await vscode.commands.executeCommand('scalingLens.openDashboard');
    const d = await until(() => a.dashboard(), 10_000, 'the dashboard');
    await until(() => d.probe.sent.some((m) => m.type === 'init'), 30_000, 'an init message');
    const init = d.probe.sent.find((m) => m.type === 'init');
    assert.ok(init && init.type === 'init' && init.state.runs.length >= 3);
  });

  it('the dashboard drops malformed and hostile webview messages and keeps its state', async () => {
    const a = await api();
    await vscode.commands.executeCommand('scalingLens.openDashboard');
    const d = await until(() => a.dashboard(), 10_000, 'the dashboard');
    const excludedBefore = [...a.controller.model.excluded];
    const optionsBefore = JSON.stringify(a.controller.options);
    const rejectedBefore = d.probe.rejected;
    const bad: unknown[] = [
      null,
      1,
      'x',
      [],
      {},
      { type: 'toggleExclude' },
      { type: 'setOptions', options: { xAxis: 'evil' } },
      { type: 'predict', axis: 'N', value: -5 },
      { type: 'exportPng', dataUrl: 'file:///etc/passwd', name: 'x' },
      { type: 'ready', extra: { deep: [[[[]]]] } }.extra,
      { type: 'setOptions', options: { metric: 'x'.repeat(100_000) } },
    ];
    for (const m of bad) d.receive(m);
    assert.equal(d.probe.rejected - rejectedBefore, bad.length);
    // a well-formed message about a run that does not exist changes nothing either
    d.receive({ type: 'toggleExclude', runId: '/not/a/run' });
    await new Promise((r) => setTimeout(r, 200));
    assert.deepEqual([...a.controller.model.excluded], excludedBefore);
    assert.equal(JSON.stringify(a.controller.options), optionsBefore);
  });

  it('Fit Scaling Law fits the sweep of the fixture workspace', async () => {
    await api();
    const fit = await vscode.commands.executeCommand<SweepFitView>('scalingLens.fitScalingLaw', 'chinchilla');
    assert.ok(fit, 'a fit view');
    assert.ok(fit.points.length >= 5, `points: ${fit.points.length}`);
    assert.ok(fit.ok, `fit ok: ${fit.reason}`);
    assert.ok(
      fit.params?.some((p) => p.name === 'E'),
      'has E',
    );
  });

  it('Predict at compute C answers with an interval and an allocation', async () => {
    await api();
    const fit = await vscode.commands.executeCommand<SweepFitView>('scalingLens.predictAt', 'C', 1e21);
    assert.ok(fit?.ok && fit.prediction, `prediction: ${fit?.reason}`);
    assert.ok(fit.prediction.lower <= fit.prediction.value && fit.prediction.value <= fit.prediction.upper);
    assert.ok(fit.prediction.N! > 0 && fit.prediction.D! > 0);
  });

  it('a second Predict at… answers from the kept sweep fit without submitting a sweep fit job', async () => {
    const a = await api();
    const first = await vscode.commands.executeCommand<SweepFitView>('scalingLens.predictAt', 'C', 1e21);
    assert.ok(first?.ok && first.prediction, `prediction: ${first?.reason}`);
    const built = a.controller.sweepJobsBuilt;
    const second = await vscode.commands.executeCommand<SweepFitView>('scalingLens.predictAt', 'C', 1e22);
    assert.equal(a.controller.sweepJobsBuilt, built, 'no sweep fit job was built for the second prediction');
    assert.ok(second?.ok && second.prediction, `prediction: ${second?.reason}`);
    assert.equal(second.prediction.at, 1e22);
    assert.ok(second.prediction.lower <= second.prediction.value && second.prediction.value <= second.prediction.upper);
    assert.equal(a.controller.sweepFit?.prediction?.at, 1e22, "the dashboard's sweep view carries the new answer");
  });

  it('Set Target Loss writes the setting; Export Report opens a Markdown report', async () => {
    const a = await api();
    await vscode.commands.executeCommand('scalingLens.setTargetLoss', 2.75);
    await until(() => a.controller.config.targetLoss === 2.75, 5000, 'the target to apply');
    const doc = await vscode.commands.executeCommand<vscode.TextDocument>('scalingLens.exportReport');
    assert.equal(doc.languageId, 'markdown');
    assert.match(doc.getText(), /^# Scaling Lens report/);
    assert.match(doc.getText(), /\| run \| format \|/);
  });

  it('Rescan Workspace re-finds the logs', async () => {
    const a = await api();
    const before = a.controller.model.runs.size;
    const n = await vscode.commands.executeCommand<number>('scalingLens.rescan');
    assert.ok(n >= 3, `tracked ${n}`);
    assert.ok(a.controller.model.runs.size >= Math.min(before, 3));
  });
});
