/**
 * Reply timers on the local stack, driven as a person would drive them: the
 * SweepRequests function invoked day by day with the event's `now` (and once
 * through `npx dsar sweep`), mail read from the outbox, the trail from the
 * audit table. The stack's own schedule is off (SWEEP_EVERY_MS=0): a sweep by
 * the real clock would find the 2025 request long overdue.
 *
 * The request is taken in through the API and verified, then its receipt is
 * moved back to 26 September 2025 (with the due date the engine computes for
 * that day), so that its period runs across China's National Day holiday.
 */

import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SweepSummary } from '../../../app/timers/sweep';
import { verifyChain } from '../../../domain/audit';
import { addDays, type PlainDate } from '../../../domain/clock';
import { receivedOnFor } from '../../../domain/deadline';
import { getPolicy } from '../../../domain/policy/registry';
import { requestClock } from '../../../domain/request-clock';
import { dueSortKey } from '../../../domain/request-record';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../../../local/credentials';
import { localDynamoDbClient, localTableNames } from '../../../local/dynamodb';
import type { OutboxMessage } from '../../../local/outbox';
import { runDsar } from '../../unit/cli/run-dsar';
import { residenceOf } from '../support/organisation';
import {
  codeIn,
  mailTo,
  outbox,
  pipelineTables,
  submitRequest,
  uniqueEmail,
  verifyCode,
  waitForMail,
} from '../support/pipeline';
import { type StackProcess, startStackProcess } from '../support/stack-process';

const TEAM = 'privacy-team@demo.example';
const SUPERVISORS = 'privacy-supervisors@demo.example';
const RECEIVED_AT = '2025-09-26T02:00:00Z'; // 10:00 in Shanghai

let stack: StackProcess;
let stateDir: string;

beforeAll(async () => {
  stateDir = await mkdtemp(join(tmpdir(), 'dsar-timers-'));
  stack = await startStackProcess(stateDir, { SWEEP_EVERY_MS: '0' });
});

afterAll(async () => {
  await stack?.stop();
});

/** Noon in Shanghai on `date`. */
function noonInShanghai(date: string): Date {
  return new Date(`${date}T04:00:00Z`);
}

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
  lambda.destroy();
  const payload = JSON.parse(Buffer.from(result.Payload!).toString('utf8')) as unknown;
  expect(result.FunctionError, JSON.stringify(payload)).toBeUndefined();
  return payload as SweepSummary;
}

/**
 * A correction (agents handle corrections, so it stays open) taken in through the API, verified when
 * `verify`, then moved back to `receivedAt` with the deadline the engine computes for that day.
 */
async function backdatedRequest(policyId: string, receivedAt: string, verify: boolean) {
  const email = uniqueEmail(`timers-${policyId}`);
  const answer = await submitRequest(stack.urls, {
    type: 'correction',
    residence: residenceOf(policyId),
    subject: { email },
  });
  expect(answer.status).toBe(202);
  const requestId = answer.body.requestId as string;
  if (verify) {
    const code = codeIn(await waitForMail(stack.urls, email));
    expect((await verifyCode(stack.urls, requestId, code)).status).toBe(200);
  }
  const record = (await pipelineTables(stack.urls).request(requestId))!;
  const policy = getPolicy(policyId);
  const receivedOn = receivedOnFor(policy, new Date(receivedAt));
  const { deadline } = requestClock(policy, {
    receivedAt,
    ...(verify ? { verifiedOn: receivedOn } : {}),
    extended: false,
    pausedUnits: 0,
  });
  const documents = DynamoDBDocumentClient.from(localDynamoDbClient(stack.urls.dynamodb));
  await documents.send(
    new PutCommand({
      TableName: localTableNames().REQUESTS_TABLE,
      Item: {
        ...record,
        receivedAt,
        ...(verify ? { verifiedOn: receivedOn } : {}),
        deadline,
        dueSortKey: dueSortKey(requestId, deadline.dueDate),
      },
    }),
  );
  documents.destroy();
  return { requestId, email };
}

/** A verified sufe correction received on 26 September 2025, before National Day. */
async function sufeRequestReceivedBeforeNationalDay(): Promise<string> {
  return (await backdatedRequest('sufe', RECEIVED_AT, true)).requestId;
}

/** Mail to staff about `requestId` (the requester's verification mail names it too), newest first. */
function aboutRequest(messages: readonly OutboxMessage[], requestId: string): OutboxMessage[] {
  return messages.filter(
    (message) =>
      message.subject.includes(requestId) && message.to.some((to) => to === TEAM || to === SUPERVISORS),
  );
}

describe('reply timers across the National Day holiday', () => {
  it('reminds on 16 and 24 October, marks the breach on 31 October, and sends nothing on 1-8 October', async () => {
    const requestId = await sufeRequestReceivedBeforeNationalDay();
    const tables = pipelineTables(stack.urls);
    const mailDays: { day: string; to: readonly string[]; subject: string }[] = [];
    let seen = aboutRequest(await outbox(stack.urls), requestId).length;

    for (let day = '2025-09-26' as PlainDate; day <= '2025-11-02'; day = addDays(day, 1)) {
      if (day === '2025-10-31') {
        // The breach day through the CLI, as a person runs it beside npm start.
        const run = await runDsar(['sweep', '--now', `${day}T12:00:00+08:00`, '--state-dir', stateDir]);
        // Node 20 here: the AWS SDK warns on stderr that it will need Node 22; no error of ours.
        expect(run.stderr).not.toContain('dsar:');
        expect(run.status).toBe(0);
        expect(JSON.parse(run.stdout)).toMatchObject({ failed: 0, changed: { 'deadline-timers': 1 } });
      } else {
        const summary = await sweepAt(noonInShanghai(day));
        expect(summary.failed).toBe(0);
      }
      const mail = aboutRequest(await outbox(stack.urls), requestId);
      for (const message of mail.slice(0, mail.length - seen)) {
        mailDays.push({ day, to: message.to, subject: message.subject });
      }
      seen = mail.length;
    }

    expect(mailDays).toEqual([
      { day: '2025-10-16', to: [TEAM], subject: expect.stringContaining('50% elapsed') },
      { day: '2025-10-24', to: [TEAM], subject: expect.stringContaining('80% elapsed') },
      { day: '2025-10-31', to: [SUPERVISORS], subject: expect.stringContaining('Reply deadline missed') },
    ]);
    const breachMail = aboutRequest(await outbox(stack.urls), requestId)[0]!;
    expect(breachMail.text).toContain('2025-10-30');

    const record = await tables.request(requestId);
    expect(record).toMatchObject({
      status: 'verified',
      openShard: 'OPEN',
      breach: { dueDate: '2025-10-30', at: '2025-10-31T04:00:00.000Z' },
      remindersSent: {
        'reminder:0.5': '2025-10-16T04:00:00.000Z',
        'reminder:0.8': '2025-10-24T04:00:00.000Z',
      },
    });
    const trail = await tables.auditTrail(requestId);
    const timerEvents = trail.filter((event) => ['reminder-sent', 'deadline-breached'].includes(event.type));
    expect(timerEvents).toEqual([
      expect.objectContaining({
        type: 'reminder-sent',
        at: '2025-10-16T04:00:00.000Z',
        actor: { kind: 'system', id: 'SweepRequests' },
        details: expect.objectContaining({ kind: 'reminder:0.5', dueDate: '2025-10-30', to: 'team' }),
      }),
      expect.objectContaining({
        type: 'reminder-sent',
        details: expect.objectContaining({ kind: 'reminder:0.8' }),
      }),
      expect.objectContaining({
        type: 'deadline-breached',
        details: expect.objectContaining({ dueDate: '2025-10-30' }),
      }),
    ]);
    expect(verifyChain(trail)).toEqual({ intact: true });

    // The breach reaches CloudWatch as an EMF line of the sweep's output (the local stack's log).
    const log = await readFile(stack.urls.logFile, 'utf8');
    const emf = log
      .split('\n')
      .filter((line) => line.startsWith('{') && line.includes('"DeadlineBreaches"'))
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(emf).toContainEqual(expect.objectContaining({ DeadlineBreaches: 1 }));
  });

  it('sends nothing twice when the same sweep runs again', async () => {
    const requestId = await sufeRequestReceivedBeforeNationalDay();
    const tables = pipelineTables(stack.urls);
    const first = await sweepAt(noonInShanghai('2025-11-03'));
    expect(first.changed['deadline-timers']).toBeGreaterThanOrEqual(1);
    const mail = aboutRequest(await outbox(stack.urls), requestId);
    // Past the due date, the reminders are not sent: the breach says more.
    expect(mail.map((message) => message.to)).toEqual([[SUPERVISORS]]);
    const trail = await tables.auditTrail(requestId);

    const again = await sweepAt(noonInShanghai('2025-11-03'));
    const later = await sweepAt(noonInShanghai('2025-11-04'));
    expect(again.changed['deadline-timers']).toBe(0);
    expect(later.changed['deadline-timers']).toBe(0);
    expect(aboutRequest(await outbox(stack.urls), requestId)).toHaveLength(mail.length);
    expect(await tables.auditTrail(requestId)).toHaveLength(trail.length);
  });
});

describe('acknowledging a ccpa request', () => {
  it('mails the requester a confirmation with the reply date three business days before it is due, once', async () => {
    // Received Thursday 20 November 2025 in Los Angeles: acknowledge by 5 December (Thanksgiving skipped).
    const { requestId, email } = await backdatedRequest('ccpa', '2025-11-20T18:00:00Z', false);
    const tables = pipelineTables(stack.urls);
    const before = await mailTo(stack.urls, email);

    await sweepAt(new Date('2025-12-01T20:00:00Z'));
    expect(await mailTo(stack.urls, email)).toHaveLength(before.length);

    await sweepAt(new Date('2025-12-02T20:00:00Z'));
    await sweepAt(new Date('2025-12-03T20:00:00Z'));
    const after = await mailTo(stack.urls, email);
    expect(after).toHaveLength(before.length + 1);
    expect(after[0]).toMatchObject({ subject: expect.stringContaining('We have received your request') });
    expect(after[0]?.text).toContain('We will reply by 2026-01-04');
    expect(await tables.request(requestId)).toMatchObject({
      status: 'pending-verification',
      remindersSent: { acknowledgement: '2025-12-02T20:00:00.000Z' },
    });
    expect(await tables.auditTrail(requestId)).toContainEqual(
      expect.objectContaining({
        type: 'notification-sent',
        details: expect.objectContaining({ notice: 'acknowledgement', late: false }),
      }),
    );
  });
});

describe('a year without official calendar data', () => {
  // Last in the file: sweeping as of 2099 expires or breaches whatever else is open in this stack.
  it('is counted on the provisional baseline: the sweep reminds on time and fails nothing', async () => {
    const requestId = await sufeRequestReceivedBeforeNationalDay();
    const record = (await pipelineTables(stack.urls).request(requestId))!;
    const documents = DynamoDBDocumentClient.from(localDynamoDbClient(stack.urls.dynamodb));
    await documents.send(
      new PutCommand({
        TableName: localTableNames().REQUESTS_TABLE,
        Item: {
          ...record,
          deadline: {
            ...record.deadline,
            dueDate: '2099-12-30',
            reminders: [{ fraction: 0.5, date: '2099-01-05' }],
            provisional: true,
            provisionalYears: [2099],
          },
        },
      }),
    );
    documents.destroy();

    const summary = await sweepAt(new Date('2099-01-06T04:00:00Z'));
    expect(summary).toMatchObject({ failed: 0, calendarYearMissing: 2099 });
    expect(summary).not.toHaveProperty('calendarDataMissing');
    expect(await pipelineTables(stack.urls).request(requestId)).toMatchObject({
      remindersSent: { 'reminder:0.5': '2099-01-06T04:00:00.000Z' },
    });
  });
});
