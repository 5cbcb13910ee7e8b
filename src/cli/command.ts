/** The shape of one subcommand (main.ts dispatches; each lives in its own file). */
import type { OptionSpecs } from './args';

export interface CommandIo {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
}

export interface Command {
  name: string;
  summary: string;
  usage: string;
  /** Longer description printed by `--help` after the usage line. */
  description: string;
  options: OptionSpecs;
  /** Resolves with the exit code. Throws UsageError / DataError for bad input. */
  run(argv: string[], io: CommandIo): Promise<number>;
}
