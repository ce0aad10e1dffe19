/**
 * How local Task states call Lambda. The interpreter's built-in Lambda call
 * works for the function-ARN form, but it reports a function error's Cause
 * as `Type: message` text, cannot run `arn:aws:states:::lambda:invoke`
 * (it passes that ARN as the function name) and only finds the local Lambda
 * service through the process-wide `AWS_ENDPOINT_URL_LAMBDA`. These task
 * handlers replace it for every Task state and reproduce Step Functions:
 *
 * - function error → state error named after the Lambda `errorType` (what
 *   `Retry`/`Catch` `ErrorEquals` match), Cause = the error payload as JSON;
 * - Lambda service error → `Lambda.<ExceptionName>` (e.g.
 *   `Lambda.ResourceNotFoundException`), connection failure →
 *   `Lambda.SdkClientException`;
 * - `lambda:invoke` → result `{ ExecutedVersion, Payload, StatusCode,
 *   SdkHttpMetadata, SdkResponseMetadata }` with the payload parsed.
 */
import {
  InvokeCommand,
  type InvokeCommandOutput,
  LambdaClient,
  LambdaServiceException,
} from '@aws-sdk/client-lambda';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from './credentials';
import type { LambdaTaskForm } from './stepfunctions-definition';

type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type TaskHandler = (input: JsonValue) => Promise<JsonValue>;

/**
 * A failed Task. Its `name` is not fixed: it is whatever error name Step
 * Functions would report (the function's own errorType, or `Lambda.*`), since
 * that name is what the definition's `Retry` and `Catch` match.
 */
export class LambdaTaskError extends Error {
  constructor(errorName: string, cause: string) {
    super(cause);
    this.name = errorName;
  }
}

export class InvalidLambdaInvokeParametersError extends Error {
  override name = 'States.Runtime' as const;
}

interface InvokeRequest {
  readonly functionName: string;
  readonly payload: JsonValue | undefined;
  readonly invocationType?: 'RequestResponse' | 'Event' | 'DryRun';
  readonly qualifier?: string;
  readonly clientContext?: string;
}

export function createLambdaTaskClient(lambdaEndpoint: string | undefined): LambdaClient {
  return new LambdaClient({
    // Without an endpoint the SDK falls back to AWS_ENDPOINT_URL_LAMBDA, as on a configured laptop.
    ...(lambdaEndpoint ? { endpoint: lambdaEndpoint } : {}),
    region: LOCAL_REGION,
    credentials: LOCAL_CREDENTIALS,
    // Step Functions surfaces a failed invoke to the state's own Retry rules; no hidden SDK retries.
    maxAttempts: 1,
  });
}

/** One handler per Task state name, for the interpreter's `taskResourceLocalHandlers`. */
export function lambdaTaskHandlers(
  tasks: ReadonlyMap<string, LambdaTaskForm>,
  client: LambdaClient,
): Record<string, TaskHandler> {
  const handlers: Record<string, TaskHandler> = {};
  for (const [stateName, form] of tasks) {
    handlers[stateName] =
      form.kind === 'function-arn'
        ? async (input) => (await invoke(client, { functionName: form.functionArn, payload: input })).payload
        : async (input) => invokeIntegrationResult(await invoke(client, lambdaInvokeRequest(input)));
  }
  return handlers;
}

function lambdaInvokeRequest(input: JsonValue): InvokeRequest {
  if (
    typeof input !== 'object' ||
    input === null ||
    Array.isArray(input) ||
    typeof input.FunctionName !== 'string'
  ) {
    throw new InvalidLambdaInvokeParametersError('lambda:invoke needs Parameters.FunctionName');
  }
  return {
    functionName: input.FunctionName,
    payload: input.Payload,
    ...(typeof input.InvocationType === 'string'
      ? { invocationType: input.InvocationType as InvokeRequest['invocationType'] }
      : {}),
    ...(typeof input.Qualifier === 'string' ? { qualifier: input.Qualifier } : {}),
    ...(typeof input.ClientContext === 'string' ? { clientContext: input.ClientContext } : {}),
  };
}

interface InvokeResult {
  readonly payload: JsonValue;
  readonly statusCode: number;
  readonly executedVersion: string | undefined;
  readonly requestId: string | undefined;
}

async function invoke(client: LambdaClient, request: InvokeRequest): Promise<InvokeResult> {
  let response: InvokeCommandOutput;
  try {
    response = await client.send(
      new InvokeCommand({
        FunctionName: request.functionName,
        Payload: new TextEncoder().encode(JSON.stringify(request.payload ?? {})),
        InvocationType: request.invocationType,
        Qualifier: request.qualifier,
        ClientContext: request.clientContext,
      }),
    );
  } catch (error) {
    if (error instanceof LambdaServiceException) {
      throw new LambdaTaskError(`Lambda.${error.name}`, JSON.stringify({ errorMessage: error.message }));
    }
    throw new LambdaTaskError('Lambda.SdkClientException', String(error));
  }
  const text = response.Payload ? new TextDecoder().decode(response.Payload) : '';
  if (response.FunctionError) {
    const errorPayload = JSON.parse(text) as { errorType?: string };
    throw new LambdaTaskError(errorPayload.errorType ?? 'Lambda.Unknown', text);
  }
  return {
    payload: text === '' ? null : (JSON.parse(text) as JsonValue),
    statusCode: response.StatusCode ?? 200,
    executedVersion: response.ExecutedVersion,
    requestId: response.$metadata.requestId,
  };
}

function invokeIntegrationResult(result: InvokeResult): JsonValue {
  return {
    ExecutedVersion: result.executedVersion ?? '$LATEST',
    Payload: result.payload,
    SdkHttpMetadata: { HttpStatusCode: result.statusCode },
    SdkResponseMetadata: { RequestId: result.requestId ?? '' },
    StatusCode: result.statusCode,
  };
}
