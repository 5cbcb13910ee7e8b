/**
 * Sweep fits for the editor. The law comes from the sweep law selector (src/model/sweepLaws.ts): `auto`, the
 * Chinchilla law L(N, D) = E + A/N^α + B/D^β (Hoffmann et al. 2022, fitted as in Besiroglu et al. 2024 by
 * `fitChinchilla`), or a one-input law along N, D or C. For Chinchilla: a seeded bootstrap over points for
 * intervals, the compute-optimal allocation in closed form, the IsoFLOP curves it implies, the IsoFLOP-profile
 * frontier of the points themselves (approach 2) when the sweep has one, and predictions at a model size, a token
 * count or a compute budget. Pure; runs in the worker.
 *
 * Compute-optimal allocation (Hoffmann et al. 2022, eq. 4, with C = 6·N·D):
 *   N_opt(C) = G·(C/6)^a,  D_opt(C) = G⁻¹·(C/6)^b,  G = (αA / (βB))^(1/(α+β)),  a = β/(α+β),  b = α/(α+β).
 */
import type { ParamView, SweepFitView, SweepPoint } from '../protocol';
import type { SweepJob } from './fitJobs';
import { chinchillaRefitter, fitChinchilla, type ChinchillaFit } from '../fit/chinchilla';
import { chinchillaLaw } from '../fit/laws/chinchilla';
import type { SweepPointInput } from '../fit/types';
import { mulberry32, percentile, correlation } from '../fit/bootstrap';
import { chinchillaLoss, type ChinchillaParams } from '../fit/computeOptimal';
import { isoflopFrontier } from '../fit/isoflop';
import { lossEnvelope } from '../fit/envelope';
import { dropRowsRepeatingRuns } from '../fit/sameExperiment';
import { rememberPredictor } from './sweepPredictor';
import {
  parseSweepLaw,
  sweepLawOptions,
  sweepLawName,
  oneInputView,
  autoCandidates,
  backtestOne,
  fitAlong,
  holdoutSplit,
  axisValues,
  logRmse,
  logR2,
  aic,
} from './sweepLaws';
export { chinchillaLoss, type ChinchillaParams, sweepLawOptions };

/** Closed-form compute-optimal allocation for a budget C (FLOP), C = 6ND. */
export function computeOptimal(
  p: ChinchillaParams,
  C: number,
): { N: number; D: number; loss: number; a: number; b: number } {
  const s = p.alpha + p.beta;
  const G = ((p.alpha * p.A) / (p.beta * p.B)) ** (1 / s);
  const a = p.beta / s,
    b = p.alpha / s;
  const N = G * (C / 6) ** a;
  const D = C / 6 / N;
  return { N, D, loss: chinchillaLoss(p, N, D), a, b };
}

/** Compute-optimal budget whose N_opt (or D_opt) equals the given value. */
function budgetFor(p: ChinchillaParams, axis: 'N' | 'D', v: number): number {
  const s = p.alpha + p.beta;
  const G = ((p.alpha * p.A) / (p.beta * p.B)) ** (1 / s);
  const a = p.beta / s,
    b = p.alpha / s;
  return axis === 'N' ? 6 * (v / G) ** (1 / a) : 6 * (v * G) ** (1 / b);
}

function logSpace(a: number, b: number, n: number): number[] {
  const la = Math.log10(a),
    lb = Math.log10(b);
  return Array.from({ length: n }, (_, i) => 10 ** (la + ((lb - la) * i) / (n - 1)));
}

/** Table rows (runId `path#row`) that repeat a run's (N, D) are counted once: see fit/sameExperiment. */
export function dedupePoints(points: SweepPoint[]): SweepPoint[] {
  const isRow = (p: SweepPoint) => Boolean(p.runId?.includes('#'));
  const { repeated } = dropRowsRepeatingRuns(
    points.filter(isRow),
    points.filter((p) => !isRow(p)),
  );
  const drop = new Set(repeated);
  return points.filter((p) => !drop.has(p));
}

function toInputs(points: SweepPoint[]): SweepPointInput[] {
  return points.map((p, i) => ({ N: p.N, D: p.D, C: p.C, loss: p.loss, group: p.runId ?? i, label: p.label }));
}

interface Boot {
  params: ChinchillaParams[];
}

/** Bootstrap over points: resample with replacement (as multiplicity weights), refit from the full-data optimum. */
function bootstrap(fit: ChinchillaFit, B: number, seed = 1): Boot {
  const n = fit.n;
  const rnd = mulberry32(seed);
  const out: ChinchillaParams[] = [];
  // One refitter for all resamples: the data are prepared once and each refit is warm-started (src/fit/chinchilla.ts).
  let refitter: ReturnType<typeof chinchillaRefitter>;
  try {
    refitter = chinchillaRefitter(fit);
  } catch {
    return { params: out };
  }
  const w = new Float64Array(n);
  for (let b = 0; b < B; b++) {
    w.fill(0);
    for (let i = 0; i < n; i++) w[Math.floor(rnd() * n)] += 1;
    const r = refitter.refit(w);
    if (r.ok) out.push(r.params);
  }
  return { params: out };
}

export function sweepJob(job: SweepJob): SweepFitView {
  const all = dedupePoints(job.points);
  const used = all.filter((p) => !p.excluded);
  const law = parseSweepLaw(job.law);
  if (!law)
    return {
      ok: false,
      reason: `unknown sweep law "${job.law}" (available: ${sweepLawOptions()
        .map((l) => l.id)
        .join(', ')})`,
      points: all,
    };
  if (law.kind === 'auto') return autoSweep(job, used, all);
  if (law.kind === 'one') return oneInputView(law.law, law.axis, used, all, job);
  return chinchillaView(job, used, all, law.shared);
}

/**
 * Compute-optimal N from the loss envelope (approach 1): from the runs' training curves when the job has them,
 * else the (C, loss) Pareto frontier of the final points.
 */
export function envelopeApproach(job: SweepJob, used: SweepPoint[]): NonNullable<SweepFitView['approaches']>[number] {
  const name = 'Loss envelope (approach 1)';
  const excluded = new Set(job.points.filter((p) => p.excluded).map((p) => p.runId));
  const curves = (job.curves ?? []).filter((p) => !excluded.has(String(p.group)));
  const env = lossEnvelope(curves.length ? curves : toInputs(used));
  if (!env.ok) return { id: 'envelope', name, note: env.reason };
  // The frontier has up to 250 budgets: a few dozen are enough to draw it.
  const stride = Math.max(1, Math.ceil(env.frontier.length / 40));
  const points = env.frontier.filter((_, i) => i % stride === 0 || i === env.frontier.length - 1);
  const how =
    env.method === 'curves'
      ? `training curves of ${new Set(curves.map((p) => p.group)).size} runs`
      : 'the Pareto frontier of the final points';
  return { id: 'envelope', name, a: env.a, b: env.b, points, note: [`from ${how}`, ...env.warnings].join('; ') };
}

/** Held-out log-RMSE of Chinchilla: fitted on the 75 % of points with the least compute, scored on the rest. */
export function backtestChinchilla(used: SweepPoint[], shared = false): number | undefined {
  const { train, test } = holdoutSplit(axisValues(used, 'C'));
  if (train.length < 6) return undefined;
  const f = fitChinchilla(toInputs(train.map((i) => used[i])), { sharedExponent: shared, skipDiagnostics: true });
  if (!f.ok) return undefined;
  const p = (f as ChinchillaFit).params;
  const pred = test.map((i) => chinchillaLoss(p, used[i].N, used[i].D));
  return pred.every((v) => v > 0 && Number.isFinite(v))
    ? logRmse(
        test.map((i) => used[i].loss),
        pred,
      )
    : Infinity;
}

/** `auto`: fit the candidates that suit the points, keep the lowest held-out error (AIC with < 8 points). */
function autoSweep(job: SweepJob, used: SweepPoint[], all: SweepPoint[]): SweepFitView {
  const ids = autoCandidates(used);
  const byHoldout = used.length >= 8;
  const scored = ids.map((id) => {
    const law = parseSweepLaw(id)!;
    try {
      if (byHoldout) {
        const score =
          law.kind === 'chinchilla'
            ? backtestChinchilla(used, law.shared)
            : law.kind === 'one'
              ? backtestOne(law.law, law.axis, used)
              : undefined;
        return {
          law: id,
          name: sweepLawName(id),
          score,
          reason: score === undefined ? 'could not be fitted on the smaller points' : undefined,
        };
      }
      if (law.kind === 'chinchilla') {
        const f = fitChinchilla(toInputs(used), { sharedExponent: law.shared, skipDiagnostics: true });
        return f.ok
          ? { law: id, name: sweepLawName(id), score: aic(f.n, f.rmse, law.shared ? 4 : 5) }
          : { law: id, name: sweepLawName(id), reason: f.reason };
      }
      if (law.kind !== 'one') return { law: id, name: sweepLawName(id), reason: 'not a candidate' };
      const f = fitAlong(law.law, law.axis, used);
      return f.ok
        ? { law: id, name: sweepLawName(id), score: aic(f.n, f.rmse, law.law.params.length) }
        : { law: id, name: sweepLawName(id), reason: f.reason };
    } catch (e) {
      return { law: id, name: sweepLawName(id), reason: (e as Error).message };
    }
  });
  const by = byHoldout ? ('held-out log-RMSE' as const) : ('AIC' as const);
  const ranked = scored
    .filter((c) => c.score !== undefined && Number.isFinite(c.score))
    .sort((a, b) => a.score! - b.score!);
  const selection = { by, candidates: scored };
  if (!ranked.length)
    return {
      ok: false,
      law: 'auto',
      reason: `no candidate law could be fitted (${scored.map((c) => `${c.name}: ${c.reason ?? 'failed'}`).join('; ')})`,
      points: all,
      selection,
    };
  const chosen = ranked[0];
  const rest = ranked
    .slice(1)
    .map((c) => `${fmt(c.score!)} for ${c.name}`)
    .join(', ');
  const why =
    `${chosen.name} chosen: ${by} ${fmt(chosen.score!)}${rest ? ` vs ${rest}` : ''}` +
    (byHoldout
      ? ' (fitted on the smaller 75 % of the points, scored on the larger 25 %).'
      : ` (${used.length} points: too few to hold any out).`);
  const view = sweepJob({ ...job, law: chosen.law });
  view.selection = selection;
  view.explanation = `${why} ${view.explanation ?? ''}`.trim();
  return view;
}

const fmt = (v: number) => (Math.abs(v) >= 0.01 && Math.abs(v) < 1000 ? v.toFixed(3) : v.toExponential(2));

function chinchillaView(job: SweepJob, used: SweepPoint[], all: SweepPoint[], shared: boolean): SweepFitView {
  const id = shared ? 'chinchilla-shared' : 'chinchilla';
  const inputs = toInputs(used);
  const fit = fitChinchilla(inputs, { sharedExponent: shared });
  if (!fit.ok) return { ok: false, law: id, reason: fit.reason, warnings: fit.warnings, points: all };
  const f = fit as ChinchillaFit;
  const p = f.params;
  const conf = job.confidence;
  const boot = job.bootstrap > 0 ? bootstrap(f, job.bootstrap) : { params: [] };
  const lo = (1 - conf) / 2,
    hi = 1 - lo;
  const interval = (get: (q: ChinchillaParams) => number): [number, number] | undefined => {
    const v = boot.params
      .map(get)
      .filter(Number.isFinite)
      .sort((x, y) => x - y);
    return v.length >= 20 ? [percentile(v, lo), percentile(v, hi)] : undefined;
  };
  const params: ParamView[] = (['E', 'A', 'alpha', 'B', 'beta'] as const).map((k) => {
    const iv = interval((q) => q[k]);
    return { name: k, value: p[k], ...(iv ? { lower: iv[0], upper: iv[1] } : {}) };
  });
  const warnings = [...f.warnings];
  if (boot.params.length >= 20) {
    const al = boot.params.map((q) => q.alpha),
      be = boot.params.map((q) => q.beta);
    const corr = correlation(al, be);
    if (!shared && Math.abs(corr) > 0.95)
      warnings.push(
        `α and β are strongly correlated across bootstrap refits (r = ${corr.toFixed(2)}): the sweep does not separate model size from data; intervals on the compute-optimal split are unreliable`,
      );
  } else if (job.bootstrap > 0) warnings.push('too few successful bootstrap refits for intervals');
  if (used.length < 10) warnings.push(`only ${used.length} points: treat extrapolations with caution`);

  const Cs = used.map((q) => q.C).filter((c) => c > 0);
  const cMin = Math.min(...Cs),
    cMax = Math.max(...Cs);
  const frontierC = logSpace(cMin, cMax * 100, 60);
  const frontier = { C: frontierC, loss: [] as number[], N: [] as number[], D: [] as number[] };
  for (const C of frontierC) {
    const o = computeOptimal(p, C);
    frontier.loss.push(o.loss);
    frontier.N.push(o.N);
    frontier.D.push(o.D);
  }
  const isoflops = logSpace(cMin, cMax, Math.min(4, Math.max(1, Cs.length))).map((C) => {
    const o = computeOptimal(p, C);
    const N = logSpace(o.N / 20, o.N * 20, 40);
    return { C, N, loss: N.map((n) => chinchillaLoss(p, n, C / (6 * n))) };
  });
  const opt = computeOptimal(p, cMax);
  const aIv = interval((q) => q.beta / (q.alpha + q.beta));
  const pred = used.map((q) => chinchillaLoss(p, q.N, q.D));
  const approaches: NonNullable<SweepFitView['approaches']> = [
    { id: 'closed-form', name: 'Parametric fit, closed form (approach 3)', a: opt.a, b: opt.b },
  ];
  const iso = isoflopFrontier(inputs);
  if (iso.ok) {
    approaches.push({
      id: 'isoflop',
      name: 'IsoFLOP profiles (approach 2)',
      a: iso.a,
      b: 1 - iso.a,
      points: iso.budgets.map((q) => ({ C: q.C, N: q.Nopt, D: q.C / (6 * q.Nopt), loss: q.loss })),
      note: iso.warnings.join('; ') || undefined,
    });
  } else approaches.push({ id: 'isoflop', name: 'IsoFLOP profiles (approach 2)', note: iso.reason });
  approaches.push(envelopeApproach(job, used));
  const view: SweepFitView = {
    ok: true,
    law: id,
    lawName: shared ? 'Chinchilla (shared exponent)' : 'Chinchilla L(N, D)',
    latex: chinchillaLaw.latex,
    params,
    objective: f.objective,
    n: f.n,
    points: all,
    frontier,
    isoflops,
    exponents: { a: opt.a, b: opt.b, ...(aIv ? { aInterval: aIv } : {}) },
    logRmse: logRmse(
      used.map((q) => q.loss),
      pred,
    ),
    r2: logR2(
      used.map((q) => q.loss),
      pred,
    ),
    backtestError: backtestChinchilla(used, shared),
    approaches,
    explanation:
      `Fitted on ${f.n} points (Huber δ = 1e-3 on log residuals, summed; L-BFGS from the ${f.starts ?? 'full'}-start grid of Besiroglu et al. 2024); log-RMSE ${f.rmse.toExponential(2)}. ` +
      `Compute-optimal: N_opt ∝ C^${opt.a.toFixed(3)}, D_opt ∝ C^${opt.b.toFixed(3)}` +
      (boot.params.length
        ? `; ${Math.round(conf * 100)} % intervals from ${boot.params.length} bootstrap refits over points.`
        : '.'),
    warnings,
  };
  rememberPredictor(view, {
    kind: 'chinchilla',
    law: id,
    lawName: view.lawName ?? id,
    params: p,
    boot: boot.params,
    confidence: conf,
  });
  if (job.predict) view.prediction = predictAt(p, boot.params, job.predict, lo, hi);
  return view;
}

/** Loss at N, D (trained compute-optimally for that size) or C (compute-optimal allocation), with bootstrap band. */
export function predictAt(
  p: ChinchillaParams,
  boot: ChinchillaParams[],
  q: { axis: 'N' | 'D' | 'C'; value: number },
  lo: number,
  hi: number,
): NonNullable<SweepFitView['prediction']> {
  const at = (m: ChinchillaParams) => {
    const C = q.axis === 'C' ? q.value : budgetFor(m, q.axis, q.value);
    return computeOptimal(m, C);
  };
  const main = at(p);
  const vals = boot
    .map((m) => at(m).loss)
    .filter(Number.isFinite)
    .sort((x, y) => x - y);
  const enough = vals.length >= 20;
  return {
    axis: q.axis,
    at: q.value,
    value: main.loss,
    lower: enough ? Math.min(percentile(vals, lo), main.loss) : main.loss,
    upper: enough ? Math.max(percentile(vals, hi), main.loss) : main.loss,
    N: main.N,
    D: main.D,
  };
}
