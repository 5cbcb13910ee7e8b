// End-to-end (issue 16 evidence), in the real workbench on a copy of the fixture workspace: the metric named on the
// chart's axis and in the status bar (whose tooltip says which metric and why); Shift+drag pans the chart (the
// window moves, its size stays); the exported PNG carries a title, the selected run's law and parameters, and a
// legend, and is saved where the save dialog says; smoothing at 0.93 keeps a 20-point curve on its data. What the canvas painted is read from the test probe's data-*
// attributes (webview/testProbe.ts): a canvas has no DOM.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import {
  mkdtempSync,
  cpSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
  utimesSync,
  renameSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { sleep, until, dashboardFrame as frameOf, runCommand as runCommandIn } from './util.mjs';
import { REPO, startCodeServer, launchBrowser, workbenchUrl, remoteUri } from '../harness/codeServer.mjs';

const OUT = path.join(REPO, 'test-results');
mkdirSync(OUT, { recursive: true });
let server, browser, page, workspace, frame;

const runCommand = (title) => runCommandIn(page, title);

before(async () => {
  workspace = mkdtempSync(path.join(tmpdir(), 'scaling-lens-e2e16-'));
  cpSync(path.join(REPO, 'test', 'fixtures', 'workspace'), workspace, { recursive: true });
  server = await startCodeServer({
    settings: { 'scalingLens.liveTimeoutSeconds': 600, 'workbench.colorTheme': 'Default Dark Modern' },
  });
  browser = await launchBrowser();
  page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
  const payload = [
    ['extensionDevelopmentPath', remoteUri(server, REPO)],
    ['skipWelcome', 'true'],
  ];
  await page.goto(workbenchUrl(server, workspace, payload));
  await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
  await sleep(3000);
  await runCommand('Scaling Lens: Open Dashboard');
  frame = await until(() => frameOf(page), 60_000, 'the dashboard webview');
  await until(async () => (await frame.locator('#chart-runs[data-drawn="true"]').count()) > 0, 60_000, 'a drawn chart');
});

after(async () => {
  await browser?.close().catch(() => {});
  await server?.stop();
  if (workspace) rmSync(workspace, { recursive: true, force: true });
});

const attr = async (sel, name) => (await frame.locator(sel).first().getAttribute(name)) ?? '';

test('the metric is named on the chart axis and in the status bar, whose tooltip says which metric and why', async () => {
  const yTitle = await until(() => attr('#chart-runs', 'data-y-title'), 30_000, 'the y-axis title');
  assert.match(yTitle, /^(train|val)\/loss$/, yTitle);
  // The status bar names the live run's metric as the forecast line does: "loss …" / "val loss …".
  const word = yTitle.replace(/^train\//, '').replace(/^val\//, 'val ');
  const item = page
    .locator('.statusbar-item')
    .filter({ hasText: new RegExp(`^\\W*${word} \\d`) })
    .first();
  await item.waitFor({ timeout: 60_000 });
  const text = await item.innerText();
  assert.match(text, new RegExp(`${word} \\d\\.\\d+`), text);
  const tip = await until(
    async () => {
      await item.hover();
      await sleep(800);
      const h = page.locator('.monaco-hover:visible, .workbench-hover:visible');
      const t = (await h.count()) ? await h.first().innerText() : '';
      return /Metric: /.test(t) ? t : '';
    },
    30_000,
    'the status bar tooltip',
  );
  assert.match(tip, new RegExp(`Metric: ${yTitle.replace('/', '\\/')} \\(`), tip);
  await page.mouse.move(10, 500);
});

test('Shift+drag pans the chart: the window moves and keeps its size; Reset zoom undoes it', async () => {
  const c = frame.locator('#chart-runs');
  const box = await c.boundingBox();
  const reset = frame.locator('#reset-zoom');
  // Zoom in once with the wheel, so there is a window to pan (and its size is known).
  await page.mouse.move(box.x + box.width * 0.5, box.y + box.height * 0.5);
  await page.mouse.wheel(0, -400);
  const v0 = JSON.parse(await until(() => attr('#chart-runs', 'data-view'), 10_000, 'a zoomed window'));
  // Shift+drag to the left by a quarter of the chart.
  const y = box.y + box.height * 0.5,
    x0 = box.x + box.width * 0.6;
  await page.keyboard.down('Shift');
  await page.mouse.move(x0, y);
  await page.mouse.down();
  for (let k = 1; k <= 10; k++) {
    await page.mouse.move(x0 - (box.width / 4) * (k / 10), y);
    await sleep(20);
  }
  await page.mouse.up();
  await page.keyboard.up('Shift');
  const v1 = JSON.parse(
    await until(
      async () => {
        const v = await attr('#chart-runs', 'data-view');
        return v && v !== JSON.stringify(v0) ? v : '';
      },
      10_000,
      'the window moved',
    ),
  );
  await page.screenshot({ path: path.join(OUT, 'e2e-pan.png') });
  const w0 = v0.x[1] - v0.x[0],
    w1 = v1.x[1] - v1.x[0];
  assert.ok(
    Math.abs(w1 - w0) <= 0.01 * w0,
    `a pan keeps the window's width: ${JSON.stringify(v0)} → ${JSON.stringify(v1)}`,
  );
  assert.ok(
    v1.x[0] > v0.x[0] + 0.05 * w0,
    `dragging left shows later steps: ${JSON.stringify(v0)} → ${JSON.stringify(v1)}`,
  );
  await reset.click();
  await until(async () => reset.evaluate((e) => e.hasAttribute('disabled')), 10_000, 'Reset zoom disabled');
  assert.equal(await c.getAttribute('data-view'), null);
});

test('the exported PNG carries a title, the law and its parameters, and a legend, and is saved as asked', async () => {
  // Select a finished sweep run and wait for its fit (the law and parameters come from it; the fixture's live run
  // is too short for an identifiable forecast).
  const row = frame.locator('.run-row', { hasText: /gpt-20M-20tpp/ }).first();
  await until(
    async () => {
      if ((await row.getAttribute('aria-selected')) === 'true') return true;
      await row.click();
      await sleep(500);
      return false;
    },
    20_000,
    'the run selected',
  );
  await frame.locator('vscode-tab-header.tab-fit').click();
  await until(
    async () => (await frame.locator('#curve-fit .formula.rendered .katex').count()) >= 1,
    90_000,
    "the selected run's fitted law",
  ).catch(async (e) => {
    await page.screenshot({ path: path.join(OUT, 'e2e-export-failed.png') });
    throw new Error(`${e.message}; fit details: ${await frame.locator('#curve-fit').innerText()}`);
  });
  await frame.locator('vscode-tab-header.tab-runs').click();
  await sleep(500);
  await frame.locator('#export-png').click();
  const spec = JSON.parse(await until(() => attr('#export-png', 'data-export-text'), 10_000, 'the export'));
  // What compose() painted, in order: the title first, then the law and parameters, the legend last.
  const p = spec.painted;
  assert.match(p[0] ?? '', /^Learning curves: .*loss.* vs /, JSON.stringify(p));
  const law = p.findIndex((l) => /^gpt-20M-20tpp: .+ = .+/.test(l));
  const params = p.findIndex((l) => /^Parameters: .+=/.test(l));
  assert.ok(law > 0 && params > law, `a law line, then its parameters: ${JSON.stringify(p)}`);
  assert.equal(
    p[p.length - 1],
    'fitted curve (dashed)',
    `the legend ends with the fitted curve's entry: ${JSON.stringify(p)}`,
  );
  // After the law lines: a legend entry per drawn run, then the fitted curve's.
  const drawn = Number(await attr('#chart-runs', 'data-runs'));
  assert.ok(
    drawn >= 2 && p.length - (params + 1) >= drawn + 1,
    `${drawn} runs drawn, legend ${JSON.stringify(p.slice(params + 1))}`,
  );
  // The save dialog (the workbench's own, a quick input with the path filled in): accept it.
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible', timeout: 15_000 });
  await sleep(500);
  await page.keyboard.press('Enter');
  const file = await until(
    () => readdirSync(workspace).find((f) => /^scaling-lens.*\.png$/.test(f)),
    20_000,
    'the saved PNG',
  );
  const png = readFileSync(path.join(workspace, file));
  assert.equal(png.subarray(1, 4).toString('latin1'), 'PNG');
  // IHDR: the saved image is the composed one (title, lines, chart, legend), not the bare chart canvas.
  assert.equal(png.readUInt32BE(16), spec.width);
  assert.equal(png.readUInt32BE(20), spec.height);
  const chartH = await frame.locator('#chart-runs').evaluate((e) => e.height);
  assert.ok(spec.height > chartH, `${spec.height} px high, the chart alone ${chartH}`);
  await page.screenshot({ path: path.join(OUT, 'e2e-export.png') });
});

test('smoothing at 0.93 keeps a 20-point curve on its data; a long series keeps the chosen weight', async () => {
  const short = path.join(workspace, 'short-eval', 'train.log');
  const long = path.join(workspace, 'long-run', 'train.log');
  mkdirSync(path.dirname(short));
  mkdirSync(path.dirname(long));
  // A falling curve with a little alternating noise: 20 points, and 300.
  const lines = (n) =>
    Array.from(
      { length: n },
      (_, i) =>
        `iter ${i}: loss ${(3 + (1 - i / (n - 1)) + 0.02 * (i % 2 ? 1 : -1)).toFixed(4)}, time 100.00ms, mfu 30.00%`,
    ).join('\n') + '\n';
  writeFileSync(short, lines(20));
  writeFileSync(long, lines(300));
  await frame.locator('#smoothing').evaluate((e) => {
    e.value = '0.93';
    e.dispatchEvent(new Event('input', { bubbles: true }));
  });
  const probe = () => attr('#chart-runs', 'data-smoothed').then((v) => JSON.parse(v || '{}'));
  const got = await until(
    async () => {
      const p = Object.values(await probe());
      const s = p.find((q) => q.n === 20),
        l = p.find((q) => q.n === 300);
      return s && l && s.w > 0 ? { s, l } : undefined;
    },
    60_000,
    'both new runs drawn smoothed',
  );
  await page.screenshot({ path: path.join(OUT, 'e2e-smoothing.png') });
  // The EMA window is capped at a tenth of a short series: weight ≤ 1 − 1/2 for 20 points.
  assert.ok(got.s.w <= 0.5 + 1e-9, `weight ${got.s.w} on 20 points`);
  // Uncapped, the debiased EMA at 0.93 would stray about 40 % of this curve's range from its data; capped, ~7 %.
  assert.ok(
    got.s.off < 0.15,
    `the smoothed 20-point curve strays ${(got.s.off * 100).toFixed(1)} % of its range from its data`,
  );
  assert.equal(got.l.w, 0.93);
  await frame.locator('#smoothing').evaluate((e) => {
    e.value = '0';
    e.dispatchEvent(new Event('input', { bubbles: true }));
  });
});

test('sweep fit details: a parameter whose interval spans orders of magnitude is warned about, intervals as [lo, hi]', async () => {
  // Ten finished runs (two compute budgets × five sizes) whose data term is nearly flat in D: E is not pinned down.
  const old = new Date(Date.now() - 86_400_000);
  for (const C of [1e17, 1e18]) {
    for (const N of [5e6, 1e7, 2e7, 4e7, 8e7]) {
      const tpi = Math.round(C / (6 * N) / 99);
      let text = `number of parameters: ${(N / 1e6).toFixed(2)}M\ntokens per iteration will be: ${tpi.toLocaleString('en-US')}\n`;
      for (let i = 0; i < 100; i++)
        text += `iter ${i}: loss ${(1.8 + 2e3 / N ** 0.5 + 30 / (tpi * Math.max(i, 1)) ** 0.12).toFixed(4)}, time 100.00ms, mfu 30.00%\n`;
      const f = path.join(workspace, 'unidentified', `n${N / 1e6}M-c${Math.log10(C)}`, 'train.log');
      mkdirSync(path.dirname(f), { recursive: true });
      writeFileSync(`${f}.writing`, text);
      utimesSync(`${f}.writing`, old, old);
      renameSync(`${f}.writing`, f);
    }
  }
  // The Chinchilla law (its five parameters are where identifiability bites), chosen as a user would.
  // Retried: once in a clean-clone CI run the law picker was inert, then gone, while the workbench was busy (a
  // dialog of the export test before it closing, or focus taken): the picker is opened again rather than waited on.
  for (let attempt = 1; ; attempt++) {
    await runCommand('Scaling Lens: Fit Scaling Law');
    try {
      await page.locator('.quick-input-widget input').fill('Chinchilla L(N, D)', { timeout: 10_000 });
      await page
        .locator('.quick-input-list .monaco-list-row')
        .filter({ hasText: 'Chinchilla L(N, D)' })
        .first()
        .waitFor({ timeout: 15_000 });
      break;
    } catch (e) {
      if (attempt >= 3) throw e;
      await page.keyboard.press('Escape');
      await sleep(1000);
    }
  }
  await page.keyboard.press('Enter');
  await frame.locator('vscode-tab-header.tab-fit').click();
  const box = frame.locator('#sweep-fit');
  const text = await until(
    async () => {
      const t = await box.innerText();
      return /not identified by these points/.test(t) ? t : '';
    },
    120_000,
    'the identifiability warning in the sweep fit details',
  ).catch(async (e) => {
    await page.screenshot({ path: path.join(OUT, 'e2e-unidentified-failed.png') });
    throw new Error(`${e.message}: ${await box.innerText()}`);
  });
  await page.screenshot({ path: path.join(OUT, 'e2e-unidentified.png') });
  const m =
    /(\S+) = \S+ in \[([^\]]+), ([^\]]+)\]: not identified by these points \(the interval spans (\d+) orders of magnitude\)/.exec(
      text,
    );
  assert.ok(m, text);
  assert.equal(Number(m[4]), Math.round(Math.log10(Number(m[3]) / Number(m[2]))), m[0]);
  assert.ok(Number(m[4]) >= 2, m[0]);
  // The parameter table writes every interval as [lo, hi], never ±.
  const ivs = await box.locator('table.params td.muted').allInnerTexts();
  assert.ok(ivs.length >= 3 && ivs.every((t) => /^\[.+, .+\]$/.test(t)), JSON.stringify(ivs));
  assert.ok(!/±/.test(ivs.join(' ')));
  await frame.locator('vscode-tab-header.tab-runs').click();
});
