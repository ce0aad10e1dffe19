import { describe, expect, it } from 'vitest';
import { ReportQuerySchema } from '../../../domain/reports/report-input';

describe('the report query', () => {
  it('defaults to JSON over every receipt day', () => {
    expect(ReportQuerySchema.parse({})).toEqual({ format: 'json' });
  });

  it('takes a receipt range and CSV', () => {
    expect(ReportQuerySchema.parse({ from: '2025-03-01', to: '2025-03-31', format: 'csv' })).toEqual({
      from: '2025-03-01',
      to: '2025-03-31',
      format: 'csv',
    });
  });

  it.each([
    [{ from: '2025-02-30' }, 'from'],
    [{ to: '20250301' }, 'to'],
    [{ format: 'xlsx' }, 'format'],
    [{ from: '2025-03-05', to: '2025-03-04' }, 'to'],
  ])('refuses %j, naming %s', (query, field) => {
    const result = ReportQuerySchema.safeParse(query);
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path).toEqual([field]);
  });

  it('refuses an unknown parameter', () => {
    const result = ReportQuerySchema.safeParse({ policy: 'sufe' });
    expect(result.error?.issues[0]).toMatchObject({ code: 'unrecognized_keys', keys: ['policy'] });
  });
});
