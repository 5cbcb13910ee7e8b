/**
 * `scaling-lens`: the headless CLI (bundled to dist/cli.js; bin/scaling-lens.js loads it). Pure: never
 * imports `vscode`. Subcommands live one per file; this file only dispatches and maps errors to exit codes:
 * 0 success, 1 data error (missing file, nothing usable to fit), 2 usage error. Errors go to stderr.
 */
import type { Command, CommandIo } from './command';
import { optionHelp } from './args';
import { DataError, UsageError } from './errors';
import { parseCommand } from './parseCmd';
import { fitCommand } from './fitCmd';
import { predictCommand } from './predictCmd';
import { lawsCommand } from './lawsCmd';

export const COMMANDS: Command[] = [parseCommand, fitCommand, predictCommand, lawsCommand];

export function commandHelp(c: Command): string {
  return `usage: ${c.usage}\n\n${c.summary}.\n${c.description ? `\n${c.description}\n` : ''}\noptions:\n${optionHelp(c.options)}\n`;
}

export function mainHelp(): string {
  const w = Math.max(...COMMANDS.map((c) => c.name.length));
  return (
    'usage: scaling-lens <command> [options]\n\nTurns training logs into scaling-law answers.\n\ncommands:\n' +
    COMMANDS.map((c) => `  ${c.name.padEnd(w)}  ${c.summary}`).join('\n') +
    '\n\nRun `scaling-lens <command> --help` for the options of a command. Exit codes: 0 ok, 1 data error, 2 usage error.\n'
  );
}

export async function main(argv: string[], io: CommandIo): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    if (name === 'help' && rest[0]) {
      const c = COMMANDS.find((x) => x.name === rest[0]);
      if (c) {
        io.stdout(commandHelp(c));
        return 0;
      }
    }
    (name ? io.stdout : io.stderr)(mainHelp());
    return name ? 0 : 2;
  }
  if (name === '--version') {
    io.stdout('scaling-lens 0.1.0\n');
    return 0;
  }
  const cmd = COMMANDS.find((c) => c.name === name);
  if (!cmd) {
    io.stderr(`scaling-lens: unknown command "${name}"\n\n${mainHelp()}`);
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    io.stdout(commandHelp(cmd));
    return 0;
  }
  try {
    return await cmd.run(rest, io);
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr(
        `scaling-lens ${cmd.name}: ${e.message}\nusage: ${cmd.usage}\n(see \`scaling-lens ${cmd.name} --help\`)\n`,
      );
      return 2;
    }
    if (e instanceof DataError) {
      io.stderr(`scaling-lens ${cmd.name}: ${e.message}\n`);
      return 1;
    }
    io.stderr(`scaling-lens ${cmd.name}: internal error: ${(e as Error)?.stack ?? String(e)}\n`);
    return 1;
  }
}

// Run when executed (dist/cli.js via bin/scaling-lens.js, or `node --import tsx src/cli/main.ts`), not when imported by tests.
const isEntry =
  typeof require !== 'undefined' && typeof module !== 'undefined'
    ? require.main === module || /scaling-lens(\.js)?$/.test(process.argv[1] ?? '')
    : true;
if (isEntry) {
  // EPIPE (e.g. `| head`) is not an error.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(0);
  });
  main(process.argv.slice(2), {
    stdout: (s) => {
      process.stdout.write(s);
    },
    stderr: (s) => {
      process.stderr.write(s);
    },
  }).then(
    (code) => {
      process.exitCode = code;
    },
    (e) => {
      process.stderr.write(`scaling-lens: ${(e as Error)?.stack ?? e}\n`);
      process.exitCode = 1;
    },
  );
}
