/**
 * CSV/TSV helpers shared by the CSV readers (part B). Pure (no `vscode`).
 *
 * Lines arrive one at a time (text readers), so a cell cannot span lines; quoted cells with `""` escapes and
 * embedded delimiters are handled within a line.
 */
import { toNumber } from './structuredRun';

export type Delimiter = ',' | '\t' | ';';

/** The delimiter of a header line: tab if it has tabs and no commas, `;` if only semicolons, else comma. */
export function guessDelimiter(header: string): Delimiter {
  const tabs = count(header, '\t');
  const commas = count(header, ',');
  const semis = count(header, ';');
  if (tabs > 0 && tabs >= commas) return '\t';
  if (commas === 0 && semis > 0) return ';';
  return ',';
}

function count(s: string, ch: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) if (s[i] === ch) n++;
  return n;
}

/** The characters String.prototype.trim removes (WhiteSpace and LineTerminator, same as `\s`). */
const WS = /\s/;

/** Split one line into cells (RFC 4180 quoting inside the line; surrounding whitespace trimmed). */
export function splitCsvLine(line: string, delim: Delimiter): string[] {
  if (line.indexOf('"') < 0) return line.split(delim).map((c) => c.trim());
  const out: string[] = [];
  let cell = '';
  // `cell` is only whitespace so far (kept as a flag: calling cell.trim() at every quote is O(n²) on a long
  // line full of quotes — a 240 KB line of `{"a":` took 15 s).
  let blank = true;
  let inQ = false;
  const n = line.length;
  let i = 0;
  // Runs of ordinary characters are appended as one slice, not one character at a time: a cell built by a million
  // `+=` is a million-deep rope whose flattening and collection grew super-linearly (1 MB of `{"a":` took 31× the
  // time of 256 KB).
  while (i < n) {
    const ch = line[i];
    if (inQ) {
      if (ch === '"') {
        if (line[i + 1] === '"') {
          cell += '"';
          blank = false;
          i += 2;
        } else {
          inQ = false;
          i++;
        }
        continue;
      }
      let j = line.indexOf('"', i);
      if (j < 0) j = n;
      for (let k = i; blank && k < j; k++) if (!WS.test(line[k])) blank = false;
      cell += line.slice(i, j);
      i = j;
    } else if (ch === '"' && blank) {
      inQ = true;
      cell = '';
      i++;
    } else if (ch === delim) {
      out.push(cell.trim());
      cell = '';
      blank = true;
      i++;
    } else {
      // an unquoted run: up to the delimiter, or up to a quote met while the cell is still blank (it opens a field)
      let j = i;
      for (; j < n; j++) {
        const c = line[j];
        if (c === delim || (c === '"' && blank)) break;
        if (blank && !WS.test(c)) blank = false;
      }
      cell += line.slice(i, j);
      i = j;
    }
  }
  out.push(cell.trim());
  return out;
}

/** Cells that mean "no value here" (not a NaN): empty, NA (Keras), None, null. */
export function isMissingCell(cell: string): boolean {
  return cell === '' || cell === 'NA' || cell === 'N/A' || cell === 'None' || cell === 'null' || cell === '-';
}

/**
 * A cell's number: undefined when missing or not numeric; NaN/±Infinity for "nan"/"inf" (divergence is kept).
 */
export function cellNumber(cell: string): number | undefined {
  if (isMissingCell(cell)) return undefined;
  return toNumber(cell);
}

/** True when a line looks like a header: at least one cell, and no cell is a number. */
export function looksLikeHeader(cells: string[]): boolean {
  if (cells.length === 0 || (cells.length === 1 && cells[0] === '')) return false;
  let names = 0;
  for (const c of cells) {
    if (c === '') continue;
    if (toNumber(c) !== undefined) return false;
    names++;
  }
  return names > 0;
}

/** Index of the first header cell matching `re` (case-insensitive compare on the trimmed name), or -1. */
export function findColumn(header: string[], re: RegExp): number {
  for (let i = 0; i < header.length; i++) if (re.test(header[i].trim())) return i;
  return -1;
}

/** Column names that hold the x-axis of a training curve (step/iteration count). */
export const STEP_COLUMN =
  /^(step|steps|_step|global_step|trainer\/global_step|train\/global_step|iter|iters|iteration|iterations|it|num_updates|updates|update|current_steps)$/i;

/** The first line of a sniff's text (without CR), and the next up to `n` non-empty lines. */
export function sniffLines(text: string, n: number): string[] {
  const out: string[] = [];
  let start = 0;
  while (out.length < n + 1 && start < text.length) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    const l = text.slice(start, end).replace(/\r$/, '');
    if (l.trim() !== '' || out.length === 0) out.push(l);
    start = end + 1;
    // Last line of the sniff may be cut: keep only complete lines when more text follows.
    if (end === text.length && out.length > 1 && !text.endsWith('\n')) out.pop();
  }
  return out;
}

/** File name (last path segment) of a path with `/` or `\` separators. */
export function baseName(p: string): string {
  const i = Math.max(p.lastIndexOf('/'), p.lastIndexOf('\\'));
  return i < 0 ? p : p.slice(i + 1);
}

/**
 * The file's own name says it holds a loss (`loss_log.txt`, `train_loss.txt`, `losses.json`): a script that writes
 * nothing but numbers to it (`f.write(f"{loss:.2f},{reward:.2f}\n")`, `str(losses)`) named them there, not in the text.
 */
export function namedForLoss(path: string): boolean {
  return /loss/i.test(baseName(path));
}
