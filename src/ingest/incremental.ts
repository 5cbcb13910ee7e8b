/**
 * Incremental reading of one log file (or run directory), resuming from a byte offset. Pure apart from
 * `node:fs` (no `vscode`): used by the extension host, the fit worker and the CLI.
 *
 * `LogFile.poll(maxBytes)` reads only the bytes appended since the last call (positioned reads in bounded
 * chunks; appending one line to a 1 GB log costs O(new bytes)), and hands them to the format's reader:
 *  - text readers through `LineFeeder` (partial last line waits; CR/CRLF; over-long lines skipped),
 *  - binary readers through their `ChunkParser` (unconsumed bytes are offered again with the next chunk),
 *  - whole readers re-parse the file (or directory) when it changed.
 *
 * Before reading it checks that the file is still the one it was reading; if not it starts over with a NEW
 * parser state (so no point is ever duplicated) and reports `reset: true`:
 *  - the file was replaced (device/inode changed: rotation, `mv new old`, editor save-as),
 *  - it shrank (truncation),
 *  - its first bytes changed (SHA-1 of the first 4 KiB) or the bytes just before the resume offset changed
 *    (SHA-1 of the last 1 KiB read): rewritten in place (checked on every poll, ≈ 5 KiB of reads),
 *  - its modification time changed while its size did not (an append-only log cannot do that; a same-size
 *    rewrite can).
 *
 * The format is detected from content (`registry.ts`): first on the first 64 KiB, then — for logs whose
 * first metric line comes after a long preamble — on the first 256 KiB; the generic fallback reader is tried
 * last and, while the file is shorter than the sniff window, only provisionally (re-detected as it grows).
 *
 * Encodings: UTF-8 (invalid bytes → U+FFFD, reported once; a leading BOM dropped), UTF-16 LE/BE with a
 * byte-order mark (Windows PowerShell redirection), and — decided on a sample of the bytes (the head; the head
 * and windows across the file once bytes that are not UTF-8 turn up, and again each time a legacy-decoded file
 * doubles) — GB18030 or Windows-1252, all transcoded to UTF-8 as they are read (encoding.ts), said in an info
 * diagnostic. A file read as UTF-8 that turns out not to be is re-read from the start in its encoding.
 */
import type * as fs from 'node:fs';
import * as fsp from 'node:fs/promises';
import * as nodePath from 'node:path';
import { createHash } from 'node:crypto';
import { isUtf8 } from 'node:buffer';
import type {
  BinaryReader,
  ChunkParser,
  LineParser,
  Reader,
  ReaderOptions,
  Sniff,
  TextReader,
  WholeReader,
} from './reader';
import type { Diagnostic, FormatId, ParseResult, Run, RunMeta } from './types';
import { READERS } from './registry';
import { FALLBACK_READERS } from './textReaders';
import { MIN_CONFIDENCE, pickReader, pickReaderSliced } from './detect';
import { LineFeeder, DEFAULT_MAX_LINE_BYTES } from './lineFeeder';
import { mergeMeta, metaFromRunName, metaFromSidecars } from './metaFiles';
import { encodingNote, sniffEncoding, toUtf8, transcoderFor } from './encoding';
import type { EncodingVerdict, Transcoder } from './encoding';
import { joinSample, sampleBytes, sampleRanges, wholeLines } from './infer/sample';
import {
  ASSEMBLY_SLICE_POINTS,
  InferredParser,
  WholeFileScan,
  inferConfidenceSliced,
  inferredReader,
} from './readers/inferred';

export const SNIFF_BYTES = 64 * 1024;
export const WIDE_SNIFF_BYTES = 256 * 1024;
/** A file no reader claims on its sample is read whole by the general reader up to this many bytes (wholeScan). */
export const WHOLE_SCAN_BYTES = 64 * 1024 * 1024;
const WHOLE_SCAN_PIECE = 512 * 1024;
export const DEFAULT_CHUNK_BYTES = 1 << 20;
const HEAD_CHECK_BYTES = 4096;
const SEAM_CHECK_BYTES = 1024;
/** Whole-file formats bigger than this are not read (they are meant to be small). */
const MAX_WHOLE_BYTES = 512 * 1024 * 1024;
/** A binary reader holding back more than this without consuming is considered stuck. */
const MAX_BINARY_PENDING = 256 * 1024 * 1024;

export interface LogFileOptions {
  /** Force a reader instead of detecting one. */
  reader?: Reader;
  /** Readers to choose from (default: the registry). */
  readers?: readonly Reader[];
  maxLineBytes?: number;
  chunkBytes?: number;
  /** Read config files beside the log and the run name for metadata (default true). */
  sidecars?: boolean;
  /**
   * Per-series cap on stored points (default DEFAULT_MAX_SERIES_POINTS = 2^20): above it the oldest points are
   * merged into bins, the most recent half stay exact, and an info diagnostic says so (series.ts).
   */
  maxSeriesPoints?: number;
  /**
   * A file whose last line has no line feed and that has not been modified for this long (by its mtime) has that
   * line read as a last line, as at a known end of input (`finish`): a trainer killed while writing leaves such a
   * line, and an idle file would otherwise keep it unread for ever. If the file grows after all, the line may have
   * been read half-written, so the file is re-read from the start (`reset`) and, for that file, never read early
   * again. Default: never (one-shot callers call `finish`); the extension host passes IDLE_LAST_LINE_MS.
   */
  idleLastLineMs?: number;
}

/** The host's `idleLastLineMs`: a minute without a write (a slow trainer's tqdm bar may sit longer; then it costs one re-read). */
export const IDLE_LAST_LINE_MS = 60_000;

export interface PollResult {
  /** New bytes were parsed. */
  grew: boolean;
  /** The file was replaced/truncated/rewritten (or re-detected) and re-read from the start. */
  reset: boolean;
  /** The path no longer exists. */
  gone: boolean;
  /** More bytes are waiting (the `maxBytes` budget ran out). */
  more: boolean;
}

type Identity = { dev: number; ino: number; size: number; mtimeMs: number; isDir: boolean };

const sha1 = (b: Uint8Array) => createHash('sha1').update(b).digest('hex');
const yieldToLoop = () => new Promise<void>((r) => setImmediate(r));
/** Sniff bytes the general reader's detection reads between two turns of the event loop. */
export const INFER_SLICE_BYTES = 16 * 1024;
/** The largest slice of sniff bytes detection read without yielding (for tests: a work-unit measure, not a time). */
export const detectWork = { maxSliceBytes: 0, slices: 0, units: 0 };
/** The same for the general reader's assembly (`InferredParser.prepareResult`): slices run and the most points in one. */
export const assemblyWork = { slices: 0, maxSlicePoints: 0 };
const noteAssembly = (n: number) => {
  assemblyWork.slices++;
  if (n > assemblyWork.maxSlicePoints) assemblyWork.maxSlicePoints = n;
};
const noteUnit = () => void detectWork.units++;
const noteSlice = (n: number) => {
  detectWork.slices++;
  if (n > detectWork.maxSliceBytes) detectWork.maxSliceBytes = n;
};

/** Incremental reader of one file or run directory. Never throws from its public methods. */
export class LogFile {
  private reader: Reader | null;
  private readonly forced: boolean;
  private provisional = false;
  /** While provisional: re-detect once the file reaches this size. */
  private redetectAt = 0;
  private notLogAt = -1;
  private id: Identity | undefined;
  /** Bytes of the file consumed so far (the resume offset). */
  private pos = 0;
  private headHash = '';
  private headLen = 0;
  private seamHash = '';
  private text: { parser: LineParser; feeder: LineFeeder; dec?: Transcoder } | undefined;
  /** How the file's bytes are decoded (decided on a sample; undefined until then). */
  private encoding: EncodingVerdict | undefined;
  /** The encoding is checked again on a wider sample once the file reaches this size. */
  private encodingCheckAt = 0;
  /** The encoding was decided on the head and windows across the file (not re-decided on the head alone). */
  private encodingWide = false;
  private binary: { parser: ChunkParser; pending: Buffer | null; base: number } | undefined;
  private whole: ParseResult | undefined;
  private fileDiagnostics: Diagnostic[] = [];
  private sideMeta: Partial<RunMeta> | undefined;
  private readonly opts: Required<Omit<LogFileOptions, 'reader' | 'maxSeriesPoints'>> & { maxSeriesPoints?: number };

  constructor(
    readonly path: string,
    options: LogFileOptions = {},
  ) {
    this.reader = options.reader ?? null;
    this.forced = !!options.reader;
    this.opts = {
      readers: options.readers ?? READERS,
      maxLineBytes: options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES,
      chunkBytes: options.chunkBytes ?? DEFAULT_CHUNK_BYTES,
      sidecars: options.sidecars ?? true,
      maxSeriesPoints: options.maxSeriesPoints,
      idleLastLineMs: options.idleLastLineMs ?? Number.POSITIVE_INFINITY,
    };
  }

  /** The detected (or forced) format, once known. */
  get format(): FormatId | undefined {
    return this.reader?.format;
  }

  /** The resume offset: bytes of the file consumed so far. */
  get offset(): number {
    return this.pos;
  }

  /** True when the content was sniffed and no reader claims it (re-checked if the file changes). */
  get notALog(): boolean {
    return this.notLogAt >= 0 && !this.reader;
  }

  /** Reads what was appended since the last poll (at most about `maxBytes`). Never throws. */
  async poll(maxBytes = Number.POSITIVE_INFINITY): Promise<PollResult> {
    const out: PollResult = { grew: false, reset: false, gone: false, more: false };
    try {
      const st = await statOf(this.path);
      if (!st) {
        out.gone = true;
        return out;
      }
      if (st.isDir) return await this.pollDirectory(st, out);
      if (this.idleReadAt >= 0 && st.size !== this.idleReadAt) {
        // the last line read early (see idleLastLineMs) may have been cut: read everything again, once
        this.resetState(
          'the last line, read while the file stood idle without a line feed, was continued: re-reading from the start',
        );
        this.idleReadOff = true;
        out.reset = true;
      } else if (this.id) {
        const why = this.changedUnderUs(st) ?? (await this.rewritten(st));
        if (why) {
          this.resetState(why);
          out.reset = true;
        }
      }
      if (!this.reader || (this.provisional && st.size >= this.redetectAt)) {
        if (this.notLogAt === st.size && !this.provisional) return out;
        const picked = await this.detect(st);
        if (!picked) {
          this.id = st;
          return out;
        }
        if (this.reader && picked !== this.reader) {
          this.resetState(`format re-detected as ${picked.format}`);
          out.reset = true;
        }
        this.reader = picked;
      }
      if (this.opts.sidecars && !this.sideMeta) this.sideMeta = await this.loadSidecars();
      if (this.reader.kind === 'whole') {
        if (!this.whole || !this.id || this.id.size !== st.size || this.id.mtimeMs !== st.mtimeMs || out.reset) {
          await this.readWhole(this.reader, st);
          out.grew = true;
        }
        this.id = st;
        return out;
      }
      this.id = st;
      const grewBy = await this.readAppended(st.size, maxBytes);
      out.grew = grewBy > 0;
      out.more = this.pos < st.size;
      if (!out.more && (await this.recheckEncoding(st))) {
        const again = await this.poll(maxBytes);
        return { ...again, reset: true, grew: again.grew || out.grew };
      }
      if (!out.more && (await this.fallBackIfEmpty(st))) {
        out.reset = true;
        out.grew = (await this.readAppended(st.size, maxBytes)) > 0;
        out.more = this.pos < st.size;
      }
      if (!out.more && this.readIdleLastLine(st)) out.grew = true;
      // The general reader assembles its run between event-loop turns, so the result() that follows is cheap.
      const parser = this.text?.parser;
      if (!out.more && parser instanceof InferredParser)
        await parser.prepareResult(yieldToLoop, ASSEMBLY_SLICE_POINTS, noteAssembly);
      return out;
    } catch (e) {
      this.addDiag(`read failed: ${(e as Error)?.message ?? String(e)}`, 'error');
      return out;
    }
  }

  /** File size at which an idle file's unterminated last line was read early; -1: not read early. */
  private idleReadAt = -1;
  /** That file grew after such an early read: its last line waits for its line feed from now on. */
  private idleReadOff = false;

  /** Reads an idle file's unterminated last line (see `idleLastLineMs`); true when it did. */
  private readIdleLastLine(st: Identity): boolean {
    const t = this.text;
    const ms = this.opts.idleLastLineMs;
    if (!t || !(ms >= 0) || this.idleReadOff || this.idleReadAt >= 0) return false;
    if (!t.feeder.pendingBytes || this.pos !== st.size || Date.now() - st.mtimeMs < ms) return false;
    this.finish();
    this.idleReadAt = st.size;
    return true;
  }

  /** At a known end of input (one-shot parsing): the pending partial last line is parsed as a line. */
  finish(): void {
    const t = this.text;
    if (!t) return;
    if (t.dec) t.feeder.push(t.dec.end());
    t.feeder.flush();
  }

  /** The runs and diagnostics so far (runs carry metadata from the log, then sidecar files, then the name). */
  result(): ParseResult {
    let base: ParseResult;
    try {
      if (this.whole) base = this.whole;
      else if (this.text) base = this.text.parser.result();
      else if (this.binary) base = this.binary.parser.result();
      else base = { runs: [], diagnostics: [] };
    } catch (e) {
      base = {
        runs: [],
        diagnostics: [{ path: this.path, severity: 'error', message: `reader failed: ${(e as Error)?.message}` }],
      };
    }
    const diagnostics = [
      ...this.fileDiagnostics,
      ...(this.text?.feeder.diagnostics ?? []),
      ...base.diagnostics,
      ...thinningNotes(base.runs),
      ...noPointsNote(this.path, this.reader?.format, base),
    ];
    const runs = base.runs.map((r) => this.withSideMeta(r));
    return base.points ? { runs, diagnostics, points: base.points } : { runs, diagnostics };
  }

  // ── change detection ──

  /** Cheap checks from stat alone: replaced / truncated / same-size mtime change. Undefined = look closer. */
  private changedUnderUs(st: Identity): string | undefined {
    const id = this.id!;
    if (id.dev !== st.dev || id.ino !== st.ino)
      return 'file was replaced (rotated or re-created); re-reading from the start';
    if (st.size < this.pos) return 'file shrank (truncated); re-reading from the start';
    if (st.size === id.size && st.mtimeMs !== id.mtimeMs && this.pos > 0)
      return 'file was modified without growing (rewritten in place); re-reading from the start';
    return undefined;
  }

  /**
   * Content checks (≈ 5 KiB read): the head and the seam before the resume offset must be unchanged. Run on
   * every poll of a file already read, so a same-size rewrite is caught even where mtime is coarse.
   */
  private async rewritten(_st: Identity): Promise<string | undefined> {
    if (this.pos === 0 || this.reader?.kind === 'whole') return undefined;
    const head = await readRange(this.path, 0, this.headLen);
    if (head && sha1(head) !== this.headHash)
      return 'file start changed (rewritten in place); re-reading from the start';
    if (this.seamHash) {
      const from = this.pos - this.seamBytes.length;
      const seam = await readRange(this.path, from, this.seamBytes.length);
      if (seam && sha1(seam) !== this.seamHash)
        return 'file content before the last read position changed; re-reading from the start';
    }
    return undefined;
  }

  private resetState(why: string): void {
    this.pos = 0;
    this.encoding = undefined;
    this.encodingCheckAt = 0;
    this.encodingWide = false;
    this.headHash = '';
    this.headLen = 0;
    this.seamHash = '';
    this.seamBytes = Buffer.alloc(0);
    this.headBytes = undefined;
    this.text = undefined;
    this.binary = undefined;
    this.whole = undefined;
    this.sideMeta = undefined;
    this.notLogAt = -1;
    if (!this.forced) this.reader = null;
    this.provisional = false;
    this.fellBack = false;
    this.emptyCheckAt = 0;
    this.wholeScanAt = 0;
    this.idleReadAt = -1;
    this.fileDiagnostics = [{ path: this.path, severity: 'info', message: why }];
  }

  // ── detection ──

  /**
   * A specific text reader that read the whole file and found no data point gives way to the general reader
   * when that one claims the content (once per file; re-detection as the file grows may still pick another).
   */
  private async fallBackIfEmpty(st: Identity): Promise<boolean> {
    const r = this.reader;
    if (
      this.forced ||
      this.fellBack ||
      !r ||
      r.kind !== 'text' ||
      FALLBACK_READERS.includes(r) ||
      !this.text ||
      st.size === 0
    )
      return false;
    // checked again only once the file has doubled (a live log still in its preamble is not re-sampled per poll)
    if (st.size < this.emptyCheckAt) return false;
    this.emptyCheckAt = 2 * st.size;
    const res = this.text.parser.result();
    const settled = () => {
      this.fellBack = true; // data found: never checked again for this file
      return false;
    };
    if (res.points) return settled(); // a points table: data, not runs
    for (const run of res.runs) for (const k in run.metrics) if (run.metrics[k].step.length) return settled();
    const fallbacks = this.opts.readers.filter((x) => FALLBACK_READERS.includes(x));
    const head = await readRange(this.path, 0, Math.min(st.size, SNIFF_BYTES));
    if (!head || !fallbacks.length) return false;
    const windows = await readWindows(this.path, st.size, head.length);
    const fbSniff = makeSniff(this.path, this.decoded(joinSample(head, windows)));
    if (fallbacks.includes(inferredReader))
      await inferConfidenceSliced(fbSniff, yieldToLoop, INFER_SLICE_BYTES, noteSlice);
    const fb = await pickReaderSliced(fallbacks, fbSniff, yieldToLoop, noteUnit);
    if (!fb) return false;
    this.resetState(`read as ${r.format}, which found no data point in it; read by the general reader instead`);
    this.fellBack = true;
    this.reader = fb;
    this.provisional = true;
    this.redetectAt = Math.max(2 * st.size, st.size + SNIFF_BYTES);
    return true;
  }
  private fellBack = false;
  private emptyCheckAt = 0;

  private async detect(st: Identity): Promise<Reader | null> {
    const readers = this.opts.readers;
    const specific = readers.filter((r) => !FALLBACK_READERS.includes(r));
    const fallbacks = readers.filter((r) => FALLBACK_READERS.includes(r));
    const head = await readRange(this.path, 0, Math.min(st.size, SNIFF_BYTES));
    if (!head) return null;
    // every reader's detection, and the general reader's inference, in its own turn of the event loop (issue 14)
    const pick = (rs: readonly Reader[], s: Sniff) => pickReaderSliced(rs, s, yieldToLoop, noteUnit);
    // decided again at every detection (the file has grown), unless decided on a wider sample already
    if (!this.encodingWide) this.encoding = sniffEncoding([head]);
    let sniff = makeSniff(this.path, this.decoded(head));
    let r = await pick(specific, sniff);
    if (!r && st.size > SNIFF_BYTES) {
      const wide = await readRange(this.path, 0, Math.min(st.size, WIDE_SNIFF_BYTES));
      if (wide) {
        if (this.encoding?.encoding === 'utf-8' && !this.encoding.why && !isUtf8(wide)) {
          this.encoding = sniffEncoding([wide]);
          this.encodingWide = true;
        }
        sniff = makeSniff(this.path, this.decoded(wide));
        r = await pick(specific, sniff);
      }
    }
    if (!r && st.size > WIDE_SNIFF_BYTES) {
      const windows = await readWindows(this.path, st.size, SNIFF_BYTES);
      // bytes that are not UTF-8 past the head: the encoding is decided on the whole sample
      if (this.encoding?.encoding === 'utf-8' && !this.encoding.why && !windows.every((w) => isUtf8(w))) {
        this.encoding = sniffEncoding([head, ...windows]);
        this.encodingWide = true;
      }
      sniff = makeSniff(this.path, this.decoded(joinSample(head, windows)));
      r = await pick(specific, sniff);
    }
    this.provisional = false;
    if (!r) {
      // the general reader's inference over the sniff (up to ~320 KiB of a huge log) runs in slices between
      // turns of the event loop, so the host thread is never held for all of it (issue 14); pickReader then
      // finds its confidence already computed
      if (fallbacks.includes(inferredReader))
        await inferConfidenceSliced(sniff, yieldToLoop, INFER_SLICE_BYTES, noteSlice);
      r = await pick(fallbacks, sniff);
      // metric lines the sampled windows fell between (a short log after megabytes of other output, a console
      // with one metric line per step between sample dumps): the general reader reads the file whole
      const scan = !r && fallbacks.includes(inferredReader) ? await this.wholeScan(st.size) : undefined;
      if (scan) {
        // (each reader's detection in its own turn of the event loop, as for the head's sniff)
        const w = scan.window?.length ? await pick(specific, makeSniff(this.path, scan.window)) : null;
        const behind = w && w.kind === 'text' ? w : null;
        r = behind ?? inferredReader;
        this.fileDiagnostics.push({
          path: this.path,
          severity: 'info',
          message: wholeScanNote(st.size, behind, scan.line),
        });
      }
      if (r) {
        this.provisional = true;
        this.redetectAt = Math.max(2 * st.size, st.size + SNIFF_BYTES);
      }
    }
    if (!r) this.notLogAt = st.size;
    return r;
  }

  /** The size from which an unclaimed file is read whole again by the general reader (once it has doubled). */
  private wholeScanAt = 0;

  /**
   * Whether the general reader, reading the file's first WHOLE_SCAN_BYTES whole (read in 512 KiB pieces, parsed
   * INFER_SLICE_BYTES at a time with a turn of the event loop after each), finds loss-like metric lines that the
   * sampled sniff missed. A growing unclaimed file is read again only once it has doubled, not at every poll.
   */
  private async wholeScan(size: number): Promise<{ line?: number; window?: Uint8Array } | undefined> {
    if (size <= WIDE_SNIFF_BYTES || size < this.wholeScanAt) return undefined; // the sniff was the whole file
    this.wholeScanAt = 2 * size;
    const scan = new WholeFileScan(this.path);
    const end = Math.min(size, WHOLE_SCAN_BYTES);
    const transcoder = this.encoding ? transcoderFor(this.encoding.encoding) : undefined;
    /** Lines begun before each piece (counted in `\n`; file offsets are those of the bytes only when not transcoded). */
    const linesBefore: number[] = [];
    let lines = 0;
    for (let from = 0; from < end; from += WHOLE_SCAN_PIECE) {
      const piece = await readRange(this.path, from, Math.min(WHOLE_SCAN_PIECE, end - from));
      if (!piece || !piece.length) return undefined;
      linesBefore.push(lines);
      for (let nl = piece.indexOf(10); nl >= 0; nl = piece.indexOf(10, nl + 1)) lines++;
      const bytes = transcoder ? transcoder.push(piece) : piece;
      for (let i = 0; i < bytes.length; i += INFER_SLICE_BYTES) {
        const slice = bytes.subarray(i, Math.min(bytes.length, i + INFER_SLICE_BYTES));
        scan.push(slice);
        noteSlice(slice.length);
        await yieldToLoop();
      }
    }
    if (scan.confidence() < MIN_CONFIDENCE) return undefined;
    // where the first loss-like records begin: a sniff there, for the specific readers (UTF-8 files only: the line
    // count of other encodings' bytes is not that of their text)
    const line = scan.firstLossLine();
    if (line === undefined || transcoder) return { line };
    let k = 0;
    while (k + 1 < linesBefore.length && linesBefore[k + 1] < line) k++;
    const from = k * WHOLE_SCAN_PIECE;
    const near = await readRange(this.path, from, Math.min(size - from, 2 * WHOLE_SCAN_PIECE + SNIFF_BYTES));
    const at = near ? offsetOfLine(near, 0, linesBefore[k] + 1, line) : -1;
    return { line, window: near && at >= 0 ? near.subarray(at, at + SNIFF_BYTES) : undefined };
  }

  // ── encoding ──

  /** Sample bytes as UTF-8, in the encoding decided for this file. */
  private decoded(bytes: Uint8Array): Uint8Array {
    return this.encoding ? toUtf8(bytes, this.encoding.encoding) : bytes;
  }

  /**
   * The encoding, decided on the head, is checked again on the head and windows across the file when bytes that
   * are not UTF-8 reached the line feeder (a GBK log whose first 64 KiB are ASCII), and for a legacy-decoded file
   * each time it has doubled. A different verdict re-reads the file from the start (true). A BOM is final.
   */
  private async recheckEncoding(st: Identity): Promise<boolean> {
    const t = this.text;
    const enc = this.encoding;
    if (!t || !enc || enc.why === 'byte-order mark' || st.size < this.encodingCheckAt) return false;
    if (enc.encoding === 'utf-8' && !t.feeder.sawInvalidUtf8) return false;
    const head = await readRange(this.path, 0, Math.min(st.size, SNIFF_BYTES));
    if (!head) return false;
    const v = sniffEncoding([head, ...(await readWindows(this.path, st.size, head.length))]);
    if (v.encoding === enc.encoding) {
      this.encodingCheckAt = 2 * st.size;
      return false;
    }
    this.resetState(
      `read as ${enc.encoding.toUpperCase()}, but its bytes are ${v.encoding.toUpperCase()}; re-reading from the start`,
    );
    this.encoding = v;
    this.encodingWide = true;
    this.encodingCheckAt = 2 * st.size;
    return true;
  }

  // ── reading ──

  private async readAppended(size: number, maxBytes: number): Promise<number> {
    const reader = this.reader as TextReader | BinaryReader;
    if (reader.kind === 'text' && !this.text) {
      const parser = reader.create(this.path, this.readerOptions());
      this.text = { parser, feeder: new LineFeeder(this.path, parser, this.opts.maxLineBytes) };
      if (this.pos === 0) {
        this.encoding ??= sniffEncoding([(await readRange(this.path, 0, SNIFF_BYTES)) ?? new Uint8Array(0)]);
        this.text.dec = transcoderFor(this.encoding.encoding);
        const note = encodingNote(this.encoding);
        if (note && this.fileDiagnostics.length < 50)
          this.fileDiagnostics.push(encodingDiag(this.path, note, this.encoding));
      }
    } else if (reader.kind === 'binary' && !this.binary) {
      this.binary = { parser: reader.create(this.path, this.readerOptions()), pending: null, base: 0 };
    }
    const start = this.pos;
    const budgetEnd = Math.min(size, start + Math.max(1, maxBytes));
    if (budgetEnd <= start) return 0;
    const fh = await fsp.open(this.path, 'r');
    let pending: Promise<unknown> | null = null;
    try {
      // Two buffers: the next chunk is read (on libuv's thread pool) while this one is parsed, so the parse
      // does not wait for the disk between chunks. Chunks are still fed strictly in file order.
      // (one allocation of `chunkBytes`, halved when there is more to read than one chunk: the same memory as a
      // single buffer)
      const whole = Buffer.allocUnsafe(Math.min(this.opts.chunkBytes, budgetEnd - start));
      const two = budgetEnd - start > whole.length && whole.length >= 2;
      const size0 = two ? whole.length >> 1 : whole.length;
      const bufs = [whole.subarray(0, size0), two ? whole.subarray(size0, 2 * size0) : null];
      const readAt = (k: number, at: number) => fh.read(bufs[k]!, 0, Math.min(size0, budgetEnd - at), at);
      let k = 0;
      let next: ReturnType<typeof readAt> | null = (pending = readAt(0, this.pos));
      while (next) {
        const { bytesRead } = await next;
        next = null;
        if (bytesRead <= 0) break;
        const at = this.pos + bytesRead;
        pending = null;
        if (at < budgetEnd && bufs[1 - k]) pending = next = readAt(1 - k, at);
        const chunk = bufs[k]!.subarray(0, bytesRead);
        if (this.pos < HEAD_CHECK_BYTES) this.extendHead(chunk);
        this.feed(chunk);
        this.pos = at;
        this.rememberSeam(chunk);
        k = 1 - k;
      }
    } finally {
      if (pending) await pending.catch(() => undefined);
      await fh.close();
    }
    if (this.seamBytes.length) this.seamHash = sha1(this.seamBytes);
    return this.pos - start;
  }

  private feed(chunk: Buffer): void {
    if (this.text) {
      this.text.feeder.push(this.text.dec ? this.text.dec.push(chunk) : chunk);
      return;
    }
    const b = this.binary!;
    const data = b.pending ? Buffer.concat([b.pending, chunk]) : chunk;
    let used = 0;
    try {
      used = b.parser.feed(data, b.base);
    } catch (e) {
      this.addDiag(`binary reader failed at offset ${b.base}: ${(e as Error)?.message}`, 'error', b.base);
      used = data.length;
    }
    used = Math.max(0, Math.min(data.length, Math.floor(used) || 0));
    b.base += used;
    const rest = data.length - used;
    if (rest > MAX_BINARY_PENDING) {
      this.addDiag(`binary reader is holding ${rest} bytes without progress; dropped`, 'error', b.base);
      b.base += rest;
      b.pending = null;
    } else b.pending = rest ? Buffer.from(data.subarray(used)) : null;
  }

  /** Hashes the first HEAD_CHECK_BYTES as they are read. */
  private extendHead(chunk: Buffer): void {
    const take = Math.min(chunk.length, HEAD_CHECK_BYTES - this.pos);
    this.headLen = this.pos + take;
    // Re-hash from the file's first bytes we hold: cheap (≤ 4 KiB), done only while pos < 4 KiB.
    const prev = this.headBytes ? this.headBytes : Buffer.alloc(0);
    this.headBytes = Buffer.concat([prev, chunk.subarray(0, take)]);
    this.headHash = sha1(this.headBytes);
    if (this.headLen >= HEAD_CHECK_BYTES) this.headBytes = undefined;
  }
  private headBytes: Buffer | undefined;

  /** Keeps the last SEAM_CHECK_BYTES bytes read (a rolling tail across chunks) and their hash. */
  private rememberSeam(chunk: Buffer): void {
    const joined =
      this.seamBytes.length + chunk.length <= SEAM_CHECK_BYTES
        ? Buffer.concat([this.seamBytes, chunk])
        : chunk.length >= SEAM_CHECK_BYTES
          ? chunk.subarray(chunk.length - SEAM_CHECK_BYTES)
          : Buffer.concat([this.seamBytes.subarray(this.seamBytes.length - (SEAM_CHECK_BYTES - chunk.length)), chunk]);
    this.seamBytes = Buffer.from(joined);
    this.seamHash = '';
  }
  private seamBytes: Buffer = Buffer.alloc(0);

  private async readWhole(reader: WholeReader, st: Identity): Promise<void> {
    if (st.size > MAX_WHOLE_BYTES) {
      this.whole = {
        runs: [],
        diagnostics: [
          { path: this.path, severity: 'error', message: `file too large for ${reader.format} (${st.size} bytes)` },
        ],
      };
      return;
    }
    const raw = st.isDir ? new Uint8Array(0) : await fsp.readFile(this.path);
    const content = toUtf8(raw, sniffEncoding([raw]).encoding);
    try {
      this.whole = await reader.parse(this.path, content, this.readerOptions());
    } catch (e) {
      this.whole = {
        runs: [],
        diagnostics: [{ path: this.path, severity: 'error', message: `reader failed: ${(e as Error)?.message}` }],
      };
    }
    this.pos = st.size;
  }

  private async pollDirectory(st: Identity, out: PollResult): Promise<PollResult> {
    if (!this.reader) {
      const sniff: Sniff = { path: this.path, head: new Uint8Array(0), text: '' };
      const r = pickReader(
        this.opts.readers.filter((x) => x.kind === 'whole'),
        sniff,
      );
      if (!r) {
        this.notLogAt = 0;
        return out;
      }
      this.reader = r;
    }
    if (this.reader.kind !== 'whole') return out;
    // Directory stores change in nested files the directory's own mtime does not reflect: always re-read.
    const before = this.whole
      ? JSON.stringify(this.whole.runs.map((r) => Object.values(r.metrics).map((s) => s.step.length)))
      : '';
    await this.readWhole(this.reader, st);
    const after = JSON.stringify(this.whole!.runs.map((r) => Object.values(r.metrics).map((s) => s.step.length)));
    out.grew = before !== after;
    this.id = st;
    return out;
  }

  private async loadSidecars(): Promise<Partial<RunMeta>> {
    try {
      const meta = await metaFromSidecars(nodePath.dirname(this.path));
      mergeMeta(meta, metaFromRunName(this.path));
      return meta;
    } catch {
      return {};
    }
  }

  private withSideMeta(run: Run): Run {
    if (!this.sideMeta) return run;
    const meta: RunMeta = { ...run.meta, hparams: run.meta.hparams ? { ...run.meta.hparams } : undefined };
    if (!meta.hparams) delete meta.hparams;
    mergeMeta(meta, this.sideMeta);
    return { ...run, meta };
  }

  private readerOptions(): ReaderOptions {
    return { maxSeriesPoints: this.opts.maxSeriesPoints };
  }

  private addDiag(message: string, severity: Diagnostic['severity'], offset?: number): void {
    if (this.fileDiagnostics.length < 50)
      this.fileDiagnostics.push(
        offset === undefined ? { path: this.path, severity, message } : { path: this.path, severity, message, offset },
      );
  }
}

// ── helpers ──

/** A reader that claimed a file and gave no point says so (nothing is dropped in silence). */
export function noPointsNote(path: string, format: FormatId | undefined, r: ParseResult): Diagnostic[] {
  if (!format || r.points) return [];
  for (const run of r.runs) for (const k in run.metrics) if (run.metrics[k].step.length) return [];
  if (r.diagnostics.some((d) => d.severity !== 'info')) return [];
  return [{ path, severity: 'warning', message: `read as ${format}, but no data point was found in it` }];
}

/** One info diagnostic per thinned series: how many raw points, how many kept, how (nothing silently dropped). */
export function thinningNotes(runs: readonly Run[]): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const run of runs) {
    for (const s of Object.values(run.metrics)) {
      const t = s.thinned;
      if (!t) continue;
      const exact = s.step.length - t.bins;
      const binnedRaw = t.rawPoints - exact;
      const upTo = t.bins ? s.step[t.bins - 1] : NaN;
      out.push({
        path: run.path,
        severity: 'info',
        message:
          `${s.name}: ${t.rawPoints} points read, ${s.step.length} kept — the oldest ${binnedRaw} averaged into ${t.bins} bins ` +
          `(up to ${t.binWidth} points each, bin centres up to step ${+upTo.toPrecision(8)}, each keeping its min and max), ` +
          `the latest ${exact} exact (cap: ${t.maxPoints} points per series)`,
      });
    }
  }
  return out;
}

async function statOf(path: string): Promise<Identity | undefined> {
  try {
    const st = await fsp.stat(path, { bigint: false });
    return { dev: st.dev, ino: st.ino, size: st.size, mtimeMs: st.mtimeMs, isDir: st.isDirectory() };
  } catch {
    return undefined;
  }
}

async function readRange(path: string, from: number, length: number): Promise<Buffer | undefined> {
  if (length <= 0) return Buffer.alloc(0);
  let fh: fsp.FileHandle | undefined;
  try {
    fh = await fsp.open(path, 'r');
    const buf = Buffer.allocUnsafe(length);
    const { bytesRead } = await fh.read(buf, 0, length, from);
    return buf.subarray(0, bytesRead);
  } catch {
    return undefined;
  } finally {
    await fh?.close().catch(() => undefined);
  }
}

/** The sample windows across a file of `size` bytes past its first `headLen` (sampleRanges), each cut to whole lines. */
async function readWindows(path: string, size: number, headLen: number): Promise<Uint8Array[]> {
  const windows: Uint8Array[] = [];
  for (const [from, len] of sampleRanges(size, headLen)) {
    const w = await readRange(path, from, len);
    if (w) windows.push(wholeLines(w, from + len >= size));
  }
  return windows;
}

/** The info diagnostic saying how a file was decoded, on the line of its first byte that is not UTF-8 when known. */
function encodingDiag(path: string, message: string, v: EncodingVerdict): Diagnostic {
  return v.line ? { path, severity: 'info', message, line: v.line } : { path, severity: 'info', message };
}

/** The encoding sample of in-memory bytes: the head, and windows across the rest (as `sampleBytes` takes them). */
function samplePieces(bytes: Uint8Array): Uint8Array[] {
  const head = bytes.subarray(0, Math.min(bytes.length, SNIFF_BYTES));
  return [
    head,
    ...sampleRanges(bytes.length, head.length).map(([from, len]) =>
      wholeLines(bytes.subarray(from, from + len), from + len >= bytes.length),
    ),
  ];
}

/**
 * The encoding of in-memory bytes, as the incremental reader decides it on the same bytes read at once: on the
 * head, then — when the bytes are not all UTF-8 — on the head and windows across the rest.
 */
export function encodingOfBytes(bytes: Uint8Array): EncodingVerdict {
  const v = sniffEncoding([bytes.subarray(0, SNIFF_BYTES)]);
  return v.encoding !== 'utf-8' || v.why || isUtf8(bytes) ? v : sniffEncoding(samplePieces(bytes));
}

/** The diagnostic of a file claimed by the general reader after reading it whole (its sample held no metric line). */
function wholeScanNote(size: number, behind?: Reader | null, line?: number): string {
  const mb = (Math.min(size, WHOLE_SCAN_BYTES) / (1 << 20)).toFixed(1);
  const found = `no reader recognised the sampled content, but the general reader, reading the first ${mb} MiB whole, found metric lines between the sampled windows`;
  if (behind)
    return `${found}; from line ${line}, where they begin, the content is ${behind.format}'s: read as ${behind.format}`;
  return `${found}: read by the general reader`;
}

/**
 * The offset in `bytes` of the start of line `line` (1-based, counted in `\n`), `bytes` starting at the start of line
 * `firstLine`; -1 when the bytes end before it. Linear in the bytes walked.
 */
function offsetOfLine(bytes: Uint8Array, from: number, firstLine: number, line: number): number {
  let at = from;
  for (let n = firstLine; n < line; n++) {
    const nl = bytes.indexOf(10, at);
    if (nl < 0) return -1;
    at = nl + 1;
  }
  return at;
}

/**
 * A specific text reader that claims a sniff taken where a file's first loss-like records begin, after a preamble
 * (megabytes of warnings, a traceback, a tool's output) that the head and the sampled windows saw instead: the reader
 * the same log would get printed without the preamble (a nanochat, fairseq or HF Trainer console), rather than the
 * general reader. Whole-file readers are not tried (their format has no preamble). Null when none claims it.
 */
function textReaderAt(specific: readonly Reader[], path: string, window: Uint8Array): Reader | null {
  if (!window.length) return null;
  const r = pickReader(specific, makeSniff(path, window));
  return r && r.kind === 'text' ? r : null;
}

/** A detector's view of some bytes (decoded leniently as UTF-8). */
export function makeSniff(path: string, head: Uint8Array): Sniff {
  return { path, head, text: Buffer.from(head.buffer, head.byteOffset, head.byteLength).toString('utf8') };
}

// ── one-shot helpers ──

/** Reads a whole file once (partial last line included). Never throws. */
export async function parseFile(path: string, options: LogFileOptions = {}): Promise<ParseResult> {
  const lf = new LogFile(path, options);
  for (let guard = 0; guard < 1e7; guard++) {
    const r = await lf.poll();
    if (r.gone) return { runs: [], diagnostics: [{ path, severity: 'error', message: 'file not found' }] };
    if (!r.more) break;
  }
  lf.finish();
  return lf.result();
}

const MAX_DIR_FILES = 2000;
const MAX_DIR_DEPTH = 6;

/**
 * A file, or a run directory: a directory is first offered to whole-directory readers (MLflow stores, …);
 * otherwise every file under it (depth ≤ 6, at most 2000 files) that some reader claims is parsed.
 */
export async function parsePath(path: string, options: LogFileOptions = {}): Promise<ParseResult> {
  let st: fs.Stats;
  try {
    st = await fsp.stat(path);
  } catch {
    return { runs: [], diagnostics: [{ path, severity: 'error', message: 'path not found' }] };
  }
  if (!st.isDirectory()) return parseFile(path, options);
  const readers = options.readers ?? READERS;
  const dirReader = pickReader(
    readers.filter((r) => r.kind === 'whole'),
    { path, head: new Uint8Array(0), text: '' },
  );
  if (dirReader) return parseFile(path, { ...options, reader: dirReader });
  const out: ParseResult = { runs: [], diagnostics: [] };
  const files: string[] = [];
  await listFiles(path, 0, files, out, readers);
  for (const f of files) {
    const r = await parsePath(f, options);
    out.runs.push(...r.runs);
    out.diagnostics.push(...r.diagnostics);
    if (r.points && !out.points) out.points = r.points;
  }
  return out;
}

async function listFiles(
  dir: string,
  depth: number,
  files: string[],
  out: ParseResult,
  readers: readonly Reader[],
): Promise<void> {
  if (depth > MAX_DIR_DEPTH || files.length >= MAX_DIR_FILES) return;
  let entries: fs.Dirent[];
  try {
    entries = await fsp.readdir(dir, { withFileTypes: true });
  } catch {
    return;
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const e of entries) {
    if (files.length >= MAX_DIR_FILES) {
      out.diagnostics.push({
        path: dir,
        severity: 'warning',
        message: `more than ${MAX_DIR_FILES} files; the rest were not read`,
      });
      return;
    }
    const p = nodePath.join(dir, e.name);
    if (e.isFile()) files.push(p);
    else if (e.isDirectory() && !e.name.startsWith('.') && e.name !== 'node_modules') {
      const claimed = pickReader(
        readers.filter((r) => r.kind === 'whole'),
        { path: p, head: new Uint8Array(0), text: '' },
      );
      if (claimed) files.push(p);
      else await listFiles(p, depth + 1, files, out, readers);
    }
  }
}

/** Parses in-memory bytes as if they were the whole file `path` (for tests and fuzzing). Never throws. */
export function parseBytes(
  path: string,
  bytes: Uint8Array,
  options: {
    reader?: Reader;
    readers?: readonly Reader[];
    maxLineBytes?: number;
    chunkBytes?: number;
    maxSeriesPoints?: number;
  } = {},
): ParseResult | Promise<ParseResult> {
  try {
    const ro: ReaderOptions = { maxSeriesPoints: options.maxSeriesPoints };
    const enc = encodingOfBytes(bytes);
    bytes = toUtf8(bytes, enc.encoding);
    const note = encodingNote(enc);
    const encNote: Diagnostic[] = note ? [encodingDiag(path, note, enc)] : [];
    const noted = (r: ParseResult): ParseResult => {
      const notes = [...thinningNotes(r.runs), ...noPointsNote(path, reader?.format, r)];
      return notes.length || encNote.length ? { ...r, diagnostics: [...encNote, ...r.diagnostics, ...notes] } : r;
    };
    const readers = options.readers ?? READERS;
    let reader = options.reader ?? null;
    if (!reader) {
      const specific = readers.filter((r) => !FALLBACK_READERS.includes(r));
      reader = pickReader(specific, makeSniff(path, bytes.subarray(0, SNIFF_BYTES)));
      reader ??= pickReader(specific, makeSniff(path, bytes.subarray(0, WIDE_SNIFF_BYTES)));
      const sampled =
        bytes.length > WIDE_SNIFF_BYTES
          ? makeSniff(path, sampleBytes(bytes, SNIFF_BYTES))
          : makeSniff(path, bytes.subarray(0, WIDE_SNIFF_BYTES));
      if (bytes.length > WIDE_SNIFF_BYTES) reader ??= pickReader(specific, sampled);
      reader ??= pickReader(
        readers.filter((r) => FALLBACK_READERS.includes(r)),
        sampled,
      );
      // metric lines the sampled windows fell between (LogFile.wholeScan, on the same bytes)
      if (!reader && readers.includes(inferredReader) && bytes.length > WIDE_SNIFF_BYTES) {
        const scan = new WholeFileScan(path);
        scan.push(bytes.subarray(0, WHOLE_SCAN_BYTES));
        if (scan.confidence() >= MIN_CONFIDENCE) {
          const line = scan.firstLossLine();
          const at = line === undefined ? -1 : offsetOfLine(bytes, 0, 1, line);
          const behind = at < 0 ? null : textReaderAt(specific, path, bytes.subarray(at, at + SNIFF_BYTES));
          reader = behind ?? inferredReader;
          encNote.push({ path, severity: 'info', message: wholeScanNote(bytes.length, behind, line) });
        }
      }
    }
    if (!reader)
      return { runs: [], diagnostics: [{ path, severity: 'info', message: 'no reader recognises this content' }] };
    if (reader.kind === 'whole') {
      const w = reader.parse(path, bytes, ro);
      return w instanceof Promise ? w.then(noted) : noted(w);
    }
    const chunk = options.chunkBytes ?? DEFAULT_CHUNK_BYTES;
    if (reader.kind === 'text') {
      const readText = (rd: TextReader): ParseResult => {
        const parser = rd.create(path, ro);
        const feeder = new LineFeeder(path, parser, options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES);
        for (let i = 0; i < bytes.length; i += chunk) feeder.push(bytes.subarray(i, Math.min(bytes.length, i + chunk)));
        feeder.flush();
        const r = parser.result();
        return { ...r, diagnostics: [...feeder.diagnostics, ...r.diagnostics] };
      };
      const first = readText(reader);
      // a specific reader that found no data point gives way to the general reader when that one claims the content
      if (
        !options.reader &&
        !FALLBACK_READERS.includes(reader) &&
        bytes.length &&
        !first.points &&
        !first.runs.some((x) => Object.values(x.metrics).some((m) => m.step.length))
      ) {
        const fb = pickReader(
          readers.filter((r) => FALLBACK_READERS.includes(r)),
          makeSniff(path, sampleBytes(bytes, SNIFF_BYTES)),
        );
        if (fb && fb.kind === 'text') {
          const was = reader.format;
          reader = fb;
          const second = readText(fb);
          return noted({
            ...second,
            diagnostics: [
              {
                path,
                severity: 'info',
                message: `read as ${was}, which found no data point in it; read by the general reader instead`,
              },
              ...second.diagnostics,
            ],
          });
        }
      }
      return noted(first);
    }
    const parser = reader.create(path, ro);
    let pending: Uint8Array = new Uint8Array(0);
    let base = 0;
    for (let i = 0; i < bytes.length; i += chunk) {
      const next = bytes.subarray(i, Math.min(bytes.length, i + chunk));
      const data = pending.length ? Buffer.concat([pending, next]) : next;
      const used = Math.max(0, Math.min(data.length, Math.floor(parser.feed(data, base)) || 0));
      base += used;
      pending = data.subarray(used);
    }
    return noted(parser.result());
  } catch (e) {
    return { runs: [], diagnostics: [{ path, severity: 'error', message: `reader failed: ${(e as Error)?.message}` }] };
  }
}

/** Parses in-memory text (UTF-8 encoded first). */
export function parseText(
  path: string,
  text: string,
  options: Parameters<typeof parseBytes>[2] = {},
): ParseResult | Promise<ParseResult> {
  return parseBytes(path, Buffer.from(text, 'utf8'), options);
}

/**
 * Benchmark helper: reads a whole file through the incremental path and reports bytes, points and time.
 * (Sidecar metadata is skipped so only ingest is measured.)
 */
export async function readAll(
  path: string,
  options: LogFileOptions = {},
): Promise<{ result: ParseResult; bytes: number; points: number; ms: number; format?: FormatId }> {
  const t0 = performance.now();
  const lf = new LogFile(path, { sidecars: false, ...options });
  for (;;) {
    const r = await lf.poll();
    if (r.gone || !r.more) break;
  }
  lf.finish();
  const result = lf.result();
  const ms = performance.now() - t0;
  let points = 0;
  for (const run of result.runs) for (const s of Object.values(run.metrics)) points += s.step.length;
  return { result, bytes: lf.offset, points, ms, format: lf.format };
}
