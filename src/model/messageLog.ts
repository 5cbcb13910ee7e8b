/**
 * A bounded record of the messages exchanged with the dashboard webview, for tests and the benchmark.
 *
 * Positions are absolute and never reused: `length` only grows, so a test can take a mark, act, then read
 * `since(mark)` even after old messages were dropped to bound memory. Reading from a mark whose messages were
 * already dropped throws (a silent partial answer is what made a test flaky). With capacity 0 nothing is kept
 * (the default for users: the record only exists when the extension runs in development or test mode).
 */
export class MessageLog<T> implements Iterable<T> {
  private items: T[] = [];
  private dropped = 0;

  /** Keeps at most `capacity` messages; when full, the older half is dropped. */
  constructor(readonly capacity: number) {}

  record(m: T): void {
    if (this.capacity <= 0) {
      this.dropped++;
      return;
    }
    this.items.push(m);
    if (this.items.length > this.capacity) {
      const n = this.items.length - Math.floor(this.capacity / 2);
      this.items.splice(0, n);
      this.dropped += n;
    }
  }

  /** Messages recorded so far, dropped ones included: use it as a mark for `since`. */
  get length(): number {
    return this.dropped + this.items.length;
  }

  /** Absolute position of the oldest message still kept. */
  get first(): number {
    return this.dropped;
  }

  /** The messages recorded at or after `mark` (an earlier `length`). */
  since(mark: number): T[] {
    if (mark < this.dropped)
      throw new Error(
        `message log: ${this.dropped - mark} messages after mark ${mark} were already dropped (capacity ${this.capacity})`,
      );
    return this.items.slice(mark - this.dropped);
  }

  /** The message at absolute position `i`, if still kept. */
  at(i: number): T | undefined {
    return i < this.dropped ? undefined : this.items[i - this.dropped];
  }

  some(pred: (m: T) => boolean): boolean {
    return this.items.some(pred);
  }
  find<S extends T>(pred: (m: T) => m is S): S | undefined;
  find(pred: (m: T) => boolean): T | undefined;
  find(pred: (m: T) => boolean): T | undefined {
    return this.items.find(pred);
  }
  /** The most recent kept message that matches. */
  findLast<S extends T>(pred: (m: T) => m is S): S | undefined;
  findLast(pred: (m: T) => boolean): T | undefined;
  findLast(pred: (m: T) => boolean): T | undefined {
    for (let i = this.items.length - 1; i >= 0; i--) if (pred(this.items[i])) return this.items[i];
    return undefined;
  }

  [Symbol.iterator](): Iterator<T> {
    return this.items[Symbol.iterator]();
  }
}
