/**
 * From a learning-rate × batch-size sweep to the points the Step Law is fitted on (Li et al. 2025; the
 * authors' `query_optimal_lr_bs_data` in step-law/steplaw code/fit_tool.py): group the runs by (N, D), keep in
 * each group the runs whose final (smoothed) loss is within `tolerance` (relative, default 0.25 %) of the
 * group's best, and fit log η and log B over all kept runs. Also reports cells whose best run sits on the edge
 * of the learning rates or batch sizes tried (the optimum may lie outside the sweep). Pure.
 */
export interface SweepRun { N: number; D: number; lr: number; bs: number; loss: number }

export interface NearOptimal {
  rows: SweepRun[];
  cells: number;
  dropped: number;
  warnings: string[];
}

export function nearOptimalRuns(runs: readonly SweepRun[], tolerance = 0.0025): NearOptimal {
  const ok = runs.filter((r) => [r.N, r.D, r.lr, r.bs, r.loss].every((v) => Number.isFinite(v) && v > 0));
  const cells = new Map<string, SweepRun[]>();
  for (const r of ok) {
    const k = `${r.N}|${r.D}`;
    const c = cells.get(k);
    if (c) c.push(r); else cells.set(k, [r]);
  }
  const rows: SweepRun[] = [], warnings: string[] = [];
  const edge = { lr: 0, bs: 0 };
  for (const c of cells.values()) {
    const best = c.reduce((a, b) => (b.loss < a.loss ? b : a));
    for (const r of c) if (Math.abs(r.loss / best.loss - 1) < tolerance) rows.push(r);
    const lrs = c.map((r) => r.lr), bss = c.map((r) => r.bs);
    if (new Set(lrs).size > 2 && (best.lr === Math.min(...lrs) || best.lr === Math.max(...lrs))) edge.lr++;
    if (new Set(bss).size > 2 && (best.bs === Math.min(...bss) || best.bs === Math.max(...bss))) edge.bs++;
  }
  if (edge.lr) warnings.push(`in ${edge.lr} of ${cells.size} (N, D) cell(s) the best run used the smallest or largest learning rate tried: the optimum may lie outside the sweep`);
  if (edge.bs) warnings.push(`in ${edge.bs} of ${cells.size} (N, D) cell(s) the best run used the smallest or largest batch size tried: the optimum may lie outside the sweep`);
  const single = [...cells.values()].filter((c) => c.length < 3).length;
  if (single) warnings.push(`${single} (N, D) cell(s) have fewer than 3 runs: their optimum is not located`);
  return { rows, cells: cells.size, dropped: runs.length - ok.length, warnings };
}
