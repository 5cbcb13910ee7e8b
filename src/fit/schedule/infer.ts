/**
 * Infer the PLANNED learning-rate schedule of a live run from its logged LR prefix and its planned total steps,
 * so a schedule-aware law can forecast the rest of the run.
 *
 * Recognised shapes (warmup, if visible, is linear from ~0 up to the peak and kept as logged):
 *  - constant: η = η_peak;
 *  - cosine:   η = η_min + (η_peak − η_min)·(1 + cos(π·(s − s₀)/(T − s₀)))/2, η_min fitted (least squares);
 *  - linear:   η = η_peak − (η_peak − η_end)·(s − s₀)/(T − s₀), η_end fitted;
 *  - inverse-sqrt: η = η_peak·√(s₀/s);
 *  - wsd:      constant η_peak until the decay start d (seen in the log), then a decay to η_end at T, shaped
 *              linear, cosine, exponential (geometric) or 1 − √ (whichever fits the decay seen so far);
 *  - piecewise-constant: LR held at levels with sudden drops (step / multi-stage schedules): the last level is
 *              held to T (future drops cannot be known);
 *  - unknown:  nothing fits within 5 % of the peak (RMS): the last logged LR is held to T.
 * s₀ is the first logged step at the peak (the end of warmup), T the planned total steps.
 *
 * Selection: relative RMS error (÷ η_peak) of each shape on the post-warmup prefix; the smallest wins.
 * Confidence ∈ [0, 1] = exp(−e₁/0.005) · (0.5 + 0.5·(1 − e₁/e₂)) with e₁, e₂ the best and runner-up errors
 * (perfect and unambiguous → 1); a constant prefix is capped at 0.6 while less than 80 % of the run is logged
 * (a WSD decay may still come, and from a constant prefix it cannot be told apart). Pure; never throws.
 */

export type ScheduleShape =
  'constant' | 'cosine' | 'linear' | 'inverse-sqrt' | 'wsd' | 'piecewise-constant' | 'unknown';
export type DecayShape = 'linear' | 'cosine' | 'exponential' | '1-sqrt';

export interface InferredSchedule {
  ok: true;
  shape: ScheduleShape;
  /** for 'wsd': the decay's shape */
  decayShape?: DecayShape;
  /** 0..1, see the file comment */
  confidence: number;
  /** one sentence saying what was recognised, from what, and what is assumed for the rest */
  explanation: string;
  peakLr: number;
  /** first logged step at the peak (end of warmup; 0 when no warmup is visible) */
  warmupEnd: number;
  /** cosine η_min, linear/WSD η_end; the held LR for piecewise-constant/unknown */
  finalLr: number;
  /** WSD: first step of the decay */
  decayStart?: number;
  totalSteps: number;
  /** the planned LR schedule 0..T as knots (logged prefix, then the inferred shape), for buildLrSchedule */
  lrSteps: number[];
  lr: number[];
  /** relative RMS error (÷ peak) of every shape tried on the logged prefix, best first */
  candidates: { shape: string; relRmse: number }[];
}

export type InferResult = InferredSchedule | { ok: false; reason: string };

interface Shape {
  name: ScheduleShape;
  decay?: DecayShape;
  /** planned LR at step s */
  at: (s: number) => number;
  finalLr: number;
  decayStart?: number;
}

const FLAT = 1e-3; // relative change below which the LR is "constant"
const MAX_POINTS = 2000;

function rms(xs: number[], ys: number[], f: (s: number) => number, scale: number): number {
  if (!xs.length) return 0;
  let s = 0;
  for (let i = 0; i < xs.length; i++) {
    const e = (f(xs[i]) - ys[i]) / scale;
    s += e * e;
  }
  return Math.sqrt(s / xs.length);
}

/** Least-squares c in η ≈ a(s) + c·b(s) (one free coefficient), clamped to [lo, hi]. */
function lsCoef(
  xs: number[],
  ys: number[],
  a: (s: number) => number,
  b: (s: number) => number,
  lo: number,
  hi: number,
  fallback: number,
): number {
  let num = 0,
    den = 0;
  for (let i = 0; i < xs.length; i++) {
    const bb = b(xs[i]);
    num += bb * (ys[i] - a(xs[i]));
    den += bb * bb;
  }
  const c = den > 0 ? num / den : fallback;
  return Math.min(Math.max(c, lo), hi);
}

/** Decay from `peak` at d to `end` at T; u = (s − d)/(T − d) ∈ [0, 1]. */
function decayAt(shape: DecayShape, peak: number, end: number, d: number, T: number): (s: number) => number {
  return (s) => {
    const u = Math.min(Math.max((s - d) / Math.max(T - d, 1), 0), 1);
    switch (shape) {
      case 'linear':
        return peak - (peak - end) * u;
      case 'cosine':
        return end + 0.5 * (peak - end) * (1 + Math.cos(Math.PI * u));
      case 'exponential':
        return peak * Math.pow(Math.max(end, 1e-12 * peak) / peak, u);
      case '1-sqrt':
        return peak - (peak - end) * Math.sqrt(u);
    }
  };
}

export function inferSchedule(
  lrSteps: ArrayLike<number>,
  lrValues: ArrayLike<number>,
  totalSteps: number,
): InferResult {
  try {
    return inferUnsafe(lrSteps, lrValues, totalSteps);
  } catch (e) {
    return { ok: false, reason: `internal error: ${(e as Error)?.message ?? String(e)}` };
  }
}

function inferUnsafe(lrSteps: ArrayLike<number>, lrValues: ArrayLike<number>, totalSteps: number): InferResult {
  const n = Math.min(lrSteps?.length ?? 0, lrValues?.length ?? 0);
  const pts: [number, number][] = [];
  for (let i = 0; i < n; i++) {
    const s = lrSteps[i],
      v = lrValues[i];
    if (Number.isFinite(s) && Number.isFinite(v) && s >= 0 && v >= 0) pts.push([Math.round(s), v]);
  }
  pts.sort((a, b) => a[0] - b[0]);
  let xs: number[] = [],
    ys: number[] = [];
  for (const [s, v] of pts) {
    if (xs.length && xs[xs.length - 1] === s) {
      ys[ys.length - 1] = v;
      continue;
    }
    xs.push(s);
    ys.push(v);
  }
  // LR logs are noise-free and smooth between changes: ≤ 2,000 evenly picked points (and the last) describe the
  // shape as well as 100k, at a fiftieth of the cost
  if (xs.length > MAX_POINTS) {
    const stride = Math.ceil(xs.length / MAX_POINTS),
      n0 = xs.length;
    const keep = (_: number, i: number) => i % stride === 0 || i === n0 - 1;
    xs = xs.filter(keep);
    ys = ys.filter(keep);
  }
  if (xs.length < 2) return { ok: false, reason: `not enough logged learning-rate points: ${xs.length} < 2` };
  const T = Math.round(totalSteps);
  const last = xs[xs.length - 1];
  if (!Number.isFinite(T) || T <= 0) return { ok: false, reason: 'planned total steps must be a positive number' };
  if (T < last) return { ok: false, reason: `planned total steps ${T} is before the last logged step ${last}` };
  let peak = 0;
  for (const v of ys) peak = Math.max(peak, v);
  if (!(peak > 0)) return { ok: false, reason: 'the learning rate is zero everywhere' };

  // End of warmup: first point at the peak level.
  let iPeak = ys.findIndex((v) => v >= (1 - FLAT) * peak);
  if (iPeak < 0) iPeak = 0;
  const s0 = xs[iPeak];
  const px = xs.slice(iPeak),
    py = ys.slice(iPeak);
  const lastLr = ys[ys.length - 1];
  const span = Math.max(T - s0, 1);

  const shapes: Shape[] = [];
  shapes.push({ name: 'constant', at: () => peak, finalLr: peak });
  {
    const c = (s: number) => 0.5 * (1 + Math.cos(Math.PI * Math.min(Math.max((s - s0) / span, 0), 1)));
    const etaMin = lsCoef(
      px,
      py,
      (s) => peak * c(s),
      (s) => 1 - c(s),
      0,
      peak,
      0,
    );
    // η_min at the peak is the constant schedule (listed once, as 'constant')
    if (etaMin < (1 - FLAT) * peak)
      shapes.push({ name: 'cosine', at: (s) => etaMin + (peak - etaMin) * c(s), finalLr: etaMin });
  }
  {
    const u = (s: number) => Math.min(Math.max((s - s0) / span, 0), 1);
    const end = lsCoef(px, py, (s) => peak * (1 - u(s)), u, 0, peak, 0);
    if (end < (1 - FLAT) * peak) shapes.push({ name: 'linear', at: (s) => peak - (peak - end) * u(s), finalLr: end });
  }
  if (s0 > 0)
    shapes.push({
      name: 'inverse-sqrt',
      at: (s) => (s <= s0 ? peak : peak * Math.sqrt(s0 / s)),
      finalLr: peak * Math.sqrt(s0 / T),
    });

  // WSD: a stable phase at the peak, then a decay that has started within the log.
  let iDecay = -1;
  for (let i = iPeak; i < xs.length; i++) {
    if (ys[i] >= (1 - FLAT) * peak) iDecay = i;
    else break;
  }
  const decayStart = iDecay >= 0 ? xs[iDecay] : s0;
  const decayVisible = iDecay >= 0 && iDecay < xs.length - 1 && decayStart > s0 + 0.02 * span;
  if (decayVisible) {
    const dx = xs.slice(iDecay),
      dy = ys.slice(iDecay);
    for (const ds of ['linear', 'cosine', 'exponential', '1-sqrt'] as DecayShape[]) {
      // η_end by a 1-D golden-section search on the RMS (the shapes are not all linear in η_end)
      let lo = 0,
        hi = peak;
      const err = (e: number) => rms(dx, dy, decayAt(ds, peak, e, decayStart, T), peak);
      for (let k = 0; k < 60; k++) {
        const a = lo + 0.382 * (hi - lo),
          b = lo + 0.618 * (hi - lo);
        if (err(a) < err(b)) hi = b;
        else lo = a;
      }
      const end = 0.5 * (lo + hi);
      const f = decayAt(ds, peak, end, decayStart, T);
      shapes.push({ name: 'wsd', decay: ds, at: (s) => (s <= decayStart ? peak : f(s)), finalLr: end, decayStart });
    }
  }
  // Piecewise constant: sudden drops between flat stretches; the last level is held.
  const levels = piecewiseLevels(ys.slice(iPeak));
  if (levels >= 2) {
    const px2 = xs.slice(iPeak),
      py2 = ys.slice(iPeak);
    shapes.push({ name: 'piecewise-constant', at: (s) => stepAt(px2, py2, s), finalLr: lastLr });
  }

  const scored = shapes
    .map((sh) => {
      const e = rms(px, py, sh.at, peak);
      return { sh, e: Number.isFinite(e) ? e : Infinity };
    })
    .sort((a, b) => a.e - b.e);
  const best = scored[0];
  const second = scored.find((c) => c.sh.name !== best.sh.name);
  const e1 = best.e,
    e2 = second ? second.e : Infinity;
  let confidence = Math.exp(-e1 / 0.005) * (0.5 + 0.5 * (e2 > 0 ? 1 - e1 / e2 : 0));
  const loggedFraction = (last - s0) / span;
  let chosen: Shape = best.sh;
  let note = '';
  if (best.sh.name === 'constant' && loggedFraction < 0.8) {
    confidence = Math.min(confidence, 0.6);
    note = ' A WSD decay, if planned, is not visible yet and is not assumed.';
  }
  if (px.length < 3) {
    confidence = Math.min(confidence, 0.3);
    note += ' Fewer than 3 logged LR points after the warmup.';
  }
  if (e1 > 0.05) {
    chosen = { name: 'unknown', at: () => lastLr, finalLr: lastLr };
    confidence = 0;
  }
  const candidates = scored.map((c) => ({ shape: c.sh.decay ? `wsd/${c.sh.decay}` : c.sh.name, relRmse: c.e }));

  // Planned schedule as knots: the logged prefix as is, then the shape (holding the last logged value when it
  // disagrees, so the series stays continuous), dense enough for linear interpolation (≤ 2,000 future knots).
  const lrStepsOut = xs.slice(),
    lrOut = ys.slice();
  if (T > last) {
    const offset = lastLr - chosen.at(last); // continuity at the seam
    const k = Math.min(2000, T - last);
    const future = new Set<number>();
    for (let i = 1; i <= k; i++) future.add(Math.round(last + ((T - last) * i) / k));
    if (chosen.decayStart !== undefined && chosen.decayStart > last) future.add(chosen.decayStart);
    for (const s of [...future].sort((a, b) => a - b)) {
      if (s <= last) continue;
      const fade = Math.max(0, 1 - (s - last) / Math.max(0.05 * span, 1)); // seam correction fades within 5 % of the run
      lrStepsOut.push(s);
      lrOut.push(Math.max(0, chosen.at(s) + offset * fade));
    }
  }
  const pct = (v: number) => `${(100 * v).toFixed(v < 0.01 ? 2 : 1)} %`;
  const shapeText =
    chosen.name === 'wsd' ? `WSD (stable, then ${chosen.decay} decay from step ${chosen.decayStart})` : chosen.name;
  const explanation =
    chosen.name === 'unknown'
      ? `No known schedule shape fits the logged LR (best: ${candidates[0].shape}, RMS error ${pct(e1)} of the peak): the last logged LR ${lastLr.toPrecision(3)} is assumed to hold until step ${T}.`
      : `${shapeText} recognised from ${px.length} logged LR points after the warmup (RMS error ${pct(e1)} of the peak` +
        (second ? `; next best ${second.sh.decay ? `wsd/${second.sh.decay}` : second.sh.name} ${pct(e2)}` : '') +
        `), planned to step ${T}` +
        (chosen.name === 'piecewise-constant'
          ? `; the last level ${lastLr.toPrecision(3)} is assumed to hold (future drops cannot be known).`
          : `; final LR ${chosen.finalLr.toPrecision(3)}.`) +
        note;
  return {
    ok: true,
    shape: chosen.name,
    ...(chosen.decay ? { decayShape: chosen.decay } : {}),
    confidence: Math.max(0, Math.min(1, confidence)),
    explanation,
    peakLr: peak,
    warmupEnd: s0,
    finalLr: chosen.finalLr,
    ...(chosen.decayStart !== undefined ? { decayStart: chosen.decayStart } : {}),
    totalSteps: T,
    lrSteps: lrStepsOut,
    lr: lrOut,
    candidates,
  };
}

/**
 * Number of flat levels separated by sudden drops (> 5 % between neighbouring logged points), each level but
 * the last logged at ≥ 2 points; 0 when the LR also changes in other ways (then it is not piecewise constant).
 */
function piecewiseLevels(ys: number[]): number {
  let levels = 1,
    inLevel = 1;
  for (let i = 1; i < ys.length; i++) {
    const rel = Math.abs(ys[i] - ys[i - 1]) / Math.max(ys[i - 1], 1e-300);
    if (rel <= FLAT) {
      inLevel++;
      continue;
    }
    if (ys[i] < ys[i - 1] * 0.95 && inLevel >= 2) {
      levels++;
      inLevel = 1;
      continue;
    }
    return 0;
  }
  return levels;
}

/** The logged LR as a step function (value of the latest logged point ≤ s). */
function stepAt(xs: number[], ys: number[], s: number): number {
  let lo = 0,
    hi = xs.length - 1;
  if (s >= xs[hi]) return ys[hi];
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (xs[mid] <= s) lo = mid;
    else hi = mid;
  }
  return ys[lo];
}
