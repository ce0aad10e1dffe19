/**
 * Client errors as values: every 4xx the API returns is an HttpProblem with a
 * stable machine-readable `code`, a human message and, for validation, the
 * offending field. Domain errors are mapped to problems by name, so domain
 * code never knows about HTTP.
 */

export class HttpProblem extends Error {
  override readonly name = 'HttpProblem' as const;
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
    readonly field?: string,
    /** Every problem found, where one input has several (an imported calendar notice). */
    readonly problems?: readonly string[],
  ) {
    super(message);
  }
}

/** Named domain and SDK errors that are the caller's fault, with the status they deserve. */
const CLIENT_ERROR_STATUS: Readonly<Record<string, { status: number; code: string }>> = {
  UnknownPolicy: { status: 400, code: 'unknown-policy' },
  InvalidIdentifier: { status: 400, code: 'invalid-identifier' },
  InvalidPlainDate: { status: 400, code: 'invalid-date' },
  IllegalTransition: { status: 409, code: 'illegal-transition' },
  RefusalGroundRequired: { status: 400, code: 'refusal-ground-required' },
  RequestNotFound: { status: 404, code: 'not-found' },
  StaleRequest: { status: 409, code: 'conflict' },
  IdempotencyValidationError: { status: 422, code: 'idempotency-key-reused' },
  IdempotencyAlreadyInProgressError: { status: 409, code: 'request-in-progress' },
};

/** The problem to answer for any thrown value; undefined means it is our fault (5xx). */
export function problemFor(error: unknown): HttpProblem | undefined {
  if (error instanceof HttpProblem) return error;
  if (error instanceof Error) {
    const known = CLIENT_ERROR_STATUS[error.name];
    if (known) return new HttpProblem(known.status, known.code, error.message);
    // middy's own HTTP errors (e.g. from @middy/http-header-normalizer) carry statusCode and expose.
    const { statusCode, expose } = error as Error & { statusCode?: number; expose?: boolean };
    if (typeof statusCode === 'number' && statusCode >= 400 && statusCode < 500 && expose !== false) {
      return new HttpProblem(statusCode, 'bad-request', error.message);
    }
  }
  return undefined;
}
