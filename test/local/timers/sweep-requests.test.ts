/**
 * The timer sweep, driven as the schedule drives it: the SweepRequests
 * function invoked over the Lambda Invoke API, with the clock moved by the
 * event's `now`. Moving the clock a month ahead expires every pending request
 * in a stack, so this file starts a stack of its own rather than disturbing
 * the tests that share the run's stack. Its index pages hold two requests, so
 * a handful of requests already spans several pages.
 */

import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SweepSummary } from '../../../app/timers/sweep';
import { verifyChain } from '../../../domain/audit';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../../../local/credentials';
import { residenceOf } from '../support/organisation';
import {
  codeIn,
  pipelineTables,
  requestStatus,
  submitRequest,
  uniqueEmail,
  verifyCode,
  waitForMail,
} from '../support/pipeline';
import { type StackProcess, startStackProcess } from '../support/stack-process';

const DAY_MS = 24 * 60 * 60 * 1000;
let stack: StackProcess;

beforeAll(async () => {
  stack = await startStackProcess(await mkdtemp(join(tmpdir(), 'dsar-sweep-')), { SWEEP_PAGE_SIZE: '2' });
});

afterAll(async () => {
  await stack?.stop();
});

async function sweepAt(now: Date): Promise<SweepSummary> {
  const lambda = new LambdaClient({
    endpoint: stack.urls.lambda,
    region: LOCAL_REGION,
    credentials: LOCAL_CREDENTIALS,
  });
  const result = await lambda.send(
    new InvokeCommand({
      FunctionName: 'SweepRequests',
      Payload: Buffer.from(JSON.stringify({ now: now.toISOString() })),
    }),
  );
  const payload = JSON.parse(Buffer.from(result.Payload!).toString('utf8')) as unknown;
  expect(result.FunctionError, JSON.stringify(payload)).toBeUndefined();
  return payload as SweepSummary;
}

// Corrections are handled by agents, so a verified one stays open (and in the index) after
// verification, where an access request would be fulfilled and closed within seconds.
async function submit(policyId: string, type = 'correction') {
  const email = uniqueEmail(`sweep-${policyId}`);
  const answer = await submitRequest(stack.urls, {
    type,
    residence: residenceOf(policyId),
    subject: { email },
  });
  expect(answer.status).toBe(202);
  return {
    email,
    requestId: answer.body.requestId as string,
    token: answer.body.statusToken as string,
    receivedAt: Date.parse(answer.body.receivedAt as string),
  };
}

describe('sweeping unverified requests', () => {
  it('expires a request still unverified a day after its 30 days, and a second sweep changes nothing', async () => {
    const tables = pipelineTables(stack.urls);
    const request = await submit('caftrade');
    const code = codeIn(await waitForMail(stack.urls, request.email));

    await sweepAt(new Date(request.receivedAt + 30 * DAY_MS));
    expect((await tables.request(request.requestId))?.status).toBe('pending-verification');

    const first = await sweepAt(new Date(request.receivedAt + 31 * DAY_MS));
    expect(first.changed['expire-unverified']).toBeGreaterThanOrEqual(1);
    const status = await requestStatus(stack.urls, request.requestId, request.token);
    expect(status.body.status).toBe('expired-unverified');
    expect(status.body.timeline).toContainEqual(
      expect.objectContaining({ event: 'status-changed', to: 'expired-unverified' }),
    );
    const trail = await tables.auditTrail(request.requestId);
    expect(trail.at(-1)).toMatchObject({
      type: 'status-changed',
      actor: { kind: 'system', id: 'SweepRequests' },
      details: { from: 'pending-verification', to: 'expired-unverified' },
    });
    expect(verifyChain(trail)).toEqual({ intact: true });
    expect((await verifyCode(stack.urls, request.requestId, code)).status).toBe(409);

    const second = await sweepAt(new Date(request.receivedAt + 31 * DAY_MS));
    expect(second.changed['expire-unverified']).toBe(0);
    expect(await tables.auditTrail(request.requestId)).toHaveLength(trail.length);
  });

  it('walks every page of open requests, expires the unverified and leaves the verified', async () => {
    const tables = pipelineTables(stack.urls);
    const pending = [await submit('caftrade'), await submit('sufe'), await submit('pipl-default')];
    const verified = [await submit('caftrade'), await submit('sufe')];
    for (const request of verified) {
      const code = codeIn(await waitForMail(stack.urls, request.email));
      expect((await verifyCode(stack.urls, request.requestId, code)).status).toBe(200);
    }

    const summary = await sweepAt(new Date(Date.now() + 60 * DAY_MS));

    expect(summary.examined).toBeGreaterThanOrEqual(5);
    expect(summary.pages).toBeGreaterThanOrEqual(3);
    expect(summary.failed).toBe(0);
    for (const request of pending) {
      const record = await tables.request(request.requestId);
      expect(record?.status).toBe('expired-unverified');
      // Closed requests leave the sparse byDueDate index.
      expect(record).not.toHaveProperty('openShard');
    }
    for (const request of verified) {
      expect(await tables.request(request.requestId)).toMatchObject({
        status: 'verified',
        openShard: 'OPEN',
      });
    }
  });
});
