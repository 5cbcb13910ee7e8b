/**
 * A minimal, allocation-free protobuf wire-format cursor. Pure.
 *
 * Decoders walk a message with `next()` (field number + wire type), read the value with the typed method for
 * that wire type, or `skip()` it. Errors never throw: the cursor sets `ok = false` and `next()` then returns
 * false, so a corrupt message simply ends early and the caller reports it.
 *
 * Wire types: 0 varint, 1 fixed64, 2 length-delimited, 5 fixed32 (3/4, the deprecated groups, are errors).
 */

export const WIRE_VARINT = 0;
export const WIRE_FIXED64 = 1;
export const WIRE_LEN = 2;
export const WIRE_FIXED32 = 5;

export class PbCursor {
  buf: Uint8Array;
  dv: DataView;
  pos: number;
  end: number;
  /** False once a malformed field was met. */
  ok = true;
  /** Field number and wire type of the last `next()`. */
  field = 0;
  wire = 0;

  constructor(buf: Uint8Array, start = 0, end = buf.length, dv?: DataView) {
    this.buf = buf;
    this.dv = dv ?? new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
    this.pos = start;
    this.end = end;
  }

  /** Re-point at `[start, end)` of the same buffer (no allocation). */
  reset(start: number, end: number): this {
    this.pos = start;
    this.end = end;
    this.ok = true;
    return this;
  }

  /** Advance to the next field; false at the end of the message or after an error. */
  next(): boolean {
    if (!this.ok || this.pos >= this.end) return false;
    const key = this.varint();
    if (!this.ok) return false;
    this.field = Math.floor(key / 8);
    this.wire = key % 8;
    if (this.field === 0 || (this.wire !== 0 && this.wire !== 1 && this.wire !== 2 && this.wire !== 5)) {
      this.ok = false;
      return false;
    }
    return true;
  }

  /** True when the current field is `field` with wire type `wire`. */
  is(field: number, wire: number): boolean {
    return this.field === field && this.wire === wire;
  }

  /** An unsigned varint as a number (exact below 2^53). */
  varint(): number {
    const b = this.buf;
    let p = this.pos;
    const end = this.end;
    let lo = 0;
    let shift = 0;
    // First 4 bytes with 32-bit arithmetic (the common case: small numbers).
    while (shift < 28) {
      if (p >= end) return this.fail();
      const x = b[p++];
      lo |= (x & 0x7f) << shift;
      if (x < 0x80) {
        this.pos = p;
        return lo >>> 0;
      }
      shift += 7;
    }
    let v = lo >>> 0;
    let mul = 2 ** 28;
    for (let i = 4; i < 10; i++) {
      if (p >= end) return this.fail();
      const x = b[p++];
      v += (x & 0x7f) * mul;
      if (x < 0x80) {
        this.pos = p;
        return v;
      }
      mul *= 128;
    }
    return this.fail();
  }

  /** A varint read as int64 (two's complement over 64 bits): negative values come back negative. */
  int64(): number {
    const v = this.varint();
    return v >= 2 ** 63 ? v - 2 ** 64 : v;
  }

  /** Little-endian float64 (wire type 1). */
  double(): number {
    if (this.pos + 8 > this.end) return this.fail();
    const v = this.dv.getFloat64(this.pos, true);
    this.pos += 8;
    return v;
  }

  /** Little-endian float32 (wire type 5). */
  float(): number {
    if (this.pos + 4 > this.end) return this.fail();
    const v = this.dv.getFloat32(this.pos, true);
    this.pos += 4;
    return v;
  }

  /** Length of a length-delimited field; the payload is `[pos, pos+len)` and the cursor is left at its start. */
  len(): number {
    const n = this.varint();
    if (!this.ok) return 0;
    if (n > this.end - this.pos) {
      this.fail();
      return 0;
    }
    return n;
  }

  /** Skip the current field's value. */
  skip(): void {
    switch (this.wire) {
      case WIRE_VARINT:
        this.varint();
        return;
      case WIRE_FIXED64:
        if (this.pos + 8 > this.end) this.fail();
        else this.pos += 8;
        return;
      case WIRE_FIXED32:
        if (this.pos + 4 > this.end) this.fail();
        else this.pos += 4;
        return;
      case WIRE_LEN: {
        const n = this.len();
        this.pos += n;
        return;
      }
      default:
        this.fail();
    }
  }

  private fail(): number {
    this.ok = false;
    this.pos = this.end;
    return NaN;
  }
}

const utf8 = new TextDecoder('utf-8');

/** UTF-8 string of `buf[start, end)` (invalid sequences become U+FFFD). */
export function utf8String(buf: Uint8Array, start: number, end: number): string {
  // Short ASCII fast path (tags, keys): no decoder call.
  if (end - start <= 64) {
    let s = '';
    for (let i = start; i < end; i++) {
      const c = buf[i];
      if (c >= 0x80) return utf8.decode(buf.subarray(start, end));
      s += String.fromCharCode(c);
    }
    return s;
  }
  return utf8.decode(buf.subarray(start, end));
}

/**
 * Interns short byte strings (tags, keys) so hot decode loops don't build a new string per record:
 * an FNV-1a hash of the bytes picks a bucket, the bytes are compared, and the cached string is returned.
 */
export class StringInterner {
  private buckets = new Map<number, { bytes: Uint8Array; str: string }[]>();
  private count = 0;

  get(buf: Uint8Array, start: number, end: number): string {
    let h = 0x811c9dc5;
    for (let i = start; i < end; i++) h = Math.imul(h ^ buf[i], 0x01000193);
    h >>>= 0;
    const list = this.buckets.get(h);
    if (list) {
      for (const e of list) if (sameBytes(e.bytes, buf, start, end)) return e.str;
    }
    const str = utf8String(buf, start, end);
    if (this.count < 100_000) {
      this.count++;
      const entry = { bytes: buf.slice(start, end), str };
      if (list) list.push(entry);
      else this.buckets.set(h, [entry]);
    }
    return str;
  }
}

function sameBytes(a: Uint8Array, b: Uint8Array, start: number, end: number): boolean {
  if (a.length !== end - start) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[start + i]) return false;
  return true;
}
