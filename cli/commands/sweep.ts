/**
 * `dsar sweep`: runs the local pipeline's timer sweep once, as its schedule
 * does every minute, by invoking the SweepRequests function through the
 * running stack's Lambda endpoint (found in the state directory's
 * endpoints.json, which `npm start` writes). With `--now`, the sweep runs as
 * of that instant: reminders, breaches and expiries that would be due then
 * happen now, with their mail in the outbox. Prints the sweep's summary.
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { SWEEP_REQUESTS } from '../../definitions/functions';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../../local/credentials';
import { readLocalEndpoints } from '../../local/endpoints';
import type { CliCommand, CliIo } from '../command';
import { DEFAULT_STATE_DIR, parseInstantOption } from '../options';

/** The sweep ran and failed (its error type and message, as the Lambda service reported them). */
export class SweepFailed extends Error {
  override readonly name = 'SweepFailed' as const;
}

const usage = `Usage: dsar sweep [--now <instant>] [--state-dir <dir>]

Runs the timer sweep of the local pipeline (start it first with npm start) once and prints its
summary as JSON: unverified requests expired, reminders sent, deadlines marked breached. Mail goes
to the outbox as usual.

Options:
  --now <instant>      sweep as of this ISO 8601 instant with Z or an offset (default: now),
                       e.g. 2025-10-31T09:00:00+08:00
  --state-dir <dir>    the local pipeline's state directory (default: .local in the repository)
  -h, --help           show this help`;

async function run(args: string[], io: CliIo): Promise<void> {
  const { values } = parseArgs({
    args,
    strict: true,
    allowPositionals: false,
    options: {
      now: { type: 'string' },
      'state-dir': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    io.stdout(`${usage}\n`);
    return;
  }
  const now = values.now === undefined ? undefined : parseInstantOption('now', values.now);
  const endpoints = await readLocalEndpoints(resolve(values['state-dir'] ?? DEFAULT_STATE_DIR));
  // Loaded here, not at the top: every other command would pay for the SDK on start-up.
  const { InvokeCommand, LambdaClient } = await import('@aws-sdk/client-lambda');
  const lambda = new LambdaClient({
    endpoint: endpoints.lambda,
    region: LOCAL_REGION,
    credentials: LOCAL_CREDENTIALS,
  });
  try {
    const result = await lambda.send(
      new InvokeCommand({
        FunctionName: SWEEP_REQUESTS.id,
        Payload: Buffer.from(JSON.stringify(now ? { now: now.toISOString() } : {})),
      }),
    );
    const payload = JSON.parse(
      Buffer.from(result.Payload ?? new Uint8Array()).toString('utf8') || 'null',
    ) as {
      errorType?: string;
      errorMessage?: string;
    } | null;
    if (result.FunctionError) {
      throw new SweepFailed(`sweep failed: ${payload?.errorType ?? 'Error'}: ${payload?.errorMessage ?? ''}`);
    }
    io.stdout(`${JSON.stringify(payload, null, 2)}\n`);
  } finally {
    lambda.destroy();
  }
}

export const sweepCommand: CliCommand = {
  name: 'sweep',
  summary: "Run the local pipeline's timer sweep once (reminders, breaches, expiry), optionally as of --now",
  usage,
  run,
};
