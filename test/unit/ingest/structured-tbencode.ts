/**
 * An independent TensorBoard event-file ENCODER for tests, written from the specs (not from the decoder):
 * TFRecord framing (tensorflow/core/lib/io/record_writer.cc) with a bit-by-bit CRC-32C, and Event / Summary /
 * TensorProto protobuf encoding (event.proto, summary.proto, tensor.proto).
 */

/** Bit-at-a-time CRC-32C (Castagnoli 0x82F63B78), deliberately not table-driven. */
export function crc32cSlow(b: Uint8Array): number {
  let c = 0xffffffff;
  for (const x of b) {
    c ^= x;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0x82f63b78 : c >>> 1;
  }
  return (c ^ 0xffffffff) >>> 0;
}

export function mask(c: number): number {
  return ((((c >>> 15) | (c << 17)) >>> 0) + 0xa282ead8) >>> 0;
}

export function varint(n: number | bigint): number[] {
  let v = BigInt.asUintN(64, BigInt(n));
  const out: number[] = [];
  do {
    let b = Number(v & 0x7fn);
    v >>= 7n;
    if (v > 0n) b |= 0x80;
    out.push(b);
  } while (v > 0n);
  return out;
}

const key = (field: number, wire: number) => varint(field * 8 + wire);
export const fVarint = (field: number, n: number | bigint) => [...key(field, 0), ...varint(n)];
export const fBytes = (field: number, b: number[] | Uint8Array) => [...key(field, 2), ...varint(b.length), ...b];
export const fString = (field: number, s: string) => fBytes(field, [...new TextEncoder().encode(s)]);
export function fDouble(field: number, x: number): number[] {
  const b = new Uint8Array(8);
  new DataView(b.buffer).setFloat64(0, x, true);
  return [...key(field, 1), ...b];
}
export function fFloat(field: number, x: number): number[] {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setFloat32(0, x, true);
  return [...key(field, 5), ...b];
}
export function f32bytes(x: number): number[] {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setFloat32(0, x, true);
  return [...b];
}
export function f64bytes(x: number): number[] {
  const b = new Uint8Array(8);
  new DataView(b.buffer).setFloat64(0, x, true);
  return [...b];
}

/** One TFRecord: uint64 length, masked CRC of the length, data, masked CRC of the data. */
export function tfrecord(data: number[] | Uint8Array): number[] {
  const d = Uint8Array.from(data);
  const len = new Uint8Array(8);
  new DataView(len.buffer).setBigUint64(0, BigInt(d.length), true);
  const u32 = (x: number) => {
    const b = new Uint8Array(4);
    new DataView(b.buffer).setUint32(0, x, true);
    return [...b];
  };
  return [...len, ...u32(mask(crc32cSlow(len))), ...d, ...u32(mask(crc32cSlow(d)))];
}

export type ValueSpec = number[]; // an encoded Summary.Value
export const simpleValue = (tag: string, x: number): ValueSpec => [...fString(1, tag), ...fFloat(2, x)];
/** A tensor value; `tensor` is an encoded TensorProto; plugin "scalars" metadata as TF2 writes it. */
export const tensorValue = (tag: string, tensor: number[], plugin = 'scalars'): ValueSpec => [
  ...fString(1, tag),
  ...fBytes(9, fBytes(1, fString(1, plugin))),
  ...fBytes(8, tensor),
];
export const tensorProto = (dtype: number, body: number[], dims: number[] = []): number[] => [
  ...fVarint(1, dtype),
  ...fBytes(
    2,
    dims.flatMap((d) => fBytes(2, fVarint(1, d))),
  ),
  ...body,
];

export function event(step: number, wall: number, values: ValueSpec[]): number[] {
  return [
    ...fDouble(1, wall),
    ...fVarint(2, step),
    ...fBytes(
      5,
      values.flatMap((v) => fBytes(1, v)),
    ),
  ];
}
export const fileVersionEvent = (wall: number) => [...fDouble(1, wall), ...fString(3, 'brain.Event:2')];

export function eventsFile(events: number[][]): Uint8Array {
  return Uint8Array.from(events.flatMap((e) => tfrecord(e)));
}
