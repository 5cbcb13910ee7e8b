/**
 * Which field is a run's step axis, when a record or a table header offers several. Pure.
 *
 * The trainer's own optimiser-step counter is preferred (`train/global_step` as the HF Trainer logs it to W&B,
 * `global_step`, the logged `step`), then iteration counters, and last the logger's record index (`_step`: W&B
 * counts `log()` calls, so an eval row or a second `log()` per step advances it), and only then `epoch` (DETR-style
 * per-epoch JSON logs have nothing else) and a reinforcement-learning `episode`. A run records the key it used
 * in `meta.stepAxis`, so the UI and `parse --json` can say which axis the X values are.
 */
import type { FormatId, Provenance, Run, Sourced } from './types';

/** Step-key names, most preferred first (compared case-insensitively). */
export const STEP_KEY_PREFERENCE: readonly string[] = [
  'train/global_step',
  'trainer/global_step',
  'global_step',
  'globalstep',
  'step',
  'current_steps',
  'iteration',
  'iter',
  'it',
  'num_updates',
  'update',
  'updates',
  'steps',
  'iters',
  'iterations',
  '_step',
  'epoch',
  // a reinforcement-learning episode counter (`"episode": [3]`): the only counter such logs often have
  'episode',
];

const RANK = new Map(STEP_KEY_PREFERENCE.map((k, i) => [k, i]));

/** Preference rank of a step-key name (lower is better), or -1 when it is not a step key. */
export function stepKeyRank(name: string): number {
  return RANK.get(name.trim().toLowerCase()) ?? -1;
}

/** The best step key among `keys` for which `usable(key)` holds (e.g. "has a numeric value"), or undefined. */
export function pickStepKey(keys: Iterable<string>, usable: (key: string) => boolean = () => true): string | undefined {
  let best: string | undefined;
  let bestRank = Infinity;
  for (const k of keys) {
    const r = stepKeyRank(k);
    if (r >= 0 && r < bestRank && usable(k)) {
      best = k;
      bestRank = r;
    }
  }
  return best;
}

/** Index of the best step column of a table header, or -1. */
export function pickStepColumn(header: readonly string[]): number {
  let best = -1;
  let bestRank = Infinity;
  header.forEach((h, i) => {
    const r = stepKeyRank(h);
    if (r >= 0 && r < bestRank) {
      best = i;
      bestRank = r;
    }
  });
  return best;
}

/** True when a key is a logger's record index rather than the trainer's step. */
export function isRecordIndexKey(name: string): boolean {
  return name.trim().toLowerCase() === '_step';
}

/** The `meta.stepAxis` value for a chosen key (a record index says so). */
export function stepAxisOf(key: string, source: Provenance): Sourced<string> {
  return { value: isRecordIndexKey(key) ? `${key} (record index)` : key, source };
}

/** The `meta.stepAxis` value when there is no step at all and the points are numbered in file order. */
export function recordOrderAxis(source: Provenance): Sourced<string> {
  return { value: 'record order', source };
}

/** The step counter each per-trainer text reader reads, for runs whose reader did not record one. */
const FORMAT_STEP_AXIS: Partial<Record<FormatId, string>> = {
  nanogpt: 'iter',
  'modded-nanogpt': 'step',
  nanochat: 'step',
  llmc: 'step',
  megatron: 'iteration',
  olmo: 'step',
  fairseq: 'num_updates',
  torchtitan: 'step',
  litgpt: 'iter',
  'megatron-golden': 'step',
  tensorboard: 'step',
  mlflow: 'step',
};

/** The run's step axis: what its reader recorded, else the counter its format's reader always reads; or undefined. */
export function stepAxisOfRun(run: Run): Sourced<string> | undefined {
  if (run.meta.stepAxis) return run.meta.stepAxis;
  const axis = FORMAT_STEP_AXIS[run.format];
  return axis
    ? { value: axis, source: { path: run.path, how: `${run.format} reader: the log's ${axis} counter` } }
    : undefined;
}
