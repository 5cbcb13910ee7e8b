/**
 * Untrusted workspace, in the real VS Code: the restricted session (test/harness/run-code-server-tests.mjs
 * --session restricted) opens the fixture workspace with Workspace Trust on and the folder NOT trusted. Its
 * `.vscode/settings.json` carries a custom line pattern and a parameter mapping, and `custom/trusted-only.log`
 * is a log only that pattern can read. Asserted, as the manifest declares (capabilities.untrustedWorkspaces:
 * limited, restrictedConfigurations):
 *  - restricted: logs are read and fitted and the dashboard works; the workspace's regex is never compiled
 *    (every RegExp construction in the extension host is watched) and its parameter mapping is not applied;
 *  - after the user trusts the workspace (the launcher presses "Trust" in VS Code's trust editor): the pattern is
 *    compiled, the custom log becomes a run with its 40 points, and the mapping sets its parameter count.
 */
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { api, wsRoot, until, sleep } from '../suite/util';
import { openDashboard } from '../reliability/util';
import type { SweepFitView } from '../../../src/protocol';

const USER_REGEX = '^EVAL round=(?<step>\\d+) score=(?<value>[-+0-9.eE]+)$';

describe('untrusted workspace (restricted mode)', () => {
  it('reads logs and shows the dashboard without compiling workspace regexes; trusting the workspace enables them', async function () {
    this.timeout(300_000);
    assert.equal(vscode.workspace.isTrusted, false, 'the workspace opened in restricted mode');
    // Watch every RegExp built from a string from now on (the extension builds user patterns with new RegExp).
    const compiled: string[] = [];
    const Original = globalThis.RegExp;
    globalThis.RegExp = new Proxy(Original, {
      construct(target, args, newTarget) {
        if (typeof args[0] === 'string' && args[0].includes('EVAL round=')) compiled.push(args[0]);
        return Reflect.construct(target, args, newTarget);
      },
      apply(target, thisArg, args) {
        if (typeof args[0] === 'string' && args[0].includes('EVAL round=')) compiled.push(args[0]);
        return Reflect.apply(target, thisArg, args);
      },
    });
    try {
      const a = await api();
      const custom = path.join(wsRoot(), 'custom', 'trusted-only.log');
      const cfg = vscode.workspace.getConfiguration('scalingLens');
      const inspected = cfg.inspect<unknown[]>('customPatterns');
      console.log(
        `      restricted: VS Code reports customPatterns workspace value ${JSON.stringify(inspected?.workspaceValue)}, effective ${JSON.stringify(cfg.get('customPatterns'))}`,
      );

      // Restricted mode: logs are read, fitted and shown.
      await until(() => a.controller.model.runs.size >= 3 || undefined, 60_000, 'the fixture runs');
      const fit = await vscode.commands.executeCommand<SweepFitView>('scalingLens.fitScalingLaw', 'chinchilla');
      assert.ok(fit && fit.points.length >= 3, 'the sweep is fitted in restricted mode');
      const d = await openDashboard(a);
      assert.ok(
        d.probe.sent.some((m) => m.type === 'init' && m.state.runs.length >= 3),
        'the dashboard shows the runs',
      );
      // …but the workspace's regex and mapping are not used, even after a rescan and a settings reload.
      await vscode.commands.executeCommand('scalingLens.rescan');
      await cfg.update('targetLoss', 3.3, vscode.ConfigurationTarget.Workspace);
      await until(() => a.controller.config.targetLoss === 3.3 || undefined, 20_000, 'a settings reload');
      await sleep(2000);
      assert.deepEqual(a.controller.config.customPatterns, [], 'no custom pattern in the config');
      assert.deepEqual(a.controller.config.runParameters, {}, 'no workspace parameter mapping in the config');
      assert.equal(compiled.length, 0, `the workspace regex was compiled: ${compiled.join(', ')}`);
      assert.ok(!a.controller.model.files.has(custom), 'the log only the workspace pattern can read is not read');

      // The user trusts the workspace: the launcher presses "Trust" in the trust editor.
      const granted = new Promise<void>((resolve) => {
        const sub = vscode.workspace.onDidGrantWorkspaceTrust(() => {
          sub.dispose();
          resolve();
        });
      });
      await vscode.commands.executeCommand('workbench.trust.manage');
      await sleep(1500);
      console.log('[sl-trust] please trust the workspace');
      await Promise.race([
        granted,
        sleep(60_000).then(() => {
          throw new Error('the workspace was not trusted within 60 s');
        }),
      ]);
      assert.equal(vscode.workspace.isTrusted, true);
      await until(
        () => a.controller.model.files.get(custom)?.runIds.length || undefined,
        60_000,
        'the custom-pattern log to be read once trusted',
      );
      const run = a.controller.model.runs.get(a.controller.model.files.get(custom)!.runIds[0])!;
      assert.equal(run.format, 'custom');
      assert.equal(run.metrics['custom/score']?.step.length, 40, 'every EVAL line is a point');
      assert.ok(compiled.includes(USER_REGEX), 'the pattern is compiled once trusted');
      await until(
        () => a.controller.model.summary(run, 'auto').params === 123e6 || undefined,
        20_000,
        'the workspace parameter mapping applied',
      );
      console.log(
        `      restricted: ${a.controller.model.runs.size - 1} runs read and fitted, 0 workspace regexes compiled; trusted: pattern compiled, custom log read (40 points), mapping applied`,
      );
    } finally {
      globalThis.RegExp = Original;
      await vscode.workspace
        .getConfiguration('scalingLens')
        .update('targetLoss', undefined, vscode.ConfigurationTarget.Workspace);
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    }
  });
});
