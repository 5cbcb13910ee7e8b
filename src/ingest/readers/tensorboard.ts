/**
 * TensorBoard event files (`events.out.tfevents.*`): TFRecord framing of `Event` protobufs. Pure (no `vscode`).
 * Binary reader: fed byte chunks as the file grows; an incomplete trailing record is left unconsumed.
 *
 * Framing (tensorflow/core/lib/io/record_writer.cc): uint64 LE length, uint32 LE masked CRC-32C of the 8 length
 * bytes, the data, uint32 LE masked CRC-32C of the data. Both CRCs are verified. A bad length CRC means the
 * framing is lost: one diagnostic with the byte offset, then the reader scans forward byte by byte for the next
 * header whose CRC verifies (resync). A bad data CRC (length intact) skips just that record.
 *
 * Protobuf (tensorflow/core/util/event.proto, summary.proto, tensor.proto):
 *   Event { double wall_time = 1; int64 step = 2; string file_version = 3; Summary summary = 5; … }
 *   Summary { repeated Value value = 1 }
 *   Value { string tag = 1; float simple_value = 2; TensorProto tensor = 8; SummaryMetadata metadata = 9; … }
 *   TensorProto { DataType dtype = 1; TensorShapeProto tensor_shape = 2; bytes tensor_content = 4;
 *                 repeated float float_val = 5; repeated double double_val = 6; repeated int32 int_val = 7;
 *                 repeated int64 int64_val = 10; repeated int32 half_val = 13 (fp16 and bf16 bits) }
 *   TensorShapeProto { repeated Dim dim = 2 { int64 size = 1 } }
 * A scalar is a `simple_value`, or a tensor with exactly one numeric element (float32/64, fp16, bf16, int32/64).
 * Non-scalar values (text `config`, histograms, images, multi-element tensors) are ignored.
 * Decoding allocates nothing per field: one DataView per chunk, interned tag strings.
 *
 * T5X (t5x/models.py `compute_base_metrics`) logs `loss` as the per-step SUM of the loss over the batch's target
 * tokens (`AveragePerStep(total=loss)`, ~2·10^5 for a 2048×~96-token batch), and the per-token loss as
 * `loss_per_nonpadding_target_token` (total / real target tokens) and `loss_per_all_target_tokens` (total / all
 * target tokens). When a per-token tag is present, `train/loss` is the per-token loss (the non-padding one when
 * both are, else the other) and `loss` becomes `train/loss_sum`; every tag also stays under its own name, as
 * stored. A per-token loss cannot be negative; some T5X files store these averages with a negated count (the T5X
 * Pile file here: per-token losses, `accuracy` and `timing/target_tokens_per_second` all negative), so
 * `train/loss` takes the magnitude, and an info diagnostic says which tag it came from and whether signs were
 * flipped.
 */
import * as nodePath from 'node:path';
import type { BinaryReader, ChunkParser, Sniff } from '../reader';
import { diag } from '../reader';
import type { Diagnostic, ParseResult } from '../types';
import type { ColumnSeries } from '../series';
import { RunBuilder } from '../structuredRun';
import { maskedCrc32c } from '../binary/crc32c';
import { PbCursor, StringInterner, WIRE_FIXED32, WIRE_FIXED64, WIRE_LEN, WIRE_VARINT } from '../binary/protobuf';
import { bfloat16ToNumber, halfToNumber } from '../binary/half';
import { baseName } from '../csvUtil';

/** T5X per-token loss tags, preferred first (see the module doc). */
const PER_TOKEN_LOSS = ['loss_per_nonpadding_target_token', 'loss_per_all_target_tokens'];

/** Records larger than this are taken as corrupt framing (real event records are KBs; graphs a few MB). */
const MAX_RECORD = 256 * 1024 * 1024;
const MAX_DIAGNOSTICS = 200;

// TensorFlow DataType enum values used for scalars.
const DT_FLOAT = 1,
  DT_DOUBLE = 2,
  DT_INT32 = 3,
  DT_INT64 = 9,
  DT_BFLOAT16 = 14,
  DT_HALF = 19;

export const tensorboardReader: BinaryReader = {
  format: 'tensorboard',
  kind: 'binary',
  detect: detectTensorboard,
  create: (path, o) => new TfEventsParser(path, o?.maxSeriesPoints),
};

/** The file name (`events.out.tfevents.*`) or a first record whose length CRC verifies and holds an Event. */
export function detectTensorboard(sniff: Sniff): number {
  const byName = baseName(sniff.path).includes('tfevents');
  const h = sniff.head;
  if (h.length >= 13) {
    const dv = new DataView(h.buffer, h.byteOffset, h.byteLength);
    if (maskedCrc32c(h, 0, 8) === dv.getUint32(8, true) && dv.getUint32(4, true) === 0) {
      // Event field 1 (wall_time, fixed64) is tag byte 0x09.
      return h[12] === 0x09 || byName ? 0.97 : 0.6;
    }
  }
  return byName && h.length === 0 ? 0.6 : 0;
}

/** Incremental TFRecord/Event decoder producing one Run per file. */
export class TfEventsParser implements ChunkParser {
  readonly b: RunBuilder;
  private diagnostics: Diagnostic[] = [];
  private tags = new StringInterner();
  private seriesByTag = new Map<string, ColumnSeries>();
  /** `train/loss` derived from a T5X per-token loss tag (rank in PER_TOKEN_LOSS). */
  private perToken: { rank: number; tag: string; series: ColumnSeries; flipped: number } | undefined;
  /** True while scanning for the next valid header after lost framing (one diagnostic per bad region). */
  private resyncing = false;
  records = 0;
  scalars = 0;

  constructor(
    private path: string,
    maxSeriesPoints?: number,
  ) {
    this.b = new RunBuilder(path, 'tensorboard', path, {}, maxSeriesPoints);
    const dir = nodePath.dirname(path);
    this.b.run.meta.name = `${baseName(nodePath.dirname(dir))}/${baseName(dir)}`;
  }

  feed(bytes: Uint8Array, offset: number): number {
    try {
      return this.feedInner(bytes, offset);
    } catch (e) {
      // Defensive: a decoder bug must not escape; skip this chunk.
      this.report(offset, `internal error decoding events: ${e instanceof Error ? e.message : String(e)}`, 'error');
      return bytes.length;
    }
  }

  private feedInner(bytes: Uint8Array, offset: number): number {
    const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const cur = new PbCursor(bytes, 0, 0, dv);
    const sub = new PbCursor(bytes, 0, 0, dv);
    const n = bytes.length;
    let p = 0;
    while (n - p >= 12) {
      const lenLo = dv.getUint32(p, true);
      const lenHi = dv.getUint32(p + 4, true);
      const len = lenHi * 4294967296 + lenLo;
      if (maskedCrc32c(bytes, p, p + 8) !== dv.getUint32(p + 8, true) || len > MAX_RECORD) {
        if (!this.resyncing) {
          this.resyncing = true;
          this.report(
            offset + p,
            `corrupt record header at byte ${offset + p} (length CRC mismatch): skipping to the next valid record`,
          );
        }
        p++;
        continue;
      }
      if (n - p < 16 + len) break; // incomplete record: wait for more bytes
      const dataStart = p + 12;
      const dataEnd = dataStart + len;
      if (maskedCrc32c(bytes, dataStart, dataEnd) !== dv.getUint32(dataEnd, true)) {
        this.report(offset + p, `record at byte ${offset + p} has a bad data CRC: skipped`);
      } else {
        this.resyncing = false;
        this.records++;
        this.event(cur.reset(dataStart, dataEnd), sub, offset + p);
      }
      p = dataEnd + 4;
    }
    return p;
  }

  /** Decode one Event; points go straight into the series. */
  private event(cur: PbCursor, sub: PbCursor, at: number): void {
    let wall = NaN;
    let step = 0;
    let sumStart = -1;
    let sumEnd = -1;
    while (cur.next()) {
      if (cur.field === 1 && cur.wire === WIRE_FIXED64) wall = cur.double();
      else if (cur.field === 2 && cur.wire === WIRE_VARINT) step = cur.int64();
      else if (cur.field === 5 && cur.wire === WIRE_LEN) {
        const l = cur.len();
        sumStart = cur.pos;
        sumEnd = cur.pos + l;
        cur.pos = sumEnd;
      } else cur.skip();
    }
    if (!cur.ok) {
      this.report(at, `malformed Event protobuf in record at byte ${at}`);
      return;
    }
    if (sumStart < 0) return;
    // Summary: repeated Value value = 1.
    cur.reset(sumStart, sumEnd);
    while (cur.next()) {
      if (cur.field === 1 && cur.wire === WIRE_LEN) {
        const l = cur.len();
        const vEnd = cur.pos + l;
        this.value(sub.reset(cur.pos, vEnd), step, wall, at);
        cur.pos = vEnd;
      } else cur.skip();
    }
    if (!cur.ok) this.report(at, `malformed Summary in record at byte ${at}`);
  }

  /** Decode one Summary.Value; adds a point when it holds a scalar. */
  private value(cur: PbCursor, step: number, wall: number, at: number): void {
    let tagStart = -1;
    let tagEnd = -1;
    let v = NaN;
    let has = false;
    let tStart = -1;
    let tEnd = -1;
    while (cur.next()) {
      if (cur.field === 1 && cur.wire === WIRE_LEN) {
        const l = cur.len();
        tagStart = cur.pos;
        tagEnd = cur.pos + l;
        cur.pos = tagEnd;
      } else if (cur.field === 2 && cur.wire === WIRE_FIXED32) {
        v = cur.float();
        has = true;
      } else if (cur.field === 8 && cur.wire === WIRE_LEN) {
        const l = cur.len();
        tStart = cur.pos;
        tEnd = cur.pos + l;
        cur.pos = tEnd;
      } else cur.skip();
    }
    if (!cur.ok) {
      this.report(at, `malformed Summary.Value in record at byte ${at}`);
      return;
    }
    if (!has && tStart >= 0) {
      v = scalarFromTensor(cur.reset(tStart, tEnd));
      has = !Number.isNaN(v) || tensorNaN;
    }
    if (!has || tagStart < 0) return;
    const tag = this.tags.get(cur.buf, tagStart, tagEnd);
    let s = this.seriesByTag.get(tag);
    if (!s) {
      s = this.b.series(tag);
      this.seriesByTag.set(tag, s);
    }
    s.append(step, v, wall);
    this.scalars++;
    if (tag.startsWith('loss_per_')) this.perTokenLoss(tag, s, step, v, wall);
  }

  /** Keeps `train/loss` = |per-token loss| from the preferred T5X tag seen so far (see the module doc). */
  private perTokenLoss(tag: string, own: ColumnSeries, step: number, v: number, wall: number): void {
    const rank = PER_TOKEN_LOSS.indexOf(tag);
    if (rank < 0) return;
    const cur = this.perToken;
    if (cur && cur.rank === rank) {
      if (v < 0) cur.flipped++;
      cur.series.append(step, Math.abs(v), wall);
      return;
    }
    if (cur && cur.rank < rank) return;
    // first per-token tag, or a preferred one: (re)build train/loss from its points so far
    this.b.rename('loss', 'train/loss_sum');
    const d = this.b.newSeries('train/loss', tag);
    const st = own.step,
      val = own.value,
      tm = own.time;
    let flipped = 0;
    for (let i = 0; i < st.length; i++) {
      if (val[i] < 0) flipped++;
      d.append(st[i], Math.abs(val[i]), tm ? tm[i] : undefined);
    }
    this.b.put(d);
    this.perToken = { rank, tag, series: d, flipped };
  }

  private report(offset: number, message: string, severity: Diagnostic['severity'] = 'warning'): void {
    if (this.diagnostics.length < MAX_DIAGNOSTICS)
      this.diagnostics.push(diag(this.path, message, { offset }, severity));
  }

  result(): ParseResult {
    const p = this.perToken;
    if (!p) return { runs: [this.b.run], diagnostics: this.diagnostics };
    const sum = this.b.run.metrics['train/loss_sum']
      ? "; T5X's `loss` (a per-step sum over the batch's target tokens) is train/loss_sum"
      : '';
    const signs = p.flipped
      ? `; ${p.flipped} of its ${p.series.rawPoints} values are stored negative (a negated token count, as with this file's accuracy) and train/loss holds their magnitude`
      : '';
    const note = diag(
      this.path,
      `train/loss is the per-token loss from the T5X tag ${p.tag} (kept as stored under its own name)${signs}${sum}`,
      {},
      'info',
    );
    return { runs: [this.b.run], diagnostics: [...this.diagnostics, note] };
  }
}

/** Set by `scalarFromTensor` when the NaN it returned is a real NaN element (divergence), not "no scalar". */
let tensorNaN = false;

/**
 * The single numeric element of a TensorProto, or NaN when it is not a one-element numeric tensor
 * (then `tensorNaN` is false; a genuine NaN element sets it true).
 * One pass records where things are (dtype, shape, tensor_content, the repeated value fields); then the value
 * is read according to the dtype, since a writer may put `dtype` after the values.
 */
export function scalarFromTensor(cur: PbCursor): number {
  tensorNaN = false;
  let dtype = 0;
  let shapeStart = -1;
  let shapeEnd = -1;
  let cStart = -1;
  let cEnd = -1;
  // Value fields: float_val 5, double_val 6, int_val 7, int64_val 10, half_val 13 — first occurrence + count.
  let vField = 0;
  let vWire = 0;
  let vStart = -1;
  let vEnd = -1;
  let vSeen = 0;
  while (cur.next()) {
    const f = cur.field;
    if (f === 1 && cur.wire === WIRE_VARINT) dtype = cur.varint();
    else if ((f === 2 || f === 4) && cur.wire === WIRE_LEN) {
      const l = cur.len();
      if (f === 2) {
        shapeStart = cur.pos;
        shapeEnd = cur.pos + l;
      } else {
        cStart = cur.pos;
        cEnd = cur.pos + l;
      }
      cur.pos += l;
    } else if (f === 5 || f === 6 || f === 7 || f === 10 || f === 13) {
      const at = cur.pos;
      cur.skip();
      vSeen++;
      if (vSeen === 1) {
        vField = f;
        vWire = cur.wire;
        vStart = at;
        vEnd = cur.pos;
      }
    } else cur.skip();
  }
  if (!cur.ok) return NaN;
  if (shapeStart >= 0 && shapeElements(cur, shapeStart, shapeEnd) !== 1) return NaN;
  const dv = cur.dv;
  if (cStart >= 0) {
    const len = cEnd - cStart;
    let v: number;
    switch (dtype) {
      case DT_FLOAT:
        if (len !== 4) return NaN;
        v = dv.getFloat32(cStart, true);
        break;
      case DT_DOUBLE:
        if (len !== 8) return NaN;
        v = dv.getFloat64(cStart, true);
        break;
      case DT_HALF:
        if (len !== 2) return NaN;
        v = halfToNumber(dv.getUint16(cStart, true));
        break;
      case DT_BFLOAT16:
        if (len !== 2) return NaN;
        v = bfloat16ToNumber(dv.getUint16(cStart, true));
        break;
      case DT_INT32:
        if (len !== 4) return NaN;
        v = dv.getInt32(cStart, true);
        break;
      case DT_INT64:
        if (len !== 8) return NaN;
        v = Number(dv.getBigInt64(cStart, true));
        break;
      default:
        return NaN;
    }
    tensorNaN = Number.isNaN(v);
    return v;
  }
  if (vSeen !== 1) return NaN;
  // The one value field must match the dtype; packed (LEN) fields must hold exactly one element.
  cur.reset(vStart, vEnd);
  let v = NaN;
  let count = 0;
  if (vField === 5 && dtype === DT_FLOAT) {
    if (vWire === WIRE_FIXED32) {
      v = cur.float();
      count = 1;
    } else if (vWire === WIRE_LEN) {
      const l = cur.len();
      count = l === 4 ? 1 : 0;
      if (count) v = dv.getFloat32(cur.pos, true);
    }
  } else if (vField === 6 && dtype === DT_DOUBLE) {
    if (vWire === WIRE_FIXED64) {
      v = cur.double();
      count = 1;
    } else if (vWire === WIRE_LEN) {
      const l = cur.len();
      count = l === 8 ? 1 : 0;
      if (count) v = dv.getFloat64(cur.pos, true);
    }
  } else if (
    (vField === 13 && (dtype === DT_HALF || dtype === DT_BFLOAT16)) ||
    (vField === 7 && dtype === DT_INT32) ||
    (vField === 10 && dtype === DT_INT64)
  ) {
    let x = NaN;
    if (vWire === WIRE_VARINT) {
      x = cur.varint();
      count = 1;
    } else if (vWire === WIRE_LEN) {
      const l = cur.len();
      const e = cur.pos + l;
      cur.end = e;
      while (cur.pos < e && cur.ok) {
        const y = cur.varint();
        if (count === 0) x = y;
        count++;
      }
    }
    if (count === 1 && cur.ok)
      v =
        dtype === DT_HALF
          ? halfToNumber(x)
          : dtype === DT_BFLOAT16
            ? bfloat16ToNumber(x)
            : dtype === DT_INT32
              ? x | 0
              : x >= 2 ** 63
                ? x - 2 ** 64
                : x;
  }
  if (count !== 1 || !cur.ok) return NaN;
  tensorNaN = Number.isNaN(v);
  return v;
}

/** Number of elements of a TensorShapeProto (1 for a scalar; -1 for unknown rank / negative dims). */
function shapeElements(cur: PbCursor, start: number, end: number): number {
  const saveEnd = cur.end;
  const saveOk = cur.ok;
  cur.end = end;
  let elements = 1;
  while (cur.next()) {
    if (cur.field === 2 && cur.wire === WIRE_LEN) {
      const l = cur.len();
      const dEnd = cur.pos + l;
      let size = 0;
      const inner = cur.end;
      cur.end = dEnd;
      while (cur.next()) {
        if (cur.is(1, WIRE_VARINT)) size = cur.int64();
        else cur.skip();
      }
      cur.end = inner;
      cur.pos = dEnd;
      if (!cur.ok) break;
      elements = size < 0 ? -1 : elements * size;
    } else if (cur.is(3, WIRE_VARINT)) {
      if (cur.varint()) elements = -1;
    } else cur.skip();
  }
  const ok = cur.ok;
  cur.end = saveEnd;
  cur.ok = saveOk && ok;
  return ok ? elements : -1;
}
