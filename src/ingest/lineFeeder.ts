/**
 * Turns appended byte chunks into complete lines for a `LineParser`. Pure (no I/O); used by the incremental
 * file reader and by `parseBytes`.
 *
 *  - Lines end at `\n`. A trailing partial line is kept (as bytes, so a UTF-8 sequence split across chunks is
 *    decoded whole) until its newline arrives, or until `flush()` at a known end of file.
 *  - `\r\n` → the `\r` is dropped. A lone `\r` (tqdm progress bars redraw with it) splits the line into
 *    segments, each fed as its own line with the SAME line number: the metric dict that HF prints after a
 *    progress bar is kept intact, the bar redraws become separate (ignored) lines.
 *  - Lines longer than `maxLineBytes` are skipped with one diagnostic carrying the 1-based line number; the
 *    buffered part is dropped as soon as the cap is exceeded, so a 50 MB line costs at most the cap in memory.
 *  - Invalid UTF-8 becomes U+FFFD (never throws) and is reported once; NUL bytes ("binary garbage") likewise.
 */
import type { Diagnostic } from './types';
import type { LineParser } from './reader';

export const DEFAULT_MAX_LINE_BYTES = 1 << 20;
/** Bytes decoded at once (below Node's external-string threshold of ~1 MB). */
const DECODE_PIECE = 256 * 1024;

export class LineFeeder {
  /** Lines delivered so far (the 1-based number of the last complete line). */
  lineNo = 0;
  private pending: Buffer | null = null;
  private skipping = false;
  private warnedUtf8 = false;
  private warnedBinary = false;
  private parserErrors = 0;
  readonly diagnostics: Diagnostic[] = [];

  constructor(
    private readonly path: string,
    private readonly parser: LineParser,
    private readonly maxLineBytes = DEFAULT_MAX_LINE_BYTES,
  ) {}

  /** Bytes held back as an incomplete last line. */
  get pendingBytes(): number {
    return this.pending?.length ?? 0;
  }

  /** Feeds appended bytes. Never throws. */
  push(chunk: Uint8Array): void {
    const buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    const first = buf.indexOf(10);
    if (first < 0) {
      this.hold(buf, 0);
      return;
    }
    // 1) the line that was pending + the head of this chunk
    if (this.skipping) {
      this.skipping = false; // the tail of an over-long line: already reported, drop it
    } else if (this.pending) {
      const p = this.pending;
      const total = p.length + first;
      if (total > this.maxLineBytes) this.tooLong(this.lineNo + 1);
      else this.decodeLines(Buffer.concat([p, buf.subarray(0, first + 1)]));
      if (total > this.maxLineBytes) this.lineNo++;
    } else {
      this.decodeLines(buf.subarray(0, first + 1));
    }
    this.pending = null;
    // 2) the complete lines after it
    const last = buf.lastIndexOf(10);
    if (last > first) this.decodeLines(buf.subarray(first + 1, last + 1));
    // 3) the new partial line
    if (last + 1 < buf.length) this.hold(buf, last + 1);
  }

  /** At a known end of input: delivers the pending partial line (if any) as a last line. */
  flush(): void {
    if (this.skipping) {
      this.skipping = false;
      return;
    }
    if (this.pending && this.pending.length) {
      const p = this.pending;
      this.pending = null;
      this.decodeLines(Buffer.concat([p, Buffer.from([10])]));
    }
  }

  private hold(buf: Buffer, from: number): void {
    if (this.skipping) return;
    const add = buf.length - from;
    const have = this.pending?.length ?? 0;
    if (have + add > this.maxLineBytes) {
      this.pending = null;
      this.skipping = true;
      this.tooLong(this.lineNo + 1);
      this.lineNo++; // the over-long line is consumed (its tail is dropped when its newline arrives)
      return;
    }
    const part = Buffer.from(buf.subarray(from)); // copy: never retain the big read buffer
    this.pending = this.pending ? Buffer.concat([this.pending, part]) : part;
  }

  private tooLong(line: number): void {
    this.diag(`line ${line} is longer than ${this.maxLineBytes} bytes; skipped`, line, 'warning');
  }

  /**
   * Decodes a run of complete lines (ending with `\n`) and delivers them, in pieces of at most
   * DECODE_PIECE bytes cut at newlines: Node turns bigger decodes into *external* strings, and substrings of
   * those make V8's string/regexp operations in the readers ~20× slower.
   */
  private decodeLines(bytes: Buffer): void {
    let from = 0;
    while (from < bytes.length) {
      let end = bytes.length;
      if (end - from > DECODE_PIECE) {
        const nl = bytes.lastIndexOf(10, from + DECODE_PIECE - 1);
        end = nl >= from ? nl + 1 : bytes.indexOf(10, from + DECODE_PIECE) + 1 || bytes.length;
      }
      this.decodePiece(bytes.subarray(from, end));
      from = end;
    }
  }

  private decodePiece(bytes: Buffer): void {
    const s = bytes.toString('utf8');
    if (!this.warnedUtf8 && s.indexOf('\uFFFD') >= 0) {
      this.warnedUtf8 = true;
      this.diag('invalid UTF-8 (shown as U+FFFD); lines with it may not parse', this.lineNo + lineOf(s, s.indexOf('\uFFFD')), 'info');
    }
    if (!this.warnedBinary && s.indexOf('\0') >= 0) {
      this.warnedBinary = true;
      this.diag('binary content (NUL bytes) in a text log', this.lineNo + lineOf(s, s.indexOf('\0')), 'warning');
    }
    const hasCR = s.indexOf('\r') >= 0;
    const maxChars = this.maxLineBytes;
    const parser = this.parser;
    let lineNo = this.lineNo;
    let i = 0;
    let nl = s.indexOf('\n', 0);
    while (nl >= 0) {
      lineNo++;
      if (nl - i > maxChars) this.tooLong(lineNo);
      else if (hasCR) this.deliverSegments(s.slice(i, nl), lineNo);
      else {
        try {
          parser.line(s.slice(i, nl), lineNo);
        } catch (e) {
          this.parserFailed(e, lineNo);
        }
      }
      i = nl + 1;
      nl = s.indexOf('\n', i);
    }
    this.lineNo = lineNo;
  }

  private deliverSegments(line: string, lineNo: number): void {
    if (line.indexOf('\r') < 0) return this.deliver(line, lineNo);
    for (const seg of line.split('\r')) if (seg.length) this.deliver(seg, lineNo);
  }

  private deliver(line: string, lineNo: number): void {
    try {
      this.parser.line(line, lineNo);
    } catch (e) {
      this.parserFailed(e, lineNo);
    }
  }

  private parserFailed(e: unknown, lineNo: number): void {
    if (this.parserErrors++ < 3) this.diag(`reader failed on this line: ${(e as Error)?.message ?? e}`, lineNo, 'warning');
  }

  private diag(message: string, line: number, severity: Diagnostic['severity']): void {
    if (this.diagnostics.length < 100) this.diagnostics.push({ path: this.path, line, severity, message });
  }
}

/** 1-based line of index `i` within `s` (counting `\n`). */
function lineOf(s: string, i: number): number {
  let n = 1;
  for (let k = s.indexOf('\n'); k >= 0 && k < i; k = s.indexOf('\n', k + 1)) n++;
  return n;
}
