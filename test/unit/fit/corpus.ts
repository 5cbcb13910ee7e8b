/**
 * Loader for the corpus of real LM training curves (test/fixtures/curves/: index.json, split.json, one file per
 * curve) and for the shared LR-schedule runs, as plain {id, family, x, y} curves for backtests (the unit
 * calibration test and `npm run backtest`). SCALING_LENS_CURVES overrides the corpus directory (for runs before
 * the corpus is merged). Tolerant of the index layout: an array or { curves: [...] }, entries naming their file
 * under `file`/`path`, CSV (a step/tokens column and a loss column) or JSON ({x|step|steps, y|loss}).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { REPO, SHARED_DATA } from '../helpers/paths';
import { readCsv } from './curve-data';

export interface Curve {
  id: string;
  family: string;
  /** model size (parameters) when known */
  size?: number;
  x: number[];
  y: number[];
  /** LR series when logged */
  lr?: number[];
  /** planned total steps and schedule name, when the corpus records them */
  plannedTotal?: number;
  schedule?: string;
  /** the corpus's domain (e.g. lm-pretraining) and tags (e.g. eval-metric), when it records them */
  domain?: string;
  tags?: string[];
  split: Split;
}

/**
 * dev; the first collection's hold-out; the second collection's own hold-out; the third, the fourth (LM
 * pre-training), the fifth (LM pre-training) and the sixth (LM training, mostly pre-training from scratch)
 * collections, each blind as a whole
 * (test/fixtures/curves/split.json)
 */
export type Split =
  | 'dev'
  | 'holdout'
  | 'holdout2'
  | 'holdout3'
  | 'holdout4'
  | 'holdout5'
  | 'holdout6'
  | 'holdout7'
  | 'holdout8'
  | 'holdout9'
  | 'holdout10'
  | 'holdout11'
  | 'holdout12'
  | 'holdout13'
  | 'holdout14'
  | 'holdout15'
  | 'holdout16'
  | 'holdout17'
  | 'holdout18'
  | 'holdout19'
  | 'holdout20'
  | 'holdout21'
  | 'holdout22'
  | 'holdout23'
  | 'holdout24';
export const SPLITS: readonly string[] = [
  'dev',
  'holdout',
  'holdout2',
  'holdout3',
  'holdout4',
  'holdout5',
  'holdout6',
  'holdout7',
  'holdout8',
  'holdout9',
  'holdout10',
  'holdout11',
  'holdout12',
  'holdout13',
  'holdout14',
  'holdout15',
  'holdout16',
  'holdout17',
  'holdout18',
  'holdout19',
  'holdout20',
  'holdout21',
  'holdout22',
  'holdout23',
  'holdout24',
];

/**
 * The scored hold-outs the band table is calibrated on (`bench/backtest.ts --calibrate --pool`, with dev and the
 * shared LR-schedule runs): every one from holdout to holdout16 (since session 25, when the dense-prefix burn-in was
 * adopted; before, holdout … holdout7). Not holdout17, scored once for that judgement and kept out to check the band
 * on, nor holdout18 (scored once, after the band was set), nor holdout19 (scored once, for study 7's judgement), nor
 * holdout20, holdout21, holdout22, holdout23 nor holdout24 (each scored once, after the band was set).
 */
export const CALIBRATION_HOLDOUTS: readonly Split[] = SPLITS.slice(
  SPLITS.indexOf('holdout'),
  SPLITS.indexOf('holdout17'),
) as Split[];

/**
 * Hold-outs still blind, kept for the lead's one scoring: corpusCurves serves them when asked by name (the backtest's
 * explicit `--split`), but no study's pool may load them. holdout10 (scored once at 44ad773) and holdout11 (scored
 * once at 32d70e0, session 20) are no longer blind, nor is holdout12 (the twelfth collection, 14 curves, scored once at
 * 5ccbbc7, session 21), nor holdout13 (the thirteenth collection, 25 curves, scored once at c0b9f93, session 22).
 * nor holdout14 (the fourteenth collection, 17 curves, scored once at c8ecdbf, session 23), nor holdout15 (the
 * fifteenth collection, 6 curves, scored once at 51c1f59, session 24, with study 4's C5 judged on it), nor holdout16
 * (the sixteenth collection, 10 curves, scored once at de08bf9, session 24), nor holdout17 (the seventeenth
 * collection, 11 curves, scored once at 2b17fca, session 25, with study 6's C7 judged on it), nor holdout18 (the
 * eighteenth collection, 2 curves of one family, scored once at 91e74fa, session 26), nor holdout19 (the nineteenth
 * collection, 6 curves of two families, scored once at a0b2341, session 27, with study 7's C8b judged on it), nor
 * holdout20 (the twentieth collection, 6 curves of two families, scored once at 0ef0cdd, session 28), nor holdout21
 * (the twenty-first collection, 2 curves of two families, scored once at 502f440, session 29), nor holdout22 (the
 * twenty-second collection, 19 curves of 19 families taken from the real-log corpus, 17 of them fine-tunes, scored once
 * at d606ba2, session 30), nor holdout23 (the twenty-third collection, 4 curves of 4 families from the real-log
 * corpus's batch 29, 3 of them fine-tunes, scored once at a7b24e5, session 31), nor holdout24 (the twenty-fourth
 * collection, 7 curves of 7 families from the real-log corpus's batch 30, 2 fine-tunes, 3 seq2seq and 2 masked-LM
 * trainings, scored once at 0435bf6, session 33). A new collection goes here until its one scoring.
 */
export const BLIND_SPLITS: readonly Split[] = [];

/** The splits a study may pool: every split of the corpus but the blind ones. */
export const POOLABLE_SPLITS: readonly Split[] = SPLITS.filter((s) => !BLIND_SPLITS.includes(s as Split)) as Split[];

export const CORPUS_DIR = process.env.SCALING_LENS_CURVES ?? path.join(REPO, 'test', 'fixtures', 'curves');

type Entry = Record<string, unknown>;

function entries(): Entry[] {
  const p = path.join(CORPUS_DIR, 'index.json');
  if (!fs.existsSync(p)) return [];
  const j = JSON.parse(fs.readFileSync(p, 'utf8')) as unknown;
  const arr = Array.isArray(j)
    ? j
    : ((j as { curves?: unknown[] }).curves ??
      Object.entries(j as object).map(([id, v]) => ({ id, ...(v as object) })));
  return (arr as Entry[]).filter((e) => e && typeof e === 'object');
}

function splitOf(): Map<string, Split> {
  const p = path.join(CORPUS_DIR, 'split.json');
  const out = new Map<string, Split>();
  if (!fs.existsSync(p)) return out;
  const raw = JSON.parse(fs.readFileSync(p, 'utf8')) as Record<string, unknown>;
  const j = (raw.assignments && typeof raw.assignments === 'object' ? raw.assignments : raw) as Record<string, unknown>;
  for (const [k, v] of Object.entries(j)) {
    if (SPLITS.includes(k) && Array.isArray(v)) for (const id of v) out.set(String(id), k as Split);
    else if (typeof v === 'string' && SPLITS.includes(v)) out.set(k, v as Split);
  }
  return out;
}

function readSeries(file: string, e: Entry): { x: number[]; y: number[]; lr?: number[] } {
  const text = fs.readFileSync(file, 'utf8');
  if (file.endsWith('.json')) {
    const j = JSON.parse(text) as Record<string, number[]>;
    const x = j.x ?? j.step ?? j.steps ?? j.tokens,
      y = j.y ?? j.loss ?? j.value ?? j.values;
    return { x: x.map(Number), y: y.map(Number) };
  }
  const { header, rows } = readCsv(file);
  const h = header.map((s) => s.trim().toLowerCase());
  const want = (names: string[]) => names.map((n) => h.indexOf(n)).find((i) => i >= 0) ?? -1;
  const xCol =
    typeof e.x === 'string' && h.includes(String(e.x).toLowerCase())
      ? h.indexOf(String(e.x).toLowerCase())
      : want(['step', 'steps', 'iter', 'iteration', 'tokens', 'x']);
  const yCol =
    typeof e.y === 'string' && h.includes(String(e.y).toLowerCase())
      ? h.indexOf(String(e.y).toLowerCase())
      : want(['loss', 'val_loss', 'train_loss', 'value', 'y']);
  const lrCol = want(['lr', 'learning_rate']);
  const x: number[] = [],
    y: number[] = [],
    lr: number[] = [];
  for (const r of rows) {
    const a = Number(r[xCol]),
      b = Number(r[yCol]);
    if (!Number.isFinite(a) || !Number.isFinite(b)) continue;
    x.push(a);
    y.push(b);
    if (lrCol >= 0) lr.push(Number(r[lrCol]));
  }
  return { x, y, ...(lrCol >= 0 ? { lr } : {}) };
}

/** Corpus curves of one split (never read the other split's values while developing). */
export function corpusCurves(split: Split): Curve[] {
  const sp = splitOf();
  const out: Curve[] = [];
  for (const e of entries()) {
    const id = String(e.id ?? e.name ?? e.file ?? e.path);
    const s = sp.get(id) ?? (typeof e.split === 'string' && SPLITS.includes(e.split) ? (e.split as Split) : undefined);
    if (s !== split) continue;
    const rel = String(e.file ?? e.path ?? `${id}.csv`);
    const file = path.join(CORPUS_DIR, rel);
    if (!fs.existsSync(file)) continue;
    const ser = readSeries(file, e);
    const size = Number(e.params ?? e.size ?? e.n_params ?? NaN);
    if (e.split !== undefined && e.split !== split && !sp.has(id)) continue;
    const T = Number(e.planned_total_steps ?? NaN);
    out.push({
      id,
      family: String(e.family ?? e.model_family ?? id.split(/[/_-]/)[0]),
      ...(Number.isFinite(size) && size > 0 ? { size } : {}),
      ...ser,
      split,
      ...(Number.isFinite(T) && T > 0 ? { plannedTotal: T } : {}),
      ...(typeof e.schedule === 'string' ? { schedule: e.schedule } : {}),
      ...(typeof e.domain === 'string' ? { domain: e.domain } : {}),
      ...(Array.isArray(e.tags) ? { tags: e.tags.map(String) } : {}),
    });
  }
  return out;
}

/** The shared LR-schedule runs (Luo et al. 2025 data): 18 full runs, used as dev curves. */
export function scheduleCurves(): Curve[] {
  const out: Curve[] = [];
  for (const size of ['25M', '100M']) {
    const dir = path.join(SHARED_DATA, 'lr-schedules', size);
    if (!fs.existsSync(dir)) continue;
    for (const f of fs
      .readdirSync(dir)
      .filter((n) => n.endsWith('.csv'))
      .sort()) {
      const { header, rows } = readCsv(path.join(dir, f));
      const c = (n: string) => header.indexOf(n);
      out.push({
        id: `lr-schedules/${size}/${f.replace(/\.csv$/, '')}`,
        family: `lr-schedules-${size}`,
        size: size === '25M' ? 25e6 : 100e6,
        x: rows.map((r) => Number(r[c('step')])),
        y: rows.map((r) => Number(r[c('loss')])),
        lr: rows.map((r) => Number(r[c('lr')])),
        // complete runs to their planned end (Luo et al. 2025; most file names state the length, e.g.
        // cosine_24000): the final step is the planned total a user's log would state
        plannedTotal: Number(rows[rows.length - 1][c('step')]),
        split: 'dev',
      });
    }
  }
  return out;
}
