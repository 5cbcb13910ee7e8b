/**
 * Text logs that are not UTF-8. Pure (no `vscode`).
 *
 * Windows PowerShell 5 redirection (`python train.py > train.log`) and some Windows tools write UTF-16 with a
 * byte-order mark. Such a file is recognised by its BOM (FF FE little-endian, FE FF big-endian) and transcoded
 * to UTF-8 as it is read, in any chunking: an odd trailing byte and a surrogate pair split across reads wait for
 * the next chunk. Everything downstream (detection, line splitting, readers) sees UTF-8.
 * (A UTF-8 BOM needs no transcoding: the line feeder drops it before the first line.)
 */

export type Utf16 = 'utf-16le' | 'utf-16be';

/** The UTF-16 flavour announced by a byte-order mark at the start of `head`, if any. */
export function utf16Bom(head: Uint8Array): Utf16 | undefined {
  if (head.length < 2) return undefined;
  if (head[0] === 0xff && head[1] === 0xfe) return 'utf-16le';
  if (head[0] === 0xfe && head[1] === 0xff) return 'utf-16be';
  return undefined;
}

/** Streaming UTF-16 → UTF-8 (the BOM is dropped; unpaired surrogates become U+FFFD). Never throws. */
export class Utf16Transcoder {
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
