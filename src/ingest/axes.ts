/**
 * Derived X axes for a run: tokens seen D(step) and training compute C(step) ≈ 6·N·D (Kaplan et al. 2020,
 * "Scaling Laws for Neural Language Models", §2.1: ≈ 6N FLOPs per token for forward + backward). Pure.
 */
import type { Run, Series } from './types';

/** The series whose steps define the run's X positions: train/loss, else val/loss, else the longest. */
function stepSource(run: Run): Series | undefined {
  const m = run.metrics;
  if (m['train/loss']?.step.length) return m['train/loss'];
  if (m['val/loss']?.step.length) return m['val/loss'];
  let best: Series | undefined;
  for (const s of Object.values(m)) if (s.name !== 'tokens' && (!best || s.step.length > best.step.length)) best = s;
  return best;
}

/**
 * Tokens seen by step: the logged `tokens` series when the log has one (Megatron `consumed tokens`, OLMo
 * `throughput/total_tokens`, …), otherwise step × tokensPerStep over the steps of the main loss series.
 * Undefined when neither is available.
 */
export function tokensSeries(run: Run): Series | undefined {
  const logged = run.metrics['tokens'];
  if (logged && logged.step.length) return logged;
  const tps = run.meta.tokensPerStep?.value;
  if (!tps || !(tps > 0)) return undefined;
  const src = stepSource(run);
  if (!src) return undefined;
  return {
    name: 'tokens',
    originalName: `step × ${tps} tokens/step`,
    step: src.step.slice(),
    value: src.step.map((s) => s * tps),
  };
}

/** Training compute C ≈ 6·N·D (FLOPs) by step; undefined unless both N and a tokens series are known. */
export function computeSeries(run: Run): Series | undefined {
  const N = run.meta.params?.value;
  if (!N || !(N > 0)) return undefined;
  const D = tokensSeries(run);
  if (!D) return undefined;
  return { name: 'compute', originalName: '6·N·D', step: D.step.slice(), value: D.value.map((d) => 6 * N * d) };
}

/** Tokens at a given step by linear interpolation of `tokensSeries` (extrapolating with the last rate). */
export function tokensAtStep(run: Run, step: number): number | undefined {
  const D = tokensSeries(run);
  if (!D || D.step.length === 0) return undefined;
  const xs = D.step;
  const ys = D.value;
  const n = xs.length;
  if (n === 1) return xs[0] > 0 ? (ys[0] / xs[0]) * step : undefined;
  let lo = 0;
  let hi = n - 1;
  if (step <= xs[0]) hi = 1;
  else if (step >= xs[n - 1]) lo = n - 2;
  else {
    while (hi - lo > 1) {
      const mid = (lo + hi) >> 1;
      if (xs[mid] <= step) lo = mid;
      else hi = mid;
    }
  }
  const dx = xs[hi] - xs[lo];
  if (dx === 0) return ys[lo];
  return ys[lo] + ((ys[hi] - ys[lo]) * (step - xs[lo])) / dx;
}
