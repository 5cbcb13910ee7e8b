/**
 * Weights & Biases offline run files (`run-<id>.wandb`). Pure (no `vscode`). Binary reader: fed byte chunks.
 *
 * Framing — what W&B implements (wandb/sdk/internal/datastore.py; wandb-core writes the same), a variant of the
 * LevelDB log format:
 *   - a 7-byte file header: `:W&B` ident, uint16 LE magic 0xBEE1, uint8 version (0);
 *   - 32 KiB blocks (aligned to the file start, the header included); a block tail shorter than a record
 *     header (< 7 bytes, W&B's Python writer also pads exactly 7) is zero padding;
 *   - record header: uint32 LE checksum, uint16 LE length, uint8 type (1 FULL, 2 FIRST, 3 MIDDLE, 4 LAST);
 *   - checksum: zlib CRC-32 (IEEE) of the type byte followed by the data, NOT masked, NOT LevelDB's CRC-32C.
 *     (LevelDB's masked CRC-32C is accepted as well, for stores written by other LevelDB-style writers.)
 * A bad checksum or impossible header → one diagnostic with the byte offset, any partly assembled record is
 * dropped, and the reader scans forward byte by byte for the next header whose checksum verifies (finer than
 * LevelDB's skip-the-block rule, so good records in the same block survive).
 *
 * Payload: `wandb_internal.proto` Record { int64 num = 1; HistoryRecord history = 2; ConfigRecord config = 5;
 *   RunRecord run = 17; … }. HistoryRecord { repeated HistoryItem item = 1; HistoryStep step = 2 { int64 num = 1 } };
 *   HistoryItem / ConfigItem { string key = 1; repeated string nested_key = 2; string value_json = 16 };
 *   RunRecord { string run_id = 1; string entity = 2; string project = 3; ConfigRecord config = 4;
 *   string run_group = 6; string job_type = 7; string display_name = 8 }; ConfigRecord { repeated ConfigItem update = 1 }.
 * History metrics come from `value_json` (numbers, or NaN/Infinity as Python writes them); the step is the
 * `_step` item (else HistoryStep.num); `_timestamp` is the time. `files/config.yaml` beside the run is read for
 * hyper-parameters when present.
 */
import * as fs from 'node:fs';
import * as nodePath from 'node:path';
import type { BinaryReader, ChunkParser, Sniff } from '../reader';
import { diag } from '../reader';
import type { Diagnostic, ParseResult } from '../types';
import { RunBuilder, toNumber } from '../structuredRun';
import { crc32 } from '../binary/crc32';
import { crc32c, maskCrc } from '../binary/crc32c';
import { PbCursor, StringInterner, WIRE_LEN, WIRE_VARINT, utf8String } from '../binary/protobuf';
import { isObject, parseJsonLenient } from '../jsonUtil';
import { parseYamlLite } from '../yamlLite';
import { baseName } from '../csvUtil';
import { pickStepKey, stepAxisOf, stepKeyRank } from '../stepAxis';

export const WANDB_BLOCK = 32768;
export const WANDB_HEADER = 7;
export const WANDB_IDENT = [0x3a, 0x57, 0x26, 0x42]; // ":W&B"
export const WANDB_MAGIC = 0xbee1;
const FULL = 1,
  FIRST = 2,
  LAST = 4; // 3 = MIDDLE: any other fragment type continues a record
const MAX_DIAGNOSTICS = 200;
/** A logical record larger than this is treated as corrupt (history rows are KBs). */
const MAX_LOGICAL = 64 * 1024 * 1024;

export const wandbReader: BinaryReader = {
  format: 'wandb',
  kind: 'binary',
  detect: detectWandb,
  create: (path, o) => new WandbParser(path, o?.maxSeriesPoints),
};

/** The `:W&B` ident at byte 0. */
export function detectWandb(sniff: Sniff): number {
  const h = sniff.head;
  if (h.length >= 4 && WANDB_IDENT.every((b, i) => h[i] === b)) return 0.98;
  return h.length === 0 && sniff.path.endsWith('.wandb') ? 0.6 : 0;
}

/** Checksum as W&B writes it: CRC-32 (zlib) of [type] + data. */
export function wandbChecksum(type: number, data: Uint8Array, start: number, end: number): number {
  return crc32(data, start, end, crc32(Uint8Array.of(type)));
}

const TYPE_CRC = [0, 1, 2, 3, 4].map((t) => crc32(Uint8Array.of(t)));

export class WandbParser implements ChunkParser {
  readonly b: RunBuilder;
  private diagnostics: Diagnostic[] = [];
  private headerChecked = false;
  private pending: Uint8Array[] | null = null;
  private pendingLen = 0;
  private rows = 0;
  private resyncing = false;
  records = 0;

  constructor(
    private path: string,
    maxSeriesPoints?: number,
  ) {
    this.b = new RunBuilder(path, 'wandb', path, {}, maxSeriesPoints);
    this.loadConfigYaml();
  }

  feed(bytes: Uint8Array, offset: number): number {
    try {
      return this.feedInner(bytes, offset);
    } catch (e) {
      this.report(
        offset,
        `internal error decoding W&B records: ${e instanceof Error ? e.message : String(e)}`,
        'error',
      );
      return bytes.length;
    }
  }

  private feedInner(bytes: Uint8Array, offset: number): number {
    const n = bytes.length;
    let p = 0;
    if (offset === 0 && !this.headerChecked) {
      if (n < WANDB_HEADER) return 0;
      this.headerChecked = true;
      const dv0 = new DataView(bytes.buffer, bytes.byteOffset, 7);
      if (!WANDB_IDENT.every((b, i) => bytes[i] === b) || dv0.getUint16(4, true) !== WANDB_MAGIC)
        this.report(0, 'missing W&B file header (:W&B magic); reading records anyway', 'warning');
      else if (bytes[6] !== 0) this.report(6, `W&B store version ${bytes[6]} (expected 0); reading anyway`, 'info');
      p = WANDB_HEADER;
    }
    const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    while (p < n) {
      const abs = offset + p;
      const left = WANDB_BLOCK - (abs % WANDB_BLOCK);
      if (left < WANDB_HEADER) {
        if (n - p < left) break;
        p += left; // block trailer padding
        continue;
      }
      if (n - p < WANDB_HEADER) break;
      const sum = dv.getUint32(p, true);
      const len = dv.getUint16(p + 4, true);
      const type = bytes[p + 6];
      if (sum === 0 && len === 0 && type === 0) {
        // Zero padding (W&B pads a 7-byte tail; preallocated space): skip to the next block.
        if (n - p < left) break;
        p += left;
        continue;
      }
      if (type < FULL || type > LAST || WANDB_HEADER + len > left) {
        this.bad(abs, `bad W&B record header (type ${type}, length ${len})`);
        p++;
        continue;
      }
      if (n - p < WANDB_HEADER + len) {
        if (this.resyncing) {
          p++; // while resyncing, an incomplete candidate is more likely noise than a record
          continue;
        }
        break; // incomplete: wait for more bytes
      }
      const dStart = p + WANDB_HEADER;
      const dEnd = dStart + len;
      const ieee = crc32(bytes, dStart, dEnd, TYPE_CRC[type]);
      if (ieee !== sum && maskCrc(crc32c(bytes, p + 6, dEnd)) !== sum) {
        this.bad(abs, 'W&B record checksum mismatch');
        p++;
        continue;
      }
      this.resyncing = false;
      p = dEnd;
      this.fragment(type, bytes.subarray(dStart, dEnd), abs);
    }
    return p;
  }

  /** Lost framing: report once, drop any partial record, and scan forward byte by byte for a header whose checksum verifies. */
  private bad(at: number, why: string): void {
    if (this.resyncing) return;
    this.resyncing = true;
    this.report(at, `${why} at byte ${at}: skipping to the next valid record`);
    this.pending = null;
    this.pendingLen = 0;
  }

  private corrupt(at: number, why: string): void {
    this.report(at, `${why} near byte ${at}: record dropped`);
    this.pending = null;
    this.pendingLen = 0;
  }

  /** Reassemble FULL / FIRST, MIDDLE…, LAST fragments into logical records. */
  private fragment(type: number, data: Uint8Array, at: number): void {
    if (type === FULL) {
      if (this.pending) this.report(at, 'unfinished W&B record dropped');
      this.pending = null;
      this.record(data, at);
      return;
    }
    if (type === FIRST) {
      if (this.pending) this.report(at, 'unfinished W&B record dropped');
      this.pending = [data.slice()];
      this.pendingLen = data.length;
      return;
    }
    if (!this.pending) {
      this.report(at, 'W&B record continuation without a start: skipped');
      return;
    }
    this.pending.push(data.slice());
    this.pendingLen += data.length;
    if (this.pendingLen > MAX_LOGICAL) {
      this.corrupt(at, 'oversized W&B record');
      return;
    }
    if (type === LAST) {
      const all = new Uint8Array(this.pendingLen);
      let o = 0;
      for (const part of this.pending) {
        all.set(part, o);
        o += part.length;
      }
      this.pending = null;
      this.pendingLen = 0;
      this.record(all, at);
    }
  }

  /** One `Record` protobuf. */
  private record(data: Uint8Array, at: number): void {
    this.records++;
    const cur = new PbCursor(data);
    while (cur.next()) {
      if (cur.field === 2 && cur.wire === WIRE_LEN) {
        const l = cur.len();
        this.history(new PbCursor(data, cur.pos, cur.pos + l, cur.dv), at);
        cur.pos += l;
      } else if (cur.field === 17 && cur.wire === WIRE_LEN) {
        const l = cur.len();
        this.runRecord(new PbCursor(data, cur.pos, cur.pos + l, cur.dv), at);
        cur.pos += l;
      } else if (cur.field === 5 && cur.wire === WIRE_LEN) {
        const l = cur.len();
        this.config(new PbCursor(data, cur.pos, cur.pos + l, cur.dv), at);
        cur.pos += l;
      } else cur.skip();
    }
    if (!cur.ok) this.report(at, `malformed W&B Record protobuf near byte ${at}`);
  }

  /** HistoryRecord → points. */
  private history(cur: PbCursor, at: number): void {
    const items: { key: string; value: unknown }[] = [];
    let stepNum: number | undefined;
    while (cur.next()) {
      if (cur.field === 1 && cur.wire === WIRE_LEN) {
        const l = cur.len();
        const it = item(new PbCursor(cur.buf, cur.pos, cur.pos + l, cur.dv));
        if (it) items.push(it);
        cur.pos += l;
      } else if (cur.field === 2 && cur.wire === WIRE_LEN) {
        const l = cur.len();
        const s = new PbCursor(cur.buf, cur.pos, cur.pos + l, cur.dv);
        while (s.next()) {
          if (s.field === 1 && s.wire === WIRE_VARINT) stepNum = s.int64();
          else s.skip();
        }
        cur.pos += l;
      } else cur.skip();
    }
    if (!cur.ok) {
      this.report(at, `malformed W&B history record near byte ${at}`);
      return;
    }
    let step = stepNum;
    let time: number | undefined;
    for (const it of items) if (it.key === '_timestamp') time = toNumber(it.value);
    // The trainer's global step (`train/global_step`, …) beats W&B's record index `_step` (stepAxis.ts).
    const stepKey = pickStepKey(
      items.map((it) => it.key),
      (k) =>
        items.some(
          (it) => it.key === k && typeof toNumber(it.value) === 'number' && Number.isFinite(toNumber(it.value)),
        ),
    );
    if (stepKey) step = toNumber(items.find((it) => it.key === stepKey)!.value) ?? step;
    const axisKey = stepKey ?? (stepNum !== undefined ? 'HistoryStep.num' : 'record order');
    if (this.b.run.meta.stepAxis?.value.split(' ')[0] !== axisKey) {
      const had = this.b.run.meta.stepAxis?.value.split(' ')[0];
      if (had === undefined || (stepKey && stepKeyRank(stepKey) < stepKeyRank(had)))
        this.b.run.meta.stepAxis = stepAxisOf(axisKey, {
          path: this.path,
          offset: at,
          how: stepKey ? `W&B history key "${stepKey}"` : 'W&B history step',
        });
    }
    step ??= this.rows;
    this.rows++;
    for (const it of items) {
      if (it.key.startsWith('_') || it.key === stepKey) continue;
      const v = it.value;
      if (isObject(v)) continue; // media, histograms, tables: not scalars
      const x = toNumber(v);
      if (x !== undefined) this.b.add(it.key, step, x, time);
    }
  }

  /** RunRecord → name and config. */
  private runRecord(cur: PbCursor, at: number): void {
    let runId = '';
    let display = '';
    let project = '';
    while (cur.next()) {
      if (cur.wire !== WIRE_LEN) {
        cur.skip();
        continue;
      }
      const l = cur.len();
      const s = cur.pos;
      if (cur.field === 1) runId = utf8String(cur.buf, s, s + l);
      else if (cur.field === 3) project = utf8String(cur.buf, s, s + l);
      else if (cur.field === 8) display = utf8String(cur.buf, s, s + l);
      else if (cur.field === 4) this.config(new PbCursor(cur.buf, s, s + l, cur.dv), at);
      cur.pos = s + l;
    }
    if (display || runId) this.b.run.meta.name = display || runId;
    if (project) this.b.setHparam('wandb.project', project, { path: this.path, offset: at, how: 'W&B run record' });
    if (runId) this.b.setHparam('wandb.run_id', runId, { path: this.path, offset: at, how: 'W&B run record' });
  }

  /** ConfigRecord updates → hparams (`_wandb` internals skipped; nested values flattened with `.`). */
  private config(cur: PbCursor, at: number): void {
    while (cur.next()) {
      if (cur.field === 1 && cur.wire === WIRE_LEN) {
        const l = cur.len();
        const it = item(new PbCursor(cur.buf, cur.pos, cur.pos + l, cur.dv));
        cur.pos += l;
        if (!it || it.key.startsWith('_wandb')) continue;
        this.hparam(it.key, it.value, { path: this.path, offset: at, how: `W&B config ${it.key}` });
      } else cur.skip();
    }
  }

  private hparam(key: string, v: unknown, source: { path: string; offset?: number; how: string }): void {
    if (typeof v === 'string' || typeof v === 'boolean') this.b.setHparam(key, v, source);
    else if (typeof v === 'number') this.b.setHparam(key, v, source);
    else if (isObject(v)) {
      const inner = 'value' in v && Object.keys(v).every((k) => k === 'value' || k === 'desc') ? v.value : undefined;
      if (inner !== undefined && !isObject(inner)) this.hparam(key, inner, source);
      else scalarLeaves(isObject(inner) ? inner : v, key, 4, (k, x) => this.b.setHparam(k, x, source));
    }
  }

  /** `files/config.yaml` beside the `.wandb` file (offline run dirs keep it there). */
  private loadConfigYaml(): void {
    const yamlPath = nodePath.join(nodePath.dirname(this.path), 'files', 'config.yaml');
    let text: string;
    try {
      text = fs.readFileSync(yamlPath, 'utf8');
    } catch {
      return;
    }
    for (const [k, v] of Object.entries(parseYamlLite(text))) {
      if (k.startsWith('_wandb') || k === 'wandb_version' || k.endsWith('.desc') || v === null) continue;
      const key = k.endsWith('.value') ? k.slice(0, -6) : k;
      this.b.setHparam(key, v, { path: yamlPath, how: `W&B config.yaml ${key}` });
    }
    this.b.run.meta.name ??= baseName(nodePath.dirname(this.path));
  }

  private report(offset: number, message: string, severity: Diagnostic['severity'] = 'warning'): void {
    if (this.diagnostics.length < MAX_DIAGNOSTICS)
      this.diagnostics.push(diag(this.path, message, { offset }, severity));
  }

  result(): ParseResult {
    this.b.metaFromHparams(this.path);
    return { runs: [this.b.run], diagnostics: this.diagnostics };
  }
}

const KEYS = new StringInterner();

/** HistoryItem / ConfigItem: key (or nested_key joined by `/`) and the parsed value_json. */
function item(cur: PbCursor): { key: string; value: unknown } | null {
  let key = '';
  const nested: string[] = [];
  let json: string | undefined;
  while (cur.next()) {
    if (cur.wire !== WIRE_LEN) {
      cur.skip();
      continue;
    }
    const l = cur.len();
    const s = cur.pos;
    if (cur.field === 1) key = KEYS.get(cur.buf, s, s + l);
    else if (cur.field === 2) nested.push(utf8String(cur.buf, s, s + l));
    else if (cur.field === 16) json = utf8String(cur.buf, s, s + l);
    cur.pos = s + l;
  }
  if (!cur.ok || json === undefined) return null;
  if (!key && nested.length) key = nested.join('/');
  if (!key) return null;
  // Fast path: most history values are plain numbers (Python writes NaN / Infinity / -Infinity bare).
  const c = json.charCodeAt(0);
  if ((c >= 48 && c <= 57) || c === 45 || c === 78 || c === 73) {
    const x = Number(json);
    if (!Number.isNaN(x) || json === 'NaN') return { key, value: x };
  }
  const p = parseJsonLenient(json);
  return { key, value: p.ok ? p.value : undefined };
}

/** Number / string / boolean leaves of a nested config object as `prefix.a.b` (arrays and deeper levels skipped). */
function scalarLeaves(
  obj: Record<string, unknown>,
  prefix: string,
  depth: number,
  visit: (key: string, v: string | number | boolean) => void,
): void {
  for (const [k, v] of Object.entries(obj)) {
    const key = `${prefix}.${k}`;
    if (typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean') visit(key, v);
    else if (isObject(v) && depth > 0) scalarLeaves(v, key, depth - 1, visit);
  }
}
