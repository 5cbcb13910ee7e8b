/**
 * The stable JSON output of `scaling-lens … --json` (schema version 1).
 *
 * Conventions that hold for every subcommand:
 *  - Non-finite numbers: JSON has no NaN/Infinity, so they are written as the STRINGS "NaN", "Infinity" and
 *    "-Infinity" wherever a number is expected (metric values, parameters, bounds). Every other number is a
 *    plain JSON number. A reader can restore them with `typeof v === 'string' ? Number(v) : v` (Number("NaN")
 *    is NaN, Number("Infinity") is Infinity). A divergence (loss → nan) therefore survives the round trip.
 *  - Absent values are `null` (e.g. an unknown parameter count), never omitted keys.
 *  - Metric names are normalised: `train/loss`, `val/loss`, `lr`, `grad_norm`, `tokens`, … (see
 *    src/ingest/names.ts); the name as written in the log is kept in `originalNames`.
 *  - Errors: the command prints a message on stderr and exits 2 (usage error) or 1 (data error); nothing is
 *    printed on stdout in that case. Diagnostics (warnings about the input that did not stop the command)
 *    are part of the output.
 *  - Fields may be ADDED in later versions; existing fields keep their name, type and meaning.
 */

/** A number, or "NaN" / "Infinity" / "-Infinity" for non-finite values. */
export type JsonNumber = number | 'NaN' | 'Infinity' | '-Infinity';

export interface DiagnosticJson {
  path: string;
  /** 1-based line in a text log, when known. */
  line: number | null;
  severity: 'error' | 'warning' | 'info';
  message: string;
}

/** `scaling-lens parse PATH… --json` */
export interface ParseOutput {
  runs: RunJson[];
  /** Points tables (one row per finished run: N, D, C, loss), e.g. the Chinchilla extraction. */
  tables: TableJson[];
  diagnostics: DiagnosticJson[];
}

export interface RunJson {
  id: string;
  path: string;
  /** Detected format, e.g. `nanogpt`, `tensorboard`, `mlflow` (see src/ingest/types.ts FormatId). */
  format: string;
  /** Total parameter count N, when the log (or a config file beside it) states it. */
  params: number | null;
  /** Where `params` came from, e.g. `train.log:3 — log line (nanoGPT)` or `run name "gpt-125M"`; null when unknown. */
  paramsSource: string | null;
  /** Training tokens of the run (last `tokens` value or planned total), when known. */
  tokens: number | null;
  /** Where `tokens` came from; null when unknown. */
  tokensSource: string | null;
  /** Planned final step (`max_steps`, `iter 100/21400`, …) and where it is stated; null when not stated. */
  plannedSteps: { value: number; source: string } | null;
  /**
   * Planned number of epochs (`Epoch [3/300]`, `num_epochs: 30`) and where it is stated, apart from `plannedSteps`
   * (in the step axis' units: a planned total in steps derived from it says `derived` in its source); null when not stated.
   */
  plannedEpochs: { value: number; source: string } | null;
  /** The field the steps are (`train/global_step`, `iter`, `_step (record index)`, `record order`, …); null when unknown. */
  stepAxis: { name: string; source: string } | null;
  /** Series by normalised name; `step` and `value` have the same length. */
  metrics: Record<string, { step: JsonNumber[]; value: JsonNumber[] }>;
  /** Normalised name → name as written in the log. */
  originalNames: Record<string, string>;
  /**
   * Evaluation files (lm-eval results, eval tables) whose scores were folded into this run as `eval/<task>/<metric>`
   * points, with the training step each scored and where that step came from (checkpoint name, revision, path).
   */
  evaluations: { path: string; step: number; source: string }[];
  /** For a run of evaluation scores not linked to a training run: the model evaluated and its step; else null. */
  evaluationOf: { model: string | null; step: number | null } | null;
  /**
   * When the run was built from several files of one training run (stdout + event file, …): each file with its format
   * and the metrics taken from it, and why the files were judged one run; null for a run read from one file.
   */
  builtFrom: { files: { path: string; format: string; metrics: string[] }[]; reason: string } | null;
  /** When the run is the same training run as another one, kept apart (values disagree): that run's id, and why; it counts once, there. */
  linkedTo: { id: string; reason: string } | null;
}

export interface TableJson {
  path: string;
  N: JsonNumber[];
  D: JsonNumber[];
  C: JsonNumber[];
  loss: JsonNumber[];
}

/** `scaling-lens fit PATH… --law NAME --json` */
export interface FitOutput {
  /** Law id, e.g. `chinchilla`, `pow3`. */
  law: string;
  /** `sweep`: one point per run / table row; `curve`: one run's learning curve. */
  kind: 'sweep' | 'curve';
  /** Natural parameters (Chinchilla: A, B, E, alpha, beta; curve laws: their own names). */
  params: Record<string, JsonNumber>;
  /**
   * Intervals of the natural parameters at `confidence` (default 0.95): sweep laws — percentile bootstrap
   * over points (`--bootstrap N`, empty object without it); curve laws — Jacobian (delta-method) intervals.
   */
  intervals: Record<string, [JsonNumber, JsonNumber]>;
  /**
   * Objective at the optimum. Sweep laws: Σ huber_δ(log L − log L̂) summed over points (δ = 1e-3 for Chinchilla,
   * the Besiroglu et al. 2024 protocol). Curve laws: ½ Σ (log y − log ŷ)² over the points fitted.
   */
  objective: JsonNumber;
  /** Points used. */
  n: number;
  /**
   * Curve laws: x axis (`step` or `tokens`) and the scale x̃ = x / xScale the parameters are expressed in;
   * one-input sweep laws: the axis across runs (`C`, `N` or `D`).
   */
  x?: string;
  xScale?: number;
  /** Derived quantities, e.g. Chinchilla's compute-optimal exponent a = β/(α+β). */
  derived: Record<string, JsonNumber>;
  bootstrap: number;
  /** Table laws (downstream, over-training, data-constrained): the columns read as inputs and as y. */
  columns?: { inputs: string[]; y: string };
  /** Table laws: parameters held fixed (`--fix`, fit-space names). */
  fixed?: Record<string, number>;
  /** Hyperparameter laws: the paper's own fit, to compare with `params` (e.g. the Step Law formula). */
  published?: { source: string; params: Record<string, number> };
  diagnostics: DiagnosticJson[];
}

/** `scaling-lens predict --fit FILE --law ID --at X --json` for a table law (downstream, over-training, …). */
export interface TablePredictOutput {
  law: string;
  /** The inputs predicted at, by column role (e.g. `loss`, or `N`, `D`). */
  at: Record<string, number>;
  value: JsonNumber;
  /** Percentile bootstrap band at `confidence` (null without --bootstrap ≥ 20). */
  lower: JsonNumber | null;
  upper: JsonNumber | null;
  confidence: number;
  params: Record<string, JsonNumber>;
  columns: { inputs: string[]; y: string };
  /**
   * `--then FILE2 --then-law ID`: a second (one-input) law fitted on FILE2 and evaluated at `value`, e.g.
   * N, D → loss → downstream error; its band pairs bootstrap refits of both laws.
   */
  chained?: {
    law: string;
    value: JsonNumber;
    lower: JsonNumber | null;
    upper: JsonNumber | null;
    params: Record<string, JsonNumber>;
    columns: { inputs: string[]; y: string };
  };
  diagnostics: DiagnosticJson[];
}

/** `scaling-lens predict PATH --y METRIC --at-step S [--until-step K] --json` */
export interface PredictOutput {
  /** Predicted value of the metric at `step`, and the interval at `confidence`. */
  value: JsonNumber;
  lower: JsonNumber;
  upper: JsonNumber;
  /** Curve law used (chosen by backtest unless `--law` forces one). */
  law: string;
  step: number;
  metric: string;
  confidence: number;
  /** Only points with step ≤ this were used (`--until-step`), else the last observed step. */
  fittedUntil: number;
  /** The value observed at `step` (nearest logged step within 0.5 % of it), or null. */
  observed: JsonNumber | null;
  /** Which LR schedule the forecast at `step` assumed (as logged, or unknown: as-logged and anneal averaged). */
  schedule: string;
  /** Which law or model average was used, with its weights. */
  method: string;
  /** Every step of `--at-step S1,S2,…` (the top-level fields repeat the first). */
  points: {
    step: number;
    value: JsonNumber;
    lower: JsonNumber;
    upper: JsonNumber;
    observed: JsonNumber | null;
    scenario: 'as-logged' | 'unknown' | 'anneal';
    schedule: string;
    /** the forecast under each scenario */
    scenarios: { asLogged: JsonNumber; anneal: JsonNumber };
    /**
     * Present when the step lies beyond epoch boundaries the run has not reached (epoch length from its logged
     * `epoch` series): the loss may step down at each, and neither the forecast nor its band allows for it.
     */
    epochs?: string;
  }[];
  /** Present when `--at-step` was not given: where the step came from (the run's planned total steps, or the
   * `--target` search horizon). */
  stepFrom?: string;
  /**
   * `--target L`: the step at which the forecast reaches L and where the lower and upper ends of its band do (null:
   * not by `horizon`, 10× the last fitted step or the planned total, whichever is later); `observedAt`: the first
   * fitted point at or below L, if any.
   */
  target?: {
    value: number;
    step: number | null;
    early: number | null;
    late: number | null;
    horizon: number;
    observedAt: number | null;
  };
  diagnostics: DiagnosticJson[];
}

/** `scaling-lens predict --fit PATH… --law mpl|tissue --schedule FILE --json` */
export interface SchedulePredictOutput {
  law: string;
  /** Fitted parameters (MPL: L0, A, alpha, B, C, beta, gamma; Tissue: L0, A, alpha, C). */
  params: Record<string, JsonNumber>;
  step: number[];
  value: JsonNumber[];
  lower: JsonNumber[];
  upper: JsonNumber[];
  /** When FILE also has a `loss` column: the observed losses and the mean relative error |ŷ−y|/y. */
  observed: JsonNumber[] | null;
  meanRelError: JsonNumber | null;
  fit: { runs: number; points: number; rmse: JsonNumber; meanRelError: JsonNumber };
  diagnostics: DiagnosticJson[];
}

/** `scaling-lens laws --json` */
export interface LawsOutput {
  laws: {
    id: string;
    name: string;
    /**
     * `sweep` (across runs), `curve` (within one run), `schedule` (LR-schedule-aware curve), `downstream`
     * (loss → task metric, one row per model), `hyperparameter` (optimal LR / batch size).
     */
    scope: 'sweep' | 'curve' | 'schedule' | 'downstream' | 'hyperparameter';
    /** KaTeX source of the formula. */
    latex: string;
    source: string;
    params: string[];
    inputs: string[];
  }[];
}
