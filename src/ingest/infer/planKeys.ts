/**
 * A training's planned total read from a setting printed in the log (a config dump's `max_iter: 200000`, yacs'
 * `MAX_ITER: 40000`, fairseq's `'max_update': 400000`, `Total training steps: 31250`, `max_epochs=500`). Pure.
 */
import type { Template } from './templates';

/** What a step axis counts: optimizer steps (iterations, updates, batches, a global step), epochs, or episodes. */
export type AxisUnit = 'step' | 'epoch' | 'episode';

/** A key that names a planned total of some unit: `max_iter`, `total_steps`, `num_train_epochs`, `train_iters`. */
const PLAN_KEY =
  /^(?:(?:max|total|num|n|number_of)_(?:train(?:ing)?_|optimi[sz]ation_)?|train(?:ing)?_)(iters?|iterations?|steps?|updates?|epochs?|episodes?)$/;

/** The unit a step word counts (`iteration`, `global_step`, `Epoch`, `episode`), or undefined. */
export function unitOf(word: string): AxisUnit | undefined {
  const w = word.toLowerCase().split(/[\s_]/).pop() ?? '';
  if (/^(?:iters?|iterations?|steps?|updates?|batch(?:es)?|itr)$/.test(w)) return 'step';
  if (/^epochs?$/.test(w)) return 'epoch';
  if (/^episodes?$/.test(w)) return 'episode';
  return undefined;
}

/**
 * The planned total of a run whose step axis counts `unit`, from the templates' keyed fields: a key naming a planned
 * total of that unit (`max_iter`, `MAX_ITER`, `total_iter`, `max_update`, `Total training steps`, `max_epochs`,
 * `Total Episodes`; not a step key, as fairseq's `num_updates` counter is), whole numbers only. The plan in force is
 * the one printed last before the loss's last point (`lastLine`: a file holding relaunches prints each one's
 * settings, and launches that logged nothing after them are not this run's), when it is at least the last step
 * logged (`lastStep`: a plan the run went past is not its plan). The value and the line that printed it.
 */
export function plannedFromSettings(
  templates: readonly Template[],
  unit: AxisUnit,
  lastStep: number,
  lastLine: number,
): { value: number; line: number } | undefined {
  let best: { value: number; line: number } | undefined;
  for (const t of templates) {
    if (!t.stored) continue;
    for (const f of t.fields) {
      if (!f.key || f.rank || !f.col || !f.allInt) continue;
      const m = PLAN_KEY.exec(f.key.toLowerCase().replace(/[\s.-]+/g, '_'));
      if (!m || unitOf(m[1]) !== unit) continue;
      for (let i = 0; i < f.col.n; i++) {
        const line = t.lines.data[i];
        if (line < lastLine && (!best || line > best.line)) best = { value: f.col.data[i], line };
      }
    }
  }
  return best && best.value > 0 && best.value >= lastStep ? best : undefined;
}
