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

/**
 * A unit's plural alone as a setting's key (`'epochs': 100` in a printed config dict, `"epochs": 1000` in an indented
 * JSON config, `steps=200` in an argparse Namespace): the count of that unit, not a counter's current value (a counter
 * is singular, or changes from record to record). A plan when its line is a settings line — it holds no other step
 * key, and either other settings keyed beside it or nothing else — and holds one value on every line it is printed on;
 * never the key of the training loss's own record (`steps: 10 loss: 2.29`) or of the line that gives its step.
 * `epochs` and `episodes` name the training's count wherever a config prints them; `steps`, `iters`, `updates` often
 * count something else in a model's config (a recurrent model's `'iters': 1`, a sampler's `'steps': 50`), so only a
 * command line's options (`Namespace(…)`, argparse's print) are taken to state the training's.
 */
const BARE_PLAN_KEY = /^(epochs|steps|iters|iterations|updates|episodes)$/;
const BARE_ANYWHERE = /^(?:epochs|episodes)$/;
const ARGS_LINE = /\bNamespace\(/;

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
 * `37500 max iterations`, `1000 total steps`, `5000 training steps`, a budget's `2,048 optimizer steps`. Linear-time
 * shapes only.
 */
const PLAN_SENTENCES = [
  new RegExp(
    String.raw`\b(?:train(?:ing)?|run(?:ning)?) (?:for )?(?:a total of )?` + NUM + String.raw` (?:total )?` + UNIT,
    'i',
  ),
  new RegExp(String.raw`\b(?:a total of|maximum of|max(?:imum)?) ` + NUM + String.raw` (?:training )?` + UNIT, 'i'),
  new RegExp(
    String.raw`(?:^|[^\d.,])` +
      NUM +
      String.raw` (?:max(?:imum)?|total|training|planned|optimi[sz](?:er|ation)) (?:training )?` +
      UNIT,
    'i',
  ),
];

/**
 * The field of `t` that a sentence of its first line states as a planned total (PLAN_SENTENCES), with its unit: the
 * whole-number field whose first value is the sentence's number. A number with thousands separators in a list of
 * comma-separated clauses (`…, 2,048 optimizer steps, …`) is tokenized as one field per group (2, 48): then `groups`
 * fields from `k` spell it (`valueAt`). Undefined when the line has no such sentence.
 */
export function sentencePlan(t: Template): { k: number; unit: AxisUnit; groups: number } | undefined {
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
    if (k >= 0) return { k, unit, groups: 1 };
    const groups = m[1].split(',');
    if (groups.length < 2) continue;
    const j = t.fields.findIndex((f, i) => groups.every((g, n) => firstOf(t, i + n) === Number(g)));
    if (j >= 0) return { k: j, unit, groups: groups.length };
  }
  return undefined;
}

/** The first value of field `k` of `t` when it is a whole number that is not a step key (NaN otherwise). */
function firstOf(t: Template, k: number): number {
  const f = t.fields[k];
  return f && f.allInt && !f.rank && f.col && f.col.n > 0 ? f.col.data[0] : NaN;
}

/** Row `i`'s value of a sentence's number spelled by `groups` fields from `k` (thousands groups; NaN if not). */
function valueAt(t: Template, k: number, groups: number, i: number): number {
  let v = 0;
  for (let n = 0; n < groups; n++) {
    const c = t.fields[k + n].col;
    const g = c && i < c.n ? c.data[i] : NaN;
    if (!(g >= 0) || (n > 0 && g >= 1000)) return NaN;
    v = v * 1000 + g;
  }
  return v;
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
  records: ReadonlySet<Template> = new Set(),
  loose: readonly LoosePlan[] = [],
): { value: number; line: number } | undefined {
  let best: { value: number; line: number } | undefined;
  for (const l of loose)
    if (l.unit === unit && l.line < lastLine && l.value >= lastStep && (!best || l.line > best.line))
      best = { value: l.value, line: l.line };
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
        const bare = BARE_PLAN_KEY.exec(key);
        if (bare) {
          // (a line of its own is taken for a header, `Epochs: 25`: a setting unless it heads the loss's records)
          if (unitOf(bare[1]) !== unit || records.has(t) || !settingsLine(t, k)) return;
          if (!BARE_ANYWHERE.test(key) && !ARGS_LINE.test(t.example)) return;
          for (let i = 1; i < f.col.n; i++) if (f.col.data[i] !== f.col.data[0]) return;
        }
        const m = bare ?? PLAN_KEY.exec(key);
        if (!m || unitOf(m[1]) !== unit) return;
        if (f.rank && !bare) {
          if (t.header || !TRAIN_PLAN_KEY.test(key) || !t.fields.some((g) => g.key && !g.rank)) return;
          for (let i = 1; i < f.col.n; i++) if (f.col.data[i] !== f.col.data[0]) return;
          past = true;
        }
      } else if (said.unit !== unit) return;
      for (let i = 0; i < f.col.n; i++) {
        const line = t.lines.data[i],
          value = said?.k === k ? valueAt(t, k, said.groups, i) : f.col.data[i];
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

/**
 * Whether field `k` of `t` sits on a settings line (BARE_PLAN_KEY): no other field is a step key, and the line holds
 * it alone or beside other keyed fields.
 */
function settingsLine(t: Template, k: number): boolean {
  let keyed = 0;
  for (let i = 0; i < t.fields.length; i++) {
    if (i === k) continue;
    const f = t.fields[i];
    if (f.rank) return false;
    if (f.key) keyed++;
  }
  return t.fields.length === 1 || keyed > 0;
}

/** A setting of a planned total found on a line the templates do not hold (`settingsOfLongLine`). */
export interface LoosePlan {
  unit: AxisUnit;
  value: number;
  line: number;
}

/** A planned-total key and its whole-number value, quoted or not, after `:` or `=` (`'max_update': 400000`). */
const LOOSE_PLAN = new RegExp(
  String.raw`(?:^|[^A-Za-z0-9_])['"]?((?:max|total|num|n|number_of)_(?:train(?:ing)?_|optimi[sz]ation_)?(?:iters?|iterations?|steps?|updates?|epochs?|episodes?)|train(?:ing)?_(?:iters|iterations|steps|updates|epochs|episodes))['"]? ?[:=] ?(\d+)(?![\d.eE_])`,
  'gi',
);

/** At most this many characters of one line are searched, and this many settings kept per line. */
const LOOSE_CHARS = 1 << 20;
const LOOSE_PER_LINE = 16;

/**
 * The planned-total settings of a line too long, or with too many numbers, to be one template's row (a whole config
 * printed as one dict: fairseq's Hydra `{'_name': None, 'common': {…}, …, 'optimization': {'max_update': 400000, …}}`
 * runs to kilobytes and hundreds of numbers): each PLAN_KEY key with a whole number, with its unit. Linear in the
 * line; plannedFromSettings weighs them as it weighs a template's keyed fields.
 */
export function settingsOfLongLine(text: string, line: number): LoosePlan[] {
  const out: LoosePlan[] = [];
  const re = new RegExp(LOOSE_PLAN.source, LOOSE_PLAN.flags);
  const t = text.length > LOOSE_CHARS ? text.slice(0, LOOSE_CHARS) : text;
  for (let m = re.exec(t); m && out.length < LOOSE_PER_LINE; m = re.exec(t)) {
    const key = PLAN_KEY.exec(m[1].toLowerCase());
    const unit = key ? unitOf(key[1]) : undefined;
    const value = Number(m[2]);
    if (unit && value > 0) out.push({ unit, value, line });
  }
  return out;
}
