/**
 * Key/value table logs: one ASCII table per record, between rules of dashes, one `| key | value |` row per
 * metric — the human-readable output of OpenAI baselines' logger (`logger.dumpkvs()`, next to its progress.csv)
 * and of Stable-Baselines3, whose rows may be grouped under section rows with an empty value (`| time/ |  |`,
 * then `|    total_timesteps | 2000 |`: the key is `time/total_timesteps`). Pure (no `vscode`). Text reader.
 *
 * A record is the rows between two rules. Its step is a step key (`step`, `iteration`, …), a namespaced step
 * counter (`total/steps`, `time/total_timesteps`) or the top-level running total of baselines and Stable-Baselines 2
 * (`total_timesteps`, `TimestepsSoFar`); without one, the record order. Values are printed with a few
 * significant digits (`-1.23e+03`), so they are kept as printed. Where the step goes back (a resume appended to
 * the same file), each series keeps the last value written for each step, as every reader does; where it goes back
 * to the start with keys the training never printed (Stable-Baselines3's PPO tables, then DQN's with
 * `exploration_rate` and `episodes`), another training starts: a run of its own (`#training N` for the earlier).
 * Rows before the first rule are a fragment of a record whose head is not in the file (a log kept from its tail):
 * they do not decide the step key; with a step key they are skipped (no step), without one they are the first record.
 */
import type { LineParser, Sniff, TextReader } from '../reader';
import { diag } from '../reader';
import type { Diagnostic, ParseResult } from '../types';
import { RunBuilder, sourced } from '../structuredRun';
import { pickStepKey, recordOrderAxis, stepAxisOf } from '../stepAxis';
import { sniffLines } from '../csvUtil';
import { namespacedStep } from './csv';

/** `| key | value |`: exactly two cells. */
const ROW = /^\s*\|([^|]*)\|([^|]*)\|\s*$/;
/** A rule of dashes (at least 8) between records. */
const RULE = /^\s*-{8,}\s*$/;
const NUMBER = /^[-+]?(?:\d+\.?\d*|\.\d+)(?:e[-+]?\d+)?$|^[-+]?(?:nan|inf)$/i;

const MAX_DIAGNOSTICS = 200;
/**
 * The running total of environment steps that OpenAI baselines' logger and Stable-Baselines 2 print at the top level
 * of their tables (`| total_timesteps | 57472 |`, ppo1/trpo's `| TimestepsSoFar | 2048 |`), as Stable-Baselines3 prints
 * `time/total_timesteps`: the step when no step key is printed (not `serial_timesteps`, one environment's count).
 */
const RUNNING_TOTAL = /^(?:total_timesteps|timesteps_?so_?far)$/i;
/**
 * The timesteps a training was asked for, stated before its first table: the argument of Stable-Baselines'
 * `model.learn(total_timesteps=100000)` (echoed by a notebook, printed in a config, `total_timesteps: 100000`), or a
 * banner line of its own `Timesteps: 50,000`. The planned total when the tables are keyed by a timesteps counter
 * (`num_timesteps=` of an evaluation line is the count so far, not a plan).
 */
const PLANNED_TIMESTEPS = /(?<![\w.])['"]?total_timesteps['"]?\s*[=:]\s*(\d[\d_,]*)(?![\d.])/i;
const TIMESTEPS_LINE = /^\s*(?:total\s+)?timesteps\s*[:=]\s*(\d[\d_,]*)\s*$/i;

export class KvTableParser implements LineParser {
  private b: RunBuilder;
  /** The earlier trainings' builders (`#training N`), when the file holds several (`record`). */
  private earlier: { b: RunBuilder; backs: number }[] = [];
  /** The current training's first step and the keys its records printed. */
  private firstStep = NaN;
  private keys = new Set<string>();
  private rec: [string, number][] = [];
  private section = '';
  private records = 0;
  private stepKey: string | null | undefined;
  private backs = 0;
  private lastStep = -Infinity;
  private diagnostics: Diagnostic[] = [];
  /** A rule has been seen: the rows since then are a whole record. */
  private ruled = false;
  /** The last planned total of timesteps stated before the first record (`learn(total_timesteps=100000)`). */
  private plan: { value: number; line: number } | undefined;
  /** The rows before the first rule, kept until a whole record decides the step key. */
  private fragment: { rec: [string, number][]; lineNo: number } | null = null;

  constructor(
    private readonly path: string,
    private readonly maxSeriesPoints?: number,
  ) {
    this.b = new RunBuilder(path, 'kv-table', path, {}, maxSeriesPoints);
  }

  line(text: string, lineNo: number): void {
    if (RULE.test(text)) {
      this.flush(lineNo);
      return;
    }
    const m = ROW.exec(text);
    if (!m) {
      // a planned total of timesteps stated before the first record (see PLANNED_TIMESTEPS)
      if (!this.records && !this.rec.length && text.length < 4096) {
        const p = PLANNED_TIMESTEPS.exec(text) ?? TIMESTEPS_LINE.exec(text);
        const v = p ? Number(p[1].replace(/[,_]/g, '')) : NaN;
        if (v > 0) this.plan = { value: v, line: lineNo };
      }
      return;
    }
    const key = m[1].trim();
    const val = m[2].trim();
    if (!key) return;
    if (val === '') {
      // a section row (`| time/ |  |`): the keys below it are under it
      this.section = key.replace(/\/+$/, '');
      return;
    }
    if (!NUMBER.test(val)) return;
    const indented = /^\s{2,}\S/.test(m[1]);
    this.rec.push([this.section && indented ? `${this.section}/${key}` : key, Number(val)]);
  }

  private flush(lineNo: number): void {
    this.section = '';
    const ruled = this.ruled;
    this.ruled = true;
    if (!this.rec.length) return;
    const rec = this.rec;
    this.rec = [];
    if (!ruled) {
      this.fragment = { rec, lineNo };
      return;
    }
    this.record(rec, lineNo);
  }

  private record(rec: [string, number][], lineNo: number): void {
    if (this.stepKey === undefined) {
      // decided on the first record: a step key, else a namespaced step counter, else record order
      const keys = rec.map(([k]) => k);
      this.stepKey =
        pickStepKey(keys) ?? keys[namespacedStep(keys)] ?? keys.find((k) => RUNNING_TOTAL.test(k.trim())) ?? null;
      const where = { path: this.path, line: lineNo };
      this.b.run.meta.stepAxis = this.stepKey
        ? stepAxisOf(this.stepKey, { ...where, how: `table row "${this.stepKey}"` })
        : recordOrderAxis({ ...where, how: 'no step row: record order' });
      if (this.plan && this.stepKey && /timesteps/i.test(this.stepKey))
        this.b.run.meta.totalSteps = sourced(this.plan.value, this.path, 'planned timesteps stated before the tables', {
          line: this.plan.line,
        });
    }
    const fragment = this.fragment;
    this.fragment = null;
    if (fragment) this.record(fragment.rec, fragment.lineNo);
    let step = this.records;
    if (this.stepKey) {
      const s = rec.find(([k]) => k === this.stepKey);
      if (!s || !Number.isFinite(s[1])) {
        if (this.diagnostics.length < MAX_DIAGNOSTICS)
          this.diagnostics.push(diag(this.path, `record without ${this.stepKey}: skipped`, { line: lineNo }));
        return;
      }
      step = s[1];
    }
    this.records++;
    if (step < this.lastStep) {
      // back to the start with keys the training never printed (`| rollout/ | exploration_rate |`, `episodes` after
      // PPO's tables): another algorithm or agent trained after the first, a run of its own; a resume of the same
      // training prints the same keys
      if (step <= this.firstStep && rec.some(([k]) => !this.keys.has(k))) this.nextTraining();
      else this.backs++;
    }
    if (Number.isNaN(this.firstStep)) this.firstStep = step;
    for (const [k] of rec) this.keys.add(k);
    this.lastStep = step;
    for (const [k, v] of rec) if (k !== this.stepKey) this.b.add(k, step, v);
  }

  /** Starts the next training: the current one is kept as `#training N`, a new builder takes the records. */
  private nextTraining(): void {
    this.earlier.push({ b: this.b, backs: this.backs });
    this.b.run.id = `${this.path}#training ${this.earlier.length}`;
    const meta = this.b.run.meta;
    this.b = new RunBuilder(this.path, 'kv-table', this.path, {}, this.maxSeriesPoints);
    this.b.run.meta.stepAxis = meta.stepAxis;
    this.backs = 0;
    this.firstStep = NaN;
    this.keys = new Set();
  }

  result(): ParseResult {
    if (this.fragment) {
      // no whole record followed: the fragment is all there is
      const { rec, lineNo } = this.fragment;
      this.fragment = null;
      this.record(rec, lineNo);
    }
    if (!this.records) return { runs: [], diagnostics: this.diagnostics };
    const earlier = this.earlier.map((e) => (e.backs ? e.b.lastWritesRun() : e.b.run));
    const split = earlier.length
      ? [
          diag(
            this.path,
            `${earlier.length + 1} trainings in this file, one after another: the step goes back to the start with keys the earlier training never printed (another algorithm or agent); each is its own run`,
            {},
            'info',
          ),
        ]
      : [];
    if (!this.backs) return { runs: [...earlier, this.b.run], diagnostics: [...this.diagnostics, ...split] };
    const run = this.b.lastWritesRun();
    return {
      runs: [...earlier, run],
      diagnostics: [
        ...this.diagnostics,
        ...split,
        diag(
          this.path,
          `the step goes back ${this.backs} time${this.backs > 1 ? 's' : ''} (a resume in the same file): every record was read; each series keeps the last value written for each step`,
          {},
          'info',
        ),
      ],
    };
  }
}

/**
 * NUL bytes other than one run at the end: a binary file. The run at the end is the padding a file system leaves in a
 * log when the machine crashed while it was written (the file's size was set, its last block never written).
 */
function nulInside(b: Uint8Array): boolean {
  const first = b.indexOf(0);
  if (first < 0) return false;
  for (let i = first + 1; i < b.length; i++) if (b[i] !== 0) return true;
  return false;
}

/** Rules of dashes and two-cell `| key | value |` rows with numbers, in at least two records. */
export function detectKvTable(sniff: Sniff): number {
  if (nulInside(sniff.head)) return 0;
  const lines = sniffLines(sniff.text, 4000);
  let rows = 0;
  let numeric = 0;
  let closed = 0;
  let inRecord = false;
  for (const l of lines) {
    if (RULE.test(l)) {
      if (inRecord) closed++;
      inRecord = false;
      continue;
    }
    const m = ROW.exec(l);
    if (!m) continue;
    rows++;
    inRecord = true;
    if (NUMBER.test(m[2].trim())) numeric++;
  }
  if (closed < 2 || numeric < 4 || numeric < 0.5 * rows) return 0;
  return 0.7;
}

export const kvTableReader: TextReader = {
  format: 'kv-table',
  kind: 'text',
  detect: detectKvTable,
  create: (path, o) => new KvTableParser(path, o?.maxSeriesPoints),
};
