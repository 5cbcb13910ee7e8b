/**
 * Text logs that are not UTF-8. Pure (no `vscode`).
 *
 * Windows PowerShell 5 redirection (`python train.py > train.log`) and some Windows tools write UTF-16 with a
 * byte-order mark. Such a file is recognised by its BOM (FF FE little-endian, FE FF big-endian) and transcoded
 * to UTF-8 as it is read, in any chunking: an odd trailing byte and a surrogate pair split across reads wait for
 * the next chunk. Everything downstream (detection, line splitting, readers) sees UTF-8.
 * (A UTF-8 BOM needs no transcoding: the line feeder drops it before the first line.)
 *
 * Logs without a BOM that are not UTF-8 (Chinese Windows consoles write GBK/GB18030, Western ones Windows-1252)
 * are recognised from a sample of their bytes (`sniffEncoding`) and transcoded the same way (`LegacyTranscoder`).
 */

import { isUtf8 } from 'node:buffer';

export type Utf16 = 'utf-16le' | 'utf-16be';

/** The UTF-16 flavour announced by a byte-order mark at the start of `head`, if any. */
export function utf16Bom(head: Uint8Array): Utf16 | undefined {
  if (head.length < 2) return undefined;
  if (head[0] === 0xff && head[1] === 0xfe) return 'utf-16le';
  if (head[0] === 0xfe && head[1] === 0xff) return 'utf-16be';
  return undefined;
}

/** Streaming UTF-16 → UTF-8 (the BOM is dropped; unpaired surrogates become U+FFFD). Never throws. */
export class Utf16Transcoder implements Transcoder {
  private readonly dec = new TextDecoder('utf-16le', { fatal: false, ignoreBOM: false });
  private odd: number | null = null;

  constructor(readonly encoding: Utf16) {}

  /** UTF-8 bytes for the next raw bytes of the file (from its start, in order). */
  push(chunk: Uint8Array): Buffer {
    let bytes = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    if (this.odd !== null) {
      bytes = Buffer.concat([Buffer.from([this.odd]), bytes]);
      this.odd = null;
    }
    if (bytes.length % 2) {
      this.odd = bytes[bytes.length - 1];
      bytes = bytes.subarray(0, bytes.length - 1);
    }
    if (this.encoding === 'utf-16be') bytes = Buffer.from(bytes).swap16(); // copy: never touch the caller's buffer
    return Buffer.from(this.dec.decode(bytes, { stream: true }), 'utf8');
  }

  /** At a known end of input: whatever is still held (a lone byte or half a surrogate pair → U+FFFD). */
  end(): Buffer {
    const tail = this.dec.decode() + (this.odd !== null ? '\uFFFD' : '');
    this.odd = null;
    return Buffer.from(tail, 'utf8');
  }
}

/** Whole-content transcoding (sniffing, whole-file readers, in-memory parsing). */
export function utf16ToUtf8(bytes: Uint8Array, encoding: Utf16): Buffer {
  const t = new Utf16Transcoder(encoding);
  return Buffer.concat([t.push(bytes), t.end()]);
}

// ── legacy encodings (no byte-order mark, not UTF-8) ──

/** How a text log is decoded: UTF-8 (no transcoding), UTF-16 by its BOM, or a legacy encoding found by its bytes. */
export type TextEncoding = 'utf-8' | Utf16 | 'gb18030' | 'windows-1252';

export interface EncodingVerdict {
  encoding: TextEncoding;
  /** Why, in words, for a diagnostic ('' for plain UTF-8). */
  why: string;
  /** 1-based line of the first byte that is not UTF-8, when it lies in the first piece (which starts the file). */
  line?: number;
}

/** The encoding a byte-order mark at the start of `head` announces, if any. */
export function bomEncoding(head: Uint8Array): 'utf-8' | Utf16 | undefined {
  if (head.length >= 3 && head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return 'utf-8';
  return utf16Bom(head);
}

/**
 * Valid multi-byte UTF-8 sequences and invalid ones (each maximal invalid subpart counted once) in `b`; an
 * incomplete sequence at the very end (a piece cut mid-character) is neither. `first` is the offset of the
 * first invalid byte (−1: none).
 */
export function utf8Census(b: Uint8Array): { multi: number; invalid: number; first: number } {
  let multi = 0;
  let invalid = 0;
  let first = -1;
  const n = b.length;
  let i = 0;
  while (i < n) {
    const c = b[i];
    if (c < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let lo = 0x80;
    let hi = 0xbf;
    if (c >= 0xc2 && c <= 0xdf) need = 1;
    else if (c >= 0xe0 && c <= 0xef) {
      need = 2;
      if (c === 0xe0) lo = 0xa0;
      else if (c === 0xed) hi = 0x9f;
    } else if (c >= 0xf0 && c <= 0xf4) {
      need = 3;
      if (c === 0xf0) lo = 0x90;
      else if (c === 0xf4) hi = 0x8f;
    } else {
      if (first < 0) first = i;
      invalid++;
      i++;
      continue;
    }
    let k = 1;
    for (; k <= need && i + k < n; k++) {
      const d = b[i + k];
      if (k === 1 ? d < lo || d > hi : d < 0x80 || d > 0xbf) break;
    }
    if (k > need) {
      multi++;
      i += k;
    } else if (i + k >= n)
      break; // cut at the end of the piece: not evidence either way
    else {
      if (first < 0) first = i;
      invalid++;
      i += k;
    }
  }
  return { multi, invalid, first };
}

/**
 * Text, not a binary file (a TensorBoard event file, a protobuf or W&B record store): control bytes other than
 * tab, line ends, form feed, backspace and ESC are under 0.5 % of the bytes, NUL bytes (padding) under 10 %.
 * Only text is given a legacy encoding; binary bytes reach the binary readers as they are.
 */
function looksLikeText(b: Uint8Array): boolean {
  let ctl = 0;
  let nul = 0;
  for (let i = 0; i < b.length; i++) {
    const c = b[i];
    if (c >= 0x20) continue;
    if (c === 0) nul++;
    else if (c !== 9 && c !== 10 && c !== 13 && c !== 12 && c !== 11 && c !== 8 && c !== 0x1b) ctl++;
  }
  return ctl <= 0.005 * b.length && nul <= 0.1 * b.length;
}

/** Bytes ≥ 0x80 and how many of them lie in runs of an even length (a GBK/GB18030 character is two such bytes). */
function highByteRuns(b: Uint8Array): { high: number; even: number } {
  let high = 0;
  let even = 0;
  let run = 0;
  for (let i = 0; i <= b.length; i++) {
    if (i < b.length && b[i] >= 0x80) {
      run++;
      continue;
    }
    if (run) {
      high += run;
      if (!(run & 1)) even += run;
      run = 0;
    }
  }
  return { high, even };
}

/** Characters that GB18030 cannot decode in `b` (a sequence cut at its end is not counted). */
function gb18030Errors(b: Uint8Array): number {
  const s = new TextDecoder('gb18030').decode(b, { stream: true });
  let bad = 0;
  for (let i = s.indexOf('\uFFFD'); i >= 0; i = s.indexOf('\uFFFD', i + 1)) bad++;
  return bad;
}

/**
 * How to decode a text log, from a sample of its bytes: `pieces` are the file's head (first) and optionally
 * windows from further on, each starting at a line start. A rule about bytes, not about a file:
 *  - a byte-order mark decides (UTF-8, UTF-16 LE/BE);
 *  - valid UTF-8, or more valid multi-byte UTF-8 sequences than invalid ones (a UTF-8 log with a few stray
 *    bytes stays UTF-8; its bad bytes become U+FFFD, as before), is UTF-8;
 *  - otherwise a legacy encoding: GB18030 (a superset of GBK and GB2312, what Chinese Windows consoles write)
 *    when it decodes the sample (at most 1 % of its byte pairs failing) and at least 80 % of the bytes ≥ 0x80
 *    come in runs of even length (Chinese text: every character two such bytes); else Windows-1252 (Latin-1's
 *    superset, what Western Windows consoles write: `µ`, `°`, `é` are single bytes between ASCII), which
 *    decodes any byte. Only text gets a legacy encoding: bytes with many control bytes (a binary file) stay as
 *    they are. Other legacy encodings (Shift-JIS, Big5, EUC-KR, Cyrillic code pages) are not told
 *    apart: they read as one of these two, their ASCII (keys, numbers) intact.
 * Pure: no I/O. Costs one native UTF-8 check per piece when the sample is UTF-8.
 */
export function sniffEncoding(pieces: readonly Uint8Array[]): EncodingVerdict {
  const bom = pieces.length ? bomEncoding(pieces[0]) : undefined;
  if (bom) return { encoding: bom, why: bom === 'utf-8' ? '' : 'byte-order mark' };
  if (pieces.every((p) => isUtf8(p))) return { encoding: 'utf-8', why: '' };
  let multi = 0;
  let invalid = 0;
  let line: number | undefined;
  for (let k = 0; k < pieces.length; k++) {
    const c = utf8Census(pieces[k]);
    multi += c.multi;
    invalid += c.invalid;
    if (k === 0 && c.first >= 0) line = lineAt(pieces[0], c.first);
  }
  if (invalid <= multi || !pieces.every(looksLikeText)) return { encoding: 'utf-8', why: '' };
  let high = 0;
  let even = 0;
  let bad = 0;
  for (const p of pieces) {
    const r = highByteRuns(p);
    high += r.high;
    even += r.even;
    bad += gb18030Errors(p);
  }
  const notUtf8 = `not UTF-8 (${invalid} invalid byte sequence${invalid === 1 ? '' : 's'} in the sample${line ? `, the first on line ${line}` : ''})`;
  if (even >= 0.8 * high && bad <= (high / 2) * 0.01)
    return {
      encoding: 'gb18030',
      why: `${notUtf8}: decoded as GB18030 (its bytes ≥ 0x80 come in pairs, as GBK/GB18030 Chinese text does)`,
      line,
    };
  return { encoding: 'windows-1252', why: `${notUtf8}: decoded as Windows-1252 (Latin-1)`, line };
}

function lineAt(b: Uint8Array, i: number): number {
  let n = 1;
  for (let k = b.indexOf(10); k >= 0 && k < i; k = b.indexOf(10, k + 1)) n++;
  return n;
}

/** Streaming text → UTF-8 (U+FFFD for what cannot be decoded). Never throws. */
export interface Transcoder {
  readonly encoding: TextEncoding;
  /** UTF-8 bytes for the next raw bytes of the file (from its start, in order). */
  push(chunk: Uint8Array): Buffer;
  /** At a known end of input: whatever is still held. */
  end(): Buffer;
}

/**
 * A legacy single- or double-byte encoding to UTF-8, in any chunking: a GB18030 character split across two reads
 * (a lead byte at the end of one chunk) waits for the next chunk (the decoder's streaming mode).
 */
export class LegacyTranscoder implements Transcoder {
  private readonly dec: InstanceType<typeof TextDecoder>;

  constructor(readonly encoding: 'gb18030' | 'windows-1252') {
    this.dec = new TextDecoder(encoding);
  }

  push(chunk: Uint8Array): Buffer {
    return Buffer.from(this.dec.decode(chunk, { stream: true }), 'utf8');
  }

  end(): Buffer {
    return Buffer.from(this.dec.decode(), 'utf8');
  }
}

/** The transcoder for an encoding (undefined for UTF-8, which is read as it is). */
export function transcoderFor(encoding: TextEncoding): Transcoder | undefined {
  if (encoding === 'utf-8') return undefined;
  if (encoding === 'utf-16le' || encoding === 'utf-16be') return new Utf16Transcoder(encoding);
  return new LegacyTranscoder(encoding);
}

/** Whole-content transcoding to UTF-8 (the bytes themselves when already UTF-8). */
export function toUtf8(bytes: Uint8Array, encoding: TextEncoding): Uint8Array {
  const t = transcoderFor(encoding);
  return t ? Buffer.concat([t.push(bytes), t.end()]) : bytes;
}

/** The info diagnostic that says how a file was decoded ('' for plain UTF-8). */
export function encodingNote(v: EncodingVerdict): string {
  if (v.encoding === 'utf-16le' || v.encoding === 'utf-16be')
    return `${v.encoding.toUpperCase()} text (byte-order mark): converted to UTF-8 as it is read`;
  if (v.encoding === 'utf-8') return '';
  return `${v.why}; converted to UTF-8 as it is read`;
}
