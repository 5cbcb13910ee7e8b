/**
 * Entry point for the integration suites, loaded by the VS Code extension host (either launcher:
 * code-server + Chromium offline, or @vscode/test-electron). Exports `run()` as the test API expects.
 */
import * as path from 'node:path';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import Mocha from 'mocha';

function findTests(dir: string): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...findTests(p));
    else if (e.name.endsWith('.test.js')) out.push(p);
  }
  return out.sort();
}

export function run(): Promise<void> {
  // Printed so that a CI log shows the suites really ran inside VS Code, and which one.
  console.log(
    `[integration] running inside VS Code ${vscode.version} (${vscode.env.appName}, ${vscode.env.appHost}), extension host node ${process.version}`,
  );
  const mocha = new Mocha({ ui: 'bdd', color: false, timeout: 60_000, reporter: 'spec' });
  const grep = process.env.SCALING_LENS_GREP;
  if (grep) mocha.grep(grep);
  // Which folder of suites: `suite` (default), `reliability` or `restricted` (see test/harness/run-code-server-tests.mjs).
  const suites = process.env.SCALING_LENS_SUITES || 'suite';
  console.log(`[integration] suites: ${suites}`);
  for (const f of findTests(path.join(__dirname, suites))) mocha.addFile(f);
  return new Promise((resolve, reject) => {
    try {
      mocha.run((failures) => {
        console.log(`[integration] ${failures === 0 ? 'all suites passed' : `${failures} failed`}`);
        if (failures > 0) reject(new Error(`${failures} integration tests failed`));
        else resolve();
      });
    } catch (e) {
      reject(e);
    }
  });
}
