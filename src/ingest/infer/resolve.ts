/**
 * Last write per step: the rule for a series whose step repeats or goes back (a line per rank, two writers
 * interleaved, a resume or restart appended to the same file). Every value is read; for each step the value
 * written last wins, and the steps come out increasing. Pure.
 */
export interface Resolved {
  step: Float64Array;
  value: Float64Array;
  time?: Float64Array;
  /** Points whose step was not above the step before them (repeats and going back). */
  repeats: number;
}

/** True when the steps are strictly increasing (NaN steps are ignored): nothing to resolve. */
export function increasing(step: ArrayLike<number>): boolean {
  let prev = -Infinity;
  for (let i = 0; i < step.length; i++) {
    const s = step[i];
    if (s !== s) continue;
    if (s <= prev) return false;
    prev = s;
  }
  return true;
}

export function lastWritePerStep(
  step: ArrayLike<number>,
  value: ArrayLike<number>,
  time?: ArrayLike<number>,
): Resolved {
  const n = Math.min(step.length, value.length);
  const last = new Map<number, number>();
  let repeats = 0;
  let prev = -Infinity;
  for (let i = 0; i < n; i++) {
    const s = step[i];
    if (s !== s) continue;
    if (s <= prev) repeats++;
    prev = s;
    last.set(s, i);
  }
  const steps = [...last.keys()].sort((a, b) => a - b);
  const out: Resolved = { step: Float64Array.from(steps), value: new Float64Array(steps.length), repeats };
  if (time) out.time = new Float64Array(steps.length);
  steps.forEach((s, j) => {
    const i = last.get(s)!;
    out.value[j] = value[i];
    if (out.time && time) out.time[j] = time[i];
  });
  return out;
}
