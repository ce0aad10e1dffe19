/**
 * The append-only, hash-chained audit trail. Each event carries the SHA-256 of
 * the event before it, so deleting, reordering or editing any stored event is
 * detectable by re-walking the chain. An unkeyed hash alone can be recomputed by
 * whoever rewrites the table, so the writer also stores a keyed MAC over each
 * event's hash (`mac`, made in the app layer with a key no function can read:
 * app/audit/ports.ts TrailMac); domain/audit-verification.ts checks both.
 * Pure: node:crypto only.
 */
import { createHash } from 'node:crypto';
import { canonicalJson } from './canonical-json';
import type { Actor } from './lifecycle';

export const AUDIT_EVENT_TYPES = [
  'request-received',
  'status-changed',
  'verification-code-sent',
  'verification-failed',
  'verification-locked',
  // No code was sent: the subject's limits (domain/intake-limits.ts) send the request to an agent.
  'identity-held',
  'identity-verified',
  'clock-paused',
  'clock-resumed',
  'deadline-extended',
  'deadline-recomputed',
  'reminder-sent',
  'deadline-breached',
  'store-processed',
  'store-failed',
  'manual-task-opened',
  'manual-task-done',
  'stores-redriven',
  'workflow-failed',
  'package-created',
  'download-link-issued',
  'download-link-used',
  'download-link-revoked',
  'package-transferred',
  'transfer-failed',
  'notification-sent',
  'notification-failed',
  'correction-applied',
  'note-added',
  'assigned',
  'triaged',
  'rejected-input',
  'identifiers-revealed',
  'fulfilment-approved',
  // A destructive type's wait after verification is over (domain/fulfilment-wait.ts).
  'fulfilment-wait-ended',
  'repeat-flagged',
  // A closed request's clear values replaced by masked ones after the profile's retention (domain/minimisation.ts).
  'personal-data-minimised',
  // A deletion's subject had earlier packages: their live links revoked and the packages deleted.
  'earlier-exports-revoked',
  // On a calendar's own trail (`calendar:<calendarId>`), not a request's: an official notice imported.
  'calendar-notice-imported',
  'evidence-pack-downloaded',
] as const;
export type AuditEventType = (typeof AUDIT_EVENT_TYPES)[number];

/** Hash of the (non-existent) event before the first one. */
export const GENESIS_HASH = '0'.repeat(64);

export interface AuditEventBody {
  readonly type: AuditEventType;
  readonly actor: Actor;
  /** ISO-8601 instant. */
  readonly at: string;
  /** Event details. Never plain PII: identifiers are masked or hashed by the caller. */
  readonly details?: Readonly<Record<string, unknown>>;
}

export interface AuditEvent extends AuditEventBody {
  readonly requestId: string;
  /** 1-based position in the request's trail; a conditional write on it stops the chain forking. */
  readonly seq: number;
  readonly prevHash: string;
  readonly hash: string;
  /**
   * The keyed MAC over `hash` (base64), made by the writer with the trail key (KMS on AWS). Not part of
   * the hash: it is added after the event is chained. Absent only on an event not yet signed.
   */
  readonly mac?: string;
}

function hashOf(event: Omit<AuditEvent, 'hash' | 'mac'>): string {
  return createHash('sha256').update(canonicalJson(event)).digest('hex');
}

/** The next event of a trail whose last event is `previous` (undefined for the first). */
export function chainEvent(
  requestId: string,
  previous: Pick<AuditEvent, 'seq' | 'hash'> | undefined,
  body: AuditEventBody,
): AuditEvent {
  const unhashed = {
    requestId,
    seq: (previous?.seq ?? 0) + 1,
    prevHash: previous?.hash ?? GENESIS_HASH,
    type: body.type,
    actor: body.actor,
    at: body.at,
    ...(body.details === undefined ? {} : { details: body.details }),
  };
  return { ...unhashed, hash: hashOf(unhashed) };
}

/** Whether an event's content (everything but `hash` and `mac`) still hashes to its `hash`. */
export function hashHolds(event: AuditEvent): boolean {
  const { hash, mac: _mac, ...unhashed } = event;
  return hashOf(unhashed) === hash;
}

export type ChainVerdict = { readonly intact: true } | { readonly intact: false; readonly brokenAt: number };

/** Re-walks a trail in sequence order; reports the first event whose link or content does not hold. */
export function verifyChain(events: readonly AuditEvent[]): ChainVerdict {
  let previousHash = GENESIS_HASH;
  for (const [index, event] of events.entries()) {
    if (event.seq !== index + 1 || event.prevHash !== previousHash || !hashHolds(event)) {
      return { intact: false, brokenAt: index + 1 };
    }
    previousHash = event.hash;
  }
  return { intact: true };
}
