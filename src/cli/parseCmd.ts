/** `scaling-lens parse PATH… [--json]`: what the readers find in logs (runs, metrics, parameter counts). */
import * as nodePath from 'node:path';
import { parseArgs, opt, type OptionSpecs } from './args';
import type { Command } from './command';
import { UsageError } from './errors';
import { loadPaths, lastFinite, describeSource, runTokensSourced, type Loaded } from './load';
import { stepAxisOfRun } from '../ingest/stepAxis';
import { diagJson, diagnosticsText, fmt, fmtCount, table, toJson, jnum } from './output';
import type { ParseOutput, RunJson } from './schema';

const options: OptionSpecs = {
  json: { type: 'flag', help: 'print JSON (schema: ParseOutput in src/cli/schema.ts)' },
  'max-points': {
    type: 'int',
    help: 'points kept per series (default 1048576); older points are averaged into bins above it, and an info diagnostic says so',
  },
  help: { type: 'flag', help: 'show this help' },
};

/** The `parse --json` document for what `loadPaths` read (also used in-process by the real-corpus test). */
export function parseOutputOf(loaded: Loaded): ParseOutput {
  return {
    runs: loaded.runs.map((r): RunJson => {
      const tokens = runTokensSourced(r);
      const axis = stepAxisOfRun(r);
      return {
        id: r.id,
        path: r.path,
        format: r.format,
        params: r.meta.params?.value ?? null,
        paramsSource: r.meta.params ? describeSource(r.meta.params.source) : null,
        tokens: tokens?.value ?? null,
        tokensSource: tokens?.source ?? null,
        plannedSteps: r.meta.totalSteps
          ? { value: r.meta.totalSteps.value, source: describeSource(r.meta.totalSteps.source) }
          : null,
        plannedEpochs: r.meta.plannedEpochs
          ? { value: r.meta.plannedEpochs.value, source: describeSource(r.meta.plannedEpochs.source) }
          : null,
        stepAxis: axis ? { name: axis.value, source: describeSource(axis.source) } : null,
        metrics: Object.fromEntries(
          Object.entries(r.metrics).map(([k, s]) => [
            k,
            { step: Array.from(s.step, jnum), value: Array.from(s.value, jnum) },
          ]),
        ),
        originalNames: Object.fromEntries(Object.entries(r.metrics).map(([k, s]) => [k, s.originalName])),
        evaluations: (r.meta.evaluations ?? []).map((e) => ({ path: e.path, step: e.step, source: e.how })),
        evaluationOf: r.meta.evaluation
          ? { model: r.meta.evaluation.model ?? null, step: r.meta.evaluation.step?.value ?? null }
          : null,
        builtFrom: r.builtFrom
          ? {
              files: r.builtFrom.parts.map((p) => ({ path: p.path, format: p.format, metrics: p.metrics })),
              reason: r.builtFrom.reason,
            }
          : null,
        linkedTo: r.linkedTo ?? null,
      };
    }),
    tables: loaded.tables.map((t) => ({
      path: t.path,
      N: t.N.map(jnum),
      D: t.D.map(jnum),
      C: t.C.map(jnum),
      loss: t.loss.map(jnum),
    })),
    diagnostics: loaded.diagnostics.map(diagJson),
  };
}

export const parseCommand: Command = {
  name: 'parse',
  summary: 'read logs and print the runs, metrics and parameter counts found',
  usage: 'scaling-lens parse PATH… [--json] [--max-points N]',
  description:
    'PATH may be a log file, a metrics/points table or a directory (read recursively; an MLflow store is\n' +
    'read as a whole). The format is detected from the content. NaN/inf values are kept; in JSON they are\n' +
    'the strings "NaN", "Infinity", "-Infinity".',
  options,
  async run(argv, io) {
    const a = parseArgs('parse', argv, options);
    if (!a.positionals.length) throw new UsageError('parse needs at least one PATH', 'parse');
    const loaded = await loadPaths(a.positionals, { maxSeriesPoints: opt.num(a, 'max-points') });
    if (opt.flag(a, 'json')) {
      const out = parseOutputOf(loaded);
      io.stdout(toJson(out) + '\n');
      return 0;
    }
    const short = (id: string) => {
      const rel = nodePath.relative(process.cwd(), id);
      return rel.length < id.length ? rel : id;
    };
    const rows = [['run', 'format', 'params', 'metric', 'points', 'steps', 'last', 'non-finite']];
    for (const r of loaded.runs) {
      let first = true;
      for (const [name, s] of Object.entries(r.metrics)) {
        const bad = s.value.filter((v) => !Number.isFinite(v)).length;
        const last = lastFinite(s.step, s.value);
        rows.push([
          first ? short(r.id) : '',
          first ? r.format : '',
          first ? fmtCount(r.meta.params?.value) : '',
          name,
          String(s.step.length),
          s.step.length ? `${fmt(s.step[0])}–${fmt(s.step[s.step.length - 1])}` : '-',
          fmt(last?.value),
          bad ? String(bad) : '',
        ]);
        first = false;
      }
      if (first) rows.push([short(r.id), r.format, fmtCount(r.meta.params?.value), '(no metrics)', '0', '-', '-', '']);
    }
    const parts: string[] = [];
    if (loaded.runs.length) parts.push(table(rows));
    for (const t of loaded.tables) parts.push(`points table ${t.path}: ${t.loss.length} rows (N, D, C, loss)`);
    if (!loaded.runs.length && !loaded.tables.length) parts.push('no runs found');
    const d = diagnosticsText(loaded.diagnostics);
    if (d) parts.push(d);
    io.stdout(parts.join('\n\n') + '\n');
    return 0;
  },
};
