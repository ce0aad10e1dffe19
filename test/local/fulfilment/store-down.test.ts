/**
 * No request left behind when a store is down (the failure-path issue's "done when"), driven from
 * outside like a user: the local pipeline's own PostgreSQL (the loyalty store, which also resolves
 * the subject's account id) is stopped as an operator would stop it, the request ends in a named
 * state that names the store in the status API and the console, the pipeline keeps serving, and a
 * redrive once the store is back completes it with one package mail.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { mintConsoleToken } from '../../../local/console-issuer';
import { DEMO_PEOPLE } from '../../../local/demo/organisation';
import { eventually, mailTo, requestStatus } from '../support/pipeline';
import { type StackProcess, startStackProcess } from '../support/stack-process';
import { submitAndVerify, waitForStatus } from './support';

const LOYALTY = 'loyalty';
const LI_LEI = DEMO_PEOPLE[0]!;

/** Stops the stack's PostgreSQL with a fast shutdown (SIGINT to the postmaster), as `pg_ctl stop -m fast` does. */
function stopPostgres(stateDir: string): void {
  const dataDir = join(stateDir, 'postgres', 'data');
  expect(readdirSync(dataDir)).toContain('postmaster.pid');
  const pid = Number(readFileSync(join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
  process.kill(pid, 'SIGINT');
}

async function consoleCall(stack: StackProcess, stateDir: string, method: string, path: string) {
  const token = mintConsoleToken({ stateDir, roles: ['agent'], user: 'cora' });
  const response = await fetch(`${stack.urls.api}/v1/console/requests${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    ...(method === 'POST' ? { body: '{}' } : {}),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe('a store that is down when the workflow starts', () => {
  let stateDir: string;
  let stack: StackProcess | undefined;

  afterAll(async () => {
    await stack?.stop();
    if (stateDir) await rm(stateDir, { recursive: true, force: true });
  });

  it('ends needs-attention naming the store, keeps the pipeline up, and a redrive completes it once it is back', async () => {
    stateDir = await mkdtemp(join(tmpdir(), 'dsar-store-down-'));
    stack = await startStackProcess(stateDir);
    stopPostgres(stateDir);

    const { requestId, statusToken } = await submitAndVerify(stack.urls, {
      type: 'access',
      subject: { email: LI_LEI.email },
    });
    const stuck = await waitForStatus(stack.urls, requestId, ['needs-attention'], 120_000);
    expect(stuck.attention).toMatchObject({
      step: 'ResolveIdentity',
      storeId: LOYALTY,
      error: 'ConnectorTransientError',
      attempts: 4,
      detectedBy: 'workflow',
    });

    // The requester sees the named store; the console shows the reason and offers the redrive.
    const status = await requestStatus(stack.urls, requestId, statusToken);
    expect(status.body).toMatchObject({ status: 'needs-attention', attention: { storeId: LOYALTY } });
    const detail = await consoleCall(stack, stateDir, 'GET', `/${requestId}`);
    expect(detail.body).toMatchObject({ status: 'needs-attention', attention: { storeId: LOYALTY } });
    const queue = await consoleCall(stack, stateDir, 'GET', '?status=needs-attention');
    expect(JSON.stringify(queue.body)).toContain('ResolveIdentity failed on store loyalty');

    // The store comes back (the stack restarts its PostgreSQL); the request stays where it stopped.
    await stack.stop();
    stack = await startStackProcess(stateDir);
    expect((await waitForStatus(stack.urls, requestId, ['needs-attention'])).status).toBe('needs-attention');

    const redriven = await consoleCall(stack, stateDir, 'POST', `/${requestId}/redrive`);
    expect(redriven.status).toBe(200);
    const done = await waitForStatus(stack.urls, requestId, ['fulfilled', 'partially-fulfilled'], 120_000);
    expect(done.status).toBe('fulfilled');
    expect(done.fulfilment?.storeResults[LOYALTY]).toMatchObject({ status: 'exported' });
    expect(done.attention).toBeUndefined();

    const urls = stack.urls;
    await eventually(async () => {
      const mails = (await mailTo(urls, LI_LEI.email)).filter(
        (mail) => mail.subject.includes(requestId) && /download/i.test(mail.subject),
      );
      return mails.length > 0 ? mails : undefined;
    }, 'the package mail');
    // Give a duplicate every chance to show up before counting.
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    const packageMails = (await mailTo(urls, LI_LEI.email)).filter(
      (mail) => mail.subject.includes(requestId) && /download/i.test(mail.subject),
    );
    expect(packageMails).toHaveLength(1);
  });
});
