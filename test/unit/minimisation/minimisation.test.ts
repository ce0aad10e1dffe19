import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MINIMISED_TEXT, minimiseDueAt, minimiseRecord } from '../../../domain/minimisation';
import type { RequestRecord } from '../../../domain/request-record';
import { aRequest, EMAIL, PHONE } from '../console/builders';

const SWEEPER = { kind: 'system', id: 'SweepRequests' } as const;
const AT = '2025-05-01T00:00:00.000Z';

/** A closed request holding clear values in every place a request can hold them. */
function closedWith(values: {
  email: string;
  phone: string;
  name: string;
  details: string;
  note: string;
  accountId: string;
}): RequestRecord {
  return aRequest({
    status: 'fulfilled',
    identifiers: [
      { ...EMAIL, value: values.email, verified: true },
      { ...PHONE, value: values.phone, verified: true },
    ],
    extras: {
      closedAt: '2025-03-20T00:00:00.000Z',
      requester: { role: 'guardian', name: values.name, relation: values.details, proof: values.details },
      details: values.details,
      notes: [{ by: 'alice', at: '2025-03-10T00:00:00.000Z', text: values.note }],
      verification: {
        method: 'email-code',
        codeHash: 'code-hash',
        sentAt: '2025-03-03T01:00:00.000Z',
        expiresAt: '2025-03-04T01:00:00.000Z',
        attempts: 0,
      },
      fulfilment: {
        action: 'export',
        plannedStores: [],
        storeResults: {},
        resolvedIdentifiers: { accountId: values.accountId },
      },
    },
  });
}

/** Distinctive values: long enough that finding one in the JSON cannot be a coincidence of masking. */
const clearValue = fc.stringMatching(/^[a-z]{12,24}$/);

describe('minimiseRecord', () => {
  it('leaves no clear value anywhere in the record, and says what it cleared', () => {
    fc.assert(
      fc.property(
        fc.record({
          email: clearValue.map((local) => `${local}@example.com`),
          phone: fc.stringMatching(/^\+86139\d{8}$/),
          name: clearValue,
          details: clearValue,
          note: clearValue,
          accountId: clearValue,
        }),
        (values) => {
          const { next, events } = minimiseRecord(closedWith(values), AT, SWEEPER);
          const stored = JSON.stringify(next);
          for (const value of Object.values(values)) expect(stored).not.toContain(value);
          expect(next.minimisedAt).toBe(AT);
          expect(next.requester.name).toBe(`${values.name[0]}.`);
          expect(next.notes?.[0]?.text).toBe(MINIMISED_TEXT);
          expect(next.verification).toBeUndefined();
          expect(events).toEqual([
            expect.objectContaining({ type: 'personal-data-minimised', actor: SWEEPER, at: AT }),
          ]);
        },
      ),
    );
  });

  it('keeps what proves the handling: keys, masked forms, status, clock, chain head', () => {
    const record = closedWith({
      email: 'someone@example.com',
      phone: '+8613900000000',
      name: 'Li Lei',
      details: 'please delete',
      note: 'called back',
      accountId: 'acct-0001',
    });
    const { next } = minimiseRecord(record, AT, SWEEPER);
    expect(next.identifiers.map(({ key, masked, verified }) => ({ key, masked, verified }))).toEqual(
      record.identifiers.map(({ key, masked, verified }) => ({ key, masked, verified })),
    );
    expect(next.identifiers.map((identifier) => identifier.value)).toEqual(
      record.identifiers.map((identifier) => identifier.masked),
    );
    expect(next).toMatchObject({
      status: record.status,
      deadline: record.deadline,
      subjectKey: record.subjectKey,
      lastSeq: record.lastSeq,
      lastHash: record.lastHash,
      closedAt: record.closedAt,
    });
  });

  it('is idempotent: a minimised record is left as it is, with no event', () => {
    const once = minimiseRecord(
      aRequest({ status: 'fulfilled', extras: { closedAt: AT } }),
      AT,
      SWEEPER,
    ).next;
    const twice = minimiseRecord(once, '2026-01-01T00:00:00.000Z', SWEEPER);
    expect(twice.next).toBe(once);
    expect(twice.events).toEqual([]);
  });
});

describe('minimiseDueAt', () => {
  it('is the close plus the retention, for a closed request not yet minimised', () => {
    const closed = { status: 'fulfilled', closedAt: '2025-03-20T08:00:00.000Z' } as const;
    expect(minimiseDueAt(closed, 30)?.toISOString()).toBe('2025-04-19T08:00:00.000Z');
  });

  it('is undefined while open, without a close instant, or once minimised', () => {
    expect(minimiseDueAt({ status: 'in-progress' }, 30)).toBeUndefined();
    expect(minimiseDueAt({ status: 'fulfilled' }, 30)).toBeUndefined();
    expect(minimiseDueAt({ status: 'fulfilled', closedAt: AT, minimisedAt: AT }, 30)).toBeUndefined();
  });
});
