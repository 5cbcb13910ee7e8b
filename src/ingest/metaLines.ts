/**
 * Run metadata printed in log lines by the common trainers. Pure; each check starts with a cheap substring
 * test so the scanner can run on every non-metric line of a 1 GB log.
 *
 *  - nanoGPT:            `number of parameters: 123.69M`
 *  - Megatron-LM/-DS:    `number of parameters on (tensor, pipeline) model parallel rank (i, j): N` — one line per
 *                        model shard; the model size is the SUM over DISTINCT (i, j). Data-parallel replicas print
 *                        the same tuple again and must not be counted twice.
 *  - BigScience Meg-DS:  `Number of parameters: [tensor rank - pipeline rank] w/ and w/o embeddings:` followed
 *                        (not always on the next line) by `[000-000] 0.3559B / 0.3023B` per shard (summed, distinct).
 *  - OLMo:               `Total number of parameters: 1,279,787,008`, `Number of non-embedding parameters: …`
 *  - HF PEFT:            `trainable params: 24,313,856 || all params: 3,237,063,680 || …` (all params = N)
 *  - Megatron args dump: `  global_batch_size ....... 16`, `seq_length ... 2048`, `train_iters ... 500`,
 *                        `train_samples ... 73242187` → hparams, tokensPerStep, totalSteps.
 *  - End lines (any trainer): `Training completed`, `early stopping`, Slurm `DUE TO TIME LIMIT`, `Traceback`,
 *                        `CUDA out of memory`, `KeyboardInterrupt`, … → meta.end (for the run-state model).
 *  - Any other stated count (`statedParams`): `Total params: 1,234,567` (Keras summary), `model_params:26041425`,
 *    `Model params : 299,392,704`, `# of parameters 1.2B`, `n_parameters = …`, `num_params: …`, `Params: 89,154`,
 *    `… has 9,854,851 trainable parameters`, `Trainable params: …`, Lightning's summary rows `16.1 M    Total params`;
 *    each key also with a count word after it (`Params number: …`, `trainable_parameters_num:…`, `params_count=…`).
 * Parameter counts are ranked: a total (`Total`/`all`/`model`/`number of`, and every trainer-specific line
 * above) beats a bare `params:` count, which beats a trainable-only count; within a rank the first line wins, unless
 * the same statement is printed again with another count (a later launch in the same file).
 * Every stated count beats an estimate from the model shape and a size in the run's name (those are filled in
 * later, only where the log states nothing: metaFiles.ts).
 */
import type { RunBuilder } from './runBuilder';
import type { RunEndKind } from './types';
import { parseCount, parseNumber } from './numbers';

const NANOGPT_PARAMS = /^number of parameters: ([0-9.]+)M\b/;
const MEGATRON_RANK = /number of parameters on \(tensor, pipeline\) model parallel rank \((\d+), (\d+)\): (\d+)/;
const BIGSCIENCE_SHARD = /\[(\d+)-(\d+)\]\s+([0-9.]+)B\s*\/\s*([0-9.]+)B/;
const OLMO_TOTAL = /Total number of parameters: ([0-9,]+)/;
const OLMO_NON_EMB = /Number of non-embedding parameters: ([0-9,]+)/;
const PEFT_ALL = /all params: ([0-9,]+)/;
/** Other trainers: fairseq `num. model params: 44,517,376`, torchtitan `size: 8,030,261,248 total parameters`,
 *  litgpt `Total parameters: 1,100,048,384`, nanochat `Number of parameters: 560,988,160`. */
const OTHER_PARAMS =
  /(?:num\. (?:shared )?model params: ([0-9,]+)|size: ([0-9,]+) total parameters|^Total parameters: ([0-9,]+)(?![.\d])|^Number of parameters: ([0-9,]+)\s*$)/;
/**
 * `total steps 5000` (llm.c), the HF Trainer banner's `Total optimization steps = 120`, Unsloth's `Total steps = 500`
 * and `total steps: 3834 | grad accum steps: 16`, a schedule's `Total iterations: 26355` / `Total training steps: 900`; a count with thousands separators (`Total optimization steps =
 * 1,320`) is read whole.
 */
const TOTAL_STEPS =
  /(?:[Tt]otal (?:training )?(?:steps|iterations|iters)|Total optimization steps)(?: ?[=:])? (\d{1,3}(?:,\d{3})+(?![\d,])|\d+)\b/;
/** How a planned total read by TOTAL_STEPS is sourced (a reader may tell it from other sources by it). */
export const TOTAL_STEPS_LINE = 'log line "total steps"';
/** The cheap test before TOTAL_STEPS. */
const mentionsTotalSteps = (line: string) =>
  line.includes('otal steps') ||
  line.includes('otal iter') ||
  line.includes('otal training steps') ||
  line.includes('optimization steps =');
// Linear-time shapes only (never two unbounded whitespace runs next to each other): these run on every line
// that mentions "param", so a crafted line of spaces must not make them backtrack quadratically.
// (a sentence's full stop may follow: `Total parameters: 337.25 M.`; a dot before more of a token may not: `1.2M.pth`)
const COUNT = String.raw`([0-9][0-9,_]*(?:\.[0-9]+)?(?: ?[KMBT])?)(?![0-9A-Za-z]|\.[0-9A-Za-z_])`;
/** A count word after the parameter word (`Params number: …`, `trainable_parameters_num:…`, `params_count=…`). */
const COUNT_WORD = String.raw`(?:[ _](?:num|number|count|cnt))?`;
/**
 * A total, by name: `Total params: 1,234,567`, `model_params:26041425`, `# of parameters 1.2B`, `total parameters in
 * model: 28.59M`.
 */
const STATED_TOTAL = new RegExp(
  String.raw`(?:^|[^A-Za-z])(?:total[ _]param(?:eter)?s|all[ _]param(?:eter)?s|model[ _]param(?:eter)?s|#\s*of\s+param(?:eter)?s|num(?:ber)?[ _]of[ _]param(?:eter)?s)` +
    COUNT_WORD +
    String.raw`(?: in (?:the )?model)?` +
    String.raw`["']?\s*(?:[:=]\s*)?(?:\(\s*)?` +
    COUNT,
  'i',
);
/**
 * A total in Chinese: `总参数：704115`, `模型总参数量:27517090`, `参数总量: 1.2M` (total parameters), and the bare
 * `参数量: 7B` (parameter count; not `可训练参数量`, the trainable count). Full-width or ASCII colon.
 */
const CHINESE_TOTAL = new RegExp(String.raw`(?:总参数(?:量|数量|数)?|参数总量)\s*[:：=]?\s*` + COUNT);
const CHINESE_COUNT = new RegExp(String.raw`(?:^|[^练])参数量\s*[:：=]\s*` + COUNT);
/**
 * A summary table's row with the count before its label (PyTorch Lightning's ModelSummary: `16.1 M    Total params`,
 * `124 K     Trainable params`): a total, or a trainable-only count.
 */
const SUMMARY_ROW = /^\s*([0-9][0-9,]*(?:\.[0-9]+)? ?[KMBT]?) +(Total|Trainable) params\s*$/;
/** A bare count: `n_parameters = …`, `num_params: …`, `Params: 89,154`. */
const STATED_COUNT = new RegExp(
  String.raw`(?:^|[^A-Za-z_])(?:n[ _]?params|num[ _]params|n[ _]parameters|num[ _]parameters|params|parameters)` +
    COUNT_WORD +
    String.raw`["']?\s*[:=]\s*` +
    COUNT,
  'i',
);
/**
 * The total of the trainable parameters (`Total trainable parameters: 140,131,594`): summed over the sub-networks
 * whose own counts lines above may state (`Hypernetwork (HyperNet) has 140,131,530 parameters.`), so it ranks above
 * a bare count, but below a stated total of all parameters (a fine-tune trains a part of its model).
 */
const STATED_TOTAL_TRAINABLE = new RegExp(
  String.raw`(?:^|[^A-Za-z])total[ _]trainable[ _]param(?:eter)?s` + COUNT_WORD + String.raw`["']?\s*[:=]\s*` + COUNT,
  'i',
);
/** A trainable-only count: `Trainable params: 1,234`. */
const STATED_TRAINABLE = new RegExp(
  String.raw`(?:^|[^A-Za-z])trainable[ _]param(?:eter)?s` + COUNT_WORD + String.raw`["']?\s*[:=]\s*` + COUNT,
  'i',
);
/**
 * A sentence: `model has 9,854,851 trainable parameters`, `with 124M parameters` (not `… parameter tensors`); or a
 * count before its word after a label or a logger's prefix (`Modèle chargé: 958,950,144 params`, `TemporalMamba:
 * 1,234,567 trainable parameters`, `- INFO - 1.27 M parameters`).
 */
const STATED_SENTENCE = new RegExp(
  String.raw`(?:^|[\s:])(?:(?:has|have|with|contains)\s+)?` +
    COUNT.replace('(?![0-9A-Za-z.])', '') +
    String.raw`\s+(trainable\s+)?param(?:eter)?s\b(?!\s+tensors)`,
  'i',
);
/**
 * A trainable count with the total after `of` or a slash (Unsloth's banners: `Trainable parameters = 28,056,064 of
 * 3,864,077,824`, `Trainable parameters = 12,156,928/3,224,906,752 (0.38% trained)`; `trainable params: 10.8M / 33.4M`).
 */
const TRAINABLE_OF_TOTAL = new RegExp(
  String.raw`(?:^|[^A-Za-z])trainable[ _]param(?:eter)?s` +
    COUNT_WORD +
    String.raw`["']?\s*[:=]\s*` +
    COUNT +
    String.raw`(?: +of +| ?\/ ?)` +
    COUNT,
  'i',
);
/** The pair keyed as a pair: `trainable/total: 4919040/203568960`, `trainable/all params = 1.2M/7B`. */
const TRAINABLE_SLASH_TOTAL = new RegExp(
  String.raw`(?:^|[^A-Za-z])trainable(?:[ _]param(?:eter)?s)? ?\/ ?(?:total|all)(?:[ _]param(?:eter)?s)?["']?\s*[:=]\s*` +
    COUNT +
    String.raw` ?\/ ?` +
    COUNT,
  'i',
);
/**
 * The same pair without the parameter word, as the whole line (`trainable 442,368 of 163,551,744`, `Trainable: 1.2M
 * of 124M (0.97%)`): a count of what is trained out of the model's count. Nothing may follow but a parenthesised
 * share, so that a count of other things (`trainable 12 of 24 layers`) is no parameter count.
 */
const TRAINABLE_BARE_OF_TOTAL = new RegExp(
  String.raw`^\s*trainable ?[:=]? ?` + COUNT + String.raw` +of +` + COUNT + String.raw`(?: *\([^()]*\))? *$`,
  'i',
);
/**
 * The total a line states after a trainable count (`trainable parameters = N of M`): M, the model's size, or
 * undefined when the line has no such pair (or M is below the trainable count).
 */
export function totalAfterTrainable(line: string): number | undefined {
  const m = TRAINABLE_OF_TOTAL.exec(line) ?? TRAINABLE_SLASH_TOTAL.exec(line) ?? TRAINABLE_BARE_OF_TOTAL.exec(line);
  if (!m) return undefined;
  const trainable = parseCount(m[1].replace(/_/g, ''));
  const total = parseCount(m[2].replace(/_/g, ''));
  return total !== undefined && trainable !== undefined && total >= trainable ? total : undefined;
}
/** A dict of counts after the parameter word (`Parameters: {'encoder': '35,972', …, 'total': '12,733,472'}`). */
const PARAM_DICT_TOTAL = new RegExp(
  String.raw`param(?:eter)?s["']?\s*[:=]\s*\{[^{}]*?["']total["']\s*:\s*["']?` + COUNT,
  'i',
);
/**
 * The `total` entry of a dict of per-module parameter counts printed after the parameter word: the model's size, or
 * undefined when the line has no such dict.
 */
export function totalInParamDict(line: string): number | undefined {
  const m = PARAM_DICT_TOTAL.exec(line);
  return m ? parseCount(m[1].replace(/_/g, '')) : undefined;
}
/** `in 65 params` / `in 12 tensors` right after a count. */
const IN_TENSORS = /^\s+in\s+[0-9][0-9,]*\s+(?:param(?:eter)?s|tensors)\b/i;
/**
 * Whether the count ending at `end` is said to lie in a number of tensors (DeepSpeed ZeRO-3's `Total persistent
 * parameters: 266240 in 65 params`): the elements of a subset of the model's tensors, not the model's size.
 */
export function overSomeTensors(line: string, end: number): boolean {
  return IN_TENSORS.test(line.slice(end, end + 40));
}
/** A summary saying the model has no gradients: an inference copy (fused for validation), not the model trained. */
const NO_GRADIENTS = /[^\d.,]0 gradients\b/i;
/** Smallest count taken as a model size (smaller numbers after `params` are flags such as `min_num_params=0`). */
const MIN_PARAMS = 1000;

/**
 * Parameter count stated in a log line, with its rank (3 total, 2.5 total of the trainable ones, 2 bare count, 1
 * trainable only), or undefined.
 */
export function statedParams(line: string): { value: number; rank: number; how: string } | undefined {
  const ofTotal = totalAfterTrainable(line) ?? totalInParamDict(line);
  if (ofTotal !== undefined && ofTotal >= MIN_PARAMS) return { value: ofTotal, rank: 3, how: 'stated total' };
  const tries: [RegExp, number, string][] = [
    [STATED_TOTAL, 3, 'stated total'],
    [CHINESE_TOTAL, 3, 'stated total'],
    [CHINESE_COUNT, 2, 'stated count'],
    [STATED_TOTAL_TRAINABLE, 2.5, 'stated total of the trainable parameters'],
    [STATED_TRAINABLE, 1, 'stated trainable count'],
    [STATED_COUNT, 2, 'stated count'],
  ];
  for (const [re, rank, how] of tries) {
    const m = re.exec(line);
    const v = m ? parseCount(m[1].replace(/_/g, '')) : undefined;
    if (v !== undefined && v >= MIN_PARAMS && !overSomeTensors(line, m!.index + m![0].length))
      return { value: v, rank, how };
  }
  const row = SUMMARY_ROW.exec(line);
  const rv = row ? parseCount(row[1]) : undefined;
  if (rv !== undefined && rv >= MIN_PARAMS)
    return row![2] === 'Total'
      ? { value: rv, rank: 3, how: 'stated total' }
      : { value: rv, rank: 1, how: 'stated trainable count' };
  const m = STATED_SENTENCE.exec(line);
  const v = m ? parseCount(m[1].replace(/_/g, '')) : undefined;
  if (v !== undefined && v >= MIN_PARAMS)
    return { value: v, rank: m![2] ? 1 : 2, how: m![2] ? 'stated trainable count' : 'stated count' };
  return undefined;
}
const ARGS_DUMP = /^\s*([A-Za-z_][A-Za-z0-9_]*) \.{3,} (.*?)\s*$/;

/** Args-dump keys worth keeping as hyper-parameters. */
const ARG_KEYS = new Set([
  'global_batch_size',
  'micro_batch_size',
  'seq_length',
  'train_iters',
  'train_samples',
  'train_tokens',
  'num_layers',
  'hidden_size',
  'ffn_hidden_size',
  'num_attention_heads',
  'padded_vocab_size',
  'lr',
  'min_lr',
  'lr_decay_style',
  'lr_warmup_iters',
  'lr_warmup_samples',
  'tensor_model_parallel_size',
  'pipeline_model_parallel_size',
  'data_parallel_size',
  'rampup_batch_size',
]);

/**
 * "Training finished" in the languages scripts print it in besides English (Indonesian/Malay `Training selesai`,
 * `Pelatihan selesai`; German `Training abgeschlossen`/`beendet`; French `Entraînement terminé`; Spanish
 * `Entrenamiento completado`/`terminado`/`finalizado`): the same end line as `Training
 * completed`, so a training that ends with it is a finished one. One list serves the end-line test below and its
 * cheap pre-filter, so a phrase added here is seen by both.
 */
const COMPLETED_OTHER_LANGUAGE_PHRASES = [
  '(?:training|pelatihan) selesai',
  'training (?:abgeschlossen|beendet)',
  'entra[iî]nement termin[ée]',
  'entrenamiento (?:completado|terminado|finalizado)',
];
/**
 * The same in scripts without spaces between words (Chinese `训练完成`, `训练结束`, `训练已完成`; Japanese `学習完了`,
 * `学習が完了`, `訓練終了`; Korean `학습 완료`, `훈련 종료`): no word boundary can be asked of them (`\b` sees none
 * beside an ideograph), so they stand apart from the list above. Not `完成度` (a degree of completion).
 */
const COMPLETED_CJK_PHRASES = [
  '(?:训练|訓練|学习|學習|学習)(?:已|が|を)?(?:完成|完了|结束|結束|終了|终了)(?!度)',
  '(?:학습|훈련)(?:이|을)? ?(?:완료|종료)',
];
const COMPLETED_OTHER_LANGUAGES = new RegExp(
  `\\b(?:${COMPLETED_OTHER_LANGUAGE_PHRASES.join('|')})|${COMPLETED_CJK_PHRASES.join('|')}`,
  'i',
);

/** A phrase's leading letters matched in either case (`(?:training|pelatihan)` → `(?:[Tt]raining|[Pp]elatihan)`). */
const eitherCaseInitials = (phrase: string): string =>
  phrase.replace(/(^|[(|:])([a-z])/g, (_, before: string, c: string) => `${before}[${c.toUpperCase()}${c}]`);

/** Cheap pre-filter for end lines (one regex test per non-metric line); a superset of what END_KINDS matches. */
const END_HINT = new RegExp(
  [
    '[Tt]raceback|out of memory|OutOfMemory|Interrupt|[Ii]nterrupted|INTERRUPTED|[Ee]arly[ -]?[Ss]top|[Tt]ime limit|TIME LIMIT|[Ww]all[- ]?clock',
    '(?:[Tt]raining|TRAINING|[Oo]ptimi[sz]ation) (?:is )?(?:[Cc]omplete|[Ff]inish|[Dd]one|COMPLETE|FINISH|DONE)',
    '(?:[Tt]raining|TRAINING) (?:[Ee]nd|END)|[Ff]inished (?:training|optimi[sz]ation)|Trainer to stop|Trainer\\.fit stopped|[Ff]inished \\S+[,;:] [Bb]est |[Tt]raining [Tt]ime|TRAINING TIME',
    'Segmentation fault|Killed|CANCELLED AT|got signal|ChildFailedError',
    '[Bb]est [Vv]al|[Bb]est [Tt]est|[Bb]est [Ee]val|BEST (?:VAL|TEST|EVAL)',
    '^\\s*(?:\\[[^\\]]{1,24}\\]\\s*)?(?:DONE|[Dd]one|FINISHED|[Ff]inished|COMPLETED?|[Cc]ompleted?)\\s*[:!]',
    ...COMPLETED_OTHER_LANGUAGE_PHRASES.map(eitherCaseInitials),
    ...COMPLETED_CJK_PHRASES,
  ].join('|'),
);
const END_KINDS: [RegExp, RunEndKind][] = [
  [
    /Traceback \(most recent call last\)|CUDA out of memory|OutOfMemoryError|Segmentation fault|^Killed\b|\bgot signal\b|ChildFailedError/,
    'crash',
  ],
  [/KeyboardInterrupt|CANCELLED AT (?!.*TIME LIMIT)/, 'interrupted'],
  // the training said interrupted in words (`Training interrupted! Saving checkpoint...`, `Run was interrupted`)
  [/\b(?:training|run|job) (?:was |is |has been )?interrupted\b/i, 'interrupted'],
  [
    /DUE TO TIME LIMIT|\btime limit (?:reached|exceeded|hit)|\b(?:reached|exceeded|hit) (?:the )?(?:wall[- ]?clock |time )(?:limit|cap|budget)|\bwall[- ]?clock (?:limit|cap|budget) (?:reached|exceeded|hit)/i,
    'time-limit',
  ],
  [
    /\bearly[ -]?stopp(?:ing|ed)\b(?![_=]|\s*(?:patience|callback|threshold|min_delta|delta|counter|mode|monitor|[:=]))|Signaling Trainer to stop/i,
    'early-stop',
  ],
  [
    // (`Optimization Finished!`: the end line of Kipf's GCN script and the many scripts written from it)
    /\b(?:training|optimi[sz]ation) (?:is )?(?:completed?|finished|done)\b|\bfinished (?:training|optimi[sz]ation)\b|Trainer\.fit stopped: `max_(?:steps|epochs)=\d+` reached/i,
    'completed',
  ],
  // the closing banner of a training (`------ Training ends ------`, `Training ended.`); not a plan of when it will
  // (`Training ends at step 5000`, `training ends in 3h`) nor a training that ends an epoch (`Training ends epoch 3`)
  [
    /\btraining (?:ends|ended)\b(?!\s*(?:at|in|after|on|when|by|before|with|if|once|for|epoch|step|iter|batch|\d))/i,
    'completed',
  ],
  [COMPLETED_OTHER_LANGUAGES, 'completed'],
  // a loop over models or configurations closing each one with its best score, the name being the model's own
  // (`Finished mlp_sgd, best validation accuracy: 0.9584`); a unit of the training loop finished (`Finished epoch 3,
  // best loss: …`, a step, a batch, an evaluation, a save) is no end of the training
  [
    /^\s*finished (?!(?:epoch|step|iter(?:ation)?|batch|round|eval(?:uation)?|validation|valid|val|test(?:ing)?|sav(?:e|ing)|restor(?:e|ing)|load(?:ing)?)(?:s?\b|[\d_]))[\w.+-]+[,;:] best\b/i,
    'completed',
  ],
  // the training's best evaluation score stated alone on its line, once it is over (`Best Validation Acc:0.5364`,
  // `best val loss = 0.1203`, `Best test accuracy: 91.2%`); not a record that carries it among other values
  [
    /^\s*best\s+(?:val|valid|validation|test|eval|evaluation)[\s_]+(?:acc|accuracy|loss|f1|score|auc)\s*[:=]\s*-?\d+(?:\.\d+)?(?:e[-+]?\d+)?\s*%?\s*$/i,
    'completed',
  ],
  // a finishing word opening the line, behind at most a bracketed tag, then its summary (`[FT] DONE: epochs=50,
  // betas=[…]`, `Finished: 3000 steps in 2:01:13`, `Completed! best acc 0.91`: a fine-tune or sweep member closing
  // each of its trainings); a record whose finishing word follows a unit of the loop (`Epoch 3 done: loss …`) is none
  [/^\s*(?:\[[^\]]{1,24}\]\s*)?(?:done|finished|completed?)\s*[:!]/i, 'completed'],
  // the training's duration stated alone on its line, once it is over (`Training time: 0:00:43.737432`, `Total
  // training time: 12 minutes and 3 seconds`, `engine.hooks INFO: Total training time: 0:14:31 (0:00:01 on hooks)`:
  // behind a logger's name and level, a remark in parentheses after it); a record with a time among its values
  // (`Training time: 3.1s, loss: 0.52`) is none
  [
    /^\s*(?:(?:[\w.-]+\s+)?INFO\s*[:|-]?\s*)?(?:total\s+)?training\s+time\s*[:=]?\s*\d[\d:.]*\s*[a-z]*(?:,?\s*(?:and\s+)?\d[\d.]*\s*[a-z]+)*(?:\s*\([^()]*\))?\.?\s*$/i,
    'completed',
  ],
];

/** The kind of end line `line` is, or undefined (most lines). Pure. */
export function endLineKind(line: string): RunEndKind | undefined {
  if (!END_HINT.test(line)) return undefined;
  for (const [re, kind] of END_KINDS) if (re.test(line)) return kind;
  return undefined;
}

/** A heading line announcing a table of parameter counts, nothing after its colon (`Parameter counts:`, `Params:`). */
const PARAM_TABLE_HEADING = /^\s*(?:model\s+)?param(?:eter)?s?(?:\s+(?:counts?|numbers?|per\s+module))?\s*:?\s*$/i;
/** The total row of such a table (`total : 36,700,242`, `Total = 1.2M`). */
const PARAM_TABLE_TOTAL = /^\s*total\s*[:=]\s*([0-9][0-9,_]*(?:\.[0-9]+)?\s*[KMBT]?)\s*$/i;

/** `{'Total': 4050240, 'Trainable': 4050240}`: the model's total count, then its trainable part. */
const COUNT_DICT = /^\s*\{\s*(?:'total'|"total")\s*:\s*(\d+)\s*,\s*(?:'trainable'|"trainable")\s*:\s*\d+\s*\}\s*$/i;

/** A line opening with the word `trainable` (the cheap test before `TRAINABLE_BARE_OF_TOTAL`). */
const TRAINABLE_START = /^\s*trainable\b/i;

/** Stateful scanner (per-shard sums need memory across lines). */
export class MetaScanner {
  private readonly megatronShards = new Map<string, number>();
  private readonly bigscienceShards = new Map<string, [number, number]>();
  private bigscienceHeader = false;
  /** Batch-size ramp-up: global_batch_size × seq_length is not the tokens per step of early steps. */
  private rampup = false;
  private args: Record<string, { value: number; line: number }> = {};
  /** Rank of the parameter count set so far (see module doc); 0 = none. */
  private paramsRank = 0;
  /** The line that set the parameter count, its numbers masked; and the line being scanned. */
  private paramsKey = '';
  private line = '';
  /** The line of a heading announcing a table of parameter counts (`Parameter counts:`); NaN: none. */
  private paramTable = NaN;

  constructor(private readonly b: RunBuilder) {}

  /** Sets params when `rank` beats what is known (or `override`, for sums that grow line by line). */
  private setParams(value: number, how: string, lineNo: number, rank: number, override = false): void {
    if (!Number.isFinite(value) || value <= 0) return;
    // within a rank the first line wins, except over itself: the same statement printed again with another count
    // (a file holding several launches, `Model Summary: Params: 0.38M` … `Params: 1.19M`) is the later launch's
    const key = this.line.replace(/[0-9][0-9.,]*/g, '#');
    // — not by a copy that has no gradients (YOLOv5's `Model Summary: 280 layers, 3087256 parameters, 0 gradients`
    // after `Fusing layers...`: the fused model of the final validation, not the one trained)
    const again = rank === this.paramsRank && key === this.paramsKey && !NO_GRADIENTS.test(this.line);
    if (!override && !again && rank <= this.paramsRank && this.b.meta.params) return;
    this.paramsKey = key;
    this.paramsRank = Math.max(rank, this.paramsRank);
    this.b.setMeta('params', value, this.b.at(lineNo, how), true);
  }

  /**
   * Whether line `lineNo` may be the `total` row of a table of parameter counts under a heading seen just above
   * (`Parameter counts:` … `total : 80,937,778`): a reader that scans only lines mentioning a parameter word
   * (`metaWorthy`) scans such a line too.
   */
  inParamTable(lineNo: number): boolean {
    return lineNo - this.paramTable <= 32;
  }

  /** Looks for metadata in one line (rank prefixes already stripped). Never throws. */
  scan(line: string, lineNo: number): void {
    if (line.length > 4096) return;
    this.line = line;
    const end = endLineKind(line);
    if (end) return this.end(end, line, lineNo);
    // a table of parameter counts under a heading (`Parameter counts:` then `wte : 8,388,608` … `total : 36,700,242`):
    // its `total` row, within the next 32 lines, is the count
    if (lineNo - this.paramTable <= 32) {
      const t = PARAM_TABLE_TOTAL.exec(line);
      if (t) {
        this.paramTable = NaN;
        return this.setParams(
          parseCount(t[1].replace(/_/g, '')) ?? NaN,
          'log line (total of a parameter-count table)',
          lineNo,
          2,
        );
      }
    }
    if (PARAM_TABLE_HEADING.test(line)) this.paramTable = lineNo;
    else if (line.includes('aram') || line.includes('参数') || line.includes('ble/') || TRAINABLE_START.test(line))
      this.params(line, lineNo);
    else if (line.includes("ble':") || line.includes('ble":')) {
      // a dict of counts printed whole, a helper many scripts copy (`get_parameter_number(net)` returning
      // `{'Total': total_num, 'Trainable': trainable_num}`)
      const m = COUNT_DICT.exec(line);
      if (m) this.setParams(Number(m[1]), 'log line (a dict of Total and Trainable counts)', lineNo, 2);
    } else if (mentionsTotalSteps(line)) this.totalSteps(line, lineNo);
    else if (this.bigscienceHeader && line.includes('B /')) this.bigscienceShard(line, lineNo);
    else if (line.includes('all params')) this.peft(line, lineNo);
    else if (line.includes(' ...')) this.argsDump(line, lineNo);
  }

  private params(line: string, lineNo: number): void {
    let m = NANOGPT_PARAMS.exec(line);
    if (m) return this.setParams(Math.round(Number(m[1]) * 1e6), 'log line (nanoGPT)', lineNo, 3);
    m = MEGATRON_RANK.exec(line);
    if (m) {
      this.megatronShards.set(`${m[1]},${m[2]}`, Number(m[3]));
      let sum = 0;
      for (const v of this.megatronShards.values()) sum += v;
      const how = `log line (Megatron, sum over ${this.megatronShards.size} distinct (tensor, pipeline) ranks)`;
      return this.setParams(sum, how, lineNo, 3, true);
    }
    m = OLMO_TOTAL.exec(line);
    if (m) return this.setParams(parseNumber(m[1]) ?? NaN, 'log line (OLMo)', lineNo, 3);
    m = OLMO_NON_EMB.exec(line);
    if (m) return this.b.setMeta('nonEmbeddingParams', parseNumber(m[1]) ?? NaN, this.b.at(lineNo, 'log line (OLMo)'));
    if (line.includes('Number of parameters:') && line.includes('[tensor rank - pipeline rank]')) {
      this.bigscienceHeader = true;
      if (line.includes('B /')) this.bigscienceShard(line, lineNo);
      return;
    }
    if (line.includes('all params')) return this.peft(line, lineNo);
    m = OTHER_PARAMS.exec(line);
    if (m) {
      const v = parseNumber(m[1] ?? m[2] ?? m[3] ?? m[4]);
      if (v !== undefined) this.setParams(v, 'log line (parameter count)', lineNo, 3);
    } else {
      const st = statedParams(line);
      if (st) this.setParams(st.value, `log line (${st.how})`, lineNo, st.rank);
    }
    if (mentionsTotalSteps(line)) this.totalSteps(line, lineNo);
  }

  /**
   * The first end line wins (a traceback printed after "Training completed" does not undo it), unless metrics
   * were logged since: then the run went on (resumed in the same log) and the new line replaces it.
   */
  private end(kind: RunEndKind, line: string, lineNo: number): void {
    let atStep: number | undefined;
    for (const k in this.b.run.metrics) {
      const s = this.b.run.metrics[k].step;
      if (s.length && (atStep === undefined || s[s.length - 1] > atStep)) atStep = s[s.length - 1];
    }
    const prev = this.b.meta.end;
    if (prev && !(atStep !== undefined && (prev.value.atStep === undefined || atStep > prev.value.atStep))) return;
    this.b.meta.end = {
      value: { kind, text: line.trim().slice(0, 200), atStep },
      source: this.b.at(lineNo, 'log line'),
    };
  }

  private totalSteps(line: string, lineNo: number): void {
    const m = TOTAL_STEPS.exec(line);
    if (m) this.b.setMeta('totalSteps', Number(m[1].replace(/,/g, '')), this.b.at(lineNo, TOTAL_STEPS_LINE));
  }

  private bigscienceShard(line: string, lineNo: number): void {
    const m = BIGSCIENCE_SHARD.exec(line);
    if (!m) return;
    this.bigscienceShards.set(`${Number(m[1])},${Number(m[2])}`, [Number(m[3]) * 1e9, Number(m[4]) * 1e9]);
    let total = 0;
    let nonEmb = 0;
    for (const [t, n] of this.bigscienceShards.values()) {
      total += t;
      nonEmb += n;
    }
    const how = `log line (Megatron-DeepSpeed, ${this.bigscienceShards.size} distinct shard(s), printed to 4 digits)`;
    this.setParams(Math.round(total), how, lineNo, 3, true);
    this.b.setMeta('nonEmbeddingParams', Math.round(nonEmb), this.b.at(lineNo, how), true);
  }

  private peft(line: string, lineNo: number): void {
    const m = PEFT_ALL.exec(line);
    if (m) this.setParams(parseNumber(m[1]) ?? NaN, 'log line (PEFT "all params")', lineNo, 3);
  }

  private argsDump(line: string, lineNo: number): void {
    const m = ARGS_DUMP.exec(line);
    if (!m || !ARG_KEYS.has(m[1])) return;
    const raw = m[2];
    if (raw === 'None') return;
    if (m[1] === 'rampup_batch_size') this.rampup = true;
    const num = parseNumber(raw.replace(/_/g, ''));
    this.b.setHparam(m[1], num ?? raw, this.b.at(lineNo, 'args dump'));
    if (num === undefined) return;
    this.args[m[1]] = { value: num, line: lineNo };
    if (m[1] === 'train_iters') this.b.setMeta('totalSteps', num, this.b.at(lineNo, 'args dump train_iters'));
    if (m[1] === 'train_tokens') this.b.setMeta('totalTokens', num, this.b.at(lineNo, 'args dump train_tokens'));
    const gbs = this.args.global_batch_size;
    const seq = this.args.seq_length;
    if (gbs && seq && !this.rampup) {
      this.b.setMeta(
        'tokensPerStep',
        gbs.value * seq.value,
        this.b.at(gbs.line, 'args dump global_batch_size × seq_length'),
      );
    }
    const samples = this.args.train_samples;
    if (samples && seq)
      this.b.setMeta(
        'totalTokens',
        samples.value * seq.value,
        this.b.at(samples.line, 'args dump train_samples × seq_length'),
      );
  }
}

/**
 * Parameter count from a run/folder name, only from a token that looks like a model size and stands alone
 * between separators (`-`, `_`, `.`, space, start/end): `gpt-125M`, `pythia-1.3b`, `llama_7B`, `opt-350m.log`.
 * Not from a size glued to a word (`qwen7b`, `v5m`), and not when the next token says what is counted
 * (`1m_steps`, `10M-tokens`). Undefined when absent.
 */
export function paramsFromName(name: string): number | undefined {
  const re = /(?:^|[-_. ])(\d+(?:\.\d+)?)([mMbB])(?=$|[-_. ])/g;
  for (let m = re.exec(name); m; m = re.exec(name)) {
    const next = /^[-_. ]([A-Za-z]+)/.exec(name.slice(m.index + m[0].length));
    if (next && NOT_PARAMS.test(next[1])) continue;
    return parseCount(m[1] + m[2]);
  }
  return undefined;
}

/** Words after a size token that say it counts something other than parameters. */
const NOT_PARAMS =
  /^(steps?|tokens?|toks?|samples?|examples?|iters?|iterations?|epochs?|images?|rows?|lines?|words?|chars?|docs?|sequences?|seqs?|updates?|data)$/i;
