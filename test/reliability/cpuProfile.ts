/**
 * CPU profile of this thread while `work` runs (an in-process inspector session), summarised as the functions with
 * the most self time and the longest stretch of consecutive non-idle samples (what held the event loop, and in
 * which functions). Used by the VS Code soak (SCALING_LENS_SOAK_PROFILE) and the editor bench (BENCH_PROFILE);
 * plain Node, no `vscode`.
 */
import * as fs from 'node:fs';
import * as inspector from 'node:inspector';

export interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number } }[];
  samples: number[];
  timeDeltas: number[];
}

export interface ProfileSummary {
  /** `ms  function file:line`, most self time first. */
  top: string[];
  /** The longest non-idle stretch and the functions sampled in it. */
  longest: { ms: number; top: string[] };
}

/** Runs `work` under the sampling profiler (sampling every `intervalUs`), writes the profile to `out` if given. */
export async function profile<T>(
  work: () => Promise<T>,
  opts: { out?: string; intervalUs?: number; topN?: number } = {},
): Promise<{ result: T } & ProfileSummary> {
  const session = new inspector.Session();
  session.connect();
  const post = (method: string, params?: object) =>
    new Promise<unknown>((resolve, reject) =>
      session.post(method, params ?? {}, (e, r) => (e ? reject(e) : resolve(r))),
    );
  await post('Profiler.enable');
  await post('Profiler.setSamplingInterval', { interval: opts.intervalUs ?? 1000 });
  await post('Profiler.start');
  const stop = async (): Promise<ProfileSummary> => {
    const { profile: p } = (await post('Profiler.stop')) as { profile: CpuProfile };
    session.disconnect();
    if (opts.out) fs.writeFileSync(opts.out, JSON.stringify(p));
    return summarise(p, opts.topN ?? 15);
  };
  try {
    const result = await work();
    return { result, ...(await stop()) };
  } catch (e) {
    await stop().then(
      (s) => console.log(s.top.join('\n')),
      () => undefined,
    );
    throw e;
  }
}

export function summarise(p: CpuProfile, n: number): ProfileSummary {
  const byId = new Map(p.nodes.map((node) => [node.id, node]));
  const key = (id: number) => {
    const f = byId.get(id)!.callFrame;
    return `${f.functionName || '(anonymous)'} ${f.url.split('/').slice(-2).join('/')}:${f.lineNumber + 1}`;
  };
  const tally = (from: number, to: number) => {
    const t = new Map<string, number>();
    for (let i = from; i < to; i++)
      t.set(key(p.samples[i]), (t.get(key(p.samples[i])) ?? 0) + (p.timeDeltas[i] ?? 0) / 1000);
    return [...t]
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(([k, ms]) => `${ms.toFixed(1).padStart(8)} ms  ${k}`);
  };
  let best = { ms: 0, from: 0, to: 0 },
    cur = 0,
    start = 0;
  p.samples.forEach((id, i) => {
    if (byId.get(id)!.callFrame.functionName === '(idle)') {
      if (cur > best.ms) best = { ms: cur, from: start, to: i };
      cur = 0;
      start = i + 1;
    } else cur += (p.timeDeltas[i] ?? 0) / 1000;
  });
  if (cur > best.ms) best = { ms: cur, from: start, to: p.samples.length };
  return { top: tally(0, p.samples.length), longest: { ms: best.ms, top: tally(best.from, best.to) } };
}
