/** The "Scaling Lens: …" commands. */
import * as vscode from 'vscode';
import type { Controller } from './controller';
import { Dashboard } from './dashboard';
import { report } from './exporters';
import { lowerText, parseQuantity, shortNumber } from '../model/format';
import { formatCount } from '../model/runModel';
import type { RunSummary } from '../protocol';
import { suggestHyperparametersCommand } from './suggestHyperparameters';
import { fitTableLawCommand } from './tableLawCommand';

/** Tree nodes pass `{ kind: 'run', run }`; hovers, CodeLens and the status bar pass the run id. */
function runIdOf(arg: unknown): string | undefined {
  if (typeof arg === 'string') return arg;
  const a = arg as { run?: { id?: unknown } } | undefined;
  return typeof a?.run?.id === 'string' ? a.run.id : undefined;
}

async function pickRun(c: Controller, placeHolder: string, arg?: unknown): Promise<RunSummary | undefined> {
  const id = runIdOf(arg);
  const all = c.model.summaries(c.options.metric);
  if (id) return all.find((r) => r.id === id);
  if (!all.length) {
    void vscode.window.showInformationMessage('Scaling Lens: no runs found in this workspace yet.');
    return undefined;
  }
  const pick = await vscode.window.showQuickPick(
    all.map((r) => ({
      label: r.label,
      description: `${r.params !== undefined ? formatCount(r.params) + ' · ' : ''}${r.format} · ${r.state}`,
      detail: r.relPath,
      r,
    })),
    { placeHolder, matchOnDetail: true },
  );
  return pick?.r;
}

export function registerCommands(context: vscode.ExtensionContext, c: Controller): void {
  const reg = (id: string, fn: (...args: unknown[]) => unknown) =>
    context.subscriptions.push(vscode.commands.registerCommand(id, fn));

  reg('scalingLens.openDashboard', () => Dashboard.show(context, c));
  reg('scalingLens.openRunInDashboard', (arg) => Dashboard.show(context, c, runIdOf(arg)));
  reg('scalingLens.showOutput', () => c.log.show());
  reg('scalingLens.rescan', async () => {
    const n = await c.watcher.restart();
    void vscode.window.setStatusBarMessage(`Scaling Lens: ${n} log${n === 1 ? '' : 's'} tracked`, 4000);
    return n;
  });

  reg('scalingLens.fitScalingLaw', async (lawArg?: unknown) => {
    const laws = c.laws().filter((l) => l.scope === 'sweep');
    let law = typeof lawArg === 'string' ? lawArg : undefined;
    if (!law) {
      const pick = await vscode.window.showQuickPick(
        laws.map((l) => ({ label: l.name, description: l.id, id: l.id, picked: l.id === c.options.sweepLaw })),
        { placeHolder: 'Law to fit across the runs of the sweep' },
      );
      if (!pick) return undefined;
      law = pick.id;
    }
    c.setOptions({ sweepLaw: law, tab: 'sweep' });
    const fit = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: 'Scaling Lens: fitting…' },
      () => c.fitSweep(),
    );
    if (!fit?.ok) void vscode.window.showWarningMessage(`Scaling Lens: ${fit?.reason ?? 'fit failed'}`);
    else {
      const ps = (fit.params ?? []).map((p) => `${p.name}=${p.value.toPrecision(4)}`).join(', ');
      void vscode.window
        .showInformationMessage(
          `${fit.lawName}: ${ps} (${fit.n ?? fit.points.length} points)${fit.warnings?.length ? ' — ' + fit.warnings[0] : ''}`,
          'Open Dashboard',
        )
        .then((a) => {
          if (a) Dashboard.show(context, c);
        });
    }
    return fit;
  });

  reg('scalingLens.predictAt', async (axisArg?: unknown, valueArg?: unknown, runArg?: unknown) => {
    let axis = typeof axisArg === 'string' ? axisArg : undefined;
    if (!axis) {
      const pick = await vscode.window.showQuickPick(
        [
          { label: 'Model size N', description: 'parameters, e.g. 1.3B', axis: 'N' },
          { label: 'Tokens D', description: 'compute-optimal N for that D, e.g. 300B', axis: 'D' },
          { label: 'Compute C', description: 'FLOPs, compute-optimal allocation, e.g. 1e21', axis: 'C' },
          { label: 'Step of a run', description: 'extrapolate one run’s curve, e.g. 50k', axis: 'step' },
        ],
        { placeHolder: 'Predict the loss at…' },
      );
      if (!pick) return undefined;
      axis = pick.axis;
    }
    let value = typeof valueArg === 'number' ? valueArg : typeof valueArg === 'string' ? parseQuantity(valueArg) : NaN;
    if (!Number.isFinite(value)) {
      const s = await vscode.window.showInputBox({
        prompt: `Value of ${axis}`,
        placeHolder: axis === 'C' ? '1e21' : axis === 'step' ? '50k' : '1.3B',
        validateInput: (v) =>
          Number.isFinite(parseQuantity(v)) ? undefined : 'a positive number, optionally with k/M/B/T or an exponent',
      });
      if (s === undefined) return undefined;
      value = parseQuantity(s);
    }
    if (axis === 'step') {
      const run = await pickRun(c, 'Run to extrapolate', runArg);
      if (!run) return undefined;
      const job = c.curveJobFor(run.id);
      if (!job) return undefined;
      const r = await c.runJob(`predict:${run.id}`, { ...job, atStep: value });
      if (r.kind !== 'curve') return undefined;
      if (!r.view.ok || !r.view.end) {
        void vscode.window.showWarningMessage(`Scaling Lens: ${r.view.reason ?? 'no prediction'}`);
        return r.view;
      }
      const e = r.view.end;
      void vscode.window.showInformationMessage(
        `${run.label}: ${e.metric} at step ${shortNumber(value)} ≈ ${e.value.toPrecision(4)} (${Math.round(c.config.confidence * 100)}%: ${lowerText(e.value, e.lower)} – ${e.upper.toPrecision(4)}), ${e.lawName}`,
      );
      return r.view;
    }
    if (axis !== 'N' && axis !== 'D' && axis !== 'C') return undefined;
    // From the last sweep fit when it is current (no refit); else fit first, saying so.
    const q = { axis, value } as const;
    const fit = c.hasCurrentSweepFit()
      ? (await c.predictSweep(q)).view
      : (
          await vscode.window.withProgress(
            { location: vscode.ProgressLocation.Notification, title: 'Scaling Lens: fitting the sweep…' },
            () => c.predictSweep(q),
          )
        ).view;
    const p = fit?.prediction;
    if (!fit?.ok || !p) {
      void vscode.window.showWarningMessage(`Scaling Lens: ${fit?.reason ?? 'no prediction'}`);
      return fit;
    }
    const alloc =
      p.N !== undefined && p.D !== undefined ? ` with N ≈ ${formatCount(p.N)}, D ≈ ${formatCount(p.D)} tokens` : '';
    void vscode.window
      .showInformationMessage(
        `Predicted loss at ${axis} = ${shortNumber(value)}: ${p.value.toPrecision(4)} (${p.lower.toPrecision(4)} – ${p.upper.toPrecision(4)})${alloc} — ${fit.lawName}`,
        'Open Dashboard',
      )
      .then((a) => {
        if (a) Dashboard.show(context, c);
      });
    return fit;
  });

  reg('scalingLens.setTargetLoss', async (arg?: unknown) => {
    // A number sets it, null clears it (the dashboard's field); no argument asks.
    let v: number | null | undefined =
      typeof arg === 'number' && Number.isFinite(arg) && arg > 0 ? arg : arg === null ? null : undefined;
    if (v === undefined) {
      const s = await vscode.window.showInputBox({
        prompt: 'Target loss (empty to clear)',
        value: c.config.targetLoss?.toString() ?? '',
        validateInput: (x) =>
          x.trim() === '' || (Number.isFinite(Number(x)) && Number(x) > 0) ? undefined : 'a positive number',
      });
      if (s === undefined) return;
      v = s.trim() === '' ? null : Number(s);
    }
    // Shown everywhere at once; the setting is written after (its change event then finds nothing to do).
    c.setTargetLoss(v);
    await vscode.workspace
      .getConfiguration('scalingLens')
      .update(
        'targetLoss',
        v,
        vscode.workspace.workspaceFolders ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global,
      );
  });

  reg('scalingLens.setRunParameters', async (arg?: unknown, valueArg?: unknown) => {
    const run = await pickRun(c, 'Run whose parameter count to set', arg);
    if (!run) return;
    let v = typeof valueArg === 'number' ? valueArg : NaN;
    if (!Number.isFinite(v)) {
      const s = await vscode.window.showInputBox({
        prompt: `Parameter count N of ${run.label}${run.params !== undefined ? ` (now ${formatCount(run.params)}, from ${run.paramsSource})` : ''}`,
        placeHolder: '125M',
        validateInput: (x) => (Number.isFinite(parseQuantity(x)) ? undefined : 'e.g. 125M, 1.3B, 7e9'),
      });
      if (s === undefined) return;
      v = parseQuantity(s);
    }
    const cfg = vscode.workspace.getConfiguration('scalingLens');
    const cur = { ...(cfg.inspect<Record<string, number>>('runParameters')?.workspaceValue ?? {}) };
    cur[run.relPath] = v;
    await cfg.update(
      'runParameters',
      cur,
      vscode.workspace.workspaceFolders ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global,
    );
  });

  // Tokens per step turn a run's steps into tokens D (sweeps need D): for logs that do not print batch × sequence.
  reg('scalingLens.setTokensPerStep', async (arg?: unknown, valueArg?: unknown) => {
    const run = await pickRun(c, 'Run whose tokens per step to set', arg);
    if (!run) return;
    let v = typeof valueArg === 'number' ? valueArg : NaN;
    if (!Number.isFinite(v)) {
      const known = c.model.runs.get(run.id)?.meta.tokensPerStep;
      const s = await vscode.window.showInputBox({
        prompt: `Tokens per optimizer step of ${run.label} (global batch size × sequence length)${known ? ` (now ${formatCount(known.value)}, from ${known.source.how})` : ''}`,
        placeHolder: '524288 (= 512 × 1024)',
        validateInput: (x) => (Number.isFinite(parseQuantity(x)) ? undefined : 'e.g. 524288, 0.5M, 2^19 written out'),
      });
      if (s === undefined) return;
      v = parseQuantity(s);
    }
    if (!(Number.isFinite(v) && v > 0)) return;
    const cfg = vscode.workspace.getConfiguration('scalingLens');
    const cur = { ...(cfg.inspect<Record<string, number>>('runTokensPerStep')?.workspaceValue ?? {}) };
    cur[run.relPath] = v;
    await cfg.update(
      'runTokensPerStep',
      cur,
      vscode.workspace.workspaceFolders ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global,
    );
  });

  reg('scalingLens.toggleExclude', (arg?: unknown) => {
    const id = runIdOf(arg);
    if (id) c.setExcluded(id, !c.model.excluded.has(id));
  });

  reg('scalingLens.revealLog', async (arg?: unknown) => {
    const id = runIdOf(arg);
    const run = id ? c.model.runs.get(id) : undefined;
    if (!run) return;
    const uri = vscode.Uri.file(run.path);
    const stat = await vscode.workspace.fs.stat(uri).then(
      (s) => s,
      () => undefined,
    );
    if (!stat) {
      void vscode.window.showWarningMessage(`Scaling Lens: ${c.relativize(run.path)} no longer exists.`);
      return;
    }
    if (stat.type & vscode.FileType.Directory) {
      await vscode.commands.executeCommand('revealInExplorer', uri);
      return;
    }
    const doc = await vscode.workspace.openTextDocument(uri);
    const editor = await vscode.window.showTextDocument(doc, { preview: true });
    const last = Math.max(0, doc.lineCount - 1);
    editor.revealRange(new vscode.Range(last, 0, last, 0), vscode.TextEditorRevealType.InCenter);
    editor.selection = new vscode.Selection(last, 0, last, 0);
  });

  // issue 15: η*, B* for a target N, D (Step Law, and our fit on the workspace's LR × batch sweep)
  reg('scalingLens.suggestHyperparameters', (n?: unknown, d?: unknown, quiet?: unknown) =>
    suggestHyperparametersCommand(c, n, d, quiet),
  );
  // issue 15: the table laws (downstream, over-training, data-constrained, Step Law) on a CSV of the workspace
  reg('scalingLens.fitTableLaw', (file?: unknown, law?: unknown, quiet?: unknown) =>
    fitTableLawCommand(c, file, law, quiet),
  );

  reg('scalingLens.exportReport', async () => {
    const doc = await vscode.workspace.openTextDocument({ language: 'markdown', content: report(c) });
    await vscode.window.showTextDocument(doc, { preview: false });
    return doc;
  });
}
