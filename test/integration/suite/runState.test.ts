/**
 * The run-state model in the real editor (issue 16): an old log is not live when first read, and a finished run
 * shows its final value with no forecast; a run whose loss ends in NaN is diverged, with no forecast; a run that
 * logged a crash before its planned end is stopped early and forecast only as "if continued"; Set Tokens per
 * Step… writes its setting and brings a run into the sweep.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { api, scratch, until, nanoLines, points, hoverText } from './util';

/** Writes a log with an old modification time before any watcher can read it (written under a name no glob matches, then renamed). */
function writeOld(file: string, text: string, ageMs: number): void {
  const tmp = `${file}.writing`;
  fs.writeFileSync(tmp, text);
  const t = new Date(Date.now() - ageMs);
  fs.utimesSync(tmp, t, t);
  fs.renameSync(tmp, file);
}

describe('run state: one model for every view', () => {
  it('an old log is finished when first read: its final value, no forecast, in the sweep', async function () {
    this.timeout(90_000);
    const a = await api();
    const f = path.join(scratch('old'), 'train.log');
    writeOld(f, 'number of parameters: 30.00M\n' + nanoLines(0, 300), 2 * 86_400_000);
    await until(() => points(a, f) === 300, 40_000, 'the old log');
    const runId = a.controller.model.files.get(f)!.runIds[0];
    const run = a.controller.model.runs.get(runId)!;
    assert.equal(a.controller.model.state(run), 'finished', a.controller.model.stateInfo(run).reason);
    const fit = await until(() => a.controller.curveFits.get(runId), 60_000, 'its curve fit');
    assert.ok(fit.ok, fit.reason);
    assert.equal(fit.end, undefined, 'no forecast at its last step');
    assert.equal(a.controller.forecast(runId), undefined);
    const doc = await vscode.workspace.openTextDocument(f);
    const text = hoverText(
      await vscode.commands.executeCommand<vscode.Hover[]>(
        'vscode.executeHoverProvider',
        doc.uri,
        new vscode.Position(101, 3),
      ),
    );
    assert.match(text, /finished/);
    assert.match(text, /Final train\/loss: \d\.\d+ at step 299/, text);
    assert.ok(!/Predicted/.test(text), text);
  });

  it('a run whose loss ends in NaN is diverged: no forecast, the divergence said', async function () {
    this.timeout(90_000);
    const a = await api();
    const f = path.join(scratch('diverged'), 'train.log');
    let text = nanoLines(0, 80);
    for (let i = 80; i < 90; i++) text += `iter ${i}: loss nan, time 100.00ms, mfu 30.00%\n`;
    fs.writeFileSync(f, text);
    await until(() => points(a, f) === 90, 40_000, 'the log');
    const runId = a.controller.model.files.get(f)!.runIds[0];
    const run = a.controller.model.runs.get(runId)!;
    assert.equal(a.controller.model.state(run), 'diverged');
    const fit = await until(() => a.controller.curveFits.get(runId), 60_000, 'its fit result');
    assert.equal(fit.ok, false);
    assert.match(fit.reason ?? '', /diverged: train\/loss is non-finite from step 80 on/);
    assert.equal(a.controller.forecast(runId), undefined);
  });

  it('a run that logged a crash before its planned end is stopped early, forecast only "if continued" to its planned end', async function () {
    this.timeout(90_000);
    const a = await api();
    const f = path.join(scratch('crashed'), 'train.out');
    let text = '';
    for (let s = 10; s <= 600; s += 10) {
      text += ` iteration ${String(s).padStart(8)}/${String(3000).padStart(8)} | consumed samples: ${s * 128} | elapsed time per iteration (ms): 100.0 | global batch size:   128 | lm loss: ${(2.2 + 6 * s ** -0.35).toExponential(6).toUpperCase()} | loss scale: 1.0 |\n`;
    }
    text +=
      'Traceback (most recent call last):\ntorch.OutOfMemoryError: CUDA out of memory. Tried to allocate 2.00 GiB\n';
    fs.writeFileSync(f, text);
    await until(() => points(a, f) === 60, 40_000, 'the Megatron log');
    const runId = a.controller.model.files.get(f)!.runIds[0];
    const run = a.controller.model.runs.get(runId)!;
    assert.equal(a.controller.model.state(run), 'stopped', a.controller.model.stateInfo(run).reason);
    const fc = await until(() => a.controller.forecast(runId), 60_000, 'a what-if forecast');
    assert.equal(fc.atStep, 3000);
    assert.equal(fc.hypothetical, true);
    assert.match(fc.basis ?? '', /^if continued to step 3,000/);
  });

  it('Set Tokens per Step… writes scalingLens.runTokensPerStep and the run gets tokens for sweeps', async function () {
    this.timeout(60_000);
    const a = await api();
    const f = path.join(scratch('tokens'), 'train.log');
    writeOld(f, 'number of parameters: 30.00M\n' + nanoLines(0, 50), 86_400_000);
    await until(() => points(a, f) === 50, 40_000, 'the log');
    const runId = a.controller.model.files.get(f)!.runIds[0];
    const inSweep = () => a.controller.model.sweepPoints().find((p) => p.runId === runId);
    assert.equal(inSweep(), undefined, 'no tokens: not a sweep point');
    assert.ok(
      a.controller.model
        .sweepInput()
        .notes.some((n) => /lack token counts: run 'Scaling Lens: Set Tokens per Step…'/.test(n)),
    );
    await vscode.commands.executeCommand('scalingLens.setTokensPerStep', runId, 524_288);
    const p = await until(() => inSweep(), 10_000, 'the run in the sweep');
    assert.equal(p.D, 524_288 * 49);
    const cfg = vscode.workspace.getConfiguration('scalingLens').inspect<Record<string, number>>('runTokensPerStep');
    assert.ok(Object.values(cfg?.workspaceValue ?? {}).includes(524_288));
  });
});
