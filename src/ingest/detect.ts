/**
 * Choosing a reader for a file by content. Pure (no `vscode`).
 *
 * Every reader scores the sniff (path + first 64 KiB) with a confidence in 0..1. The highest score ≥ 0.5 wins.
 * The file extension is only a tie-break hint: among readers whose scores are within `TIE_EPSILON` of the best,
 * one whose conventional extension matches the file is preferred; otherwise the earlier reader in the list wins
 * (the list is ordered from specific to generic).
 *
 * Logger prefixes (`[2026-03-01 10:00:00]`, glog headers, `INFO:`, `[rank0]:`, `[train]`) hide a known format
 * from its reader's signature: when some lines of the sniff carry one, the text readers are also scored on the
 * sniff with the prefixes removed, and a reader that scores better there is used behind a prefix stripper
 * (`infer/prefixed.ts`).
 */
import type { Reader, Sniff } from './reader';
import { canStrip, strippedSniff, withPrefixStripping } from './infer/prefixed';

/** Minimum confidence for a reader to claim a file. */
export const MIN_CONFIDENCE = 0.5;
/** Scores closer than this to the best are considered a tie. */
const TIE_EPSILON = 0.02;

/** Conventional extensions per format (tie-break only, never decisive on its own). */
const EXTENSION_HINTS: Partial<Record<Reader['format'], readonly string[]>> = {
  jsonl: ['.jsonl', '.ndjson'],
  csv: ['.csv', '.tsv'],
  'lightning-csv': ['.csv'],
  'keras-csv': ['.csv'],
  'points-table': ['.csv', '.tsv'],
  'hf-trainer-state': ['.json'],
  'megatron-golden': ['.json'],
  'lm-eval': ['.json'],
  'json-arrays': ['.json'],
  'eval-table': ['.csv', '.tsv', '.jsonl'],
  wandb: ['.wandb'],
};

function extensionMatches(reader: Reader, path: string): boolean {
  const exts = EXTENSION_HINTS[reader.format];
  if (!exts) return false;
  const lower = path.toLowerCase();
  return exts.some((e) => lower.endsWith(e));
}

/** A detector that throws counts as "not this format" (bad input never escapes). */
/** Scores already computed for a sniff (by `pickReaderSliced`), so `pickReader` on the same sniff only looks them up. */
const scored = new WeakMap<Sniff, Map<Reader, number>>();
/** The prefix-stripped sniff of a sniff, made once (null: no prefix found). */
const strippedOf = new WeakMap<Sniff, Sniff | null>();

function stripped(sniff: Sniff): Sniff | undefined {
  let s = strippedOf.get(sniff);
  if (s === undefined) strippedOf.set(sniff, (s = strippedSniff(sniff) ?? null));
  return s ?? undefined;
}

function safeScore(reader: Reader, sniff: Sniff): number {
  const memo = scored.get(sniff)?.get(reader);
  if (memo !== undefined) return memo;
  try {
    const s = reader.detect(sniff);
    return Number.isFinite(s) ? Math.max(0, Math.min(1, s)) : 0;
  } catch {
    return 0;
  }
}

/** The best reader for `sniff` among `readers`, or null when none is confident enough. */
export function pickReader(readers: readonly Reader[], sniff: Sniff): Reader | null {
  const direct = pickDirect(readers, sniff);
  // a signature already matched on the raw lines: no prefix hides it
  if (direct.best >= 0.9) return direct.reader;
  const strippable = readers.filter(canStrip);
  if (!strippable.length) return direct.reader;
  const plain = stripped(sniff);
  if (!plain) return direct.reader;
  const behind = pickDirect(strippable, plain);
  if (behind.reader && behind.best > direct.best)
    return withPrefixStripping(behind.reader as Parameters<typeof withPrefixStripping>[0]);
  return direct.reader;
}

/**
 * `pickReader`, with each reader's detection (and the prefix stripping) run in its own turn of the event loop:
 * `pause()` is awaited between them, so a host thread is never held for all of them at once (issue 14: on the
 * sampled sniff of a huge log they took 30+ ms cold). The scores are remembered for this sniff; the decision is
 * then `pickReader`'s, unchanged. `onUnit()` is called once per unit of work done between two pauses.
 */
export async function pickReaderSliced(
  readers: readonly Reader[],
  sniff: Sniff,
  pause: () => Promise<void>,
  onUnit?: () => void,
): Promise<Reader | null> {
  const fill = async (rs: readonly Reader[], s: Sniff) => {
    let m = scored.get(s);
    if (!m) scored.set(s, (m = new Map()));
    for (const r of rs) {
      if (m.has(r)) continue;
      const v = safeScore(r, s);
      m.set(r, v);
      onUnit?.();
      await pause();
    }
  };
  await fill(readers, sniff);
  let best = 0;
  for (const v of scored.get(sniff)!.values()) best = Math.max(best, v);
  const strippable = readers.filter(canStrip);
  if (strippable.length && best < 0.9) {
    const plain = stripped(sniff);
    onUnit?.();
    await pause();
    if (plain) await fill(strippable, plain);
  }
  return pickReader(readers, sniff);
}

function pickDirect(readers: readonly Reader[], sniff: Sniff): { reader: Reader | null; best: number } {
  const scored = readers.map((r) => ({ r, s: safeScore(r, sniff) }));
  let best = 0;
  for (const x of scored) if (x.s > best) best = x.s;
  if (best < MIN_CONFIDENCE) return { reader: null, best };
  const top = scored.filter((x) => x.s >= best - TIE_EPSILON);
  const hinted = top.find((x) => extensionMatches(x.r, sniff.path));
  // Within the tie band, prefer the exact best unless an extension hint picks another tied reader.
  if (hinted) return { reader: hinted.r, best };
  return { reader: top.find((x) => x.s === best)!.r, best };
}

/** All readers with their confidence, best first (for diagnostics / "why was this file read as X"). */
export function rankReaders(
  readers: readonly Reader[],
  sniff: Sniff,
): { format: Reader['format']; confidence: number }[] {
  return readers
    .map((r) => ({ format: r.format, confidence: safeScore(r, sniff) }))
    .sort((a, b) => b.confidence - a.confidence);
}
