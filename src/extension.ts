/**
 * Scaling Lens: entry point of the extension host side. Activation is cheap (no file is read here):
 * the workspace scan starts right after activation resolves, in the background, with progress.
 */
import * as vscode from 'vscode';
import { Controller } from './host/controller';
import { registerCommands } from './host/commands';
import { RunsView } from './host/runsView';
import { Dashboard, DashboardSerializer, DASHBOARD_VIEW_TYPE } from './host/dashboard';
import { LogHoverProvider } from './host/hover';
import { LiveRunCodeLens } from './host/codeLens';
import { StatusBar } from './host/statusBar';
import { Problems } from './host/problems';
import { liveCounts } from './host/liveCount';

/** Files whose hovers/CodeLens we serve: every file scheme document; providers answer only for tracked logs. */
const LOG_SELECTOR: vscode.DocumentSelector = [{ scheme: 'file' }];

/** What tests (and other extensions) can reach. */
export interface ScalingLensApi {
  controller: Controller;
  dashboard(): Dashboard | undefined;
  ready: Promise<void>;
  activationMs: number;
  /** Live subscriptions, file watchers, panels and timers by kind (for leak tests). */
  live(): Record<string, number>;
  /** The Runs view's tree (tests read what it lists). */
  runsView: RunsView;
}

export function activate(context: vscode.ExtensionContext): ScalingLensApi {
  const t0 = performance.now();
  const log = vscode.window.createOutputChannel('Scaling Lens', { log: true });
  context.subscriptions.push(log);
  const controller = new Controller(context, log);
  context.subscriptions.push(controller);
  registerCommands(context, controller);
  const runsView = new RunsView(controller);
  context.subscriptions.push(
    runsView,
    new StatusBar(controller),
    new Problems(controller),
    vscode.languages.registerHoverProvider(LOG_SELECTOR, new LogHoverProvider(controller)),
    vscode.window.registerWebviewPanelSerializer(DASHBOARD_VIEW_TYPE, new DashboardSerializer(context, controller)),
    { dispose: () => Dashboard.current?.dispose() },
  );
  const lens = new LiveRunCodeLens(controller);
  context.subscriptions.push(lens, vscode.languages.registerCodeLensProvider(LOG_SELECTOR, lens));
  const activationMs = performance.now() - t0;
  log.info(
    `Scaling Lens activated in ${activationMs.toFixed(1)} ms (VS Code ${vscode.version}, ${vscode.workspace.isTrusted ? 'trusted' : 'restricted'} workspace)`,
  );
  // The scan runs after activation returns, so activation itself stays cheap.
  const ready = new Promise<void>((resolve) =>
    setImmediate(() =>
      controller.start().then(resolve, (e) => {
        log.error(`scan failed: ${(e as Error).message}`);
        resolve();
      }),
    ),
  );
  return { controller, dashboard: () => Dashboard.current, ready, activationMs, live: liveCounts, runsView };
}

export function deactivate(): void {}
