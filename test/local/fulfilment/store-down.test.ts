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
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { SFNClient, StopExecutionCommand } from '@aws-sdk/client-sfn';
import { afterAll, describe, expect, it } from 'vitest';
import { executionArn } from '../../../adapters/aws/workflow-monitor';
import { mintConsoleToken } from '../../../local/console-issuer';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../../../local/credentials';
import { DEMO_PEOPLE } from '../../../local/demo/organisation';
import { FULFILMENT_STATE_MACHINE } from '../../../local/stack';
import { localStateMachineArn } from '../../../local/stepfunctions';
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

describe('an execution stopped from outside', () => {
  let stateDir: string;
  let stack: StackProcess | undefined;

  afterAll(async () => {
    await stack?.stop();
    if (stateDir) await rm(stateDir, { recursive: true, force: true });
  });

  it('is found by the sweep’s reconciler: needs-attention with the StuckRequests metric, then redriven to the end', async () => {
    stateDir = await mkdtemp(join(tmpdir(), 'dsar-aborted-'));
    stack = await startStackProcess(stateDir);
    const clients = { region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS };
    const { requestId } = await submitAndVerify(stack.urls, {
      type: 'deletion',
      subject: { email: LI_LEI.email },
    });
    // The demo processor takes two seconds to answer: stop the execution while the stores run.
    await waitForStatus(stack.urls, requestId, ['in-progress'], 30_000);
    const sfn = new SFNClient({ ...clients, endpoint: stack.urls.stepFunctions });
    await sfn.send(
      new StopExecutionCommand({
        executionArn: executionArn(localStateMachineArn(FULFILMENT_STATE_MACHINE), requestId),
      }),
    );
    sfn.destroy();

    // A sweep may spend its turn on a timer of the request first; the reconciler gets it on the next.
    const lambda = new LambdaClient({ ...clients, endpoint: stack.urls.lambda });
    const urls = stack.urls;
    await eventually(async () => {
      await lambda.send(new InvokeCommand({ FunctionName: 'SweepRequests', Payload: Buffer.from('{}') }));
      const record = await waitForStatus(urls, requestId, ['in-progress', 'needs-attention']);
      return record.status === 'needs-attention' ? record : undefined;
    }, 'the reconciler to find the aborted execution');
    lambda.destroy();
    const stuck = await waitForStatus(stack.urls, requestId, ['needs-attention']);
    expect(stuck.attention).toMatchObject({
      detectedBy: 'reconciler',
      execution: requestId,
      from: 'in-progress',
    });
    expect(stuck.attention?.reason).toContain('aborted');
    const log = readFileSync(stack.urls.logFile, 'utf8');
    expect(log).toContain('"StuckRequests"');

    const redriven = await consoleCall(stack, stateDir, 'POST', `/${requestId}/redrive`);
    expect(redriven).toMatchObject({ status: 200, body: { execution: `${requestId}-redrive-1` } });
    const done = await waitForStatus(stack.urls, requestId, ['fulfilled', 'partially-fulfilled'], 120_000);
    expect(done.status).toBe('fulfilled');
  });
});
