import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { api, scratch, until, nanoLines, points } from './util';
import { CHART_MAX } from '../../../src/model/chartSet';
import { sampleStalls, type StallStats } from '../../reliability/loopStalls';

describe('bad input', () => {
  it('a log deleted while shown in the dashboard disappears from it, and the panel keeps working', async () => {
    const a = await api();
    const f = path.join(scratch('deleted'), 'train.log');
    fs.writeFileSync(f, nanoLines(0, 30));
    await until(() => points(a, f) === 30, 40_000, 'the log');
    const runId = a.controller.model.files.get(f)!.runIds[0];
    await vscode.commands.executeCommand('scalingLens.openRunInDashboard', runId);
    const d = await until(() => a.dashboard(), 10_000, 'the dashboard');
    await until(
      () => d.probe.sent.some((m) => m.type === 'init'),
      30_000,
      'the webview to load and get the full state',
    );
    const sentBefore = d.probe.sent.length;
    fs.rmSync(f);
    await until(() => !a.controller.model.runs.has(runId), 40_000, 'the run to go');
    await until(
      () => d.probe.sent.since(sentBefore).some((m) => m.type === 'removeRun' && m.runId === runId),
      10_000,
      'a removeRun message',
    );
    d.receive({ type: 'selectRun', runId }); // stale id from the webview: ignored
    d.receive({ type: 'ready' });
    await until(
      () => d.probe.sent.since(sentBefore).some((m) => m.type === 'init' && !m.state.runs.some((r) => r.id === runId)),
      10_000,
      'a fresh init without the run',
    );
  });

  it('10,000 files with the dashboard open: the scan honours maxFiles, the host stays responsive, the webview keeps drawing', async function () {
    this.timeout(300_000);
    const a = await api();
    // The harness sets scalingLens.maxFiles to 3000 in the user settings for this run.
    assert.equal(a.controller.config.maxFiles, 3000);
    await vscode.commands.executeCommand('scalingLens.openDashboard');
    const dash = await until(() => a.dashboard(), 10_000, 'the dashboard');
    await until(() => dash.probe.sent.some((m) => m.type === 'init'), 30_000, 'the webview to load');
    assert.ok((await dash.probe.ping(30_000)) !== undefined, 'the webview answers before the scan');
    const d = scratch('many');
    // Written asynchronously in batches: the test itself must not block the extension host it measures.
    for (let i = 0; i < 10_000; i += 200) {
      await Promise.all(
        Array.from({ length: 200 }, (_, k) =>
          fs.promises.writeFile(
            path.join(d, `f${i + k}.log`),
            (i + k) % 10 === 0 ? nanoLines(0, 3) : 'just a text file\n',
          ),
        ),
      );
    }
    // Stalls of the extension host's loop (50 ms timer): wall time, the thread's own CPU in them (busy) and the GC
    // pauses inside them (test/reliability/loopStalls.ts).
    const sampler = sampleStalls(50);
    let stalls: StallStats | undefined;
    const postsBefore = dash.probe.posts;
    try {
      const n = await vscode.commands.executeCommand<number>('scalingLens.rescan');
      assert.ok(n <= 3000, `tracked ${n} ≤ maxFiles`);
      assert.ok(n >= 900, `tracked ${n}: the 1,000 logs among the files are found`);
      await until(() => a.controller.model.runs.size >= 900, 60_000, 'the runs');
      // The webview got every new run's summary, drew, and answered a ping after all of it. A ping resolves
      // undefined at once when the panel is not shown (CI once saw that here, cause unrecorded): the first try's
      // outcome is printed, the panel is shown again, and the webview must then answer.
      const t0 = Date.now();
      let pong = await dash.probe.ping(60_000);
      if (!pong) {
        const why = `${dash.probe.visible ? 'shown' : 'hidden'} panel, no answer after ${Date.now() - t0} ms`;
        console.log(`      first ping after the scan unanswered (${why}); showing the dashboard and pinging again`);
        await vscode.commands.executeCommand('scalingLens.openDashboard');
        await until(() => dash.probe.visible, 10_000, 'the dashboard shown again');
        pong = await dash.probe.ping(60_000);
      }
      assert.ok(pong, 'the webview answered a ping after the scan (it is alive and drawing)');
      // (the set last sent in `init` or `charted`: the bounded message record may have dropped those messages
      // under a thousand run summaries, so it is read from the dashboard)
      const ids = dash.probe.charted;
      assert.ok(ids.length <= CHART_MAX, `charted ${ids.length} ≤ ${CHART_MAX}`);
      const posts = dash.probe.posts - postsBefore;
      assert.ok(
        posts < a.controller.model.runs.size,
        `${posts} posts to the webview for ${a.controller.model.runs.size} runs: batched`,
      );
      stalls = sampler.stop();
      const maxLag = Math.round(stalls.block);
      // A freeze is the host thread's own work: judged on busy time where the thread's CPU clock is readable (a
      // loaded machine can leave a free thread unscheduled for most of a second: 941 ms wall was once seen at load
      // ~10, where CI's run saw 104 ms with 25 ms of it busy), with a looser wall-clock bound as well.
      if (stalls.busy !== undefined)
        assert.ok(stalls.busy < 1000, `longest busy stall ${Math.round(stalls.busy)} ms (no freeze)`);
      assert.ok(
        maxLag < (stalls.busy !== undefined ? 3000 : 1000),
        `longest event-loop block ${maxLag} ms (no freeze)`,
      );
      const ms = (v: number | undefined) => (v === undefined ? '?' : v.toFixed(0));
      console.log(
        `      10,000 files, dashboard open: ${a.controller.model.runs.size} runs, ${posts} posts (batches) to the webview, ping ${pong.ms.toFixed(0)} ms, last redraw ${pong.drawMs.toFixed(1)} ms, longest event-loop block ${maxLag} ms (host-thread CPU in it ${ms(stalls.cpuInLongest)} ms); longest busy stall ${ms(stalls.busy)} ms, without the GC in it ${ms(stalls.busyNoGc)} ms; longest GC pause ${ms(stalls.gc)} ms (${stalls.gcKind ?? '?'}; ${stalls.gcs} pauses)`,
      );
    } finally {
      if (!stalls) sampler.stop();
      await fs.promises.rm(d, { recursive: true, force: true });
    }
  });
});
