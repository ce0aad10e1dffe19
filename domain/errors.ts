/**
 * The pipeline's errors, by kind. Every error of ours extends exactly one kind
 * below, and the kind, not the class's name, decides what the error means at
 * the edges:
 *
 * - over HTTP (adapters/lambda/http-problem.ts `problemFor`): InvalidInput 400,
 *   Unauthenticated 401, Forbidden 403, NotFound 404, Conflict 409, Gone 410,
 *   Contention 409 (a transient conflict: try again); every other kind is our
 *   fault or a third party's and answers a bare 500;
 * - in the fulfilment workflow: a TransientError is retried (its name is in a
 *   `Retry` `ErrorEquals` of statemachines/fulfilment.asl.json, checked by
 *   test/unit/statemachines/error-classes.test.ts); anything else is permanent
 *   and goes to the state's `Catch`.
 *
 * `code` is the stable, machine-readable problem code an API answer carries;
 * `field` names the input at fault, where there is one. Each class keeps its own
 * `name`: it is the Lambda `errorType` that ASL matches on and what logs show.
 */

export interface DsarErrorOptions extends ErrorOptions {
  /** The input at fault (a body field, a query parameter, a path segment). */
  readonly field?: string;
}

export abstract class DsarError extends Error {
  abstract override readonly name: string;
  /** Stable problem code (kebab-case); what clients and dashboards match on. */
  abstract readonly code: string;
  declare readonly field?: string;

  constructor(message?: string, options?: DsarErrorOptions) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    if (options?.field !== undefined) (this as { field?: string }).field = options.field;
  }
}

/** A value the caller gave that the request's policy, content or our rules cannot take (400). */
export abstract class InvalidInput extends DsarError {}

/** The caller is not identified (401). */
export abstract class Unauthenticated extends DsarError {}

/** The caller is identified but may not do this (403). */
export abstract class Forbidden extends DsarError {}

/** The thing asked about does not exist, or the caller may not learn that it does (404). */
export abstract class NotFound extends DsarError {}

/** The request's state or its policy's rules forbid the action now; asking again will not help (409). */
export abstract class Conflict extends DsarError {}

/** The thing existed and is gone for good (410). */
export abstract class Gone extends DsarError {}

/**
 * A failure that the same call may not meet again: a store or an endpoint that
 * is down, a write that lost a race. The fulfilment workflow retries it; over
 * HTTP it is a 500 unless it is a Contention.
 */
export abstract class TransientError extends DsarError {}

/** Another writer changed the same item first: retried in the workflow, 409 over HTTP (try again). */
export abstract class Contention extends TransientError {}

/**
 * A failure that retrying will not cure and that is not the caller's input:
 * a refusal by a store or a recipient, a missing setting, a broken invariant.
 * Never retried (the workflow's `Catch` records it); over HTTP a bare 500.
 */
export abstract class PermanentError extends DsarError {}
