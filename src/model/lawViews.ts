/**
 * The dashboard's issue-15 views, computed from the run model (pure: no `vscode`; async only to yield between
 * chunks of bootstrap refits, so the extension host's event loop never runs one long slice).
 *
 *  - Downstream: every `eval/<task>/<metric>` score of the workspace's runs (their linked evaluations, evalLink.ts)
 *    paired with the run's loss at the evaluated step and its compute 6·N·D; a loss → metric law per metric — the
 *    OLMo-ladder sigmoid with ≥ 6 points, else Gadre et al.'s exponential on 1 − metric (accuracies) or on the metric
 *    (errors) with ≥ 4 — with a bootstrap band; and the chained prediction N, D → loss → metric along the sweep law's
 *    compute-optimal frontier and at the last `predict` answer. The chain's band takes the loss interval's ends
 *    through every bootstrap refit of the metric law (an envelope: both uncertainties, conservatively).
 *  - LR × batch landscape: the sweep's runs by (N, D) cell with the best run and the near-optimal set
 *    (stepLaw.ts `nearOptimalRuns`), our η*(N, D), B*(D) fits (with bootstrap intervals) at every cell and the
 *    published Step Law beside them.
 */
import type { DownstreamTaskView, DownstreamView, HpLandscapeView, ParamView, SweepFitView } from '../protocol';
import type { Run } from '../ingest/types';
import { bootstrapRaws, fitTableLaw, percentileBand, type TableFit, type TableLaw } from '../fit/tableLaw';
import { downstreamSigmoidLaw } from '../fit/laws/downstreamSigmoid';
import { downstreamExpLaw } from '../fit/laws/downstreamExp';
import { stepLawLr } from '../fit/laws/stepLawLr';
import { stepLawBatch } from '../fit/laws/stepLawBatch';
import { nearOptimalRuns, stepLawPublished, type SweepRun } from '../fit/stepLaw';

export interface LawViewOptions {
  bootstrap?: number;
  confidence?: number;
  /** Awaited between chunks of refits (the host passes a setImmediate; tests pass nothing). */
  pause?: () => Promise<void>;
  /** At most this many metrics (the ones with the most points). */
  maxTasks?: number;
}

/** What the downstream view needs from the run model. */
export interface DownstreamSource {
  runs: Iterable<Run>;
  downstreamOf(run: Run): Record<string, { step: number[]; value: number[] }>;
  metricOf(run: Run): string | undefined;
  params(run: Run): number | undefined;
  tokensAt(run: Run, step: number): number | undefined;
  label(run: Run): string;
}

const noPause = async () => {};

/** The run's loss at `step`: linear between its two neighbouring finite points; undefined outside its range. */
export function lossAt(step: ArrayLike<number>, value: ArrayLike<number>, at: number): number | undefined {
  let prev = -1;
  for (let i = 0; i < step.length; i++) {
    if (!Number.isFinite(value[i])) continue;
    if (step[i] === at) return value[i];
    if (step[i] > at) {
      if (prev < 0) return undefined;
      const t = (at - step[prev]) / (step[i] - step[prev]);
      return value[prev] + t * (value[i] - value[prev]);
    }
    prev = i;
  }
  // At or just past the last point (an evaluation of the final checkpoint logged a little after the last loss).
  return prev >= 0 && at <= step[prev] * 1.02 ? value[prev] : undefined;
}

function paramViews(fit: TableFit): ParamView[] {
  return Object.entries(fit.params).map(([name, value]) => ({
    name,
    value,
    ...(fit.intervals[name] ? { lower: fit.intervals[name][0], upper: fit.intervals[name][1] } : {}),
  }));
}

/** Bootstrap refits in chunks of 10 (each its own seed), yielding between chunks (also used by *Fit Table Law…*). */
export async function refits(
  fit: TableFit,
  inputs: number[][],
  y: number[],
  B: number,
  pause: () => Promise<void>,
): Promise<number[][]> {
  const out: number[][] = [];
  for (let done = 0, k = 0; done < B; done += 10, k++) {
    out.push(...bootstrapRaws(fit.law, inputs, y, fit, { bootstrap: Math.min(10, B - done), seed: 1000 + k }));
    await pause();
  }
  return out;
}

export function intervalsFrom(law: TableLaw, raws: number[][], conf: number): Record<string, [number, number]> {
  const out: Record<string, [number, number]> = {};
  if (!raws.length) return out;
  const nat = raws.map((r) =>
    law.natural ? law.natural(r) : Object.fromEntries(law.params.map((p, i) => [p.name, r[i]])),
  );
  for (const k of Object.keys(nat[0])) {
    const b = percentileBand(
      nat.map((q) => q[k]),
      conf,
    );
    if (b) out[k] = b;
  }
  return out;
}

const isError = (metric: string) =>
  /(err|error|ppl|perplexity|loss|bpb|word_perplexity|byte_perplexity)(_|\[|$)/i.test(
    metric.slice(metric.lastIndexOf('/') + 1),
  );

export async function downstreamView(
  src: DownstreamSource,
  sweepFit: SweepFitView | undefined,
  opts: LawViewOptions = {},
): Promise<DownstreamView> {
  const pause = opts.pause ?? noPause,
    B = opts.bootstrap ?? 100,
    conf = opts.confidence ?? 0.95;
  const notes: string[] = [];
  const byMetric = new Map<string, DownstreamTaskView['points']>();
  let unpaired = 0,
    seen = 0;
  for (const run of src.runs) {
    if (++seen % 100 === 0) await pause();
    const ds = src.downstreamOf(run);
    const names = Object.keys(ds).filter((k) => !k.endsWith('_stderr'));
    if (!names.length) continue;
    const lm = src.metricOf(run);
    const loss = lm ? run.metrics[lm] : undefined;
    const N = src.params(run);
    for (const name of names) {
      const pts = byMetric.get(name) ?? byMetric.set(name, []).get(name)!;
      const d = ds[name];
      for (let i = 0; i < d.step.length; i++) {
        const L = loss ? lossAt(loss.step, loss.value, d.step[i]) : undefined;
        if (L === undefined || !Number.isFinite(d.value[i])) {
          unpaired++;
          continue;
        }
        const D = src.tokensAt(run, d.step[i]);
        pts.push({
          runId: run.id,
          label: src.label(run),
          step: d.step[i],
          loss: L,
          value: d.value[i],
          ...(N !== undefined && D !== undefined ? { C: 6 * N * D } : {}),
        });
      }
    }
  }
  if (!byMetric.size)
    notes.push(
      'No evaluation scores linked to a run: put lm-evaluation-harness results (results*.json) in checkpoint-<step> folders beside the run, or an eval table (step, task, metric columns) next to its log.',
    );
  if (unpaired) notes.push(`${unpaired} score(s) left out: the run has no loss at the evaluated step.`);
  const metrics = [...byMetric.entries()]
    .filter(([, p]) => p.length)
    .sort((a, b) => b[1].length - a[1].length)
    .slice(0, opts.maxTasks ?? 6);
  if (byMetric.size > metrics.length)
    notes.push(
      `${byMetric.size - metrics.length} more metric(s) not shown (the ${metrics.length} with the most points are).`,
    );
  const tasks: DownstreamTaskView[] = [];
  for (const [metric, points] of metrics) {
    const t: DownstreamTaskView = { metric, points };
    tasks.push(t);
    const L = points.map((p) => p.loss),
      y = points.map((p) => p.value);
    const flip = !isError(metric); // accuracies: the exponential is fitted on 1 − metric (an error)
    const useSigmoid = points.length >= 6;
    const law: TableLaw = useSigmoid ? downstreamSigmoidLaw : downstreamExpLaw;
    const yy = useSigmoid || !flip ? y : y.map((v) => 1 - v);
    if (points.length < 4) {
      t.reason = `${points.length} point(s): a loss → metric law needs at least 4`;
      continue;
    }
    const fit = fitTableLaw(law, [L], yy);
    await pause();
    if (!fit.ok) {
      t.reason = fit.reason;
      continue;
    }
    const raws = await refits(fit, [L], yy, B, pause);
    fit.intervals = intervalsFrom(law, raws, conf);
    const back = (v: number) => (!useSigmoid && flip ? 1 - v : v);
    const lo = Math.min(...L),
      hi = Math.max(...L),
      span = hi - lo || 0.1;
    const grid = Array.from({ length: 41 }, (_, i) => lo - 0.25 * span + (1.5 * span * i) / 40);
    const band = grid.map((x) =>
      percentileBand(
        raws.map((r) => back(law.predict(r, [x]))),
        conf,
      ),
    );
    t.fit = {
      law: law.id,
      lawName: law.name + (!useSigmoid && flip ? ' (on 1 − metric)' : ''),
      params: paramViews(fit),
      curve: {
        x: grid,
        y: grid.map((x) => back(law.predict(fit.raw, [x]))),
        lower: band.map((b, i) => b?.[0] ?? back(law.predict(fit.raw, [grid[i]]))),
        upper: band.map((b, i) => b?.[1] ?? back(law.predict(fit.raw, [grid[i]]))),
      },
      warnings: fit.warnings,
    };
    // The chain: loss (with its interval) from the sweep law → metric (with the metric law's refits).
    const through = (loss: number, lower: number, upper: number) => {
      const vals = raws.flatMap((r) => [lower, loss, upper].map((x) => back(law.predict(r, [x]))));
      const b = percentileBand(vals, conf);
      const v = back(law.predict(fit.raw, [loss]));
      const env = [lower, upper].map((x) => back(law.predict(fit.raw, [x])));
      return { value: v, lower: Math.min(b?.[0] ?? v, ...env), upper: Math.max(b?.[1] ?? v, ...env) };
    };
    const fr = sweepFit?.ok ? sweepFit.frontier : undefined;
    if (fr && fr.C.length) {
      const c = fr.C.map((_, i) => through(fr.loss[i], fr.loss[i], fr.loss[i]));
      t.chain = {
        C: fr.C.slice(),
        value: c.map((q) => q.value),
        lower: c.map((q) => q.lower),
        upper: c.map((q) => q.upper),
      };
      const p = sweepFit!.prediction;
      if (p) {
        const q = through(p.value, p.lower, p.upper);
        t.chain.at = { axis: p.axis, x: p.at, loss: p.value, ...q };
      }
    }
  }
  return { tasks, notes };
}

export async function hpLandscapeView(
  sweep: readonly SweepRun[],
  sources: string[],
  opts: LawViewOptions = {},
): Promise<HpLandscapeView> {
  const pause = opts.pause ?? noPause,
    B = opts.bootstrap ?? 100,
    conf = opts.confidence ?? 0.95;
  const pub = stepLawLr.published!,
    pubB = stepLawBatch.published!;
  const view: HpLandscapeView = {
    cells: [],
    sources,
    warnings: [],
    published: {
      source: pub.source,
      lr: `η* = ${pub.params.c}·N^${pub.params.alpha}·D^${pub.params.beta}`,
      bs: `B* = ${pubB.params.c}·D^${pubB.params.gamma} tokens`,
    },
  };
  if (!sweep.length) {
    view.warnings.push(
      'No learning-rate × batch-size sweep found: a CSV with N, D, lr, batch size and loss columns, or runs whose logs state their learning rate and tokens per step.',
    );
    return view;
  }
  const sel = nearOptimalRuns(sweep);
  view.warnings.push(...sel.warnings);
  const near = new Set(sel.rows);
  const cells = new Map<string, SweepRun[]>();
  for (const r of sweep) {
    if (![r.N, r.D, r.lr, r.bs, r.loss].every((v) => Number.isFinite(v) && v > 0)) continue;
    const k = `${r.N}|${r.D}`;
    (cells.get(k) ?? cells.set(k, []).get(k)!).push(r);
  }
  const Ns = sel.rows.map((r) => r.N),
    Ds = sel.rows.map((r) => r.D),
    lrs = sel.rows.map((r) => r.lr),
    bss = sel.rows.map((r) => r.bs);
  const f = fitTableLaw(stepLawLr, [Ns, Ds], lrs),
    g = fitTableLaw(stepLawBatch, [Ds], bss);
  if (f.ok && g.ok) {
    f.intervals = intervalsFrom(stepLawLr, await refits(f, [Ns, Ds], lrs, B, pause), conf);
    g.intervals = intervalsFrom(stepLawBatch, await refits(g, [Ds], bss, B, pause), conf);
    view.fitted = { lr: paramViews(f), bs: paramViews(g) };
    view.warnings.push(...f.warnings.map((w) => `η* fit: ${w}`), ...g.warnings.map((w) => `B* fit: ${w}`));
  } else view.warnings.push(`no η*/B* fit: ${!f.ok ? f.reason : ''}${!g.ok ? ` ${g.reason}` : ''}`.trim());
  for (const rs of [...cells.values()].sort((a, b) => a[0].N - b[0].N || a[0].D - b[0].D)) {
    const { N, D } = rs[0];
    const best = rs.reduce((a, b) => (b.loss < a.loss ? b : a));
    const p = stepLawPublished(N, D);
    view.cells.push({
      N,
      D,
      runs: rs.map((r) => ({ lr: r.lr, bs: r.bs, loss: r.loss, nearOptimal: near.has(r) })),
      best: { lr: best.lr, bs: best.bs, loss: best.loss },
      ...(f.ok && g.ok
        ? { fitted: { lr: stepLawLr.predict(f.raw, [N, D]), bs: stepLawBatch.predict(g.raw, [D]) } }
        : {}),
      published: { lr: p.lr, bs: p.batchTokens },
    });
  }
  return view;
}
