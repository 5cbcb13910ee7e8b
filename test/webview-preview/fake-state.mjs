// Synthetic but realistic dashboard state for the preview harness: a Chinchilla-shaped sweep of GPT-style runs
// (one live), learning-curve fits with widening prediction bands, a sweep fit with frontier and IsoFLOP curves.
// Deterministic (seeded), so screenshots are comparable between runs.

const E = 1.69,
  A = 406.4,
  B = 410.7,
  ALPHA = 0.34,
  BETA = 0.28;
const TOKENS_PER_STEP = 0.5e6;
export const loss = (N, D) => E + A / N ** ALPHA + B / D ** BETA;

function rng(seed) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}
function gauss(r) {
  return Math.sqrt(-2 * Math.log(r() + 1e-12)) * Math.cos(2 * Math.PI * r());
}

const RUNS = [
  { id: 'run-20m', label: 'gpt-20M', params: 20e6, total: 20000, last: 20000, state: 'finished' },
  { id: 'run-45m', label: 'gpt-45M', params: 45e6, total: 20000, last: 20000, state: 'finished' },
  {
    id: 'run-85m',
    label: 'gpt-85M <b>lr=6e-4</b>',
    params: 85e6,
    total: 20000,
    last: 20000,
    state: 'finished',
    excluded: true,
  },
  { id: 'run-124m', label: 'gpt-124M', params: 124e6, total: 24000, last: 12000, state: 'live' },
  { id: 'run-350m', label: 'gpt-350M', params: 350e6, total: 20000, last: 20000, state: 'finished' },
  { id: 'run-760m', label: 'gpt-760M (resumed)', params: 760e6, total: 20000, last: 9000, state: 'stale' },
];
export const LIVE_RUN = 'run-124m';
export const METRIC = 'val/loss';
const EVERY = 10;

function curveValue(params, step, r) {
  const v = Math.min(10.9, loss(params, Math.max(1, step) * TOKENS_PER_STEP));
  return v * (1 + 0.012 * gauss(r) * (1 + 200 / (step + 50)));
}

/** Points of a run between two steps (exclusive start), every EVERY steps. */
export function makePoints(runId, fromStep, count, seed = 7) {
  const run = RUNS.find((r) => r.id === runId);
  const r = rng(seed + fromStep);
  const step = [],
    tokens = [],
    time = [],
    y = [];
  for (let k = 1; k <= count; k++) {
    const s = fromStep + k * EVERY;
    step.push(s);
    tokens.push(s * TOKENS_PER_STEP);
    time.push(1.7e9 + s * 0.3 * (run.params / 124e6) ** 0.7);
    y.push(curveValue(run.params, s, r));
  }
  return { type: 'points', runId, metric: METRIC, step, tokens, time, y };
}

function band(run, lastStep) {
  const x = [],
    y = [],
    lower = [],
    upper = [];
  for (let k = 0; k <= 80; k++) {
    const s = Math.round(200 * (run.total / 200) ** (k / 80));
    const v = loss(run.params, s * TOKENS_PER_STEP);
    const past = Math.max(0, (s - lastStep) / lastStep);
    const w = 0.006 + 0.05 * past + (0.02 * 200) / s;
    x.push(s);
    y.push(v);
    lower.push(v - w);
    upper.push(v + w);
  }
  return { x, y, lower, upper };
}

export function makeState() {
  const runs = [],
    series = [],
    curveFits = [];
  RUNS.forEach((run, i) => {
    const pts = makePoints(run.id, 0, run.last / EVERY, 11 + i);
    series.push({ runId: run.id, metric: METRIC, step: pts.step, tokens: pts.tokens, time: pts.time, y: pts.y });
    const trainPts = makePoints(run.id, 0, run.last / EVERY, 101 + i);
    series.push({
      runId: run.id,
      metric: 'train/loss',
      step: trainPts.step,
      tokens: trainPts.tokens,
      y: trainPts.y.map((v) => v * 0.985),
    });
    const end = loss(run.params, run.total * TOKENS_PER_STEP);
    const w = run.last < run.total ? 0.004 + (0.05 * (run.total - run.last)) / run.last : 0.004;
    const forecast = {
      metric: METRIC,
      atStep: run.total,
      value: end,
      lower: end - w,
      upper: end + w,
      law: 'power3',
      lawName: 'Power law + offset',
      stepToTarget: null,
      etaSeconds: run.state === 'live' ? 3 * 3600 + 420 : null,
      method: 'model average: pow3 50 %, mmf 50 % (equal weights: the laws within 2× the best held-out error)',
      schedule: 'continuation as logged (planned total steps unknown)',
    };
    runs.push({
      id: run.id,
      label: run.label,
      relPath: `runs/${run.id}/train.log`,
      group: 'runs',
      format: 'nanogpt',
      params: run.params,
      paramsSource: 'log header',
      tokens: run.last * TOKENS_PER_STEP,
      lastStep: pts.step.at(-1),
      lastValue: pts.y.at(-1),
      totalSteps: run.total,
      metric: METRIC,
      state: run.state,
      excluded: !!run.excluded,
      metrics: ['train/loss', METRIC],
      forecast,
      problems: run.id === 'run-760m' ? 2 : 0,
    });
    curveFits.push({
      runId: run.id,
      metric: METRIC,
      ok: true,
      law: 'power3',
      lawName: 'Power law + offset',
      latex: 'L(t) = E + A\\,t^{-\\alpha}',
      params: [
        { name: 'E', value: end - 0.05, lower: end - 0.09, upper: end - 0.02 },
        { name: 'A', value: 31.2, lower: 27.5, upper: 35.8 },
        { name: 'alpha', value: 0.412, lower: 0.386, upper: 0.441 },
      ],
      band: band(run, run.last),
      end: forecast,
      backtestError: 0.0071,
      schedule: forecast.schedule,
      method: forecast.method,
      explanation:
        'Chosen by the lowest error when fitting the first 70% of the run and predicting the rest (power law 0.0071, exponential 0.0213, log-linear 0.0402).',
      warnings:
        run.state === 'live'
          ? [
              'Only 50% of the planned steps are logged: the interval at step 24k is wide and assumes the learning-rate schedule does not change.',
            ]
          : [],
    });
  });
  curveFits.push({
    runId: 'run-760m',
    metric: 'train/loss',
    ok: false,
    reason: 'not enough points after the restart: 3 < 4 parameters',
  });

  // Sweep: finished runs plus extra (N, D) points so the fit has two token budgets per size.
  const points = [];
  for (const run of RUNS) {
    for (const D of [2e9, 10e9]) {
      const l = loss(run.params, D) * (1 + 0.004 * Math.sin(run.params + D));
      points.push({
        runId: run.id,
        label: `${run.label} @ ${D / 1e9}B tokens`,
        N: run.params,
        D,
        C: 6 * run.params * D,
        loss: l,
        excluded: !!run.excluded,
      });
    }
  }
  const a = BETA / (ALPHA + BETA),
    b = ALPHA / (ALPHA + BETA);
  const G = ((ALPHA * A) / (BETA * B)) ** (1 / (ALPHA + BETA));
  const nOpt = (C) => G * (C / 6) ** a;
  const frontier = { C: [], loss: [], N: [], D: [] };
  for (let k = 0; k <= 60; k++) {
    const C = 1e17 * 10 ** (k / 10);
    const N = nOpt(C),
      D = C / (6 * N);
    frontier.C.push(C);
    frontier.N.push(N);
    frontier.D.push(D);
    frontier.loss.push(loss(N, D));
  }
  const isoflops = [1e18, 1e19, 1e20, 1e21].map((C) => {
    const N = [],
      l = [];
    for (let k = 0; k <= 40; k++) {
      const n = nOpt(C) * 10 ** (-1.2 + (2.4 * k) / 40);
      N.push(n);
      l.push(loss(n, C / (6 * n)));
    }
    return { C, N, loss: l };
  });
  const sweepFit = {
    ok: true,
    law: 'chinchilla',
    lawName: 'Chinchilla (Hoffmann et al. 2022, approach 3)',
    latex: 'L(N, D) = E + \\frac{A}{N^{\\alpha}} + \\frac{B}{D^{\\beta}}',
    params: [
      { name: 'E', value: 1.69, lower: 1.61, upper: 1.77 },
      { name: 'A', value: 406.4, lower: 288.1, upper: 571.0 },
      { name: 'B', value: 410.7, lower: 301.9, upper: 602.3 },
      { name: 'alpha', value: 0.34, lower: 0.31, upper: 0.37 },
      { name: 'beta', value: 0.28, lower: 0.24, upper: 0.33 },
    ],
    objective: 0.00213,
    n: points.filter((p) => !p.excluded).length,
    points,
    frontier,
    isoflops,
    exponents: { a, b, aInterval: [a - 0.04, a + 0.04] },
    explanation:
      'Chinchilla form fitted with a Huber loss (δ = 1e-3) on log-loss from a grid of starting points; intervals are 95% from 200 bootstrap refits over runs.',
    warnings: [
      'E and B are strongly correlated (ρ = 0.93): the data barely constrain the irreducible loss. Add longer runs to pin it down.',
    ],
  };
  const laws = [
    { id: 'auto', name: 'Auto (lowest held-out error)', scope: 'curve' },
    { id: 'power3', name: 'Power law + offset', scope: 'curve' },
    { id: 'power4', name: 'Broken power law', scope: 'curve' },
    { id: 'exp', name: 'Exponential decay', scope: 'curve' },
    { id: 'chinchilla', name: 'Chinchilla L(N, D)', scope: 'sweep' },
    { id: 'kaplan', name: 'Kaplan L(N, D)', scope: 'sweep' },
    { id: 'power-n', name: 'Power law in N', scope: 'sweep' },
  ];
  return {
    runs,
    series,
    curveFits,
    sweepFit,
    laws,
    targetLoss: 2.9,
    options: {
      xAxis: 'step',
      logX: false,
      logY: false,
      smoothing: 0,
      metric: 'auto',
      tab: 'runs',
      selectedRun: LIVE_RUN,
      curveLaw: 'auto',
      sweepLaw: 'chinchilla',
    },
    status: 'Watching 6 logs in 1 folder · fits up to date (12:04:31)',
  };
}

/**
 * A workspace of `n` runs (default 120) in four folders, for the chart at scale: a pretraining size sweep and LR
 * ablations (val/loss ≈ 2.5–4), GLUE-style fine-tunes (val/loss ≈ 0.3–0.6: same metric, another level), and detection
 * runs logging another metric (train/box_loss). The host charts at most 30 (CHART_MAX), as the real one does.
 */
export function makeManyState(n = 120) {
  const base = makeState();
  const groups = [
    {
      group: 'sweeps/chinchilla',
      share: 0.34,
      metric: 'val/loss',
      level: (i, k) => loss(10e6 * 200 ** (i / Math.max(1, k - 1)), 20e9),
      params: (i, k) => 10e6 * 200 ** (i / Math.max(1, k - 1)),
      label: (i, p) => `gpt-${Math.round(p / 1e6)}M`,
    },
    {
      group: 'ablations/lr',
      share: 0.25,
      metric: 'val/loss',
      level: (i) => 3.05 + 0.02 * i,
      params: () => 124e6,
      label: (i) => `gpt-124M lr=${(1e-4 * 1.25 ** i).toExponential(1)}`,
    },
    {
      group: 'finetune/glue',
      share: 0.25,
      metric: 'val/loss',
      level: (i) => 0.3 + 0.01 * i,
      params: (i) => [110e6, 340e6][i % 2],
      label: (i) =>
        `${['bert-base', 'bert-large'][i % 2]} ${['mnli', 'qqp', 'sst2', 'cola', 'rte', 'mrpc'][i % 6]} seed${i}`,
    },
    {
      group: 'detection/yolo',
      share: 0.16,
      metric: 'train/box_loss',
      level: (i) => 0.045 + 0.001 * i,
      params: (i) => [3e6, 11e6, 26e6, 44e6][i % 4],
      label: (i) => `yolov8${'nsml'[i % 4]}-coco-${i}`,
    },
  ];
  const runs = [],
    series = [],
    curveFits = [];
  let left = n;
  groups.forEach((g, gi) => {
    const k = gi === groups.length - 1 ? left : Math.round(n * g.share);
    left -= k;
    const r = rng(1000 + gi);
    for (let i = 0; i < k; i++) {
      const id = `${g.group.replace('/', '-')}-${i}`;
      const params = g.params(i, k);
      const end = g.level(i, k);
      const total = 3000,
        count = 150;
      const step = [],
        y = [],
        tokens = [];
      for (let j = 1; j <= count; j++) {
        const s = j * (total / count);
        step.push(s);
        tokens.push(s * TOKENS_PER_STEP);
        y.push(end * (1 + (2.2 * (s / total) ** -0.45) / 12) * (1 + 0.01 * gauss(r)));
      }
      series.push({ runId: id, metric: g.metric, step, tokens, y });
      runs.push({
        id,
        label: g.label(i, params),
        relPath: `${g.group}/${id}/log.txt`,
        group: g.group,
        format: 'jsonl',
        params,
        paramsSource: 'config',
        tokens: total * TOKENS_PER_STEP,
        lastStep: total,
        lastValue: y.at(-1),
        totalSteps: total,
        metric: g.metric,
        state: 'finished',
        excluded: false,
        metrics: [g.metric],
        problems: 0,
      });
    }
  });
  // What the host charts: the selected run and the most recent ones, 30 at most, from every folder.
  const charted = [];
  for (let i = 0; charted.length < Math.min(30, runs.length); i++) {
    for (const g of groups) {
      const id = `${g.group.replace('/', '-')}-${i * 3}`;
      if (runs.some((x) => x.id === id) && charted.length < 30 && !charted.includes(id)) charted.push(id);
    }
    if (i > n) break;
  }
  const selected = charted[0];
  const s0 = series.find((x) => x.runId === selected);
  const last = s0.y.at(-1);
  curveFits.push({
    runId: selected,
    metric: s0.metric,
    ok: true,
    law: 'power3',
    lawName: 'Power law + offset',
    latex: 'L(t) = E + A\\,t^{-\\alpha}',
    params: [
      { name: 'E', value: last * 0.97, lower: last * 0.95, upper: last * 0.99 },
      { name: 'A', value: 3.1, lower: 2.5, upper: 3.9 },
      { name: 'alpha', value: 0.45, lower: 0.41, upper: 0.5 },
    ],
    band: {
      x: [200, 1000, 3000, 6000],
      y: [last * 1.2, last * 1.05, last, last * 0.98],
      lower: [last * 1.18, last * 1.04, last * 0.99, last * 0.95],
      upper: [last * 1.22, last * 1.06, last * 1.01, last * 1.01],
    },
    end: {
      metric: s0.metric,
      atStep: 6000,
      value: last * 0.98,
      lower: last * 0.95,
      upper: last * 1.01,
      law: 'power3',
      lawName: 'Power law + offset',
    },
  });
  const sweepRuns = runs.filter((x) => x.group === 'sweeps/chinchilla');
  const points = sweepRuns.map((x) => ({
    runId: x.id,
    label: x.label,
    N: x.params,
    D: 20e9,
    C: 6 * x.params * 20e9,
    loss: x.lastValue,
  }));
  return {
    ...base,
    runs,
    series: series.filter((x) => charted.includes(x.runId)),
    curveFits,
    charted,
    sweepFit: { ...base.sweepFit, points, n: points.length },
    options: { ...base.options, selectedRun: selected },
    status: `Watching ${n} logs in 4 folders · fits up to date`,
  };
}
