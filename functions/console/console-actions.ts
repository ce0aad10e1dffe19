/**
 * What every console action handler does around its domain function: read the
 * request, decide with the policy's "today", write the change and its audit
 * events in one transaction (re-deciding on a concurrent write), and tell the
 * requester where the action calls for it, with the outcome on the trail.
 */
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { BatchGetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { loadCalendars } from '../../adapters/aws/calendar-notices';
import { documentClient } from '../../adapters/aws/clients/dynamodb';
import { sendMail } from '../../adapters/aws/mailer';
import { mutateRequest } from '../../adapters/aws/request-store';
import { logger, metrics, requiredEnv } from '../../adapters/aws/runtime';
import type { ConsoleCaller } from '../../adapters/lambda/console-caller';
import { type CalendarSet, plainDateInZone } from '../../domain/clock';
import type { ActionContext, RecordChange } from '../../domain/console/action';
import type { EarlierRequest } from '../../domain/console/repeat';
import type { Actor } from '../../domain/lifecycle';
import type { Notice } from '../../domain/notices';
import { getPolicy } from '../../domain/policy/registry';
import type { PolicyProfile } from '../../domain/policy/schema';
import type { RequestRecord } from '../../domain/request-record';

/**
 * The action's context for a request under `policy`: the caller, now, today in the policy's zone, and
 * the calendars with the imported notices.
 */
export function actionContext(
  caller: ConsoleCaller,
  policy: PolicyProfile,
  calendars: CalendarSet,
  now = new Date(),
): ActionContext {
  return {
    actor: caller.actor,
    at: now.toISOString(),
    today: plainDateInZone(now, policy.timeZone),
    calendars,
  };
}

/**
 * Applies a console action to the stored request: `decide` sees the request as
 * stored now (again after a concurrent write) and returns the change, or
 * undefined when there is nothing to write. Domain errors it throws reach the
 * caller as problems by their kind (domain/errors.ts).
 */
export async function changeRequest(
  requestId: string,
  caller: ConsoleCaller,
  decide: (current: RequestRecord, policy: PolicyProfile, context: ActionContext) => RecordChange | undefined,
): Promise<RequestRecord> {
  const calendars = await loadCalendars();
  return mutateRequest(requestId, (current) => {
    const policy = getPolicy(current.policyId);
    return decide(current, policy, actionContext(caller, policy, calendars));
  });
}

export type NoticeKind = 'refusal' | 'extension' | 'information-request' | 'receipt' | 'correction';

export interface NoticeOutcome {
  readonly sent: boolean;
  /** Why not: the request has no email address, or the mail failed (by error name). */
  readonly reason?: 'no-email-address' | 'mail-failed';
}

/**
 * Mails `notice` to the subject's email address and records the outcome on the
 * trail. A request taken by phone may have no address: the agent is told to
 * pass the notice on another way. A failed mail never undoes the action.
 */
export async function notifyRequester(
  record: RequestRecord,
  kind: NoticeKind,
  notice: Notice,
  actor: Actor,
): Promise<NoticeOutcome> {
  const email = record.identifiers.find((identifier) => identifier.kind === 'email');
  if (!email) return { sent: false, reason: 'no-email-address' };
  let outcome: NoticeOutcome;
  let details: Record<string, unknown>;
  try {
    await sendMail({ to: email.value, ...notice });
    outcome = { sent: true };
    details = { notice: kind, to: email.masked };
  } catch (error) {
    const errorName = error instanceof Error ? error.name : 'UnknownError';
    logger.error('Requester notice not sent', { requestId: record.requestId, notice: kind, errorName });
    metrics.addMetric('NotificationFailed', MetricUnit.Count, 1);
    outcome = { sent: false, reason: 'mail-failed' };
    details = { notice: kind, errorName };
  }
  const type = outcome.sent ? 'notification-sent' : 'notification-failed';
  await mutateRequest(record.requestId, (current) => ({
    next: current,
    events: [{ type, actor, at: new Date().toISOString(), details }],
  })).catch((error: unknown) => {
    logger.error('Notice outcome not recorded on the trail', {
      requestId: record.requestId,
      errorName: error instanceof Error ? error.name : 'UnknownError',
    });
  });
  return outcome;
}

/** Earlier requests keyed by the same subject, from the bySubject index (keys only) and a batch read. */
export async function subjectRequests(subjectKey: string, since: string): Promise<EarlierRequest[]> {
  const table = requiredEnv('REQUESTS_TABLE');
  const ids: string[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await documentClient.send(
      new QueryCommand({
        TableName: table,
        IndexName: 'bySubject',
        KeyConditionExpression: 'subjectKey = :subject AND receivedAt >= :since',
        ExpressionAttributeValues: { ':subject': subjectKey, ':since': since },
        ExclusiveStartKey: startKey,
      }),
    );
    for (const item of page.Items ?? []) ids.push(item.requestId as string);
    startKey = page.LastEvaluatedKey;
  } while (startKey);

  const found: EarlierRequest[] = [];
  // BatchGetItem reads at most 100 keys per call, and may hand some back unprocessed.
  for (let offset = 0; offset < ids.length; offset += 100) {
    let keys: Record<string, unknown>[] | undefined = ids
      .slice(offset, offset + 100)
      .map((requestId) => ({ requestId }));
    for (let attempt = 0; keys && keys.length > 0 && attempt < 5; attempt++) {
      const result = await documentClient.send(
        new BatchGetCommand({
          RequestItems: {
            [table]: {
              Keys: keys,
              ProjectionExpression: 'requestId, #type, #status, receivedAt',
              ExpressionAttributeNames: { '#type': 'type', '#status': 'status' },
            },
          },
        }),
      );
      found.push(...((result.Responses?.[table] ?? []) as EarlierRequest[]));
      keys = result.UnprocessedKeys?.[table]?.Keys as Record<string, unknown>[] | undefined;
      if (keys && keys.length > 0) await new Promise((resolve) => setTimeout(resolve, 50 * 2 ** attempt));
    }
  }
  return found;
}
