/**
 * CRC-32C (Castagnoli, reflected polynomial 0x82F63B78) and the TFRecord "masked" form. Pure.
 *
 * TensorBoard event files (TFRecord framing) store `mask(crc32c(bytes))` where
 * mask(c) = ((c >>> 15) | (c << 17)) + 0xA282EAD8 (mod 2^32), so that a CRC of data that itself contains CRCs
 * does not degenerate. Slicing-by-8 tables: ~1 GB/s in V8, no allocation per call.
 */

const T = buildTables(0x82f63b78);

/** 8 × 256 lookup tables for slicing-by-8 of a reflected CRC-32 polynomial. */
export function buildTables(poly: number): Uint32Array {
  const t = new Uint32Array(8 * 256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ poly : c >>> 1;
    t[n] = c >>> 0;
  }
  for (let n = 0; n < 256; n++) {
    let c = t[n];
    for (let k = 1; k < 8; k++) {
      c = t[c & 0xff] ^ (c >>> 8);
      t[k * 256 + n] = c >>> 0;
    }
  }
  return t;
}

/** Continue a reflected CRC-32 over `buf[start, end)` with slicing-by-8 tables `t`; `crc` is the running (un-inverted) value. */
export function crcUpdate(t: Uint32Array, crc: number, buf: Uint8Array, start: number, end: number): number {
  let c = ~crc >>> 0;
  let i = start;
  while (end - i >= 8) {
    const lo = (c ^ (buf[i] | (buf[i + 1] << 8) | (buf[i + 2] << 16) | (buf[i + 3] << 24))) >>> 0;
    c =
      t[1792 + (lo & 0xff)] ^
      t[1536 + ((lo >>> 8) & 0xff)] ^
      t[1280 + ((lo >>> 16) & 0xff)] ^
      t[1024 + (lo >>> 24)] ^
      t[768 + buf[i + 4]] ^
      t[512 + buf[i + 5]] ^
      t[256 + buf[i + 6]] ^
      t[buf[i + 7]];
    i += 8;
  }
  while (i < end) c = t[(c ^ buf[i++]) & 0xff] ^ (c >>> 8);
  return ~c >>> 0;
}

/** CRC-32C of `buf[start, end)`. */
export function crc32c(buf: Uint8Array, start = 0, end = buf.length): number {
  return crcUpdate(T, 0, buf, start, end);
}

/** TFRecord masking of a CRC. */
export function maskCrc(crc: number): number {
  return ((((crc >>> 15) | (crc << 17)) >>> 0) + 0xa282ead8) >>> 0;
}

/** Masked CRC-32C of `buf[start, end)`, as stored in TFRecord framing. */
export function maskedCrc32c(buf: Uint8Array, start = 0, end = buf.length): number {
  return maskCrc(crc32c(buf, start, end));
}
