/**
 * The error half of AWS's JSON protocols (1.0 for Step Functions, 1.1 for
 * Secrets Manager), shared by the local services that speak them: the SDK
 * reads the error's name from `x-amzn-ErrorType` and `__type`, so a local
 * service answers exactly as AWS does and the handlers' error handling is the
 * one that runs on AWS.
 */
import type { ServerResponse } from 'node:http';

/** An error the service answers with `code` (e.g. `InvalidRequestException`) and an HTTP status. */
export class AwsJsonServiceError extends Error {
  override name = 'AwsJsonServiceError' as const;
  constructor(
    readonly code: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

/** Answers `error`; anything but an AwsJsonServiceError becomes `internalCode` with status 500. */
export function writeAwsJsonError(
  response: ServerResponse,
  contentType: string,
  error: unknown,
  internalCode: string,
): void {
  const serviceError =
    error instanceof AwsJsonServiceError
      ? error
      : new AwsJsonServiceError(internalCode, 'Internal error', 500);
  response
    .writeHead(serviceError.status, { 'Content-Type': contentType, 'x-amzn-ErrorType': serviceError.code })
    .end(JSON.stringify({ __type: serviceError.code, message: serviceError.message }));
}
