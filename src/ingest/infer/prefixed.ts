/**
 * A known line format behind a logger prefix (`[2026-03-01 10:00:00] iter 5: loss …`, `I0301 … train.py:88] iteration
 * 200/ …`): the trainer's reader, fed each line without its prefix (`prefix.ts`). Pure.
 *
 * `withPrefixStripping(reader)` is memoised per reader (so re-detection sees the same object). Its parser strips
 * the prefix on the string path and, on the byte fast path, offers the inner reader the bytes after the prefix:
 * the stripped line is a suffix of the line, so no copy is made.
 */
import type { LineParser, Reader, Sniff, TextReader } from '../reader';
import { prefixEndBytes, stripPrefix } from './prefix';

const wrapped = new WeakMap<TextReader, TextReader>();

/** Readers that see the raw line on purpose (they skip prefixes themselves, or match the user's own regexes). */
const RAW_FORMATS = new Set<Reader['format']>(['generic-text', 'custom']);

export function canStrip(r: Reader): r is TextReader {
  return r.kind === 'text' && !RAW_FORMATS.has(r.format) && !isPrefixed(r);
}

/** Is this a wrapper made by `withPrefixStripping`? */
export function isPrefixed(r: Reader): boolean {
  return (r as { prefixed?: boolean }).prefixed === true;
}

export function withPrefixStripping(inner: TextReader): TextReader {
  let w = wrapped.get(inner);
  if (w) return w;
  w = {
    format: inner.format,
    kind: 'text',
    prefixed: true,
    detect: (sniff: Sniff) => inner.detect(strippedSniff(sniff) ?? sniff),
    create(path, options): LineParser {
      const p = inner.create(path, options);
      let noted = false;
      const out: LineParser = {
        line(text, lineNo) {
          p.line(stripPrefix(text), lineNo);
        },
        result() {
          const r = p.result();
          if (noted) return r;
          noted = true;
          r.diagnostics.push({
            path,
            severity: 'info',
            message: `lines carry a logger prefix (time stamp, level, rank or tag) before the ${inner.format} format; it is skipped`,
          });
          return r;
        },
      };
      if (p.asciiLine) {
        const ascii = p.asciiLine.bind(p);
        out.asciiLine = (buf, start, limit, lineNo) => {
          const nl = (buf as Buffer).indexOf(10, start);
          const end = nl < 0 || nl > limit ? limit : nl;
          const esc = (buf as Buffer).indexOf(27, start);
          if (esc >= 0 && esc < end) return -1; // colour codes: the string path removes them
          return ascii(buf, prefixEndBytes(buf, start, end), limit, lineNo);
        };
      }
      return out;
    },
  } as TextReader & { prefixed: true };
  wrapped.set(inner, w);
  return w;
}

/** The sniff with every line's prefix removed, or undefined when no line has one. */
export function strippedSniff(sniff: Sniff): Sniff | undefined {
  const text = sniff.text;
  let out = '';
  let changed = false;
  let start = 0;
  while (start < text.length) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    let line = text.slice(start, end);
    if (line.endsWith('\r')) line = line.slice(0, -1);
    const rest = stripPrefix(line);
    if (rest !== line) changed = true;
    out += rest + '\n';
    start = end + 1;
  }
  if (!changed) return undefined;
  return { path: sniff.path, head: Buffer.from(out, 'utf8'), text: out };
}
