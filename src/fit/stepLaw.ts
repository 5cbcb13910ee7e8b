/**
 * From a learning-rate × batch-size sweep to the points the Step Law is fitted on (Li et al. 2025; the
 * authors' `query_optimal_lr_bs_data` in step-law/steplaw code/fit_tool.py): group the runs by (N, D), keep in
 * each group the runs whose final (smoothed) loss is within `tolerance` (relative, default 0.25 %) of the
 * group's best, and fit log η and log B over all kept runs. Also reports cells whose best run sits on the edge
 * of the learning rates or batch sizes tried (the optimum may lie outside the sweep). Pure.
 */
import { fitTableLaw, bootstrapRaws, percentileBand, type TableFit } from './tableLaw';
import { stepLawLr } from './laws/stepLawLr';
import { stepLawBatch } from './laws/stepLawBatch';

export interface SweepRun {
  N: number;
  D: number;
  lr: number;
  bs: number;
  loss: number;
}

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
    if (c) c.push(r);
    else cells.set(k, [r]);
  }
  const rows: SweepRun[] = [],
    warnings: string[] = [];
  const edge = { lr: 0, bs: 0 };
  for (const c of cells.values()) {
    const best = c.reduce((a, b) => (b.loss < a.loss ? b : a));
    for (const r of c) if (Math.abs(r.loss / best.loss - 1) < tolerance) rows.push(r);
    const lrs = c.map((r) => r.lr),
      bss = c.map((r) => r.bs);
    if (new Set(lrs).size > 2 && (best.lr === Math.min(...lrs) || best.lr === Math.max(...lrs))) edge.lr++;
    if (new Set(bss).size > 2 && (best.bs === Math.min(...bss) || best.bs === Math.max(...bss))) edge.bs++;
  }
  if (edge.lr)
    warnings.push(
      `in ${edge.lr} of ${cells.size} (N, D) cell(s) the best run used the smallest or largest learning rate tried: the optimum may lie outside the sweep`,
    );
  if (edge.bs)
    warnings.push(
      `in ${edge.bs} of ${cells.size} (N, D) cell(s) the best run used the smallest or largest batch size tried: the optimum may lie outside the sweep`,
    );
  const single = [...cells.values()].filter((c) => c.length < 3).length;
  if (single) warnings.push(`${single} (N, D) cell(s) have fewer than 3 runs: their optimum is not located`);
  return { rows, cells: cells.size, dropped: runs.length - ok.length, warnings };
}

// ── Suggest Hyperparameters… (issue 15): η* and B* for a target (N, D) ──

export interface SuggestOptions {
  /** Bootstrap refits over the near-optimal runs for the intervals (default 200; < 20 gives no interval). */
  bootstrap?: number;
  confidence?: number;
  seed?: number;
  /** Near-optimal band of nearOptimalRuns (default 0.25 %). */
  tolerance?: number;
}

export interface FittedSuggestion {
  lr: number;
  lrInterval: [number, number] | null;
  /** Batch size in tokens. */
  batchTokens: number;
  batchInterval: [number, number] | null;
  /** Natural parameters of the two fits (c, alpha, beta; c, gamma). */
  lrParams: Record<string, number>;
  batchParams: Record<string, number>;
  /** Near-optimal runs fitted, out of how many (N, D) cells. */
  rows: number;
  cells: number;
}

export interface HyperparameterSuggestion {
  N: number;
  D: number;
  /** The published Step Law at (N, D). */
  published: { lr: number; batchTokens: number; source: string; lrFormula: string; batchFormula: string };
  /** Our fit on the workspace's sweep, when one was given and could be fitted. */
  fitted: FittedSuggestion | null;
  confidence: number;
  /** Why there is no fit, the sweep's own warnings, extrapolation. */
  warnings: string[];
}

/** The published Step Law's optimal peak learning rate and batch size (tokens) at (N, D). */
export function stepLawPublished(N: number, D: number): { lr: number; batchTokens: number } {
  const a = stepLawLr.published!.params,
    b = stepLawBatch.published!.params;
  return { lr: a.c * N ** a.alpha * D ** a.beta, batchTokens: b.c * D ** b.gamma };
}

/** One bootstrap interval to compute: the refits' predictions at x, in chunks. */
interface BandJob {
  fit: TableFit;
  inputs: number[][];
  y: number[];
  x: number[];
  set(band: [number, number] | null): void;
}

function prepare(
  N: number,
  D: number,
  sweep: readonly SweepRun[],
  opts: SuggestOptions,
): { out: HyperparameterSuggestion; jobs: BandJob[] } {
  const confidence = opts.confidence ?? 0.95;
  const warnings: string[] = [];
  const ok = Number.isFinite(N) && N > 0 && Number.isFinite(D) && D > 0;
  if (!ok) warnings.push('N and D must be positive numbers');
  const pub = ok ? stepLawPublished(N, D) : { lr: NaN, batchTokens: NaN };
  const a = stepLawLr.published!.params,
    b = stepLawBatch.published!.params;
  const published = {
    ...pub,
    source: stepLawLr.published!.source,
    lrFormula: `η* = ${a.c}·N^${a.alpha}·D^${a.beta}`,
    batchFormula: `B* = ${b.c}·D^${b.gamma} tokens`,
  };
  const out: HyperparameterSuggestion = { N, D, published, fitted: null, confidence, warnings };
  const jobs: BandJob[] = [];
  if (!ok || !sweep.length) return { out, jobs };
  const sel = nearOptimalRuns(sweep, opts.tolerance ?? 0.0025);
  warnings.push(...sel.warnings);
  if (sel.dropped)
    warnings.push(
      `${sel.dropped} sweep run(s) without positive N, D, learning rate, batch size and loss were left out`,
    );
  const rows = sel.rows;
  const Ns = rows.map((r) => r.N),
    Ds = rows.map((r) => r.D),
    lrs = rows.map((r) => r.lr),
    bss = rows.map((r) => r.bs);
  const f = fitTableLaw(stepLawLr, [Ns, Ds], lrs);
  const g = fitTableLaw(stepLawBatch, [Ds], bss);
  if (!f.ok) warnings.push(`η*(N, D) not fitted on the sweep: ${f.reason}`);
  if (!g.ok) warnings.push(`B*(D) not fitted on the sweep: ${g.reason}`);
  if (!f.ok || !g.ok) return { out, jobs };
  for (const w of f.warnings) warnings.push(`η* fit: ${w}`);
  for (const w of g.warnings) warnings.push(`B* fit: ${w}`);
  const fitted: FittedSuggestion = {
    lr: stepLawLr.predict(f.raw, [N, D]),
    lrInterval: null,
    batchTokens: stepLawBatch.predict(g.raw, [D]),
    batchInterval: null,
    lrParams: f.params,
    batchParams: g.params,
    rows: rows.length,
    cells: sel.cells,
  };
  out.fitted = fitted;
  jobs.push({ fit: f, inputs: [Ns, Ds], y: lrs, x: [N, D], set: (v) => (fitted.lrInterval = v) });
  jobs.push({ fit: g, inputs: [Ds], y: bss, x: [D], set: (v) => (fitted.batchInterval = v) });
  const span = (v: number[]) => [Math.min(...v), Math.max(...v)];
  const [n0, n1] = span(Ns),
    [d0, d1] = span(Ds);
  if (N < n0 / 2 || N > n1 * 2)
    warnings.push(
      `target N = ${N.toPrecision(3)} is outside the sweep's N (${n0.toPrecision(3)}–${n1.toPrecision(3)}): the fitted η* is an extrapolation`,
    );
  if (D < d0 / 2 || D > d1 * 2)
    warnings.push(
      `target D = ${D.toPrecision(3)} is outside the sweep's D (${d0.toPrecision(3)}–${d1.toPrecision(3)}): the fitted η* and B* are extrapolations`,
    );
  if (new Set(Ns).size < 2) warnings.push('the sweep has a single model size: the N exponent of η* is not identified');
  return { out, jobs };
}

/** `total` bootstrap predictions of a job in chunks of `chunk` refits (each chunk its own seed), then its band. */
function* bandSteps(
  job: BandJob,
  total: number,
  chunk: number,
  seed: number,
  confidence: number,
): Generator<void, void> {
  const preds: number[] = [];
  for (let done = 0, k = 0; done < total; done += chunk, k++) {
    const raws = bootstrapRaws(job.fit.law, job.inputs, job.y, job.fit, {
      bootstrap: Math.min(chunk, total - done),
      seed: seed * 7919 + k,
    });
    for (const r of raws) preds.push(job.fit.law.predict(r, job.x));
    yield;
  }
  job.set(percentileBand(preds, confidence));
}

/**
 * η*(N, D) and B*(D) for a target model: the published Step Law (Li et al. 2025) always, and — when `sweep` holds
 * a learning-rate × batch-size sweep — the same laws fitted on its near-optimal runs (`nearOptimalRuns`), evaluated
 * at (N, D) with percentile bootstrap intervals over those runs. Pure; never throws (bad targets give a warning).
 */
export function suggestHyperparameters(
  N: number,
  D: number,
  sweep: readonly SweepRun[] = [],
  opts: SuggestOptions = {},
): HyperparameterSuggestion {
  const { out, jobs } = prepare(N, D, sweep, opts);
  for (const j of jobs)
    for (const _ of bandSteps(j, opts.bootstrap ?? 200, 10, opts.seed ?? 0, out.confidence)) {
      /* run to the end */
    }
  return out;
}

/**
 * The same, for an event loop that must stay responsive (the extension host): `pause` is awaited between chunks of
 * `chunk` bootstrap refits (≈ 0.4 ms each on the sample sweep), so no slice runs long.
 */
export async function suggestHyperparametersAsync(
  N: number,
  D: number,
  sweep: readonly SweepRun[],
  opts: SuggestOptions & { pause: () => Promise<void>; chunk?: number },
): Promise<HyperparameterSuggestion> {
  const { out, jobs } = prepare(N, D, sweep, opts);
  await opts.pause();
  for (const j of jobs)
    for (const _ of bandSteps(j, opts.bootstrap ?? 200, opts.chunk ?? 10, opts.seed ?? 0, out.confidence))
      await opts.pause();
  return out;
}

/** Column names of a sweep table (one row per run): N, D, learning rate, batch size, final loss. */
export const SWEEP_COLUMNS = {
  N: /^(n|params|parameters|num_params|n_params|model[ _]?size)$/i,
  D: /^(d|tokens|num_tokens|n_tokens|train(ing)?[ _]tokens)$/i,
  lr: /^(lr|learning[ _]?rate|peak[ _]?lr|max[ _]?lr)$/i,
  bs: /^(bs|batch[ _]?size|global[ _]?batch[ _]?size|batch[ _]?tokens)$/i,
  loss: /^(smooth[ _]?loss|loss|final[ _]?loss|val[ _]?loss|eval[ _]?loss|train[ _]?loss)$/i,
};

/**
 * The sweep in a CSV table with N, D, lr, batch size and loss columns (a smoothed loss preferred), or null when the
 * header lacks one of them. `seqLen` turns a batch size in sequences into tokens (default 1: already tokens).
 */
export function sweepFromTable(header: readonly string[], rows: readonly string[][], seqLen = 1): SweepRun[] | null {
  const idx: Record<string, number> = {};
  for (const [k, re] of Object.entries(SWEEP_COLUMNS)) {
    const hits = header.map((h, i) => (re.test(h.trim()) ? i : -1)).filter((i) => i >= 0);
    idx[k] = k === 'loss' ? (hits.find((i) => /smooth/i.test(header[i])) ?? hits[0] ?? -1) : (hits[0] ?? -1);
  }
  if (Object.values(idx).some((i) => i < 0)) return null;
  const cell = (r: readonly string[], k: string) => {
    const c = (r[idx[k]] ?? '').trim();
    return c === '' ? NaN : Number(c);
  };
  return rows.map((r) => ({
    N: cell(r, 'N'),
    D: cell(r, 'D'),
    lr: cell(r, 'lr'),
    bs: cell(r, 'bs') * seqLen,
    loss: cell(r, 'loss'),
  }));
}
