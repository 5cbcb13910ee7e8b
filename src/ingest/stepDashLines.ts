/**
 * The metric line of a verl-style console (`step:12 - actor/pg_loss:0.136 - critic/score/mean:0.4 - …`, possibly
 * after a Ray `(TaskRunner pid=…) ` prefix): one per training step, so a long log holds few of them between
 * megabytes of other output (sample dumps, generations), and the sampled sniff can miss every one. A file that no
 * reader claims is scanned for such a line before it is called "not a training log". Pure: text in, answer out.
 */

/**
 * `step:N - key:number` at a line start (after an optional parenthesised prefix). Bounded quantifiers with no
 * overlap: linear on any text.
 */
const STEP_DASH_KEY_LINE =
  /(?:^|\n)(?:\([^)\n]{0,120}\) )?step:\d{1,12} - [A-Za-z_][\w/@.-]{0,120}:[-+]?(?:\d|nan|inf)/i;

/** The bytes scanned at most (from the file's start) for a `step:N - key:value` line. */
export const STEP_DASH_SCAN_BYTES = 64 * 1024 * 1024;

/**
 * The 0-based character offset of the first `step:N - key:value` metric line of `text`, or −1: a structural
 * signature of a step's metrics (a `step:` counter, then ` - ` separated `key:value` pairs), not one trainer's keys.
 */
export function stepDashKeyLineAt(text: string): number {
  const m = STEP_DASH_KEY_LINE.exec(text);
  if (!m) return -1;
  return m.index + (m[0].startsWith('\n') ? 1 : 0);
}

/** The longest unfinished line carried from one scanned piece to the next; a longer one is not a metric line's start. */
export const STEP_DASH_CARRY_CHARS = 1 << 16;

/**
 * What a piece-by-piece scan carries into the next piece: the unfinished last line of `text` (after its last
 * newline), or, when that line is longer than STEP_DASH_CARRY_CHARS (a newline-free run: binary bytes, a minified
 * dump), a single NUL that stands for it, so that the scan stays linear in the bytes read and the next piece is not
 * taken for a line start. Such a line was already searched whole in `text`, and no metric line starts inside it.
 */
export function stepDashCarry(text: string): string {
  const rest = text.slice(text.lastIndexOf('\n') + 1);
  return rest.length > STEP_DASH_CARRY_CHARS ? '\u0000' : rest;
}
