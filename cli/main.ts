/**
 * The `dsar` command line. `bin/dsar.js` loads this file through tsx and calls `runCli`.
 *
 * Errors never print a stack: one line on stderr, nothing on stdout, and an exit code that says what
 * went wrong (see EXIT), so scripts can tell bad input from a failure.
 */
import { type CliCommand, type CliIo, EXIT, UsageError } from './command';
import { auditCommand } from './commands/audit';
import { calendarCommand } from './commands/calendar';
import { deadlineCommand } from './commands/deadline';
import { evidenceCommand } from './commands/evidence';
import { policiesCommand } from './commands/policies';
import { reportCommand } from './commands/report';
import { sweepCommand } from './commands/sweep';
import { tokenCommand } from './commands/token';

/** Every command, by name. A new command is a module in commands/ and one entry here. */
export const COMMANDS: ReadonlyMap<string, CliCommand> = new Map(
  [
    auditCommand,
    calendarCommand,
    deadlineCommand,
    evidenceCommand,
    policiesCommand,
    reportCommand,
    sweepCommand,
    tokenCommand,
  ].map((command) => [command.name, command]),
);

// Errors caused by what the user typed, as opposed to a fault in the program.
const INPUT_ERRORS = new Set([
  'UsageError',
  'UnknownPolicy',
  'InvalidPlainDate',
  'InvalidInstant',
  'InvalidPausedUnits',
  'ExtensionNotAllowed',
  'ExtensionNoticeLate',
  'PauseNotAllowed',
  'DatesOutOfOrder',
  'ConsoleIssuerMissing',
  // The API refused a calendar notice file (every problem printed before the error line).
  'NoticeRefused',
]);

export function usage(): string {
  const width = Math.max(...[...COMMANDS.keys()].map((name) => name.length));
  const commands = [...COMMANDS.values()].map(
    (command) => `  ${command.name.padEnd(width)}  ${command.summary}`,
  );
  return [
    'Usage: dsar <command> [options]',
    '',
    'Commands:',
    ...commands,
    '',
    "Run 'dsar <command> --help' for the options of a command.",
  ].join('\n');
}

function exitCodeFor(error: unknown): number {
  if (error instanceof Error && INPUT_ERRORS.has(error.name)) return EXIT.usage;
  // node:util parseArgs reports unknown options and missing values as TypeErrors with ERR_PARSE_ARGS_* codes.
  if (error instanceof Error && String((error as { code?: unknown }).code).startsWith('ERR_PARSE_ARGS')) {
    return EXIT.usage;
  }
  return EXIT.failure;
}

function oneLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n')[0] ?? message;
}

const processIo: CliIo = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
};

/** Runs one command line (without the node and script arguments) and returns the exit code. */
export async function runCli(argv: readonly string[], io: CliIo = processIo): Promise<number> {
  const [name, ...args] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.stdout(`${usage()}\n`);
    return EXIT.ok;
  }
  try {
    const command = COMMANDS.get(name);
    if (command === undefined) {
      throw new UsageError(`unknown command '${name}'; commands: ${[...COMMANDS.keys()].join(', ')}`);
    }
    await command.run(args, io);
    return EXIT.ok;
  } catch (error) {
    io.stderr(`dsar: ${oneLine(error)}\n`);
    return exitCodeFor(error);
  }
}
