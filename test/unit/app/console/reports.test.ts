import { describe, expect, it } from 'vitest';
import { consoleReport } from '../../../../app/console/reports';
import type { PlainDate } from '../../../../domain/clock';
import { ReportRangeReversed } from '../../../../domain/reports/report';
import { consolePorts, given } from './fixture';

const idOf = (n: number) => `dsr-00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const day = (text: string) => text as PlainDate;

describe('the console report', () => {
  it('counts open, overdue and closed requests as of the injected clock', async () => {
    const ports = consolePorts('2025-03-10T02:00:00.000Z');
    await given(ports.requests, { requestId: idOf(1) });
    await given(ports.requests, { requestId: idOf(2), receivedAt: '2025-01-02T01:00:00.000Z' });
    await given(ports.requests, { requestId: idOf(3), status: 'refused' });
    const report = await consoleReport(ports, {});
    expect(report.asOf).toBe('2025-03-10T02:00:00.000Z');
    expect(report).toMatchObject({ receivedFrom: null, receivedTo: null });
    expect(report.overall).toMatchObject({ received: 3, open: 2, overdue: 1, closed: 1 });
    expect(report.byPolicy.find((row) => row.policyId === 'pipl-default')).toMatchObject({
      received: 3,
      today: '2025-03-10',
    });
  });

  it('counts only the requests received in the range, by receipt day in their policy’s zone', async () => {
    const ports = consolePorts();
    // 01:00 UTC on 3 March is 09:00 on 3 March in Shanghai; 20:00 UTC on 3 March is already 4 March there.
    await given(ports.requests, { requestId: idOf(1), receivedAt: '2025-03-03T01:00:00.000Z' });
    await given(ports.requests, { requestId: idOf(2), receivedAt: '2025-03-03T20:00:00.000Z' });
    const report = await consoleReport(ports, { from: day('2025-03-04'), to: day('2025-03-04') });
    expect(report).toMatchObject({ receivedFrom: '2025-03-04', receivedTo: '2025-03-04' });
    expect(report.overall.received).toBe(1);
  });

  it('refuses a range that ends before it starts', async () => {
    const ports = consolePorts();
    await expect(consoleReport(ports, { from: day('2025-03-04'), to: day('2025-03-03') })).rejects.toThrow(
      ReportRangeReversed,
    );
  });
});
