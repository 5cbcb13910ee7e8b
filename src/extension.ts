import * as vscode from 'vscode';

export function activate(context: vscode.ExtensionContext): void {
  const log = vscode.window.createOutputChannel('Scaling Lens', { log: true });
  context.subscriptions.push(log);
  context.subscriptions.push(vscode.commands.registerCommand('scalingLens.showOutput', () => log.show()));
  log.info(`Scaling Lens activated in VS Code ${vscode.version}`);
}

export function deactivate(): void {}
