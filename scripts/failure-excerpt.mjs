// What `npm test` reprints at the end for a failed tier: CI shows only the tail of a long log, so the
// failing tests' names and messages must be there, not thousands of lines above.
const ESLINT = /^\s*\d+:\d+\s+error\s/;

/** The part of a failed tier's output that says what failed, at most `max` lines. */
export function failureExcerpt(out, max = 60) {
  const lines = out.replace(/\x1b\[[0-9;]*m/g, '').split('\n');
  const from = (re) => {
    const i = lines.findIndex((l) => re.test(l));
    return i < 0 ? null : lines.slice(i);
  };
  const picked =
    from(/^\s*\d+ failing/) ?? // mocha: the numbered failures follow the count
    from(/^✖ failing tests:/) ?? // node:test
    (lines.some((l) => /error TS\d+/.test(l)) ? lines.filter((l) => /error TS\d+/.test(l)) : null) ?? // tsc
    (lines.some((l) => ESLINT.test(l)) ? lines.filter((l) => ESLINT.test(l) || /^\/\S+$/.test(l)) : null) ?? // eslint: file, then its errors
    lines.slice(-20);
  const kept = picked.filter((l) => !/^\s+at (?:async )?\S.*:\d+:\d+\)?$/.test(l) && l.trim() !== '');
  return kept.length > max
    ? [...kept.slice(0, max), `… ${kept.length - max} more lines above in this tier's output`]
    : kept;
}
