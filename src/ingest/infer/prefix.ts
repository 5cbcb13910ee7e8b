/**
 * Line prefixes that loggers put before the text a trainer printed. Pure, allocation-free, ASCII only.
 *
 * `prefixEnd(line)` is where the trainer's own text starts. It skips, repeatedly (at most 12 elements):
 *  - blanks, ANSI escape sequences (`\x1b[32m`), NUL padding;
 *  - timestamps: `2026-03-01 10:00:00.123456`, `2026-03-01T10:00:00Z`, `2026/03/01 10:00:00,123`, `10:00:00`,
 *    `12/22 20:00:22` (month/day without the year);
 *  - glog headers: `I0301 10:00:00.123 4242 train.py:88]`;
 *  - dates with weekday and month names (`Sat, 03 Nov 2018 16:39:48`) and source lines (`train.py[line:227]`, and
 *    `logging.py:157 >> ` between separators),
 *    Python logging's `%(asctime)s %(filename)s[line:%(lineno)d] %(levelname)s` with `%a, %d %b %Y %H:%M:%S`;
 *  - bracketed tags made only of words, levels, ranks and date/time pieces (ANSI colours inside skipped; `@`, `,`
 *    and `|` between them: `[     train_loop @ 10:00:25]`):
 *    `[2026-03-01 10:00:00]`, `[INFO]`,
 *    `[rank0]:`, `[train]`, `(pid=42)` — but not `[step 12]` or `[3/100]` (a bare integer is data), nor `[epoch0]` (a
 *    loop counter glued to its name);
 *  - log levels (upper case) and logger names: `INFO:`, `INFO:root:`, `WARNING -`, `| INFO |`, `__main__:train:42 -`;
 *    a logger name next to a level (`INFO - __main__ -`, `__main__ - INFO -`: Python logging's
 *    `%(levelname)s - %(name)s -` and `%(name)s - %(levelname)s -`) or before a bracketed level (`train: [ INFO] -`);
 *  - separators left between them: `-`, `|`, `:` followed by a blank.
 * A line that is all prefix (a blank line under a capture tool that prefixes every line) has nothing after it: its
 * prefix ends at the line's end. The string version (`prefixEnd`) runs the byte version
 * on the line's first 256 characters; they agree on every line (differential test).
 */

import { GLUED_COUNTERS } from './tokenize';

const LEVELS = ['INFO', 'WARN', 'WARNING', 'DEBUG', 'ERROR', 'CRITICAL', 'TRACE', 'NOTICE', 'FATAL', 'SUCCESS'];

/** Bytes of the line; reads at or past `end` see −1 through `at` below (no closure: this runs on every line). */
let B: Uint8Array = new Uint8Array(0);
let E = 0;
const at = (i: number): number => (i < E ? B[i] : -1);

const isDigit = (c: number) => c >= 48 && c <= 57;
const isAlpha = (c: number) => (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
const isWord = (c: number) => isAlpha(c) || isDigit(c) || c === 95;

/** End of a timestamp/date/time at `i` (digits with `-/:.,T Z` between), or −1. Needs a `:` or a date. */
function timeEnd(i: number, end: number): number {
  let j = i;
  let colons = 0;
  let dashes = 0;
  let digits = 0;
  while (j < end) {
    const c = at(j);
    if (isDigit(c)) digits++;
    else if (c === 58) colons++;
    else if (c === 45 || c === 47) {
      if (!isDigit(at(j + 1))) break;
      dashes++;
    } else if (c === 46 || c === 44) {
      if (!isDigit(at(j + 1))) break;
      if (colons < 2) {
        // `03.24.23` (a dotted date) before any time
        if (c !== 46 || colons > 0) break;
        dashes++;
      }
    } else if (c === 84 /* T */ || c === 32) {
      // `2026-03-01T10:…` / `2026-03-01 10:…`: only after a full date, before a time; a month/day date without
      // the year (detectron2's `[12/22 20:00:22]`: two digits, `/` or `-`, two digits) counts as a full date
      const monthDay = dashes === 1 && digits === 4 && j - i === 5;
      if ((dashes !== 2 && !monthDay) || colons > 0 || !isDigit(at(j + 1)) || !isDigit(at(j + 2)) || at(j + 3) !== 58)
        break;
    } else break;
    j++;
  }
  if (j < end && at(j) === 90 /* Z */) j++;
  // time zone offset `+00:00`
  if (j < end && (at(j) === 43 || at(j) === 45) && colons >= 2 && isDigit(at(j + 1)) && isDigit(at(j + 2))) {
    j += 3;
    if (at(j) === 58) j++;
    while (j < end && isDigit(at(j))) j++;
  }
  if (digits < 4 || (colons < 2 && dashes !== 2)) return -1;
  return j;
}

const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

/**
 * A date with its weekday and month names (RFC 2822; Python logging's `%a, %d %b %Y %H:%M:%S`, the `datefmt` of a
 * widely copied `basicConfig`): `Sat, 03 Nov 2018 16:39:48`, or −1.
 */
function dayDateEnd(i: number, end: number): number {
  if (isAlpha(at(i + 3))) return -1;
  let d = 0;
  while (
    d < 7 &&
    !(
      (at(i) | 32) === WEEKDAYS[d].charCodeAt(0) &&
      (at(i + 1) | 32) === WEEKDAYS[d].charCodeAt(1) &&
      (at(i + 2) | 32) === WEEKDAYS[d].charCodeAt(2)
    )
  )
    d++;
  if (d === 7) return -1;
  let j = i + 3;
  if (at(j) === 44) j++;
  if (at(j) !== 32) return -1;
  let k = ++j;
  while (isDigit(at(k))) k++;
  if (k === j || k - j > 2 || at(k) !== 32) return -1;
  j = k + 1;
  k = j;
  while (isAlpha(at(k))) k++;
  if (!isMonth(j, k) || at(k) !== 32) return -1;
  j = k + 1;
  for (k = j; k < j + 4; k++) if (!isDigit(at(k))) return -1;
  if (at(k) !== 32) return -1;
  const t = timeEnd(k + 1, end);
  return t;
}

/**
 * A syslog date without the year (`%b %d %H:%M:%S`: moreutils `ts`, which users pipe a trainer's output through,
 * and syslog/journald): `Mar 01 10:00:07`, `Mar  1 10:00:07.123`, then, in a journal's lines, the host and the
 * program with its pid (`gpu-box python3[4242]:`). −1 when there is none.
 */
function syslogDateEnd(i: number, end: number): number {
  let k = i;
  while (isAlpha(at(k))) k++;
  if (!isMonth(i, k) || at(k) !== 32) return -1;
  let j = k + 1;
  if (at(j) === 32) j++; // a day padded with a blank
  k = j;
  while (isDigit(at(k))) k++;
  if (k === j || k - j > 2 || at(k) !== 32 || !isDigit(at(k + 1))) return -1;
  const t = timeEnd(k + 1, end);
  if (t < 0) return -1;
  return journalSourceEnd(t, end);
}

/** After a syslog date: ` host program[pid]:` (the journal's source), its end; else `t` itself. */
function journalSourceEnd(t: number, end: number): number {
  if (at(t) !== 32) return t;
  let j = t + 1;
  const host = j;
  while (j < end && (isWord(at(j)) || at(j) === 45 || at(j) === 46)) j++;
  if (j === host || at(j) !== 32) return t;
  const prog = ++j;
  while (j < end && (isWord(at(j)) || at(j) === 45 || at(j) === 46 || at(j) === 47)) j++;
  if (j === prog) return t;
  if (at(j) === 91) {
    const d = ++j;
    while (isDigit(at(j))) j++;
    if (j === d || at(j) !== 93) return t;
    j++;
  }
  return at(j) === 58 && at(j + 1) === 32 ? j + 1 : t;
}

/** A source file and line (Python logging's `%(filename)s[line:%(lineno)d]`): `train.py[line:227]`, or −1. */
function srcLineEnd(i: number, end: number): number {
  let j = i;
  while (j < end && (isWord(at(j)) || at(j) === 46 || at(j) === 45)) j++;
  if (j === i || at(j) !== 91) return -1;
  // `[line:`
  if (at(j + 1) !== 108 || at(j + 2) !== 105 || at(j + 3) !== 110 || at(j + 4) !== 101 || at(j + 5) !== 58) return -1;
  let k = j + 6;
  const d = k;
  while (isDigit(at(k))) k++;
  return k > d && at(k) === 93 ? k + 1 : -1;
}

/**
 * A source file and line between separators (`%(filename)s:%(lineno)s >> %(message)s`, LLaMA-Factory's logging format;
 * `- train.py:88 -`): `name.ext:digits` followed by ` >> `, ` - ` or ` | `, the separator taken with it; or −1.
 */
function srcColonEnd(i: number, end: number): number {
  let j = i;
  while (j < end && (isWord(at(j)) || at(j) === 45)) j++;
  if (j === i || at(j) !== 46 || !isAlpha(at(j + 1))) return -1;
  j++;
  while (j < end && isAlpha(at(j))) j++;
  if (at(j) !== 58 || !isDigit(at(j + 1))) return -1;
  j++;
  while (isDigit(at(j))) j++;
  if (at(j) !== 32) return -1;
  const c = at(j + 1);
  if (c === 62 && at(j + 2) === 62 && at(j + 3) === 32) return j + 4;
  return (c === 45 || c === 124) && at(j + 2) === 32 ? j + 3 : -1;
}

/** A log level word at `i` (whole word), or −1. */
function levelEnd(i: number, end: number): number {
  const c = at(i);
  // I(NFO) W(ARN) D(EBUG) E(RROR) C(RITICAL) T(RACE) N(OTICE) F(ATAL) S(UCCESS)
  if (c !== 73 && c !== 87 && c !== 68 && c !== 69 && c !== 67 && c !== 84 && c !== 78 && c !== 70 && c !== 83)
    return -1;
  for (const lv of LEVELS) {
    if (lv.charCodeAt(0) !== c) continue;
    if (i + lv.length > end) continue;
    let k = 0;
    while (k < lv.length && at(i + k) === lv.charCodeAt(k)) k++;
    if (k === lv.length && !isWord(at(i + k))) return i + k;
  }
  return -1;
}

/** glog: `[IWEF]MMDD HH:MM:SS.ffffff  pid file:line] `, or −1. */
function glogEnd(i: number, end: number): number {
  const c = at(i);
  if (c !== 73 && c !== 87 && c !== 69 && c !== 70) return -1;
  for (let k = 1; k <= 4; k++) if (!isDigit(at(i + k))) return -1;
  if (at(i + 5) !== 32) return -1;
  const t = timeEnd(i + 6, end);
  if (t < 0) return -1;
  const close = indexOf(93 /* ] */, t, Math.min(end, t + 200));
  return close < 0 ? -1 : close + 1;
}

function indexOf(ch: number, from: number, end: number): number {
  for (let j = from; j < end; j++) if (at(j) === ch) return j;
  return -1;
}

/**
 * A bracket group `[…]`/`(…)` at `i` whose pieces are all tag-like (words without a bare integer after a word,
 * levels, ranks, date/time), or −1. `[step 12]`, `[3/100]`, `[200/500]` are data and are not taken.
 */
function tagEnd(i: number, end: number): number {
  const open = at(i);
  const closeCh = open === 91 ? 93 : open === 40 ? 41 : -1;
  if (closeCh < 0) return -1;
  const close = indexOf(closeCh, i + 1, Math.min(end, i + 80));
  if (close < 0 || close === i + 1) return -1;
  let j = i + 1;
  let pieces = 0;
  let month = false; // the piece before was a month name (`[Mar 29, 16:21:59]`: its day is a date, not data)
  while (j < close) {
    const c = at(j);
    // blanks, `,`, `|` and `@` (Python logging's `[%(module)s @ %(asctime)s]`) between the pieces
    if (c === 32 || c === 44 || c === 124 || c === 64) {
      j++;
      continue;
    }
    // an ANSI colour inside the brackets (rich's `[\x1b[37m12/09/24 14:03:31\x1b[0m]`)
    if (c === 27 && at(j + 1) === 91) {
      j += 2;
      while (j < close && (isDigit(at(j)) || at(j) === 59)) j++;
      if (j < close && isAlpha(at(j))) j++;
      continue;
    }
    if (isDigit(c)) {
      const t = timeEnd(j, close);
      if (t >= 0) j = t;
      else {
        // a day (1–2 digits) or a year (4) after a month name, when a time follows in the same brackets
        let k = j;
        while (k < close && isDigit(at(k))) k++;
        if (!month || (k - j > 2 && k - j !== 4) || isAlpha(at(k)) || at(k) === 58) return -1; // data, not a tag
        if (!hasTime(k, close)) return -1;
        j = k;
      }
    } else if (isAlpha(c) || c === 95) {
      const w = j;
      while (j < close && (isWord(at(j)) || at(j) === 46 || at(j) === 45 || at(j) === 47)) j++;
      if (isDigit(at(j - 1)) && gluedCounterWord(w, j)) return -1; // `[epoch0]`, `[iter_12]`: data, not a tag
      if (at(j) === 61) {
        // `(TaskRunner pid=48213)`, `(pid=42, ip=10.0.0.3)`: a Ray worker's process tag; any other `key=` is data
        if (!processKey(w, j) || !isDigit(at(j + 1))) return -1;
        j++;
        while (j < close && (isDigit(at(j)) || at(j) === 46)) j++;
      }
      month = isMonth(w, j);
      pieces++;
      continue;
    } else return -1;
    month = false;
    pieces++;
  }
  return pieces > 0 ? close + 1 : -1;
}

/** `b[i..j)` is `pid` or `ip`, the keys of a Ray worker's line tag. */
function processKey(i: number, j: number): boolean {
  return (
    (j - i === 3 && at(i) === 112 && at(i + 1) === 105 && at(i + 2) === 100) ||
    (j - i === 2 && at(i) === 105 && at(i + 1) === 112)
  );
}

/** `b[i..j)` is a loop counter's name glued to its number (`epoch0`, `Iter-100`, `step_12`). */
function gluedCounterWord(i: number, j: number): boolean {
  let p = i;
  while (p < j && isAlpha(at(p))) p++;
  if (p - i < 2 || p - i > 9) return false;
  let name = '';
  for (let k = i; k < p; k++) name += String.fromCharCode(at(k) | 32);
  if (!GLUED_COUNTERS.has(name)) return false;
  if (at(p) === 45 || at(p) === 95) p++;
  const d = p;
  while (p < j && isDigit(at(p))) p++;
  return p === j && p > d;
}

const MONTHS = [
  'january',
  'february',
  'march',
  'april',
  'may',
  'june',
  'july',
  'august',
  'september',
  'october',
  'november',
  'december',
];

/** `b[i..j)` is an English month name, abbreviated to three letters (`Mar`, `Sep.`) or whole (`March`). */
function isMonth(i: number, j: number): boolean {
  if (at(j - 1) === 46) j--;
  const n = j - i;
  if (n < 3 || n > 9) return false;
  for (const m of MONTHS) {
    if (n !== 3 && n !== m.length) continue;
    let k = 0;
    while (k < n && (at(i + k) | 32) === m.charCodeAt(k)) k++;
    if (k === n) return true;
  }
  return false;
}

/** A time (`16:21:59`) starts somewhere in `b[i..end)` after blanks, commas and date pieces. */
function hasTime(i: number, end: number): boolean {
  for (let j = i; j < end; j++) if (at(j) === 58 && isDigit(at(j - 1)) && isDigit(at(j + 1))) return true;
  return false;
}

/** `name:name:digits -` (loguru's `module:function:line -`), or −1. */
function loguruEnd(i: number, end: number): number {
  let j = i;
  let colons = 0;
  while (j < end && (isWord(at(j)) || at(j) === 46 || at(j) === 58 || at(j) === 60 || at(j) === 62)) {
    if (at(j) === 58) colons++;
    j++;
  }
  if (colons < 2 || !isDigit(at(j - 1)) || at(j) !== 32 || at(j + 1) !== 45 || at(j + 2) !== 32) return -1;
  return j + 3;
}

/**
 * A logger name (`__main__`, `transformers.trainer`, `train`) at `i`: followed by ` - ` when a level came before
 * it in the prefix or comes right after it, or by `:` and a bracketed level (`train: [    INFO]`). −1 otherwise.
 */
function loggerNameEnd(i: number, end: number, afterLevel: boolean): number {
  let j = i;
  while (j < end && (isWord(at(j)) || at(j) === 46)) j++;
  if (j === i || j - i > 64) return -1;
  if (at(j) === 32 && at(j + 1) === 45 && at(j + 2) === 32) {
    // `INFO - __main__ - …` (after the level) or `__main__ - INFO - …` (before it: the Python docs' format)
    if (afterLevel || levelEnd(j + 3, end) >= 0) return j + 3;
    return -1;
  }
  if (at(j) !== 58) return -1;
  let k = j + 1;
  while (k < end && at(k) === 32) k++;
  if (at(k) !== 91) return -1;
  k++;
  while (k < end && at(k) === 32) k++;
  const lv = levelEnd(k, end);
  return lv >= 0 && at(lv) === 93 ? j + 1 : -1;
}

function prefixEndWith(start: number, end: number): number {
  let i = start;
  let last = start;
  let level = false; // a log level was part of the prefix (a logger name may follow it)
  // at most 12 elements; the blanks between them are not counted (a capture tool's prefix stacked on a logger's,
  // `[…] INFO - 12/11/2023 05:18:52 - INFO - __main__ -`, holds more blanks than elements)
  for (let round = 0; round < 12 && i < end; round++) {
    const c = at(i);
    let j = -1;
    if (c === 32 || c === 9 || c === 0) {
      round--;
      j = i + 1;
      while (j < end && (at(j) === 32 || at(j) === 9 || at(j) === 0)) j++;
    } else if (c === 27 && at(i + 1) === 91) {
      j = i + 2;
      while (j < end && (isDigit(at(j)) || at(j) === 59 || at(j) === 63)) j++;
      if (j < end && isAlpha(at(j))) j++;
      else j = -1;
    } else if (isDigit(c)) {
      j = timeEnd(i, end);
    } else if (c === 91 || c === 40) {
      j = tagEnd(i, end);
      if (j >= 0 && at(j) === 58) j++; // `[rank0]:`
    } else if (c === 45 || c === 124) {
      // a separator between prefix elements (only after one); not the opening `|` of a table row drawn behind a
      // capture tool's prefix (`…Z | rollout/ | |`: the line ends with `|`) — unless a level or a loguru location
      // follows it (loguru's `… | INFO     | __main__:train:212 - | rollout/ | |`: the table row behind the prefix)
      if (
        i > start &&
        (at(i + 1) === 32 || i + 1 === end) &&
        !(c === 124 && endsWithPipe(end) && !elementAfter(i + 1, end))
      )
        j = i + 1;
    } else if (isAlpha(c) || c === 95) {
      j = dayDateEnd(i, end);
      if (j < 0) j = syslogDateEnd(i, end);
      if (j < 0 && i > start) j = srcLineEnd(i, end);
      if (j < 0 && i > start) j = srcColonEnd(i, end);
      if (j < 0) j = glogEnd(i, end);
      if (j < 0) {
        j = levelLike(i, end);
        if (j >= 0) level = true;
      }
      if (j < 0 && i > start) j = loguruEnd(i, end);
      if (j < 0 && i > start) j = loggerNameEnd(i, end, level);
    }
    if (j < 0 || j <= i) break;
    i = j;
    // keep blanks (and ANSI) in `last` only when a real element follows; they are skipped anyway above
    last = i;
  }
  // the prefix ends at the first non-blank after the last element; a line that is all prefix (a blank line under
  // `docker logs --timestamps`, `[default0]:` alone) holds nothing of the trainer's: `end`
  while (last < end && (at(last) === 32 || at(last) === 9)) last++;
  return last;
}

/** After blanks from `i`, a log level or a loguru location (`module:function:line -`) starts. */
function elementAfter(i: number, end: number): boolean {
  while (i < end && at(i) === 32) i++;
  return levelEnd(i, end) >= 0 || loguruEnd(i, end) >= 0;
}

/** The line's last non-blank character is `|` (a table row). */
function endsWithPipe(end: number): boolean {
  let k = end - 1;
  while (k >= 0 && (at(k) === 32 || at(k) === 9 || at(k) === 13)) k--;
  return at(k) === 124;
}

/** A level (`INFO`, `INFO:`, `INFO:root:`, `INFO -`) or `rank0:`-style tag at `i`, or −1. */
function levelLike(i: number, end: number): number {
  let j = levelEnd(i, end);
  if (j < 0) {
    // rank0: / rank 0: tags
    if ((at(i) | 32) === 114 && (at(i + 1) | 32) === 97 && (at(i + 2) | 32) === 110 && (at(i + 3) | 32) === 107) {
      j = i + 4;
      if (at(j) === 32) j++;
      if (!isDigit(at(j))) return -1;
      while (isDigit(at(j))) j++;
      if (at(j) !== 58) return -1;
      return j + 1;
    }
    return -1;
  }
  if (at(j) === 58) {
    j++;
    // INFO:root: / INFO:__main__:
    let k = j;
    while (k < end && (isWord(at(k)) || at(k) === 46)) k++;
    if (k > j && at(k) === 58) j = k + 1;
    return j;
  }
  if (at(j) === 32 || at(j) === 9 || at(j) === 93 || at(j) === 27) return j;
  return -1;
}

/** Scratch bytes for the string version (prefixes are ASCII and short: 256 characters are enough). */
const SCRATCH = Buffer.alloc(256);

/** Where the trainer's text starts in `line` (0 when there is no prefix). */
export function prefixEnd(line: string): number {
  const c = line.charCodeAt(0);
  // common case: a line starting with a lower-case word other than `rank…` → no prefix (fast exit)
  if (c >= 97 && c <= 122 && c !== 114) return 0;
  // latin1: one byte per UTF-16 unit, so byte and character indices agree; non-ASCII never belongs to a prefix
  const n = SCRATCH.write(line.length > 256 ? line.slice(0, 256) : line, 0, 'latin1');
  // latin1 keeps only the low byte of a character: `ś` (U+015B) would read as `[`
  for (let i = 0; i < n; i++) if (line.charCodeAt(i) > 127) SCRATCH[i] = 0x80;
  const k = prefixEndBytes(SCRATCH, 0, n);
  // a prefix reaching the end of the first 256 characters of a longer line is not known to end there
  return k === n && n < line.length ? 0 : k;
}

/** The same as `prefixEnd` on bytes `b[start..end)`: the absolute index where the text starts. */
export function prefixEndBytes(b: Uint8Array, start: number, end: number): number {
  const c = b[start];
  if (c >= 97 && c <= 122 && c !== 114) return start;
  B = b;
  E = end;
  const k = prefixEndWith(start, end);
  B = SCRATCH;
  return k;
}

const ANSI = /\x1b\[[0-9;?]*[A-Za-z]/g;

/** `line` without its prefix (ANSI colour codes, which some loggers put inside prefixes, are removed first). */
export function stripPrefix(line: string): string {
  if (line.indexOf('\x1b') >= 0) line = line.replace(ANSI, '');
  const k = prefixEnd(line);
  return k === 0 ? line : line.slice(k);
}
