/**
 * Issue 16, the stale state in the real editor: a run short of its planned end whose log stopped growing without
 * an end line is "stale (not growing)" for a while — in the model, the hover and the runs view — and forecast at its
 * planned end; long after, it is stopped early; a line appended brings it back to live.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { api, scratch, until, points, hoverText, megatronLines } from './util';
import { STALE_AFTER_MS } from '../../../src/model/runState';

/** Writes a log with an old modification time before any watcher can read it (written under a name no glob matches, then renamed). */
function writeOld(file: string, text: string, ageMs: number): void {
  const tmp = `${file}.writing`;
  fs.writeFileSync(tmp, text);
  const t = new Date(Date.now() - ageMs);
  fs.utimesSync(tmp, t, t);
  fs.renameSync(tmp, file);
}

const cleanup: string[] = [];

describe('issue 16: the stale state', () => {
  afterEach(() => {
    for (const d of cleanup.splice(0)) fs.rmSync(d, { recursive: true, force: true });
  });

  it('a log short of its planned end, quiet for minutes without an end line, is stale; long quiet, stopped early; growing again, live', async function () {
    this.timeout(120_000);
    const a = await api();
    const dir = scratch('stale');
    cleanup.push(dir);
    const quiet = path.join(dir, 'quiet', 'train.out');
    const gone = path.join(dir, 'gone', 'train.out');
    fs.mkdirSync(path.dirname(quiet));
    fs.mkdirSync(path.dirname(gone));
    // 10 minutes: past the live timeout (30 s in this session), well within the stale period (an hour).
    writeOld(quiet, megatronLines(10, 600, 3000), 10 * 60_000);
    writeOld(gone, megatronLines(10, 600, 3000), STALE_AFTER_MS + 60 * 60_000);
    await until(() => points(a, quiet) === 60 && points(a, gone) === 60, 40_000, 'both logs');
    const m = a.controller.model;
    const idQ = m.files.get(quiet)!.runIds[0];
    const idG = m.files.get(gone)!.runIds[0];
    const infoQ = m.stateInfo(m.runs.get(idQ)!);
    assert.equal(infoQ.state, 'stale', infoQ.reason);
    assert.match(
      infoQ.reason,
      /^log has not grown for .+ at step 600 of 3000 \(paused, or stopped without saying so\)$/,
    );
    const infoG = m.stateInfo(m.runs.get(idG)!);
    assert.equal(infoG.state, 'stopped', infoG.reason);
    assert.match(infoG.reason, /it ended at step 600 of 3000 planned, without an end line$/);
    // Not finished: a stale run is not a sweep point (its last value is not its final loss).
    assert.ok(!m.sweepPoints().some((p) => p.runId === idQ));
    // Forecast at the planned end, not a what-if.
    const fc = await until(() => a.controller.forecast(idQ), 60_000, "the stale run's forecast");
    assert.equal(fc.atStep, 3000);
    assert.ok(!fc.hypothetical);
    // The hover names the state.
    const doc = await vscode.workspace.openTextDocument(quiet);
    const text = hoverText(
      await vscode.commands.executeCommand<vscode.Hover[]>(
        'vscode.executeHoverProvider',
        doc.uri,
        new vscode.Position(30, 3),
      ),
    );
    assert.match(text, /· stale \(not growing\)/, text);
    // It grows again: live.
    fs.appendFileSync(quiet, megatronLines(610, 620, 3000));
    await until(() => points(a, quiet) === 62, 40_000, 'the appended lines');
    await until(() => m.state(m.runs.get(idQ)!) === 'live', 10_000, 'live again');
  });
});
