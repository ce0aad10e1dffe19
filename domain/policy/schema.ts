/**
 * The shape of a policy profile: what one organisation's privacy policy (or, where it is silent, the
 * law) promises a data subject, written as data so that the deadline engine, the intake form and the
 * reports all read the same promises.
 *
 * Profiles live in `profiles/<id>.json`. Wherever the source text is silent the profile still sets a
 * value, and says why under `comments`, keyed by the field path it explains.
 */

import { z } from 'zod';
import { CALENDAR_IDS } from '../clock';
import { IntakeLimitsSchema } from '../intake-limits';
import { IdentityMethodSchema, RequestTypeSchema } from '../request';
import { REFUSAL_GROUND_IDS, REFUSAL_GROUNDS } from './refusal-grounds';
import { REGIMES } from './regimes';

/** How a period is counted. Working days come from an official calendar; months are calendar months. */
export const PERIOD_UNITS = ['calendar-days', 'working-days', 'months'] as const;
export type PeriodUnit = (typeof PERIOD_UNITS)[number];

/** When the reply clock starts: on receipt of the request, or once the requester's identity is verified. */
export const CLOCK_STARTS = ['receipt', 'verification'] as const;
export type ClockStart = (typeof CLOCK_STARTS)[number];

export const CalendarIdSchema = z.enum(CALENDAR_IDS);
const PeriodUnitSchema = z.enum(PERIOD_UNITS);
const PeriodLengthSchema = z.number().int().positive();
const NonEmptyText = z.string().trim().min(1);

function isKnownTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return true;
  } catch {
    return false;
  }
}

/** A working-day period is meaningless without the calendar that says which days are worked. */
function requireCalendarForWorkingDays(
  period: { unit: PeriodUnit; calendar?: string | undefined },
  ctx: z.RefinementCtx,
): void {
  if (period.unit === 'working-days' && period.calendar === undefined) {
    ctx.addIssue({ code: 'custom', path: ['calendar'], message: 'a working-days period needs a calendar' });
  }
}

function uniqueItems<T>(items: readonly T[]): boolean {
  return new Set(items).size === items.length;
}

/** A period counted from some start date: the shape shared by the acknowledgement and the explanation. */
const PeriodSchema = z
  .strictObject({ unit: PeriodUnitSchema, length: PeriodLengthSchema, calendar: CalendarIdSchema.optional() })
  .superRefine(requireCalendarForWorkingDays);

const ClockSchema = z
  .strictObject({
    start: z.enum(CLOCK_STARTS),
    unit: PeriodUnitSchema,
    length: PeriodLengthSchema,
    /** Required for working days; for other units, the rest-day calendar used when rolling forward. */
    calendar: CalendarIdSchema.optional(),
    /** Move a due date that falls on a rest day to the next working day (Civil Code art. 203, ICO practice). */
    rollForwardOnRestDay: z.boolean(),
  })
  .superRefine((clock, ctx) => {
    requireCalendarForWorkingDays(clock, ctx);
    if (clock.rollForwardOnRestDay && clock.calendar === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['calendar'],
        message: 'rolling forward over rest days needs a calendar that says which days are rest days',
      });
    }
  });

const ExtensionSchema = z.strictObject({
  /** Must equal the clock's unit: the extension lengthens the same period. */
  unit: PeriodUnitSchema,
  length: PeriodLengthSchema,
  /** The longest the whole period may become, original plus extension, in the clock's unit. */
  maxTotal: PeriodLengthSchema,
  reasonRequired: z.boolean(),
  /** When the requester must be told of the extension. */
  noticeDeadline: z.enum(['within-original-period']),
});

const ExplanationSchema = z
  .strictObject({
    unit: PeriodUnitSchema,
    length: PeriodLengthSchema,
    calendar: CalendarIdSchema.optional(),
    /** The explanation is owed only when this happens; its period runs from the clock start. */
    trigger: z.enum(['postponement']),
  })
  .superRefine(requireCalendarForWorkingDays);

const FractionSchema = z.number().gt(0).lt(1);

const LegalHoldSchema = z.strictObject({
  /** Kebab-case name of the kind of record kept, e.g. `transaction-records`. */
  category: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'expected a kebab-case category'),
  description: NonEmptyText,
  basis: NonEmptyText,
  retainFor: z.strictObject({ length: PeriodLengthSchema, unit: z.enum(['days', 'months', 'years']) }),
  /** The event the retention period counts from. */
  from: NonEmptyText,
});

const ProfileFieldsSchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'expected a kebab-case id'),
  name: NonEmptyText,
  organisation: NonEmptyText,
  regime: z.enum(REGIMES),
  source: z.strictObject({
    /** File name of the seed policy under shared/seeds, when the profile is based on one. */
    seed: z
      .string()
      .regex(/^\d{3}_[0-9a-f]{16}\.txt$/, 'expected a seed file name like 000_0123456789abcdef.txt')
      .optional(),
    citation: NonEmptyText,
    /** The sentence the clock is based on, verbatim. */
    quote: NonEmptyText,
  }),
  /** IANA zone in which the plain dates of the clock are read. */
  timeZone: z.string().refine(isKnownTimeZone, 'expected an IANA time zone known to this runtime'),
  clock: ClockSchema,
  /** Time to acknowledge receipt, counted from receipt. */
  acknowledgement: PeriodSchema.optional(),
  extension: ExtensionSchema.optional(),
  explanation: ExplanationSchema.optional(),
  pause: z.strictObject({
    /** Whether the clock stops while the request waits on the requester (identity evidence, clarification). */
    allowed: z.boolean(),
    comment: NonEmptyText,
  }),
  /** Fractions of the period at which to remind the handler; see `computeDeadline` for the date rule. */
  reminders: z
    .array(FractionSchema)
    .refine(
      (fractions) => fractions.every((f, i) => i === 0 || f > (fractions[i - 1] ?? 0)),
      'expected strictly increasing fractions',
    ),
  /** Calendar days after which a request whose identity was never verified is closed. */
  unverifiedExpiryDays: z.number().int().positive(),
  /** Limits across a subject's requests (domain/intake-limits.ts); each one defaults where absent. */
  intakeLimits: IntakeLimitsSchema.partial().optional(),
  /**
   * Hours between verification and the start of fulfilment for the types that cannot be undone
   * (domain/fulfilment-wait.ts): time for the subject to say "this was not me" on a request someone
   * else filed in their name. 0: no wait. A deployment may set its own (DESTRUCTIVE_WAIT_HOURS).
   */
  destructiveWaitHours: z
    .number()
    .int()
    .min(0)
    .max(24 * 30)
    .default(24),
  /**
   * Days a closed request keeps its clear identifier values, names and free text before they are
   * replaced by masked ones (domain/minimisation.ts): long enough to answer the requester's follow-ups.
   */
  clearValuesRetentionDays: z.number().int().min(1).max(3650).default(30),
  rightsOffered: z.array(RequestTypeSchema).min(1).refine(uniqueItems, 'expected no duplicates'),
  identityMethods: z.array(IdentityMethodSchema).min(1).refine(uniqueItems, 'expected no duplicates'),
  approvalRequired: z.strictObject({
    /** Request types a supervisor must approve before fulfilment. */
    requestTypes: z.array(RequestTypeSchema).refine(uniqueItems, 'expected no duplicates'),
    /** Deleting real-name (identity document) data needs an offline identity check first (seed 002 §VII.3). */
    realNameDeletionNeedsOfflineVerification: z.boolean(),
  }),
  refusalGrounds: z.array(z.enum(REFUSAL_GROUND_IDS)).min(1).refine(uniqueItems, 'expected no duplicates'),
  repeatRequests: z.strictObject({
    /** Requests of one type per subject that are always free in the period; null: the law sets no number. */
    freePerPeriod: z.number().int().positive().nullable(),
    periodMonths: z.number().int().positive(),
    /** A reasonable cost may be charged beyond the free requests (or for manifestly excessive ones). */
    feeBeyondLimit: z.boolean(),
    /** Requests beyond the limit (or manifestly excessive ones) may be refused outright. */
    mayRefuseExcessive: z.boolean(),
    /** The source's words on fees and repeats: verbatim from a policy, a summary of the law where it is silent. */
    text: NonEmptyText,
  }),
  legalHolds: z.array(LegalHoldSchema),
  /** A subject younger than this is represented by a guardian. */
  guardianAge: z.number().int().min(1).max(18),
  downstreamNotification: z.strictObject({
    /** Tell the recipients of the data to delete it when we delete it. */
    required: z.boolean(),
    /** The source's promise, verbatim, or the rule the profile follows where the source is silent. */
    text: NonEmptyText,
  }),
  /** What the requester is told about backups that are cleared later than the live data. */
  backupCaveat: NonEmptyText.optional(),
  /** Lifetime of a download link for exported data; short because the link is a bearer credential. */
  exportLinkLifetimeDays: z.number().int().min(1).max(7),
  /** Why a value was chosen where the source is silent, keyed by field path (`extension.maxTotal`). */
  comments: z.record(z.string(), NonEmptyText),
});

export const PolicyProfileSchema = ProfileFieldsSchema.superRefine((profile, ctx) => {
  const { clock, extension } = profile;
  if (extension !== undefined) {
    if (extension.unit !== clock.unit) {
      ctx.addIssue({
        code: 'custom',
        path: ['extension', 'unit'],
        message: `an extension lengthens the clock, so it must count in the clock's unit (${clock.unit})`,
      });
    }
    if (clock.length + extension.length > extension.maxTotal) {
      ctx.addIssue({
        code: 'custom',
        path: ['extension', 'maxTotal'],
        message: `clock length ${clock.length} plus extension ${extension.length} exceeds maxTotal ${extension.maxTotal}`,
      });
    }
  }
  profile.refusalGrounds.forEach((id, index) => {
    const ground = REFUSAL_GROUNDS.find((candidate) => candidate.id === id);
    if (ground !== undefined && !(ground.regimes as readonly string[]).includes(profile.regime)) {
      ctx.addIssue({
        code: 'custom',
        path: ['refusalGrounds', index],
        message: `refusal ground '${id}' does not exist in the ${profile.regime} regime`,
      });
    }
  });
  profile.approvalRequired.requestTypes.forEach((type, index) => {
    if (!profile.rightsOffered.includes(type)) {
      ctx.addIssue({
        code: 'custom',
        path: ['approvalRequired', 'requestTypes', index],
        message: `'${type}' needs approval but is not among rightsOffered`,
      });
    }
  });
  for (const key of Object.keys(profile.comments)) {
    const field = key.split('.')[0] ?? '';
    // Keyed by schema field, not by present field: a comment may explain why an optional field is absent.
    if (!(field in ProfileFieldsSchema.shape)) {
      ctx.addIssue({
        code: 'custom',
        path: ['comments', key],
        message: `comment is keyed by '${field}', which is not a profile field`,
      });
    }
  }
});

export type PolicyProfile = z.infer<typeof PolicyProfileSchema>;
export type PolicyClock = PolicyProfile['clock'];
export type PolicyPeriod = z.infer<typeof PeriodSchema>;
