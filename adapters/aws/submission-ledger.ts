/**
 * The production SubmissionLedger (app/intake/ports.ts): Powertools idempotency on the Idempotency table.
 * The persistence layer is built per call, so the table name (and the key prefix, the function's name)
 * are read from the environment when a submission arrives, never at import; the DynamoDB client is the
 * shared one.
 */
import { IdempotencyConfig, makeIdempotent } from '@aws-lambda-powertools/idempotency';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import type { Context } from 'aws-lambda';
import type { SubmissionKey, SubmissionLedger } from '../../app/intake/ports';
import { dynamoDb } from './clients/dynamodb';
import { requiredEnv } from './runtime';

/** A repeated submission within a day is the same request. */
export const IDEMPOTENCY_WINDOW_SECONDS = 24 * 60 * 60;

/** The ledger for one invocation: `context` lets Powertools expire an in-progress record with the Lambda. */
export function dynamoDbSubmissionLedger(context?: Context): SubmissionLedger {
  return {
    once<T extends Record<string, unknown>>(key: SubmissionKey, create: () => Promise<T>): Promise<T> {
      const config = new IdempotencyConfig({
        eventKeyJmesPath: 'idempotencyKey',
        payloadValidationJmesPath: 'payloadFingerprint',
        expiresAfterSeconds: IDEMPOTENCY_WINDOW_SECONDS,
      });
      if (context) config.registerLambdaContext(context);
      const persistenceStore = new DynamoDBPersistenceLayer({
        tableName: requiredEnv('IDEMPOTENCY_TABLE'),
        awsSdkV3Client: dynamoDb,
      });
      const run = makeIdempotent(async (_key: SubmissionKey) => create(), { persistenceStore, config });
      return run({ idempotencyKey: key.idempotencyKey, payloadFingerprint: key.payloadFingerprint });
    },
  };
}
