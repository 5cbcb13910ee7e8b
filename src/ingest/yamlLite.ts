/**
 * A tiny YAML subset reader for the small config files beside logs (Lightning `hparams.yaml`, MLflow
 * `meta.yaml`, W&B `config.yaml`). Pure (no `vscode`). Never throws.
 *
 * Supports block mappings by indentation and plain/quoted scalars; nested keys are flattened with `.`
 * (`optimizer:\n  lr: 0.1` → `optimizer.lr`). Sequences and flow collections are kept as their raw text.
 */

export type YamlScalar = string | number | boolean | null;

/** Flattened `key.path → scalar` of a YAML document (subset). */
export function parseYamlLite(text: string): Record<string, YamlScalar> {
  const out: Record<string, YamlScalar> = {};
  const stack: { indent: number; key: string }[] = [];
  const lines = text.split(/\r?\n/);
  for (const raw of lines) {
    if (raw.trim() === '' || raw.trimStart().startsWith('#') || raw.startsWith('---')) continue;
    const indent = raw.length - raw.trimStart().length;
    const line = raw.trim();
    if (line.startsWith('- ') || line === '-') continue; // sequence items: not needed for metadata
    const m = /^("[^"]*"|'[^']*'|[^:#]+?)\s*:(?:\s+(.*))?$/.exec(line);
    if (!m) continue;
    const key = unquote(m[1].trim());
    while (stack.length && stack[stack.length - 1].indent >= indent) stack.pop();
    const full = [...stack.map((s) => s.key), key].join('.');
    const rest = stripComment(m[2] ?? '').trim();
    if (rest === '' || rest === '|' || rest === '>') {
      stack.push({ indent, key });
      continue;
    }
    out[full] = yamlScalar(rest);
  }
  return out;
}

function stripComment(s: string): string {
  if (s.startsWith('"') || s.startsWith("'")) return s;
  const i = s.indexOf(' #');
  return i >= 0 ? s.slice(0, i) : s;
}

function unquote(s: string): string {
  if (s.length >= 2 && ((s[0] === '"' && s.endsWith('"')) || (s[0] === "'" && s.endsWith("'")))) return s.slice(1, -1);
  return s;
}

/** A plain or quoted YAML scalar: numbers (incl. .nan/.inf), booleans, null, else the string. */
export function yamlScalar(s: string): YamlScalar {
  if (s.length >= 2 && (s[0] === '"' || s[0] === "'")) return unquote(s);
  const l = s.toLowerCase();
  if (l === 'null' || l === '~') return null;
  if (l === 'true' || l === 'yes') return true;
  if (l === 'false' || l === 'no') return false;
  if (l === '.nan') return NaN;
  if (l === '.inf' || l === '+.inf') return Infinity;
  if (l === '-.inf') return -Infinity;
  if (/^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/.test(s)) return Number(s);
  return s;
}
