/**
 * The planned LR schedule of a corpus curve, for the schedule study (bench/scheduleStudy.ts): from a logged LR
 * series when the curve has one (the recorded schedule itself), else synthesised from the manifest's `schedule`
 * (cosine / linear / wsd) and `planned_total_steps`, with the warmup length, the final-LR ratio and the WSD
 * decay length read from the manifest's `notes` where they are stated, else the defaults below. The LR is in
 * peak units (the multi-power law is fitted in peak-normalised units, so the peak's value does not matter).
 * Pure; no `vscode`.
 */

/** Schedules whose LR decays to a planned end (the ones a schedule-aware law can use). */
export const DECAYING = ['cosine', 'linear', 'wsd'] as const;
export type DecayingSchedule = (typeof DECAYING)[number];

/** What the notes may state about a schedule; undefined where they say nothing. */
export interface ScheduleDetails {
  /** warmup steps, or a fraction of the planned total when `warmupFrac` */
  warmup?: number;
  warmupFrac?: number;
  /** final LR ÷ peak LR */
  finalRatio?: number;
  /** WSD: decay steps, or a fraction of the planned total */
  decaySteps?: number;
  decayFrac?: number;
}

/**
 * Defaults where the notes say nothing: no warmup; cosine to 0.1 × peak (the Chinchilla / Pythia / OLMo
 * convention), linear and WSD to 0; a WSD decay over the last 20 % of the run (Hägele et al. 2024's recommended
 * cooldown share).
 */
export const DEFAULTS = { warmupFrac: 0, cosineFinal: 0.1, linearFinal: 0, wsdFinal: 0, wsdDecayFrac: 0.2 };

const num = (s: string) => Number(s.replace(/,/g, ''));

/**
 * Schedule details stated in free-text notes: a warmup of N steps (or N %, or "no warmup"), a final LR as a
 * multiple or percentage of the peak ("to 0.1x max", "to 10 % of max", "decay to 0"), and a decay "over the last
 * N steps" (or N %). A count followed by k/M or by samples/tokens is not a step count and is ignored.
 */
export function detailsFromNotes(notes: string): ScheduleDetails {
  const t = notes.toLowerCase();
  const out: ScheduleDetails = {};
  const notSteps = '(?![\\d,.]*\\s*(?:k\\b|m\\b|b\\b|samples|tokens|sequences))';
  if (/\bno warm-?up\b|warm-?up 0 steps/.test(t)) out.warmup = 0;
  else {
    const pct = new RegExp('warm-?up (?:of )?(\\d+(?:\\.\\d+)?) ?%').exec(t);
    const steps =
      new RegExp(`warm-?up (?:of |to \\S+ over )?(\\d[\\d,]*)${notSteps}(?: steps| iters| iterations)?`).exec(t) ??
      new RegExp(`(\\d[\\d,]*)${notSteps}[ -](?:steps? )?(?:linear )?warm-?up`).exec(t);
    if (pct) out.warmupFrac = Number(pct[1]) / 100;
    else if (steps) out.warmup = num(steps[1]);
  }
  const mult = /to (\d(?:\.\d+)?) ?[x×] ?(?:of )?(?:the )?(?:max|peak)?/.exec(t);
  const pctOf = /to (\d+(?:\.\d+)?) ?% of (?:the )?(?:max|peak)/.exec(t);
  if (pctOf) out.finalRatio = Number(pctOf[1]) / 100;
  else if (mult) out.finalRatio = Number(mult[1]);
  else if (/(?:decay|cool-?down|warm-?down|anneal)\w* to 0\b(?!\.)/.test(t)) out.finalRatio = 0;
  const lastPct = /over the last (\d+(?:\.\d+)?) ?%/.exec(t);
  const lastSteps = new RegExp(`over the last (\\d[\\d,]*)${notSteps}(?: steps| iters| iterations)`).exec(t);
  if (lastPct) out.decayFrac = Number(lastPct[1]) / 100;
  else if (lastSteps) out.decaySteps = num(lastSteps[1]);
  return out;
}

/**
 * The planned LR (peak units) at knots 0…T for a decaying schedule: a linear warmup from 0, then cosine to the
 * final ratio at T (sampled at ≤ 256 knots, linear in between), a linear decay to it, or (WSD) the peak held
 * until the decay start and a linear decay to it at T. Null for a schedule that does not decay or T < 2.
 */
export function plannedLr(
  schedule: string,
  T: number,
  d: ScheduleDetails = {},
): { steps: number[]; lr: number[] } | null {
  if (!(DECAYING as readonly string[]).includes(schedule) || !(T >= 2)) return null;
  const W = Math.min(Math.round(d.warmup ?? (d.warmupFrac ?? DEFAULTS.warmupFrac) * T), Math.floor(T / 2));
  const steps: number[] = [0],
    lr: number[] = [W > 0 ? 0 : 1];
  if (W > 0) {
    steps.push(W);
    lr.push(1);
  }
  if (schedule === 'cosine') {
    const r = d.finalRatio ?? DEFAULTS.cosineFinal;
    const k = Math.min(256, T - W);
    for (let i = 1; i <= k; i++) {
      const s = Math.round(W + ((T - W) * i) / k);
      if (s <= steps[steps.length - 1]) continue;
      steps.push(s);
      lr.push(r + (1 - r) * 0.5 * (1 + Math.cos((Math.PI * (s - W)) / (T - W))));
    }
  } else if (schedule === 'linear') {
    steps.push(T);
    lr.push(d.finalRatio ?? DEFAULTS.linearFinal);
  } else {
    const D = Math.round(d.decaySteps ?? (d.decayFrac ?? DEFAULTS.wsdDecayFrac) * T);
    const start = Math.max(W, T - Math.max(1, Math.min(D, T - W)));
    if (start > steps[steps.length - 1]) {
      steps.push(start);
      lr.push(1);
    }
    steps.push(T);
    lr.push(d.finalRatio ?? DEFAULTS.wsdFinal);
  }
  return { steps, lr };
}

/**
 * Coarser step units for long schedules: the factor u ≥ 1 that brings T down to at most `maxSteps` steps (the
 * multi-power law's cost grows with the number of steps at which the LR changes). In the law's peak-normalised
 * units only the anneal-response constant C depends on the step unit, and its prior is wide (SD 1 in ln C).
 */
export function stepUnit(T: number, maxSteps = 20000): number {
  return T > maxSteps ? T / maxSteps : 1;
}
