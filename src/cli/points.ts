/**
 * Sweep points (N, D, final loss) from what was loaded: points tables row by row, and runs one point each
 * (N from the log's parameter count, D from its tokens, loss = last finite value of the metric).
 * Unusable rows/runs become diagnostics, never silent drops. A table row repeating a run's (N, D) within 1 %
 * (the folder's summary table next to its logs) is counted once, with an info diagnostic.
 */
import type { Diagnostic } from '../ingest/types';
import type { Loaded } from './load';
import { lastFinite, pickMetric, runTokens } from './load';
import type { SweepPoint } from './sweepFit';
import { dropRowsRepeatingRuns } from '../fit/sameExperiment';

export function sweepPoints(loaded: Loaded, metric: string | undefined, diagnostics: Diagnostic[]): SweepPoint[] {
  const rows: SweepPoint[] = [],
    pts: SweepPoint[] = [];
  for (const t of loaded.tables) {
    let bad = 0;
    for (let i = 0; i < t.loss.length; i++) {
      let D = t.D[i];
      if (!(D > 0) && t.C[i] > 0 && t.N[i] > 0) D = t.C[i] / (6 * t.N[i]);
      const p = { N: t.N[i], D, loss: t.loss[i], label: `${t.path}#${i + 1}` };
      if (p.N > 0 && p.D > 0 && p.loss > 0 && Number.isFinite(p.N) && Number.isFinite(p.D) && Number.isFinite(p.loss))
        rows.push(p);
      else bad++;
    }
    if (bad)
      diagnostics.push({
        path: t.path,
        severity: 'warning',
        message: `${bad} row(s) without positive finite N, D (or C) and loss were skipped`,
      });
  }
  for (const r of loaded.runs) {
    if (r.linkedTo) {
      diagnostics.push({
        path: r.path,
        severity: 'info',
        message: `run ${r.id} left out of the sweep fit: the same training run as ${r.linkedTo.id}, counted once there`,
      });
      continue;
    }
    const m = pickMetric(r, metric);
    const N = r.meta.params?.value;
    const D = runTokens(r);
    const last = m ? lastFinite(r.metrics[m].step, r.metrics[m].value) : null;
    const missing = [
      !m ? `metric ${metric ?? 'val/loss or train/loss'}` : !last ? 'a finite final loss' : '',
      !(N && N > 0) ? 'parameter count N' : '',
      !(D && D > 0) ? 'token count D' : '',
    ].filter(Boolean);
    if (missing.length) {
      diagnostics.push({
        path: r.path,
        severity: 'warning',
        message: `run ${r.id} skipped for the sweep fit: no ${missing.join(', no ')}`,
      });
      continue;
    }
    pts.push({ N: N!, D: D!, loss: last!.value, label: r.id });
  }
  const { kept, repeated } = dropRowsRepeatingRuns(rows, pts);
  for (const path of new Set(repeated.map((p) => p.label.slice(0, p.label.lastIndexOf('#'))))) {
    const n = repeated.filter((p) => p.label.startsWith(`${path}#`)).length;
    diagnostics.push({
      path,
      severity: 'info',
      message: `${n} row(s) repeat runs loaded from logs (same N and D within 1 %): each experiment counted once, from its log`,
    });
  }
  return [...kept, ...pts];
}

/** Drops the k highest-loss points (the Besiroglu et al. 2024 protocol drops 5 on the Chinchilla data). */
export function dropHighest(points: SweepPoint[], k: number): SweepPoint[] {
  if (k <= 0) return points;
  const order = points.map((_, i) => i).sort((a, b) => points[b].loss - points[a].loss);
  const drop = new Set(order.slice(0, k));
  return points.filter((_, i) => !drop.has(i));
}
