/**
 * Test helpers for the part-B (structured/binary) reader tests: feed a whole text file line by line into a
 * TextReader, or bytes in chunks into a BinaryReader the way an incremental reader does (unconsumed bytes are
 * offered again with the next chunk). Independent of the production incremental reader on purpose.
 */
import * as fs from 'node:fs';
import type { BinaryReader, ChunkParser, LineParser, Sniff, TextReader } from '../../../src/ingest/reader';
import type { ParseResult } from '../../../src/ingest/types';

export function sniffOf(path: string, bytes?: Uint8Array): Sniff {
  const b = bytes ?? new Uint8Array(fs.readFileSync(path));
  const head = b.subarray(0, 65536);
  return { path, head, text: new TextDecoder().decode(head) };
}

/** Split text into lines like the line feeder: at `\n`, CR of CRLF dropped, an unterminated last line included. */
export function linesOf(text: string): string[] {
  const lines = text.split('\n').map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
  if (lines.length && lines[lines.length - 1] === '') lines.pop();
  return lines;
}

export function feedLines(parser: LineParser, lines: string[], firstLineNo = 1): LineParser {
  lines.forEach((l, i) => parser.line(l, firstLineNo + i));
  return parser;
}

export function readText(reader: TextReader, path: string, text = fs.readFileSync(path, 'utf8')): ParseResult {
  return feedLines(reader.create(path), linesOf(text)).result();
}

/** Feed `bytes` in chunks of `chunk` bytes (or all at once); returns the parser and how many bytes stayed unconsumed. */
export function feedChunks(
  parser: ChunkParser,
  bytes: Uint8Array,
  chunk = bytes.length,
): { parser: ChunkParser; pending: number } {
  let offset = 0;
  let pending = new Uint8Array(0);
  for (let i = 0; i < bytes.length; i += chunk) {
    const next = bytes.subarray(i, Math.min(bytes.length, i + chunk));
    const all = new Uint8Array(pending.length + next.length);
    all.set(pending);
    all.set(next, pending.length);
    const used = parser.feed(all, offset);
    if (!(used >= 0 && used <= all.length)) throw new Error(`feed returned ${used} for ${all.length} bytes`);
    offset += used;
    pending = all.slice(used);
  }
  return { parser, pending: pending.length };
}

export function readBinary(
  reader: BinaryReader,
  path: string,
  bytes: Uint8Array = new Uint8Array(fs.readFileSync(path)),
  chunk?: number,
): ParseResult {
  return feedChunks(reader.create(path), bytes, chunk).parser.result();
}
