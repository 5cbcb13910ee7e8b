/**
 * Small shared pieces for the plain-text readers. Pure.
 */
import type { LineParser, ReaderOptions, Sniff } from './reader';
import type { FormatId, ParseResult } from './types';
import { RunBuilder } from './runBuilder';
import { MetaScanner } from './metaLines';

/** How many lines of `text` match `re` (a /m regex), up to `max`. */
export function countLines(text: string, re: RegExp, max = 20): number {
  const g = new RegExp(re.source, re.flags.includes('g') ? re.flags : re.flags + 'g');
  let n = 0;
  while (n < max && g.exec(text)) n++;
  return n;
}

/** Confidence from a count of signature lines: 1 line → `one`, ≥3 → `many`, linear in between. */
export function scoreCount(n: number, one = 0.75, many = 0.95): number {
  if (n <= 0) return 0;
  if (n >= 3) return many;
  return one + ((many - one) * (n - 1)) / 2;
}

/** Score a sniff by its signature regex (multiline). */
export function scoreSniff(sniff: Sniff, re: RegExp, one = 0.75, many = 0.95): number {
  return scoreCount(countLines(sniff.text, re, 3), one, many);
}

const ANSI = /\x1b\[[0-9;?]*[A-Za-z]/g;

/** Removes ANSI colour/cursor escape sequences. */
export function stripAnsi(s: string): string {
  return s.indexOf('\x1b') < 0 ? s : s.replace(ANSI, '');
}

/** Python-logging / torchrun rank prefixes: `0: `, `[rank0]: `, `[default0]:`. */
export function stripRankPrefix(s: string): string {
  const c = s.charCodeAt(0);
  if (c >= 48 && c <= 57) {
    const i = s.indexOf(':');
    if (i > 0 && i <= 4 && /^\d+$/.test(s.slice(0, i))) return s.slice(s.charCodeAt(i + 1) === 32 ? i + 2 : i + 1);
  } else if (c === 91 /* [ */ && (s.startsWith('[rank') || s.startsWith('[default'))) {
    const m = /^\[(?:rank|default)\d+\]:\s?/.exec(s);
    if (m) return s.slice(m[0].length);
  }
  return s;
}

/** A line handler: returns true when the line was a metric line (then metadata scanning is skipped). */
export type LineHandler = (line: string, lineNo: number) => boolean;

/**
 * A byte-level handler (`LineParser.asciiLine`): the index of the line's `\n` when it handled the line exactly
 * as the string handler would; −1, with no effect, to let the line be decoded and go to the string handler.
 */
export type AsciiLineHandler = (buf: Uint8Array, start: number, limit: number, lineNo: number) => number;

/**
 * Builds a LineParser from a handler; lines the handler does not claim go to the metadata scanner.
 * Exceptions inside a handler are turned into a diagnostic (the contract says parsers never throw).
 * `ascii`: an optional byte-level fast path for the handler's most common line shape.
 * `b` may be a function giving the run being read, for a reader that opens more than one run in a file: warnings go
 * to that run (such a reader passes a `scanner` that follows it too).
 */
export function makeParser(
  b: RunBuilder | (() => RunBuilder),
  handler: LineHandler,
  scanner: Pick<MetaScanner, 'scan'> = new MetaScanner(typeof b === 'function' ? b() : b),
  ascii?: AsciiLineHandler,
): LineParser {
  const current = typeof b === 'function' ? b : () => b;
  let errors = 0;
  const parser: LineParser = {
    line(text: string, lineNo: number): void {
      try {
        if (!handler(text, lineNo)) scanner.scan(text, lineNo);
      } catch (e) {
        if (errors++ < 3) current().warn(`could not parse line: ${(e as Error).message}`, lineNo);
      }
    },
    result(): ParseResult {
      return current().result();
    },
  };
  // (no wrapper: the line feeder, its only caller, turns an exception into a diagnostic)
  if (ascii) parser.asciiLine = ascii;
  return parser;
}

/** Convenience: builder + scanner for a format. */
export function newRun(path: string, format: FormatId, options?: ReaderOptions): { b: RunBuilder; meta: MetaScanner } {
  const b = new RunBuilder(path, format, '', options?.maxSeriesPoints);
  return { b, meta: new MetaScanner(b) };
}

/** Parses `YYYY-MM-DD HH:MM:SS[.,fff]` (taken as UTC) to seconds since the epoch, or undefined. */
export function parseTimestamp(s: string): number | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})(?:[.,](\d{1,6}))?/.exec(s);
  if (!m) return undefined;
  const ms = Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]);
  const frac = m[7] ? Number('0.' + m[7]) : 0;
  return Number.isFinite(ms) ? ms / 1000 + frac : undefined;
}
