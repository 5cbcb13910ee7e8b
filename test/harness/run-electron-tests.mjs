// Desktop launcher for the same integration suites, for machines that can download VS Code
// (@vscode/test-electron fetches a VS Code build from Microsoft: impossible on our offline CI, where
// `npm test` uses run-code-server-tests.mjs instead).
import * as path from 'node:path';
import { mkdtempSync, cpSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { runTests } from '@vscode/test-electron';
import { REPO } from './codeServer.mjs';

const workspace = mkdtempSync(path.join(tmpdir(), 'scaling-lens-ws-'));
cpSync(path.join(REPO, 'test', 'fixtures', 'workspace'), workspace, { recursive: true });
try {
  await runTests({
    version: process.env.VSCODE_VERSION || 'stable',
    extensionDevelopmentPath: REPO,
    extensionTestsPath: path.join(REPO, 'out', 'test', 'integration', 'index.js'),
    launchArgs: [workspace, '--disable-extensions', '--disable-workspace-trust'],
  });
} catch (e) {
  console.error('[electron] integration tests failed:', e);
  process.exit(1);
}
