/** IEEE half (fp16) and bfloat16 bit patterns to numbers. Pure. */

/** fp16 bits (low 16 bits of `h`) → number; keeps ±Infinity and NaN. */
export function halfToNumber(h: number): number {
  const s = h & 0x8000 ? -1 : 1;
  const e = (h >>> 10) & 0x1f;
  const f = h & 0x3ff;
  if (e === 0) return s * f * 2 ** -24;
  if (e === 31) return f ? NaN : s * Infinity;
  return s * (1 + f / 1024) * 2 ** (e - 15);
}

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** bfloat16 bits (low 16 bits of `b`) → number: the top half of a float32. */
export function bfloat16ToNumber(b: number): number {
  u32[0] = (b & 0xffff) << 16;
  return f32[0];
}
