import { describe, expect, it } from 'vitest';
import { type AuditEvent, chainEvent } from '../../../domain/audit';
import type { PlainDate } from '../../../domain/clock';
import { askRequester } from '../../../domain/console/pause';
import { clockView, requestDetail, requestSummary } from '../../../domain/console/view';
import { getPolicy } from '../../../domain/policy/registry';
import { aRequest, contextOn, EMAIL, PHONE } from './builders';

const day = (text: string) => text as PlainDate;
const policy = getPolicy('pipl-default');
/** pipl-default, received Monday 2025-03-03: due 2025-03-24. */
const record = aRequest({
  receivedAt: '2025-03-03T01:00:00.000Z',
  identifiers: [EMAIL, { ...PHONE, verified: true }],
});

describe('clockView', () => {
  it('counts calendar and working days left from today', () => {
    expect(clockView(record, policy, day('2025-03-17'))).toMatchObject({
      dueDate: '2025-03-24',
      daysLeft: 7,
      workingDaysLeft: 5,
      overdue: false,
      paused: false,
    });
    expect(clockView(record, policy, day('2025-03-25'))).toMatchObject({ daysLeft: -1, overdue: true });
  });

  it('freezes a paused clock where it stopped and shows the due date it would have if resumed today', () => {
    const paused = askRequester(record, policy, contextOn(day('2025-03-10'))).next;
    expect(clockView(paused, policy, day('2025-03-31'))).toMatchObject({
      dueDate: '2025-03-24',
      workingDaysLeft: 10,
      overdue: false,
      paused: true,
      pausedSince: '2025-03-10',
      dueDateIfResumedToday: '2025-04-15', // 15 working days later, past Qingming (4 April)
    });
  });
});

describe('requestSummary and requestDetail', () => {
  it('mask identifiers and leave out every secret hash', () => {
    for (const view of [
      requestSummary(record, policy, day('2025-03-17')),
      requestDetail(record, policy, day('2025-03-17'), [], false),
    ]) {
      const text = JSON.stringify(view);
      expect(text).not.toContain(EMAIL.value);
      expect(text).not.toContain(PHONE.value);
      expect(text).not.toContain(EMAIL.key);
      expect(text).not.toContain(
        record.statusTokenHash === 'hash' ? '"statusTokenHash"' : record.statusTokenHash,
      );
      expect(text).toContain(EMAIL.masked);
    }
  });

  it("shows the triaging agent what SES's verdicts said about the mail, and nothing when they said nothing", () => {
    const flagged = { ...record, needsTriage: true, mailFlags: ['suspected-spoofing' as const] };
    expect(requestDetail(flagged, policy, day('2025-03-17'), [], false)).toMatchObject({
      needsTriage: true,
      mailFlags: ['suspected-spoofing'],
    });
    expect(requestDetail(record, policy, day('2025-03-17'), [], false)).not.toHaveProperty('mailFlags');
    // The queue's row carries them too, so the list marks a spoofed request before it is opened.
    expect(requestSummary(flagged, policy, day('2025-03-17'))).toMatchObject({
      mailFlags: ['suspected-spoofing'],
    });
    expect(requestSummary(record, policy, day('2025-03-17'))).not.toHaveProperty('mailFlags');
  });

  it('shows values only when revealed', () => {
    const detail = requestDetail(record, policy, day('2025-03-17'), [], true);
    expect(detail.identifiers.map((identifier) => identifier.value)).toEqual([EMAIL.value, PHONE.value]);
    expect(detail.identifiersRevealed).toBe(true);
  });

  it('carries the timeline, whether its trail verifies, and the per-store results', () => {
    const signed = (event: AuditEvent) => ({ ...event, mac: `mac-of-${event.hash}` });
    const macHolds = (event: AuditEvent) => event.mac === `mac-of-${event.hash}`;
    const first = chainEvent(record.requestId, undefined, {
      type: 'request-received',
      actor: { kind: 'requester', id: 'web' },
      at: '2025-03-03T01:00:00.000Z',
    });
    const second = signed(
      chainEvent(record.requestId, first, {
        type: 'note-added',
        actor: { kind: 'agent', id: 'alice' },
        at: '2025-03-04T01:00:00.000Z',
        details: { note: 1 },
      }),
    );
    const head = { ...record, lastSeq: 2, lastHash: second.hash };
    const storeResults = {
      loyalty: {
        status: 'exported',
        recordCount: 3,
        stagingKey: 'staging/loyalty.jsonl',
        at: '2025-03-04T02:00:00.000Z',
      },
    } as const;
    const detail = requestDetail(
      { ...head, fulfilment: { action: 'export', plannedStores: ['loyalty'], storeResults } },
      policy,
      day('2025-03-17'),
      [second, signed(first)],
      false,
      undefined,
      macHolds,
    );
    expect(detail.timeline.map((entry) => entry.type)).toEqual(['note-added', 'request-received']);
    expect(detail.auditTrail).toEqual({ intact: true });
    expect(detail.storeResults).toEqual(storeResults);
    const tampered = { ...second, details: { note: 2 } };
    const show = (events: AuditEvent[], shownRecord = head) =>
      requestDetail(shownRecord, policy, day('2025-03-17'), events, false, undefined, macHolds).auditTrail;
    expect(show([signed(first), tampered])).toEqual({
      intact: false,
      findings: [{ kind: 'rewritten', seq: 2, reason: 'content' }],
    });
    // Unsigned (or signed with another key): the MAC does not hold.
    expect(show([first, second])).toEqual({
      intact: false,
      findings: [{ kind: 'rewritten', seq: 1, reason: 'mac' }],
    });
    // The record's head is ahead of the trail: the last event was removed.
    expect(show([signed(first)])).toMatchObject({
      intact: false,
      findings: [{ kind: 'removed', fromSeq: 2, toSeq: 2 }, { kind: 'record-head' }],
    });
  });
});
