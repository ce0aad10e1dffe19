/**
 * A request an agent takes on the subject's behalf (by phone, at the counter, in the app, by post).
 * Stored through the same intake as every channel (app/intake/request-intake.ts). With `identityCheck`
 * the agent has checked who the requester is: the identifiers are verified by the agent, the request
 * starts verified (through the transition table) and the subject is mailed a receipt with the due date;
 * without it, an email address gets the usual one-time code and other requests wait for an identity
 * review. A request that exports or erases data then waits for a second console user's approval (four
 * eyes, the organisation's floor; domain/console/approval.ts): the agent who took it cannot approve it.
 */
import type { z } from 'zod';
import { approvalRequirement, isApproved } from '../../domain/console/approval';
import { addNote } from '../../domain/console/case-work';
import type { ConsoleSubmissionSchema } from '../../domain/console/console-input';
import { RequestTypeNotOffered } from '../../domain/console/errors';
import { identifierViews } from '../../domain/console/view';
import { receiptNotice } from '../../domain/notices';
import { getPolicy } from '../../domain/policy/registry';
import { type IntakeDeps, statusUrl, takeInRequest } from '../intake/request-intake';
import type { WorkflowStarter } from '../ports';
import { actionContext, type NoticeOutcome, notifyRequester } from './console-actions';
import type { ConsoleLog, ConsoleUser } from './ports';

/** Intake's ports, where a receipt's failure is reported, and the workflow a verified request starts. */
export interface CreateRequestDeps extends IntakeDeps {
  readonly log: ConsoleLog;
  readonly fulfilment: WorkflowStarter;
}

export interface CreateRequestInput {
  readonly submission: z.output<typeof ConsoleSubmissionSchema>;
  /** The deployment's policy, for a submission that names none. */
  readonly defaultPolicyId: string;
}

export async function createConsoleRequest(
  deps: CreateRequestDeps,
  caller: ConsoleUser,
  { submission: body, defaultPolicyId }: CreateRequestInput,
) {
  const policy = getPolicy(body.policyId ?? defaultPolicyId);
  if (!policy.rightsOffered.includes(body.type)) {
    throw new RequestTypeNotOffered(body.type, policy.id, policy.rightsOffered);
  }
  const token = deps.oneTimeSecrets.bearerToken();
  const { identityCheck } = body;
  let { record } = await takeInRequest(deps, {
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
    now: deps.clock.now(),
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
  let receipt: NoticeOutcome | undefined;
  if (identityCheck) {
    // What the agent checked stays with the request, not in the trail.
    const calendars = await deps.calendars.calendars();
    record = await deps.requests.mutate(record.requestId, (current) =>
      addNote(
        current,
        `Identity check (${identityCheck.method}): ${identityCheck.note}`,
        actionContext(caller, policy, calendars, deps.clock.now()),
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
    if (record.status === 'verified' && isApproved(record, policy))
      await deps.fulfilment.start(record.requestId);
  }
  const approval = approvalRequirement(record, policy);
  return {
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
    // Why fulfilment waits for an approval, and who may not give it (the agent, under four eyes).
    ...(approval.required
      ? { awaitingApproval: { reasons: approval.reasons, notApprovableBy: approval.notApprovableBy } }
      : {}),
    // For the agent to hand over (read out on the phone, print at the counter); only its hash is stored.
    statusUrl: statusUrl(record.requestId, token),
    ...(receipt
      ? { receiptSent: receipt.sent, ...(receipt.reason ? { receiptNotSentBecause: receipt.reason } : {}) }
      : {}),
  };
}
