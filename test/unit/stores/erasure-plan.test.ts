import { describe, expect, it } from 'vitest';
import { parsePlainDate } from '../../../domain/clock';
import { InvalidInstant } from '../../../domain/clock/errors';
import { DEFAULT_REPLACEMENT, isMasked } from '../../../domain/masking';
import { type ErasurePlan, planErasure, retentionEnd } from '../../../domain/stores/erasure-plan';
import type { DataCategory } from '../../../domain/stores/schema';

// Builders: a category per erasure mode, with only what the rule under test needs.
const deleted = (id: string, fields?: string[]): DataCategory => ({
  id,
  description: id,
  ...(fields ? { fields } : {}),
  erasure: { mode: 'delete' },
});

const anonymised = (
  id: string,
  fields: string[],
  strategy: 'null' | 'fixed' | 'salted-hash' | 'hmac' = 'fixed',
): DataCategory => ({ id, description: id, fields, erasure: { mode: 'anonymise', fields, strategy } });

const retained = (
  id: string,
  options: { years?: number; from?: string; basis?: string; fields?: string[] } = {},
): DataCategory => ({
  id,
  description: id,
  ...(options.fields ? { fields: options.fields } : {}),
  erasure: {
    mode: 'retain',
    basis: options.basis ?? 'PRC E-Commerce Law art. 31',
    retainFor: { length: options.years ?? 3, unit: 'years' },
    ...(options.from === undefined ? {} : { retainFromField: options.from }),
  },
});

const order = (overrides: Record<string, unknown> = {}) => ({
  accountId: 'u-1001',
  orderId: 'o-1001-001',
  placedAt: '2025-01-10T10:00:00Z',
  amountCny: 99,
  shippingAddress: '上海 示例路 1 号',
  invoiceEmail: 'li.lei@example.com',
  ...overrides,
});

const plan = (
  categories: DataCategory[],
  record: Record<string, unknown>,
  now = '2026-06-01T00:00:00Z',
): ErasurePlan =>
  planErasure({
    categories,
    record,
    requestId: 'req-1',
    now,
    secrets: { hmacKey: 'pipeline-key', salt: 'salt-1' },
  });

const orders = [
  retained('transaction-records', { from: 'placedAt' }),
  anonymised('delivery', ['shippingAddress', 'invoiceEmail']),
];

describe('planErasure', () => {
  it('deletes a record whose only category is a delete category', () => {
    expect(plan([deleted('comments')], { accountId: 'u-1001', text: 'hi' })).toEqual({ action: 'delete' });
  });

  it('keeps a transaction record within its three-year period, restricts it and anonymises the other categories', () => {
    expect(plan(orders, order())).toEqual({
      action: 'update',
      set: { shippingAddress: DEFAULT_REPLACEMENT, invoiceEmail: DEFAULT_REPLACEMENT },
      remove: [],
      restricted: { requestId: 'req-1', basis: 'PRC E-Commerce Law art. 31', until: '2028-01-10' },
    });
  });

  it('keeps a record under a hold on its last day, counting the period in UTC dates', () => {
    const record = order({ placedAt: '2025-01-10T23:30:00+08:00' });
    expect(plan(orders, record, '2028-01-10T23:59:59Z')).toMatchObject({
      restricted: { until: '2028-01-10' },
    });
  });

  it('takes the UTC date of the start instant, not the date written in its offset', () => {
    const record = order({ placedAt: '2025-01-11T01:00:00+08:00' });
    expect(plan(orders, record)).toMatchObject({ restricted: { until: '2028-01-10' } });
  });

  it('deletes a transaction record the day after its retention period has passed', () => {
    expect(plan(orders, order(), '2028-01-11T00:00:00Z')).toEqual({ action: 'delete' });
  });

  it('keeps a record with an unreadable start date for the full period from today, since deletion cannot be undone', () => {
    expect(plan(orders, order({ placedAt: 'sometime' }), '2026-06-01T08:00:00Z')).toMatchObject({
      restricted: { until: '2029-06-01' },
    });
    expect(plan(orders, order({ placedAt: undefined }), '2026-06-01T08:00:00Z')).toMatchObject({
      restricted: { until: '2029-06-01' },
    });
  });

  it('keeps an already anonymised record under its hold without changing it', () => {
    const erased = order({ shippingAddress: DEFAULT_REPLACEMENT, invoiceEmail: DEFAULT_REPLACEMENT });
    expect(plan(orders, erased)).toEqual({
      action: 'keep',
      restricted: { requestId: 'req-1', basis: 'PRC E-Commerce Law art. 31', until: '2028-01-10' },
    });
  });

  it('anonymises the fields of an anonymise category and removes the fields of a delete category that names fields', () => {
    const account = {
      accountId: 'u-1001',
      email: 'li.lei@example.com',
      nickname: 'lilei',
      realNameVerification: { realName: '李雷', idNumber: '110101********1234' },
    };
    const result = plan(
      [
        deleted('account', ['nickname', 'email', 'phone']),
        anonymised('real-name', ['realNameVerification'], 'hmac'),
      ],
      account,
    );
    expect(result).toMatchObject({ action: 'update', remove: ['nickname', 'email'] });
    expect(
      result.action === 'update' && isMasked(result.set.realNameVerification, { strategy: 'hmac' }),
    ).toBe(true);
    expect(result).not.toHaveProperty('restricted');
  });

  it('plans nothing for a record erased before, so a second erasure changes nothing', () => {
    const categories = [
      deleted('account', ['nickname']),
      anonymised('real-name', ['realNameVerification'], 'hmac'),
    ];
    const first = plan(categories, { accountId: 'u-1001', nickname: 'lilei', realNameVerification: '李雷' });
    if (first.action !== 'update') throw new Error('expected an update');
    const erased = { accountId: 'u-1001', realNameVerification: first.set.realNameVerification };
    expect(plan(categories, erased)).toEqual({ action: 'none' });
  });

  it('deletes the whole record when a whole-record delete category sits beside an anonymise category', () => {
    expect(
      plan([deleted('logs'), anonymised('device', ['ipAddress'])], { ipAddress: '203.0.113.7' }),
    ).toEqual({
      action: 'delete',
    });
  });

  it('deletes the record when every category is a delete category naming fields', () => {
    expect(
      plan([deleted('account', ['email']), deleted('profile', ['nickname'])], { email: 'x', nickname: 'y' }),
    ).toEqual({
      action: 'delete',
    });
  });

  it('removes the fields of an expired field-level hold when another category keeps the record', () => {
    const categories = [
      retained('kyc', { fields: ['idScan'], from: 'verifiedAt', years: 1 }),
      anonymised('profile', ['nickname']),
    ];
    expect(plan(categories, { idScan: 'scan', verifiedAt: '2024-01-01', nickname: 'n' })).toEqual({
      action: 'update',
      set: { nickname: DEFAULT_REPLACEMENT },
      remove: ['idScan'],
    });
  });

  it('leaves the fields of a held category as they are while other fields are removed', () => {
    const categories = [
      retained('kyc', { fields: ['idScan'], from: 'verifiedAt' }),
      deleted('profile', ['nickname']),
    ];
    expect(plan(categories, { idScan: 'scan', verifiedAt: '2026-01-01', nickname: 'n' })).toEqual({
      action: 'update',
      set: {},
      remove: ['nickname'],
      restricted: { requestId: 'req-1', basis: 'PRC E-Commerce Law art. 31', until: '2029-01-01' },
    });
  });

  it('restricts until the latest of several holds and names every basis', () => {
    const categories = [
      retained('transactions', { from: 'placedAt', years: 3 }),
      retained('tax', { from: 'placedAt', years: 5, basis: 'Tax Collection Law art. 24' }),
    ];
    expect(plan(categories, order())).toEqual({
      action: 'keep',
      restricted: {
        requestId: 'req-1',
        basis: 'PRC E-Commerce Law art. 31; Tax Collection Law art. 24',
        until: '2030-01-10',
      },
    });
  });

  it('anonymises a nested field by its dot path', () => {
    const categories = [anonymised('real-name', ['realNameVerification.realName'], 'null')];
    expect(
      plan(categories, { realNameVerification: { realName: '李雷', verifiedAt: '2024-03-01' } }),
    ).toEqual({
      action: 'update',
      set: { 'realNameVerification.realName': null },
      remove: [],
    });
  });

  it('rejects an erasure instant that is not a date', () => {
    expect(() => plan(orders, order(), 'not a date')).toThrow(InvalidInstant);
  });
});

describe('retentionEnd', () => {
  it.each([
    ['2025-01-10', 3, 'years', '2028-01-10'],
    ['2024-02-29', 1, 'years', '2025-02-28'],
    ['2025-01-31', 1, 'months', '2025-02-28'],
    ['2025-12-25', 10, 'days', '2026-01-04'],
  ] as const)('ends a period from %s of %i %s on %s', (start, length, unit, end) => {
    expect(retentionEnd(parsePlainDate(start), { length, unit })).toBe(end);
  });
});
