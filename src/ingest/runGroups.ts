/**
 * One training run is one run, whatever number of files it left behind. Pure (paths only; no I/O).
 *
 *  - A W&B run folder (`wandb/run-<date>_<time>-<id>/` or `offline-run-…`) is ONE run: its `run-<id>.wandb`
 *    history when present, else `files/output.log` (the captured stdout). `files/wandb-summary.json` is a
 *    summary of that run (its last values), not a run; the other files (`debug.log`, `requirements.txt`,
 *    `wandb-metadata.json`, …) are not logs of the run's metrics.
 *  - A Hugging Face output folder with `checkpoint-<N>/trainer_state.json` files is ONE run: every checkpoint's
 *    `log_history` repeats the one before it, so the run is read from the final `trainer_state.json` in the output
 *    folder when there is one, else from the latest checkpoint (largest N).
 *  - Summary files (`all_results.json`, `train_results.json`, `eval_results.json`, `test_results.json`,
 *    `wandb-summary.json`) are not runs.
 * `planRunFiles` decides which files to read and says why the others are not read (info diagnostics, so nothing
 * disappears silently); `groupOf` tells which files belong to the same run so the caller can keep one run per group.
 */

/** Summaries of a run (last values), never a run of their own. */
const SUMMARY_FILES = new Set([
  'all_results.json',
  'train_results.json',
  'eval_results.json',
  'test_results.json',
  'predict_results.json',
  'wandb-summary.json',
]);

const WANDB_RUN_DIR = /^(?:offline-)?run-\d{8}_\d{6}-[A-Za-z0-9]+$/;
const CHECKPOINT_DIR = /^checkpoint-(\d+)$/;

function parts(p: string): string[] {
  return p.split(/[\\/]/);
}

function join(segs: string[]): string {
  return segs.join('/');
}

/** The W&B run folder a file belongs to, with the file's path inside it; undefined outside one. */
export function wandbRunOf(path: string): { runDir: string; inner: string } | undefined {
  const s = parts(path);
  for (let i = s.length - 2; i >= 0; i--) {
    if (WANDB_RUN_DIR.test(s[i])) return { runDir: join(s.slice(0, i + 1)), inner: join(s.slice(i + 1)) };
  }
  return undefined;
}

/** For `<out>/checkpoint-<N>/trainer_state.json`: the output folder and N; undefined otherwise. */
export function hfCheckpointOf(path: string): { outputDir: string; step: number } | undefined {
  const s = parts(path);
  if (s.length < 2 || s[s.length - 1] !== 'trainer_state.json') return undefined;
  const m = CHECKPOINT_DIR.exec(s[s.length - 2]);
  return m ? { outputDir: join(s.slice(0, -2)), step: Number(m[1]) } : undefined;
}

/** True for a file that summarises a run (last values) rather than logging it. */
export function isSummaryFile(path: string): boolean {
  const s = parts(path);
  return SUMMARY_FILES.has(s[s.length - 1]);
}

/** The run a file belongs to when several files make one run (W&B folder, HF output folder); else undefined. */
export function groupOf(path: string, hfOutputDirs: ReadonlySet<string>): string | undefined {
  const wb = wandbRunOf(path);
  if (wb) return `wandb:${wb.runDir}`;
  const ck = hfCheckpointOf(path);
  if (ck) return `hf:${ck.outputDir}`;
  const s = parts(path);
  if (s[s.length - 1] === 'trainer_state.json' && hfOutputDirs.has(join(s.slice(0, -1))))
    return `hf:${join(s.slice(0, -1))}`;
  return undefined;
}

export interface RunFilePlan {
  /** Files to read, in the order given (for a group: its preferred file first). */
  read: string[];
  /** Files not read, each with the reason (an info diagnostic for the caller). */
  skipped: { path: string; reason: string }[];
  /** Group key → the files read for it, preferred first (the caller keeps one run per group). */
  groups: Map<string, string[]>;
  /** Group key → summary files of that run (metadata only, e.g. a W&B `wandb-summary.json`). */
  summaries: Map<string, string[]>;
}

/** Which of `files` (paths found under a folder) to read as runs; see the module doc. */
export function planRunFiles(files: readonly string[]): RunFilePlan {
  const hfOutputDirs = new Set<string>();
  for (const f of files) {
    const ck = hfCheckpointOf(f);
    if (ck) hfOutputDirs.add(ck.outputDir);
  }
  const plan: RunFilePlan = { read: [], skipped: [], groups: new Map(), summaries: new Map() };
  const members = new Map<string, string[]>();
  const order: (string | { group: string })[] = [];
  for (const f of files) {
    const g = groupOf(f, hfOutputDirs);
    if (isSummaryFile(f)) {
      if (g) (plan.summaries.get(g) ?? plan.summaries.set(g, []).get(g)!).push(f);
      plan.skipped.push({ path: f, reason: 'a summary of a run (its last values), not a run: not read as one' });
      continue;
    }
    if (!g) {
      order.push(f);
      continue;
    }
    if (!members.has(g)) {
      members.set(g, []);
      order.push({ group: g });
    }
    members.get(g)!.push(f);
  }
  for (const item of order) {
    if (typeof item === 'string') {
      plan.read.push(item);
      continue;
    }
    const chosen = item.group.startsWith('wandb:')
      ? planWandb(members.get(item.group)!, plan)
      : planHf(members.get(item.group)!, plan);
    if (chosen.length) {
      plan.groups.set(item.group, chosen);
      plan.read.push(...chosen);
    }
  }
  return plan;
}

/** W&B folder: the `.wandb` history, then `files/output.log`; the rest is not a metrics log. */
function planWandb(files: string[], plan: RunFilePlan): string[] {
  const inner = (f: string) => wandbRunOf(f)!.inner;
  const history = files.filter((f) => /^run-[A-Za-z0-9]+\.wandb$/.test(inner(f)));
  const output = files.filter((f) => inner(f) === 'files/output.log');
  const chosen = [...history, ...output];
  const dir = wandbRunOf(files[0])!.runDir;
  for (const f of files) {
    if (chosen.includes(f)) continue;
    // files/config.yaml is read by the .wandb reader as the run's config; the others hold no metric history.
    plan.skipped.push({
      path: f,
      reason: `part of the W&B run folder ${dir} (read as one run from ${chosen.length ? chosen.map(inner).join(' / ') : 'nothing: no .wandb or files/output.log'})`,
    });
  }
  return chosen;
}

/** HF output folder: the final trainer_state.json, else the latest checkpoint's. */
function planHf(files: string[], plan: RunFilePlan): string[] {
  const rank = (f: string) => hfCheckpointOf(f)?.step ?? Infinity; // the output folder's own file is the final state
  const sorted = [...files].sort((a, b) => rank(b) - rank(a));
  const kept = sorted[0];
  for (const f of sorted.slice(1)) {
    plan.skipped.push({
      path: f,
      reason: `an earlier checkpoint of the run in ${hfOutputDirOf(kept)}: read once, from ${lastTwo(kept)} (its log_history holds every earlier entry)`,
    });
  }
  return [kept];
}

function hfOutputDirOf(f: string): string {
  return hfCheckpointOf(f)?.outputDir ?? join(parts(f).slice(0, -1));
}

function lastTwo(f: string): string {
  return join(parts(f).slice(-2));
}
