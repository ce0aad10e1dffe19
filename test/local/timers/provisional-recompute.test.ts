/**
 * A provisional deadline made official on the local stack: a sufe request received in December 2098
 * gets a due date in January 2099 counted on the statutory baseline; then a 2099 notice (invented, a
 * test fixture) is imported by writing the CalendarNotices item directly, and the SweepRequests
 * function, invoked with the event's `now`, recomputes the deadline, puts it on the trail and mails the
 * requester the new date. 2099, never 2027: other tests compute 2027 dates. A stack of its own, with
 * the schedule off, so that nothing sweeps by the real clock.
 */

import { createHash } from 'node:crypto';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StoredNotice } from '../../../adapters/aws/calendar-notices';
import type { SweepSummary } from '../../../app/timers/sweep';
import { verifyChain } from '../../../domain/audit';
import { checkNotice, type OfficialNotice } from '../../../domain/clock';
import { receivedOnFor } from '../../../domain/deadline';
import { getPolicy } from '../../../domain/policy/registry';
import { requestClock } from '../../../domain/request-clock';
import { dueSortKey } from '../../../domain/request-record';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../../../local/credentials';
import { localDynamoDbClient, localTableNames } from '../../../local/dynamodb';
import { residenceOf } from '../support/organisation';
import {
  codeIn,
  mailTo,
  pipelineTables,
  submitRequest,
  uniqueEmail,
  verifyCode,
  waitForMail,
} from '../support/pipeline';
import { type StackProcess, startStackProcess } from '../support/stack-process';

const RECEIVED_AT = '2098-12-15T02:00:00Z'; // 10:00 in Shanghai, a Monday
const JOB = 'recompute-provisional-deadlines';

/** Invented for this test: New Year's Day off from 1 to 7 January 2099. Not an official notice. */
const NOTICE_2099: OfficialNotice = checkNotice({
  calendarId: 'cn-state-council',
  year: 2099,
  source: {
    authority: 'TEST FIXTURE: invented for tests, not a notice of the State Council',
    title: '测试用虚构通知 Invented 2099 holiday arrangements (test fixture, not official)',
    url: 'https://example.invalid/test-fixtures/cn-state-council-2099',
    published: '2098-11-05',
    documentNumber: '测试〔2098〕0号 TEST FIXTURE',
  },
  arrangements: [
    { festival: '元旦 New Year', daysOff: { from: '2099-01-01', to: '2099-01-07' }, makeUpWorkdays: [] },
  ],
}).notice;

let stack: StackProcess;

beforeAll(async () => {
  stack = await startStackProcess(await mkdtemp(join(tmpdir(), 'dsar-recompute-')), { SWEEP_EVERY_MS: '0' });
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
  lambda.destroy();
  const payload = JSON.parse(Buffer.from(result.Payload!).toString('utf8')) as unknown;
  expect(result.FunctionError, JSON.stringify(payload)).toBeUndefined();
  return payload as SweepSummary;
}

/** A verified sufe correction, moved back to RECEIVED_AT with the deadline the packaged calendars give. */
async function requestReceivedInDecember2098() {
  const email = uniqueEmail('recompute');
  const answer = await submitRequest(stack.urls, {
    type: 'correction',
    residence: residenceOf('sufe'),
    subject: { email },
  });
  expect(answer.status).toBe(202);
  const requestId = answer.body.requestId as string;
  const code = codeIn(await waitForMail(stack.urls, email));
  expect((await verifyCode(stack.urls, requestId, code)).status).toBe(200);
  const record = (await pipelineTables(stack.urls).request(requestId))!;
  const policy = getPolicy('sufe');
  const verifiedOn = receivedOnFor(policy, new Date(RECEIVED_AT));
  const { deadline } = requestClock(policy, {
    receivedAt: RECEIVED_AT,
    verifiedOn,
    extended: false,
    pausedUnits: 0,
  });
  await write('REQUESTS_TABLE', {
    ...record,
    receivedAt: RECEIVED_AT,
    verifiedOn,
    deadline,
    dueSortKey: dueSortKey(requestId, deadline.dueDate),
  });
  return { requestId, email };
}

/** Writes behind the API, as a person with access to the table would. */
async function write(
  table: 'REQUESTS_TABLE' | 'CALENDAR_NOTICES_TABLE',
  item: Record<string, unknown>,
): Promise<void> {
  const documents = DynamoDBDocumentClient.from(localDynamoDbClient(stack.urls.dynamodb));
  await documents.send(new PutCommand({ TableName: localTableNames()[table], Item: item }));
  documents.destroy();
}

/** The notice as `dsar calendar import` stores it. */
async function importNotice(notice: OfficialNotice): Promise<void> {
  const stored: StoredNotice = {
    calendarId: notice.calendarId,
    year: notice.year,
    notice,
    importedAt: '2098-12-16T01:00:00.000Z',
    importedBy: 'test',
    sha256: createHash('sha256').update(JSON.stringify(notice)).digest('hex'),
  };
  await write('CALENDAR_NOTICES_TABLE', { ...stored });
}

describe('a provisional deadline once its year is official', () => {
  it('is recomputed by the sweep, put on the trail, and the requester told the new date, once', async () => {
    const { requestId, email } = await requestReceivedInDecember2098();
    const tables = pipelineTables(stack.urls);
    expect((await tables.request(requestId))?.deadline).toMatchObject({
      dueDate: '2099-01-05',
      provisional: true,
      provisionalYears: [2098, 2099],
    });

    const before = await sweepAt(new Date('2098-12-16T04:00:00Z'));
    expect(before).toMatchObject({ failed: 0, calendarYearMissing: 2098 });
    expect(before.changed[JOB]).toBe(0);

    await importNotice(NOTICE_2099);
    const first = await sweepAt(new Date('2098-12-16T05:00:00Z'));
    expect(first).toMatchObject({ failed: 0 });
    expect(first.changed[JOB]).toBe(1);

    const record = (await tables.request(requestId))!;
    expect(record.deadline).toMatchObject({
      dueDate: '2099-01-13',
      provisional: true,
      provisionalYears: [2098],
    });
    expect(record.dueSortKey).toBe(`2099-01-13#${requestId}`);
    const trail = await tables.auditTrail(requestId);
    expect(verifyChain(trail)).toEqual({ intact: true });
    expect(trail).toContainEqual(
      expect.objectContaining({
        type: 'deadline-recomputed',
        actor: { kind: 'system', id: 'SweepRequests' },
        details: expect.objectContaining({
          dueDateBefore: '2099-01-05',
          dueDate: '2099-01-13',
          provisionalYearsBefore: [2098, 2099],
          provisionalYears: [2098],
          sources: [expect.objectContaining({ year: 2099, documentNumber: '测试〔2098〕0号 TEST FIXTURE' })],
        }),
      }),
    );
    expect(trail.at(-1)).toMatchObject({
      type: 'notification-sent',
      details: { notice: 'deadline-recomputed', dueDate: '2099-01-13' },
    });
    const mail = (await mailTo(stack.urls, email)).filter((message) =>
      message.subject.includes('New reply date'),
    );
    expect(mail).toHaveLength(1);
    expect(mail[0]?.text).toContain('2099-01-13');

    const again = await sweepAt(new Date('2098-12-16T05:01:00Z'));
    expect(again.changed[JOB]).toBe(0);
    expect((await tables.auditTrail(requestId)).length).toBe(trail.length);
    expect(
      (await mailTo(stack.urls, email)).filter((m) => m.subject.includes('New reply date')),
    ).toHaveLength(1);
  });
});
