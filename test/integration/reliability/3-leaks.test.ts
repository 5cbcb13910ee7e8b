/**
 * Leak checks in the real extension host. Two lifecycles, repeated:
 *  - the dashboard opened (webview loaded, full state sent, a ping answered) and closed — half the time by the
 *    user closing the tab, half by the extension disposing the panel;
 *  - a second workspace folder (with a log) added and removed with vscode.workspace.updateWorkspaceFolders while
 *    the dashboard is open.
 * After each cycle every live count the extension keeps (ScalingLensApi.live(): controller event subscriptions,
 * file watchers and their listeners, dashboard instances, ping timers) must be back at its baseline; after all
 * cycles no closed Dashboard may still be reachable (WeakRefs cleared by a full GC), the extension host's active
 * timers must not have grown with the cycles, and its heap must not have grown by more than a few MB.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { api, until, sleep, nanoLines, points } from '../suite/util';
import { FULL, activeTimers, memory, openDashboard } from './util';

async function closeAll(a: Awaited<ReturnType<typeof api>>): Promise<void> {
  a.dashboard()?.dispose();
  await until(() => !a.dashboard() || undefined, 10_000, 'the dashboard to close');
}

function folderChange(): Promise<void> {
  return new Promise((resolve) => {
    const sub = vscode.workspace.onDidChangeWorkspaceFolders(() => {
      sub.dispose();
      resolve();
    });
  });
}

describe('leaks: panels, listeners and timers are released', () => {
  it('opening and closing the dashboard N times returns every live count, timer and the heap to baseline', async function () {
    const cycles = FULL ? 100 : 20;
    this.timeout(60_000 + cycles * 20_000);
    const a = await api();
    await closeAll(a);
    // One open/close first: the first webview load warms caches (VS Code's and V8's) that are not leaks.
    await openDashboard(a);
    await closeAll(a);
    await sleep(1000);
    const base = a.live();
    const timers0 = activeTimers();
    const mem0 = memory();
    const refs: WeakRef<object>[] = [];
    // One cycle per call: nothing of a cycle stays on this function's frame once it returns.
    const cycle = async (i: number): Promise<WeakRef<object>> => {
      const d = await openDashboard(a);
      const open = a.live();
      assert.equal(open['dashboard.instance'], 1, 'one dashboard while open');
      assert.ok(
        (open['controller.onDidAppend'] ?? 0) > (base['controller.onDidAppend'] ?? 0),
        'the open dashboard listens to the controller (the counters see it)',
      );
      // Some traffic while open: an option change from the webview and a second ping.
      d.receive({ type: 'setOptions', options: { logY: i % 2 === 0 } });
      assert.ok(await d.probe.ping(10_000), 'ping answered');
      if (i % 2 === 0) {
        d.panel.reveal();
        await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
      } else {
        d.panel.dispose();
      }
      await until(() => !a.dashboard() || undefined, 10_000, 'the dashboard to close');
      assert.deepEqual(a.live(), base, `live counts after close #${i + 1}`);
      return new WeakRef(d);
    };
    for (let i = 0; i < cycles; i++) refs.push(await cycle(i));
    await sleep(1000);
    const mem1 = memory();
    const aliveAt = refs.map((r, i) => (r.deref() !== undefined ? i + 1 : 0)).filter(Boolean);
    const alive = aliveAt.length;
    if (alive) console.log(`      still reachable: dashboards of cycles ${aliveAt.join(', ')}`);
    const timers1 = activeTimers();
    console.log(
      `      ${cycles} open/close cycles: live counts back to baseline after each; ${alive}/${cycles} closed dashboards still reachable after GC; extension-host timers ${timers0} → ${timers1}; heap ${mem0.heapMb.toFixed(1)} → ${mem1.heapMb.toFixed(1)} MB`,
    );
    assert.equal(alive, 0, 'closed dashboards are garbage-collectable (nothing keeps them)');
    assert.ok(timers1 - timers0 <= 3, `active timers grew from ${timers0} to ${timers1} over ${cycles} cycles`);
    assert.ok(
      mem1.heapMb - mem0.heapMb < 8,
      `heap grew ${(mem1.heapMb - mem0.heapMb).toFixed(1)} MB over ${cycles} cycles`,
    );
  });

  it('adding and removing a workspace folder releases its watchers and listeners and drops its runs', async function () {
    const cycles = FULL ? 20 : 4;
    this.timeout(60_000 + cycles * 60_000);
    const a = await api();
    const d = await openDashboard(a);
    await sleep(500);
    const base = a.live();
    const folders0 = vscode.workspace.workspaceFolders?.length ?? 0;
    // One watcher per folder, over all the include globs (src/host/watcher.ts: VS Code matches every file event
    // against every watcher, so one per glob multiplied that work).
    assert.equal(base['watcher.fileWatcher'], folders0, 'one file watcher per folder');
    assert.equal(base['watcher.listener'], 3 * folders0, 'create/change/delete listeners per watcher');
    const timers0 = activeTimers();
    for (let i = 0; i < cycles; i++) {
      const extra = fs.mkdtempSync(path.join(os.tmpdir(), 'sl-extra-folder-'));
      const log = path.join(extra, 'run', 'train.log');
      fs.mkdirSync(path.dirname(log));
      fs.writeFileSync(log, 'number of parameters: 12.00M\n' + nanoLines(0, 50));
      try {
        const added = folderChange();
        assert.ok(
          vscode.workspace.updateWorkspaceFolders(folders0, 0, { uri: vscode.Uri.file(extra) }),
          'folder add accepted',
        );
        await added;
        await until(() => points(a, log) === 50 || undefined, 60_000, 'the log of the added folder');
        const runId = a.controller.model.files.get(log)!.runIds[0];
        await until(
          () => d.probe.sent.some((m) => m.type === 'run' && m.run.id === runId) || undefined,
          20_000,
          'the new run in the dashboard',
        );
        const withExtra = a.live();
        assert.equal(withExtra['watcher.fileWatcher'], folders0 + 1, 'a watcher for the added folder');
        assert.equal(withExtra['watcher.listener'], 3 * (folders0 + 1));
        const removed = folderChange();
        assert.ok(vscode.workspace.updateWorkspaceFolders(folders0, 1), 'folder removal accepted');
        await removed;
        await until(
          () => !a.controller.model.runs.has(runId) || undefined,
          60_000,
          'the run of the removed folder to go',
        );
        await until(
          () => d.probe.sent.some((m) => m.type === 'removeRun' && m.runId === runId) || undefined,
          20_000,
          'the run removed from the dashboard',
        );
        await until(
          () => JSON.stringify(a.live()) === JSON.stringify(base) || undefined,
          20_000,
          `live counts back to baseline after folder cycle #${i + 1}: ${JSON.stringify(a.live())} vs ${JSON.stringify(base)}`,
        );
        assert.ok(
          ![...a.controller.watcher.trackedPaths].some((p) => p.startsWith(extra)),
          'nothing of the removed folder is tracked',
        );
      } finally {
        fs.rmSync(extra, { recursive: true, force: true });
      }
    }
    await sleep(1000);
    const timers1 = activeTimers();
    console.log(
      `      ${cycles} add/remove folder cycles: watchers ${folders0} → ${folders0 + 1} → ${folders0}, live counts back to baseline after each; extension-host timers ${timers0} → ${timers1}`,
    );
    assert.ok(timers1 - timers0 <= 3, `active timers grew from ${timers0} to ${timers1}`);
    assert.equal(a.dashboard(), d, 'the dashboard stayed open through the folder changes');
    await closeAll(a);
  });
});
