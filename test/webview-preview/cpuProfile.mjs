// Reading a DevTools CPU profile (Profiler.stop over CDP) for the webview probes (perf.mjs, manyRunsArrive.mjs).

/** Time per sample node, in µs. */
export function sampleTimes(profile) {
  const dt = new Map();
  for (let k = 0; k < profile.samples.length; k++)
    dt.set(profile.samples[k], (dt.get(profile.samples[k]) ?? 0) + (profile.timeDeltas[k] ?? 0));
  return dt;
}

/** Self time per function (`name file:line`, summed over the profile's nodes), the `n` largest, in µs. */
export function topSelfTime(profile, n) {
  const dt = sampleTimes(profile),
    self = new Map();
  for (const nd of profile.nodes) {
    const f = nd.callFrame,
      key = `${f.functionName || '(anonymous)'} ${f.url.split('/').pop()}:${f.lineNumber + 1}`;
    self.set(key, (self.get(key) ?? 0) + (dt.get(nd.id) ?? 0));
  }
  return [...self].sort((a, b) => b[1] - a[1]).slice(0, n);
}
