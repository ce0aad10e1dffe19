import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { PlainDate } from '../../../domain/clock';
import { MAX_NOTES } from '../../../domain/console/case-work';
import {
  ChangeNotCorrectable,
  ConflictingChanges,
  CorrectionRequestSchema,
  CorrectionWhilePaused,
  correctionEvent,
  correctionStatus,
  MAX_CORRECTION_CHANGES,
  NotACorrectionRequest,
  planCorrection,
  RequesterNotVerified,
  recordCorrection,
  type StoreCorrectionResult,
} from '../../../domain/correction';
import { correctionNotice } from '../../../domain/correction-notice';
import type { RequestStatus } from '../../../domain/lifecycle';
import { loadDemoRegistry } from '../../../local/demo/registry';
import { aRequest, contextOn } from '../console/builders';

const registry = loadDemoRegistry();
const HMAC_KEY = 'unit-test-hmac-key';
const context = contextOn('2026-03-02' as PlainDate);
const correction = (status: RequestStatus = 'verified') => aRequest({ type: 'correction', status });
const region = { storeId: 'accounts', category: 'account', field: 'region', value: '杭州' };
const address = {
  storeId: 'loyalty',
  category: 'reward-deliveries',
  field: 'delivery_address',
  value: '1 New Road',
};

const applied = (
  storeId: string,
  before: unknown,
  after: unknown,
  changed = true,
): StoreCorrectionResult => ({
  storeId,
  status: 'applied',
  records: [{ recordKey: `${storeId}#u-1001`, category: 'c', field: 'f', before, after, changed }],
});
const failed = (storeId: string): StoreCorrectionResult => ({
  storeId,
  status: 'failed',
  records: [],
  reason: 'ConnectorTransientError: throttled',
  retriable: true,
});
const pending = (storeId: string): StoreCorrectionResult => ({
  storeId,
  status: 'pending',
  records: [],
  waitingFor: 'processor',
  reference: 'ref-1',
});

describe('checking a correction before any store is touched', () => {
  it('groups allow-listed changes by store, in registry order', () => {
    expect(planCorrection(correction(), registry, [address, region])).toEqual([
      { storeId: 'accounts', changes: [{ category: 'account', field: 'region', value: '杭州' }] },
      {
        storeId: 'loyalty',
        changes: [{ category: 'reward-deliveries', field: 'delivery_address', value: '1 New Road' }],
      },
    ]);
  });

  it.each([
    ['a store the registry does not have', { ...region, storeId: 'crm' }, 'changes.0.storeId'],
    ['a category the store does not have', { ...region, category: 'orders' }, 'changes.0.category'],
    ['a field off the allow-list', { ...region, field: 'email' }, 'changes.0.field'],
    ['a field of a category with no allow-list', { ...region, category: 'real-name' }, 'changes.0.field'],
  ])('refuses %s, naming the field', (_, change, field) => {
    expect(() => planCorrection(correction(), registry, [change])).toThrow(
      expect.objectContaining({ name: ChangeNotCorrectable.name, field }),
    );
  });

  it('refuses the same field given twice with different values, and keeps one of an exact repeat', () => {
    expect(() => planCorrection(correction(), registry, [region, { ...region, value: '苏州' }])).toThrow(
      ConflictingChanges,
    );
    expect(planCorrection(correction(), registry, [region, region])[0]?.changes).toHaveLength(1);
  });

  it.each([
    ['a request of another type', aRequest({ type: 'deletion' }), NotACorrectionRequest],
    ['a request still waiting for verification', correction('pending-verification'), RequesterNotVerified],
    [
      'a request awaiting the requester (clock paused)',
      correction('awaiting-requester'),
      CorrectionWhilePaused,
    ],
    ['a closed request', correction('fulfilled'), Error],
  ])('refuses %s', (_, record, error) => {
    expect(() => planCorrection(record, registry, [region])).toThrow(error);
  });

  it.each(['verified', 'in-progress', 'extended', 'partially-fulfilled'] as const)(
    'accepts a correction request that is %s',
    (status) => {
      expect(planCorrection(correction(status), registry, [region])).toHaveLength(1);
    },
  );

  it('refuses a note when the request already keeps the most notes it may', () => {
    const full = {
      ...correction(),
      notes: Array.from({ length: MAX_NOTES }, () => ({ by: 'a', at: context.at, text: 'n' })),
    };
    expect(() => planCorrection(full, registry, [region], 'why')).toThrow(/at most/);
  });
});

describe('the request body', () => {
  it.each([
    ['no changes', { changes: [] }],
    ['an unknown field', { changes: [region], extra: 1 }],
    ['an object as value', { changes: [{ ...region, value: { city: 'x' } }] }],
    ['a value over the size bound', { changes: [{ ...region, value: 'x'.repeat(1001) }] }],
    ['too many changes', { changes: Array.from({ length: MAX_CORRECTION_CHANGES + 1 }, () => region) }],
  ])('rejects %s', (_, body) => {
    expect(CorrectionRequestSchema.safeParse(body).success).toBe(false);
  });

  it.each([['a string'], [42], [true], [null]])('accepts the scalar %s as value', (value) => {
    expect(CorrectionRequestSchema.safeParse({ changes: [{ ...region, value }] }).success).toBe(true);
  });
});

describe('the status a correction leaves', () => {
  it.each([
    ['every store applied', 'verified', [applied('a', 'x', 'y'), applied('b', 'x', 'x', false)], 'fulfilled'],
    [
      'a store failed after another applied',
      'verified',
      [applied('a', 'x', 'y'), failed('b')],
      'partially-fulfilled',
    ],
    ['every store failed', 'verified', [failed('a')], 'verified'],
    ['a processor still working', 'verified', [applied('a', 'x', 'y'), pending('b')], 'in-progress'],
    [
      'a processor still working on a partly fulfilled request',
      'partially-fulfilled',
      [pending('b')],
      'in-progress',
    ],
    [
      'the rest done on a partly fulfilled request',
      'partially-fulfilled',
      [applied('b', 'x', 'y')],
      'fulfilled',
    ],
  ] as const)('%s: %s → %s', (_, from, results, to) => {
    expect(correctionStatus(from, results)).toBe(to);
  });

  it('moves a verified request through in-progress to fulfilled, with the correction event first', () => {
    const change = recordCorrection(
      correction(),
      { results: [applied('a', 'x', 'y')], hmacKey: HMAC_KEY },
      context,
    );
    expect(change.next.status).toBe('fulfilled');
    expect(change.events.map((event) => event.type)).toEqual([
      'correction-applied',
      'status-changed',
      'status-changed',
    ]);
    expect(change.events.slice(1).map((event) => event.details)).toEqual([
      expect.objectContaining({ from: 'verified', to: 'in-progress' }),
      expect.objectContaining({ from: 'in-progress', to: 'fulfilled' }),
    ]);
    for (const event of change.events) expect(event.actor).toEqual(context.actor);
  });

  it('still records what changed when the request was closed while the stores were corrected', () => {
    const change = recordCorrection(
      { ...correction(), status: 'refused' },
      { results: [applied('a', 'x', 'y')], hmacKey: HMAC_KEY },
      context,
    );
    expect(change.next.status).toBe('refused');
    expect(change.events.map((event) => event.type)).toEqual(['correction-applied']);
  });

  it('keeps the note on the request and only its hash on the trail', () => {
    const change = recordCorrection(
      correction(),
      { results: [applied('a', 'x', 'y')], hmacKey: HMAC_KEY, note: 'Moved to 杭州' },
      context,
    );
    expect(change.next.notes?.at(-1)?.text).toBe('Moved to 杭州');
    expect(JSON.stringify(change.events)).not.toContain('杭州');
  });
});

describe('the audit detail of a correction', () => {
  it('shows equal digests for equal values, so a repeat is visible without the values', () => {
    const event = correctionEvent(
      { results: [applied('a', 'same', 'same', false)], hmacKey: HMAC_KEY },
      context,
    );
    const [field] = event.details.stores[0]?.fields ?? [];
    expect(field?.before).toMatch(/^hmac-sha256:/);
    expect(field?.before).toBe(field?.after);
    expect(field?.changed).toBe(false);
  });

  it('records an absent before value as null', () => {
    const event = correctionEvent({ results: [applied('a', undefined, 'new')], hmacKey: HMAC_KEY }, context);
    expect(event.details.stores[0]?.fields[0]?.before).toBeNull();
  });

  it('never lets an unmasked value, record key or identifier reach the detail', () => {
    const value = fc.oneof(
      fc.string({ minLength: 4 }),
      fc.integer({ min: 100_000 }),
      fc.constantFrom(true, false, null),
      fc.object(),
    );
    fc.assert(
      fc.property(
        fc.array(fc.record({ recordKey: fc.string({ minLength: 6 }), before: value, after: value }), {
          minLength: 1,
          maxLength: 5,
        }),
        (records) => {
          const event = correctionEvent(
            {
              results: [
                {
                  storeId: 'accounts',
                  status: 'applied',
                  records: records.map((record) => ({
                    ...record,
                    category: 'account',
                    field: 'region',
                    changed: true,
                  })),
                },
              ],
              hmacKey: HMAC_KEY,
            },
            context,
          );
          for (const field of event.details.stores[0]?.fields ?? []) {
            for (const shown of [field.before, field.after, field.recordKey]) {
              expect(shown === null || /^hmac-sha256:[\w-]{43}$/.test(shown)).toBe(true);
            }
          }
          const serialised = JSON.stringify(event.details);
          for (const record of records) {
            expect(serialised).not.toContain(record.recordKey);
            for (const raw of [record.before, record.after]) {
              if (typeof raw === 'string' || typeof raw === 'number')
                expect(serialised).not.toContain(String(raw));
            }
          }
        },
      ),
    );
  });
});

describe('the requester notice', () => {
  it('names the stores and fields in Chinese and English, never the values', () => {
    const notice = correctionNotice({
      requestId: 'dsr-1',
      status: 'partially-fulfilled',
      stores: [
        { description: 'Customer accounts', fields: ['region'] },
        {
          description: 'Loyalty programme',
          fields: ['delivery_address'],
          notDone: 'could not be corrected yet',
        },
      ],
      regime: 'pipl',
      organisation: 'Demo shop',
    });
    expect(notice.subject).toContain('更正请求结果 / Result of your correction request dsr-1');
    expect(notice.text).toContain('已部分完成');
    expect(notice.text).toContain('partly completed');
    expect(notice.text).toContain('- Customer accounts: 已更正 / corrected — region');
    expect(notice.text).toContain('- Loyalty programme: 未完成 / not completed');
  });
});
