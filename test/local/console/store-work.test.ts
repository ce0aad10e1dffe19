/**
 * Store work from the console on a stack of its own, started with the demo
 * registry plus the paper-archive manual store (DSAR_STORE_REGISTRY_FILE):
 * a manual task confirmed by an agent, a manual task nobody confirms, a
 * failing store run again (redrive), and a revoked download link.
 *
 * The only write behind the API is moving a task's start back in time to
 * stand for the hours that passed (as simulateElapsedTime does elsewhere).
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import demoRegistry from '../../../config/data-stores.demo.json' with { type: 'json' };
import { nameBasedUuid } from '../../../connectors/http-processor/opendsr';
import type { RequestRecord } from '../../../domain/request-record';
import { mintConsoleToken } from '../../../local/console-issuer';
import { localDynamoDbClient, localTableNames } from '../../../local/dynamodb';
import paperArchive from '../../fixtures/stores/paper-archive.json' with { type: 'json' };
import { downloadLinkIn, downloadPackage, mailAbout, unzipFile, waitForStatus } from '../fulfilment/support';
import {
  codeIn,
  eventually,
  mailTo,
  pipelineTables,
  postJson,
  submitRequest,
  uniqueEmail,
  verifyCode,
} from '../support/pipeline';
import { type StackProcess, startStackProcess } from '../support/stack-process';

const MANUAL_STORE = 'paper-archive';
const PROCESSOR_STORE = 'newsletter-processor';
/** Each case waits on a workflow (with polls, a processor and mail) on a machine shared with other stacks. */
const CASE_TIMEOUT_MS = 180_000;
const CONSOLE = '/v1/console/requests';

let stack: StackProcess;
let stateDir: string;

beforeAll(async () => {
  stateDir = await mkdtemp(join(tmpdir(), 'dsar-store-work-'));
  const registryFile = join(stateDir, 'stores-with-paper-archive.json');
  await writeFile(
    registryFile,
    JSON.stringify({ ...demoRegistry, stores: [...demoRegistry.stores, paperArchive] }),
  );
  stack = await startStackProcess(stateDir, {
    DSAR_STORE_REGISTRY_FILE: registryFile,
    AGENT_POLL_SECONDS: '1',
  });
});

afterAll(async () => {
  await stack?.stop();
  await rm(stateDir, { recursive: true, force: true });
});

function agentToken(user = 'agent-alice') {
  return mintConsoleToken({ stateDir, roles: ['agent'], user });
}

async function consoleCall(method: string, path: string, body?: unknown) {
  const response = await fetch(`${stack.urls.api}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${agentToken()}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

async function submitAndVerify(type: 'access' | 'deletion', email: string): Promise<string> {
  const submitted = await submitRequest(stack.urls, { type, subject: { email } });
  const { requestId } = submitted.body as { requestId: string };
  const code = codeIn(await mailAbout(stack.urls, email, requestId, /Verify/));
  expect((await verifyCode(stack.urls, requestId, code)).status).toBe(200);
  return requestId;
}

async function stored(requestId: string): Promise<RequestRecord> {
  return (await pipelineTables(stack.urls).request(requestId))!;
}

async function waitForManualTask(requestId: string) {
  return eventually(
    async () => {
      const result = (await stored(requestId)).fulfilment?.storeResults[MANUAL_STORE];
      return result?.status === 'waiting-for-agent' ? result : undefined;
    },
    'the manual task to open',
    60_000,
  );
}

function confirm(requestId: string, report: Record<string, unknown>) {
  return consoleCall('POST', `${CONSOLE}/${requestId}/stores/${MANUAL_STORE}/done`, report);
}

async function listedWithOpenTasks(): Promise<string[]> {
  const answer = await consoleCall('GET', `${CONSOLE}?manualTasks=open&limit=100`);
  return (answer.body.requests as { requestId: string }[]).map((row) => row.requestId);
}

/** Stands for hours that passed since the task opened. */
async function openedHoursAgo(requestId: string, hours: number) {
  const documents = DynamoDBDocumentClient.from(localDynamoDbClient(stack.urls.dynamodb));
  await documents.send(
    new UpdateCommand({
      TableName: localTableNames().REQUESTS_TABLE,
      Key: { requestId },
      UpdateExpression: 'SET fulfilment.storeResults.#store.since = :since',
      ExpressionAttributeNames: { '#store': MANUAL_STORE },
      ExpressionAttributeValues: { ':since': new Date(Date.now() - hours * 3_600_000).toISOString() },
    }),
  );
}

async function mailsAbout(address: string, requestId: string, subject: RegExp) {
  return (await mailTo(stack.urls, address)).filter(
    (message) => message.subject.includes(requestId) && subject.test(message.subject),
  );
}

const PACKAGE_MAIL = /ready to download/;
const SUMMARY_MAIL = /Result of your deletion request/;

describe('manual stores, redrive and revocation from the console', () => {
  it(
    'waits for an agent on a manual store, lists the task, and fulfils once the agent confirms it',
    async () => {
      const email = uniqueEmail('manual-access');
      const requestId = await submitAndVerify('access', email);
      const task = await waitForManualTask(requestId);
      expect(task).toMatchObject({ action: 'export', timeoutHours: 72 });
      expect(task.instructions).toContain('cabinet B');
      expect(await listedWithOpenTasks()).toContain(requestId);

      const confirmed = await confirm(requestId, { exported: { files: 2, records: 2 } });
      expect(confirmed.status).toBe(200);
      const again = await confirm(requestId, { exported: { files: 2, records: 2 } });
      expect(again.status).toBe(409);
      expect(again.body.error).toMatchObject({ code: 'manual-task-not-open' });
      expect(await listedWithOpenTasks()).not.toContain(requestId);

      const record = await waitForStatus(stack.urls, requestId, ['fulfilled', 'partially-fulfilled']);
      expect(record.status).toBe('fulfilled');
      expect(record.fulfilment!.storeResults[MANUAL_STORE]).toMatchObject({
        status: 'exported',
        recordCount: 1,
      });
      const trail = await pipelineTables(stack.urls).auditTrail(requestId);
      expect(trail.find((event) => event.type === 'manual-task-done')?.actor).toEqual({
        kind: 'agent',
        id: 'agent-alice',
      });

      const zip = await downloadPackage(
        downloadLinkIn(await mailAbout(stack.urls, email, requestId, PACKAGE_MAIL)),
      );
      expect(unzipFile(zip, `${MANUAL_STORE}.json`).toString('utf8')).toContain(
        'Held on paper; sent separately',
      );
    },
    CASE_TIMEOUT_MS,
  );

  it(
    'records the manual store failed when no agent confirms within its timeout',
    async () => {
      const requestId = await submitAndVerify('deletion', uniqueEmail('manual-timeout'));
      await waitForManualTask(requestId);
      await openedHoursAgo(requestId, 73);

      const record = await waitForStatus(stack.urls, requestId, ['fulfilled', 'partially-fulfilled']);
      expect(record.status).toBe('partially-fulfilled');
      expect(record.fulfilment!.storeResults[MANUAL_STORE]).toMatchObject({
        status: 'failed',
        reason: expect.stringContaining('no agent confirmed the task within 72 hours'),
      });
      expect(await listedWithOpenTasks()).not.toContain(requestId);
    },
    CASE_TIMEOUT_MS,
  );

  it(
    'runs a failed store again on redrive and mails one summary per delivery',
    async () => {
      const email = uniqueEmail('redrive');
      const submitted = await submitRequest(stack.urls, { type: 'deletion', subject: { email } });
      const { requestId } = submitted.body as { requestId: string };
      // The processor refuses this request's erasure once (a permanent 400): the store fails at once.
      const fault = await postJson(new URL('/_control/faults', stack.urls.processor).toString(), {
        subjectRequestIdPrefix: nameBasedUuid(`${requestId}:${PROCESSOR_STORE}`),
        failures: 1,
        status: 400,
      });
      expect(fault.status).toBe(200);
      const code = codeIn(await mailAbout(stack.urls, email, requestId, /Verify/));
      expect((await verifyCode(stack.urls, requestId, code)).status).toBe(200);
      await waitForManualTask(requestId);
      expect((await confirm(requestId, { deleted: 2 })).status).toBe(200);

      const partial = await waitForStatus(stack.urls, requestId, ['fulfilled', 'partially-fulfilled']);
      expect(partial.status).toBe('partially-fulfilled');
      expect(partial.fulfilment!.storeResults[PROCESSOR_STORE]).toMatchObject({ status: 'failed' });
      expect(partial.fulfilment!.storeResults[MANUAL_STORE]).toMatchObject({ status: 'erased', deleted: 2 });
      await mailAbout(stack.urls, email, requestId, SUMMARY_MAIL);

      // The fault is cleared (it was used up; say so explicitly), then an agent redrives.
      await postJson(new URL('/_control/faults', stack.urls.processor).toString(), {
        subjectRequestIdPrefix: nameBasedUuid(`${requestId}:${PROCESSOR_STORE}`),
        failures: 0,
      });
      const redrive = await consoleCall('POST', `${CONSOLE}/${requestId}/redrive`, {});
      expect(redrive.status).toBe(200);
      expect(redrive.body).toMatchObject({
        storeIds: [PROCESSOR_STORE],
        execution: `${requestId}-redrive-1`,
      });

      const record = await waitForStatus(stack.urls, requestId, ['fulfilled']);
      expect(record.fulfilment!.storeResults[PROCESSOR_STORE]).toMatchObject({
        status: 'erased',
        remaining: 0,
      });
      // Stores done before were not run again.
      expect(record.fulfilment!.storeResults[MANUAL_STORE]).toEqual(
        partial.fulfilment!.storeResults[MANUAL_STORE],
      );
      await eventually(
        async () => ((await mailsAbout(email, requestId, SUMMARY_MAIL)).length === 2 ? true : undefined),
        'the second summary',
        30_000,
      );
      const trail = await pipelineTables(stack.urls).auditTrail(requestId);
      expect(trail.find((event) => event.type === 'stores-redriven')?.actor).toEqual({
        kind: 'agent',
        id: 'agent-alice',
      });
      expect((await consoleCall('POST', `${CONSOLE}/${requestId}/redrive`, {})).status).toBe(409);
      // One summary per delivery, no more.
      await new Promise((resolve) => setTimeout(resolve, 3_000));
      expect(await mailsAbout(email, requestId, SUMMARY_MAIL)).toHaveLength(2);
    },
    CASE_TIMEOUT_MS,
  );

  it(
    'revokes the live download link of a request, which then answers 410',
    async () => {
      const email = uniqueEmail('revoke');
      const requestId = await submitAndVerify('access', email);
      await waitForManualTask(requestId);
      expect((await confirm(requestId, { note: 'Two forms posted on 1 June' })).status).toBe(200);
      const link = downloadLinkIn(await mailAbout(stack.urls, email, requestId, PACKAGE_MAIL, 60_000));
      expect((await fetch(link, { redirect: 'manual' })).status).toBe(302);

      const revoked = await consoleCall('POST', `${CONSOLE}/${requestId}/download-links/revoke`, {
        reason: 'Requester asked',
      });
      expect(revoked.status).toBe(200);
      expect(revoked.body.revoked).toBe(1);
      expect((await fetch(link, { redirect: 'manual' })).status).toBe(410);
      const trail = await pipelineTables(stack.urls).auditTrail(requestId);
      expect(trail.find((event) => event.type === 'download-link-revoked')?.actor).toEqual({
        kind: 'agent',
        id: 'agent-alice',
      });
      // Nothing live is left: a second call revokes nothing.
      expect(
        (await consoleCall('POST', `${CONSOLE}/${requestId}/download-links/revoke`, {})).body.revoked,
      ).toBe(0);
    },
    CASE_TIMEOUT_MS,
  );
});
