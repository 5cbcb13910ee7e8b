/**
 * Time to the first sweep fit, run INSIDE the VS Code extension host by bench/editorFirstSweep.mjs: the workspace
 * was just opened and our extension activates as VS Code decides (workspaceContains). Prints `BENCH_MARK ready`
 * once the initial scan is done and `BENCH_MARK sweep {…}` when the first sweep fit after it is delivered (the
 * controller schedules it when the scan ends, so it fits every run the scan read); the launcher timestamps both
 * against the moment it opened the workbench. When that fit has a law, `BENCH_MARK predict` times Predict at….
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
    const t = setTimeout(() => {
      sub.dispose();
      reject(new Error('no sweep fit within 10 minutes of the scan'));
    }, 10 * 60_000);
    const sub = c.onDidFit((e) => {
      if (e.sweep) {
        clearTimeout(t);
        sub.dispose();
        resolve(e.sweep);
      }
    });
  });
  const states: Record<string, number> = {};
  for (const r of c.model.runs.values()) {
    const s = c.model.state(r);
    states[s] = (states[s] ?? 0) + 1;
  }
  const input = c.model.sweepInput(c.options.metric).points.length;
  console.log(
    `BENCH_MARK sweep ${JSON.stringify({ runs: c.model.runs.size, input_points: input, fitted_points: v.n ?? 0, ok: v.ok, ...(v.ok ? { law: v.lawName } : { reason: v.reason }), states })}`,
  );
  if (!v.ok) return;
  // Predict at… (compute C = 1e21) through the command, as the palette runs it, 5 times; beside it the sweep refit
  // alone (no prediction asked), interleaved: what the answer costs beyond refitting the law.
  const pred: number[] = [],
    refit: number[] = [];
  let answer: SweepFitView['prediction'];
  for (let k = 0; k < 5; k++) {
    let t = performance.now();
    const f = await vscode.commands.executeCommand<SweepFitView>('scalingLens.predictAt', 'C', 1e21);
    pred.push(performance.now() - t);
    if (!f?.prediction) throw new Error(`Predict at C = 1e21 gave no answer: ${f?.reason ?? f?.predictionError}`);
    answer = f.prediction;
    t = performance.now();
    await c.fitSweep();
    refit.push(performance.now() - t);
  }
  const med = (a: number[]) => [...a].sort((x, y) => x - y)[a.length >> 1];
  console.log(
    `BENCH_MARK predict ${JSON.stringify({ median_ms: +med(pred).toFixed(1), max_ms: +Math.max(...pred).toFixed(1), samples_ms: pred.map((x) => +x.toFixed(1)), baseline_refit_median_ms: +med(refit).toFixed(1), baseline_refit_samples_ms: refit.map((x) => +x.toFixed(1)), value: answer?.value })}`,
  );
}
