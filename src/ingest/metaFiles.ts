/**
 * Run metadata from configuration files beside a log (`config.json`, `hparams.yaml`, `config.yaml`,
 * `args.json`) and from the run's name. Pure apart from reading those small files; never throws.
 *
 * Keys understood (first found wins, files in the order above):
 *  - parameter count: `n_params`, `num_params`, `num_parameters`, `n_parameters`, `model_params`, `params`
 *    (numbers or `125M`/`1.3B` strings); otherwise derived from `n_layer`+`n_embd`+`vocab_size`
 *    (or `num_hidden_layers`/`num_layers` + `hidden_size`/`d_model` + `vocab_size`) as 12·L·d² + V·d;
 *  - total steps: `max_steps`, `total_steps`, `train_iters`, `max_iters`, `num_iterations`;
 *  - tokens per step: `tokens_per_step`, or global batch (`global_batch_size`/`batch_size`/`total_batch_size`)
 *    × sequence length (`seq_length`/`seq_len`/`block_size`/`max_seq_length`/`sequence_length`/`max_sequence_length`).
 */
import * as fs from 'node:fs/promises';
import * as nodePath from 'node:path';
import type { Provenance, RunMeta, Sourced } from './types';
import { parseCount, parseNumber } from './numbers';
import { paramsFromName } from './metaLines';

export const SIDECAR_FILES = ['config.json', 'hparams.yaml', 'config.yaml', 'args.json'];
const MAX_SIDECAR_BYTES = 1 << 20;

/**
 * Approximate parameter count of a GPT-style decoder from its shape: 12·L·d² (attention + 4d MLP, Kaplan et
 * al. 2020, "Scaling Laws for Neural Language Models", §2.1) + V·d (tied token embedding). Undefined unless
 * all three are positive finite numbers.
 */
export function paramsFromShape(layers?: number, width?: number, vocab?: number): number | undefined {
  if (!(layers! > 0 && width! > 0 && vocab! > 0)) return undefined;
  return 12 * layers! * width! * width! + vocab! * width!;
}

/** Flat key → scalar view of a JSON object (nested keys by their last component; first occurrence wins). */
function flattenJson(v: unknown, out: Record<string, unknown> = {}, depth = 0): Record<string, unknown> {
  if (depth > 6 || v === null || typeof v !== 'object') return out;
  for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
    if (x !== null && typeof x === 'object' && !Array.isArray(x)) flattenJson(x, out, depth + 1);
    else if (!(k in out)) out[k] = x;
  }
  return out;
}

/** Flat `key: value` view of a simple YAML file (nesting ignored; quotes stripped; first occurrence wins). */
export function flattenYaml(text: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const line of text.split(/\r?\n/)) {
    const m = /^\s*([A-Za-z_][\w.-]*)\s*:\s*(.*?)\s*$/.exec(line);
    if (!m || m[2] === '' || m[2].startsWith('#') || m[1] in out) continue;
    let v = m[2].replace(/\s+#.*$/, '');
    if (/^(['"]).*\1$/.test(v)) v = v.slice(1, -1);
    out[m[1]] = v;
  }
  return out;
}

function num(v: unknown): number | undefined {
  if (typeof v === 'number') return Number.isFinite(v) ? v : undefined;
  if (typeof v === 'string') return parseNumber(v.replace(/_/g, '')) ?? parseCount(v);
  return undefined;
}

function first(flat: Record<string, unknown>, keys: string[]): [string, number] | undefined {
  for (const k of keys) {
    const v = num(flat[k]);
    if (v !== undefined && v > 0) return [k, v];
  }
  return undefined;
}

/** Metadata found in one flattened config. */
export function metaFromConfig(flat: Record<string, unknown>, file: string): Partial<RunMeta> {
  const meta: Partial<RunMeta> = {};
  const src = (how: string): Provenance => ({ path: file, how: `${nodePath.basename(file)} ${how}` });
  const p = first(flat, [
    'n_params',
    'num_params',
    'num_parameters',
    'n_parameters',
    'model_params',
    'params',
    'parameters',
  ]);
  if (p) meta.params = { value: p[1], source: src(p[0]) };
  else {
    const L = first(flat, ['n_layer', 'num_hidden_layers', 'num_layers', 'n_layers']);
    const d = first(flat, ['n_embd', 'hidden_size', 'd_model', 'n_embed']);
    const V = first(flat, ['vocab_size', 'padded_vocab_size']);
    const n = paramsFromShape(L?.[1], d?.[1], V?.[1]);
    if (n !== undefined) meta.params = { value: n, source: src(`${L![0]}, ${d![0]}, ${V![0]} (12·L·d² + V·d)`) };
  }
  const steps = first(flat, ['max_steps', 'total_steps', 'train_iters', 'max_iters', 'num_iterations', 'max_duration']);
  if (steps) meta.totalSteps = { value: steps[1], source: src(steps[0]) };
  const tps = first(flat, ['tokens_per_step']);
  const gbs = first(flat, ['global_batch_size', 'total_batch_size', 'global_train_batch_size', 'batch_size']);
  const seq = first(flat, [
    'seq_length',
    'seq_len',
    'block_size',
    'max_seq_length',
    'sequence_length',
    'max_sequence_length',
  ]);
  if (tps) meta.tokensPerStep = { value: tps[1], source: src(tps[0]) };
  else if (gbs && seq) meta.tokensPerStep = { value: gbs[1] * seq[1], source: src(`${gbs[0]} × ${seq[0]}`) };
  const hp: Record<string, Sourced<string | number | boolean>> = {};
  for (const [k, v] of Object.entries(flat)) {
    if (Object.keys(hp).length >= 200) break;
    if (typeof v === 'number' || typeof v === 'boolean' || (typeof v === 'string' && v.length <= 200))
      hp[k] = { value: v, source: src(k) };
  }
  if (Object.keys(hp).length) meta.hparams = hp;
  return meta;
}

/** Reads and flattens one sidecar file; undefined when missing, too big or unparsable. */
async function readSidecar(file: string): Promise<Record<string, unknown> | undefined> {
  try {
    const st = await fs.stat(file);
    if (!st.isFile() || st.size > MAX_SIDECAR_BYTES) return undefined;
    const text = await fs.readFile(file, 'utf8');
    if (file.endsWith('.json')) return flattenJson(JSON.parse(text));
    return flattenYaml(text);
  } catch {
    return undefined;
  }
}

/** Metadata from the config files in `dir` (see module doc). Empty when none is found. */
export async function metaFromSidecars(dir: string): Promise<Partial<RunMeta>> {
  const merged: Partial<RunMeta> = {};
  for (const name of SIDECAR_FILES) {
    const flat = await readSidecar(nodePath.join(dir, name));
    if (!flat) continue;
    mergeMeta(merged, metaFromConfig(flat, nodePath.join(dir, name)));
  }
  return merged;
}

/** Parameter count from the run's file or folder names (`gpt-125M/train.log`), lowest priority. */
export function metaFromRunName(path: string): Partial<RunMeta> {
  const base = nodePath.basename(path);
  const parent = nodePath.basename(nodePath.dirname(path));
  for (const name of [base, parent]) {
    const n = paramsFromName(name);
    if (n !== undefined && n > 0) return { params: { value: n, source: { path, how: `run name "${name}"` } } };
  }
  return {};
}

/** Fills in `into` whatever it lacks from `from` (values already present — e.g. from the log — win). */
export function mergeMeta(into: RunMeta | Partial<RunMeta>, from: Partial<RunMeta>): void {
  const keys = ['params', 'nonEmbeddingParams', 'totalSteps', 'tokensPerStep', 'totalTokens'] as const;
  for (const k of keys) if (!into[k] && from[k]) into[k] = from[k];
  if (from.hparams) {
    const h = (into.hparams ??= {});
    for (const [k, v] of Object.entries(from.hparams)) if (!(k in h)) h[k] = v;
  }
  if (!into.name && from.name) into.name = from.name;
}
