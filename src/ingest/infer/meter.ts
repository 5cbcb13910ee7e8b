/**
 * A tqdm meter glued before other text: tqdm redraws its bar with `\r` and no newline, so a line printed while the
 * bar is on screen starts right after the meter's closing bracket (`  6%|▌    | 5/83 [00:05<01:23,  1.08s/it]Batch
 * Loss: 6.07  [  640/10624]`). Pure, allocation-free.
 */

const isDigit = (c: number) => c >= 48 && c <= 57;

/**
 * Where the text after a tqdm meter starts (`[elapsed<remaining, rate…]` then something not blank), or −1. The
 * meter is recognised by its bracket: `MM:SS` or `H:MM:SS`, `<`, the time left (or `?`), a comma, and a rate in
 * some unit per second or seconds per unit (`1.08it/s`, `2.31s/it`, `?it/s`); a postfix may follow the rate.
 */
export function meterEnd(b: Uint8Array, start: number, end: number): number {
  // `<`: every meter with a known total has one (searched within the line: `b` may hold many lines)
  let lt = start;
  while (lt < end && b[lt] !== 60) lt++;
  if (lt >= end) return -1;
  // back to `[`: elapsed time only (digits and colons)
  let i = lt - 1;
  while (i > start && (isDigit(b[i]) || b[i] === 58)) i--;
  if (b[i] !== 91 || i === lt - 1 || !isDigit(b[lt - 1])) return -1;
  // forward to `]`, seeing the rate's `/s` or `s/`
  let rate = false;
  let j = lt + 1;
  for (const stop = Math.min(end, lt + 400); j < stop && b[j] !== 93; j++) {
    if (b[j] === 47 && (b[j + 1] === 115 || b[j - 1] === 115)) rate = true;
  }
  if (j >= end || b[j] !== 93 || !rate) return -1;
  // something printed after it (not the meter's own trailing padding)
  for (let k = j + 1; k < end; k++) if (b[k] !== 32 && b[k] !== 9) return j + 1;
  return -1;
}
