import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { PlainDate } from '../../../domain/clock';
import { addNote, assignRequest, MAX_NOTES } from '../../../domain/console/case-work';
import { NoteLimitReached, RequestClosed, SupervisorRequired } from '../../../domain/console/errors';
import { aRequest, contextOn } from './builders';

const asAlice = contextOn('2025-03-04' as PlainDate, 'alice');

describe('addNote', () => {
  it('keeps the text on the request and only its position and hash on the trail', () => {
    const change = addNote(aRequest(), 'Called Ms Li at 13800138000', asAlice);
    expect(change.next.notes).toEqual([{ by: 'alice', at: asAlice.at, text: 'Called Ms Li at 13800138000' }]);
    expect(change.events[0]).toEqual({
      type: 'note-added',
      actor: asAlice.actor,
      at: asAlice.at,
      details: { note: 1, sha256: createHash('sha256').update('Called Ms Li at 13800138000').digest('hex') },
    });
  });

  it(`stops at ${MAX_NOTES} notes, so a request stays within DynamoDB's item size`, () => {
    const notes = Array.from({ length: MAX_NOTES }, () => ({ by: 'alice', at: asAlice.at, text: 'x' }));
    expect(() => addNote(aRequest({ extras: { notes } }), 'one more', asAlice)).toThrow(NoteLimitReached);
  });
});

describe('assignRequest', () => {
  it('lets an agent claim unassigned work, and nothing more', () => {
    const claimed = assignRequest(aRequest(), { assignee: 'alice', mayReassign: false }, asAlice);
    expect(claimed?.next.assignee).toBe('alice');
    expect(claimed?.events[0]?.details).toEqual({ to: 'alice' });
    expect(() => assignRequest(aRequest(), { assignee: 'bob', mayReassign: false }, asAlice)).toThrow(
      SupervisorRequired,
    );
    const bobs = aRequest({ extras: { assignee: 'bob' } });
    expect(() => assignRequest(bobs, { assignee: 'alice', mayReassign: false }, asAlice)).toThrow(
      SupervisorRequired,
    );
  });

  it('lets a supervisor reassign, recording from whom', () => {
    const bobs = aRequest({ extras: { assignee: 'bob' } });
    const change = assignRequest(
      bobs,
      { assignee: 'carol', mayReassign: true },
      contextOn('2025-03-04' as PlainDate, 'sam'),
    );
    expect(change?.events[0]?.details).toEqual({ to: 'carol', from: 'bob' });
  });

  it('writes nothing when the request is already so assigned, and refuses closed requests', () => {
    expect(
      assignRequest(
        aRequest({ extras: { assignee: 'alice' } }),
        { assignee: 'alice', mayReassign: false },
        asAlice,
      ),
    ).toBeUndefined();
    expect(() =>
      assignRequest(aRequest({ status: 'cancelled' }), { assignee: 'alice', mayReassign: true }, asAlice),
    ).toThrow(RequestClosed);
  });
});
