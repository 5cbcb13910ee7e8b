/**
 * Detection that does not depend on the first few hundred KB: a sniff made of the head plus windows spread
 * across the whole file (the tail included), each cut to whole lines. Pure apart from the reads it is given.
 *
 * A log whose first metric line comes after megabytes of compiler warnings or tracebacks is then still
 * recognised; and since a growing file is re-sampled, a live log is re-decided as it grows.
 */

export const SAMPLE_WINDOWS = 8;
export const SAMPLE_WINDOW_BYTES = 32 * 1024;

/** Byte ranges [from, length) to sample in a file of `size` bytes beyond its first `after` bytes. */
export function sampleRanges(size: number, after: number): [number, number][] {
  const span = size - after;
  if (span <= 0) return [];
  if (span <= SAMPLE_WINDOWS * SAMPLE_WINDOW_BYTES) return [[after, span]];
  const out: [number, number][] = [];
  for (let k = 1; k <= SAMPLE_WINDOWS; k++) {
    const end = after + Math.round((span * k) / SAMPLE_WINDOWS);
    out.push([end - SAMPLE_WINDOW_BYTES, SAMPLE_WINDOW_BYTES]);
  }
  return out;
}

/** The whole lines of a window (its cut first and last lines dropped, unless it is the file's end). */
export function wholeLines(bytes: Uint8Array, atFileEnd: boolean): Uint8Array {
  const first = bytes.indexOf(10);
  if (first < 0) return new Uint8Array(0);
  const last = atFileEnd ? bytes.length - 1 : bytes.lastIndexOf(10);
  return last > first ? bytes.subarray(first + 1, last + 1) : new Uint8Array(0);
}

/** The head followed by the sampled windows' whole lines (one newline between pieces). */
export function joinSample(head: Uint8Array, windows: readonly Uint8Array[]): Uint8Array {
  const parts: Uint8Array[] = [head];
  for (const w of windows) if (w.length) parts.push(Uint8Array.of(10), w);
  return Buffer.concat(parts);
}

/** A sampled sniff of in-memory bytes (for `parseBytes`). */
export function sampleBytes(bytes: Uint8Array, headBytes: number): Uint8Array {
  const head = bytes.subarray(0, Math.min(bytes.length, headBytes));
  const windows = sampleRanges(bytes.length, head.length).map(([from, len]) =>
    wholeLines(bytes.subarray(from, from + len), from + len >= bytes.length),
  );
  return joinSample(head, windows);
}
