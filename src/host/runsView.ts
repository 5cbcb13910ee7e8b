/**
 * The Runs view in the Scaling Lens activity-bar container: runs grouped by folder (a sweep), each with its
 * parameter count, last value, forecast and state; context menu to reveal the log, set the parameter count,
 * exclude from fits, open in the dashboard.
 */
import * as vscode from 'vscode';
import type { Controller } from './controller';
import type { RunSummary } from '../protocol';
import { formatCount } from '../model/runModel';
import { intervalText, lowerText, STATE_LABEL } from '../model/format';
import { evaluationsByRun } from '../model/runTree';

type Node =
  { kind: 'group'; name: string; runs: RunSummary[] } | { kind: 'run'; run: RunSummary; evaluations?: RunSummary[] };

const STATE_ICON: Record<RunSummary['state'], string> = {
  live: 'pulse',
  finished: 'pass',
  stale: 'debug-pause',
  stopped: 'debug-stop',
  diverged: 'error',
};

export function describeRun(r: RunSummary): string {
  const parts: string[] = [];
  if (r.params !== undefined) parts.push(formatCount(r.params));
  if (r.lastValue !== undefined) parts.push(`${r.metric ?? 'loss'} ${r.lastValue.toPrecision(4)}`);
  if (r.forecast)
    parts.push(
      `${r.forecast.hypothetical ? 'if continued →' : '→'} ${r.forecast.value.toPrecision(4)} ${intervalText(r.forecast.value, r.forecast.lower, r.forecast.upper)}`,
    );
  if (r.state !== 'live' && r.state !== 'finished') parts.push(STATE_LABEL[r.state]);
  if (r.excluded) parts.push('(excluded)');
  return parts.join(' · ');
}

export class RunsView implements vscode.TreeDataProvider<Node>, vscode.Disposable {
  private readonly _onDidChange = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this._onDidChange.event;
  private readonly disposables: vscode.Disposable[] = [this._onDidChange];
  private timer: ReturnType<typeof setTimeout> | undefined;
  readonly view: vscode.TreeView<Node>;

  constructor(private readonly controller: Controller) {
    this.view = vscode.window.createTreeView('scalingLens.runs', { treeDataProvider: this, showCollapseAll: true });
    this.disposables.push(
      this.view,
      controller.onDidChangeRuns(() => this.refresh()),
    );
  }

  /** Coalesced: a burst of appended lines refreshes the tree once. */
  refresh(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this._onDidChange.fire();
      this.updateBadge();
    }, 250);
  }

  private updateBadge(): void {
    // Counted from the run states, not from summaries (a sorted summary of every run, every 250 ms of a scan).
    const m = this.controller.model;
    let live = 0;
    for (const run of m.runs.values()) if (m.state(run) === 'live') live++;
    this.view.badge = live ? { value: live, tooltip: `${live} live run${live > 1 ? 's' : ''}` } : undefined;
  }

  getChildren(node?: Node): Node[] {
    if (node?.kind === 'run') return (node.evaluations ?? []).map((run) => ({ kind: 'run', run }));
    const all = this.controller.model.summaries(this.controller.options.metric);
    const evals = evaluationsByRun(all);
    const runNode = (run: RunSummary): Node => ({ kind: 'run', run, evaluations: evals.get(run.id) });
    if (node?.kind === 'group') return node.runs.map(runNode);
    const groups = new Map<string, RunSummary[]>();
    for (const r of all) {
      if (r.evaluates && evals.has(r.evaluates.id)) continue; // listed under the run it evaluated
      const g = groups.get(r.group) ?? [];
      g.push(r);
      groups.set(r.group, g);
    }
    for (const g of groups.values())
      g.sort((a, b) => (a.params ?? Infinity) - (b.params ?? Infinity) || a.label.localeCompare(b.label));
    if (groups.size === 1) return [...groups.values()][0].map(runNode);
    return [...groups.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([name, runs]) => ({ kind: 'group', name, runs }));
  }

  getTreeItem(node: Node): vscode.TreeItem {
    if (node.kind === 'group') {
      const item = new vscode.TreeItem(
        node.name === '.' ? '(workspace root)' : node.name,
        vscode.TreeItemCollapsibleState.Expanded,
      );
      item.iconPath = new vscode.ThemeIcon('folder');
      item.description = `${node.runs.length} run${node.runs.length > 1 ? 's' : ''}`;
      item.contextValue = 'group';
      return item;
    }
    const r = node.run;
    const item = new vscode.TreeItem(
      r.label,
      node.evaluations?.length ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.None,
    );
    item.id = r.id;
    item.description = describeRun(r);
    if (r.evaluates)
      item.description = `evaluation${r.evaluates.step !== undefined ? ` @ step ${r.evaluates.step}` : ''} · ${item.description}`;
    item.iconPath = new vscode.ThemeIcon(
      r.problems ? 'warning' : STATE_ICON[r.state],
      r.state === 'live' ? new vscode.ThemeColor('charts.green') : undefined,
    );
    item.contextValue = `run${r.excluded ? '.excluded' : ''}`;
    const tip = new vscode.MarkdownString(undefined, false);
    tip.appendMarkdown('**').appendText(r.label).appendMarkdown('**  \n');
    tip
      .appendText(`${r.relPath} · ${r.format} · ${STATE_LABEL[r.state]}${r.stateReason ? ` (${r.stateReason})` : ''}`)
      .appendMarkdown('  \n');
    if (r.params !== undefined)
      tip
        .appendText(`N = ${formatCount(r.params)}${r.paramsSource ? ` (from ${r.paramsSource})` : ''}`)
        .appendMarkdown('  \n');
    if (r.lastStep !== undefined)
      tip.appendText(`step ${r.lastStep}${r.totalSteps ? ` / ${r.totalSteps}` : ''}`).appendMarkdown('  \n');
    if (r.forecast)
      tip
        .appendText(
          `forecast ${r.forecast.metric} @ ${r.forecast.atStep}${r.forecast.basis ? ` (${r.forecast.basis})` : ''}: ${r.forecast.value.toPrecision(4)} [${lowerText(r.forecast.value, r.forecast.lower)}, ${r.forecast.upper.toPrecision(4)}] (${r.forecast.lawName})`,
        )
        .appendMarkdown('  \n');
    if (r.builtFrom)
      tip
        .appendText(
          `one run from ${r.builtFrom.files.length} files: ${r.builtFrom.files.join(', ')} (${r.builtFrom.reason})`,
        )
        .appendMarkdown('  \n');
    if (r.linkedTo)
      tip
        .appendText(
          `the same training run as ${r.linkedTo.id}: counted once, there, in sweep fits (${r.linkedTo.reason})`,
        )
        .appendMarkdown('  \n');
    if (r.evaluates)
      tip
        .appendText(
          `evaluation scores of ${r.evaluates.id}${r.evaluates.step !== undefined ? ` at step ${r.evaluates.step}` : ''}: its eval/… points in the dashboard's downstream view`,
        )
        .appendMarkdown('  \n');
    if (node.evaluations?.length)
      tip
        .appendText(
          `${node.evaluations.length} evaluation${node.evaluations.length > 1 ? 's' : ''} of its checkpoints, listed under it`,
        )
        .appendMarkdown('  \n');
    if (r.problems) tip.appendText(`${r.problems} problem${r.problems > 1 ? 's' : ''} (see the Problems panel)`);
    item.tooltip = tip;
    item.command = { command: 'scalingLens.openRunInDashboard', title: 'Open in Dashboard', arguments: [r.id] };
    item.accessibilityInformation = { label: `${r.label}, ${r.state}, ${describeRun(r)}` };
    return item;
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    for (const d of this.disposables) d.dispose();
  }
}
