/**
 * CRC-32 (IEEE 802.3 / zlib, reflected polynomial 0xEDB88320). Pure.
 *
 * Used by the W&B `.wandb` store, whose LevelDB-style log framing checksums with zlib's crc32 (not LevelDB's
 * masked CRC-32C): see wandb/sdk/internal/datastore.py, `zlib.crc32(data, crc32(type byte))`.
 */
import { buildTables, crcUpdate } from './crc32c';

const T = buildTables(0xedb88320);

/** CRC-32 of `buf[start, end)`, continuing from `crc` (0 to start), like `zlib.crc32(data, crc)`. */
export function crc32(buf: Uint8Array, start = 0, end = buf.length, crc = 0): number {
  return crcUpdate(T, crc, buf, start, end);
}
