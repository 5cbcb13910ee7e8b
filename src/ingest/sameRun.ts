/**
 * The same training run seen in two files outside a W&B or HF folder (the trainer's stdout and its TensorBoard
 * event file, stdout and a `metrics.jsonl` / `log.csv` / MLflow metrics, …): decided from evidence, then merged into
 * one run, or linked and counted once. Pure (no I/O, no `vscode`, no `node:*`); the CLI (`src/cli/load.ts`) and the
 * extension (`src/model/runModel.ts`) both call `planSameRuns`.
 *
 * Evidence, in this order:
 *  1. Place: the two files are in the same folder, or their names share a generated run id (`za1r6og7`, `3f9a2c7`;
 *     `runIdTokens`).
 *     Without either, two files are never compared.
 *  2. Values: on the steps both files logged, the metrics both logged that vary from run to run (losses,
 *     perplexities, accuracies, gradient norms: not the learning rate, epoch or token counters, which two seeds of one
 *     sweep share) agree within the rounding of the printed value. Each value's tolerance is half a unit in its last
 *     printed decimal (`4.5123` → ±5e-5) plus 1e-6 relative (float32 event files), summed over the two files.
 *
 * Verdicts for a pair:
 *  - `same` (merge): at least MIN_SHARED distinct shared steps, and at least AGREE_FRACTION of the shared (metric,
 *    step) values agree.
 *  - `linked` (count once, keep both): one varying loss-like metric agrees on every one of at least MIN_SHARED shared
 *    steps while other series disagree (one run written two ways: e.g. the same train loss, a validation loss on
 *    another subset); or the names share a run id and no step was logged in both files (nothing to contradict it).
 *  - `different`: otherwise. Two seeds in one folder disagree on nearly every shared step and stay two runs; a shared
 *    run id does not outweigh values that disagree (a container host id in event-file names is shared by every run
 *    started in that container); files that share no steps to compare are never merged on place alone.
 * Pairs become groups by union (`same` edges make a merged run; `linked` edges tie runs that are counted once).
 */

/** What the decision needs of a run: its file, and its series by normalised metric name. */
export interface RunView {
  id: string;
  path: string;
  format: string;
  metrics: Record<string, { step: ArrayLike<number>; value: ArrayLike<number> }>;
  /** Stated facts of the run: two runs that state different ones are different runs. */
  meta?: { params?: { value: number }; totalSteps?: { value: number } };
}

export type SameRunVerdict = 'same' | 'linked' | 'different';

export interface PairDecision {
  verdict: SameRunVerdict;
  /** Plain-words reason, e.g. `same folder; train/loss agrees on 48 of 48 shared steps (within print rounding)`. */
  reason: string;
  /** Shared (metric, step) values compared, and how many agreed. */
  shared: number;
  agreed: number;
  /** The run-id token both names hold, when any. */
  token?: string;
  /**
   * Series of `a` and `b` that hold the same values under different names (a CSV whose header the reader could not
   * name: `column 2` = `train/box_loss`), as [name in a, name in b]: one of the two is left out of a merge.
   */
  aliases: [string, string][];
}

/** Formats whose every run has its own id in its store (an MLflow run folder, a W&B run): two of them are two runs. */
const SEPARATE_BY_STORE = new Set(['mlflow', 'wandb']);

/** Fewest distinct shared steps that can make two files one run. */
export const MIN_SHARED = 3;
/** Share of shared values that must agree for a merge. */
export const AGREE_FRACTION = 0.95;
/** At most this many steps of the smaller series are compared (evenly spread): bounded work per decision. */
const MAX_COMPARED = 1024;
/** After this many shared values, a series agreeing on under half of them stops being compared (it rules out a merge). */
const EARLY_STOP = 32;
/** At most this many differently named series pairs are compared by value per decision. */
const MAX_ALIAS_TRIES = 256;

function isConstant(v: ArrayLike<number>): boolean {
  for (let i = 1; i < v.length; i++) if (v[i] !== v[0]) return false;
  return true;
}

/** Metrics that differ between two runs of one sweep (a learning rate or an epoch counter does not). */
const RUN_SPECIFIC = /(?:^|[/_.\s-])(?:loss|nll|ppl|perplexity|acc|accuracy|bpb|bpc|grad_?norm|ce|cross_?ent)/i;
const SCHEDULE = /(?:^|[/_.])(?:lr|learning_rate|epoch|step|global_step|tokens|samples|time|elapsed|throughput)$/i;

export function comparable(metric: string): boolean {
  return RUN_SPECIFIC.test(metric) && !SCHEDULE.test(metric);
}

export function dirOf(p: string): string {
  const i = Math.max(p.lastIndexOf('/'), p.lastIndexOf('\\'));
  return i < 0 ? '' : p.slice(0, i);
}

function baseOf(p: string): string {
  const i = Math.max(p.lastIndexOf('/'), p.lastIndexOf('\\'));
  return p.slice(i + 1);
}

/**
 * Tokens in a file name that look like a generated run id (W&B `za1r6og7`, a hash `3f9a2c7`): at least 6 letters and
 * digits that switch between letters and digits at least 3 times. Words with a number (`cifar10`, `yolov8`, `cs224n`,
 * user names like `jm12138`) and bare numbers (dates, user ids, job ids alike) are not run ids: in real corpora they
 * name datasets, models and owners shared by different runs. A TensorBoard file's own timestamp and host
 * (`events.out.tfevents.<time>.<host>.<pid>.<n>`) are not run ids either.
 */
export function runIdTokens(path: string): string[] {
  let name = baseOf(path);
  if (/^events\.out\.tfevents\./.test(name)) return [];
  name = name.replace(/\.[A-Za-z0-9]{1,6}$/, '');
  const out: string[] = [];
  for (const t of name.split(/[^A-Za-z0-9]+/)) {
    if (t.length < 6 || !/\d/.test(t) || !/[A-Za-z]/.test(t)) continue;
    const switches = (t.match(/(?<=\d)(?=[A-Za-z])|(?<=[A-Za-z])(?=\d)/g) ?? []).length;
    if (switches >= 3) out.push(t.toLowerCase());
  }
  return out;
}

const POW10 = Array.from({ length: 10 }, (_, d) => Math.pow(10, d));

/**
 * Half a unit in the last decimal the value was printed with (`4.5123` → 5e-5), at most 9 decimals (a float32 or
 * full-precision value gets 5e-10). Decimals are found by scaling, not by formatting (this runs per compared value).
 */
export function printRounding(v: number): number {
  if (!Number.isFinite(v) || v === 0) return 0;
  const x = Math.abs(v);
  for (let d = 0; d <= 9; d++) {
    const m = x * POW10[d];
    if (Math.abs(m - Math.round(m)) <= 1e-9 * Math.max(1, m)) return 0.5 / POW10[d];
  }
  return 0.5e-9;
}

function agrees(a: number, b: number): boolean {
  if (Number.isNaN(a) || Number.isNaN(b)) return Number.isNaN(a) && Number.isNaN(b);
  if (!Number.isFinite(a) || !Number.isFinite(b)) return a === b;
  const diff = Math.abs(a - b),
    rel = 1e-6 * Math.max(Math.abs(a), Math.abs(b));
  if (diff <= rel) return true;
  const tol = printRounding(a) + printRounding(b) + rel;
  return diff <= tol * (1 + 1e-9);
}

/**
 * Steps in order, judged on at most ~1024 evenly spaced points (and the last): bounded work per decision. A log whose
 * steps go back between two sampled points may be taken as sorted; the binary search then misses some shared steps
 * (it checks each match for equality), which can only make a merge less likely.
 */
function isSorted(s: ArrayLike<number>): boolean {
  const n = s.length;
  const stride = Math.max(1, Math.floor(n / MAX_COMPARED));
  for (let i = stride; i < n; i += stride) if (!(s[i] >= s[i - stride])) return false;
  return n < 2 || s[n - 1] >= s[Math.max(0, n - 1 - stride)];
}

/** Index of the last occurrence of `x` in sorted `s`, or -1. */
function findLast(s: ArrayLike<number>, x: number): number {
  let lo = 0,
    hi = s.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (s[mid] <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo > 0 && s[lo - 1] === x ? lo - 1 : -1;
}

/**
 * Shared (step) values of two series: at most MAX_COMPARED steps of the smaller one, looked up in the larger (the
 * last write per step wins, as in a resumed log).
 */
function compareSeries(
  a: { step: ArrayLike<number>; value: ArrayLike<number> },
  b: { step: ArrayLike<number>; value: ArrayLike<number> },
  steps?: Set<number>,
): { shared: number; agreed: number; stopped: boolean } {
  const [small, big] = a.step.length <= b.step.length ? [a, b] : [b, a];
  const n = small.step.length;
  if (!n || !big.step.length) return { shared: 0, agreed: 0, stopped: false };
  const stride = Math.max(1, Math.ceil(n / MAX_COMPARED));
  let lookup: (x: number) => number;
  if (isSorted(big.step)) lookup = (x) => findLast(big.step, x);
  else {
    const m = new Map<number, number>();
    for (let i = 0; i < big.step.length; i++) m.set(big.step[i], i);
    lookup = (x) => m.get(x) ?? -1;
  }
  // Sampled indices of the smaller series (its last point included); when its steps go back (a resumed log), the
  // last write per step.
  let picks: Iterable<[number, number]>;
  if (isSorted(small.step)) {
    picks = (function* () {
      for (let i = 0; i < n; i += stride) yield [small.step[i], i] as [number, number];
      if ((n - 1) % stride) yield [small.step[n - 1], n - 1] as [number, number];
    })();
  } else {
    const seen = new Map<number, number>();
    for (let i = 0; i < n; i += stride) seen.set(small.step[i], i);
    if ((n - 1) % stride) seen.set(small.step[n - 1], n - 1);
    picks = seen;
  }
  let shared = 0,
    agreed = 0;
  for (const [x, i] of picks) {
    if (!Number.isFinite(x)) continue;
    const j = lookup(x);
    if (j < 0) continue;
    shared++;
    steps?.add(x);
    if (agrees(small.value[i], big.value[j])) agreed++;
    // Clearly different (two seeds): stop early; the caller never merges on a series that stopped here.
    if (shared >= EARLY_STOP && agreed < 0.5 * shared) return { shared, agreed, stopped: true };
  }
  return { shared, agreed, stopped: false };
}

/** The decision for two runs read from two different files (see the module doc). */
export function decideSameRun(a: RunView, b: RunView): PairDecision {
  if (a.path === b.path)
    return {
      verdict: 'different',
      reason: 'one file: its runs are separate by the reader',
      shared: 0,
      agreed: 0,
      aliases: [],
    };
  if (a.format === b.format && SEPARATE_BY_STORE.has(a.format))
    return {
      verdict: 'different',
      reason: `two ${a.format} runs: the store keeps each run apart by its own id`,
      shared: 0,
      agreed: 0,
      aliases: [],
    };
  const sameDir = dirOf(a.path) === dirOf(b.path);
  const tb = new Set(runIdTokens(b.path));
  const token = runIdTokens(a.path).find((t) => tb.has(t));
  if (!sameDir && !token)
    return {
      verdict: 'different',
      reason: 'different folders and no run id shared by the file names',
      shared: 0,
      agreed: 0,
      aliases: [],
    };
  for (const k of ['params', 'totalSteps'] as const) {
    const va = a.meta?.[k]?.value,
      vb = b.meta?.[k]?.value;
    if (va !== undefined && vb !== undefined && Math.abs(va - vb) > 0.01 * Math.max(Math.abs(va), Math.abs(vb))) {
      return {
        verdict: 'different',
        reason: `the files state different ${k === 'params' ? 'parameter counts' : 'planned total steps'} (${va} and ${vb})`,
        shared: 0,
        agreed: 0,
        aliases: [],
      };
    }
  }
  const place = [sameDir ? 'same folder' : '', token ? `run id "${token}" in both names` : '']
    .filter(Boolean)
    .join(', ');
  let shared = 0,
    agreed = 0;
  const per: string[] = [];
  const steps = new Set<number>(); // distinct shared steps, over every compared metric
  let oneAgrees = ''; // a varying loss-like metric that agrees on every one of at least MIN_SHARED shared steps
  let ruledOut = false; // a series disagreed on most shared steps (its comparison stopped early)
  for (const name of Object.keys(a.metrics)) {
    if (!comparable(name) || !b.metrics[name]) continue;
    const r = compareSeries(a.metrics[name], b.metrics[name], steps);
    if (!r.shared) continue;
    ruledOut ||= r.stopped;
    if (!oneAgrees && r.shared >= MIN_SHARED && r.agreed === r.shared && !isConstant(a.metrics[name].value))
      oneAgrees = name;
    shared += r.shared;
    agreed += r.agreed;
    per.push(`${name} ${r.agreed}/${r.shared}`);
  }
  // Same values under different names: a metric a reader could not name (`column 2`) matched by its values, when at
  // least one of the two names is loss-like (a learning-rate schedule is the same in two seeds; a loss is not).
  const aliases: [string, string][] = [];
  const usedB = new Set(Object.keys(b.metrics).filter((k) => a.metrics[k]));
  let budget = MAX_ALIAS_TRIES;
  for (const na of Object.keys(a.metrics)) {
    if (b.metrics[na] || budget <= 0) continue;
    for (const nb of Object.keys(b.metrics)) {
      if (usedB.has(nb) || a.metrics[nb] || (!comparable(na) && !comparable(nb))) continue;
      if (--budget < 0) break;
      const sa = a.metrics[na],
        sb = b.metrics[nb];
      if (isConstant(sa.value) || isConstant(sb.value)) continue;
      const own = new Set<number>();
      const r = compareSeries(sa, sb, own);
      if (own.size >= MIN_SHARED && r.agreed === r.shared) {
        for (const x of own) steps.add(x);
        aliases.push([na, nb]);
        usedB.add(nb);
        shared += r.shared;
        agreed += r.agreed;
        per.push(`${na} = ${nb} ${r.agreed}/${r.shared}`);
        break;
      }
    }
  }
  const detail = per.length
    ? `agreeing values on shared steps (within print rounding): ${per.join(', ')}`
    : 'no loss-like metric logged at a shared step';
  const enough = steps.size >= MIN_SHARED;
  if (enough && !ruledOut && agreed >= AGREE_FRACTION * shared)
    return { verdict: 'same', reason: `${place}; ${detail}`, shared, agreed, token, aliases };
  if (enough && oneAgrees)
    return {
      verdict: 'linked',
      reason: `${place}; ${oneAgrees} agrees on every shared step but other series disagree: one run written two ways, kept apart; ${detail}`,
      shared,
      agreed,
      token,
      aliases,
    };
  if (token && steps.size === 0)
    return {
      verdict: 'linked',
      reason: `${place}; no step logged in both files to compare, nothing contradicts the shared run id`,
      shared,
      agreed,
      token,
      aliases,
    };
  return {
    verdict: 'different',
    reason: `${place}, but ${enough ? 'the values disagree (different runs, e.g. two seeds)' : `too few shared steps to tell (${steps.size})`}; ${detail}`,
    shared,
    agreed,
    token,
    aliases,
  };
}

/** Which file each of a merged run's series came from. */
export interface RunPart {
  path: string;
  format: string;
  /** The run id the part had on its own. */
  id: string;
  /** Metrics the merged run takes from this file. */
  metrics: string[];
}

export interface SameRunGroup {
  /** The run that stands for the group (its id is kept). */
  primary: string;
  /** Runs merged into the primary (verdict `same`), with the reason. */
  merged: { id: string; reason: string }[];
  /** Runs tied to the primary but kept apart (verdict `linked`): shown, counted once in sweep fits. */
  linked: { id: string; reason: string }[];
  /** By run id: series that repeat another member's series under another name (left out of the merge). */
  duplicates: Record<string, string[]>;
}

/**
 * Groups of runs that are one training run, from the pairwise decisions. Only runs from different files, in the same
 * folder or sharing a run-id token, are compared. Runs in no group are not listed. The primary of a group is the
 * first given, unless another has over 10 % more points in its comparable metrics (the extension passes runs in the
 * order first seen, so a shown run keeps its id when a second file of it appears). `decide` may be a memoised
 * `decideSameRun` (the extension re-plans a folder whenever one of its files grows).
 */
export function planSameRuns(
  runs: readonly RunView[],
  decide: (a: RunView, b: RunView) => PairDecision = decideSameRun,
): SameRunGroup[] {
  const n = runs.length;
  const parent = Array.from({ length: n }, (_, i) => i);
  const find = (i: number): number => (parent[i] === i ? i : (parent[i] = find(parent[i])));
  const sameEdges: { i: number; j: number; d: PairDecision }[] = [];
  const linkEdges: { i: number; j: number; d: PairDecision }[] = [];
  // Candidate pairs: same folder, or a shared run-id token (bucketed, so the work is not quadratic in the workspace).
  const buckets = new Map<string, number[]>();
  runs.forEach((r, i) => {
    for (const key of [`dir:${dirOf(r.path)}`, ...runIdTokens(r.path).map((t) => `id:${t}`)])
      (buckets.get(key) ?? buckets.set(key, []).get(key)!).push(i);
  });
  const tried = new Set<string>();
  for (const members of buckets.values()) {
    if (members.length < 2 || members.length > 64) continue; // a folder of hundreds of logs is a sweep, not one run
    for (let x = 0; x < members.length; x++) {
      for (let y = x + 1; y < members.length; y++) {
        const i = members[x],
          j = members[y];
        const key = `${i},${j}`;
        if (tried.has(key) || runs[i].path === runs[j].path) continue;
        tried.add(key);
        const d = decide(runs[i], runs[j]);
        if (d.verdict === 'same') sameEdges.push({ i, j, d });
        else if (d.verdict === 'linked') linkEdges.push({ i, j, d });
      }
    }
  }
  // A merged group never holds two runs of one file (a file's runs are distinct by its reader).
  const filesOf = new Map<number, Set<string>>(runs.map((r, i) => [i, new Set([r.path])]));
  const unite = (i: number, j: number): boolean => {
    const a = find(i),
      b = find(j);
    if (a === b) return true;
    const fa = filesOf.get(a)!,
      fb = filesOf.get(b)!;
    for (const f of fb) if (fa.has(f)) return false;
    parent[b] = a;
    for (const f of fb) fa.add(f);
    return true;
  };
  const reasonOf = new Map<number, string>();
  const dropOf = new Map<number, Set<string>>();
  for (const e of sameEdges) {
    if (!unite(e.i, e.j)) continue;
    reasonOf.set(e.j, e.d.reason);
    if (!reasonOf.has(e.i)) reasonOf.set(e.i, e.d.reason);
    for (const [na, nb] of e.d.aliases) {
      // keep the name that says what the series is (a loss-like name over `column 2`); else the first run's
      const [k, name] = comparable(nb) && !comparable(na) ? [e.i, na] : [e.j, nb];
      (dropOf.get(k) ?? dropOf.set(k, new Set()).get(k)!).add(name);
    }
  }
  const weight = (r: RunView) =>
    Object.entries(r.metrics).reduce((s, [k, v]) => s + (comparable(k) ? v.step.length : 0), 0);
  const groups = new Map<number, number[]>();
  for (let i = 0; i < n; i++) (groups.get(find(i)) ?? groups.set(find(i), []).get(find(i))!).push(i);
  const primaryOf = new Map<number, number>();
  const out: SameRunGroup[] = [];
  const byRoot = new Map<number, SameRunGroup>();
  for (const [root, members] of groups) {
    let p = members[0];
    for (const m of members) if (weight(runs[m]) > 1.1 * weight(runs[p])) p = m;
    for (const m of members) primaryOf.set(m, p);
    if (members.length < 2) continue;
    const duplicates: Record<string, string[]> = {};
    for (const m of members) if (dropOf.get(m)?.size) duplicates[runs[m].id] = [...dropOf.get(m)!].sort();
    const g: SameRunGroup = {
      primary: runs[p].id,
      merged: members
        .filter((m) => m !== p)
        .map((m) => ({ id: runs[m].id, reason: reasonOf.get(m) ?? reasonOf.get(p) ?? '' })),
      linked: [],
      duplicates,
    };
    byRoot.set(root, g);
    out.push(g);
  }
  // Linked edges tie two groups: the one with the smaller weight is linked to the other's primary, counted once.
  const linkedDone = new Set<number>();
  for (const e of linkEdges) {
    const a = find(e.i),
      b = find(e.j);
    if (a === b) continue;
    const [keep, tie] = weight(runs[primaryOf.get(a)!]) >= weight(runs[primaryOf.get(b)!]) ? [a, b] : [b, a];
    if (linkedDone.has(tie)) continue;
    linkedDone.add(tie);
    let g = byRoot.get(keep);
    if (!g) {
      g = { primary: runs[primaryOf.get(keep)!].id, merged: [], linked: [], duplicates: {} };
      byRoot.set(keep, g);
      out.push(g);
    }
    for (const m of groups.get(tie)!) g.linked.push({ id: runs[m].id, reason: e.d.reason });
    const tg = byRoot.get(tie);
    if (tg) out.splice(out.indexOf(tg), 1); // its members are now listed as linked to `keep`
  }
  return out;
}

/**
 * The merged run's series: every metric of every member (but the `duplicates` of the group); a metric logged by several
 * files comes from the file that logged the most points of it (ties: the first member, the primary). Series objects
 * are kept as they are (no copy).
 */
export function mergeSeries<S extends { step: ArrayLike<number> }>(
  members: readonly { id: string; path: string; format: string; metrics: Record<string, S> }[],
  duplicates: Record<string, string[]> = {},
): { metrics: Record<string, S>; parts: RunPart[] } {
  const metrics: Record<string, S> = {};
  const fromOf: Record<string, number> = {};
  members.forEach((m, k) => {
    const drop = new Set(duplicates[m.id] ?? []);
    for (const [name, s] of Object.entries(m.metrics)) {
      if (drop.has(name)) continue;
      if (!metrics[name] || s.step.length > metrics[name].step.length) {
        metrics[name] = s;
        fromOf[name] = k;
      }
    }
  });
  const parts: RunPart[] = members.map((m, k) => ({
    path: m.path,
    format: m.format,
    id: m.id,
    metrics: Object.keys(fromOf)
      .filter((x) => fromOf[x] === k)
      .sort(),
  }));
  return { metrics, parts };
}
