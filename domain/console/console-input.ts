/**
 * What the console API accepts: one strict schema per route body, and the
 * list's query parameters. The handlers validate with these and the OpenAPI
 * document is generated from them, so the two cannot drift apart.
 */
import { z } from 'zod';
import { isPlainDate, type PlainDate } from '../clock';
import { RequestStatusSchema } from '../lifecycle';
import { ChannelSchema, IdentifierKindSchema, RequestTypeSchema } from '../request';
import { PortabilityTargetSchema, RequesterSchema } from '../submission';
import { AGENT_ID, AGENT_IDENTITY_METHODS, CONSOLE_INTAKE_CHANNELS } from './case-records';
import { MAX_NOTE_CHARS } from './case-work';

const Text = (max: number) => z.string().trim().min(1).max(max);
const AgentIdSchema = z.string().regex(AGENT_ID, 'expected a console user id');
const RequestIdSchema = z
  .string()
  .regex(
    /^dsr-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
    'expected a request id (dsr-<uuid>)',
  );
const EvidenceKeySchema = z.string().min(1).max(512);
const PlainDateSchema = z
  .string()
  .refine(isPlainDate, 'expected a date YYYY-MM-DD') as unknown as z.ZodType<PlainDate>;
const BooleanParameter = z.enum(['true', 'false']).transform((value) => value === 'true');

export const AgentIdentityCheckSchema = z.strictObject({
  method: z.enum(AGENT_IDENTITY_METHODS),
  /** What the agent checked, e.g. which document; kept on the request, never in the audit trail. */
  note: Text(1000),
  evidenceKey: EvidenceKeySchema.optional(),
  identifiers: z.array(IdentifierKindSchema).min(1).optional(),
});

/** POST /v1/console/requests: a request taken by an agent on the subject's behalf. */
export const ConsoleSubmissionSchema = z
  .strictObject({
    type: RequestTypeSchema,
    policyId: z.string().trim().min(1).max(64).optional(),
    receivedVia: z.enum(CONSOLE_INTAKE_CHANNELS),
    subject: z
      .strictObject({
        email: z.string().trim().min(3).max(254).optional(),
        phone: z.string().trim().min(6).max(32).optional(),
        accountId: z.string().trim().min(1).max(128).optional(),
      })
      .refine((subject) => Object.values(subject).some((value) => value !== undefined), {
        message: 'needs at least one identifier (email, phone or accountId)',
      }),
    requester: RequesterSchema.default({ role: 'self' }),
    details: z.string().max(5000).optional(),
    portabilityTarget: PortabilityTargetSchema.optional(),
    locale: z.enum(['zh-CN', 'en']).default('zh-CN'),
    identityCheck: AgentIdentityCheckSchema.optional(),
  })
  .refine((submission) => submission.type !== 'portability' || submission.portabilityTarget !== undefined, {
    message: 'is required for a portability request',
    path: ['portabilityTarget'],
  });

export const TriageSchema = z.discriminatedUnion('action', [
  z.strictObject({
    action: z.literal('set-type'),
    type: RequestTypeSchema,
    portabilityTarget: PortabilityTargetSchema.optional(),
  }),
  z.strictObject({ action: z.literal('merge'), into: RequestIdSchema }),
]);

export const IdentityReviewSchema = z.discriminatedUnion('decision', [
  AgentIdentityCheckSchema.extend({
    decision: z.literal('approve'),
    /**
     * The identifier kinds the check proved, each present on the request: required, so that an
     * identifier the requester typed (an accountId that may be someone else's) is verified only
     * when the agent says the check covered it. Those not named stay unverified.
     */
    identifiers: z.array(IdentifierKindSchema).min(1),
  }),
  z.strictObject({
    decision: z.literal('reject'),
    /** Told to the requester with the ground identity-not-verified. */
    reason: Text(2000),
  }),
]);

export const AwaitingRequesterSchema = z.strictObject({
  /** What we need from the requester; sent to them by email. */
  message: Text(2000),
});

export const ResumeSchema = z.strictObject({ note: Text(MAX_NOTE_CHARS).optional() });

export const ApprovalSchema = z.strictObject({
  note: Text(MAX_NOTE_CHARS).optional(),
  offlineCheck: z
    .strictObject({
      method: z.enum(['in-person', 'id-document', 'phone-callback']),
      risksExplained: z.literal(true),
    })
    .optional(),
});

export const RefusalSchema = z.strictObject({
  ground: z.string().min(1).max(64),
  reason: Text(2000),
});

export const ExtensionSchema = z.strictObject({ reason: Text(2000).optional() });

export const NoteSchema = z.strictObject({ text: Text(MAX_NOTE_CHARS) });

export const AssignSchema = z.strictObject({ assignee: AgentIdSchema });

export const RepeatSchema = z.strictObject({
  manifestlyExcessive: z.boolean().default(false),
  chargeFee: z.boolean().default(false),
  feeNote: Text(1000).optional(),
});

const Count = z.number().int().min(0).max(1_000_000);

/** POST /v1/console/requests/{id}/stores/{storeId}/done: what the agent did for a manual store. */
export const ManualTaskDoneSchema = z.strictObject({
  /** Access: files and records sent to the requester separately (e.g. scans by post). */
  exported: z.strictObject({ files: Count, records: Count }).optional(),
  deleted: Count.optional(),
  retained: Count.optional(),
  /** The legal basis of each kind of record kept; required when retained > 0. */
  retainedBases: z.array(Text(200)).max(20).optional(),
  /** For access, shown to the requester in the package instead of "Held on paper; sent separately". */
  note: Text(MAX_NOTE_CHARS).optional(),
});

/** POST /v1/console/requests/{id}/redrive. */
export const RedriveSchema = z.strictObject({});

/** POST /v1/console/requests/{id}/download-links/revoke. */
export const RevokeDownloadLinksSchema = z.strictObject({
  /** Why (e.g. "sent to a wrong address"); recorded on the trail. */
  reason: Text(500).optional(),
});

export const LIST_LIMIT_DEFAULT = 25;
export const LIST_LIMIT_MAX = 100;

/** GET /v1/console/requests query parameters. */
export const ListQuerySchema = z.strictObject({
  status: RequestStatusSchema.optional(),
  type: RequestTypeSchema.optional(),
  policy: z.string().min(1).max(64).optional(),
  channel: ChannelSchema.optional(),
  /** Due strictly before this day. */
  dueBefore: PlainDateSchema.optional(),
  overdue: BooleanParameter.optional(),
  needsTriage: BooleanParameter.optional(),
  assignee: AgentIdSchema.optional(),
  /** `open`: only requests with a manual store's task waiting for an agent. */
  manualTasks: z.enum(['open']).optional(),
  limit: z.coerce.number().int().min(1).max(LIST_LIMIT_MAX).default(LIST_LIMIT_DEFAULT),
  cursor: z.string().min(1).max(2048).optional(),
});
export type ListQuery = z.output<typeof ListQuerySchema>;

/** GET /v1/console/requests/{id} query parameters. */
export const DetailQuerySchema = z.strictObject({
  /** Supervisors only: identifiers in clear; every reveal is audited. */
  reveal: BooleanParameter.optional(),
});

/**
 * PUT /v1/console/calendars/{calendarId}/notices/{year} body: any JSON object. The notice's own check
 * (checkNotice) lists every problem, where a schema would name one.
 */
export const NoticeBodySchema = z.record(z.string(), z.unknown());

/** PUT /v1/console/calendars/{calendarId}/notices/{year} query parameters. */
export const ImportQuerySchema = z.strictObject({
  /** Replace the year's packaged or imported notice (the trail names what was replaced). */
  replace: z
    .enum(['true', 'false'])
    .transform((value) => value === 'true')
    .optional(),
});
