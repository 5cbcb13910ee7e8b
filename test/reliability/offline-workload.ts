// Child process of test/unit/reliability/security.test.ts (run with --require no-network-preload.cjs): parses
// every real log and fixture with the pure ingest modules, then fits learning curves and a sweep law through
// runFitJob (the worker's entry). Prints a marker, then makes deliberate network attempts so the parent can
// check that the preload really catches them.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parsePath } from '../../src/ingest/incremental';
import { runFitJob } from '../../src/model/fitJobs';

void (async () => {
  const roots = process.argv.slice(2);
  let runs = 0,
    points = 0,
    curveFits = 0,
    okFits = 0;
  const curves: { step: Float64Array; y: Float64Array }[] = [];
  for (const root of roots) {
    for (const e of fs.readdirSync(root, { withFileTypes: true })) {
      const r = await parsePath(path.join(root, e.name));
      for (const run of r.runs) {
        runs++;
        for (const s of Object.values(run.metrics)) points += s.step.length;
        const s = run.metrics['train/loss'] ?? run.metrics['val/loss'];
        if (s && s.step.length >= 20 && curves.length < 6) curves.push({ step: s.step, y: s.value });
      }
    }
  }
  for (const c of curves) {
    const res = runFitJob({
      kind: 'curve',
      runId: 'r',
      metric: 'train/loss',
      step: c.step,
      y: c.y,
      law: 'auto',
      confidence: 0.95,
    });
    curveFits++;
    if (res.kind === 'curve' && res.view.ok) okFits++;
  }
  const pts = [
    [20463264, 393216000, 4.6258],
    [44636672, 891289600, 3.9889],
    [84730176, 851968000, 3.8057],
    [158984448, 3179688960, 3.2486],
    [30e6, 6e8, 4.2],
    [120e6, 2.4e9, 3.4],
  ];
  const sweep = runFitJob({
    kind: 'sweep',
    points: pts.map(([N, D, loss]) => ({ N, D, C: 6 * N * D, loss })),
    law: 'chinchilla',
    confidence: 0.95,
    bootstrap: 20,
  });
  console.log(
    JSON.stringify({
      runs,
      points,
      curveFits,
      okFits,
      sweepOk: sweep.kind === 'sweep' && sweep.view.ok,
      sweepReason: sweep.kind === 'sweep' ? sweep.view.reason : undefined,
    }),
  );
  console.log('--- deliberate attempts ---');
  const attempts = (globalThis as { __slNetAttempts?: unknown[] }).__slNetAttempts ?? [];
  console.log(`before deliberate: ${attempts.length}`);
  (globalThis as { __slNetPhase?: string }).__slNetPhase = 'deliberate';
  try {
    await fetch('http://127.0.0.1:9/');
  } catch {
    /* blocked */
  }
  try {
    (await import('node:https')).request('https://example.invalid/');
  } catch {
    /* blocked */
  }
  try {
    (await import('node:net')).connect(9, '127.0.0.1');
  } catch {
    /* blocked */
  }
})();
