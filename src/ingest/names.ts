/**
 * Metric name normalisation. Pure.
 *
 * Logs name the same quantity many ways (`lm loss`, `trl`, `train/CrossEntropyLoss`, `eval_loss`, …). Readers
 * store each series under a normalised name (`train/loss`, `val/loss`, `lr`, `grad_norm`, `tokens`, `accuracy`,
 * `val/accuracy`, …) and keep the original in `Series.originalName`. Unknown names are returned unchanged.
 */

/** Exact aliases, keyed by the canonical form of `canonicalKey`. */
const ALIASES: Record<string, string> = {
  // training loss
  loss: 'train/loss',
  'lm loss': 'train/loss',
  'train loss': 'train/loss',
  'training loss': 'train/loss',
  trl: 'train/loss',
  // the cross-entropy, named as such (`63601 train ce 2.82`, `xent`, `cross_entropy`)
  ce: 'train/loss',
  'train ce': 'train/loss',
  'ce loss': 'train/loss',
  xent: 'train/loss',
  'train xent': 'train/loss',
  'cross entropy': 'train/loss',
  'cross entropy loss': 'train/loss',
  crossentropy: 'train/loss',
  crossentropyloss: 'train/loss',
  'train cross entropy': 'train/loss',
  // `tr`/`trn` for train (`tr_loss=0.2590 tr_auc=…`, `trn_loss`)
  'tr loss': 'train/loss',
  'trn loss': 'train/loss',
  'train/loss': 'train/loss',
  'train/crossentropyloss': 'train/loss',
  'train/ce loss': 'train/loss',
  'train loss step': 'train/loss',
  'loss step': 'train/loss',
  'train/lm loss': 'train/loss',
  // the split after the measure (Kipf's pygcn and the many scripts written from it: `loss_train: 1.9364 acc_train:
  // 0.1786 loss_val: 1.7698 acc_val: 0.3033`)
  'loss train': 'train/loss',
  'loss val': 'val/loss',
  'loss valid': 'val/loss',
  'loss validation': 'val/loss',
  'loss eval': 'val/loss',
  'loss test': 'test/loss',
  'acc train': 'accuracy',
  'acc val': 'val/accuracy',
  // validation loss
  'val loss': 'val/loss',
  'validation loss': 'val/loss',
  'valid loss': 'val/loss',
  'eval loss': 'val/loss',
  'val/loss': 'val/loss',
  'eval/loss': 'val/loss',
  'valid/loss': 'val/loss',
  'validation/loss': 'val/loss',
  tel: 'val/loss',
  'val lm loss': 'val/loss',
  'lm loss value': 'val/loss',
  'eval/crossentropyloss': 'val/loss',
  // test loss
  'test loss': 'test/loss',
  // learning rate
  lr: 'lr',
  'learning rate': 'lr',
  learning_rate: 'lr',
  'train/lr': 'lr',
  'train/learning rate': 'lr',
  'optim/learning rate group0': 'lr',
  'lr-adamw': 'lr',
  'lr-adam': 'lr',
  // gradient norm
  'grad norm': 'grad_norm',
  norm: 'grad_norm',
  gnorm: 'grad_norm',
  'gradient norm': 'grad_norm',
  'optim/total grad norm': 'grad_norm',
  'train/grad norm': 'grad_norm',
  'grad l2 norm': 'grad_norm',
  // tokens
  tokens: 'tokens',
  'consumed tokens': 'tokens',
  'throughput/total tokens': 'tokens',
  'num tokens': 'tokens',
  'total tokens': 'tokens',
  'tokens seen': 'tokens',
  'train/tokens': 'tokens',
  // accuracy
  accuracy: 'accuracy',
  acc: 'accuracy',
  'train accuracy': 'accuracy',
  'train/accuracy': 'accuracy',
  'mean token accuracy': 'accuracy',
  'val accuracy': 'val/accuracy',
  'val acc': 'val/accuracy',
  'eval accuracy': 'val/accuracy',
  'valid accuracy': 'val/accuracy',
  'eval mean token accuracy': 'val/accuracy',
  'val/accuracy': 'val/accuracy',
  // perplexity
  ppl: 'train/ppl',
  perplexity: 'train/ppl',
  'train/perplexity': 'train/ppl',
  'lm loss ppl': 'val/ppl',
  'val ppl': 'val/ppl',
  'eval ppl': 'val/ppl',
  // misc
  epoch: 'epoch',
  'consumed samples': 'samples',
  'loss scale': 'loss_scale',
  mfu: 'mfu',
};

/** Lower-case, `_`/`-`/runs of whitespace → one space, trimmed. `train/CrossEntropyLoss` → `train/crossentropyloss`. */
export function canonicalKey(name: string): string {
  return name
    .trim()
    .toLowerCase()
    .replace(/[_\s]+/g, ' ');
}

/** An alias by exact key: own entries only (a log's `constructor` or `toString` is not Object.prototype's). */
const alias = (k: string): string | undefined => (Object.hasOwn(ALIASES, k) ? ALIASES[k] : undefined);

/**
 * The key a series is stored under in a run's `metrics` record: a name that Object.prototype already has
 * (`constructor`, `toString`, `__proto__`, …) gets a `#` so that it is an own property like any other — as a key
 * it read the prototype's function (and the series was lost), and `__proto__` set the record's prototype.
 */
export function metricKey(name: string): string {
  return name in Object.prototype ? `${name}#` : name;
}

const VAL_PREFIXES = ['eval ', 'val ', 'valid ', 'validation ', 'eval/', 'val/', 'valid/', 'validation/'];

/**
 * The normalised name of a metric. `eval_*`/`val_*`/`valid_*` prefixes map to `val/<normalised rest>`
 * when the rest is a known loss/accuracy; anything unknown is returned as written.
 */
export function normalizeName(original: string): string {
  const key = canonicalKey(original);
  const exact = alias(key) ?? alias(key.replace(/-/g, ' '));
  if (exact) return exact;
  for (const p of VAL_PREFIXES) {
    if (key.startsWith(p)) {
      const rest = alias(key.slice(p.length));
      if (rest === 'train/loss') return 'val/loss';
      if (rest === 'accuracy') return 'val/accuracy';
      if (rest === 'train/ppl') return 'val/ppl';
    }
  }
  return original.trim();
}

/** True for names that denote a loss (used by the generic reader to decide what is worth keeping). */
export function isLossName(normalised: string): boolean {
  return /loss/i.test(normalised);
}
