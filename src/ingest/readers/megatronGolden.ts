/**
 * Megatron-LM functional-test golden values (whole JSON file). Pure (no `vscode`).
 *
 * `{"lm loss": {"start_step": 1, "end_step": 50, "step_interval": 1, "values": {"1": 10.51, …}}, …}`: one series
 * per top-level key, steps from the `values` keys (strings). Values may be numbers, numeric strings or "nan".
 * Older files hold `values` as an array starting at `start_step` every `step_interval`; both are read.
 */
import type { Sniff, WholeReader } from '../reader';
import { diag } from '../reader';
import type { Diagnostic, ParseResult } from '../types';
import { RunBuilder, toNumber } from '../structuredRun';
import { isObject, parseJsonLenient } from '../jsonUtil';

export const megatronGoldenReader: WholeReader = {
  format: 'megatron-golden',
  kind: 'whole',
  detect: detectMegatronGolden,
  parse: (path, content, o) => parseMegatronGolden(path, content, o?.maxSeriesPoints),
};

/** An object whose entries have `start_step`, `end_step`, `step_interval`, `values`. */
export function detectMegatronGolden(sniff: Sniff): number {
  const t = sniff.text;
  if (!t.trimStart().startsWith('{')) return 0;
  const keys = ['"start_step"', '"end_step"', '"step_interval"', '"values"'].filter((k) => t.includes(k)).length;
  return keys === 4 ? 0.9 : keys === 3 ? 0.6 : 0;
}

export function parseMegatronGolden(path: string, content: Uint8Array, maxSeriesPoints?: number): ParseResult {
  const diagnostics: Diagnostic[] = [];
  try {
    const p = parseJsonLenient(new TextDecoder().decode(content));
    if (!p.ok || !isObject(p.value)) {
      diagnostics.push(diag(path, p.ok ? 'not a JSON object' : `not valid JSON (${p.error})`));
      return { runs: [], diagnostics };
    }
    const b = new RunBuilder(path, 'megatron-golden', path, {}, maxSeriesPoints);
    for (const [metric, spec] of Object.entries(p.value)) {
      if (!isObject(spec)) continue;
      const values = spec.values;
      if (Array.isArray(values)) {
        const start = toNumber(spec.start_step) ?? 0;
        const every = toNumber(spec.step_interval) ?? 1;
        values.forEach((v, i) => {
          const x = toNumber(v);
          if (x !== undefined) b.add(metric, start + i * every, x);
        });
      } else if (isObject(values)) {
        const steps = Object.keys(values)
          .map((k) => ({ k, s: toNumber(k) }))
          .filter((e): e is { k: string; s: number } => e.s !== undefined && Number.isFinite(e.s))
          .sort((a, c) => a.s - c.s);
        for (const { k, s } of steps) {
          const x = toNumber(values[k]);
          if (x !== undefined) b.add(metric, s, x);
        }
      } else diagnostics.push(diag(path, `"${metric}" has no values`));
    }
    return { runs: [b.run], diagnostics };
  } catch (e) {
    diagnostics.push(
      diag(path, `could not read golden values: ${e instanceof Error ? e.message : String(e)}`, {}, 'error'),
    );
    return { runs: [], diagnostics };
  }
}
