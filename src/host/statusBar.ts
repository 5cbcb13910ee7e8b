/**
 * Status bar item for the active live run: `loss 2.61 → 2.38 ±0.01 @24k · ETA 2h13m`. The active run is the
 * one whose log is in the active editor, else the live run that grew most recently. Click: open the dashboard.
 */
import * as vscode from 'vscode';
import type { Controller } from './controller';
import { forecastLine, STATE_LABEL } from '../model/format';
import { forecastProvenance } from '../fit/curve/describe';

export class StatusBar implements vscode.Disposable {
  readonly item: vscode.StatusBarItem;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(private readonly controller: Controller) {
    this.item = vscode.window.createStatusBarItem('scalingLens.liveRun', vscode.StatusBarAlignment.Left, 50);
    this.item.name = 'Scaling Lens: live run';
    this.disposables.push(
      this.item,
      controller.onDidChangeRuns(() => this.schedule()),
      controller.onDidChangeTarget(() => this.update()),
      // A switch of the `auto` metric is announced where the metric is shown, for a while, then the tooltip says why.
      controller.onDidSwitchMetric((sw) => {
        this.notice?.dispose();
        this.notice = vscode.window.setStatusBarMessage(`$(info) ${sw.text}`, 15_000);
      }),
      { dispose: () => this.notice?.dispose() },
      vscode.window.onDidChangeActiveTextEditor(() => this.update()),
    );
    this.update();
  }

  private notice: vscode.Disposable | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  /** Coalesced: a burst of updates (a scan, a fast-growing log) refreshes the item once. */
  private schedule(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.update();
    }, 200);
  }

  activeRunId(): string | undefined {
    const c = this.controller;
    const doc = vscode.window.activeTextEditor?.document;
    const f = doc ? c.model.files.get(doc.uri.fsPath) : undefined;
    if (f?.runIds.length) return f.runIds[0];
    // The most recently grown file's live run: files are tried newest first and the run state (the costly part,
    // with a thousand runs after a scan) is decided only until one is live, not for every run on every update.
    const files = [...c.model.files.values()].sort((a, b) => b.lastGrowth - a.lastGrowth);
    for (const file of files)
      for (const id of file.runIds) {
        const run = c.model.runs.get(id);
        if (run && c.model.state(run) === 'live') return id;
      }
    return undefined;
  }

  update(): void {
    const c = this.controller;
    const id = this.activeRunId();
    const latest = id ? c.latest(id) : undefined;
    if (!id || !latest) {
      this.item.hide();
      return;
    }
    const run = c.model.runs.get(id)!;
    const summary = c.model.summary(run, c.options.metric);
    this.item.text = `$(${summary.state === 'live' ? 'pulse' : 'graph-line'}) ${forecastLine(latest.metric, latest.value, c.forecast(id), c.config.targetLoss, summary.state)}`;
    const f = c.forecast(id);
    // The metric is named and, under `auto`, why it is this one: a switch from loss to val loss is never silent.
    const ws = c.model.workspaceMetric();
    const metricWhy =
      c.options.metric !== 'auto'
        ? `Metric: ${latest.metric} (set in the dashboard)`
        : ws.metric === latest.metric
          ? `Metric: ${latest.metric} (${ws.note ?? 'auto'}${ws.metric === 'val/loss' ? ', each with 8+ validation points' : ''})`
          : `Metric: ${latest.metric} (auto: this run lacks ${ws.metric ?? 'a common loss'}; ${ws.note ?? ''})`;
    this.item.tooltip =
      `Scaling Lens — ${summary.label}: ${STATE_LABEL[summary.state]}${summary.stateReason ? ` (${summary.stateReason})` : ''}. ${metricWhy}.` +
      (f
        ? ` Forecast at step ${f.atStep.toLocaleString('en-US')} (${f.basis ?? 'planned end'}): ${forecastProvenance(f, Math.round(c.config.confidence * 100))}.`
        : '') +
      ' Click to open the dashboard.';
    this.item.command = { command: 'scalingLens.openRunInDashboard', title: 'Open in Dashboard', arguments: [id] };
    this.item.show();
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    for (const d of this.disposables) d.dispose();
  }
}
