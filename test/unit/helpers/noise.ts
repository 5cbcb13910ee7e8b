/** Made-up console noise for preamble tests: the given warning lines repeated until about `bytes` of text. */
export function noiseOf(lines: readonly string[], bytes: number): string {
  const out: string[] = [];
  let size = 0;
  for (let i = 0; size < bytes; i++) {
    const l = lines[i % lines.length];
    out.push(l);
    size += l.length + 1;
  }
  return out.join('\n') + '\n';
}
