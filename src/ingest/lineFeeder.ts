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
 *    A UTF-8 byte-order mark before the first line is dropped (Windows editors and tools write one).
 *  - The partial line is kept in a buffer that grows by doubling: data arriving a byte at a time costs O(bytes),
 *    not O(bytes²).
 *  - Bytes path: a parser with `bytesLine` (the general reader) gets every line of a valid UTF-8 piece as bytes,
 *    split at CR like the string path, without any string made; invalid UTF-8 pieces take the string path.
 *  - Fast path: when the parser has `asciiLine` and a piece of complete lines is pure ASCII without NUL, whose
 *    CRs (if any) all end lines as CRLF (checked per piece with native scans; the CRs are then dropped in one
 *    copy), each line is offered as bytes first; only lines it declines are decoded and passed to `line`. Lines
 *    the fast path takes are never decoded into strings at all. A piece where it declines most lines switches it
 *    off for 1 piece, then 2, 4, … (reset by a piece it suits).
 */
import { isAscii, isUtf8 } from 'node:buffer';
import type { Diagnostic } from './types';
import type { LineParser } from './reader';

export const DEFAULT_MAX_LINE_BYTES = 1 << 20;
/** Bytes decoded at once (below Node's external-string threshold of ~1 MB). */
const DECODE_PIECE = 256 * 1024;
/** After a piece where the byte path declined most lines, this many pieces go straight to the string path. */
const FAST_PATH_BACKOFF = 16;

export class LineFeeder {
  /** Lines delivered so far (the 1-based number of the last complete line). */
  lineNo = 0;
  /** The partial last line: `pendLen` bytes of `pendBuf` (capacity doubles as it grows). */
  private pendBuf: Buffer | null = null;
  private pendLen = 0;
  private skipping = false;
  private fastOff = 0;
  private backoff = 1;
  private warnedUtf8 = false;
  private warnedBinary = false;
  private parserErrors = 0;
  /** Reused buffer for CRLF pieces with their CRs removed (byte path). */
  private scratch: Buffer | undefined;
  readonly diagnostics: Diagnostic[] = [];

  constructor(
    private readonly path: string,
    private readonly parser: LineParser,
    private readonly maxLineBytes = DEFAULT_MAX_LINE_BYTES,
  ) {}

  /** Some bytes fed were not valid UTF-8 (or held U+FFFD): the incremental reader then re-decides the encoding. */
  get sawInvalidUtf8(): boolean {
    return this.warnedUtf8;
  }

  /** Bytes held back as an incomplete last line. */
  get pendingBytes(): number {
    return this.pendLen;
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
    } else if (this.pendLen) {
      const total = this.pendLen + first;
      if (total > this.maxLineBytes) {
        this.tooLong(this.lineNo + 1);
        this.lineNo++;
      } else
        this.decodeLines(
          Buffer.concat(
            [this.pendBuf!.subarray(0, this.pendLen), buf.subarray(0, first + 1)],
            this.pendLen + first + 1,
          ),
        );
    } else {
      this.decodeLines(buf.subarray(0, first + 1));
    }
    this.dropPending();
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
    if (this.pendLen) {
      const line = Buffer.allocUnsafe(this.pendLen + 1);
      this.pendBuf!.copy(line, 0, 0, this.pendLen);
      line[this.pendLen] = 10;
      this.dropPending();
      this.parser.unterminated?.();
      this.decodeLines(line);
    }
  }

  private dropPending(): void {
    this.pendLen = 0;
    // a small buffer is reused for the next partial line; a big one is released
    if (this.pendBuf && this.pendBuf.length > 64 * 1024) this.pendBuf = null;
  }

  private hold(buf: Buffer, from: number): void {
    if (this.skipping) return;
    const add = buf.length - from;
    const have = this.pendLen;
    if (have + add > this.maxLineBytes) {
      this.dropPending();
      this.pendBuf = null;
      this.skipping = true;
      this.tooLong(this.lineNo + 1);
      this.lineNo++; // the over-long line is consumed (its tail is dropped when its newline arrives)
      return;
    }
    // copy (never retain the caller's read buffer) into a buffer that doubles: O(1) amortised per byte
    if (!this.pendBuf || this.pendBuf.length < have + add) {
      const next = Buffer.allocUnsafe(Math.min(Math.max(256, 2 * (have + add)), this.maxLineBytes + 1));
      if (have) this.pendBuf!.copy(next, 0, 0, have);
      this.pendBuf = next;
    }
    buf.copy(this.pendBuf, have, from);
    this.pendLen = have + add;
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
    if (this.parser.bytesLine && isUtf8(bytes)) return this.rawPiece(bytes);
    if (this.parser.asciiLine && this.fastOff-- <= 0 && isAscii(bytes) && bytes.indexOf(0) < 0) {
      if (bytes.indexOf(13) < 0) return this.bytePiece(bytes, false);
      if (!this.scratch || this.scratch.length < bytes.length)
        this.scratch = Buffer.allocUnsafe(Math.max(bytes.length, DECODE_PIECE));
      const lf = crlfOnly(bytes, this.scratch);
      if (lf) return this.bytePiece(lf, true);
    }
    this.stringPiece(bytes);
  }

  /**
   * Complete lines of pure ASCII without CR/NUL: each is offered to `asciiLine` as bytes; declined lines are
   * decoded (latin1 = UTF-8 on ASCII) and go to `line`, exactly as the string path would deliver them.
   */
  private bytePiece(bytes: Buffer, crlf: boolean): void {
    const parser = this.parser;
    // (CRLF lines come without their CR; the string path counts it in a line's length, and drops empty lines)
    const max = crlf ? this.maxLineBytes - 1 : this.maxLineBytes;
    const n = bytes.length;
    let lineNo = this.lineNo;
    let i = 0;
    let taken = 0;
    let declined = 0;
    while (i < n) {
      lineNo++;
      if (crlf && bytes[i] === 10) {
        i++; // an empty CRLF line: the string path delivers nothing for it
        continue;
      }
      let end: number;
      try {
        end = parser.asciiLine!(bytes, i, Math.min(n - 1, i + max), lineNo);
      } catch (e) {
        this.parserFailed(e, lineNo);
        end = -1;
      }
      if (end >= 0) {
        taken++;
        if (bytes[end] !== 10) end = bytes.indexOf(10, end) < 0 ? n : bytes.indexOf(10, end); // (a handler bug: skip the rest of the line)
      } else {
        const nl = bytes.indexOf(10, i);
        end = nl < 0 ? n : nl;
        if (end - i > max) this.tooLong(lineNo);
        else {
          declined++;
          this.deliver(bytes.toString('latin1', i, end), lineNo);
        }
      }
      i = end + 1;
      if (declined > 64 && declined > taken) {
        // the byte path does not suit this content: decode the rest in bulk, and skip it for a while — 1 piece,
        // then 2, 4, … up to FAST_PATH_BACKOFF while it keeps failing (a preamble does not switch it off for long)
        this.lineNo = lineNo;
        this.fastOff = this.backoff;
        this.backoff = Math.min(FAST_PATH_BACKOFF, 2 * this.backoff);
        if (i < n) this.stringPiece(crlf ? withCrlf(bytes.subarray(i)) : bytes.subarray(i));
        return;
      }
    }
    this.lineNo = lineNo;
    if (taken > declined) this.backoff = 1;
  }

  /** Valid UTF-8 complete lines, delivered as bytes to `bytesLine` (same lines and numbers as `stringPiece`). */
  private rawPiece(bytes: Buffer): void {
    let i = 0;
    if (this.lineNo === 0 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) i = 3; // BOM
    if (!this.warnedBinary) {
      const z = bytes.indexOf(0);
      if (z >= 0) {
        this.warnedBinary = true;
        this.diag('binary content (NUL bytes) in a text log', this.lineNo + lineOfBytes(bytes, z), 'warning');
      }
    }
    // the next CR at or after the current line (−1: none left), searched again only once passed — a search per
    // line ran to the next CR, lines ahead, on every line of a log with tqdm redraws
    let cr = bytes.indexOf(13, i);
    const hasCR = cr >= 0;
    const max = this.maxLineBytes;
    let lineNo = this.lineNo;
    let nl = bytes.indexOf(10, i);
    while (nl >= 0) {
      lineNo++;
      if (cr >= 0 && cr < i) cr = bytes.indexOf(13, i);
      if (nl - i > max) this.tooLong(lineNo);
      else if (!hasCR || cr < 0 || cr > nl) this.deliverBytes(bytes, i, nl, lineNo);
      else {
        // segments between CRs, empty ones dropped (as `deliverSegments`)
        let s = i;
        for (; cr >= 0 && cr < nl; cr = bytes.indexOf(13, s)) {
          if (cr > s) this.deliverBytes(bytes, s, cr, lineNo);
          s = cr + 1;
        }
        if (nl > s || s === i) this.deliverBytes(bytes, s, nl, lineNo);
      }
      i = nl + 1;
      nl = bytes.indexOf(10, i);
    }
    this.lineNo = lineNo;
  }

  private deliverBytes(bytes: Buffer, start: number, end: number, lineNo: number): void {
    try {
      this.parser.bytesLine!(bytes, start, end, lineNo);
    } catch (e) {
      this.parserFailed(e, lineNo);
    }
  }

  private stringPiece(bytes: Buffer): void {
    let s = bytes.toString('utf8');
    if (this.lineNo === 0 && s.charCodeAt(0) === 0xfeff) s = s.slice(1); // BOM: the first piece starts the file
    if (!this.warnedUtf8 && s.indexOf('\uFFFD') >= 0) {
      this.warnedUtf8 = true;
      this.diag(
        'invalid UTF-8 (shown as U+FFFD); lines with it may not parse',
        this.lineNo + lineOf(s, s.indexOf('\uFFFD')),
        'info',
      );
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
    if (this.parserErrors++ < 3)
      this.diag(`reader failed on this line: ${(e as Error)?.message ?? e}`, lineNo, 'warning');
  }

  private diag(message: string, line: number, severity: Diagnostic['severity']): void {
    if (this.diagnostics.length < 100) this.diagnostics.push({ path: this.path, line, severity, message });
  }
}

/**
 * The lines of `b` (complete lines) without their CRs when every line ends with `\r\n` and holds no other CR,
 * written into `out` (at least as long as `b`); null otherwise (lone CRs — tqdm redraws — or mixed line ends:
 * the string path reads those pieces).
 */
function crlfOnly(b: Buffer, out: Buffer): Buffer | null {
  let w = 0;
  let from = 0;
  for (let nl = b.indexOf(10); nl >= 0; nl = b.indexOf(10, from)) {
    if (nl === from || b.indexOf(13, from) !== nl - 1) return null;
    w += b.copy(out, w, from, nl - 1);
    out[w++] = 10;
    from = nl + 1;
  }
  if (from < b.length) return null;
  return out.subarray(0, w);
}

/** Lines with CR LF again (the rest of a CRLF piece handed back to the string path). */
function withCrlf(b: Buffer): Buffer {
  const parts: Buffer[] = [];
  let from = 0;
  for (let nl = b.indexOf(10); nl >= 0; nl = b.indexOf(10, from)) {
    parts.push(b.subarray(from, nl), CRLF);
    from = nl + 1;
  }
  if (from < b.length) parts.push(b.subarray(from));
  return Buffer.concat(parts);
}
const CRLF = Buffer.from('\r\n');

/** 1-based line of byte `i` within `b` (counting `\n`). */
function lineOfBytes(b: Buffer, i: number): number {
  let n = 1;
  for (let k = b.indexOf(10); k >= 0 && k < i; k = b.indexOf(10, k + 1)) n++;
  return n;
}

/** 1-based line of index `i` within `s` (counting `\n`). */
function lineOf(s: string, i: number): number {
  let n = 1;
  for (let k = s.indexOf('\n'); k >= 0 && k < i; k = s.indexOf('\n', k + 1)) n++;
  return n;
}
