/**
 * Issue 16, "what must be true", the points runState.test.ts does not cover, in the real editor:
 *  - a live run is forecast at its planned end; a run with no planned end gets an assumed end that is stated;
 *  - the sweep fits while a log keeps growing (its maximum wait), finished runs are in it, and a run that stops
 *    growing enters it by itself (a state change refits the sweep);
 *  - `auto` uses train/loss for every sweep point when one of them lacks val/loss, and says so;
 *  - Problems: one spike is one event with its step range; many spikes are capped per file, with a line saying
 *    how many more; a binary (TensorBoard) log points to the record's byte offset.
 * Each scratch folder is removed at the end of its test, so the workspace's sweep is as the other suites expect.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { api, scratch, until, nanoLines, megatronLines, points, hoverText, sleep } from './util';
import type { SweepFitView } from '../../../src/protocol';
import type { MetricSwitch } from '../../../src/host/controller';
import { event, eventsFile, fileVersionEvent, simpleValue } from '../../unit/ingest/structured-tbencode';

/** Deterministic noise in [-1, 1) (an LCG), so the spike tests do not depend on a random seed. */
function noise(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 31 - 1;
  };
}

/** nanoGPT lines with noise (σ ≈ 0.02) on 2 + 8·(i+10)^-0.3, plus `bump(i)` (a spike where it is > 0). */
function noisyLines(n: number, bump: (i: number) => number, seed = 7): string {
  const r = noise(seed);
  let s = '';
  for (let i = 0; i < n; i++)
    s += `iter ${i}: loss ${(2 + 8 * (i + 10) ** -0.3 + 0.03 * r() + bump(i)).toFixed(4)}, time 100.00ms, mfu 30.00%\n`;
  return s;
}

async function diagnosticsOf(
  file: string,
  ok: (d: readonly vscode.Diagnostic[]) => boolean,
  what: string,
): Promise<readonly vscode.Diagnostic[]> {
  return until(
    () => {
      const d = vscode.languages
        .getDiagnostics(vscode.Uri.file(file))
        .filter((x) => x.source?.startsWith('Scaling Lens'));
      return ok(d) ? d : undefined;
    },
    60_000,
    what,
  );
}

const cleanup: string[] = [];
afterEach(() => {
  for (const d of cleanup.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

describe('issue 16: what each state shows, sweeps, one metric, Problems', () => {
  it('a live run is forecast at its planned end; a run with no planned end states the step it assumes', async function () {
    this.timeout(90_000);
    const a = await api();
    const dir = scratch('live-ends');
    cleanup.push(dir);
    const planned = path.join(dir, 'planned', 'train.out');
    const unknown = path.join(dir, 'unknown', 'train.log');
    fs.mkdirSync(path.dirname(planned));
    fs.mkdirSync(path.dirname(unknown));
    fs.writeFileSync(planned, megatronLines(10, 600, 3000));
    fs.writeFileSync(unknown, nanoLines(0, 300));
    await until(() => points(a, planned) === 60 && points(a, unknown) === 300, 40_000, 'both logs');
    // A file first read more than the live timeout after it was written is rightly not live (its mtime says so):
    // on a loaded machine the first scan can take that long, so the logs grow once more, as a live training does.
    fs.appendFileSync(planned, megatronLines(610, 610, 3000));
    fs.appendFileSync(unknown, nanoLines(300, 301));
    await until(() => points(a, planned) === 61 && points(a, unknown) === 301, 40_000, 'one more line in each log');
    const idP = a.controller.model.files.get(planned)!.runIds[0];
    const idU = a.controller.model.files.get(unknown)!.runIds[0];
    for (const id of [idP, idU])
      assert.equal(
        a.controller.model.state(a.controller.model.runs.get(id)!),
        'live',
        a.controller.model.stateInfo(a.controller.model.runs.get(id)!).reason,
      );
    const fp = await until(() => a.controller.forecast(idP), 60_000, 'the planned-end forecast');
    assert.equal(fp.atStep, 3000);
    assert.equal(fp.basis, 'planned end');
    assert.ok(!fp.hypothetical);
    // (a forecast of the log before its last line, at 2 x 299, may still be shown until the refit with it lands)
    const fu = await until(
      () => {
        const f = a.controller.forecast(idU);
        return f && f.atStep !== 598 ? f : undefined;
      },
      60_000,
      'the assumed-end forecast of the grown log',
    );
    assert.equal(fu.atStep, 600);
    assert.match(fu.basis ?? '', /^assumed end: step 600 = 2× the last step \(no planned end logged\)$/);
    // The hover says it too (not a silent 2×).
    const doc = await vscode.workspace.openTextDocument(unknown);
    const text = hoverText(
      await vscode.commands.executeCommand<vscode.Hover[]>(
        'vscode.executeHoverProvider',
        doc.uri,
        new vscode.Position(150, 3),
      ),
    );
    assert.match(text, /Predicted\*\* train\/loss at step 600 \(assumed end: step 600 = 2× the last step/, text);
  });

  it('the sweep fits while a log keeps growing (maximum wait), with the finished runs in it', async function () {
    this.timeout(90_000);
    const a = await api();
    const dir = scratch('growing');
    cleanup.push(dir);
    const f = path.join(dir, 'train.log');
    fs.writeFileSync(f, nanoLines(0, 50));
    await until(() => points(a, f) === 50, 40_000, 'the growing log');
    const fits: { at: number; view: SweepFitView }[] = [];
    const sub = a.controller.onDidFit((e) => {
      if (e.sweep) fits.push({ at: Date.now(), view: e.sweep });
    });
    // A line every 400 ms for 25 s: each marks the sweep, whose 2 s quiet period alone would never come.
    const t0 = Date.now();
    let i = 50;
    try {
      while (Date.now() - t0 < 25_000) {
        fs.appendFileSync(f, nanoLines(i, i + 1));
        i++;
        await sleep(400);
      }
    } finally {
      sub.dispose();
    }
    assert.ok(fits.length >= 1, `no sweep fit in 25 s of appends every 400 ms (${i - 50} lines)`);
    const view = fits[fits.length - 1].view;
    const finished = [...a.controller.model.runs.values()].filter((r) => /[\\/]sweep[\\/]gpt-/.test(r.path));
    assert.equal(finished.length, 3, 'the fixture sweep runs');
    for (const r of finished) {
      assert.equal(a.controller.model.state(r), 'finished');
      assert.ok(
        view.points.some((p) => p.runId === r.id),
        `finished run ${r.id} is a sweep point`,
      );
    }
    const grown = a.controller.model.files.get(f)!.runIds[0];
    assert.ok(!view.points.some((p) => p.runId === grown), 'the live run is not a sweep point');
  });

  it('a run that stops growing turns finished by itself and the sweep is refitted with it', async function () {
    this.timeout(120_000);
    const a = await api();
    const dir = scratch('stops');
    cleanup.push(dir);
    const f = path.join(dir, 'train.log');
    fs.writeFileSync(f, 'number of parameters: 30.00M\ntokens per iteration will be: 65,536\n' + nanoLines(0, 200));
    await until(() => points(a, f) === 200, 40_000, 'the log');
    const id = a.controller.model.files.get(f)!.runIds[0];
    assert.equal(a.controller.model.state(a.controller.model.runs.get(id)!), 'live');
    let fitWith: SweepFitView | undefined;
    const sub = a.controller.onDidFit((e) => {
      if (e.sweep?.points.some((p) => p.runId === id)) fitWith = e.sweep;
    });
    try {
      // liveTimeoutSeconds is 30 in this session: no user action, the state check notices and the sweep refits.
      await until(() => fitWith, 90_000, 'a sweep fit that includes the run once it stopped');
    } finally {
      sub.dispose();
    }
    assert.equal(a.controller.model.state(a.controller.model.runs.get(id)!), 'finished');
    const p = fitWith!.points.find((x) => x.runId === id)!;
    assert.equal(p.D, 65_536 * 199);
  });

  it('auto: one sweep point without val/loss puts every point on train/loss, and the sweep says so', async function () {
    this.timeout(90_000);
    const a = await api();
    const dir = scratch('metric');
    cleanup.push(dir);
    const f = path.join(dir, 'train.log');
    // Finished from the start (dated a day back), with N and tokens: a sweep point that has no val/loss.
    const tmp = `${f}.writing`;
    fs.writeFileSync(tmp, 'number of parameters: 30.00M\ntokens per iteration will be: 65,536\n' + nanoLines(0, 100));
    const old = new Date(Date.now() - 86_400_000);
    fs.utimesSync(tmp, old, old);
    fs.renameSync(tmp, f);
    await until(() => points(a, f) === 100, 40_000, 'the log');
    const id = a.controller.model.files.get(f)!.runIds[0];
    assert.equal(a.controller.options.metric, 'auto');
    const view = await until(
      async () => {
        const v = await a.controller.fitSweep();
        return v?.points.some((p) => p.runId === id) ? v : undefined;
      },
      30_000,
      'a sweep with the run',
    );
    assert.equal(view.metric, 'train/loss');
    // Other suites may have left a run with neither loss in the shared workspace: then the note also counts it.
    assert.match(
      view.metricNote ?? '',
      /^auto: train\/loss (for all runs, because val\/loss is missing in \d+ of \d+|\(val\/loss is missing in \d+ of \d+ runs; \d+ without train\/loss are left out\))$/,
    );
    assert.ok(
      view.warnings?.some((w) => w === view.metricNote),
      `the note is a warning: ${JSON.stringify(view.warnings)}`,
    );
    // The fixture's nanoGPT run's point is its final train/loss, not its val/loss.
    const nano = [...a.controller.model.runs.values()].find((r) => /gpt-20M-20tpp/.test(r.path))!;
    const pt = view.points.find((p) => p.runId === nano.id)!;
    const tr = nano.metrics['train/loss'];
    assert.equal(pt.loss, tr.value[tr.value.length - 1]);
    // Without the run, the sweep is back on what the fixture alone allows.
    fs.rmSync(dir, { recursive: true, force: true });
    await until(() => !a.controller.model.runs.has(id), 30_000, 'the run removed');
    const back = await a.controller.fitSweep();
    assert.ok(!back?.points.some((p) => p.runId === id));
  });

  it('auto: a switch of the workspace metric is announced (status-bar notice, output log), and so is the switch back', async function () {
    this.timeout(150_000);
    const a = await api();
    assert.equal(a.controller.options.metric, 'auto');
    const ws = () => a.controller.model.workspaceMetric().metric;
    // More runs logging only the other loss than the workspace has runs: `auto` must move to that loss
    // (chooseMetric: val/loss when more runs log it than train/loss, train/loss when at least as many log that).
    // Counted once the workspace's runs are all read (the count holds for 3 s): a run read later could tip it back.
    const count = () => [...a.controller.model.runs.values()].filter((r) => !r.meta.evaluation).length;
    let n = -1;
    for (let held = 0; held < 6;) {
      const c = count();
      held = c === n ? held + 1 : 0;
      n = c;
      await sleep(500);
    }
    const before = ws();
    const [key, target] = before === 'val/loss' ? ['train_loss', 'train/loss'] : ['val_loss', 'val/loss'];
    const seen: MetricSwitch[] = [];
    const sub = a.controller.onDidSwitchMetric((sw) => seen.push(sw));
    const dir = scratch('switch');
    cleanup.push(dir);
    const old = new Date(Date.now() - 86_400_000);
    try {
      for (let i = 0; i <= n; i++) {
        const f = path.join(dir, `r${i}`, 'metrics.jsonl');
        fs.mkdirSync(path.dirname(f));
        let text = '';
        for (let s = 1; s <= 12; s++) text += `{"step": ${s * 10}, "${key}": ${(4 - s * 0.1).toFixed(2)}}\n`;
        fs.writeFileSync(f, text);
        fs.utimesSync(f, old, old);
      }
      const sw = await until(() => seen.find((x) => x.to === target), 90_000, `the switch to ${target}`).catch(
        (e: Error) => {
          const mine = [...a.controller.model.runs.values()].filter((r) => r.path.startsWith(dir));
          throw new Error(
            `${e.message} (before ${before}, ${n} runs; now ${ws()}: ${JSON.stringify(a.controller.model.workspaceMetric())}, ${mine.length} of ${n + 1} new runs read, metrics ${JSON.stringify(mine.slice(0, 2).map((r) => Object.keys(r.metrics)))})`,
          );
        },
      );
      assert.equal(ws(), target);
      assert.equal(sw.from, before);
      assert.ok(
        sw.text.startsWith(`Scaling Lens now charts and fits ${target} (was ${before ?? "each run's own loss"})`),
        sw.text,
      );
      assert.ok(sw.note && sw.text.endsWith(sw.note), 'the notice says why');
      assert.equal(a.controller.lastMetricSwitch, sw);
      fs.rmSync(dir, { recursive: true, force: true });
      const back = await until(() => seen.find((x) => x.from === target), 90_000, 'the switch back');
      assert.equal(back.to, before);
    } finally {
      sub.dispose();
    }
  });

  it('Problems: one spike is one event with its step range; 40 spikes are capped, with a line saying how many more', async function () {
    this.timeout(90_000);
    const a = await api();
    const dir = scratch('spikes');
    cleanup.push(dir);
    const one = path.join(dir, 'one', 'train.log');
    const many = path.join(dir, 'many', 'train.log');
    fs.mkdirSync(path.dirname(one));
    fs.mkdirSync(path.dirname(many));
    fs.writeFileSync(
      one,
      noisyLines(600, (i) => (i >= 300 && i < 304 ? 1.5 : 0)),
    );
    fs.writeFileSync(
      many,
      noisyLines(2400, (i) => (i >= 100 && (i - 100) % 50 === 0 && (i - 100) / 50 < 40 ? 2 : 0), 11),
    );
    await until(() => points(a, one) === 600 && points(a, many) === 2400, 40_000, 'both logs');
    const d1 = await diagnosticsOf(one, (d) => d.some((x) => x.code === 'spike'), 'the spike on the log');
    const spikes = d1.filter((x) => x.code === 'spike');
    assert.equal(spikes.length, 1, spikes.map((x) => x.message).join('\n'));
    // The sustained test may keep the event open a step or two after the last high point: still one event.
    assert.match(spikes[0].message, /spike at steps 300–30\d: peak/);
    assert.ok(
      spikes[0].range.start.line >= 300 && spikes[0].range.start.line <= 303,
      `on the spike's line: ${spikes[0].range.start.line}`,
    );
    const d2 = await diagnosticsOf(
      many,
      (d) => d.some((x) => /more training-health problems/.test(x.message)),
      'the capped spikes',
    );
    const listed = d2.filter((x) => x.code === 'spike');
    const more = d2.find((x) => /more training-health problems/.test(x.message))!;
    const n = Number(/^(\d+) more/.exec(more.message)?.[1]);
    assert.ok(listed.length <= 25, `${listed.length} listed`);
    assert.equal(listed.length + n, 40, `${listed.length} listed + ${n} more = the 40 spikes`);
    assert.equal(more.severity, vscode.DiagnosticSeverity.Information);
  });

  it('Problems: a NaN in a binary TensorBoard log points to the byte offset of its record', async function () {
    this.timeout(90_000);
    const a = await api();
    const dir = scratch('tfevents');
    cleanup.push(dir);
    const f = path.join(dir, 'events.out.tfevents.1700000000.host.1.0');
    const events = [fileVersionEvent(1.7e9)];
    for (let s = 0; s < 60; s++)
      events.push(event(s, 1.7e9 + s, [simpleValue('train/loss', s < 50 ? 2 + 8 * (s + 10) ** -0.3 : NaN)]));
    fs.writeFileSync(f, eventsFile(events));
    // Where the record of step 50 starts: the byte length of the records before it.
    const offset = eventsFile(events.slice(0, 51)).length;
    await until(() => points(a, f) === 60, 40_000, 'the TensorBoard log');
    const d = await diagnosticsOf(f, (x) => x.some((y) => y.code === 'divergence'), 'the divergence');
    const div = d.find((x) => x.code === 'divergence')!;
    assert.match(
      div.message,
      new RegExp(
        `at step 50: the run diverged \\(binary log: the record at byte ${offset.toLocaleString('en-US')}\\)$`,
      ),
      div.message,
    );
  });
});
