// Entry of test/reliability/soak.mjs (run with --expose-gc --import tsx).
import { runSoak } from './soakCore';
import { checkSoak } from './soakCheck';

void (async () => {
  const hours = Number(process.argv[2] ?? 24);
  const r = await runSoak(hours, (s) => console.log(s));
  console.log(JSON.stringify({ ...r, samples: undefined }, null, 2));
  const problems = checkSoak(r);
  for (const p of problems) console.error(`FAIL: ${p}`);
  process.exit(problems.length ? 1 : 0);
})();
