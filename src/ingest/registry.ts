/**
 * The list of format readers and content-based format detection. Pure (no `vscode`).
 *
 * Registering a reader = one line in `READERS` below (plus its import). Order matters only for ties:
 * specific formats before generic ones (the generic text fallback is appended last).
 */
import type { Reader, Sniff } from './reader';
import { pickReader, rankReaders } from './detect';
import { TEXT_READERS, FALLBACK_READERS } from './textReaders';
// ── part B (structured formats): add imports here ──
import { jsonlReader } from './readers/jsonl';
import { csvReader } from './readers/csv';
import { lightningCsvReader } from './readers/lightningCsv';
import { kerasCsvReader } from './readers/kerasCsv';
import { pointsTableReader } from './readers/pointsTable';
import { trainerStateReader } from './readers/trainerState';
import { megatronGoldenReader } from './readers/megatronGolden';
import { tensorboardReader } from './readers/tensorboard';
import { mlflowReader } from './readers/mlflow';
import { wandbReader } from './readers/wandb';
import { lmEvalReader } from './readers/lmEval';
import { evalTableReader } from './readers/evalTable';
import { jsonArraysReader } from './readers/jsonArrays';

export const READERS: Reader[] = [
  // ── part B (structured formats): one line per reader, e.g. `jsonlReader,` ──
  tensorboardReader,
  wandbReader,
  mlflowReader,
  trainerStateReader,
  megatronGoldenReader,
  lmEvalReader,
  evalTableReader,
  pointsTableReader,
  lightningCsvReader,
  kerasCsvReader,
  csvReader,
  jsonlReader,
  jsonArraysReader,

  // ── part A (plain-text logs) ──
  ...TEXT_READERS,
  // ── fallbacks: keep last ──
  ...FALLBACK_READERS,
];

/** The reader for a file, chosen by content confidence (extension only as a tie-break), or null. */
export function detectFormat(sniff: Sniff): Reader | null {
  return pickReader(READERS, sniff);
}

/** Every reader's confidence for `sniff`, best first (debugging / "why this format"). */
export function explainDetection(sniff: Sniff): { format: Reader['format']; confidence: number }[] {
  return rankReaders(READERS, sniff);
}

/** The registered reader for a format id, if any. */
export function readerFor(format: Reader['format']): Reader | undefined {
  return READERS.find((r) => r.format === format);
}
