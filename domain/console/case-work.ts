/**
 * Case work that changes no status: notes and assignment. A note's text is
 * kept on the request (erased with it); the trail keeps its position and a
 * SHA-256 of the text, so an edited note is detectable without the trail
 * holding what may be personal data.
 */
import { createHash } from 'node:crypto';
import { isOpen } from '../lifecycle';
import type { RequestRecord } from '../request-record';
import type { ActionContext, RecordChange } from './action';
import { NoteLimitReached, RequestClosed, SupervisorRequired } from './errors';

/** Notes per request: enough for any case, and a bound on the item size (DynamoDB items stop at 400 KB). */
export const MAX_NOTES = 50;
export const MAX_NOTE_CHARS = 2000;

export function addNote(record: RequestRecord, text: string, context: ActionContext): RecordChange {
  const { actor, at } = context;
  const notes = record.notes ?? [];
  if (notes.length >= MAX_NOTES) throw new NoteLimitReached(MAX_NOTES);
  return {
    next: { ...record, notes: [...notes, { by: actor.id, at, text }] },
    events: [
      {
        type: 'note-added',
        actor,
        at,
        details: { note: notes.length + 1, sha256: createHash('sha256').update(text).digest('hex') },
      },
    ],
  };
}

export interface AssignInput {
  readonly assignee: string;
  /** Supervisors may assign to anyone and take work from anyone; agents may only claim unassigned work. */
  readonly mayReassign: boolean;
}

/** Assigns the request; undefined when it is already assigned so (nothing to write). */
export function assignRequest(
  record: RequestRecord,
  input: AssignInput,
  context: ActionContext,
): RecordChange | undefined {
  const { actor, at } = context;
  if (!isOpen(record.status)) throw new RequestClosed(record.status);
  if (record.assignee === input.assignee) return undefined;
  if (!input.mayReassign) {
    if (input.assignee !== actor.id) throw new SupervisorRequired('assign a request to someone else');
    if (record.assignee !== undefined)
      throw new SupervisorRequired(`take a request assigned to ${record.assignee}`);
  }
  return {
    next: { ...record, assignee: input.assignee },
    events: [
      {
        type: 'assigned',
        actor,
        at,
        details: { to: input.assignee, ...(record.assignee ? { from: record.assignee } : {}) },
      },
    ],
  };
}
