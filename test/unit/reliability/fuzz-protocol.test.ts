/**
 * Webview → host protocol fuzzing. `parseWebviewMessage` gets random and mutated messages (valid ones with
 * wrong types, missing/extra keys, huge strings, `__proto__`/`constructor`/`prototype` keys — as own properties,
 * the way JSON.parse makes them — NaN/±Infinity/-0, nested arrays, wrong `type`s, Object.create(null) objects),
 * raw and after a JSON round trip (what the webview channel delivers). Asserts:
 *  - it never throws;
 *  - it accepts exactly the messages an independent validator (written from the `WebviewMessage` types in
 *    src/protocol.ts, own properties only, no extra keys) accepts, and returns exactly the expected value;
 *  - Object.prototype / Array.prototype stay unpolluted.
 * Messages are stateless for the parser, so "out-of-order sequences" are covered by feeding random sequences of
 * types (setOptions before ready, repeated ready, …) — ordering is the host's concern (integration tests).
 * Reduced: 20,000 messages; SCALING_LENS_FULL=1: 200,000. Replay with RELIABILITY_SEED=<seed>.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseWebviewMessage, MAX_DATA_URL, MAX_MESSAGE_STRING } from '../../../src/protocol';
import type { WebviewMessage, DashboardOptions } from '../../../src/protocol';
import { Rng, seedFor, size } from './util';

type Obj = Record<string, unknown>;
const own = (o: Obj, k: string) => Object.prototype.hasOwnProperty.call(o, k);
const isPlain = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const onlyKeys = (o: Obj, keys: string[]) => Object.keys(o).every((k) => keys.includes(k));
const isStr = (v: unknown, max: number): v is string => typeof v === 'string' && v.length >= 1 && v.length <= max;
const isFiniteNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/** Independent validator: the expected parse of `m` (null = must be rejected). */
function expected(m: unknown): WebviewMessage | null {
  if (!isPlain(m) || !own(m, 'type') || typeof m.type !== 'string') return null;
  const t = m.type;
  const exact = (keys: string[]) => onlyKeys(m, ['type', ...keys]) && keys.every((k) => own(m, k));
  switch (t) {
    case 'ready':
    case 'exportCsv':
      return exact([]) ? { type: t } : null;
    case 'setOptions': {
      if (!exact(['options']) || !isPlain(m.options)) return null;
      const o = m.options;
      const out: Partial<DashboardOptions> = {};
      for (const k of Object.keys(o)) {
        const v = o[k];
        if (k === 'xAxis' && (v === 'step' || v === 'tokens' || v === 'compute' || v === 'time')) out.xAxis = v;
        else if (k === 'tab' && (v === 'runs' || v === 'sweep' || v === 'fit')) out.tab = v;
        else if ((k === 'logX' || k === 'logY') && typeof v === 'boolean') out[k] = v;
        else if (k === 'smoothing' && isFiniteNum(v) && v >= 0 && v <= 0.99) out.smoothing = v;
        else if ((k === 'metric' || k === 'curveLaw' || k === 'sweepLaw' || k === 'selectedRun') && isStr(v, 4096))
          out[k] = v;
        else return null;
      }
      return { type: 'setOptions', options: out };
    }
    case 'selectRun':
    case 'toggleExclude':
    case 'revealLog':
    case 'togglePin':
      return exact(['runId']) && isStr(m.runId, 4096) ? { type: t, runId: m.runId } : null;
    case 'setTargetLoss':
      return exact(['value']) && (m.value === null || (isFiniteNum(m.value) && m.value > 0))
        ? { type: t, value: m.value as number | null }
        : null;
    case 'predict':
      return exact(['axis', 'value']) &&
        (m.axis === 'N' || m.axis === 'D' || m.axis === 'C') &&
        isFiniteNum(m.value) &&
        m.value > 0
        ? { type: 'predict', axis: m.axis, value: m.value }
        : null;
    case 'exportPng':
      return exact(['dataUrl', 'name']) &&
        typeof m.dataUrl === 'string' &&
        m.dataUrl.length <= MAX_DATA_URL &&
        m.dataUrl.startsWith('data:image/png;base64,') &&
        isStr(m.name, MAX_MESSAGE_STRING) &&
        /^[A-Za-z0-9_.\- ]+$/.test(m.name)
        ? { type: 'exportPng', dataUrl: m.dataUrl, name: m.name }
        : null;
    case 'copyLaw':
      return exact(['format']) && (m.format === 'markdown' || m.format === 'latex')
        ? { type: 'copyLaw', format: m.format }
        : null;
    case 'error':
      return exact(['message']) && typeof m.message === 'string'
        ? { type: 'error', message: m.message.slice(0, 2000) }
        : null;
    case 'pong':
      return exact(['id', 'drawMs']) &&
        isFiniteNum(m.id) &&
        Number.isInteger(m.id) &&
        m.id >= 1 &&
        m.id <= Number.MAX_SAFE_INTEGER &&
        isFiniteNum(m.drawMs) &&
        m.drawMs >= 0
        ? { type: 'pong', id: m.id, drawMs: m.drawMs }
        : null;
    default:
      return null;
  }
}

const TYPES = [
  'ready',
  'setOptions',
  'selectRun',
  'toggleExclude',
  'predict',
  'exportPng',
  'exportCsv',
  'copyLaw',
  'revealLog',
  'error',
  'pong',
  'togglePin',
  'setTargetLoss',
];
const EVIL_KEYS = [
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'valueOf',
  'hasOwnProperty',
  'polluted',
  '__defineGetter__',
];
const BIG = 'x'.repeat(MAX_DATA_URL + 1);
const BIG_PNG = 'data:image/png;base64,' + 'A'.repeat(MAX_DATA_URL - 22);

function randomString(rng: Rng): string {
  return rng.weighted<() => string>([
    [6, () => 'run-' + rng.int(0, 999)],
    [2, () => ''],
    [2, () => 'y'.repeat(rng.pick([255, 256, 257, 2000, 2001, 4096, 4097, 100_000]))],
    [2, () => rng.pick(EVIL_KEYS)],
    [2, () => '<img src=x onerror=alert(1)>'],
    [1, () => '\u0000\ud800\uffff'],
    [1, () => '../../etc/passwd'],
    [
      2,
      () =>
        rng.pick([
          'step',
          'tokens',
          'compute',
          'time',
          'runs',
          'sweep',
          'fit',
          'N',
          'D',
          'C',
          'markdown',
          'latex',
          'val/loss',
        ]),
    ],
  ])();
}

function randomValue(rng: Rng, depth = 0): unknown {
  return rng.weighted<() => unknown>([
    [4, () => randomString(rng)],
    [3, () => rng.pick([0, -0, 1, -1, 0.5, 0.99, 0.991, 1e308, -1e308, 5e-324, NaN, Infinity, -Infinity, 2 ** 53, 42])],
    [2, () => rng.bool()],
    [1, () => null],
    [1, () => undefined],
    [1, () => (depth < 4 ? [randomValue(rng, depth + 1), randomValue(rng, depth + 1)] : [])],
    [1, () => (depth < 4 ? nestedArray(rng.int(1, 200)) : [])],
    [1, () => (depth < 4 ? randomObject(rng, depth + 1) : {})],
    [1, () => Object.create(null)],
  ])();
}

function nestedArray(d: number): unknown {
  let a: unknown = 1;
  for (let i = 0; i < d; i++) a = [a];
  return a;
}

function randomObject(rng: Rng, depth: number): Obj {
  const o: Obj = rng.bool(0.1) ? Object.create(null) : {};
  for (let k = rng.int(0, 4); k > 0; k--)
    setOwn(o, rng.bool(0.3) ? rng.pick(EVIL_KEYS) : randomString(rng).slice(0, 20), randomValue(rng, depth));
  return o;
}

/** Own data property even for '__proto__' (as JSON.parse creates it). */
function setOwn(o: Obj, k: string, v: unknown): void {
  Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true });
}

function validMessage(rng: Rng): Obj {
  const t = rng.pick(TYPES);
  switch (t) {
    case 'setOptions': {
      const options: Obj = {};
      const pool: [string, () => unknown][] = [
        ['xAxis', () => rng.pick(['step', 'tokens', 'compute', 'time'])],
        ['tab', () => rng.pick(['runs', 'sweep', 'fit'])],
        ['logX', () => rng.bool()],
        ['logY', () => rng.bool()],
        ['smoothing', () => rng.pick([0, 0.5, 0.99, rng.next() * 0.99])],
        ['metric', () => 'val/loss'],
        ['curveLaw', () => 'pow3'],
        ['sweepLaw', () => 'chinchilla'],
        ['selectedRun', () => 'run-' + rng.int(0, 9)],
      ];
      for (const [k, f] of pool) if (rng.bool(0.3)) options[k] = f();
      return { type: t, options };
    }
    case 'selectRun':
    case 'toggleExclude':
    case 'revealLog':
    case 'togglePin':
      return { type: t, runId: 'file:///w/run-' + rng.int(0, 99) + '/train.log' };
    case 'setTargetLoss':
      return { type: t, value: rng.pick([null, 2.5, 0.001, 1e6]) };
    case 'predict':
      return { type: t, axis: rng.pick(['N', 'D', 'C']), value: rng.pick([1, 1e9, 1e21, 0.001]) };
    case 'exportPng':
      return {
        type: t,
        dataUrl: rng.bool(0.02) ? BIG_PNG : 'data:image/png;base64,iVBORw0KGgo=',
        name: 'scaling-lens-runs.png',
      };
    case 'copyLaw':
      return { type: t, format: rng.pick(['markdown', 'latex']) };
    case 'error':
      return { type: t, message: rng.bool(0.1) ? 'e'.repeat(5000) : 'TypeError: x is undefined' };
    case 'pong':
      return { type: t, id: rng.pick([1, 2, 1000, 2 ** 31]), drawMs: rng.pick([0, 0.3, 12.5, 400]) };
    default:
      return { type: t };
  }
}

function mutateMessage(rng: Rng, m0: unknown): unknown {
  if (!isPlain(m0)) return rng.bool() ? m0 : randomValue(rng);
  const m = m0;
  const keys = Object.keys(m);
  const how = rng.int(0, 11);
  switch (how) {
    case 0: // wrong type for a field
      if (keys.length) m[rng.pick(keys)] = randomValue(rng);
      return m;
    case 1: // extra key (often a prototype-pollution key)
      setOwn(m, rng.bool(0.6) ? rng.pick(EVIL_KEYS) : randomString(rng).slice(0, 30) || 'k', randomValue(rng));
      return m;
    case 2: // remove a field
      if (keys.length) delete m[rng.pick(keys)];
      return m;
    case 3: // huge strings
      if (keys.length) m[rng.pick(keys)] = rng.bool(0.05) ? BIG : 'z'.repeat(rng.pick([257, 4097, 70_000]));
      return m;
    case 4: // NaN / Infinity / -0 / huge
      if (keys.length) m[rng.pick(keys)] = rng.pick([NaN, Infinity, -Infinity, -0, 1e308, -1]);
      return m;
    case 5: // nested arrays, or the whole message wrapped
      return rng.bool() ? [m] : { ...m, [rng.pick(keys.length ? keys : ['type'])]: nestedArray(rng.int(1, 1000)) };
    case 6: // options with evil / unknown keys or wrong values
      if (isPlain(m.options))
        setOwn(m.options as Obj, rng.pick([...EVIL_KEYS, 'xAxis', 'smoothing', 'tab', 'logX']), randomValue(rng));
      else m.options = randomObject(rng, 1);
      return m;
    case 7: // a different or bogus type
      m.type = rng.bool()
        ? rng.pick(TYPES)
        : rng.pick(['Ready', 'ready ', '', '__proto__', 'constructor', 'toString', 'init', 'points', 42, null]);
      return m;
    case 8: // non-objects
      return randomValue(rng);
    case 9: // Object.create(null) copy
      return Object.assign(Object.create(null), m);
    case 10: // JSON round trip of something mutated twice (NaN → null, undefined dropped)
      return JSON.parse(JSON.stringify(mutateMessage(rng, mutateMessage(rng, m)) ?? null) ?? 'null');
    default: // a JSON text with an own "__proto__" key, as a hostile webview could post
      return JSON.parse(
        `{"type":${JSON.stringify(m.type ?? 'ready')},"__proto__":{"polluted":true},"options":{"__proto__":{"polluted":true}}}`,
      );
  }
}

function prototypesSnapshot(): string {
  return JSON.stringify([
    Object.getOwnPropertyNames(Object.prototype).sort(),
    Object.getOwnPropertyNames(Array.prototype).sort(),
    Object.getOwnPropertyNames(Function.prototype).sort(),
  ]);
}

test('webview protocol fuzzing: never throws, accepts exactly the valid shapes, no prototype pollution', () => {
  const seed = seedFor(0x9a07);
  const rng = new Rng(seed);
  const total = size(200_000, 20_000);
  const before = prototypesSnapshot();
  let accepted = 0,
    rejected = 0,
    validGenerated = 0;
  const mismatches: string[] = [];
  const describe = (m: unknown) => {
    try {
      return JSON.stringify(m, (_k, v) =>
        typeof v === 'string' && v.length > 60
          ? v.slice(0, 60) + `…(${v.length})`
          : typeof v === 'number' && !Number.isFinite(v)
            ? String(v)
            : v,
      )?.slice(0, 300);
    } catch {
      return String(m);
    }
  };
  for (let n = 0; n < total; n++) {
    const base = validMessage(rng);
    const m = rng.bool(0.2) ? base : mutateMessage(rng, base);
    const want = expected(m);
    if (want) validGenerated++;
    let got: WebviewMessage | null;
    try {
      got = parseWebviewMessage(m);
    } catch (e) {
      mismatches.push(`#${n} threw ${(e as Error).message} on ${describe(m)}`);
      continue;
    }
    if (got) accepted++;
    else rejected++;
    try {
      assert.deepStrictEqual(got, want);
      if (got) assert.equal(Object.getPrototypeOf(got), Object.prototype);
    } catch {
      if (mismatches.length < 15)
        mismatches.push(`#${n}: parse ${describe(got)} but expected ${describe(want)} for ${describe(m)}`);
      else if (mismatches.length === 15) mismatches.push('…');
    }
    if (({} as Obj).polluted !== undefined || ([] as unknown as Obj).polluted !== undefined)
      assert.fail(`Object.prototype polluted at #${n} (seed=${seed})`);
  }
  console.log(
    `protocol fuzzing: seed=${seed} messages=${total} accepted=${accepted} rejected=${rejected} (validator: ${validGenerated} valid) mismatches=${mismatches.length}`,
  );
  assert.deepEqual(mismatches, [], `replay: RELIABILITY_SEED=${seed}`);
  assert.equal(prototypesSnapshot(), before, 'built-in prototypes changed');
});
