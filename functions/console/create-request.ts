/**
 * POST /v1/console/requests — a request an agent takes on the subject's
 * behalf (by phone, at the counter, in the app, by post). Stored through the
 * same intake as every channel. With `identityCheck` the agent has checked
 * who the requester is: the identifiers are verified by the agent, the
 * request starts verified (through the transition table) and the subject is
 * mailed a receipt with the due date; without it, an email address gets the
 * usual one-time code and other requests wait for an identity review.
 */
import type { z } from 'zod';
import { loadCalendars } from '../../adapters/aws/calendar-notices';
import { intakePorts } from '../../adapters/aws/intake-ports';
import { mutateRequest } from '../../adapters/aws/request-store';
import { requiredEnv } from '../../adapters/aws/runtime';
import { newBearerToken } from '../../adapters/aws/secrets';
import { startFulfilment } from '../../adapters/aws/workflow-starter';
import { type ConsoleEvent, consoleRouteWithBody } from '../../adapters/lambda/console-api';
import { jsonResponse } from '../../adapters/lambda/http-api';
import { actionContext, notifyRequester } from '../../app/console/console-actions';
import { statusUrl, takeInRequest } from '../../app/intake/request-intake';
import { isApproved } from '../../domain/console/approval';
import { addNote } from '../../domain/console/case-work';
import { ConsoleSubmissionSchema } from '../../domain/console/console-input';
import { RequestTypeNotOffered } from '../../domain/console/errors';
import { identifierViews } from '../../domain/console/view';
import { receiptNotice } from '../../domain/notices';
import { getPolicy } from '../../domain/policy/registry';
import { deps } from './production-deps';

type ConsoleSubmission = z.output<typeof ConsoleSubmissionSchema>;

async function createConsoleRequest(event: ConsoleEvent<ConsoleSubmission>) {
  const { body, caller } = event;
  const policy = getPolicy(body.policyId ?? requiredEnv('DEFAULT_POLICY_ID'));
  if (!policy.rightsOffered.includes(body.type)) {
    throw new RequestTypeNotOffered(body.type, policy.id, policy.rightsOffered);
  }
  const token = newBearerToken();
  const { identityCheck } = body;
  let { record } = await takeInRequest(intakePorts, {
    policy,
    channel: 'console',
    receivedVia: body.receivedVia,
    type: body.type,
    identifiers: body.subject,
    requester: body.requester,
    ...(body.details ? { details: body.details } : {}),
    ...(body.portabilityTarget ? { portabilityTarget: body.portabilityTarget } : {}),
    locale: body.locale,
    actor: caller.actor,
    now: new Date(),
    statusToken: token,
    ...(identityCheck
      ? {
          identityCheck: {
            method: identityCheck.method,
            ...(identityCheck.evidenceKey ? { evidenceKey: identityCheck.evidenceKey } : {}),
            ...(identityCheck.identifiers ? { identifiers: identityCheck.identifiers } : {}),
          },
        }
      : {}),
  });
  let receipt: Awaited<ReturnType<typeof notifyRequester>> | undefined;
  if (identityCheck) {
    // What the agent checked stays with the request, not in the trail.
    const calendars = await loadCalendars();
    record = await mutateRequest(record.requestId, (current) =>
      addNote(
        current,
        `Identity check (${identityCheck.method}): ${identityCheck.note}`,
        actionContext(caller, policy, calendars, new Date()),
      ),
    );
    receipt = await notifyRequester(
      deps,
      record,
      'receipt',
      receiptNotice({
        requestId: record.requestId,
        statusUrl: statusUrl(record.requestId, token),
        dueDate: record.deadline.dueDate,
        organisation: policy.organisation,
      }),
      caller.actor,
    );
    // Data may leave or be destroyed only now, and only once any approval the policy needs is recorded
    // (the approval then starts the workflow).
    if (record.status === 'verified' && isApproved(record, policy)) await startFulfilment(record.requestId);
  }
  return jsonResponse(201, {
    requestId: record.requestId,
    status: record.status,
    type: record.type,
    policyId: record.policyId,
    receivedAt: record.receivedAt,
    dueDate: record.deadline.dueDate,
    ...(record.deadline.provisional
      ? { provisional: true, provisionalYears: record.deadline.provisionalYears }
      : {}),
    ...(record.deadline.pendingOn ? { dueDatePendingOn: record.deadline.pendingOn } : {}),
    identifiers: identifierViews(record.identifiers, false),
    // For the agent to hand over (read out on the phone, print at the counter); only its hash is stored.
    statusUrl: statusUrl(record.requestId, token),
    ...(receipt
      ? { receiptSent: receipt.sent, ...(receipt.reason ? { receiptNotSentBecause: receipt.reason } : {}) }
      : {}),
  });
}

export const handler = consoleRouteWithBody({ schema: ConsoleSubmissionSchema }, createConsoleRequest);
