/**
 * POST /v1/requests — the web form and the public API.
 *
 * Answers 202 with the request id, its status, the due date (or that the clock
 * starts on verification) and a status token. The answer is the same whether
 * or not we hold data about the subject: intake never looks the subject up.
 * Idempotent: a repeated Idempotency-Key, or the same submission within 24
 * hours, returns the request already created (Powertools idempotency).
 */
import { IdempotencyConfig, makeIdempotent } from '@aws-lambda-powertools/idempotency';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import type { Context } from 'aws-lambda';
import { getRequest } from '../../adapters/aws/request-store';
import { requiredEnv } from '../../adapters/aws/runtime';
import { newBearerToken } from '../../adapters/aws/secrets';
import { httpApiWithBody, jsonResponse, type ParsedEvent } from '../../adapters/lambda/http-api';
import { HttpProblem } from '../../adapters/lambda/http-problem';
import { allowedPortabilityOrigins } from '../../adapters/net/outbound-guard';
import { getPolicy } from '../../domain/policy/registry';
import { IdempotencyKeySchema, type Submission, submissionSchema } from '../../domain/submission';
import { hashesMatch } from '../../domain/verification';
import { statusTokenHash, statusUrl, submissionFingerprint, takeInRequest } from './request-intake';

const IDEMPOTENCY_WINDOW_SECONDS = 24 * 60 * 60;

interface CreateRequestCommand {
  /** What makes two submissions "the same": the Idempotency-Key header, or the content. */
  readonly idempotencyKey: string;
  /** Same key with a different body is a client error, not a silent replay. */
  readonly payloadFingerprint: string;
  readonly submission: Submission;
  readonly channel: 'web' | 'api';
  /**
   * Generated before the call and outside the idempotency key: a first call
   * stores its hash, a replay returns the first call's hash, so comparing the
   * two tells whether this caller may be shown the token.
   */
  readonly statusToken: string;
}

let idempotencyConfig: IdempotencyConfig | undefined;
let createOnce:
  | ((command: CreateRequestCommand) => Promise<{ requestId: string; statusTokenHash: string }>)
  | undefined;

/** Built on first use so that the table name is read after local mode has set the environment. */
function idempotentCreate() {
  if (createOnce) return { createOnce, config: idempotencyConfig! };
  idempotencyConfig = new IdempotencyConfig({
    eventKeyJmesPath: 'idempotencyKey',
    payloadValidationJmesPath: 'payloadFingerprint',
    expiresAfterSeconds: IDEMPOTENCY_WINDOW_SECONDS,
  });
  createOnce = makeIdempotent(
    async (command: CreateRequestCommand) => {
      const { submission } = command;
      const { record } = await takeInRequest({
        policy: getPolicy(submission.policyId ?? requiredEnv('DEFAULT_POLICY_ID')),
        channel: command.channel,
        type: submission.type,
        identifiers: submission.subject,
        requester: submission.requester,
        ...(submission.details ? { details: submission.details } : {}),
        ...(submission.portabilityTarget ? { portabilityTarget: submission.portabilityTarget } : {}),
        locale: submission.locale,
        actor: { kind: 'requester', id: command.channel },
        now: new Date(),
        statusToken: command.statusToken,
      });
      // The stored idempotency result holds only the token's hash, never the token.
      return { requestId: record.requestId, statusTokenHash: record.statusTokenHash };
    },
    {
      persistenceStore: new DynamoDBPersistenceLayer({ tableName: requiredEnv('IDEMPOTENCY_TABLE') }),
      config: idempotencyConfig,
    },
  );
  return { createOnce, config: idempotencyConfig };
}

async function lambdaHandler(event: ParsedEvent<Submission>, context: Context) {
  const submission = event.body;
  const channel = event.headers['x-dsar-channel'] === 'web' ? 'web' : 'api';
  const fingerprint = submissionFingerprint(submission);
  const headerKey = event.headers['idempotency-key'];
  if (headerKey !== undefined && !IdempotencyKeySchema.safeParse(headerKey).success) {
    throw new HttpProblem(
      400,
      'invalid-header',
      'Idempotency-Key must be 1-255 printable ASCII characters',
      'Idempotency-Key',
    );
  }
  const { createOnce: create, config } = idempotentCreate();
  config.registerLambdaContext(context);
  const token = newBearerToken();
  const result = await create({
    idempotencyKey: headerKey ? `key:${headerKey}` : `content:${fingerprint}`,
    payloadFingerprint: fingerprint,
    submission,
    channel,
    statusToken: token,
  });
  const record = await getRequest(result.requestId);
  // A replay gets no token: the first caller has it, and it went out by email.
  const fresh = hashesMatch(record.statusTokenHash, await statusTokenHash(record.requestId, token));
  return jsonResponse(202, {
    requestId: record.requestId,
    status: record.status,
    type: record.type,
    policyId: record.policyId,
    receivedAt: record.receivedAt,
    clockStart: record.deadline.clockStart,
    dueDate: record.deadline.dueDate,
    ...(record.deadline.provisional
      ? { provisional: true, provisionalYears: record.deadline.provisionalYears }
      : {}),
    ...(record.deadline.pendingOn ? { dueDatePendingOn: record.deadline.pendingOn } : {}),
    verification: record.verification
      ? { method: record.verification.method, expiresAt: record.verification.expiresAt }
      : undefined,
    ...(fresh
      ? { statusToken: token, statusUrl: statusUrl(record.requestId, token) }
      : { replayed: true, note: 'This request was already received; its status link was sent by email.' }),
  });
}

// Read at load, after local mode set the environment: only its fake processor may be named over http.
export const handler = httpApiWithBody(
  { schema: submissionSchema(allowedPortabilityOrigins()) },
  lambdaHandler,
);
