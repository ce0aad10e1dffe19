/**
 * Client errors as values: every 4xx the API returns is an HttpProblem with a
 * stable machine-readable `code`, a human message and, for validation, the
 * offending field. Our own errors are mapped by their kind (domain/errors.ts),
 * so domain code never knows about HTTP and no list of names needs updating
 * when an error is added.
 */
import {
  Conflict,
  Contention,
  DsarError,
  Forbidden,
  Gone,
  InvalidInput,
  NotFound,
  Unauthenticated,
} from '../../domain/errors';

export class HttpProblem extends Error {
  override readonly name = 'HttpProblem' as const;
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
    readonly field?: string,
    /** Every problem found, where one input has several (an imported calendar notice). */
    readonly problems?: readonly string[],
    /** Response headers the problem needs, e.g. `Retry-After` on a 429. */
    readonly headers?: Readonly<Record<string, string>>,
  ) {
    super(message);
  }
}

/** The HTTP status of each kind that is the caller's to fix; any other kind is our fault (5xx). */
const STATUS_OF_KIND: readonly (readonly [abstract new (...args: never[]) => DsarError, number])[] = [
  [InvalidInput, 400],
  [Unauthenticated, 401],
  [Forbidden, 403],
  [NotFound, 404],
  [Conflict, 409],
  [Contention, 409],
  [Gone, 410],
];

/**
 * The only names left: errors of libraries we cannot subclass. Powertools
 * idempotency (SubmitRequest) throws these when an Idempotency-Key comes back
 * with another body, and while the first call with it is still running. By
 * name, so that every handler's bundle does not import the idempotency package
 * to test `instanceof`. (middy's own HTTP errors are mapped below by the
 * `statusCode` they carry.)
 */
const THIRD_PARTY_PROBLEMS: Readonly<Record<string, { readonly status: number; readonly code: string }>> = {
  IdempotencyValidationError: { status: 422, code: 'idempotency-key-reused' },
  IdempotencyAlreadyInProgressError: { status: 409, code: 'request-in-progress' },
};

function statusOf(error: DsarError): number | undefined {
  return STATUS_OF_KIND.find(([kind]) => error instanceof kind)?.[1];
}

/** The problem to answer for any thrown value; undefined means it is our fault (5xx). */
export function problemFor(error: unknown): HttpProblem | undefined {
  if (error instanceof HttpProblem) return error;
  if (error instanceof DsarError) {
    const status = statusOf(error);
    if (status === undefined) return undefined;
    const { problems } = error as { problems?: unknown };
    return new HttpProblem(
      status,
      error.code,
      error.message,
      error.field,
      Array.isArray(problems) ? problems.map(String) : undefined,
    );
  }
  if (error instanceof Error) {
    const known = Object.hasOwn(THIRD_PARTY_PROBLEMS, error.name)
      ? THIRD_PARTY_PROBLEMS[error.name]
      : undefined;
    if (known) return new HttpProblem(known.status, known.code, error.message);
    // middy's own HTTP errors (e.g. from @middy/http-header-normalizer) carry statusCode and expose.
    const { statusCode, expose } = error as Error & { statusCode?: number; expose?: boolean };
    if (typeof statusCode === 'number' && statusCode >= 400 && statusCode < 500 && expose !== false) {
      return new HttpProblem(statusCode, 'bad-request', error.message);
    }
  }
  return undefined;
}
