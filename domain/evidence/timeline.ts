/**
 * The audit trail as a regulator reads it: each event in order with when, who (actor kind and id) and
 * what, in plain English. The labels are the pack's own (web/labels.ts speaks to requesters and the
 * console; domain code cannot import it); keyed by every event type, so a new type cannot reach a pack
 * without words.
 */
import type { AuditEvent, AuditEventType } from '../audit';
import type { Actor } from '../lifecycle';

export const EVENT_TEXT: Readonly<Record<AuditEventType, string>> = {
  'request-received': 'Request received',
  'status-changed': 'Status changed',
  'verification-code-sent': 'Verification code sent to the requester',
  'verification-failed': 'Wrong verification code entered',
  'verification-locked': 'Verification locked after too many wrong codes',
  'identity-held': 'No code sent (subject limits): identity to be checked by an agent',
  'identity-verified': 'Identity verified',
  'clock-paused': 'Clock paused, waiting for the requester',
  'clock-resumed': 'Clock resumed',
  'deadline-extended': 'Reply deadline extended',
  'deadline-recomputed': 'Deadline recomputed on the official calendar',
  'reminder-sent': 'Reminder sent to staff',
  'deadline-breached': 'Reply deadline passed with the request open',
  'store-processed': 'Data store processed',
  'store-failed': 'Data store could not be processed',
  'manual-task-opened': 'Manual task opened for a data store',
  'manual-task-done': 'Manual task completed',
  'stores-redriven': 'Failed data stores run again',
  'workflow-failed': 'Workflow stopped; handed to staff',
  'package-created': 'Data package created',
  'download-link-issued': 'Download link issued',
  'download-link-used': 'Download link used',
  'download-link-revoked': 'Download link revoked',
  'package-transferred': 'Data transferred to the named recipient',
  'transfer-failed': 'Transfer to the named recipient failed',
  'notification-sent': 'Notice sent',
  'notification-failed': 'Notice not delivered',
  'correction-applied': 'Correction applied',
  'note-added': 'Case note added',
  assigned: 'Assigned to a handler',
  triaged: 'Request type decided (triage)',
  'rejected-input': 'Action refused',
  'identifiers-revealed': 'Identifiers shown in clear to a supervisor',
  'fulfilment-approved': 'Fulfilment approved',
  'fulfilment-wait-ended': 'Waiting period after verification over',
  'repeat-flagged': 'Flagged as a repeat request',
  'personal-data-minimised': 'Clear personal data replaced by masked values after retention',
  'earlier-exports-revoked': "Subject's earlier download links revoked and packages deleted",
  'calendar-notice-imported': 'Official holiday notice imported',
  'evidence-pack-downloaded': 'Evidence pack downloaded',
};

export function actorText(actor: Actor): string {
  return `${actor.kind} ${actor.id}`;
}

function valueText(value: unknown): string {
  if (value === null || value === undefined) return '-';
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean')
    return String(value);
  if (Array.isArray(value) && value.every((item) => typeof item !== 'object' || item === null))
    return value.map(valueText).join(', ');
  return JSON.stringify(value);
}

/** The event's details as `key: value` pairs, in their stored order. */
export function detailsText(details: Readonly<Record<string, unknown>> | undefined): string {
  if (details === undefined) return '';
  return Object.entries(details)
    .map(([key, value]) => `${key}: ${valueText(value)}`)
    .join('; ');
}

export interface TimelineEntry {
  readonly seq: number;
  readonly at: string;
  readonly type: AuditEventType;
  readonly what: string;
  readonly actor: string;
  readonly details: string;
}

export function timelineOf(events: readonly AuditEvent[]): TimelineEntry[] {
  return [...events]
    .sort((a, b) => a.seq - b.seq)
    .map((event) => ({
      seq: event.seq,
      at: event.at,
      type: event.type,
      what: EVENT_TEXT[event.type],
      actor: actorText(event.actor),
      details: detailsText(event.details),
    }));
}
