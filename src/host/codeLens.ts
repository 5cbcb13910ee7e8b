/**
 * A CodeLens above the latest line of a live run's log with the current forecast
 * ("Scaling Lens: loss 2.61 → 2.38 ±0.01 @24k · ETA 2h13m"); clicking it opens the run in the dashboard.
 */
import * as vscode from 'vscode';
import type { Controller } from './controller';
import { forecastLine } from '../model/format';

export class LiveRunCodeLens implements vscode.CodeLensProvider, vscode.Disposable {
  private readonly _onDidChange = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this._onDidChange.event;
  private readonly sub: vscode.Disposable;
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly controller: Controller) {
    this.sub = vscode.Disposable.from(
      controller.onDidChangeRuns(() => {
        if (this.timer) return;
        this.timer = setTimeout(() => {
          this.timer = undefined;
          this._onDidChange.fire();
        }, 500);
      }),
      // A new target is shown at once, not after the coalescing delay.
      controller.onDidChangeTarget(() => this._onDidChange.fire()),
    );
  }

  provideCodeLenses(doc: vscode.TextDocument): vscode.CodeLens[] {
    const c = this.controller;
    if (!c.config.codeLensEnabled) return [];
    const f = c.model.files.get(doc.uri.fsPath);
    if (!f) return [];
    const lenses: vscode.CodeLens[] = [];
    for (const id of f.runIds) {
      const run = c.model.runs.get(id);
      if (!run || c.model.state(run) !== 'live') continue;
      const latest = c.latest(id);
      if (!latest) continue;
      let line = doc.lineCount - 1;
      while (line > 0 && doc.lineAt(line).isEmptyOrWhitespace) line--;
      const title = `$(pulse) Scaling Lens: ${forecastLine(latest.metric, latest.value, c.forecast(id), c.config.targetLoss)}`;
      lenses.push(
        new vscode.CodeLens(doc.lineAt(line).range, {
          title,
          command: 'scalingLens.openRunInDashboard',
          arguments: [id],
          tooltip: 'Open this run in the Scaling Lens dashboard',
        }),
      );
    }
    return lenses;
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.sub.dispose();
    this._onDidChange.dispose();
  }
}
