/**
 * PyTorch Lightning CSVLogger `metrics.csv`. Pure (no `vscode`). Text reader.
 *
 * Sparse rows: step-level metrics (`train_loss_step`) and epoch-level ones (`val_loss`, `train_loss_epoch`)
 * sit on different rows with empty cells. Columns `step` (x-axis) and `epoch` (kept as an `epoch` series).
 * CSVLogger rewrites the whole file when a new metric appears; the row engine restarts on a new header so a
 * re-read holds no duplicates. `hparams.yaml` beside the file (Lightning writes it in the same version folder)
 * is read into `meta.hparams` (also `<prefix>hparams.yaml` beside `<prefix>metrics.csv`), and params are derived
 * from it by part A's `metaFromConfig` rules when it gives a size or shape.
 */
import * as fs from 'node:fs';
import * as nodePath from 'node:path';
import type { Sniff, TextReader } from '../reader';
import type { RunBuilder } from '../structuredRun';
import { baseName, findColumn } from '../csvUtil';
import { parseYamlLite } from '../yamlLite';
import { CsvCurveParser, numericColumn, sniffTable } from './csv';

export const lightningCsvReader: TextReader = {
  format: 'lightning-csv',
  kind: 'text',
  detect: detectLightningCsv,
  create: (path, o) =>
    new CsvCurveParser(path, {
      format: 'lightning-csv',
      maxSeriesPoints: o?.maxSeriesPoints,
      stepColumn: (h) => findColumn(h, /^step$/i),
      onHeader: (b) => loadLightningMeta(b, path),
    }),
};

/** A table with `step` and `epoch` columns; more likely when named metrics.csv or sparse. */
export function detectLightningCsv(sniff: Sniff): number {
  const t = sniffTable(sniff);
  if (!t) return 0;
  const step = findColumn(t.header, /^step$/i);
  const epoch = findColumn(t.header, /^epoch$/i);
  if (step < 0 || epoch < 0 || !numericColumn(t.rows, step)) return 0;
  let score = 0.7;
  if (baseName(sniff.path).endsWith('metrics.csv')) score += 0.15;
  if (t.rows.some((r) => r.some((c) => c === ''))) score += 0.1;
  return score;
}

/** Run name from the version folder (`lightning_logs/version_0`) and hparams from `hparams.yaml` beside it. */
export function loadLightningMeta(b: RunBuilder, csvPath: string): void {
  const dir = nodePath.dirname(csvPath);
  b.run.meta.name ??= `${baseName(nodePath.dirname(dir))}/${baseName(dir)}`;
  // `hparams.yaml` (Lightning's name), or `<prefix>hparams.yaml` beside `<prefix>metrics.csv` (copied logs).
  const base = baseName(csvPath);
  const candidates = [nodePath.join(dir, 'hparams.yaml')];
  if (base.endsWith('metrics.csv') && base !== 'metrics.csv')
    candidates.push(nodePath.join(dir, base.slice(0, -'metrics.csv'.length) + 'hparams.yaml'));
  let text: string | undefined;
  let yamlPath = candidates[0];
  for (const c of candidates) {
    try {
      text = fs.readFileSync(c, 'utf8');
      yamlPath = c;
      break;
    } catch {
      // try the next name
    }
  }
  if (text === undefined) return; // no hparams file: nothing to add
  const kv = parseYamlLite(text);
  for (const [k, v] of Object.entries(kv))
    if (v !== null) b.setHparam(k, v, { path: yamlPath, how: `hparams.yaml ${k}` });
  b.metaFromHparams(yamlPath);
}
