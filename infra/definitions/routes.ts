/**
 * The HTTP API route table, imported by both the local API Gateway emulator
 * and the CDK HTTP API so that the two can never disagree.
 * Plain data, no aws-cdk-lib imports.
 */

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface RouteDefinition {
  readonly method: HttpMethod;
  /** API Gateway path syntax, e.g. `/v1/requests/{id}`. */
  readonly path: string;
  /** The `FunctionDefinition.id` that handles the route. */
  readonly functionId: string;
  /** `public` routes have no authoriser; `console` routes require a JWT from the console user pool. */
  readonly auth: 'public' | 'console';
  readonly summary: string;
}

/** Every route of the HTTP API; each `functionId` must name an entry of `PIPELINE_FUNCTIONS`. */
export const PIPELINE_ROUTES: readonly RouteDefinition[] = [];
