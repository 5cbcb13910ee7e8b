/**
 * User-supplied line patterns (`scalingLens.customPatterns`): each `{ metric, regex }` is a regular expression
 * with named groups `step` and `value`; every line it matches adds a point to `metric`. The patterns form one
 * extra text reader (format `custom`). It claims a file when at least one line of the sniff matches, with
 * confidence 0.7: above the generic `key: value` fallback, below every format-specific reader.
 *
 * The host only builds this reader in a TRUSTED workspace (an untrusted one never gets its regexes compiled).
 * Patterns are checked before use: at most 1,000 characters, must compile, must name both groups; lines longer
 * than 4,000 characters are not matched (bounds the cost of a badly backtracking pattern per line).
 */
import type { TextReader } from '../reader';
import { parseNumber } from '../numbers';
import { normalizeName } from '../names';
import { makeParser, newRun } from '../readerKit';

export interface CustomPattern {
  metric: string;
  regex: string;
}

const MAX_PATTERNS = 32;
const MAX_REGEX = 1000;
const MAX_LINE = 4000;

interface Compiled {
  re: RegExp;
  metric: string;
  name: string;
}

/** Compiles the patterns; invalid ones are reported in `errors` and left out. `reader` is undefined when none is usable. */
export function compileCustomPatterns(patterns: readonly CustomPattern[]): {
  reader: TextReader | undefined;
  errors: string[];
} {
  const errors: string[] = [];
  const compiled: Compiled[] = [];
  patterns.slice(0, MAX_PATTERNS).forEach((p, i) => {
    const where = `scalingLens.customPatterns[${i}]`;
    if (typeof p.metric !== 'string' || !p.metric.trim() || p.metric.length > 200) {
      errors.push(`${where}: "metric" must be a non-empty name`);
      return;
    }
    if (typeof p.regex !== 'string' || !p.regex || p.regex.length > MAX_REGEX) {
      errors.push(`${where}: "regex" must be 1–${MAX_REGEX} characters`);
      return;
    }
    let re: RegExp;
    try {
      re = new RegExp(p.regex);
    } catch (e) {
      errors.push(`${where}: invalid regular expression: ${(e as Error).message}`);
      return;
    }
    // The named groups of a pattern, read from a match of its alternation with the empty string.
    const groups = Object.keys(new RegExp(`${p.regex}|`).exec('')?.groups ?? {});
    if (!groups.includes('step') || !groups.includes('value')) {
      errors.push(`${where}: the regex needs named groups (?<step>…) and (?<value>…)`);
      return;
    }
    compiled.push({ re, metric: p.metric.trim(), name: normalizeName(p.metric.trim()) });
  });
  if (patterns.length > MAX_PATTERNS)
    errors.push(`scalingLens.customPatterns: only the first ${MAX_PATTERNS} patterns are used`);
  if (!compiled.length) return { reader: undefined, errors };

  const match = (line: string): { c: Compiled; step: number; value: number } | undefined => {
    if (line.length > MAX_LINE) return undefined;
    for (const c of compiled) {
      const g = c.re.exec(line)?.groups;
      if (!g) continue;
      const step = parseNumber(g.step ?? '');
      const value = parseNumber(g.value ?? '');
      if (step !== undefined && Number.isFinite(step) && value !== undefined) return { c, step, value };
    }
    return undefined;
  };

  const reader: TextReader = {
    format: 'custom',
    kind: 'text',
    detect: (sniff) => {
      let start = 0;
      const text = sniff.text;
      for (let lines = 0; lines < 2000 && start < text.length; lines++) {
        let end = text.indexOf('\n', start);
        if (end < 0) end = text.length;
        if (match(text.slice(start, end).replace(/\r$/, ''))) return 0.7;
        start = end + 1;
      }
      return 0;
    },
    create(path, options) {
      const { b, meta } = newRun(path, 'custom', options);
      return makeParser(
        b,
        (line, lineNo) => {
          const m = match(line);
          if (!m) return false;
          b.add(m.c.metric, m.step, m.value, lineNo, undefined, m.c.name);
          return true;
        },
        meta,
      );
    },
  };
  return { reader, errors };
}
