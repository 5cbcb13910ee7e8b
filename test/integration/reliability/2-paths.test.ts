/**
 * "Paths from logs or settings cannot make us read outside the workspace folders", in the real extension host,
 * for paths that come from SETTINGS: `scalingLens.include` globs that climb out of the folder (`../outside/*.log`,
 * `../../**` …) or are absolute, and symbolic links inside the folder that point outside. A real log sits outside
 * the folder with its access time set in the past: if anything reads it, the kernel updates the access time
 * (relatime: atime older than mtime). A control glob inside the folder proves the setting was applied.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { api, wsRoot, until, sleep, nanoLines, points } from '../suite/util';

const OLD = new Date('2001-01-01T00:00:00Z');

/** Sets the access time far in the past (mtime now), so the next read of the file's content moves it. */
function ageAtime(f: string): void {
  fs.utimesSync(f, OLD, new Date());
}
const atimeMoved = (f: string) => fs.statSync(f).atimeMs > OLD.getTime() + 1000;

describe('paths from settings stay inside the workspace folders', () => {
  it('include globs that climb out (../, absolute) and symlinks pointing outside never make the extension read outside', async function () {
    this.timeout(180_000);
    const a = await api();
    const root = wsRoot();
    const outside = path.join(path.dirname(root), 'outside');
    fs.mkdirSync(path.join(outside, 'deep'), { recursive: true });
    const secret = path.join(outside, 'secret.log');
    const deep = path.join(outside, 'deep', 'secret-run.log');
    for (const f of [secret, deep]) fs.writeFileSync(f, 'number of parameters: 10.00M\n' + nanoLines(0, 50));
    // Symlinks inside the folder: to a file outside, and to the whole outside folder.
    const linkDir = path.join(root, 'linked-outside');
    const linkFile = path.join(root, 'linked-secret.log');
    fs.symlinkSync(outside, linkDir);
    fs.symlinkSync(secret, linkFile);
    // Control: a file inside, matched only by a glob added below.
    const inside = path.join(root, 'paths-control', 'run.metricslog');
    fs.mkdirSync(path.dirname(inside), { recursive: true });
    fs.writeFileSync(inside, 'number of parameters: 10.00M\n' + nanoLines(0, 50));

    // Does this file system update access times on read? (relatime/strictatime: yes; noatime: the atime check is skipped.)
    const probe = path.join(outside, 'atime-probe.txt');
    fs.writeFileSync(probe, 'x');
    ageAtime(probe);
    fs.readFileSync(probe);
    const atimeWorks = atimeMoved(probe);
    for (const f of [secret, deep]) ageAtime(f);

    const cfg = vscode.workspace.getConfiguration('scalingLens');
    const include = [
      ...(cfg.get<string[]>('include') ?? []),
      '**/*.metricslog',
      '../outside/*.log',
      '../outside/**',
      '../../**/secret*.log',
      `${outside}/*.log`,
      `${outside.split(path.sep).join('/')}/**`,
      '/etc/*',
    ];
    try {
      await cfg.update('include', include, vscode.ConfigurationTarget.Workspace);
      await until(
        () => a.controller.config.include.includes('../outside/*.log') || undefined,
        20_000,
        'the include setting to apply',
      );
      await vscode.commands.executeCommand<number>('scalingLens.rescan');
      await until(
        () => points(a, inside) === 50 || undefined,
        60_000,
        'the control file inside the folder (include applied)',
      );
      // Changes outside must not be picked up by any watcher either.
      fs.appendFileSync(secret, nanoLines(50, 60));
      fs.appendFileSync(deep, nanoLines(50, 60));
      for (const f of [secret, deep]) ageAtime(f);
      await sleep(3000);
      await vscode.commands.executeCommand<number>('scalingLens.rescan');
      await sleep(1500);

      const realRoot = fs.realpathSync(root);
      const tracked = [...a.controller.watcher.trackedPaths, ...a.controller.model.files.keys()];
      const escaped = tracked.filter((p) => {
        let real = p;
        try {
          real = fs.realpathSync(p);
        } catch {
          /* judged lexically */
        }
        return !(real === realRoot || real.startsWith(realRoot + path.sep));
      });
      assert.deepEqual(escaped, [], 'tracked paths outside the workspace folder');
      for (const p of [
        secret,
        deep,
        linkFile,
        path.join(linkDir, 'secret.log'),
        path.join(linkDir, 'deep', 'secret-run.log'),
      ]) {
        assert.ok(!a.controller.model.files.has(p), `${p} is not a run`);
      }
      if (atimeWorks) {
        assert.ok(!atimeMoved(secret), 'the log outside (also behind a symlink) was never read');
        assert.ok(!atimeMoved(deep), 'the log outside (behind a symlinked folder) was never read');
      }
      console.log(
        `      ${tracked.length} paths tracked, 0 outside the folder; outside logs ${atimeWorks ? 'never read (access times unchanged)' : 'not tracked (this file system does not update access times: read check skipped)'}`,
      );
    } finally {
      await cfg.update('include', undefined, vscode.ConfigurationTarget.Workspace);
      for (const l of [linkDir, linkFile])
        try {
          fs.unlinkSync(l);
        } catch {
          /* already gone */
        }
      fs.rmSync(path.dirname(inside), { recursive: true, force: true });
      fs.rmSync(outside, { recursive: true, force: true });
    }
  });
});
