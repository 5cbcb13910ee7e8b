/**
 * The data model every reader produces: files → runs. Pure (no `vscode` import).
 *
 * A Run is a set of metric series plus metadata; every metadata value records where it came from, so the UI
 * can say "N = 124M (from `number of parameters: 123.69M`, train.log:3)".
 */

/** Where a value was found: a file and, when known, a 1-based line or a byte offset. */
export interface Provenance {
  path: string;
  line?: number;
  offset?: number;
  /** Human-readable description, e.g. "log line", "config.json n_params", "run name", "user setting". */
  how: string;
}

export interface Sourced<T> {
  value: T;
  source: Provenance;
}

/**
 * One metric as parallel columns (cheap to append, cheap to send, cheap to fit). Readers store them in
 * `ColumnSeries` (series.ts): Float64Array columns, bounded by a per-series cap above which the oldest points are
 * merged into bins (`thinned` says so). NaN/±Infinity values are KEPT (they signal divergence); consumers
 * filter with `isFinite`. The arrays are views of exactly the stored points: read them, do not write them.
 */
export interface Series {
  /** Normalised name: `train/loss`, `val/loss`, `lr`, `grad_norm`, `tokens`, … (see names.ts). */
  readonly name: string;
  /** The name as written in the log. */
  readonly originalName: string;
  readonly step: Float64Array;
  readonly value: Float64Array;
  /** Wall-clock time in seconds since the epoch, when known (NaN where unknown). Same length as step, or absent. */
  readonly time?: Float64Array;
  /** Present once the series reached its cap and its oldest points were merged into bins (series.ts). */
  readonly thinned?: SeriesThinning;
}

/** How a capped series was thinned: its first `bins` stored points are bins, the rest are exact points. */
export interface SeriesThinning {
  /** The cap: thinning runs whenever this many points are stored. */
  maxPoints: number;
  /** Points the series received in total. */
  rawPoints: number;
  /** How many of the stored points (from the start) are bins. */
  bins: number;
  /** Raw points a new bin takes now (doubles as the run grows). */
  binWidth: number;
  /** Thinning passes so far: the stored points were rewritten this many times. */
  passes: number;
  /** Per bin: raw points merged into it, and their smallest and largest value. */
  count: Float64Array;
  min: Float64Array;
  max: Float64Array;
}

export type FormatId =
  | 'nanogpt'
  | 'modded-nanogpt'
  | 'nanochat'
  | 'llmc'
  | 'megatron'
  | 'olmo'
  | 'hf-stdout'
  | 'hf-trainer-state'
  | 'fairseq'
  | 'torchtitan'
  | 'litgpt'
  | 'generic-text'
  | 'custom'
  | 'jsonl'
  | 'lightning-csv'
  | 'keras-csv'
  | 'csv'
  | 'points-table'
  | 'megatron-golden'
  | 'tensorboard'
  | 'mlflow'
  | 'wandb'
  | 'lm-eval'
  | 'eval-table'
  | 'kv-table'
  | 'json-arrays';

export interface RunMeta {
  /** Total parameter count N. */
  params?: Sourced<number>;
  /** Non-embedding parameter count, when the log gives it. */
  nonEmbeddingParams?: Sourced<number>;
  /** Planned final step (from `iter 100/21400`, `max_steps`, …). */
  totalSteps?: Sourced<number>;
  /**
   * Planned number of epochs (`Epoch [3/300]`, `num_epochs: 30`), when the log states one: reported apart from
   * `totalSteps`, which is always in units of the run's step axis (a step axis of epochs makes the two the same).
   */
  plannedEpochs?: Sourced<number>;
  /** Tokens per optimizer step, when known (to turn steps into tokens). */
  tokensPerStep?: Sourced<number>;
  /** Planned total training tokens. */
  totalTokens?: Sourced<number>;
  /** Free-form hyper-parameters found (config files, args dumps, MLflow params). */
  hparams?: Record<string, Sourced<string | number | boolean>>;
  /** Run name (folder, MLflow run name, W&B name, …). */
  name?: string;
  /**
   * The field the run's steps come from (`train/global_step`, `iter`, `_step (record index)`, `record order`, …),
   * when the reader knows it (stepAxis.ts).
   */
  stepAxis?: Sourced<string>;
  /** How the log says the run ended (a completion, early-stop, time-limit, crash or interrupt line). */
  end?: Sourced<RunEnd>;
  /** Set on runs that hold evaluation scores (lm-eval results, eval tables), not a training log (evalLink.ts). */
  evaluation?: EvaluationMeta;
  /** Evaluation files whose scores were folded into this run as `eval/<task>/<metric>` points (evalLink.ts). */
  evaluations?: { path: string; step: number; how: string }[];
}

/** What an evaluation run says about the model it scored. */
export interface EvaluationMeta {
  /** The training step of the checkpoint scored, when the path, model reference or file states it. */
  step?: Sourced<number>;
  /** The checkpoint path or model reference as written (e.g. `pretrained=…` of lm-eval's model_args). */
  checkpoint?: Sourced<string>;
  /** The model name without its revision / checkpoint part (groups the evaluations of one model). */
  model?: string;
  /** True when the run's points already carry their training steps (an eval table with a step column). */
  stepwise?: boolean;
}

/** Kinds of end lines a trainer prints (metaLines.ts `endLineKind`). */
export type RunEndKind = 'completed' | 'early-stop' | 'time-limit' | 'crash' | 'interrupted';

export interface RunEnd {
  kind: RunEndKind;
  /** The line as written (trimmed, at most 200 characters). */
  text: string;
  /** The last step logged when the line was read (metrics logged after it mean training went on). */
  atStep?: number;
}

export type Severity = 'error' | 'warning' | 'info';

export interface Diagnostic {
  path: string;
  /** 1-based line, for text formats. */
  line?: number;
  /** Byte offset, for binary formats. */
  offset?: number;
  severity: Severity;
  message: string;
}

export interface Run {
  /** Stable id: the path of the file (or run directory) plus a suffix when one file holds several runs. */
  id: string;
  /** The file or directory the run was read from. */
  path: string;
  format: FormatId;
  metrics: Record<string, Series>;
  meta: RunMeta;
  /** Set when the run was built from several files of one training run (sameRun.ts): each file and what it gave. */
  builtFrom?: { parts: { path: string; format: string; id: string; metrics: string[] }[]; reason: string };
  /** Set when the run is the same training run as another one kept apart (values disagree): counted once, there. */
  linkedTo?: { id: string; reason: string };
}

/** Points summarising a sweep (one row per finished run): N, D, C, loss. Any of N/D/C may be NaN. */
export interface PointsTable {
  path: string;
  N: number[];
  D: number[];
  C: number[];
  loss: number[];
  /** Extra numeric columns by header name. */
  extra: Record<string, number[]>;
}

export interface ParseResult {
  runs: Run[];
  diagnostics: Diagnostic[];
  points?: PointsTable;
}
