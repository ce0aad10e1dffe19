/**
 * `dsar token`: a console access token from the local pipeline's issuer, for
 * calling the console API of `npm start` with curl. Prints the token and
 * nothing else, so `TOKEN=$(npx dsar token --role agent)` works.
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { CONSOLE_ROLES, type ConsoleRole } from '../../definitions/console-roles';
import { AGENT_ID } from '../../domain/console/case-records';
import { MAX_TOKEN_HOURS, mintConsoleToken } from '../../local/console-issuer';
import { type CliCommand, type CliIo, UsageError } from '../command';
import { DEFAULT_STATE_DIR } from '../options';

const usage = `Usage: dsar token --role <role> [--role <role>…] [options]

Signs a console access token with the local pipeline's key (start it first with npm start)
and prints only the token.

Options:
  --role <role>        ${CONSOLE_ROLES.join(', ')}; repeat for several
  --user <name>        console user name, recorded as the actor of every action (default: local-<role>)
  --hours <n>          lifetime in hours, at most ${MAX_TOKEN_HOURS} (default: 8)
  --state-dir <dir>    the local pipeline's state directory (default: .local in the repository)
  -h, --help           show this help`;

function isRole(value: string): value is ConsoleRole {
  return (CONSOLE_ROLES as readonly string[]).includes(value);
}

function run(args: string[], io: CliIo): void {
  const { values } = parseArgs({
    args,
    strict: true,
    allowPositionals: false,
    options: {
      role: { type: 'string', multiple: true },
      user: { type: 'string' },
      hours: { type: 'string' },
      'state-dir': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    io.stdout(`${usage}\n`);
    return;
  }
  const roles = values.role ?? [];
  if (roles.length === 0) throw new UsageError(`missing --role (${CONSOLE_ROLES.join(', ')})`);
  for (const role of roles) {
    if (!isRole(role)) throw new UsageError(`--role '${role}' is not one of ${CONSOLE_ROLES.join(', ')}`);
  }
  const user = values.user ?? `local-${roles[0]}`;
  if (!AGENT_ID.test(user)) {
    throw new UsageError(`--user '${user}' must be 1-128 letters, digits or . _ @ : + | -`);
  }
  const hours = values.hours === undefined ? 8 : Number(values.hours);
  if (!(Number.isFinite(hours) && hours > 0 && hours <= MAX_TOKEN_HOURS)) {
    throw new UsageError(
      `--hours '${values.hours}' must be a number of hours above 0, at most ${MAX_TOKEN_HOURS}`,
    );
  }
  const stateDir = resolve(values['state-dir'] ?? DEFAULT_STATE_DIR);
  io.stdout(`${mintConsoleToken({ stateDir, roles, user, hours })}\n`);
}

export const tokenCommand: CliCommand = {
  name: 'token',
  summary: 'Mint a console access token from the local pipeline (npm start) for a role',
  usage,
  run,
};
