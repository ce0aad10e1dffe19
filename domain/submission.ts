/**
 * What a requester may submit through the web form or the API. Strict: an
 * unknown field is an error that names the field, never silently dropped.
 */
import { z } from 'zod';
import { RequesterRoleSchema, RequestTypeSchema } from './request';

export const SubjectIdentifiersSchema = z
  .strictObject({
    email: z.string().trim().min(3).max(254).optional(),
    phone: z.string().trim().min(6).max(32).optional(),
    accountId: z.string().trim().min(1).max(128).optional(),
  })
  .refine((subject) => subject.email !== undefined, {
    // Online requests are verified by a code sent to the subject's mailbox; phone
    // and counter requests are taken by an agent in the console instead.
    message: 'an email address is required to verify an online request',
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

export const PortabilityTargetSchema = z.strictObject({
  recipientName: z.string().trim().min(1).max(200),
  endpoint: z.url({ protocol: /^https$/ }).max(2048),
});

export const SubmissionSchema = z
  .strictObject({
    type: RequestTypeSchema,
    policyId: z.string().trim().min(1).max(64).optional(),
    subject: SubjectIdentifiersSchema,
    requester: RequesterSchema.default({ role: 'self' }),
    details: z.string().max(5000).optional(),
    portabilityTarget: PortabilityTargetSchema.optional(),
    locale: z.enum(['zh-CN', 'en']).default('en'),
  })
  .refine((submission) => submission.type !== 'portability' || submission.portabilityTarget !== undefined, {
    message: 'is required for a portability request',
    path: ['portabilityTarget'],
  });

export type Submission = z.output<typeof SubmissionSchema>;

/** Body of POST /v1/requests/{id}/verify. */
export const VerificationAttemptSchema = z.strictObject({
  code: z
    .string()
    .trim()
    .regex(/^\d{6,10}$/, 'must be the digits from the email'),
});
