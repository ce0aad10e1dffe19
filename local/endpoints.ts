/**
 * Where a running local stack can be reached, for tools started beside it
 * (`npx dsar sweep` invokes its Lambda service, whose port is picked at
 * start-up). The stack writes `<stateDir>/endpoints.json` once it is ready
 * and removes it when it stops; a file left by a stack that was killed points
 * at closed ports, which a caller finds out on its first request.
 */
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export const ENDPOINTS_FILE = 'endpoints.json';

/** No endpoints file in the state directory: the stack is not running (or runs elsewhere). */
export class LocalStackNotRunning extends Error {
  override readonly name = 'LocalStackNotRunning' as const;
  constructor(readonly stateDir: string) {
    super(`No local pipeline is running with state in ${stateDir} (start it with npm start)`);
  }
}

export interface LocalEndpoints {
  readonly api: string;
  readonly lambda: string;
  readonly outbox: string;
  /** The SMS outbox page; `<smsOutbox>.json` lists the messages. */
  readonly smsOutbox: string;
  /** Data endpoints, for tools that read the tables and check the trail (`npx dsar audit verify`). */
  readonly dynamodb: string;
  readonly s3: string;
  readonly kms: string;
}

export async function writeLocalEndpoints(stateDir: string, endpoints: LocalEndpoints): Promise<void> {
  await writeFile(join(stateDir, ENDPOINTS_FILE), `${JSON.stringify(endpoints, null, 2)}\n`);
}

export async function removeLocalEndpoints(stateDir: string): Promise<void> {
  await rm(join(stateDir, ENDPOINTS_FILE), { force: true });
}

export async function readLocalEndpoints(stateDir: string): Promise<LocalEndpoints> {
  let text: string;
  try {
    text = await readFile(join(stateDir, ENDPOINTS_FILE), 'utf8');
  } catch {
    throw new LocalStackNotRunning(stateDir);
  }
  return JSON.parse(text) as LocalEndpoints;
}
