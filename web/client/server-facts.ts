/**
 * The server's facts the browser code needs — request types and statuses, the
 * console's role matrix, the pages' words — re-exported from where they live,
 * so the client is type-checked against them and the unit tests use the very
 * same values.
 *
 * The page bundles do not import these modules (they would bring zod and the
 * rest of the domain along): scripts/build-web.ts replaces this module with its
 * values as JSON literals when it bundles, so only data reaches the browser.
 * Every export must therefore be plain JSON data (the build checks).
 */
import { AGENT_ID } from '../../domain/console/case-records';

export {
  CONSOLE_AUTHORISATION,
  CONSOLE_PRIVILEGES,
  CONSOLE_ROLES,
} from '../../definitions/console-roles';
export { OPEN_STATUSES } from '../../domain/lifecycle';
export { DISCLOSING_TYPES, REQUEST_TYPES } from '../../domain/request';
export {
  ACTOR_TEXT,
  CHANNEL_TEXT,
  CLOCK_PROMISE_TEXT,
  CLOSED_STATUSES,
  CONSOLE_STATUS_TEXT,
  PROBLEM_TEXT,
  REQUEST_TYPE_TEXT,
  STATUS_TEXT,
  STORE_RESULT_TEXT,
  TIMELINE_TEXT,
  UNIT_TEXT,
  VALIDATION_TEXT,
} from '../labels';

/** A console user's id as the API accepts it (domain/console/case-records.ts AGENT_ID), as RegExp source. */
export const AGENT_ID_PATTERN = AGENT_ID.source;
