/**
 * Sweep backtest (issue 12, item 4): in every family (sweep) with ≥ 3 curves, hide the last run (the largest
 * model when sizes are known, else the last listed), cut it at 10/30/50 %, and forecast its final loss from its
 * own curve alone and combined with the sweep prior from the other runs (src/fit/curve/sweepPrior.ts).
 */
import type { Curve } from '../test/unit/fit/corpus';
import { fitCurve, predictCurve } from '../src/fit/curve/fitCurve';
import { combineWithSweep, sweepRatioPrior } from '../src/fit/curve/sweepPrior';

export interface SweepRow {
  family: string;
  live: string;
  cut: number;
  siblings: number;
  ownErr: number;
  sweepErr: number;
  ownHalf: number;
  sweepHalf: number;
  ownIn: boolean;
  sweepIn: boolean;
}

export function sweepRows(curves: Curve[]): SweepRow[] {
  const fams = new Map<string, Curve[]>();
  for (const c of curves) {
    if (!fams.has(c.family)) fams.set(c.family, []);
    fams.get(c.family)!.push(c);
  }
  const rows: SweepRow[] = [];
  for (const [family, cs] of fams) {
    if (cs.length < 3) continue;
    const live = cs.every((c) => c.size) ? [...cs].sort((a, b) => a.size! - b.size!)[cs.length - 1] : cs[cs.length - 1];
    const sibs = cs.filter((c) => c !== live).map((c) => ({ id: c.id, x: c.x, y: c.y }));
    const X = live.x[live.x.length - 1],
      Y = live.y[live.y.length - 1];
    for (const cut of [0.1, 0.3, 0.5]) {
      const idx = live.x.map((_, i) => i).filter((i) => live.x[i] <= cut * X);
      if (idx.length < 4) continue;
      const f = fitCurve(
        idx.map((i) => live.x[i]),
        idx.map((i) => live.y[i]),
      );
      if (!f.ok) continue;
      const own = predictCurve(f, [X], { scenario: 'unknown' })[0];
      const anchor = predictCurve(f, [f.xRange[1]])[0];
      const prior = sweepRatioPrior(f.xRange[1] / X, sibs);
      const comb = prior ? combineWithSweep(own, anchor, prior, 0.95) : null;
      const use = comb ?? own;
      rows.push({
        family,
        live: live.id,
        cut,
        siblings: prior?.used.length ?? 0,
        ownErr: Math.abs(own.value / Y - 1),
        sweepErr: Math.abs(use.value / Y - 1),
        ownHalf: Math.log(own.upper / own.lower) / 2,
        sweepHalf: Math.log(use.upper / use.lower) / 2,
        ownIn: own.lower <= Y && Y <= own.upper,
        sweepIn: use.lower <= Y && Y <= use.upper,
      });
    }
  }
  return rows;
}

const med = (a: number[]) => {
  const s = [...a].sort((u, v) => u - v);
  return s.length ? (s.length % 2 ? s[s.length >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2) : NaN;
};
const pct = (v: number) => (Number.isFinite(v) ? `${(v * 100).toFixed(2)} %` : '—');

export function sweepBacktest(curves: Curve[], name: string): SweepRow[] {
  const rows = sweepRows(curves);
  console.log(
    `\n## sweep prior, ${name}: last run of each sweep hidden (${new Set(rows.map((r) => r.family)).size} sweeps)`,
  );
  console.log(
    '| cut | forecasts | median error, own curve | with sweep prior | coverage own | with sweep prior | median band half-width own | with sweep prior |',
  );
  console.log('|---|---|---|---|---|---|---|---|');
  for (const cut of [0.1, 0.3, 0.5]) {
    const rs = rows.filter((r) => r.cut === cut);
    if (!rs.length) continue;
    console.log(
      `| ${cut * 100} % | ${rs.length} | ${pct(med(rs.map((r) => r.ownErr)))} | ${pct(med(rs.map((r) => r.sweepErr)))} | ${rs.filter((r) => r.ownIn).length}/${rs.length} | ${rs.filter((r) => r.sweepIn).length}/${rs.length} | ${pct(med(rs.map((r) => r.ownHalf)))} | ${pct(med(rs.map((r) => r.sweepHalf)))} |`,
    );
  }
  if (process.argv.includes('--verbose'))
    for (const r of rows)
      console.log(
        `  ${r.family} ${r.live}@${r.cut}: ${r.siblings} siblings, error ${pct(r.ownErr)} → ${pct(r.sweepErr)}, half-width ${pct(r.ownHalf)} → ${pct(r.sweepHalf)}`,
      );
  return rows;
}
