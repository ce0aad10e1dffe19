/**
 * `dsar evidence <id>`: downloads a request's evidence pack (GET /v1/console/requests/{id}/evidence)
 * into a zip file. The same route and the same code on AWS and locally; only the endpoint and the
 * token differ. Locally it signs itself a short supervisor token with the local issuer's key (as
 * `dsar report` does) and finds the API in the state directory; against a deployment, pass --api and a
 * console --token (a supervisor's or an auditor's). The download is audited on the request's trail,
 * under the token's user.
 */
import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { AGENT_ID } from '../../domain/console/case-records';
import { RequestIdSchema } from '../../domain/submission';
import { mintConsoleToken, readIssuerConfig } from '../../local/console-issuer';
import { type CliCommand, type CliIo, UsageError } from '../command';
import { DEFAULT_STATE_DIR } from '../options';
import { LocalApiUnreachable } from './report';

const usage = `Usage: dsar evidence <request-id> [options]

Downloads the request's evidence pack (a zip: summary.html with the clock explained, evidence.json,
trail.jsonl, notices/*.txt; masked identifiers only) and prints the file's path. The download is
recorded on the request's audit trail.

Options:
  --out <file>         where to write the zip (default: the name the API gives, in this directory)
  --api <url>          the API's base URL (default: the one the local pipeline recorded)
  --token <jwt>        a console token of a supervisor or auditor (default: a local supervisor token)
  --user <name>        the local token's user, recorded on the trail (default: local-evidence)
  --state-dir <dir>    the local pipeline's state directory (default: .local in the repository)
  -h, --help           show this help`;

/** The API answered, but not with a pack (no such request, a role that may not, a fault). */
export class EvidenceRefused extends Error {
  override name = 'EvidenceRefused' as const;
}

async function run(args: string[], io: CliIo): Promise<void> {
  const { values, positionals } = parseArgs({
    args,
    strict: true,
    allowPositionals: true,
    options: {
      out: { type: 'string' },
      api: { type: 'string' },
      token: { type: 'string' },
      user: { type: 'string' },
      'state-dir': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    io.stdout(`${usage}\n`);
    return;
  }
  const [requestId, ...extra] = positionals;
  if (requestId === undefined) throw new UsageError('missing the request id (dsr-…)');
  if (extra.length > 0) throw new UsageError(`one request id only; also given: ${extra.join(' ')}`);
  if (!RequestIdSchema.safeParse(requestId).success)
    throw new UsageError(`'${requestId}' is not a request id (dsr- and a UUID)`);
  const user = values.user ?? 'local-evidence';
  if (!AGENT_ID.test(user)) throw new UsageError(`--user '${user}' is not a console user name`);
  const stateDir = resolve(values['state-dir'] ?? DEFAULT_STATE_DIR);
  const api = (values.api ?? readIssuerConfig(stateDir).issuer).replace(/\/+$/, '');
  const token = values.token ?? mintConsoleToken({ stateDir, roles: ['supervisor'], user, hours: 1 });
  let response: Response;
  try {
    response = await fetch(`${api}/v1/console/requests/${requestId}/evidence`, {
      headers: { authorization: `Bearer ${token}`, accept: 'application/zip' },
    });
  } catch (error) {
    throw new LocalApiUnreachable(api, error);
  }
  if (!response.ok) {
    const body = await response.text();
    let message = body;
    try {
      message = (JSON.parse(body) as { error: { message: string } }).error.message;
    } catch {
      // Not a problem document: report the body as it came.
    }
    throw new EvidenceRefused(`the API answered ${response.status}: ${message}`);
  }
  const named = /filename="([^"/\\]+)"/.exec(response.headers.get('content-disposition') ?? '')?.[1];
  const out = resolve(values.out ?? named ?? `evidence-${requestId}.zip`);
  await writeFile(out, Buffer.from(await response.arrayBuffer()));
  io.stdout(`${out}\n`);
}

export const evidenceCommand: CliCommand = {
  name: 'evidence',
  summary: "Download a request's evidence pack (zip) from the console API, local or deployed",
  usage,
  run,
};
