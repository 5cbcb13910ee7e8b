/**
 * The contract every format reader implements. Pure (no `vscode`).
 *
 * Readers are registered in `registry.ts` and chosen by content (`detect`), not by file extension alone.
 * Three shapes, by how the format grows:
 *  - `text`:   line-oriented logs that grow by appending. The incremental file reader feeds complete lines
 *              (without the newline, CR stripped) to a stateful `LineParser`; a partial last line waits.
 *  - `binary`: record-framed files that grow by appending (TensorBoard, W&B). The reader is fed byte chunks
 *              and keeps any incomplete trailing record for the next chunk.
 *  - `whole`:  files or directories re-read whole when they change (trainer_state.json, golden-value JSON,
 *              MLflow stores). They are small; `parse` gets the full content (or the directory path).
 */
import type { Diagnostic, FormatId, ParseResult } from './types';

/** What a detector sees: the file's path and its first bytes (up to 64 KiB), also decoded as UTF-8. */
export interface Sniff {
  path: string;
  head: Uint8Array;
  text: string;
}

interface ReaderBase {
  format: FormatId;
  /** Confidence 0..1 that the file is in this format; the registry picks the highest (≥ 0.5). */
  detect(sniff: Sniff): number;
}

/** Options every reader accepts (all optional). */
export interface ReaderOptions {
  /** Per-series cap on stored points; older points are merged into bins above it (series.ts). */
  maxSeriesPoints?: number;
}

export interface LineParser {
  /** One complete line (no trailing newline, no CR), 1-based line number. Never throws. */
  line(text: string, lineNo: number): void;
  /**
   * Optional fast path: the next line as bytes from `buf[start]`, offered first when it is pure ASCII without
   * CR or NUL (so bytes = characters); its `\n` is at or before `limit` if the line is not over-long. Returns
   * the index of that `\n` when it handled the line exactly as `line` would; −1 — with no effect at all — to
   * have it decoded and passed to `line`. (The fast path finds the line end itself: no separate newline scan.)
   */
  asciiLine?(buf: Uint8Array, start: number, limit: number, lineNo: number): number;
  /**
   * Optional bytes-only path (the general reader): every line as valid UTF-8 bytes `buf[start..end)` — no
   * newline, no CR (a line with lone CRs comes as its segments, each with the same line number, as on the
   * string path). When present, the feeder never decodes lines for this parser unless a piece is invalid UTF-8
   * (then `line` gets the decoded text, with U+FFFD, as before).
   */
  bytesLine?(buf: Uint8Array, start: number, end: number, lineNo: number): void;
  /**
   * Optional: called at a known end of input (one-shot parse), just before the file's last line is delivered when
   * that line had no line feed — a record the trainer was cut off while writing (killed, or the log copied while it
   * ran). A growing file's unterminated line is never delivered (it waits for its line feed), so this is never
   * called for a line that may still grow.
   */
  unterminated?(): void;
  /** The runs so far. May return the same (mutated) objects each time. */
  result(): ParseResult;
}

export interface TextReader extends ReaderBase {
  kind: 'text';
  create(path: string, options?: ReaderOptions): LineParser;
}

export interface ChunkParser {
  /** Bytes appended at `offset`. Returns how many bytes were consumed (the rest is offered again with more). */
  feed(bytes: Uint8Array, offset: number): number;
  result(): ParseResult;
}

export interface BinaryReader extends ReaderBase {
  kind: 'binary';
  create(path: string, options?: ReaderOptions): ChunkParser;
}

export interface WholeReader extends ReaderBase {
  kind: 'whole';
  /** For directory formats `content` is empty and `path` is the directory. Never throws. */
  parse(path: string, content: Uint8Array, options?: ReaderOptions): ParseResult | Promise<ParseResult>;
}

export type Reader = TextReader | BinaryReader | WholeReader;

export function diag(
  path: string,
  message: string,
  where: { line?: number; offset?: number } = {},
  severity: Diagnostic['severity'] = 'warning',
): Diagnostic {
  return { path, message, severity, ...where };
}
