/**
 * Host → webview messages, collected between two flushes (one per animation frame on the host side) and
 * coalesced, so a burst — a scan that finds a thousand runs, a fast-growing log, a hundred fits finishing — costs
 * the webview one message and one redraw instead of thousands. Pure; the dashboard owns one.
 *
 * Coalescing never changes what the webview ends up with (unit-tested against the webview's store, message by
 * message vs batched): a message replaces (or, for `points`, extends) an earlier queued one about the same thing
 * only when nothing queued in between could interact with it:
 *  - `init` replaces everything queued before it (it is the full state);
 *  - `run`, `curveFit`, `sweepFit`, `status`, `targetLoss`: the later one replaces the earlier in place;
 *  - `points` for the same run and metric (same axes) are concatenated;
 *  - `options` changes are merged (later keys win);
 * and `removeRun`/`series` of a run, `points` vs that run's `run` summary (the webview updates a run's last value
 * from its points), and `charted` (it drops the series of runs it leaves out) end such replacement. `charted`
 * itself is never replaced: what an earlier one dropped stays dropped.
 */
import type { HostMessage } from '../protocol';

type PointsMsg = Extract<HostMessage, { type: 'points' }>;

const axesOf = (m: PointsMsg) => `${m.tokens ? 't' : ''}${m.time ? 'T' : ''}`;

export class Outbox {
  private queue: HostMessage[] = [];
  /** Replaceable messages by key → queue index. Keys: `run\0id`, `fit\0id\0metric`, `pts\0id\0metric`, or a type. */
  private at = new Map<string, number>();
  private optionsAt = -1;
  private owned = new WeakSet<PointsMsg>();

  get size(): number {
    return this.queue.length;
  }

  private forget(pred: (key: string) => boolean): void {
    for (const k of [...this.at.keys()]) if (pred(k)) this.at.delete(k);
  }
  private forgetRun(id: string, kinds: readonly string[]): void {
    this.forget((k) => kinds.some((kind) => k === `${kind}\0${id}` || k.startsWith(`${kind}\0${id}\0`)));
  }

  /** Replaces the queued message with this key, or appends and remembers it. */
  private put(key: string, m: HostMessage): void {
    const i = this.at.get(key);
    if (i !== undefined) {
      this.queue[i] = m;
      return;
    }
    this.at.set(key, this.queue.length);
    this.queue.push(m);
  }

  push(m: HostMessage): void {
    switch (m.type) {
      case 'init':
        this.clear();
        this.queue.push(m);
        return;
      case 'points': {
        this.forgetRun(m.runId, ['run']);
        const key = `pts\0${m.runId}\0${m.metric}`;
        const i = this.at.get(key);
        const prev = i !== undefined ? (this.queue[i] as PointsMsg) : undefined;
        if (prev && axesOf(prev) === axesOf(m)) {
          // The first merge copies (the queued arrays may be the caller's); later ones append to that copy.
          const into = this.owned.has(prev) ? prev : this.own(prev);
          this.queue[i!] = into;
          append(into, m);
          return;
        }
        this.at.set(key, this.queue.length);
        this.queue.push(m);
        return;
      }
      case 'run':
        this.forgetRun(m.run.id, ['pts']);
        this.put(`run\0${m.run.id}`, m);
        return;
      case 'curveFit':
        this.put(`fit\0${m.fit.runId}\0${m.fit.metric}`, m);
        return;
      case 'series':
        this.forgetRun(m.series.runId, ['pts']);
        this.queue.push(m);
        return;
      case 'removeRun':
        this.forgetRun(m.runId, ['run', 'fit', 'pts']);
        this.optionsAt = -1;
        this.queue.push(m);
        return;
      case 'charted':
        this.forget((k) => k.startsWith('pts\0'));
        this.queue.push(m);
        return;
      case 'sweepFit':
      case 'status':
      case 'targetLoss':
        this.put(m.type, m);
        return;
      case 'options':
        if (this.optionsAt >= 0) {
          const prev = this.queue[this.optionsAt] as Extract<HostMessage, { type: 'options' }>;
          this.queue[this.optionsAt] = { type: 'options', options: { ...prev.options, ...m.options } };
          return;
        }
        this.optionsAt = this.queue.length;
        this.queue.push(m);
        return;
      default:
        this.queue.push(m);
    }
  }

  /** Everything queued, in order; the outbox is empty afterwards. */
  take(): HostMessage[] {
    const q = this.queue;
    for (let k = 0; k < q.length; k++) {
      const m = q[k];
      if (m.type === 'points' && this.owned.has(m)) {
        m.step = trim(m.step);
        m.y = trim(m.y);
        if (m.tokens) m.tokens = trim(m.tokens);
        if (m.time) m.time = trim(m.time);
      }
    }
    this.clear();
    return q;
  }

  clear(): void {
    this.queue = [];
    this.at.clear();
    this.optionsAt = -1;
  }

  private own(m: PointsMsg): PointsMsg {
    const c: PointsMsg = { type: 'points', runId: m.runId, metric: m.metric, step: m.step, y: m.y };
    if (m.tokens) c.tokens = m.tokens;
    if (m.time) c.time = m.time;
    this.owned.add(c);
    return c;
  }
}

/**
 * Appends b's points to a (same axes). Columns are Float64Arrays (src/protocol.ts): each merge allocates the joined
 * column with room to spare (doubling), and `a`'s columns are views of its first `n` values, so a frame's many small
 * increments cost amortised O(1) a point; neither message's own arrays are written.
 */
function append(a: PointsMsg, b: PointsMsg): void {
  const join = (to: Float64Array, from: Float64Array): Float64Array => {
    const n = to.length + from.length;
    const cap = to.byteOffset === 0 && to.buffer.byteLength >= n * 8 && spare.has(to.buffer) ? to.buffer : undefined;
    let out: Float64Array;
    if (cap) out = new Float64Array(cap, 0, n);
    else {
      const buf = new ArrayBuffer(Math.max(n, 2 * to.length, 64) * 8);
      spare.add(buf);
      out = new Float64Array(buf, 0, n);
      out.set(to);
    }
    out.set(from, to.length);
    return out;
  };
  a.step = join(a.step, b.step);
  a.y = join(a.y, b.y);
  if (a.tokens && b.tokens) a.tokens = join(a.tokens, b.tokens);
  if (a.time && b.time) a.time = join(a.time, b.time);
}

/** Buffers allocated here for merged columns (the only ones grown in place; never a caller's). */
const spare = new WeakSet<ArrayBufferLike>();

/** A column that is a view with spare room (a merged one) as a Float64Array of its own, so nothing extra is posted. */
function trim(c: Float64Array): Float64Array {
  return spare.has(c.buffer) && c.buffer.byteLength !== c.byteLength ? c.slice() : c;
}
