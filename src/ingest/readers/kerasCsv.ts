/**
 * Keras `CSVLogger` files: `epoch,accuracy,loss,val_accuracy,val_loss` (one row per epoch; `NA` where a metric
 * was absent). The epoch is the x-axis. Pure (no `vscode`). Text reader.
 */
import type { Sniff, TextReader } from '../reader';
import { STEP_COLUMN, findColumn } from '../csvUtil';
import { CsvCurveParser, numericColumn, sniffTable } from './csv';

export const kerasCsvReader: TextReader = {
  format: 'keras-csv',
  kind: 'text',
  detect: detectKerasCsv,
  create: (path, o) =>
    new CsvCurveParser(path, {
      format: 'keras-csv',
      stepColumn: (h) => findColumn(h, /^epoch$/i),
      maxSeriesPoints: o?.maxSeriesPoints,
    }),
};

/** First column `epoch`, no step column, Keras-style metric names (`loss`, `val_*`, `accuracy`, `lr`). */
export function detectKerasCsv(sniff: Sniff): number {
  const t = sniffTable(sniff);
  if (!t) return 0;
  if (t.header[0].toLowerCase() !== 'epoch' || findColumn(t.header, STEP_COLUMN) >= 0) return 0;
  if (!numericColumn(t.rows, 0)) return 0;
  const kerasish = t.header
    .slice(1)
    .filter((h) => /^(val_)?(loss|acc|accuracy|lr|learning_rate|mae|mse|auc|precision|recall)/i.test(h));
  if (kerasish.length === 0) return 0;
  return t.header.includes('loss') ? 0.85 : 0.7;
}
