/**
 * What a requester may submit through the web form or the API. Strict: an
 * unknown field is an error that names the field, never silently dropped.
 */
import { z } from 'zod';
import { InvalidIdentifier, normaliseAccountId, normaliseEmail, normalisePhone } from './identifiers';
import { endpointProblem, MAX_ENDPOINT_BYTES } from './portability/endpoint';
import { RequesterRoleSchema, RequestTypeSchema } from './request';

/** A value the identifier's normaliser accepts, so a bad address is a 400 naming its field, not a later failure. */
function normalisable(normalise: (raw: string) => string) {
  return (raw: string) => {
    try {
      normalise(raw);
      return true;
    } catch (error) {
      if (error instanceof InvalidIdentifier) return false;
      throw error;
    }
  };
}

export const SubjectIdentifiersSchema = z
  .strictObject({
    email: z
      .string()
      .trim()
      .min(3)
      .max(254)
      .refine(normalisable(normaliseEmail), 'not an email address')
      .optional(),
    phone: z
      .string()
      .trim()
      .min(6)
      .max(32)
      .refine(normalisable(normalisePhone), 'not a phone number')
      .optional(),
    accountId: z
      .string()
      .trim()
      .min(1)
      .max(128)
      .refine(normalisable(normaliseAccountId), 'not an account id')
      .optional(),
  })
  .refine((subject) => subject.email !== undefined || subject.phone !== undefined, {
    // Online requests are verified by a code sent to the subject's mailbox or, for a phone number
    // alone, by SMS; an account id alone is checked by an agent in the console instead.
    message: 'an email address or a phone number is required to verify an online request',
    path: ['email'],
  });

export const RequesterSchema = z
  .strictObject({
    role: RequesterRoleSchema.default('self'),
    /** Name of the person acting for the subject; not needed when acting for oneself. */
    name: z.string().trim().min(1).max(200).optional(),
    /** How the requester is related to the subject, e.g. "mother", "attorney". */
    relation: z.string().trim().min(1).max(200).optional(),
    /** What proof of authority will be provided (guardianship, power of attorney, death certificate). */
    proof: z.string().trim().min(1).max(1000).optional(),
  })
  .refine((requester) => requester.role === 'self' || requester.relation !== undefined, {
    message: 'is required when acting for someone else',
    path: ['relation'],
  });

/**
 * The recipient of a portability transfer. The endpoint is checked for syntax
 * only (see domain/portability/endpoint.ts); where it resolves is checked when
 * the push runs. `allowedOrigins` may be reached over plain http: local mode's
 * fake processor, nothing on AWS.
 */
export function portabilityTargetSchema(allowedOrigins: readonly string[] = []) {
  return z.strictObject({
    recipientName: z.string().trim().min(1).max(200),
    endpoint: z
      .url({ protocol: /^https?$/ })
      .max(MAX_ENDPOINT_BYTES)
      .superRefine((endpoint, context) => {
        const problem = endpointProblem(endpoint, allowedOrigins);
        if (problem !== undefined) context.addIssue({ code: 'custom', message: problem });
      }),
  });
}

export const PortabilityTargetSchema = portabilityTargetSchema();

/**
 * The body of POST /v1/requests; `portabilityOrigins` as for portabilityTargetSchema, `residences` the
 * codes the organisation lists (domain/policy/organisation.ts). The requester says where they live; the
 * organisation's settings choose the policy, so a `policyId` is refused with a message that says so.
 */
export function submissionSchema(
  portabilityOrigins: readonly string[] = [],
  residences: readonly string[] = [],
) {
  const known = residences.map((code) => code.toLowerCase());
  return z
    .strictObject({
      type: RequestTypeSchema,
      policyId: z
        .never({ error: 'the organisation chooses the policy from where you live: send residence instead' })
        .optional()
        .describe('Never accepted: the organisation maps `residence` to its policy.'),
      residence: z
        .string()
        .max(32)
        .refine((code) => known.includes(code.toLowerCase()), {
          error: (issue) => `Unknown residence '${String(issue.input)}'; known: ${residences.join(', ')}`,
        })
        .optional()
        .describe(
          'Where the requester lives: one of the codes the organisation lists (its first when absent).',
        ),
      subject: SubjectIdentifiersSchema,
      requester: RequesterSchema.default({ role: 'self' }),
      details: z.string().max(5000).optional(),
      portabilityTarget: portabilityTargetSchema(portabilityOrigins).optional(),
      locale: z.enum(['zh-CN', 'en']).default('en'),
    })
    .refine((submission) => submission.type !== 'portability' || submission.portabilityTarget !== undefined, {
      message: 'is required for a portability request',
      path: ['portabilityTarget'],
    });
}

export const SubmissionSchema = submissionSchema();

export type Submission = z.output<typeof SubmissionSchema>;

/** Body of POST /v1/requests/{id}/verify. */
export const VerificationAttemptSchema = z.strictObject({
  code: z
    .string()
    .trim()
    .regex(/^\d{6,10}$/, 'must be the digits from the email or SMS'),
});

/** Request ids: `dsr-` and a UUID-shaped hex string (random for web and API, derived from the SES message id for email). */
export const RequestIdSchema = z
  .string()
  .regex(/^dsr-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/, 'not a request id');

/** Path parameters of every `/v1/requests/{id}` route. */
export const RequestPathSchema = z.strictObject({ id: RequestIdSchema });

/** Status tokens are 256 random bits in base64url: 43 characters. */
export const StatusTokenSchema = z.string().regex(/^[A-Za-z0-9_-]{43}$/, 'not a status token');

/** Query of GET /v1/requests/{id}: the token may come here or as `Authorization: Bearer`. */
export const StatusQuerySchema = z.strictObject({ token: StatusTokenSchema.optional() });

/** Body of POST /v1/requests/{id}/verification-code: nothing to say but "again". */
export const ResendCodeSchema = z.strictObject({});

/** The Idempotency-Key header: printable ASCII, as the OpenAPI document promises. */
export const IdempotencyKeySchema = z
  .string()
  .min(1)
  .max(255)
  .regex(/^[\x21-\x7e]+$/, 'must be 1-255 printable ASCII characters without spaces');
