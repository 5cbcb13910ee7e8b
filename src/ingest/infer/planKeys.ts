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

/**
 * A line saying the run stopped at its limit (Lightning's `` `Trainer.fit` stopped: `max_epochs=500` reached.``):
 * printed after the last point, its plan is still this run's (a stop ends a launch, it does not start one).
 */
const STOP_LINE = /\b(?:reached|stopped)\b/i;

/**
 * A step key that is also a plan's name (`training epoch`, `train steps`): a plan when it is among a settings line's
 * other keys (`Data size: 149690, batch size: 500, training epoch: 30.`, printed once before a loop's `Epoch 0000 |
 * Ave Loss: 8.6581` lines), holds one value, and that value lies beyond the last step logged. A header (`Training
 * epoch: 3` alone) or a record's counter, whose value the run reaches, is none.
 */
const TRAIN_PLAN_KEY = /^train(?:ing)?_/;

/** The unit a step word counts (`iteration`, `global_step`, `Epoch`, `episode`), or undefined. */
export function unitOf(word: string): AxisUnit | undefined {
  const w = word.toLowerCase().split(/[\s_]/).pop() ?? '';
  if (/^(?:iters?|iterations?|steps?|updates?|batch(?:es)?|itr)$/.test(w)) return 'step';
  if (/^(?:epochs?|epoka|epoche|época|époque|epoca|эпоха|에폭|에포크|エポック|轮次?)$/.test(w)) return 'epoch';
  if (/^episodes?$/.test(w)) return 'episode';
  return undefined;
}

/** A plan's unit word (`steps`, `iterations`, `epochs`, …) and the number before it, in a sentence. */
const UNIT = String.raw`(steps?|iterations?|iters?|updates?|epochs?|episodes?)\b`;
const NUM = String.raw`(\d{1,3}(?:,\d{3})+(?![\d,])|\d+)`;
/**
 * Sentences that state a planned total with its unit after the number (the count is keyed by the words before it,
 * so PLAN_KEY cannot see it): `Starting training for 19073 steps`, `will train for a total of 5000 iterations`,
 * `37500 max iterations`, `1000 total steps`, `5000 training steps`. Linear-time shapes only.
 */
const PLAN_SENTENCES = [
  new RegExp(
    String.raw`\b(?:train(?:ing)?|run(?:ning)?) (?:for )?(?:a total of )?` + NUM + String.raw` (?:total )?` + UNIT,
    'i',
  ),
  new RegExp(String.raw`\b(?:a total of|maximum of|max(?:imum)?) ` + NUM + String.raw` (?:training )?` + UNIT, 'i'),
  new RegExp(
    String.raw`(?:^|[^\d.,])` + NUM + String.raw` (?:max(?:imum)?|total|training|planned) (?:training )?` + UNIT,
    'i',
  ),
];

/**
 * The field of `t` that a sentence of its first line states as a planned total (PLAN_SENTENCES), with its unit: the
 * whole-number field whose first value is the sentence's number. Undefined when the line has no such sentence.
 */
export function sentencePlan(t: Template): { k: number; unit: AxisUnit } | undefined {
  if (!/\d (?:\w+ )?(?:step|iter|updat|epoch|episod)/i.test(t.example)) return undefined;
  if (/warm|decay/i.test(t.example)) return undefined;
  for (const re of PLAN_SENTENCES) {
    const m = re.exec(t.example);
    const unit = m ? unitOf(m[2]) : undefined;
    if (!m || !unit) continue;
    // a rate or an interval is not a total: `1000 training steps per epoch`, `every 500 training steps`
    const after = t.example.slice(m.index + m[0].length, m.index + m[0].length + 8);
    if (/^\s*(?:per|each|every|\/)/i.test(after) || /(?:per|each|every)\s*$/i.test(t.example.slice(0, m.index + 1)))
      continue;
    const v = Number(m[1].replace(/,/g, ''));
    const k = t.fields.findIndex((f) => f.allInt && !f.rank && f.col && f.col.n > 0 && f.col.data[0] === v);
    if (k >= 0) return { k, unit };
  }
  return undefined;
}

/**
 * The planned total of a run whose step axis counts `unit`, from the templates' keyed fields: a key naming a planned
 * total of that unit (`max_iter`, `MAX_ITER`, `total_iter`, `max_update`, `Total training steps`, `max_epochs`,
 * `Total Episodes`; not a step key, as fairseq's `num_updates` counter is), whole numbers only. The plan in force is
 * the one printed last before the loss's last point (`lastLine`: a file holding relaunches prints each one's
 * settings, and launches that logged nothing after them are not this run's) among those at least the last step
 * logged (`lastStep`: a plan the run went past is not its plan, nor another loop's count printed after it, such as
 * yacs' `PRECISE_BN: NUM_ITER: 200` below `SOLVER: MAX_ITER: 90000`). A sentence stating a total with its unit after
 * the number (`Starting training for 19073 steps`; sentencePlan) counts as a setting too. The value and the line
 * that printed it.
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
    const said = sentencePlan(t);
    const ends = STOP_LINE.test(t.example);
    t.fields.forEach((f, k) => {
      if (!f.col || !f.allInt) return;
      // (a step key `training epoch` is a plan only among settings: see TRAIN_PLAN_KEY)
      let past = false;
      if (said?.k !== k) {
        if (!f.key) return;
        const key = f.key.toLowerCase().replace(/[\s.-]+/g, '_');
        const m = PLAN_KEY.exec(key);
        if (!m || unitOf(m[1]) !== unit) return;
        if (f.rank) {
          if (t.header || !TRAIN_PLAN_KEY.test(key) || !t.fields.some((g) => g.key && !g.rank)) return;
          for (let i = 1; i < f.col.n; i++) if (f.col.data[i] !== f.col.data[0]) return;
          past = true;
        }
      } else if (said.unit !== unit) return;
      for (let i = 0; i < f.col.n; i++) {
        const line = t.lines.data[i],
          value = f.col.data[i];
        if (
          (line < lastLine || ends) &&
          value > 0 &&
          (past ? value > lastStep : value >= lastStep) &&
          (!best || line > best.line)
        )
          best = { value, line };
      }
    });
  }
  return best;
}
