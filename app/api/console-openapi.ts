/**
 * The console routes' part of the OpenAPI document (app/api/openapi.ts),
 * from the schemas the handlers validate with. Every console route answers 401
 * without a valid console JWT and 403 to a role its row of the authorisation
 * matrix does not list.
 */
import type { z } from 'zod';
import { CONSOLE_AUTHORISATION, type ConsoleRouteKey } from '../../definitions/console-roles';
import { OfficialNoticeSchema } from '../../domain/clock';
import { IMPORTABLE_CALENDARS } from '../../domain/console/calendar-import';
import {
  ApprovalSchema,
  AssignSchema,
  AwaitingRequesterSchema,
  ConsoleSubmissionSchema,
  ExtensionSchema,
  IdentityReviewSchema,
  LIST_LIMIT_DEFAULT,
  LIST_LIMIT_MAX,
  ManualTaskDoneSchema,
  NoteSchema,
  RedriveSchema,
  RefusalSchema,
  RepeatSchema,
  ResumeSchema,
  RevokeDownloadLinksSchema,
  TriageSchema,
} from '../../domain/console/console-input';
import { CorrectionRequestSchema } from '../../domain/correction';
import { REQUEST_STATUSES } from '../../domain/lifecycle';
import { REPORT_FORMATS } from '../../domain/reports/report-input';
import { CHANNELS, REQUEST_TYPES } from '../../domain/request';

interface ConsoleOperation {
  readonly mediaType?: 'application/zip';
  readonly requestBody?: z.ZodType;
  readonly responses: Readonly<Record<string, string>>;
  readonly parameters?: readonly object[];
}

const idParameter = {
  name: 'id',
  in: 'path',
  required: true,
  schema: { type: 'string', pattern: '^dsr-[0-9a-f-]{36}$' },
};

const storeIdParameter = {
  name: 'storeId',
  in: 'path',
  required: true,
  description: 'A store id of the data-store registry',
  schema: { type: 'string', pattern: '^[a-z0-9]+(-[a-z0-9]+)*$' },
};

const query = (name: string, description: string, schema: object) => ({
  name,
  in: 'query',
  required: false,
  description,
  schema,
});
const booleanParameter = { type: 'string', enum: ['true', 'false'] };

function rolesOf(route: ConsoleRouteKey): string {
  const row: Readonly<Record<string, boolean>> = CONSOLE_AUTHORISATION[route];
  return Object.keys(row)
    .filter((role) => row[role])
    .join(', ');
}

const AUTH = {
  '401': 'No console JWT, or one that fails validation (issuer, audience, expiry, signature)',
  '403': 'The caller has no role that may call this route',
};

function action(
  route: ConsoleRouteKey,
  requestBody: z.ZodType,
  success: string,
  extra: Record<string, string> = {},
) {
  return {
    requestBody,
    parameters: [idParameter],
    responses: {
      '200': `${success} (roles: ${rolesOf(route)})`,
      '400': 'Invalid field (named in error.field), unknown field or malformed JSON',
      ...AUTH,
      '404': 'Unknown request',
      '409':
        'Not possible in the request’s status (illegal transition: from and to in the message) or under its policy',
      ...extra,
    },
  };
}

export const CONSOLE_OPERATIONS: Readonly<Record<ConsoleRouteKey, ConsoleOperation>> = {
  'GET /v1/console/requests': {
    parameters: [
      query('status', 'Only this status (open or closed); without it, open requests only', {
        type: 'string',
        enum: [...REQUEST_STATUSES],
      }),
      query('type', 'Only this request type', { type: 'string', enum: [...REQUEST_TYPES] }),
      query('policy', 'Only this policy profile id', { type: 'string' }),
      query('channel', 'Only requests received on this channel', { type: 'string', enum: [...CHANNELS] }),
      query('dueBefore', 'Only requests due strictly before this day (YYYY-MM-DD)', {
        type: 'string',
        format: 'date',
      }),
      query(
        'overdue',
        'true: past their due date (paused clocks excluded); false: due today or later',
        booleanParameter,
      ),
      query('needsTriage', 'Only requests that do (or do not) wait for a type', booleanParameter),
      query('assignee', 'Only requests assigned to this console user', { type: 'string' }),
      query('manualTasks', "open: only requests with a manual store's task waiting for an agent", {
        type: 'string',
        enum: ['open'],
      }),
      query('limit', 'Rows per page', {
        type: 'integer',
        minimum: 1,
        maximum: LIST_LIMIT_MAX,
        default: LIST_LIMIT_DEFAULT,
      }),
      query('cursor', 'nextCursor of the previous page, with the same filters', { type: 'string' }),
    ],
    responses: {
      '200': `Requests in due-date order (identifiers masked) and nextCursor, null on the last page (roles: ${rolesOf('GET /v1/console/requests')})`,
      '400': 'Invalid or unknown query parameter, or a cursor from another list',
      ...AUTH,
    },
  },
  'POST /v1/console/requests': {
    requestBody: ConsoleSubmissionSchema,
    responses: {
      '201': `Created: verified when identityCheck is given (roles: ${rolesOf('POST /v1/console/requests')})`,
      '400': 'Invalid field (named in error.field), a type or identity method the policy does not offer',
      ...AUTH,
    },
  },
  'GET /v1/console/requests/{id}': {
    parameters: [
      idParameter,
      query('reveal', 'Supervisors: identifiers in clear (the reveal is audited)', booleanParameter),
    ],
    responses: {
      '200': `The request, timeline, store results and clock (roles: ${rolesOf('GET /v1/console/requests/{id}')})`,
      '400': 'Malformed id or unknown query parameter',
      ...AUTH,
      '404': 'Unknown request',
    },
  },
  'GET /v1/console/reports': {
    parameters: [
      query('from', "First receipt day included (YYYY-MM-DD, in each request's policy zone)", {
        type: 'string',
        format: 'date',
      }),
      query('to', 'Last receipt day included (YYYY-MM-DD), not before from', {
        type: 'string',
        format: 'date',
      }),
      query('format', 'json (default) or csv (text/csv, as an attachment)', {
        type: 'string',
        enum: [...REPORT_FORMATS],
        default: 'json',
      }),
    ],
    responses: {
      '200': `Open, due within 3 days, overdue, breached, closed on time, late or of unknown timing, median days to close: overall, per policy, per channel; CSV with format=csv (roles: ${rolesOf('GET /v1/console/reports')})`,
      '400': 'Invalid or unknown query parameter, or to before from',
      ...AUTH,
    },
  },
  'POST /v1/console/requests/{id}/triage': action(
    'POST /v1/console/requests/{id}/triage',
    TriageSchema,
    'Typed, or closed as a duplicate',
  ),
  'POST /v1/console/requests/{id}/identity': action(
    'POST /v1/console/requests/{id}/identity',
    IdentityReviewSchema,
    'Verified, or refused (identity-not-verified) and the requester told',
  ),
  'POST /v1/console/requests/{id}/awaiting-requester': action(
    'POST /v1/console/requests/{id}/awaiting-requester',
    AwaitingRequesterSchema,
    'Awaiting the requester; the clock paused where the policy allows',
  ),
  'POST /v1/console/requests/{id}/resume': action(
    'POST /v1/console/requests/{id}/resume',
    ResumeSchema,
    'Resumed, the paused days added to the due date',
  ),
  'POST /v1/console/requests/{id}/approve': action(
    'POST /v1/console/requests/{id}/approve',
    ApprovalSchema,
    'Approval recorded',
  ),
  'POST /v1/console/requests/{id}/refuse': action(
    'POST /v1/console/requests/{id}/refuse',
    RefusalSchema,
    'Refused; the requester is mailed the ground and how to complain',
  ),
  'POST /v1/console/requests/{id}/extend': action(
    'POST /v1/console/requests/{id}/extend',
    ExtensionSchema,
    'Extended; the requester is told the new due date',
    { '503': 'No official calendar data for a year the extended period reaches' },
  ),
  'POST /v1/console/requests/{id}/notes': action(
    'POST /v1/console/requests/{id}/notes',
    NoteSchema,
    'Note added',
  ),
  'POST /v1/console/requests/{id}/assign': action(
    'POST /v1/console/requests/{id}/assign',
    AssignSchema,
    'Assigned',
  ),
  'POST /v1/console/requests/{id}/repeat': action(
    'POST /v1/console/requests/{id}/repeat',
    RepeatSchema,
    'Repeat decision recorded',
  ),
  'POST /v1/console/requests/{id}/corrections': action(
    'POST /v1/console/requests/{id}/corrections',
    CorrectionRequestSchema,
    'Applied per store (applied, pending or failed with a reason); fulfilled when every store is done, and the requester told',
    { '503': "A store that resolves the subject's identifiers could not be reached; nothing was changed" },
  ),
  'POST /v1/console/requests/{id}/stores/{storeId}/done': {
    ...action(
      'POST /v1/console/requests/{id}/stores/{storeId}/done',
      ManualTaskDoneSchema,
      "Confirmed; the workflow records the store's result at its next poll",
    ),
    parameters: [idParameter, storeIdParameter],
  },
  'POST /v1/console/requests/{id}/redrive': action(
    'POST /v1/console/requests/{id}/redrive',
    RedriveSchema,
    'The failed stores run again in a new execution (named in the answer)',
  ),
  'GET /v1/console/calendars': {
    responses: {
      '200': `Every calendar's official years: source (url, documentNumber, published), packaged or imported (importedBy, importedAt, sha256), and nextYearMissing from 1 November (Asia/Shanghai) while next year has no official data (roles: ${rolesOf('GET /v1/console/calendars')})`,
      '400': 'Unknown query parameter',
      ...AUTH,
    },
  },
  'PUT /v1/console/calendars/{calendarId}/notices/{year}': {
    requestBody: OfficialNoticeSchema,
    parameters: [
      {
        name: 'calendarId',
        in: 'path',
        required: true,
        description: 'The calendar whose notice this is',
        schema: { type: 'string', enum: [...IMPORTABLE_CALENDARS] },
      },
      {
        name: 'year',
        in: 'path',
        required: true,
        description: "The notice's year; must equal the body's year",
        schema: { type: 'string', pattern: '^[0-9]{4}$' },
      },
      query('replace', 'true: replace a packaged or already imported notice of the year', booleanParameter),
    ],
    responses: {
      '200': `Replaced a packaged or imported notice: the day classification (holidays, make-up workdays, weekend and working days, per festival), sha256 and the audit event (roles: ${rolesOf('PUT /v1/console/calendars/{calendarId}/notices/{year}')})`,
      '201': 'Imported a year that had no official data: the same answer',
      '400':
        'The notice fails the check (every problem in error.problems: a printed weekday that does not match its date, a make-up workday on a weekday, a date outside the year, …), or the body’s year is not the path’s',
      ...AUTH,
      '409':
        'The year already has a packaged or imported notice and replace=true was not given, or another import was written at the same time',
    },
  },
  'GET /v1/console/requests/{id}/evidence': {
    mediaType: 'application/zip',
    parameters: [idParameter],
    responses: {
      '200': `The evidence pack as an attachment (Content-Disposition: evidence-<id>-<day>.zip): summary.html with the clock explained, evidence.json, trail.jsonl, notices/*.txt; masked identifiers only; the download is an evidence-pack-downloaded event on the request's trail (roles: ${rolesOf('GET /v1/console/requests/{id}/evidence')})`,
      '400': 'Malformed id or unknown query parameter',
      ...AUTH,
      '404': 'Unknown request',
    },
  },
  'POST /v1/console/requests/{id}/download-links/revoke': action(
    'POST /v1/console/requests/{id}/download-links/revoke',
    RevokeDownloadLinksSchema,
    'Every live link revoked (they answer 410); the number revoked in the answer',
  ),
};
