import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';

const EXT_ID = 'scaling-lens.scaling-lens';

describe('activation', () => {
  it('activates and registers every contributed command', async () => {
    const ext = vscode.extensions.getExtension(EXT_ID);
    assert.ok(ext, `extension ${EXT_ID} is loaded`);
    await ext.activate();
    assert.equal(ext.isActive, true);
    const contributed: string[] = (ext.packageJSON.contributes.commands as { command: string }[]).map((c) => c.command);
    const registered = new Set(await vscode.commands.getCommands(true));
    const missing = contributed.filter((c) => !registered.has(c));
    assert.deepEqual(missing, [], `commands contributed but not registered: ${missing.join(', ')}`);
  });

  it('runs in the workspace extension host (logs are read where they live)', () => {
    const ext = vscode.extensions.getExtension(EXT_ID)!;
    assert.equal(ext.extensionKind, vscode.ExtensionKind.Workspace);
  });
});
