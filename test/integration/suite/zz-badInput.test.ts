import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { api, scratch, until, nanoLines, points } from './util';

describe('bad input', () => {
  it('a log deleted while shown in the dashboard disappears from it, and the panel keeps working', async () => {
    const a = await api();
    const f = path.join(scratch('deleted'), 'train.log');
    fs.writeFileSync(f, nanoLines(0, 30));
    await until(() => points(a, f) === 30, 40_000, 'the log');
    const runId = a.controller.model.files.get(f)!.runIds[0];
    await vscode.commands.executeCommand('scalingLens.openRunInDashboard', runId);
    const d = await until(() => a.dashboard(), 10_000, 'the dashboard');
    await until(() => d.sent.some((m) => m.type === 'init'), 30_000, 'the webview to load and get the full state');
    const sentBefore = d.sent.length;
    fs.rmSync(f);
    await until(() => !a.controller.model.runs.has(runId), 40_000, 'the run to go');
    await until(() => d.sent.slice(sentBefore).some((m) => m.type === 'removeRun' && m.runId === runId), 10_000, 'a removeRun message');
    d.receive({ type: 'selectRun', runId }); // stale id from the webview: ignored
    d.receive({ type: 'ready' });
    await until(() => d.sent.slice(sentBefore).some((m) => m.type === 'init' && !m.state.runs.some((r) => r.id === runId)), 10_000, 'a fresh init without the run');
  });

  it('10,000 files in the workspace: the scan honours maxFiles, finishes, and the host stays responsive', async function () {
    this.timeout(240_000);
    const a = await api();
    // Known gap: with the dashboard open, 1,000 runs appearing at once overload the webview's renderer under
    // code-server on 2 cores (tracked in the issue notes). This test measures the extension host alone.
    a.dashboard()?.dispose();
    // The harness sets scalingLens.maxFiles to 3000 in the user settings for this run.
    assert.equal(a.controller.config.maxFiles, 3000);
    const d = scratch('many');
    // Written asynchronously in batches: the test itself must not block the extension host it measures.
    for (let i = 0; i < 10_000; i += 200) {
      await Promise.all(Array.from({ length: 200 }, (_, k) => fs.promises.writeFile(path.join(d, `f${i + k}.log`), (i + k) % 10 === 0 ? nanoLines(0, 3) : 'just a text file\n')));
    }
    let maxLag = 0, last = Date.now();
    const iv = setInterval(() => { const now = Date.now(); maxLag = Math.max(maxLag, now - last - 50); last = now; }, 50);
    try {
      const n = await vscode.commands.executeCommand<number>('scalingLens.rescan');
      assert.ok(n <= 3000, `tracked ${n} ≤ maxFiles`);
      assert.ok(n >= 900, `tracked ${n}: the 1,000 logs among the files are found`);
      await until(() => a.controller.model.runs.size >= 900, 60_000, 'the runs');
    } finally {
      clearInterval(iv);
      console.log(`      10,000 files: ${a.controller.model.runs.size} runs, longest event-loop block during the scan ${maxLag} ms`);
      await fs.promises.rm(d, { recursive: true, force: true });
    }
  });
});
