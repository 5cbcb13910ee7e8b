/**
 * Line templates and their columns: the memory of the general reader. Pure.
 *
 * A template is created the first time its hash is seen; its fields' keys are read then (`fieldKey`) and
 * classified once: step keys (`step`, `iter`, `epoch`, …), totals (`N/M`), metric keys, unkeyed numbers.
 * Each later line of the template appends its field values to growable Float64 columns, with its line number
 * and the current multi-line context step. Only fields that can matter are stored: keyed fields, `N/M`
 * counters, and every field of short templates (an unkeyed first column may be the step). Templates that
 * cannot give metrics (no keyed value, not a table row) are only counted.
 */
import { F_COUNTER, F_INT, F_ROUNDED, F_TOTAL, MAX_FIELDS, Shape, fieldKey, tokenize } from './tokenize';
import { prefixEndBytes } from './prefix';

/**
 * A split word not used as a key (not followed by a number or `:`/`=`), e.g. `Epoch 1 Training - Loss: 1.2`, with
 * a summary word after it (`- Train Summary | Epoch 1 | Loss=…`: an epoch's aggregate, not the training lines).
 */
const SPLIT_ALONE =
  /(?:^|[\s|,;\]\)-])((?:train|training|val|valid|validation|eval|evaluation|test|testing|dev)(?:\s+(?:summary|stats|statistics|results|averages?|avg|mean))?)(?=\s*(?:[-|,;]|$))/i;
/** A key that is a split word and nothing else. */
const SPLIT_WORDS_ONLY = /^(?:train|training|val|valid|validation|eval|evaluation|test|testing|dev)$/i;
const SPLIT_IN_KEY =
  /(?:^|[\s_/.-])(?:train|training|val|valid|validation|eval|evaluation|test|testing|dev)(?:$|[\s_/.-])/i;

/**
 * An error measure or loss word standing alone before the first value, as a heading (`Predictor MSE | train 2.58 |
 * val 2.82`, `RMSE: train=0.51 val=0.62`): it names values keyed by split words alone.
 */
const MEASURE_ALONE = /(?:^|[\s|\]\)])(mse|mae|rmse|nll|loss|error|cost)\s*(?:[-|:,;]|$)/i;

/**
 * Words announcing that a checkpoint or model was saved (`Saved best checkpoint`, `Best model saved`, `saving model
 * weights`): said before the line's first value.
 */
const SAVE_LINE =
  /\b(?:sav(?:ed|ing|e)\b.{0,24}\b(?:checkpoint|ckpt|model|weights)|(?:checkpoint|ckpt|model|weights)\b.{0,24}\bsaved)\b/i;

/** A line that is only an integer between two rules of dashes, equals signs, stars, `#` or `~`. */
const BANNER_NUMBER = /^\s*([-=*#~])\1+\s*\d+\s*\1\1+\s*$/;
/** `name = 12` alone on a line, with blanks around the `=`. */
const ASSIGNMENT = /^\s*[A-Za-z_][\w ]*?\s+=\s+[-+]?\d+\s*$/;
/** Field `skip` of the shape is an integer that is not the M of an `N/M`. */
const flags0 = (s: Shape, skip: number) => (s.flags[skip] & F_INT) !== 0 && (s.flags[skip] & F_TOTAL) === 0;

/** The key of the time a loop took, printed on its closing line (`Time Taken`, `time elapsed`, `Elapsed`). */
const TIME_TAKEN_KEY = /^(?:time taken|time elapsed|elapsed(?: time)?)$/i;
/** Scratch shape for the text after the prefix of a new template's first line. */
/** A line that is only a fractional number (`0.765894`, `-1.5e-03`). */
const BARE_VALUE = /^\s*[-+]?(?:\d+\.\d*|\.\d+|\d+(?:\.\d*)?e[-+]?\d+)\s*$/i;

/** A bracketed tag naming an evaluation split, in a line's prefix (`[valid] Ep. 42 : …`, `[eval]`, `(test)`). */
const EVAL_TAG = /[[(](?:val|valid|validation|validate|eval|evaluation|evaluate|test|testing|dev)[\])]/i;
/** A bracketed tag naming the training split, in a line's prefix (`[Training] 12/167 [===>…] - ETA: …  [ loss=…]`). */
const TRAIN_TAG = /\[(?:train|training)\]/i;

const REST = new Shape();

/** Step-like keys and their rank (higher = preferred as the step axis). */
const STEP_RANK: Record<string, number> = {
  global_step: 9,
  globalstep: 9,
  'global step': 9,
  'train/global_step': 9,
  'trainer/global_step': 9,
  step: 8,
  steps: 7,
  // the same words in Chinese (`迭代 300: 训练损失 1.13`, `步数：0`)
  迭代: 7,
  步数: 7,
  步: 8,
  'train step': 8,
  'training step': 8,
  'optimizer step': 8,
  'opt step': 8,
  iteration: 7,
  iter: 7,
  iters: 6,
  it: 5,
  itr: 6,
  // the other short form of `iteration` (`ite 0, loss is 540.95`): a counter key like `itr`
  ite: 6,
  'train iter': 7,
  update: 6,
  updates: 6,
  num_updates: 6,
  batch: 3,
  'batch idx': 3,
  batch_idx: 3,
  batch_index: 3,
  // an enumerate loop's index printed as the record's number (`idx: 12 loss: 0.84`): as weak as a batch's index
  idx: 3,
  'batch index': 3,
  'train batch': 3,
  // an environment sample counted by a reinforcement-learning agent (`Sample 12000, up 60, avg cur reward …, pi loss
  // …`: the samples collected so far, as other agents count timesteps), or a sample's index within its epoch
  // (`Epoch [2/10], Sample [3/5], Loss: …`): as weak as a batch's index; the plural is a count (`Samples: 1013`)
  sample: 3,
  // a table's `#` column (spaCy's `E  #  LOSS …`: the step count; `#` is never a key of a line's own words)
  '#': 5,
  epoch: 1,
  ep: 1,
  epochs: 1,
  // a reinforcement-learning episode (`Episode 3 - … - Mean Loss 0.8`)
  episode: 1,
  // the same words in other languages that training scripts print in (`Epoka 0 | Krok 100/356 | Loss …`,
  // `Эпоха 3, шаг 200`, `Época 2 - Iteración 50`, `에폭 1 스텝 20`, `エポック 1 ステップ 20`, `第 3 轮`)
  krok: 8,
  schritt: 8,
  paso: 8,
  passo: 8,
  étape: 8,
  шаг: 8,
  adım: 8,
  ステップ: 8,
  스텝: 8,
  iteración: 7,
  itération: 7,
  iterazione: 7,
  iteração: 7,
  итерация: 7,
  epoka: 1,
  epoche: 1,
  época: 1,
  époque: 1,
  epoca: 1,
  эпоха: 1,
  에폭: 1,
  에포크: 1,
  エポック: 1,
  轮: 1,
  轮次: 1,
};

/** The split words that may qualify a step word (`Training epoch`, `TRAIN in epoch`, `val step`). */
const SPLIT_QUALIFIERS = new Set([
  'train',
  'training',
  'eval',
  'evaluation',
  'val',
  'valid',
  'validation',
  'test',
  'testing',
  'dev',
]);

/** Words that may stand before a step word in a two-word step key (`Training epoch`, `Meta epoch`, `cur iter`). */
const STEP_QUALIFIERS = new Set([
  ...SPLIT_QUALIFIERS,
  'global',
  'optimizer',
  'opt',
  'meta',
  'outer',
  'current',
  'cur',
  'total',
  // LAVIS' MetricLogger header (`Train: data epoch: [3]`, BLIP-2 and the models trained on its code): the epoch over
  // the training data
  'data',
  // the training phase a counter is of, as LM pipelines name their stages (`SFT Step 0010 | Loss: …`, `DPO step 40`,
  // `Pretrain Epoch 2`, `PPO iter 7`): a qualifier as a split word is
  'pretrain',
  'pretraining',
  'sft',
  'finetune',
  'finetuning',
  'ft',
  'dpo',
  'ppo',
  'grpo',
  'rl',
  'rlhf',
  'distill',
  'distillation',
]);

/**
 * A preposition (and article) before a one-word step key: `At step`, `after the epoch`; or the `and` joining a second
 * counter to the first (`Loss at epoch 0 and iteration 500 is 0.21`, `epoch 3 and step 200`).
 */
const LEADING_ADVERBIAL = /^(?:(?:at|after|in|during|and) (?:the )?|(?:at )?(?:the )?end of (?:the )?)(?=\S+$)/i;

/**
 * Rank of a key as a step key (0 = not one): the whole key, or a qualifier + step word (`Training epoch`), or a
 * step word + step word (`Iteration step`).
 */
export function stepRank(key: string): number {
  if (!key) return 0;
  // a sentence's key without its verb (`Epoch is [2/600]`) nor its article (`the step is: 3`); `mini-batch` is a batch
  const k = key
    .toLowerCase()
    .replace(/\s+(?:is|was|are)$/, '')
    .replace(/^(?:the|this) (?=\S+$)/, '')
    // a sentence's adverbial (`At step 200 the loss was 2.3`, `After epoch 3, …`)
    .replace(LEADING_ADVERBIAL, '')
    .replace(/^mini-?batch$/, 'batch')
    // an emoji or other symbol decorating the line's start (`✅ Epoch 1/10 | Train Loss: …`) is no word of the key
    .replace(LEADING_SYMBOLS, '');
  const r = STEP_RANK[k];
  if (r) return r;
  // a step word written right after Chinese, Japanese or Korean words, with no space as those scripts are
  // written (`当前Batch`, `训练epoch`): the words before it qualify it
  const cjk = CJK_THEN_LATIN.exec(k);
  if (cjk) return STEP_RANK[cjk[1]] ?? 0;
  const words = k.split(' ');
  if (words.length === 3 && splitInStep(words)) return splitInStep(words);
  if (words.length === 3 && loopPlaceStep(words)) return loopPlaceStep(words);
  // words describing the run before a split-qualified step key (`S real T clipart Train Ep: 100`, `mnist Train
  // Iter: 5`): the key is its last two words. Not a count of steps (`Total training steps: 31250`, a plural or a
  // word of amount before it): that is a planned total, no position
  const last = words[words.length - 1];
  if (
    words.length >= 3 &&
    SPLIT_QUALIFIERS.has(words[words.length - 2]) &&
    !last.endsWith('s') &&
    !words.some((w) => AMOUNT_WORDS.has(w))
  )
    return STEP_RANK[last] ?? 0;
  if (words.length !== 2) return 0;
  // a word of amount before a plural step word (`Total steps = 500`, `Num Epochs = 5` in a trainer's banner) states
  // how many there are, a planned total or a count, not the current position; a singular one is a running counter
  // (`epoch 2, total step 60`)
  if (AMOUNT_WORDS.has(words[0]) && words[1].endsWith('s')) return 0;
  // a step word qualified by another (`Iteration step`, `iter step`): a step key, ranked by its last word
  const first = STEP_RANK[words[0]] ?? 0;
  return STEP_QUALIFIERS.has(words[0]) || first > WEAK_STEP_RANK ? (STEP_RANK[words[1]] ?? 0) : 0;
}

/**
 * A split word, a preposition and a step word (`TRAIN in epoch 3 , step 50, loss = …`, `train at step`): the rank of
 * the step word; the split word says which loop the record is from, as a qualifier before a step word does.
 */
function splitInStep(words: readonly string[]): number {
  if (!/^(?:in|at|for|of)$/.test(words[1]) || !SPLIT_QUALIFIERS.has(words[0])) return 0;
  return STEP_RANK[words[2]] ?? 0;
}

/**
 * Words saying where in the loop a line is written: the loop or phase of a split (`TRAIN LOOP EPOCH 3`, `train phase
 * epoch 3`) or its end or start (`END VALIDATION EPOCH 3`, `start train epoch 3`).
 */
const LOOP_PLACE_WORDS = new Set(['loop', 'phase', 'stage', 'end', 'start', 'begin']);

/**
 * A split word and a word of the loop's place, in either order, before a step word (`train loop epoch`, `end validation
 * epoch`): the step word's rank, else 0.
 */
function loopPlaceStep(words: readonly string[]): number {
  const [a, b2] = words;
  const placed =
    (SPLIT_QUALIFIERS.has(a) && LOOP_PLACE_WORDS.has(b2)) || (LOOP_PLACE_WORDS.has(a) && SPLIT_QUALIFIERS.has(b2));
  return placed ? (STEP_RANK[words[2]] ?? 0) : 0;
}

/** Words saying a key counts steps rather than gives one's position (`Total training steps`, `num train epoch`). */
const AMOUNT_WORDS = new Set(['total', 'num', 'number', 'max', 'maximum', 'planned']);

/** Symbols (emoji, dingbats, their variation selectors) and blanks before a key's first letter or digit. */
const LEADING_SYMBOLS = /^[^\p{L}\p{N}]+(?=[\p{L}\p{N}])/u;

/** CJK characters, then a Latin word (a step word glued to a Chinese qualifier: `当前batch`, lower-cased). */
const CJK_THEN_LATIN = /^[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]+([a-z][a-z_]*)$/;

export const EPOCH_RANK = 1;

/**
 * The step rank of a field keyed `key` with these flags: a step is an integer (an epoch may be fractional), so a
 * fractional value under a step key (`after inner updates : 234.57`) has rank 0.
 */
export function fieldStepRank(key: string, flags: number): number {
  // `Head E3/6`, `[Fold 0] Finetune E1/10`: an `E` glued to an N/M counter is the epoch, whatever words qualify it
  if (flags & F_COUNTER && /(?:^| )e$/i.test(key)) return EPOCH_RANK;
  const r = stepRank(key);
  return r && (r === EPOCH_RANK || flags & F_INT) ? r : 0;
}
/**
 * A key naming a value, then the step it is for (`loss for epoch`, `loss at step`, `avg loss in epoch`, `The loss of
 * epoch`).
 */
const NAME_FOR_STEP = /^(.+?) (?:for|at|in|after|of) (?:the )?([A-Za-z]+)$/;
/** The key of a value that is a sentence's verb (`The loss of epoch 3 is: 2.5`): the value is the subject's. */
const COPULA_KEY = /^(?:is|was|are|were)$/i;
/**
 * The name of a `NAME for STEP` key read with the word before it, when one stands there (`NCE Loss at epoch 3 …`: a
 * key keeps three words, `Loss at epoch`, and two losses printed in the same sentence would share the name `Loss`).
 */
function nameBefore(b: Uint8Array, start: number, at: number, name: string): string {
  const m = NAME_FOR_STEP.exec(fieldKey(b, start, at, 4));
  return m && m[1].endsWith(` ${name}`) ? m[1] : name;
}
/** The names such a key may give (a metric's, not `Saved checkpoint for epoch 3: …`). */
const METRIC_NAME = /loss|err|ppl|perplexity|nll|mse|cost|acc|accuracy|reward|score/i;
/** A key that ends in a verb or preposition (`ended with`, `loss of the batch was`): no name of the value after it. */
const KEY_BEFORE_VALUE_ENDS = /(?:^|\s)(?:with|of|is|was|were|are|has|had|got|gives|gave|reached|reaches)$/i;

/**
 * The word right after the number that starts at `at` (`0.9634 loss.`), when it is the last word of the line or of
 * its clause (followed only by blanks, or by `.`/`,`/`;`/`|` and a blank or the end); else ''.
 */
function nameAfter(b: Uint8Array, at: number, end: number): string {
  let i = at;
  if (b[i] === 45 || b[i] === 43) i++;
  while (
    i < end &&
    ((b[i] >= 48 && b[i] <= 57) ||
      b[i] === 46 ||
      ((b[i] | 32) === 101 &&
        i + 1 < end &&
        (b[i + 1] === 45 || b[i + 1] === 43 || (b[i + 1] >= 48 && b[i + 1] <= 57))) ||
      ((b[i] === 45 || b[i] === 43) && (b[i - 1] | 32) === 101))
  )
    i++;
  if (i >= end || (b[i] !== 32 && b[i] !== 9)) return '';
  while (i < end && (b[i] === 32 || b[i] === 9)) i++;
  const w = i;
  while (i < end && (((b[i] | 32) >= 97 && (b[i] | 32) <= 122) || b[i] === 95)) i++;
  if (i === w || i - w > 24) return '';
  // (two words, a qualifier and the name, as Darknet's `364.2 avg loss, 0.001 rate, …`: one blank between them)
  if (i + 1 < end && b[i] === 32 && (b[i + 1] | 32) >= 97 && (b[i + 1] | 32) <= 122) {
    let j = i + 1;
    while (j < end && (((b[j] | 32) >= 97 && (b[j] | 32) <= 122) || b[j] === 95)) j++;
    if (j - i - 1 <= 24 && clauseEnds(b, j, end))
      return Buffer.from(b.buffer, b.byteOffset + w, j - w).toString('latin1');
  }
  return clauseEnds(b, i, end) ? Buffer.from(b.buffer, b.byteOffset + w, i - w).toString('latin1') : '';
}

/** Does a clause end at `i`: `.`, `,`, `;` or `|`, or only blanks to the line's end? */
function clauseEnds(b: Uint8Array, i: number, end: number): boolean {
  if (i < end && (b[i] === 46 || b[i] === 44 || b[i] === 59 || b[i] === 124)) return true;
  while (i < end && (b[i] === 32 || b[i] === 9 || b[i] === 13)) i++;
  return i >= end;
}

/**
 * Are the numbers starting at `a` and `c` a pair in parentheses: `(` right before `a` (blanks allowed), `, ` between
 * them, `)` right after the second, and nothing but blanks after it?
 */
function pairAt(b: Uint8Array, a: number, c: number, end: number): boolean {
  let i = a - 1;
  while (i >= 0 && b[i] === 32) i--;
  if (b[i] !== 40) return false;
  i = a;
  while (i < c && b[i] >= 48 && b[i] <= 57) i++;
  if (b[i] !== 44) return false;
  for (i++; i < c; i++) if (b[i] !== 32) return false;
  i = c;
  if (b[i] === 45 || b[i] === 43) i++;
  while (i < end && ((b[i] >= 48 && b[i] <= 57) || b[i] === 46 || (b[i] | 32) === 101 || b[i] === 45 || b[i] === 43))
    i++;
  if (b[i] !== 41) return false;
  for (i++; i < end; i++) if (b[i] !== 32 && b[i] !== 9 && b[i] !== 13) return false;
  return true;
}

/**
 * Does the whole number at `a` open a list of whole numbers in brackets, the next field starting at `c` (`STEPS: (5000,
 * 7500)`, `milestones: [30, 60, 90]`): `(` or `[` before it, a comma and blanks only between it and the next number,
 * which is whole as well? A step key over such a list names a schedule's steps (a config dump's), no position.
 */
function listAt(b: Uint8Array, a: number, c: number): boolean {
  let i = a - 1;
  while (i >= 0 && b[i] === 32) i--;
  if (b[i] !== 40 && b[i] !== 91) return false;
  i = a;
  while (i < c && b[i] >= 48 && b[i] <= 57) i++;
  if (b[i] !== 44) return false;
  for (i++; i < c; i++) if (b[i] !== 32) return false;
  return b[c] >= 48 && b[c] <= 57;
}

/** Is the number starting at `at` written as a percentage (`10%`, `99.5 %`)? */
function percentAt(b: Uint8Array, at: number, end: number): boolean {
  let e = at;
  if (b[e] === 43 || b[e] === 45) e++;
  while (e < end && ((b[e] >= 48 && b[e] <= 57) || b[e] === 46)) e++;
  if (e < end && b[e] === 32) e++;
  return e < end && b[e] === 37;
}

/** Units of time a number may be written with (`1.01s`, `18.6ms`, `35us`, `2min`, `3h`). */
const TIME_UNITS = new Set(['s', 'ms', 'us', 'µs', 'ns', 'sec', 'secs', 'min', 'mins', 'h', 'hr', 'hrs']);

/**
 * Is the number starting at `at` written with a unit of time glued to it (`1.01s`, `18.6ms`, `0us`): a time,
 * whatever its key says (CatBoost's `total: 1.01s` is the time spent so far, not a total loss)?
 */
function timeAt(b: Uint8Array, at: number, end: number): boolean {
  let e = at;
  if (b[e] === 43 || b[e] === 45) e++;
  while (e < end && ((b[e] >= 48 && b[e] <= 57) || b[e] === 46)) e++;
  const u = e;
  while (e < end && (((b[e] | 32) >= 97 && (b[e] | 32) <= 122) || b[e] >= 0x80)) e++;
  if (e === u || e - u > 4) return false;
  return TIME_UNITS.has(Buffer.from(b.buffer, b.byteOffset + u, e - u).toString('utf8'));
}

/** Keys that name only a batch (size, ambiguous) are step keys of rank < this. */
export const WEAK_STEP_RANK = 4;
/** The rank of a word that is no step word keying a whole number a metric is given for (`loss of iteraction 2: …`). */
const INDEX_WORD_RANK = 2;

/**
 * Growth factor of a `Column`'s capacity: ×16, not ×2. Each growth allocates fresh zeroed memory and copies the
 * rows; with ×2 that copying and the page faults of the new memory (system time: ~4 µs a page on the bench
 * machine) were the top line of the general reader's profile. The capacity still ends at `ROW_CAP` (16 · 16^4 =
 * 2^20, where the rows are compacted), and the capacity not yet written is never touched, so resident memory does
 * not grow (only address space, at most 8 MB a column).
 */
const COLUMN_GROWTH = 16;

export class Column {
  data = new Float64Array(16);
  n = 0;
  /**
   * Its rows were handed to a series as its points, without a copy (assemble.ts `gather`, series.ts `adopt`): rows
   * already written must never change, so `compact` writes into a new array (appends only write past them).
   */
  lent = false;
  push(v: number): void {
    if (this.n === this.data.length) this.grow();
    this.data[this.n++] = v;
  }
  /** Out of line: rare, and it keeps `push` small enough to inline in the hot loops. */
  private grow(): void {
    const next = new Float64Array(this.data.length * COLUMN_GROWTH);
    next.set(this.data);
    this.data = next;
  }
  get(i: number): number {
    return this.data[i];
  }
  /** Rows [0, half) become half/2 rows, pairwise (mean, or the later one); the rows after move down. */
  compact(half: number, mean: boolean): void {
    const d = this.data;
    // (in place, unless a series holds the rows: then into a new array, which the column keeps)
    const o = this.lent ? new Float64Array(d.length) : d;
    this.lent = false;
    let w = 0;
    for (let r = 0; r + 1 < half; r += 2, w++) o[w] = mean ? (d[r] + d[r + 1]) / 2 : d[r + 1];
    if (o === d) d.copyWithin(w, half, this.n);
    else o.set(d.subarray(half, this.n), w);
    this.data = o;
    this.n -= half - w;
  }
}

/**
 * Rows a template keeps (memory stays bounded on a 1 GB log): at this many, its oldest half is merged pairwise
 * (values and steps averaged, the later line kept), as the series store bins its oldest points (series.ts).
 */
export const ROW_CAP = 1 << 20;

export interface Field {
  key: string;
  rank: number;
  flags: number;
  /** Every value so far was an integer literal. */
  allInt: boolean;
  /** Some value was written with a magnitude suffix (`8K`): rounded for display. */
  rounded?: boolean;
  /** Stored values (undefined = not stored). */
  col?: Column;
  /** The first total seen (for F_TOTAL fields). */
  total?: number;
  /** Written as a percentage on the template's first line (`45.2%`). */
  pct: boolean;
  /** Written with a unit of time glued to it on the template's first line (`1.01s`, `18.6ms`): a time. */
  time: boolean;
}

export class Template {
  count = 0;
  /** Its first line states the parameter count (`Model Summary: Params: 0.38M`): read for metadata again. */
  statesParams = false;
  readonly fields: Field[];
  readonly lines = new Column();
  /** The context step of each row (shorter than `rows` — missing rows are NaN — until a header is seen). */
  readonly ctx = new Column();
  /** The id of the header template that set `ctx` (−1: none), as long as `ctx`. */
  readonly ctxHead = new Column();
  /** The line of the header that set `ctx` (NaN: none), as long as `ctx`: tells a header printed again (a restart). */
  readonly ctxLine = new Column();
  /**
   * The step of the record line just above each row (NaN: none within `NEAR_LINES`), once one was seen: a record
   * printed over several lines (`[train] step: 100, time: 6.1` then an indented `loss: 3.47` line) keys its
   * step-less lines by its first line's step.
   */
  readonly near = new Column();
  /**
   * The line of that record line, as long as `near`, and its template's id (−1: none yet, −2: several): a record
   * line whose step is no key of its own (`epoch: 1, 11/125 …`: epoch and counter) gives its continuation lines
   * the step its template is assigned (`openerSteps`), not its key's value.
   */
  readonly nearLine = new Column();
  nearT = -1;
  /** Keeps columns (can give metrics or is a context header). */
  readonly stored: boolean;
  /** Only step keys (`Epoch 3`, `Step 200:`): its value becomes the context step of the lines below it. */
  header: boolean;
  /**
   * A step key assigned alone on its line (`iter = 20`): a setting when printed once (a config dump's `batch = 405`),
   * the header of the records below when printed again with a greater value (the reader then makes it one).
   */
  settingStep = false;
  /** That key's value and line on its last line (NaN before its first). */
  settingLast = NaN;
  settingLine = NaN;
  /** Numbers without keys only, ≥ 2 of them (a table row), or one bare value; names come from `columnNames`. */
  readonly table: boolean;
  /** The line is one fractional number and nothing else (`0.765894`). */
  readonly bareValue: boolean;
  columnNames?: string[];
  /**
   * A table row with no names, in a file whose own name says it holds a loss (`loss_log.txt`): its first value is the
   * loss, in record order (set by the reader, which knows the path).
   */
  lossFile = false;
  /** A words-only line behind a logger prefix: its words, a table header (null: not one; set by the reader). */
  headerWords?: string[] | null;
  readonly firstLine: number;
  /**
   * Fields of the logger prefix (`[2026-03-01 10:00:00]`, glog headers): lines of one template share their
   * literal text, so the prefix — found once, on the first line — always holds the same number of fields;
   * they are skipped (the prefix is never searched for again on the hot path).
   */
  readonly skip: number;
  /** The line's text as first seen (for diagnostics), at most 120 characters. */
  readonly example: string;
  /** `example` was cut at its 120 characters (its last word may be a piece of a longer one). */
  readonly exampleCut: boolean;
  /** Its logger prefix holds a tag naming an evaluation split (`[valid]`, `[eval]`): its lines are evaluation lines. */
  readonly evalTag: boolean;
  /**
   * Its logger prefix holds a tag naming the training split (`[Training] 12/167 …`): a script's own progress bar,
   * whose draws are its records (`withoutDrafts`).
   */
  readonly trainTag: boolean;
  /** A header's first step value (NaN: none yet): where its count starts. */
  firstCtx = NaN;
  /** Its lines each came right after a words-only line announcing evaluation (`testing in eval mode……`). */
  announcedEval = false;
  /** Its lines say a training ended (`Early stopping at epoch 90`; infer/trainings.ts `endsTraining`). */
  endLine = false;
  /** The field of a fold announcement's index (`fold: 1 training`), or −1 (set by the reader). */
  foldField = -1;
  /** The index (prefix fields included) of the number its lines state a planned count of epochs by (`(30 epochs, …)`), or −1. */
  statesEpochs = -1;
  /** Its lines announce a saved checkpoint (`→ Saved best checkpoint (G loss: 2.99)`): the value the save was decided on. */
  readonly savesCheckpoint: boolean;
  /**
   * The line of a record cut off at the end of the file (`InferredParser.cutRecord`), NaN: none; its fields from
   * `cutFields` on were never written (their columns hold NaN there, which the series leave out).
   */
  cutLine = NaN;
  cutFields = 0;
  /** Words only behind a logger prefix (its numbers all the prefix's) that announce an evaluation (`announcesEval`). */
  evalAnnounce = false;

  constructor(
    readonly id: number,
    b: Uint8Array,
    lineStart: number,
    end: number,
    s: Shape,
    lineNo: number,
    above?: readonly string[],
  ) {
    this.firstLine = lineNo;
    const start = prefixEndBytes(b, lineStart, end);
    let skip = 0;
    const all = Math.min(s.nf, MAX_FIELDS);
    while (skip < all && s.start[skip] < start) skip++;
    this.skip = skip;
    this.exampleCut = end - start > 120;
    const prefix =
      start > lineStart
        ? Buffer.from(b.buffer, b.byteOffset + lineStart, Math.min(start - lineStart, 200)).toString('latin1')
        : '';
    this.evalTag = !!prefix && EVAL_TAG.test(prefix);
    this.trainTag = !!prefix && TRAIN_TAG.test(prefix);
    this.example = Buffer.from(b.buffer, b.byteOffset + start, Math.min(end - start, 120))
      .toString('utf8')
      .replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '');
    const rest = REST;
    tokenize(b, start, end, rest);
    const nf = all - skip;
    const fields: Field[] = [];
    let keyed = 0;
    let stepKeyed = 0;
    for (let k = 0; k < nf; k++) {
      const flags = s.flags[k + skip];
      let key = flags & F_TOTAL ? '' : fieldKey(b, start, s.start[k + skip]);
      // a date's day (`(Wed Jul  1 06:38:08 2020)` in a header) is not a value keyed `Wed Jul`
      if (DATE_WORDS.test(key)) key = '';
      // a step is an integer (an epoch may be fractional): `after inner updates : 234.57` is no step; nor is a
      // share written with `%` (a progress bar's `Steps:  10%|█  | 102/1021`: its counter is the `N/M`)
      const r = fieldStepRank(key, flags);
      const pct = percentAt(b, s.start[k + skip], end);
      const rank = r && !pct ? r : 0;
      // the step's name without a sentence's preposition (`At step 200 …` is keyed `step`)
      if (rank) key = key.replace(LEADING_ADVERBIAL, '');
      if (key && !rank) keyed++;
      if (rank) stepKeyed++;
      // (every field gets the same properties in the same order: one object shape for `add`'s hot loop)
      fields.push({ key, rank, flags, allInt: true, pct, time: timeAt(b, s.start[k + skip], end) });
    }
    // a row of bare values right under a line of names, as many names as the values it starts with (a console table
    // redrawn before each epoch, `Epoch  GPU_mem  box_loss  cls_loss` over `3/100  2.69G  1.614  1.522  100% ━━ 409/409`):
    // the names key those values, whatever follows them (a progress bar's meter)
    // (a row of bare values only is a table row, named from the header as tables are)
    if (above && above.length >= 3 && keyed + stepKeyed > 0 && !fields[0]?.key) {
      let w = 0;
      let k = 0;
      for (; k < fields.length && w < above.length; k++) {
        if (fields[k].key) break;
        if (!(fields[k].flags & F_TOTAL)) w++;
      }
      // (what follows them is a progress bar's: it holds an `N/M` counter)
      let bar = false;
      for (let j = k; j < fields.length; j++) if (fields[j].flags & F_TOTAL) bar = true;
      if (w === above.length && bar) {
        w = 0;
        for (let j = 0; j < k; j++) {
          const f = fields[j];
          if (f.flags & F_TOTAL) continue;
          f.key = above[w++];
          f.rank = fieldStepRank(f.key, f.flags);
          if (f.rank) stepKeyed++;
          else keyed++;
        }
      }
    }
    // `Training loss for epoch 3: 2.17`, `Loss at step 100: 2.3`: the step word keys the counter, and the name
    // before it keys the value after the counter (which has no key of its own: a number stands between them), or after
    // the counters that follow it (`Loss at epoch 0 and iteration 500 is 0.21`, `Loss for epoch 3 step 50: 2.1`)
    for (let k = 1; k < fields.length; k++) {
      let v = k;
      while (v + 1 < fields.length && fields[v].rank && !(fields[v].flags & F_TOTAL)) v++;
      const own = fields[v].key;
      const m =
        (own && !COPULA_KEY.test(own)) || fields[k - 1].rank || fields[v].rank
          ? null
          : NAME_FOR_STEP.exec(fields[k - 1].key);
      // (a word that is no step word names an index all the same when its number is a whole one: `train loss of
      // iteraction 2:0.79`, misspelt; it ranks below every step word, so a step key elsewhere in the line wins)
      const r = m && METRIC_NAME.test(m[1]) ? stepRank(m[2]) || (fields[k - 1].flags & F_INT ? INDEX_WORD_RANK : 0) : 0;
      if (!m || !r || (r !== EPOCH_RANK && !(fields[k - 1].flags & F_INT))) continue;
      fields[k - 1].key = m[2];
      fields[k - 1].rank = r;
      fields[v].key = m[1].includes(' ') ? m[1] : nameBefore(b, start, s.start[k - 1 + skip], m[1]);
      stepKeyed++;
    }
    // a key before a pair in parentheses, a whole number then a value (`loss: (3, 1207.91)`, a tuple printed as it is):
    // the pair is the count and the keyed value, as `loss at 3: 1207.91` would be
    for (let k = 0; k + 1 < fields.length; k++) {
      const f = fields[k];
      if (!f.key || f.rank || fields[k + 1].key || !(f.flags & F_INT) || f.flags & (F_TOTAL | F_COUNTER)) continue;
      if (!pairAt(b, s.start[k + skip], s.start[k + 1 + skip], end)) continue;
      fields[k + 1].key = f.key;
      f.key = '#';
      f.rank = STEP_RANK['#'];
      stepKeyed++;
    }
    // the value before its name (`Batch: 3 ended with 0.9634 loss.`, `step 120 done, 2.3154 loss, 0.61 acc`): a number
    // with no key of its own (none, or one ending in a verb or preposition) followed by one metric word that ends the
    // line or a clause is keyed by that word
    for (let k = 0; k < fields.length; k++) {
      const f = fields[k];
      if (f.rank || f.flags & F_TOTAL || !(f.key === '' || KEY_BEFORE_VALUE_ENDS.test(f.key))) continue;
      const name = nameAfter(b, s.start[k + skip], end);
      if (name && METRIC_NAME.test(name) && !stepRank(name)) {
        if (!f.key) keyed++;
        f.key = name;
      }
    }
    // a split word standing alone in the line (`Epoch 1 Validation - Loss: 18.4`) says which split its values are
    const text = Buffer.from(b.buffer, b.byteOffset + start, Math.min(end - start, 400)).toString('utf8');
    const q = SPLIT_ALONE.exec(text);
    if (q) {
      const qual = q[1];
      for (const f of fields) if (f.key && !f.rank && !SPLIT_IN_KEY.test(f.key)) f.key = `${qual} ${f.key}`;
    }
    // a measure standing alone before the first value (`Predictor MSE | train 2.58 | val 2.82 | test 2.82`) names the
    // values keyed by a split word alone: `train MSE`, `val MSE`
    const split0 = q ? -1 : fields.findIndex((f) => SPLIT_WORDS_ONLY.test(f.key));
    if (split0 >= 0 && fields.slice(split0).every((f) => !f.key || SPLIT_WORDS_ONLY.test(f.key))) {
      // (between the value before and the first split key: `[fold 2] RMSE: train=…`)
      const from = split0 > 0 ? s.start[split0 - 1 + skip] : start;
      const to = s.start[split0 + skip];
      const m = MEASURE_ALONE.exec(Buffer.from(b.buffer, b.byteOffset + from, to - from).toString('latin1'));
      if (m) for (const f of fields.slice(split0)) if (f.key) f.key = `${f.key} ${m[1]}`;
    }
    this.fields = fields;
    // `Total epochs: 100; iters: 5600.` (BasicSR's plan): step keys after a `total` one are the plan, not a position
    const plan = stepKeyed > 1 && /^total /i.test(fields.find((f) => f.rank)!.key);
    // a number alone between rules (`-----3------`, `===== 3 =====`) numbers the block of lines below it
    const banner = nf === 1 && keyed === 0 && flags0(s, skip) && BANNER_NUMBER.test(text);
    if (banner) fields[0].rank = EPOCH_RANK; // the weakest step rank: it has no name
    // `batch = 405` alone on its line (an assignment, as config dumps print `max_iters = 3000`) is a setting
    // and so is a step key over a bracketed list of whole numbers (`STEPS: (5000, 7500)`, a schedule's milestones)
    const r0 = fields.findIndex((f) => f.rank);
    const setting =
      (nf === 1 && ASSIGNMENT.test(text)) ||
      (r0 >= 0 &&
        r0 + 1 < nf &&
        !!(fields[r0 + 1].flags & F_INT) &&
        listAt(b, s.start[r0 + skip], s.start[r0 + 1 + skip]));
    // a step line whose only other keyed value is the time the loop took (`End of epoch 3 / 100 \t Time Taken: 1606.5
    // sec`, then the epoch's `Generator Loss: …` line) is a header too: the time is no record of the lines below
    const timeOnly = keyed === 1 && fields.every((f) => !f.key || f.rank || TIME_TAKEN_KEY.test(f.key));
    this.header = (stepKeyed > 0 || banner) && (keyed === 0 || timeOnly) && nf <= 4 && !plan && !setting;
    this.settingStep = setting && nf === 1 && stepKeyed === 1 && !!(fields[0].flags & F_INT);
    // words before the first value announcing a saved checkpoint (`→ Saved best checkpoint (G loss: 2.99)`)
    this.savesCheckpoint = SAVE_LINE.test(nf > 0 ? text.slice(0, Math.max(0, s.start[skip] - start)) : text);
    // a line that is one fractional number and nothing else (a loop that prints only its loss, one value per line)
    this.bareValue = nf === 1 && skip === 0 && rest.words === 0 && !(s.flags[0] & F_INT) && BARE_VALUE.test(text);
    this.table = keyed === 0 && stepKeyed === 0 && ((nf >= 2 && rest.words <= 2 && rest.punct <= nf) || this.bareValue);
    this.stored = keyed > 0 || this.table || this.header;
    if (this.stored) {
      // a table row keeps every column (its names come from a header line or a known layout, set later)
      const small = nf <= 8 || this.table;
      // the first few fields are kept too: an unkeyed counter next to the epoch (`Epoch: [3][200]`) may be the step
      fields.forEach((f, k) => {
        if (small || k < 4 || f.key || f.flags & (F_COUNTER | F_TOTAL)) f.col = new Column();
      });
    }
  }

  /** Appends one line of this template. */
  add(
    s: Shape,
    lineNo: number,
    ctx: number,
    ctxHead: number,
    ctxLine = NaN,
    near = NaN,
    nearLine = NaN,
    nearT = -1,
  ): void {
    this.count++;
    if (!this.stored) return;
    const fields = this.fields;
    const nf = fields.length;
    const skip = this.skip;
    for (let k = 0; k < nf; k++) {
      const f = fields[k];
      const v = s.val[k + skip];
      const fl = s.flags[k + skip];
      if ((fl & F_INT) === 0) f.allInt = false;
      if (fl & F_ROUNDED) f.rounded = true;
      if (f.flags & F_TOTAL && f.total === undefined) f.total = v;
      if (f.col) f.col.push(v);
    }
    this.lines.push(lineNo);
    if (this.lines.n >= ROW_CAP) this.compact();
    // the context columns exist only once a header line was seen (most logs have none)
    if (ctx === ctx || this.ctx.n) {
      while (this.ctx.n < this.lines.n - 1) {
        this.ctx.push(NaN);
        this.ctxHead.push(-1);
        this.ctxLine.push(NaN);
      }
      this.ctx.push(ctx);
      this.ctxHead.push(ctxHead);
      this.ctxLine.push(ctxLine);
    }
    if (near === near || this.near.n) {
      while (this.near.n < this.lines.n - 1) {
        this.near.push(NaN);
        this.nearLine.push(NaN);
      }
      this.near.push(near);
      this.nearLine.push(nearLine);
      if (near === near) this.nearT = this.nearT === -1 || this.nearT === nearT ? nearT : -2;
    }
  }

  /** The index of the field with the best step rank (not a total), −1: none; −2: not looked for yet. */
  private bestStep = -2;
  bestStepField(): number {
    if (this.bestStep > -2) return this.bestStep;
    let best = -1;
    for (let k = 0; k < this.fields.length; k++) {
      const f = this.fields[k];
      if (f.rank && !(f.flags & F_TOTAL) && (best < 0 || f.rank > this.fields[best].rank)) best = k;
    }
    return (this.bestStep = best);
  }
  /** A field's step rank was set after the template was made (its columns named from a header line). */
  ranksChanged(): void {
    this.bestStep = -2;
  }

  /** Rows merged away by `compact` (reported in a diagnostic). */
  merged = 0;

  private compact(): void {
    const half = this.lines.n >> 1;
    for (const f of this.fields) f.col?.compact(half, true);
    this.lines.compact(half, false);
    if (this.ctx.n) {
      this.ctx.compact(Math.min(half, this.ctx.n), false);
      this.ctxHead.compact(Math.min(half, this.ctxHead.n), false);
      this.ctxLine.compact(Math.min(half, this.ctxLine.n), false);
    }
    if (this.near.n) {
      this.near.compact(Math.min(half, this.near.n), false);
      this.nearLine.compact(Math.min(half, this.nearLine.n), false);
    }
    this.merged += half >> 1;
  }

  /** Rows stored. */
  get rows(): number {
    return this.lines.n;
  }
}

/** A key that is a weekday, optionally with a month (`Wed Jul`, `Sat`, `Monday, March`): the number is a date's. */
const DATE_WORDS =
  /^(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)(?:day|nesday|rsday|urday|sday)?\.?,?(?:\s+(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?)?$/i;

/** Words of a table header line (`step loss lr`), kept so the next table template can name its columns. */
export function headerWords(b: Uint8Array, start: number, end: number): string[] | undefined {
  const text = Buffer.from(b.buffer, b.byteOffset + start, end - start)
    .toString('utf8')
    .trim();
  if (!text || text.length > 400) return undefined;
  // comma-separated: cells kept (an empty first cell is a pandas index column); tab-separated: cells kept (names
  // may hold blanks, `total loss`; a trailing tab ends the line); otherwise blank-separated
  const words = text.includes(',')
    ? text.split(',').map((w, i) => w.trim() || (i === 0 ? 'index' : ''))
    : text.includes('\t')
      ? text
          .split('\t')
          .map((w) => w.trim())
          .filter(Boolean)
      : text.split(/[\s|]+/).filter(Boolean);
  if (words.length < 2 || words.length > 32) return undefined;
  if (!words.every((w) => /^[A-Za-z_][\w./ -]*$/.test(w))) return undefined;
  return words;
}

/** A cell of a fixed-width table's header: words (`LOSS TOK2VEC`, `ENTS_F`), or `#` (a count: the step's column). */
const HEADER_CELL = /^(?:#|[A-Za-z_][\w./-]*(?: [A-Za-z_][\w./-]*)*)$/;

/**
 * Cells of a fixed-width table's header line, which two or more blanks separate and a single blank may stand inside
 * (spaCy's `E    #       LOSS TOK2VEC  LOSS NER  ENTS_F  …  SCORE`, a `pandas` frame printed with blank-holding
 * names): undefined unless some cell holds a blank (then it differs from `headerWords`' split) and every cell is words
 * or a `#`.
 */
export function headerCells(b: Uint8Array, start: number, end: number): string[] | undefined {
  // (most words-only lines are prose, with no two blanks between words: found without making a string)
  let gap = false;
  for (let i = start + 1; i + 1 < end && !gap; i++) gap = b[i] === 32 && b[i - 1] === 32 && b[i + 1] !== 32;
  if (!gap || end - start > 400) return undefined;
  const text = Buffer.from(b.buffer, b.byteOffset + start, end - start)
    .toString('utf8')
    .trim();
  if (!text || text.length > 400 || !/\S \S/.test(text) || !/\S {2,}\S/.test(text)) return undefined;
  const cells = text.split(/\s{2,}|\t/);
  if (cells.length < 3 || cells.length > 32 || !cells.some((c) => c.includes(' '))) return undefined;
  return cells.every((c) => HEADER_CELL.test(c)) ? cells : undefined;
}

/**
 * Column names of a header-less table whose layout is fixed by the trainer that writes it, recognised from
 * the row's shape (never from the file name). YOLOv5/YOLOv7 `results.txt`: `epoch/last gpu_mem box obj cls
 * total labels img_size P R mAP@.5 mAP@.5:.95 val_box val_obj val_cls`, i.e. an `N/M` counter, a memory size
 * with a `G`/`M` unit, then 13 numbers (16 fields with the counter's two).
 */
const YOLO_RESULTS_ROW = /^\s*\d+\/\d+\s+\d+(?:\.\d+)?[GM]\s+-?\d/; // the field count is checked apart (`example` is cut)
// the 6th column is the sum of the three training losses, the run's training loss: named `loss`
const YOLO_RESULTS_NAMES = [
  'epoch',
  'epochs',
  'gpu_mem',
  'train/box_loss',
  'train/obj_loss',
  'train/cls_loss',
  'loss',
  'labels',
  'img_size',
  'metrics/precision',
  'metrics/recall',
  'metrics/mAP_0.5',
  'metrics/mAP_0.5:0.95',
  'val/box_loss',
  'val/obj_loss',
  'val/cls_loss',
];
export function knownTableNames(t: Template): string[] | undefined {
  if (!t.table || t.fields.length !== YOLO_RESULTS_NAMES.length) return undefined;
  return YOLO_RESULTS_ROW.test(t.example) && numbersOnly(t.example) ? YOLO_RESULTS_NAMES : undefined;
}

/**
 * Is the row bare numbers only (a memory size's `G`/`M` unit and `N/M` counters allowed)? A results.txt row is; a
 * console's training-bar state with as many numbers is not (`1/100  4.1G  5.944 …  640: 100%|███| 6019/6019 [12:53<…`:
 * Ultralytics YOLOv8+ prints its epoch row before a tqdm bar, under a header line of its own).
 */
function numbersOnly(example: string): boolean {
  return /^[\s\d.eE+\-/GM]*$/.test(example);
}
