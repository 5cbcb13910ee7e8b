#!/usr/bin/env node
// Writes the bundled demo workspace (`sample-workspace/`) and the small test fixture workspace
// (`test/fixtures/workspace/`) from a fixed seed: the same input always gives byte-identical files.
//
// The runs are synthetic but every line copies a real trainer's format (see /work/shared/data/logs):
// nanoGPT stdout, Megatron-DeepSpeed stdout, Hugging Face `trainer_state.json`, LLaMA-Factory
// `trainer_log.jsonl` and a Lightning CSVLogger `metrics.csv`. Final losses follow the Chinchilla law
//   L(N, D) = 1.69 + 406.4 / N^0.34 + 410.7 / D^0.28        (Hoffmann et al. 2022, approach 3)
// and within a run the loss follows the same law in tokens seen, softly capped at ln(vocab) early on,
// plus a small "cosine not yet annealed" excess that vanishes at the end of the schedule.
//
// Usage: node scripts/make-sample-workspace.mjs [--only sample|fixtures] [--check]
//   --check  regenerate into memory and fail if the committed files differ (for CI).
// The live appender (scripts/live-appender.mjs) imports the curve and nanoGPT line writers from here.
import { mkdirSync, writeFileSync, rmSync, readFileSync, existsSync, readdirSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
export const REPO = path.resolve(here, '..');

// ---------------------------------------------------------------------------------------------------
// The law, the schedule, the curve.

export const LAW = { E: 1.69, A: 406.4, alpha: 0.34, B: 410.7, beta: 0.28 };
export const VOCAB = 50304; // GPT-2 vocabulary padded to a multiple of 64/128, as nanoGPT and Megatron do

export function chinchilla(N, D) {
  return LAW.E + LAW.A / N ** LAW.alpha + LAW.B / D ** LAW.beta;
}

/** Loss after `tokens` tokens of a run with N parameters; `lrFrac` = (lr − min_lr)/(max_lr − min_lr) ∈ [0, 1]. */
export function curve(N, tokens, lrFrac = 0) {
  const base = LAW.E + LAW.A / N ** LAW.alpha;
  const data = tokens > 0 ? LAW.B / tokens ** LAW.beta : Infinity;
  const cap = Math.log(VOCAB) + 0.15 - base; // an untrained model sits at ≈ ln(vocab)
  const p = 4;
  const soft = Number.isFinite(data) ? (data ** -p + cap ** -p) ** (-1 / p) : cap;
  return base + soft + 0.12 * Math.max(0, Math.min(1, lrFrac)) * Math.min(data, cap);
}

/** nanoGPT / Megatron cosine schedule with linear warmup, decaying to min_lr at `decayIters`. */
export function cosineLr(it, { lr, minLr, warmup, decayIters }) {
  if (it < warmup) return (lr * (it + 1)) / (warmup + 1);
  if (it > decayIters) return minLr;
  const ratio = (it - warmup) / (decayIters - warmup);
  return minLr + 0.5 * (1 + Math.cos(Math.PI * ratio)) * (lr - minLr);
}

/** nanoGPT's parameter count (`get_num_params`, bias=False, position embeddings excluded). */
export function gptParams({ nLayer, nEmbd, vocab = VOCAB }) {
  return 12 * nLayer * nEmbd * nEmbd + (2 * nLayer + 1) * nEmbd + vocab * nEmbd;
}

export const MODELS = {
  '20M': { nLayer: 6, nHead: 6, nEmbd: 288 },
  '45M': { nLayer: 6, nHead: 8, nEmbd: 512 },
  '85M': { nLayer: 14, nHead: 9, nEmbd: 576 },
  '159M': { nLayer: 17, nHead: 12, nEmbd: 768 },
  '354M': { nLayer: 24, nHead: 16, nEmbd: 1024 },
};
for (const m of Object.values(MODELS)) m.N = gptParams(m);

// ---------------------------------------------------------------------------------------------------
// Deterministic noise: a hash of (seed, step, channel), so any line can be regenerated on its own
// (the live appender continues a file with exactly the values a full generation would have written).

function fnv1a(str) {
  let h = 0x811c9dc5;
  for (let i = 0; i < str.length; i++) {
    h ^= str.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}
function mulberry32(a) {
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
/** Standard normal for (seed, step, channel). */
export function gauss(seed, step, channel) {
  const r = mulberry32(fnv1a(`${seed}|${step}|${channel}`));
  r(); // decorrelate neighbouring seeds
  const u = Math.max(r(), 1e-12),
    v = r();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

// ---------------------------------------------------------------------------------------------------
// Number formatting exactly as Python prints it.

/** Python `repr(float)` (also what `json.dumps` writes). */
export function pyRepr(x) {
  if (Number.isNaN(x)) return 'NaN';
  if (!Number.isFinite(x)) return x > 0 ? 'Infinity' : '-Infinity';
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  const [m, e] = x.toExponential().split('e');
  const exp = Number(e);
  const neg = m[0] === '-';
  const digits = m.replace('-', '').replace('.', '');
  let s;
  if (exp < -4 || exp >= 16) {
    s =
      (digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits) +
      'e' +
      (exp < 0 ? '-' : '+') +
      String(Math.abs(exp)).padStart(2, '0');
  } else if (exp >= 0) {
    s =
      digits.length <= exp + 1
        ? digits + '0'.repeat(exp + 1 - digits.length) + '.0'
        : `${digits.slice(0, exp + 1)}.${digits.slice(exp + 1)}`;
  } else {
    s = '0.' + '0'.repeat(-exp - 1) + digits;
  }
  return (neg ? '-' : '') + s;
}
/** Python `'{:.pE}'.format(x)`. */
export function pyE(x, p) {
  if (Number.isNaN(x)) return 'NAN';
  if (!Number.isFinite(x)) return x > 0 ? 'INF' : '-INF';
  const [m, e] = x.toExponential(p).split('e');
  const n = Number(e);
  return `${m}E${n < 0 ? '-' : '+'}${String(Math.abs(n)).padStart(2, '0')}`;
}
/** Python `'{:.pf}'.format(x)` (nan → 'nan'). */
export function pyF(x, p) {
  if (Number.isNaN(x)) return 'nan';
  if (!Number.isFinite(x)) return x > 0 ? 'inf' : '-inf';
  return x.toFixed(p);
}
const comma = (n) => n.toLocaleString('en-US');
const pad = (n, w) => String(n).padStart(w);
const round = (x, p) => Math.round(x * 10 ** p) / 10 ** p;
const f32 = (x) => Math.fround(x);

/** A float for `pyJson` (JS cannot tell 61440 from 61440.0). */
class PyFloat {
  constructor(v) {
    this.v = v;
  }
}
const F = (v) => new PyFloat(v);

/** Python `json.dumps(obj, indent, sort_keys)`; plain numbers must be integers, floats go through F(). */
export function pyJson(v, { indent, sortKeys = false } = {}, depth = 0) {
  const nl = indent === undefined ? '' : '\n' + ' '.repeat(indent * (depth + 1));
  const end = indent === undefined ? '' : '\n' + ' '.repeat(indent * depth);
  const sep = indent === undefined ? ', ' : ',';
  if (v === null || v === undefined) return 'null';
  if (v instanceof PyFloat) return pyRepr(v.v);
  if (typeof v === 'number') {
    if (!Number.isInteger(v)) throw new Error(`float without F(): ${v}`);
    return String(v);
  }
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'string') return JSON.stringify(v);
  if (Array.isArray(v)) {
    if (!v.length) return '[]';
    return '[' + v.map((x) => nl + pyJson(x, { indent, sortKeys }, depth + 1)).join(sep) + end + ']';
  }
  let keys = Object.keys(v);
  if (sortKeys) keys = keys.sort();
  if (!keys.length) return '{}';
  return (
    '{' +
    keys.map((k) => nl + JSON.stringify(k) + ': ' + pyJson(v[k], { indent, sortKeys }, depth + 1)).join(sep) +
    end +
    '}'
  );
}

/** `str(datetime.timedelta(seconds=int(s)))`. */
function timedelta(s) {
  s = Math.max(0, Math.floor(s));
  const d = Math.floor(s / 86400),
    h = Math.floor((s % 86400) / 3600),
    m = Math.floor((s % 3600) / 60),
    sec = s % 60;
  const hms = `${h}:${String(m).padStart(2, '0')}:${String(sec).padStart(2, '0')}`;
  return d ? `${d} day${d > 1 ? 's' : ''}, ${hms}` : hms;
}

function datetimeStr(epochSec) {
  const d = new Date(epochSec * 1000);
  return d.toISOString().replace('T', ' ').slice(0, 19);
}

// ---------------------------------------------------------------------------------------------------
// Common run model: losses, learning rate, grad norm, all functions of the optimizer step.

const A100_BF16 = 312e12;

function grad(seed, it, total, extra = 0) {
  const g = 0.22 + 1.6 * Math.exp(-it / (0.04 * total + 20)) + 0.25 * Math.exp(-it / (0.3 * total));
  return Math.max(0.05, g * (1 + 0.08 * gauss(seed, it, 'g')) + extra);
}

/** Perturbations for the "problems" runs: a loss spike that recovers, or a divergence to NaN. */
function incident(run, it) {
  let dLoss = 0,
    dGrad = 0,
    nan = false;
  if (run.spikeAt !== undefined && it >= run.spikeAt) {
    const k = it - run.spikeAt;
    const rise = Math.min(1, (k + 1) / 12);
    dLoss = rise * 1.9 * Math.exp(-Math.max(0, k - 12) / 140) + 0.025;
    dGrad = rise * 35 * Math.exp(-Math.max(0, k - 12) / 50);
  }
  if (run.nanAt !== undefined) {
    if (it >= run.nanAt) nan = true;
    else if (it >= run.nanAt - 120) {
      const k = it - (run.nanAt - 120);
      dLoss = 0.004 * k + 0.00012 * k * k;
      dGrad = 0.1 * k;
    }
  }
  return { dLoss, dGrad, nan };
}

// ---------------------------------------------------------------------------------------------------
// nanoGPT (karpathy/nanoGPT train.py + configurator.py stdout).

export function nanogptSpec(o) {
  const m = MODELS[o.model];
  const s = {
    vocab: VOCAB,
    blockSize: 1024,
    batchSize: 12,
    gradAccum: 40,
    learningRate: 6e-4,
    minLr: 6e-5,
    warmupIters: 200,
    evalInterval: 500,
    evalIters: 200,
    logInterval: 10,
    mfu: 0.38,
    dataset: 'openwebtext',
    ...m,
    ...o,
  };
  s.N = gptParams(s);
  s.tpi = s.batchSize * s.blockSize * s.gradAccum;
  s.lrDecayIters ??= s.maxIters;
  s.outDir ??= `out-${s.name}`;
  s.seed ??= s.name;
  return s;
}

export function nanogptHeader(s) {
  const lines = [
    `Overriding config with config/train_${s.name.replace(/-/g, '_')}.py:`,
    `# ${s.comment ?? `${s.name}: GPT (${s.nLayer} layers, ${s.nEmbd} wide) on ${s.dataset}`}`,
    `# ${s.maxIters} iters x ${comma(s.tpi)} tokens = ${((s.maxIters * s.tpi) / 1e9).toFixed(2)}B tokens`,
    '',
    `out_dir = '${s.outDir}'`,
    `eval_interval = ${s.evalInterval}`,
    `eval_iters = ${s.evalIters}`,
    `log_interval = ${s.logInterval}`,
    'always_save_checkpoint = True',
    '',
    'wandb_log = False',
    `dataset = '${s.dataset}'`,
    `gradient_accumulation_steps = ${s.gradAccum}`,
    `batch_size = ${s.batchSize}`,
    `block_size = ${s.blockSize}`,
    '',
    `n_layer = ${s.nLayer}`,
    `n_head = ${s.nHead}`,
    `n_embd = ${s.nEmbd}`,
    'dropout = 0.0',
    'bias = False',
    '',
    `learning_rate = ${pyFloatLit(s.learningRate)}`,
    `max_iters = ${s.maxIters}`,
    `lr_decay_iters = ${s.lrDecayIters}`,
    `min_lr = ${pyFloatLit(s.minLr)}`,
    `warmup_iters = ${s.warmupIters}`,
    '',
    `tokens per iteration will be: ${comma(s.tpi)}`,
    'Initializing a new model from scratch',
    'defaulting to vocab_size of GPT-2 to 50304 (50257 rounded up for efficiency)',
    `number of parameters: ${(s.N / 1e6).toFixed(2)}M`,
    `num decayed parameter tensors: ${4 * s.nLayer + 2}, with ${comma(12 * s.nLayer * s.nEmbd ** 2 + (s.vocab + s.blockSize) * s.nEmbd)} parameters`,
    `num non-decayed parameter tensors: ${2 * s.nLayer + 1}, with ${comma((2 * s.nLayer + 1) * s.nEmbd)} parameters`,
    'using fused AdamW: True',
    'compiling the model... (takes a ~minute)',
  ];
  return lines.join('\n') + '\n';
}
function pyFloatLit(x) {
  return x
    .toExponential()
    .replace(/\.?0*e/, 'e')
    .replace('e+', 'e')
    .replace(/e(-?)0*(\d)/, 'e$1$2');
}

/** Parses the header nanogptHeader() writes (or a real nanoGPT header with the same keys). */
export function parseNanogptHeader(text, name) {
  const num = (re) => {
    const m = re.exec(text);
    return m ? Number(m[1].replace(/,/g, '')) : undefined;
  };
  const o = {
    name,
    nLayer: num(/^n_layer = (\d+)/m),
    nHead: num(/^n_head = (\d+)/m),
    nEmbd: num(/^n_embd = (\d+)/m),
    batchSize: num(/^batch_size = (\d+)/m),
    blockSize: num(/^block_size = (\d+)/m),
    gradAccum: num(/^gradient_accumulation_steps = (\d+)/m),
    learningRate: num(/^learning_rate = ([\d.e-]+)/m),
    minLr: num(/^min_lr = ([\d.e-]+)/m),
    warmupIters: num(/^warmup_iters = (\d+)/m),
    maxIters: num(/^max_iters = (\d+)/m),
    lrDecayIters: num(/^lr_decay_iters = (\d+)/m),
    evalInterval: num(/^eval_interval = (\d+)/m),
    evalIters: num(/^eval_iters = (\d+)/m),
    logInterval: num(/^log_interval = (\d+)/m),
  };
  const od = /^out_dir = '([^']*)'/m.exec(text);
  if (od) o.outDir = od[1];
  for (const k of Object.keys(o)) if (o[k] === undefined) delete o[k];
  return o;
}

function nanogptLossAt(s, it, channel) {
  const lr = cosineLr(it, { lr: s.learningRate, minLr: s.minLr, warmup: s.warmupIters, decayIters: s.lrDecayIters });
  const frac = (lr - s.minLr) / (s.learningRate - s.minLr);
  const inc = incident(s, it);
  if (inc.nan) return NaN;
  const L = curve(s.N, it * s.tpi, it < s.warmupIters ? (frac * it) / s.warmupIters : frac) + inc.dLoss;
  const sigma = channel === 'iter' ? 0.01 + 0.006 * L : 0.0035;
  return L + sigma * gauss(s.seed, it, channel);
}

/**
 * Lines nanoGPT prints for iteration `it` (eval block first when it is an eval iteration, then the
 * `iter` line when it is a log iteration). `state.runningMfu` carries the printed moving average.
 */
export function nanogptLinesAt(s, it, state) {
  const out = [];
  let evalMs = 0;
  if (it % s.evalInterval === 0) {
    const tl = nanogptLossAt(s, it, 'evaltrain'),
      vl = nanogptLossAt(s, it, 'val');
    out.push(`step ${it}: train loss ${pyF(tl, 4)}, val loss ${pyF(vl, 4)}`);
    if (it > 0) out.push(`saving checkpoint to ${s.outDir}`);
    evalMs = ((s.evalIters * 2 * (s.tpi / s.gradAccum) * 2 * s.N) / (s.mfu * A100_BF16)) * 1000 + 900;
  }
  const flopsPerIter = (6 * s.N + 12 * s.nLayer * s.nEmbd * s.blockSize) * s.blockSize * s.batchSize * s.gradAccum;
  let dtMs = (flopsPerIter / (s.mfu * A100_BF16)) * 1000 * (1 + 0.012 * gauss(s.seed, it, 'dt')) + evalMs;
  if (it === 0) dtMs += 38000 + 4000 * gauss(s.seed, 0, 'compile'); // torch.compile
  if (it % s.logInterval === 0) {
    const lossf = nanogptLossAt(s, it, 'iter');
    const localIter = it - (state.startIter ?? 0);
    if (localIter >= 5) {
      const mfu = flopsPerIter / (dtMs / 1000) / A100_BF16;
      state.runningMfu =
        state.runningMfu === -1 || state.runningMfu === undefined ? mfu : 0.9 * state.runningMfu + 0.1 * mfu;
    }
    const rm = state.runningMfu ?? -1;
    out.push(`iter ${it}: loss ${pyF(lossf, 4)}, time ${dtMs.toFixed(2)}ms, mfu ${(rm * 100).toFixed(2)}%`);
  }
  return out;
}

export function nanogptLog(s, { upTo = s.stopAt ?? s.maxIters } = {}) {
  const state = { runningMfu: -1, startIter: 0 };
  let text = nanogptHeader(s);
  for (let it = 0; it <= upTo; it++) for (const l of nanogptLinesAt(s, it, state)) text += l + '\n';
  return text;
}

export function nanogptFinal(s) {
  const last = Math.floor(s.maxIters / s.evalInterval) * s.evalInterval;
  return { step: last, tokens: last * s.tpi, loss: Number(pyF(nanogptLossAt(s, last, 'val'), 4)) };
}

// ---------------------------------------------------------------------------------------------------
// Megatron-DeepSpeed stdout.

function megatronSpec(o) {
  const m = MODELS[o.model];
  const s = {
    vocab: VOCAB,
    seq: 1024,
    gbs: 256,
    mbs: 8,
    dp: 8,
    lr: 6e-4,
    minLr: 6e-5,
    warmup: 300,
    logInterval: 10,
    evalInterval: 500,
    evalIters: 20,
    mfu: 0.36,
    seedValue: 1234,
    startTime: Date.UTC(2026, 10, 2, 9, 14, 7) / 1000,
    ...m,
    ...o,
  };
  s.N = gptParams(s);
  s.tps = s.gbs * s.seq;
  s.decayIters ??= s.trainIters;
  s.seed ??= s.name;
  return s;
}

function megatronLoss(s, it, channel, avgOver = 1) {
  const lr = cosineLr(it, { lr: s.lr, minLr: s.minLr, warmup: s.warmup, decayIters: s.decayIters });
  const frac = (lr - s.minLr) / (s.lr - s.minLr);
  const inc = incident(s, it);
  const L = curve(s.N, it * s.tps, it < s.warmup ? (frac * it) / s.warmup : frac) + inc.dLoss;
  const sigma = channel === 'iter' ? (0.012 * L) / Math.sqrt(avgOver) : 0.003;
  return L + sigma * gauss(s.seed, it, channel);
}

function megatronLog(s) {
  const args = {
    adam_beta1: '0.9',
    adam_beta2: '0.95',
    adam_eps: '1e-08',
    attention_dropout: '0.0',
    bf16: 'True',
    clip_grad: '1.0',
    consumed_train_samples: '0',
    data_parallel_size: String(s.dp),
    data_path: "['/data/pile/pile_text_document']",
    eval_interval: String(s.evalInterval),
    eval_iters: String(s.evalIters),
    ffn_hidden_size: String(4 * s.nEmbd),
    fp16: 'False',
    global_batch_size: String(s.gbs),
    hidden_dropout: '0.0',
    hidden_size: String(s.nEmbd),
    init_method_std: '0.02',
    kv_channels: String(s.nEmbd / s.nHead),
    log_interval: String(s.logInterval),
    lr: String(s.lr),
    lr_decay_iters: String(s.decayIters),
    lr_decay_style: 'cosine',
    lr_warmup_iters: String(s.warmup),
    make_vocab_size_divisible_by: '128',
    max_position_embeddings: String(s.seq),
    merge_file: '/data/gpt2-merges.txt',
    micro_batch_size: String(s.mbs),
    min_lr: String(s.minLr),
    num_attention_heads: String(s.nHead),
    num_layers: String(s.nLayer),
    optimizer: 'adam',
    padded_vocab_size: String(s.vocab),
    pipeline_model_parallel_size: '1',
    rank: '0',
    save: `/checkpoints/${s.name}`,
    save_interval: '1000',
    seed: String(s.seedValue),
    seq_length: String(s.seq),
    split: '969,30,1',
    tensor_model_parallel_size: '1',
    tokenizer_type: 'GPT2BPETokenizer',
    train_iters: String(s.trainIters),
    train_samples: 'None',
    use_flash_attn: 'True',
    vocab_file: '/data/gpt2-vocab.json',
    weight_decay: '0.1',
    world_size: String(s.dp),
  };
  const L = [];
  L.push(
    `using world size: ${s.dp}, data-parallel-size: ${s.dp}, sequence-parallel size: 1, tensor-model-parallel size: 1, pipeline-model-parallel size: 1 `,
  );
  L.push('using torch.bfloat16 for parameters ...');
  L.push('------------------------ arguments ------------------------');
  for (const k of Object.keys(args).sort()) L.push(`  ${k} ${'.'.repeat(48 - k.length)} ${args[k]}`);
  L.push('-------------------- end of arguments ---------------------');
  L.push('setting number of micro-batches to constant ' + s.gbs / (s.mbs * s.dp));
  L.push('> building GPT2BPETokenizer tokenizer ...');
  L.push(' > padded vocab (size: 50257) with 47 dummy tokens (new size: 50304)');
  L.push('> initializing torch distributed ...');
  L.push('> initialized tensor model parallel with size 1');
  L.push('> initialized pipeline model parallel with size 1');
  L.push(`> setting random seeds to ${s.seedValue} ...`);
  L.push('> compiling dataset index builder ...');
  L.push('>>> done with dataset index builder. Compilation time: 0.071 seconds');
  L.push('time to initialize megatron (seconds): 11.402');
  let t = s.startTime;
  L.push(`[after megatron is initialized] datetime: ${datetimeStr(t)} `);
  L.push('building GPT model ...');
  L.push(` > number of parameters on (tensor, pipeline) model parallel rank (0, 0): ${s.N}`);
  L.push('> learning rate decay style: cosine');
  L.push('> building train, validation, and test datasets ...');
  L.push(` > datasets target sizes (minimum size):`);
  L.push(`    train:      ${s.trainIters * s.gbs}`);
  L.push(`    validation: ${(Math.floor(s.trainIters / s.evalInterval) + 1) * s.evalIters * s.gbs}`);
  L.push(`    test:       ${s.evalIters * s.gbs}`);
  L.push('> finished creating GPT datasets ...');
  t += 19;
  L.push(`[after dataloaders are built] datetime: ${datetimeStr(t)} `);
  L.push('done with setup ...');
  L.push('training ...');
  L.push(`[before the start of training step] datetime: ${datetimeStr(t + 2)} `);
  const flopsPerIter = (6 * s.N + 12 * s.nLayer * s.nEmbd * s.seq) * s.tps;
  const msPerIter = (flopsPerIter / (s.mfu * A100_BF16 * s.dp)) * 1000;
  const evalBlock = (prefix, vl) => {
    const str = ` validation loss at ${prefix} | lm loss value: ${pyE(vl, 6)} | lm loss PPL: ${pyE(Math.exp(Math.min(20, vl)), 6)} | `;
    L.push('-'.repeat(str.length + 1), str, '-'.repeat(str.length + 1));
  };
  for (let it = s.logInterval; it <= s.trainIters; it += s.logInterval) {
    const elapsed =
      msPerIter * (1 + 0.015 * gauss(s.seed, it, 'dt')) + (it === s.logInterval ? 2600 / s.logInterval : 0);
    const lr = cosineLr(it, { lr: s.lr, minLr: s.minLr, warmup: s.warmup, decayIters: s.decayIters });
    const loss = megatronLoss(s, it, 'iter', s.logInterval);
    const inc = incident(s, it);
    const gn = grad(s.seed, it, s.trainIters, inc.dGrad);
    const sps = s.gbs / (elapsed / 1000);
    const tgs = (sps * s.seq) / s.dp;
    const tflops = flopsPerIter / (elapsed / 1000) / s.dp / 1e12;
    L.push(
      ` iteration ${pad(it, 8)}/${pad(s.trainIters, 8)} | consumed samples: ${pad(it * s.gbs, 12)} | consumed tokens: ${pad(it * s.tps, 12)} | elapsed time per iteration (ms): ${elapsed.toFixed(1)} | learning rate: ${pyE(lr, 3)} | global batch size: ${pad(s.gbs, 5)} | lm loss: ${pyE(loss, 6)} | loss scale: 1.0 | grad norm: ${gn.toFixed(3)} | num zeros: 0.0 | actual seqlen: ${pad(s.seq, 5)} | number of skipped iterations: ${pad(0, 3)} | number of nan iterations: ${pad(0, 3)} | samples per second: ${sps.toFixed(3)} | tokens per gpu per second (tgs): ${tgs.toFixed(3)} | TFLOPs: ${tflops.toFixed(2)} |`,
    );
    if (it % s.evalInterval === 0 && it !== s.trainIters) evalBlock(`iteration ${it}`, megatronLoss(s, it, 'val'));
    if (it % 1000 === 0) L.push(`  successfully saved checkpoint at iteration ${pad(it, 7)} to /checkpoints/${s.name}`);
    t += (elapsed * s.logInterval) / 1000;
  }
  L.push(`[after training is done] datetime: ${datetimeStr(t)} `);
  const fin = megatronLoss(s, s.trainIters, 'val');
  evalBlock(`iteration ${s.trainIters}`, fin);
  evalBlock('the end of training for val data', fin);
  return {
    text: L.join('\n') + '\n',
    final: { step: s.trainIters, tokens: s.trainIters * s.tps, loss: Number(pyE(fin, 6)) },
  };
}

// ---------------------------------------------------------------------------------------------------
// Hugging Face Trainer trainer_state.json, and the LLaMA-Factory trainer_log.jsonl written beside it.

function hfSpec(o) {
  const m = MODELS[o.model];
  const s = {
    vocab: VOCAB,
    seq: 2048,
    perDevice: 16,
    gradAccum: 2,
    gpus: 4,
    lr: 6e-4,
    warmup: 200,
    loggingSteps: 25,
    evalSteps: 500,
    saveSteps: 1000,
    mfu: 0.33,
    ...m,
    ...o,
  };
  s.N = gptParams(s);
  s.tps = s.perDevice * s.gradAccum * s.gpus * s.seq;
  s.seed ??= s.name;
  return s;
}

/** transformers.get_cosine_schedule_with_warmup (decays to 0). */
function hfLr(s, step) {
  if (step < s.warmup) return (s.lr * step) / Math.max(1, s.warmup);
  const progress = (step - s.warmup) / Math.max(1, s.maxSteps - s.warmup);
  return s.lr * Math.max(0, 0.5 * (1 + Math.cos(Math.PI * progress)));
}

function hfLoss(s, step, channel, avgOver = 1) {
  const frac = hfLr(s, step) / s.lr;
  const L = curve(s.N, step * s.tps, step < s.warmup ? (frac * step) / s.warmup : frac);
  const sigma = channel === 'iter' ? (0.012 * L) / Math.sqrt(avgOver) : 0.003;
  return L + sigma * gauss(s.seed, step, channel);
}

function hfRun(s) {
  const datasetTokens = s.maxSteps * s.tps * 1.0004; // one epoch over a pre-tokenised shard, a little left over
  const secPerStep = ((6 * s.N + 12 * s.nLayer * s.nEmbd * s.seq) * s.tps) / (s.mfu * A100_BF16 * s.gpus);
  const log = [],
    jsonl = [];
  let elapsed = 0,
    lossSum = 0;
  const evalSec = 20 + (4 * s.N) / 1e8;
  const llf = (step, rec) => {
    const remaining = (s.maxSteps - step) * secPerStep;
    const o = {
      current_steps: step,
      total_steps: s.maxSteps,
      ...rec,
      epoch: F((step * s.tps) / datasetTokens),
      percentage: F(round((step / s.maxSteps) * 100, 2)),
      elapsed_time: timedelta(elapsed),
      remaining_time: timedelta(remaining),
      throughput: F(round((step * s.tps) / elapsed, 2)),
      total_tokens: step * s.tps,
    };
    jsonl.push(pyJson(o));
  };
  for (let step = 1; step <= s.maxSteps; step++) {
    elapsed += secPerStep * (1 + 0.01 * gauss(s.seed, step, 'dt'));
    if (step % s.loggingSteps === 0) {
      const loss = round(hfLoss(s, step, 'iter', s.loggingSteps), 4);
      lossSum += loss * s.loggingSteps;
      const lr = hfLr(s, step);
      const e = {
        epoch: F((step * s.tps) / datasetTokens),
        grad_norm: F(f32(grad(s.seed, step, s.maxSteps))),
        learning_rate: F(lr),
        loss: F(loss),
        num_input_tokens_seen: step * s.tps,
        step,
      };
      log.push(e);
      llf(step, { loss: F(loss), lr: F(lr) });
    }
    if (step % s.evalSteps === 0 || step === s.maxSteps) {
      elapsed += evalSec;
      const vl = f32(hfLoss(s, step, 'val'));
      const evalSamples = 1024;
      const rt = evalSec * (1 + 0.02 * gauss(s.seed, step, 'evalrt'));
      log.push({
        epoch: F((step * s.tps) / datasetTokens),
        eval_loss: F(vl),
        eval_runtime: F(round(rt, 4)),
        eval_samples_per_second: F(round(evalSamples / rt, 3)),
        eval_steps_per_second: F(round(evalSamples / 8 / rt, 3)),
        num_input_tokens_seen: step * s.tps,
        step,
      });
      llf(step, { eval_loss: F(vl) });
    }
  }
  const totalFlos = 6 * s.N * s.maxSteps * s.tps;
  log.push({
    epoch: F((s.maxSteps * s.tps) / datasetTokens),
    num_input_tokens_seen: s.maxSteps * s.tps,
    step: s.maxSteps,
    total_flos: F(totalFlos),
    train_loss: F(lossSum / s.maxSteps),
    train_runtime: F(round(elapsed, 4)),
    train_samples_per_second: F(round((s.maxSteps * s.perDevice * s.gradAccum * s.gpus) / elapsed, 3)),
    train_steps_per_second: F(round(s.maxSteps / elapsed, 3)),
  });
  const evals = log.filter((e) => e.eval_loss);
  const best = evals.reduce((a, b) => (b.eval_loss.v < a.eval_loss.v ? b : a));
  const state = {
    best_global_step: best.step,
    best_metric: best.eval_loss,
    best_model_checkpoint: `./${s.name}/checkpoint-${best.step}`,
    epoch: F((s.maxSteps * s.tps) / datasetTokens),
    eval_steps: s.evalSteps,
    global_step: s.maxSteps,
    is_hyper_param_search: false,
    is_local_process_zero: true,
    is_world_process_zero: true,
    log_history: log,
    logging_steps: s.loggingSteps,
    max_steps: s.maxSteps,
    num_input_tokens_seen: s.maxSteps * s.tps,
    num_train_epochs: 1,
    save_steps: s.saveSteps,
    stateful_callbacks: {
      TrainerControl: {
        args: {
          should_epoch_stop: false,
          should_evaluate: false,
          should_log: false,
          should_save: true,
          should_training_stop: true,
        },
        attributes: {},
      },
    },
    total_flos: F(totalFlos),
    train_batch_size: s.perDevice,
    trial_name: null,
    trial_params: null,
  };
  const last = evals[evals.length - 1];
  return {
    trainerState: pyJson(state, { indent: 2, sortKeys: true }) + '\n',
    jsonl: jsonl.join('\n') + '\n',
    final: { step: last.step, tokens: last.step * s.tps, loss: last.eval_loss.v },
  };
}

function hfConfig(s, arch = 'GPT2LMHeadModel') {
  return (
    pyJson(
      {
        activation_function: 'gelu_new',
        architectures: [arch],
        attn_pdrop: F(0.0),
        bos_token_id: 50256,
        embd_pdrop: F(0.0),
        eos_token_id: 50256,
        initializer_range: F(0.02),
        layer_norm_epsilon: F(1e-5),
        model_type: 'gpt2',
        n_ctx: s.seq,
        n_embd: s.nEmbd,
        n_head: s.nHead,
        n_inner: null,
        n_layer: s.nLayer,
        n_params: s.N,
        n_positions: s.seq,
        resid_pdrop: F(0.0),
        torch_dtype: 'bfloat16',
        transformers_version: '4.46.3',
        use_cache: true,
        vocab_size: s.vocab,
      },
      { indent: 2, sortKeys: true },
    ) + '\n'
  );
}

// ---------------------------------------------------------------------------------------------------
// PyTorch Lightning CSVLogger metrics.csv (+ hparams.yaml).

function lightningRun(s) {
  s = hfSpec(s);
  const rows = ['epoch,lr-AdamW,step,tokens,train_loss,val_loss'];
  const fmt = (x) => pyRepr(f32(x));
  let final;
  for (let step = 1; step <= s.maxSteps; step++) {
    if (step % s.loggingSteps === 0) {
      rows.push(
        `0,${pyRepr(hfLr(s, step))},${step - 1},${fmt(step * s.tps)},${fmt(hfLoss(s, step, 'iter', s.loggingSteps))},`,
      );
    }
    if (step % s.evalSteps === 0 || step === s.maxSteps) {
      const vl = f32(hfLoss(s, step, 'val'));
      rows.push(`0,,${step - 1},,,${pyRepr(vl)}`);
      final = { step, tokens: step * s.tps, loss: vl };
    }
  }
  const hparams =
    [
      `batch_size: ${s.perDevice}`,
      `block_size: ${s.seq}`,
      'dropout: 0.0',
      `grad_accum: ${s.gradAccum}`,
      `lr: ${s.lr}`,
      `max_steps: ${s.maxSteps}`,
      `n_embd: ${s.nEmbd}`,
      `n_head: ${s.nHead}`,
      `n_layer: ${s.nLayer}`,
      `n_params: ${s.N}`,
      `num_devices: ${s.gpus}`,
      `tokens_per_step: ${s.tps}`,
      `vocab_size: ${s.vocab}`,
      `warmup_steps: ${s.warmup}`,
      'weight_decay: 0.1',
    ].join('\n') + '\n';
  return { csv: rows.join('\n') + '\n', hparams, final, s };
}

// ---------------------------------------------------------------------------------------------------
// The workspaces.

const tb = (tokens) => (tokens >= 1e9 ? `${(tokens / 1e9).toFixed(2)}B` : `${(tokens / 1e6).toFixed(0)}M`);
const runName = (model, tpp) => `gpt-${model}-${tpp}tpp`;
/** Steps so that steps × tokensPerStep ≈ tpp × N, rounded to a multiple of `mult`. */
const stepsFor = (model, tpp, tps, mult) => Math.max(mult, Math.round((tpp * MODELS[model].N) / tps / mult) * mult);

export function liveSpec() {
  return nanogptSpec({
    name: 'gpt-85M-live',
    model: '85M',
    batchSize: 12,
    gradAccum: 40,
    maxIters: 10000,
    warmupIters: 300,
    evalInterval: 250,
    evalIters: 100,
    logInterval: 5,
    mfu: 0.41,
    comment: 'gpt-85M-live: the run still training (scripts/live-appender.mjs appends to this log)',
    prefixIters: 995,
  });
}

/** Returns { files: {relPath: content}, points: [...] } for the demo workspace. */
/** package.json's default `scalingLens.exclude` (the sample adds `laws/**` to it). */
const DEFAULT_EXCLUDE = [
  '**/node_modules/**',
  '**/.git/**',
  '**/.venv/**',
  '**/site-packages/**',
  '**/wandb/**/files/output.log',
];

/**
 * The laws the `laws/` tables are drawn from (one row per model, seeded noise):
 *  - downstream-err.csv: Gadre et al. 2024's loss → error exponential as fitted by the authors' code on their
 *    RedPajama testbed, Err = 0.857 − 2.206·e^(−0.7146·L);
 *  - downstream-acc.csv: an OLMo-ladder sigmoid, acc = −0.55 / (1 + e^(−5 (L − 3.0))) + 0.80;
 *  - overtraining.csv: Gadre et al.'s loss law (the same fit), L = 1.8366 + 166.2·N^−0.27285 + 287.17·D^−0.27285,
 *    at four sizes and token multipliers M = D/N ∈ {20, 80, 320};
 *  - data-constrained.csv: Muennighoff et al. 2023's published fit (C4 coefficients, R_D* = 15.39, R_N* = 5.31);
 *  - hyperparameter-sweep.csv: a learning-rate × batch-size sweep (9 × 5 per (N, D) cell) whose optimum follows the
 *    published Step Law (Li et al. 2025), η* = 1.79·N^−0.713·D^0.307, B* = 0.58·D^0.571 tokens.
 */
export const LAW_TABLES = {
  downstreamErr: { epsilon: 0.857, k: 2.206, gamma: 0.7146 },
  downstreamAcc: { a: -0.55, k: 5, L0: 3.0, b: 0.8 },
  overtraining: { E: 1.8366, A: 166.2, B: 287.17, alpha: 0.27285 },
  stepLaw: { lrC: 1.79, lrAlpha: -0.713, lrBeta: 0.307, bsC: 0.58, bsGamma: 0.571 },
  dataConstrained: {
    A: Math.exp(6.255414),
    B: Math.exp(7.3049974),
    E: Math.exp(0.6254804),
    alpha: 0.3526596,
    beta: 0.3526596,
    rd: 15.387756,
    rn: 5.309743,
  },
};

export function dataConstrainedLoss(N, D, U, p = LAW_TABLES.dataConstrained) {
  const G = ((p.alpha * p.A) / (p.beta * p.B)) ** (1 / (p.alpha + p.beta));
  const UN = Math.min(N, G * (G * U) ** (p.beta / p.alpha));
  const RD = Math.max(D / U - 1, 0),
    RN = Math.max(N / UN - 1, 0);
  const eff = (u, r, star) => u * (1 + star * (1 - Math.exp(-r / star)));
  return p.E + p.A / eff(UN, RN, p.rn) ** p.alpha + p.B / eff(U, RD, p.rd) ** p.beta;
}

/**
 * lm-evaluation-harness results (v0.4 schema) for four checkpoints of an HF run, in `checkpoint-<step>/` folders
 * beside its trainer_state.json, as `lm_eval --model hf --model_args pretrained=<out>/checkpoint-<step> --output_path
 * <out>/checkpoint-<step>` writes them. Accuracy follows the downstream-acc sigmoid of the loss at that checkpoint
 * (the run's curve, no noise) plus seeded noise of the size of the stderr lm-eval reports for ~10k examples.
 */
function lmEvalResults(s, name) {
  const files = {};
  const { a, k, L0, b } = LAW_TABLES.downstreamAcc;
  const acc = (L) => a / (1 + Math.exp(-k * (L - L0))) + b;
  const r4 = (v) => Number(v.toFixed(4));
  for (const [i, frac] of [0.25, 0.5, 0.75, 1].entries()) {
    const step = Math.round((s.maxSteps * frac) / s.saveSteps) * s.saveSteps || s.maxSteps;
    const L = curve(s.N, step * s.tps, 0);
    const tasks = {};
    for (const [j, task] of ['hellaswag', 'arc_easy', 'piqa'].entries()) {
      const shift = [0, 0.05, 0.12][j];
      const p = Math.min(0.99, acc(L) + shift + 0.004 * gauss(`lmeval-${name}`, i, j));
      const se = Math.sqrt((p * (1 - p)) / [10042, 2376, 1838][j]);
      tasks[task] = { alias: task, 'acc,none': r4(p), 'acc_stderr,none': r4(se) };
    }
    const doc = {
      results: tasks,
      versions: { hellaswag: 1, arc_easy: 1, piqa: 1 },
      'n-shot': { hellaswag: 0, arc_easy: 0, piqa: 0 },
      config: {
        model: 'hf',
        model_args: `pretrained=./${name}/checkpoint-${step},dtype=bfloat16`,
        batch_size: 'auto',
        limit: null,
        bootstrap_iters: 100000,
      },
      model_name: `./${name}/checkpoint-${step}`,
      lm_eval_version: '0.4.3',
    };
    files[`sweep/${name}/checkpoint-${step}/results_2026-03-0${i + 1}T12-00-00.000000.json`] =
      JSON.stringify(doc, null, 2) + '\n';
  }
  return files;
}

function lawTables() {
  const files = {};
  const r4 = (v) => Number(v.toPrecision(6));
  const { downstreamErr: de, downstreamAcc: da, overtraining: ot } = LAW_TABLES;
  const losses = Array.from({ length: 14 }, (_, i) => 2.3 + (3.2 * i) / 13);
  files['laws/downstream-err.csv'] =
    'model,loss,err\n' +
    losses
      .map(
        (L, i) =>
          `m${i + 1},${r4(L)},${r4(de.epsilon - de.k * Math.exp(-de.gamma * L) + 0.003 * gauss('laws-err', i, 0))}`,
      )
      .join('\n') +
    '\n';
  const accLoss = Array.from({ length: 16 }, (_, i) => 2.0 + (2.2 * i) / 15);
  files['laws/downstream-acc.csv'] =
    'model,loss,acc\n' +
    accLoss
      .map(
        (L, i) =>
          `m${i + 1},${r4(L)},${r4(da.a / (1 + Math.exp(-da.k * (L - da.L0))) + da.b + 0.004 * gauss('laws-acc', i, 0))}`,
      )
      .join('\n') +
    '\n';
  const ot_rows = [];
  for (const N of [10569312, 78914048, 153677376, 411616256])
    for (const M of [20, 80, 320]) {
      const D = M * N,
        L = ot.E + ot.A * N ** -ot.alpha + ot.B * D ** -ot.alpha;
      ot_rows.push(`${N},${D},${r4(L * (1 + 0.002 * gauss('laws-ot', ot_rows.length, 0)))}`);
    }
  files['laws/overtraining.csv'] = 'N,D,loss\n' + ot_rows.join('\n') + '\n';
  const dc_rows = [];
  for (const N of [1.46e8, 4.21e8, 1.1e9, 2.8e9])
    for (const U of [1.5e9, 12e9])
      for (const ep of [1, 2, 4, 8, 16, 32, 64]) {
        const D = U * ep,
          L = dataConstrainedLoss(N, D, U);
        dc_rows.push(`${N},${D},${U},${r4(L * (1 + 0.003 * gauss('laws-dc', dc_rows.length, 0)))}`);
      }
  files['laws/data-constrained.csv'] = 'N,D,U,loss\n' + dc_rows.join('\n') + '\n';
  // A learning-rate × batch-size sweep around the published Step Law optimum of each (N, D) cell: a bowl in
  // log lr and log batch size on top of a Chinchilla-like loss.
  const { stepLaw: sl } = LAW_TABLES,
    hp = [];
  for (const N of [2e8, 5e8, 1e9])
    for (const D of [2e10, 5e10, 1e11]) {
      const lrStar = sl.lrC * N ** sl.lrAlpha * D ** sl.lrBeta,
        bsStar = sl.bsC * D ** sl.bsGamma,
        base = chinchilla(N, D);
      for (let i = -4; i <= 4; i++)
        for (let j = -2; j <= 2; j++) {
          const lr = lrStar * 2 ** (i / 2),
            bs = Math.round(bsStar * 2 ** (j / 2));
          const loss =
            base +
            0.02 * Math.log(lr / lrStar) ** 2 +
            0.01 * Math.log(bs / bsStar) ** 2 +
            0.0005 * gauss('laws-hp', hp.length, 0);
          hp.push(`${N},${D},${Number(lr.toPrecision(4))},${bs},${r4(loss)}`);
        }
    }
  files['laws/hyperparameter-sweep.csv'] = 'N,D,lr,batch_size,loss\n' + hp.join('\n') + '\n';
  return files;
}

function sampleWorkspace() {
  const files = {};
  const points = [];
  const add = (rel, content) => {
    files[rel] = content;
  };
  const table = [];
  const note = (dir, fmt, s, final, n) => {
    points.push({ N: n, D: final.tokens, loss: final.loss });
    table.push({ dir, fmt, N: n, final });
  };

  // nanoGPT runs.
  for (const [model, tpp, batchSize, gradAccum, logInterval, evalInterval] of [
    ['20M', 20, 16, 4, 10, 500],
    ['20M', 80, 16, 4, 25, 1000],
    ['45M', 20, 16, 8, 10, 500],
  ]) {
    const tpi = batchSize * 1024 * gradAccum;
    const name = runName(model, tpp);
    const s = nanogptSpec({
      name,
      model,
      batchSize,
      gradAccum,
      maxIters: stepsFor(model, tpp, tpi, evalInterval),
      logInterval,
      evalInterval,
      warmupIters: 300,
      mfu: model === '20M' ? 0.22 : 0.3,
    });
    add(`sweep/${name}/train.log`, nanogptLog(s));
    note(`sweep/${name}/train.log`, 'nanoGPT stdout', s, nanogptFinal(s), s.N);
  }
  // Megatron-DeepSpeed runs.
  for (const [model, tpp, gbs, seq] of [
    ['85M', 10, 128, 2048],
    ['85M', 30, 128, 2048],
    ['354M', 5, 256, 2048],
  ]) {
    const name = runName(model, tpp);
    const s = megatronSpec({
      name,
      model,
      gbs,
      seq,
      trainIters: stepsFor(model, tpp, gbs * seq, 500),
      logInterval: 10,
      evalInterval: 500,
      warmup: 200,
      lr: model === '354M' ? 3e-4 : 6e-4,
      minLr: model === '354M' ? 3e-5 : 6e-5,
    });
    const r = megatronLog(s);
    add(`sweep/${name}/stdout.log`, r.text);
    note(`sweep/${name}/stdout.log`, 'Megatron-DeepSpeed stdout', s, r.final, s.N);
  }
  // Hugging Face Trainer runs (trainer_state.json + config.json).
  for (const [model, tpp] of [
    ['159M', 20],
    ['159M', 8],
  ]) {
    const name = runName(model, tpp);
    const s = hfSpec({
      name,
      model,
      maxSteps: stepsFor(model, tpp, 16 * 2 * 4 * 2048, 100),
      loggingSteps: 25,
      evalSteps: 500,
      lr: 6e-4,
    });
    const r = hfRun(s);
    add(`sweep/${name}/trainer_state.json`, r.trainerState);
    add(`sweep/${name}/config.json`, hfConfig(s));
    note(`sweep/${name}/trainer_state.json`, 'HF Trainer trainer_state.json', s, r.final, s.N);
    if (tpp === 20) for (const [f, text] of Object.entries(lmEvalResults(s, name))) add(f, text);
  }
  // LLaMA-Factory run (trainer_log.jsonl + config.json).
  {
    const model = '354M',
      tpp = 20,
      name = runName(model, tpp);
    const s = hfSpec({
      name,
      model,
      perDevice: 16,
      gradAccum: 4,
      gpus: 8,
      maxSteps: stepsFor(model, tpp, 16 * 4 * 8 * 2048, 100),
      loggingSteps: 10,
      evalSteps: 500,
      lr: 3e-4,
      warmup: 300,
    });
    const r = hfRun(s);
    add(`sweep/${name}/trainer_log.jsonl`, r.jsonl);
    add(`sweep/${name}/config.json`, hfConfig(s));
    note(`sweep/${name}/trainer_log.jsonl`, 'LLaMA-Factory trainer_log.jsonl', s, r.final, s.N);
  }
  // Lightning CSVLogger run.
  {
    const model = '45M',
      tpp = 60,
      name = runName(model, tpp);
    const r = lightningRun({
      name,
      model,
      perDevice: 16,
      gradAccum: 4,
      gpus: 2,
      seq: 1024,
      maxSteps: stepsFor(model, tpp, 16 * 4 * 2 * 1024, 100),
      loggingSteps: 50,
      evalSteps: 1000,
      lr: 6e-4,
    });
    add(`sweep/${name}/metrics.csv`, r.csv);
    add(`sweep/${name}/hparams.yaml`, r.hparams);
    note(`sweep/${name}/metrics.csv`, 'Lightning CSVLogger metrics.csv', r.s, r.final, r.s.N);
  }
  add(
    'sweep/points.csv',
    'N,D,loss\n' + points.map((p) => `${p.N},${p.D},${Number(p.loss).toFixed(4)}`).join('\n') + '\n',
  );

  // Problems: a divergence to NaN (nanoGPT) and a loss spike that recovers (Megatron).
  {
    const s = nanogptSpec({
      name: 'gpt-45M-nan',
      model: '45M',
      batchSize: 16,
      gradAccum: 8,
      learningRate: 3e-3,
      minLr: 3e-4,
      maxIters: 7000,
      warmupIters: 100,
      logInterval: 10,
      evalInterval: 500,
      mfu: 0.3,
      nanAt: 5230,
      stopAt: 5600,
      comment: 'gpt-45M-nan: learning rate 5x too high (3e-3); killed after the loss went to nan',
    });
    add('problems/gpt-45M-nan/train.log', nanogptLog(s));
  }
  {
    const s = megatronSpec({
      name: 'gpt-85M-spike',
      model: '85M',
      gbs: 128,
      seq: 2048,
      trainIters: 6000,
      logInterval: 10,
      evalInterval: 500,
      warmup: 200,
      lr: 1.2e-3,
      minLr: 1.2e-4,
      spikeAt: 2410,
    });
    add('problems/gpt-85M-spike/stdout.log', megatronLog(s).text);
  }
  // The live run: a committed prefix of 200 logged iterations; scripts/live-appender.mjs continues it.
  {
    const s = liveSpec();
    add('live/gpt-85M-live/train.log', nanogptLog(s, { upTo: s.prefixIters }));
  }
  for (const [rel, content] of Object.entries(lawTables())) add(rel, content);
  // laws/ holds one-row-per-model tables for the CLI's table laws; the dashboard's workspace sweep must not read
  // them as more runs of this sweep.
  add(
    '.vscode/settings.json',
    JSON.stringify({ 'scalingLens.targetLoss': 3.6, 'scalingLens.exclude': [...DEFAULT_EXCLUDE, 'laws/**'] }, null, 2) +
      '\n',
  );
  add('README.md', sampleReadme(table, liveSpec()));
  return files;
}

function sampleReadme(table, live) {
  const rows = table
    .map(
      (r) =>
        `| \`${r.dir}\` | ${r.fmt} | ${(r.N / 1e6).toFixed(2)}M | ${tb(r.final.tokens)} | ${r.final.loss.toFixed(4)} | ${chinchilla(r.N, r.final.tokens).toFixed(4)} |`,
    )
    .join('\n');
  return `# Scaling Lens sample workspace

Synthetic training logs of a small GPT language-model sweep, written by
\`scripts/make-sample-workspace.mjs\` (seeded, deterministic: re-running it gives identical files).
Open this folder in VS Code with Scaling Lens installed (\`npm run demo\` does it for you in code-server).

Final losses follow the Chinchilla law with the published fit of Hoffmann et al. (2022):

    L(N, D) = 1.69 + 406.4 / N^0.34 + 410.7 / D^0.28

so fitting \`L(N, D)\` across \`sweep/\` should recover roughly those constants (E ≈ 1.69, α ≈ 0.34, β ≈ 0.28),
and the compute-optimal frontier should favour ≈ 20 tokens per parameter. Within a run the loss starts near
ln(50304) ≈ 10.8, falls as a power law in tokens seen (the same law with D = tokens so far) and carries a small
excess while the cosine learning rate is still high, gone when it reaches \`min_lr\`. Each logged value has
small Gaussian noise (batch noise for training loss, much less for evaluation loss).

Every file copies the line format of a real trainer exactly (nanoGPT, Megatron-DeepSpeed, Hugging Face
Trainer, LLaMA-Factory, PyTorch Lightning). The numbers are made up; the formats are not.

## sweep/ — ten finished runs, five model sizes

Run folders are named \`gpt-<params>-<tokens per parameter>tpp\`. Several sizes have two token budgets, so
there are IsoFLOP-like comparisons (e.g. 85M at 10 and 30 tokens/param, 159M at 8 and 20).

| log | format | N (params) | D (tokens) | final eval loss | law L(N, D) |
|---|---|---|---|---|---|
${rows}

Where N and tokens per step come from in each format:

- **nanoGPT** (\`train.log\`): \`number of parameters: 20.46M\`, \`tokens per iteration will be: 65,536\`, and the
  config dump at the top (\`max_iters = …\`, \`warmup_iters\`, \`learning_rate\`, …) as nanoGPT's configurator prints it.
  Training loss every \`log_interval\` iterations (\`iter N: loss X, time Yms, mfu Z%\`), evaluation every
  \`eval_interval\` (\`step N: train loss X, val loss Y\`). nanoGPT does not print the learning rate.
- **Megatron-DeepSpeed** (\`stdout.log\`): the argument dump (\`seq_length\`, \`global_batch_size\`, \`train_iters\`,
  \`lr_decay_style cosine\`, …), \`number of parameters on (tensor, pipeline) model parallel rank (0, 0): N\`,
  \`iteration N/ M | consumed samples | consumed tokens | … | learning rate | lm loss | grad norm |\` every 10
  iterations and \`validation loss at iteration N | lm loss value: …\` blocks every 500.
- **Hugging Face Trainer** (\`trainer_state.json\`): \`log_history\` entries with \`loss\`, \`learning_rate\`,
  \`grad_norm\`, \`epoch\`, \`step\`, \`num_input_tokens_seen\`; \`eval_loss\` entries; \`max_steps\`. N is in the
  \`config.json\` beside it (\`n_params\`, plus the architecture fields).
- **LLaMA-Factory** (\`trainer_log.jsonl\`): one JSON object per logging step (\`current_steps\`, \`total_steps\`,
  \`loss\` or \`eval_loss\`, \`lr\`, \`epoch\`, \`total_tokens\`, …). N in \`config.json\`.
- **PyTorch Lightning CSVLogger** (\`metrics.csv\`): sparse rows \`epoch,lr-AdamW,step,tokens,train_loss,val_loss\`
  (training rows and validation rows alternate, with empty cells). N in \`hparams.yaml\` (\`n_params\`).
- The folder name (\`gpt-85M-…\`) is a last resort for N.

\`sweep/points.csv\` is the same sweep as a points table (\`N,D,loss\`: parameters, tokens, final eval loss),
for fitting without reading the logs.

## problems/ — runs that went wrong

- \`problems/gpt-45M-nan/train.log\` (nanoGPT): learning rate 5× too high; the loss creeps up and turns to
  \`nan\` at iteration 5230, the run was killed at 5600. The Problems panel should flag the divergence.
- \`problems/gpt-85M-spike/stdout.log\` (Megatron): a loss spike at iteration 2410 (lm loss +1.9, grad norm in
  the tens) that recovers over a few hundred iterations.

## live/ — a run still training

\`live/gpt-85M-live/train.log\` (nanoGPT, ${(live.N / 1e6).toFixed(2)}M params, ${comma(live.tpi)} tokens per iteration,
\`max_iters = ${live.maxIters}\`) holds the first ${live.prefixIters + 5} iterations. Run

    node scripts/live-appender.mjs              # one iteration line per second
    node scripts/live-appender.mjs --interval 200 --lines-per-tick 5
    node scripts/live-appender.mjs --reset      # put the committed prefix back first

to keep appending lines to it (same law, same noise as a full generation would give), so the forecast,
CodeLens and status bar update live. \`npm run demo\` runs the appender on a temporary copy, not on this folder.

\`.vscode/settings.json\` sets a target loss (3.6) so forecasts show when the live run should reach it.

## Downstream evaluations beside a run

\`sweep/gpt-159M-20tpp/checkpoint-<step>/results_<date>.json\` are lm-evaluation-harness results (v0.4 schema:
\`acc,none\`, \`acc_stderr,none\`, \`config.model_args\` naming the checkpoint) for four checkpoints of that run.
Scaling Lens links each to the run and step it scored (the checkpoint folder), so \`scaling-lens parse sweep --json\`
shows \`eval/hellaswag/acc\`, \`eval/arc_easy/acc\` and \`eval/piqa/acc\` next to the run's loss. Accuracies follow
the \`downstream-acc\` sigmoid below, applied to the run's loss at each checkpoint, with seeded noise.

## laws/ — one row per model, for the table laws (CLI and *Fit Table Law…*)

Tables drawn (with small seeded noise) from published fits, for \`scaling-lens fit FILE --law ID\` and
\`scaling-lens predict --fit FILE --law ID --at X\`, and in the editor for *Scaling Lens: Fit Table Law…* (and
*Suggest Hyperparameters…*, which finds \`hyperparameter-sweep.csv\`). The dashboard's sweep does not read this
folder (\`scalingLens.exclude\` in \`.vscode/settings.json\`): these rows are not runs of the sweep above.

| file | columns | law | generated from |
|---|---|---|---|
| \`laws/downstream-err.csv\` | \`model,loss,err\` | \`downstream-exp\` | Gadre et al. 2024, Err = 0.857 − 2.206·e^(−0.7146·L) |
| \`laws/downstream-acc.csv\` | \`model,loss,acc\` | \`downstream-sigmoid\` | acc = −0.55 / (1 + e^(−5 (L − 3))) + 0.80 |
| \`laws/overtraining.csv\` | \`N,D,loss\` | \`overtraining\` | Gadre et al. 2024, L = 1.8366 + 166.2·N^−0.2729 + 287.2·D^−0.2729 |
| \`laws/data-constrained.csv\` | \`N,D,U,loss\` | \`data-constrained\` | Muennighoff et al. 2023, C4 fit, R_D* = 15.39, R_N* = 5.31 |
| \`laws/hyperparameter-sweep.csv\` | \`N,D,lr,batch_size,loss\` | \`steplaw-lr\`, \`steplaw-batch\` | LR × batch sweep around Li et al. 2025's η* = 1.79·N^−0.713·D^0.307, B* = 0.58·D^0.571 (tokens) |

    scaling-lens fit laws/downstream-err.csv --law downstream-exp --x loss --y err
    scaling-lens predict --fit laws/downstream-err.csv --law downstream-exp --x loss --y err --at 2.2
    scaling-lens fit laws/overtraining.csv --law overtraining
    scaling-lens predict --fit laws/overtraining.csv --law overtraining --at C=1e21,M=320
    scaling-lens fit laws/data-constrained.csv --law data-constrained
    scaling-lens fit laws/hyperparameter-sweep.csv --law steplaw-lr
    scaling-lens predict --fit laws/hyperparameter-sweep.csv --law steplaw-lr --at N=7e9,D=1.4e12
`;
}

/** The small workspace the integration and end-to-end tests copy for each run. */
function fixtureWorkspace() {
  const files = {};
  const expected = {
    notes:
      'Written by scripts/make-sample-workspace.mjs. params = exact N the run was generated with; paramsLogged = what the log ' +
      'itself states (nanoGPT prints N rounded to 0.01M). final = last evaluation (step, tokens = step x tokensPerStep, eval loss as written). ' +
      'Final eval losses lie within ~0.01 of law(N, D). live/train.log ends at iteration lastIter; nanoGPT would log nextIter next. ' +
      'bad/* must be survived: garbage.log is random bytes, bad/truncated/trainer_state.json is cut off mid-entry.',
    law: LAW,
    runs: {},
  };
  {
    const s = nanogptSpec({
      name: 'gpt-20M-20tpp',
      model: '20M',
      batchSize: 16,
      gradAccum: 8,
      maxIters: 3000,
      logInterval: 50,
      evalInterval: 500,
      warmupIters: 100,
      evalIters: 100,
      mfu: 0.22,
    });
    files['sweep/gpt-20M-20tpp/train.log'] = nanogptLog(s);
    expected.runs['sweep/gpt-20M-20tpp/train.log'] = {
      format: 'nanogpt',
      params: s.N,
      paramsLogged: Number((s.N / 1e6).toFixed(2)) * 1e6,
      tokensPerStep: s.tpi,
      totalSteps: s.maxIters,
      final: nanogptFinal(s),
      lastIter: s.maxIters,
    };
  }
  {
    const s = megatronSpec({
      name: 'gpt-45M-20tpp',
      model: '45M',
      gbs: 64,
      seq: 1024,
      trainIters: 13600,
      logInterval: 200,
      evalInterval: 2000,
      warmup: 200,
      evalIters: 10,
    });
    const r = megatronLog(s);
    files['sweep/gpt-45M-20tpp/stdout.log'] = r.text;
    expected.runs['sweep/gpt-45M-20tpp/stdout.log'] = {
      format: 'megatron',
      params: s.N,
      paramsLogged: s.N,
      tokensPerStep: s.tps,
      totalSteps: s.trainIters,
      final: r.final,
    };
  }
  {
    const s = hfSpec({
      name: 'gpt-85M-10tpp',
      model: '85M',
      perDevice: 16,
      gradAccum: 2,
      gpus: 4,
      seq: 1024,
      maxSteps: 6500,
      loggingSteps: 250,
      evalSteps: 1000,
      warmup: 200,
    });
    const r = hfRun(s);
    files['sweep/gpt-85M-10tpp/trainer_state.json'] = r.trainerState;
    files['sweep/gpt-85M-10tpp/config.json'] = hfConfig(s);
    expected.runs['sweep/gpt-85M-10tpp/trainer_state.json'] = {
      format: 'hf-trainer-state',
      params: s.N,
      paramsFrom: 'config.json n_params',
      tokensPerStep: s.tps,
      totalSteps: s.maxSteps,
      final: r.final,
    };
  }
  const pts = Object.values(expected.runs).map(
    (r) => `${r.params},${r.final.tokens},${Number(r.final.loss).toFixed(4)}`,
  );
  pts.push(
    `${MODELS['159M'].N},${MODELS['159M'].N * 20},${chinchilla(MODELS['159M'].N, MODELS['159M'].N * 20).toFixed(4)}`,
  );
  // Three more rows from the same law, so the sweep has enough distinct (N, D) for the 5-parameter fit (these were
  // once added to the committed file by hand, which the --check then reported as a difference).
  for (const [N, D] of [
    [354e6, 3.54e9],
    [354e6, 7.08e9],
    [MODELS['159M'].N, MODELS['159M'].N * 10],
  ])
    pts.push(`${N},${D},${chinchilla(N, D).toFixed(4)}`);
  files['sweep/points.csv'] = 'N,D,loss\n' + pts.join('\n') + '\n';
  {
    // The log tests append to: nanoGPT, 40 logged iterations; tests add `iter` lines after it.
    const s = nanogptSpec({
      name: 'gpt-45M-live',
      model: '45M',
      batchSize: 16,
      gradAccum: 8,
      maxIters: 6000,
      logInterval: 10,
      evalInterval: 100,
      evalIters: 50,
      warmupIters: 100,
      mfu: 0.3,
    });
    files['live/train.log'] = nanogptLog(s, { upTo: 395 });
    expected.runs['live/train.log'] = {
      format: 'nanogpt',
      params: s.N,
      paramsLogged: Number((s.N / 1e6).toFixed(2)) * 1e6,
      tokensPerStep: s.tpi,
      totalSteps: s.maxIters,
      lastIter: 390,
      nextIter: 400,
      live: true,
    };
  }
  {
    // Binary garbage with a .log extension, and a trainer_state.json cut off mid-entry.
    const r = mulberry32(7);
    const buf = Buffer.alloc(4096);
    for (let i = 0; i < buf.length; i++) buf[i] = Math.floor(r() * 256);
    buf.write('\x00\x00\x00iter 5: loss \xff\xfe', 100, 'latin1');
    files['bad/garbage.log'] = buf;
    const full = files['sweep/gpt-85M-10tpp/trainer_state.json'];
    files['bad/truncated/trainer_state.json'] = full.slice(0, Math.floor(full.length * 0.4));
    expected.bad = ['bad/garbage.log', 'bad/truncated/trainer_state.json'];
  }
  files['EXPECTED.json'] = JSON.stringify(expected, null, 2) + '\n';
  return files;
}

// ---------------------------------------------------------------------------------------------------

function writeTree(root, files, check) {
  const bad = [];
  if (!check) rmSync(root, { recursive: true, force: true });
  for (const [rel, content] of Object.entries(files)) {
    const p = path.join(root, rel);
    if (check) {
      const want = Buffer.isBuffer(content) ? content : Buffer.from(content);
      if (!existsSync(p) || !readFileSync(p).equals(want)) bad.push(rel);
      continue;
    }
    mkdirSync(path.dirname(p), { recursive: true });
    writeFileSync(p, content);
  }
  return bad;
}

function du(dir) {
  let n = 0;
  for (const e of readdirSync(dir, { withFileTypes: true }))
    n += e.isDirectory() ? du(path.join(dir, e.name)) : statSync(path.join(dir, e.name)).size;
  return n;
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  const argv = process.argv.slice(2);
  const only = argv.includes('--only') ? argv[argv.indexOf('--only') + 1] : undefined;
  const check = argv.includes('--check');
  let failed = false;
  for (const [which, root, make] of [
    ['sample', path.join(REPO, 'sample-workspace'), sampleWorkspace],
    ['fixtures', path.join(REPO, 'test', 'fixtures', 'workspace'), fixtureWorkspace],
  ]) {
    if (only && only !== which) continue;
    const files = make();
    const bad = writeTree(root, files, check);
    if (check) {
      if (bad.length) {
        failed = true;
        console.error(
          `[make-sample-workspace] ${path.relative(REPO, root)} differs from the generator: ${bad.join(', ')}`,
        );
      } else
        console.log(
          `[make-sample-workspace] ${path.relative(REPO, root)} up to date (${Object.keys(files).length} files)`,
        );
    } else {
      console.log(
        `[make-sample-workspace] wrote ${Object.keys(files).length} files to ${path.relative(REPO, root)} (${(du(root) / 1024).toFixed(0)} KiB)`,
      );
    }
  }
  if (failed) process.exit(1);
}
