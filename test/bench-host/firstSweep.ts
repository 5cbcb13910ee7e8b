/**
 * Time to the first sweep fit, run INSIDE the VS Code extension host by bench/editorFirstSweep.mjs: the workspace
 * was just opened and our extension activates as VS Code decides (workspaceContains). Prints `BENCH_MARK ready`
 * once the initial scan is done and `BENCH_MARK sweep {…}` when the first sweep fit after it is delivered (the
 * controller schedules it when the scan ends, so it fits every run the scan read); the launcher timestamps both
 * against the moment it opened the workbench.
 */
import * as vscode from 'vscode';
import type { ScalingLensApi } from '../../src/extension';
import type { SweepFitView } from '../../src/protocol';

export async function run(): Promise<void> {
  const ext = vscode.extensions.getExtension<ScalingLensApi>('scaling-lens.scaling-lens');
  if (!ext) throw new Error('scaling-lens.scaling-lens is not loaded');
  const a = await ext.activate();
  await a.ready;
  const c = a.controller;
  console.log(`BENCH_MARK ready ${JSON.stringify({ runs: c.model.runs.size })}`);
  const v = await new Promise<SweepFitView>((resolve, reject) => {
    const t = setTimeout(() => { sub.dispose(); reject(new Error('no sweep fit within 10 minutes of the scan')); }, 10 * 60_000);
    const sub = c.onDidFit((e) => { if (e.sweep) { clearTimeout(t); sub.dispose(); resolve(e.sweep); } });
  });
  const states: Record<string, number> = {};
  for (const r of c.model.runs.values()) { const s = c.model.state(r); states[s] = (states[s] ?? 0) + 1; }
  const input = c.model.sweepInput(c.options.metric).points.length;
  console.log(`BENCH_MARK sweep ${JSON.stringify({ runs: c.model.runs.size, input_points: input, fitted_points: v.n ?? 0, ok: v.ok, ...(v.ok ? { law: v.lawName } : { reason: v.reason }), states })}`);
}
