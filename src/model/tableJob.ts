/**
 * A table-law fit as a fit-worker job (issue 15, *Fit Table Law…*): the multi-start fit and its bootstrap can take
 * seconds (data-constrained: ≈ 1.7 s for the fit and ≈ 30 ms per refit on the sample table), so they never run on
 * the extension host's event loop. Pure.
 */
import { fitTableLaw } from '../fit/tableLaw';
import { tableLawById } from '../fit/tableLaws';

export interface TableJob {
  kind: 'table';
  law: string;
  inputs: number[][];
  y: number[];
  bootstrap: number;
  confidence: number;
  seed?: number;
}

export interface TableFitView {
  ok: boolean;
  reason?: string;
  law: string;
  n?: number;
  rmse?: number;
  params?: Record<string, number>;
  intervals?: Record<string, [number, number]>;
  derived?: Record<string, number>;
  advice?: string;
  warnings?: string[];
}

export function tableJob(job: TableJob): TableFitView {
  const law = tableLawById(job.law);
  if (!law) return { ok: false, law: job.law, reason: `no table law "${job.law}"` };
  const r = fitTableLaw(law, job.inputs, job.y, {
    bootstrap: job.bootstrap,
    confidence: job.confidence,
    seed: job.seed ?? 0,
  });
  if (!r.ok) return { ok: false, law: job.law, reason: r.reason, warnings: r.warnings };
  return {
    ok: true,
    law: job.law,
    n: r.n,
    rmse: r.rmse,
    params: r.params,
    intervals: r.intervals,
    derived: r.derived,
    warnings: r.warnings,
    ...(law.advice ? { advice: law.advice(r.raw) } : {}),
  };
}
