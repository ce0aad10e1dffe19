/**
 * Corrections (PIPL art. 46, GDPR art. 16): the rules an agent's correction
 * must meet before any store is touched, what the audit trail records of it,
 * and the status it leaves the request in. Pure: the connectors' outcomes and
 * the pipeline's HMAC key come in as arguments.
 *
 * - Only an open `correction` request whose requester is verified may be
 *   corrected, and not while it waits on the requester (the clock is paused:
 *   what to correct may still change).
 * - Only fields a category's `correctable` allow-list names (the registry,
 *   domain/stores/schema.ts); everything else stays as it is.
 * - The trail keeps before and after of every field, masked with the
 *   pipeline's HMAC (domain/masking.ts): equal values show equal digests, so
 *   an auditor sees what changed and that a repeat changed nothing, while the
 *   trail never holds the personal data itself.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { ActionContext, RecordChange } from './console/action';
import { MAX_NOTE_CHARS, MAX_NOTES } from './console/case-work';
import { NoteLimitReached, RequestClosed } from './console/errors';
import { Conflict, InvalidInput } from './errors';
import { planTransition, type RequestStatus, type StatusChange } from './lifecycle';
import { maskValue } from './masking';
import type { RequestRecord } from './request-record';
import type { StoreRegistry } from './stores/schema';

/** Changes per call: enough for a person's record across stores, and a bound on the audit event. */
export const MAX_CORRECTION_CHANGES = 20;
/** Characters of one corrected value: an address or a name, not a document. */
export const MAX_CORRECTION_VALUE_CHARS = 1000;

export type CorrectionValue = string | number | boolean | null;

const Name = z.string().min(1).max(128);

/** POST /v1/console/requests/{id}/corrections. */
export const CorrectionRequestSchema = z.strictObject({
  changes: z
    .array(
      z.strictObject({
        storeId: Name,
        category: Name,
        field: Name,
        value: z.union([
          z.string().max(MAX_CORRECTION_VALUE_CHARS),
          z.number().finite(),
          z.boolean(),
          z.null(),
        ]),
      }),
    )
    .min(1)
    .max(MAX_CORRECTION_CHANGES),
  /** Why, or what the requester asked for; kept on the request, only its hash on the trail. */
  note: z.string().trim().min(1).max(MAX_NOTE_CHARS).optional(),
});

/** One change the agent asks for. */
export interface RequestedChange {
  readonly storeId: string;
  readonly category: string;
  readonly field: string;
  readonly value: CorrectionValue;
}

/** The changes for one store, in the shape its connector's `correct` takes. */
export interface StoreChanges {
  readonly storeId: string;
  readonly changes: readonly {
    readonly category: string;
    readonly field: string;
    readonly value: CorrectionValue;
  }[];
}

/** One field of one record, raw, as a connector reported it. */
export interface CorrectedRecordField {
  readonly recordKey: string;
  readonly category: string;
  readonly field: string;
  readonly before: unknown;
  readonly after: unknown;
  readonly changed: boolean;
}

/** What happened in one store. `records` holds raw values: mask before storing (`correctionEvent`). */
export type StoreCorrectionResult =
  | {
      readonly storeId: string;
      readonly status: 'applied';
      readonly records: readonly CorrectedRecordField[];
    }
  | {
      readonly storeId: string;
      readonly status: 'pending';
      readonly records: readonly CorrectedRecordField[];
      readonly waitingFor: 'processor' | 'agent';
      readonly reference: string;
    }
  | {
      readonly storeId: string;
      readonly status: 'failed';
      readonly records: readonly CorrectedRecordField[];
      /** The error's name and message, never record values. */
      readonly reason: string;
      readonly retriable: boolean;
    };

/** Statuses a correction may be applied in: verified and not closed; partially fulfilled to finish the rest. */
export const CORRECTABLE_STATUSES: readonly RequestStatus[] = [
  'verified',
  'in-progress',
  'extended',
  'partially-fulfilled',
];

export class NotACorrectionRequest extends Conflict {
  override readonly name = 'NotACorrectionRequest' as const;
  readonly code = 'not-a-correction-request';
  constructor(type: string | undefined) {
    super(
      type === undefined
        ? 'This request has no type yet: triage it as a correction first'
        : `This is a '${type}' request; only a 'correction' request is corrected through the connectors`,
    );
  }
}

export class RequesterNotVerified extends Conflict {
  override readonly name = 'RequesterNotVerified' as const;
  readonly code = 'requester-not-verified';
  constructor(status: RequestStatus) {
    super(`The requester's identity is not verified yet (status ${status}): nothing may be changed`);
  }
}

export class CorrectionWhilePaused extends Conflict {
  override readonly name = 'CorrectionWhilePaused' as const;
  readonly code = 'resume-first';
  constructor() {
    super('The request is awaiting the requester: resume it before correcting');
  }
}

/** A change the registry does not allow: an unknown store or category, or a field off the allow-list. */
export class ChangeNotCorrectable extends InvalidInput {
  override readonly name = 'ChangeNotCorrectable' as const;
  readonly code = 'change-not-correctable';
  constructor(message: string, field: string) {
    super(message, { field });
  }
}

export class ConflictingChanges extends InvalidInput {
  override readonly name = 'ConflictingChanges' as const;
  readonly code = 'conflicting-changes';
  constructor(what: string, field: string) {
    super(`${what} is given twice with different values`, { field });
  }
}

/** Throws unless `record` is a correction request that may be corrected now. */
export function assertCorrectionAllowed(record: RequestRecord): void {
  if (record.type !== 'correction') throw new NotACorrectionRequest(record.type);
  if (record.status === 'awaiting-requester') throw new CorrectionWhilePaused();
  if (CORRECTABLE_STATUSES.includes(record.status)) return;
  if (record.status === 'received' || record.status === 'pending-verification') {
    throw new RequesterNotVerified(record.status);
  }
  throw new RequestClosed(record.status);
}

/**
 * Checks the changes against the registry's allow-lists and groups them by
 * store, in registry order (stores that resolve identifiers come first there
 * too). A change repeated with the same value is kept once.
 */
export function planCorrection(
  record: RequestRecord,
  registry: StoreRegistry,
  changes: readonly RequestedChange[],
  note?: string,
): StoreChanges[] {
  assertCorrectionAllowed(record);
  // Checked before any store is touched: a refusal after the changes would leave them unrecorded.
  if (note !== undefined && (record.notes?.length ?? 0) >= MAX_NOTES) throw new NoteLimitReached(MAX_NOTES);
  const chosen = new Map<string, RequestedChange>();
  changes.forEach((change, index) => {
    const at = `changes.${index}`;
    const store = registry.stores.find((candidate) => candidate.id === change.storeId);
    if (store === undefined) {
      throw new ChangeNotCorrectable(`There is no data store '${change.storeId}'`, `${at}.storeId`);
    }
    const category = store.categories.find((candidate) => candidate.id === change.category);
    if (category === undefined) {
      throw new ChangeNotCorrectable(
        `Store '${store.id}' has no category '${change.category}'; it has ${store.categories.map((c) => c.id).join(', ')}`,
        `${at}.category`,
      );
    }
    const allowed = category.correctable ?? [];
    if (!allowed.includes(change.field)) {
      throw new ChangeNotCorrectable(
        allowed.length === 0
          ? `Nothing in ${store.id}/${category.id} may be corrected through the console`
          : `${store.id}/${category.id} allows corrections of ${allowed.join(', ')} only`,
        `${at}.field`,
      );
    }
    const key = `${store.id}/${category.id}/${change.field}`;
    const earlier = chosen.get(key);
    if (earlier !== undefined && earlier.value !== change.value) throw new ConflictingChanges(key, at);
    chosen.set(key, change);
  });
  return registry.stores.flatMap((store) => {
    const own = [...chosen.values()].filter((change) => change.storeId === store.id);
    return own.length === 0
      ? []
      : [
          {
            storeId: store.id,
            changes: own.map(({ category, field, value }) => ({ category, field, value })),
          },
        ];
  });
}

/** A value as the trail shows it: absent, or its HMAC digest (never the value). */
export function maskCorrectionValue(value: unknown, hmacKey: string): string | null {
  if (value === undefined) return null;
  return maskValue(value, { strategy: 'hmac' }, { hmacKey, salt: '' }) as string;
}

/** Where the correction leaves the request: every store done, some failed, or some still being worked on. */
export function correctionStatus(
  current: RequestStatus,
  results: readonly StoreCorrectionResult[],
): RequestStatus {
  const failed = results.some((result) => result.status === 'failed');
  const pending = results.some((result) => result.status === 'pending');
  const progressed = results.some((result) => result.status !== 'failed');
  if (!failed && !pending) return 'fulfilled';
  if (failed) return progressed ? 'partially-fulfilled' : current;
  return current === 'verified' || current === 'partially-fulfilled' ? 'in-progress' : current;
}

/** The status changes from `from` to `to`, through in-progress where the lifecycle asks for it. */
function statusPath(from: RequestStatus, to: RequestStatus): RequestStatus[] {
  if (from === to) return [];
  if (from === 'verified' && to !== 'in-progress') return ['in-progress', to];
  return [to];
}

export interface CorrectionInput {
  readonly results: readonly StoreCorrectionResult[];
  /** The pipeline's HMAC key, for the masked before/after. */
  readonly hmacKey: string;
  readonly note?: string;
}

/** The `correction-applied` event: per store its outcome and each field's masked before and after. */
export function correctionEvent(input: CorrectionInput, context: ActionContext) {
  const stores = input.results.map((result) => ({
    storeId: result.storeId,
    status: result.status,
    ...(result.status === 'failed' ? { reason: result.reason, retriable: result.retriable } : {}),
    ...(result.status === 'pending' ? { waitingFor: result.waitingFor, reference: result.reference } : {}),
    fields: result.records.map((record) => ({
      recordKey: maskCorrectionValue(record.recordKey, input.hmacKey),
      category: record.category,
      field: record.field,
      before: maskCorrectionValue(record.before, input.hmacKey),
      after: maskCorrectionValue(record.after, input.hmacKey),
      changed: record.changed,
    })),
  }));
  return {
    type: 'correction-applied' as const,
    actor: context.actor,
    at: context.at,
    details: {
      stores,
      changed: input.results.reduce(
        (sum, result) => sum + result.records.filter((record) => record.changed).length,
        0,
      ),
      ...(input.note === undefined
        ? {}
        : { noteSha256: createHash('sha256').update(input.note).digest('hex') }),
    },
  };
}

/**
 * The request after the correction: the audit event, the status it leads to
 * (re-decided on the request as stored now), and the agent's note kept on the
 * request beside the others. Never refuses: it runs after the stores changed.
 */
export function recordCorrection(
  record: RequestRecord,
  input: CorrectionInput,
  context: ActionContext,
): RecordChange {
  // The stores are already changed: if the request was closed meanwhile, the trail still says what changed.
  if (!CORRECTABLE_STATUSES.includes(record.status) || record.type !== 'correction') {
    return { next: record, events: [correctionEvent(input, context)] };
  }
  const target = correctionStatus(record.status, input.results);
  const changes: StatusChange[] = [];
  let from = record.status;
  for (const to of statusPath(record.status, target)) {
    changes.push(planTransition(from, { to, actor: context.actor, at: context.at, reason: 'correction' }));
    from = to;
  }
  const notes =
    input.note === undefined || (record.notes?.length ?? 0) >= MAX_NOTES
      ? record.notes
      : [...(record.notes ?? []), { by: context.actor.id, at: context.at, text: input.note }];
  return {
    next: { ...record, status: target, ...(notes === undefined ? {} : { notes }) },
    events: [correctionEvent(input, context), ...changes],
  };
}
