/**
 * The console report against the running pipeline: requests taken through
 * the console API, one closed in time and one late, read back as JSON, as CSV
 * and through `dsar report`. Other test files add requests to the same stack
 * meanwhile, so this file's requests are moved to a receipt day of their own
 * (simulateElapsedTime) and the report is asked for that day only.
 */
import { randomInt } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../../cli/main';
import { addDays, daysBetween, type PlainDate, plainDateInZone } from '../../../domain/clock';
import { REPORT_CSV_HEADER } from '../../../domain/reports/csv';
import type { Report } from '../../../domain/reports/report';
import {
  createdId,
  get,
  lastEvent,
  post,
  simulateElapsedTime,
  stack,
  storedRequest,
  tokenFor,
  uniqueEmail,
} from './support';

const REPORTS = '/v1/console/reports';
const SHANGHAI = 'Asia/Shanghai';
/** A receipt day no other test uses: some day of 2000-2009. */
const DAY = addDays('2000-01-01' as PlainDate, randomInt(3650));

/** Moves a request's due date, as if it had been received earlier. */
async function dueOn(id: string, dueDate: PlainDate) {
  const { deadline } = await storedRequest(id);
  await simulateElapsedTime(id, { deadline: { ...deadline, dueDate } });
}

describe('the console report', () => {
  it('counts open, due soon, overdue, breached and closed on time or late, as JSON, CSV and dsar report', async () => {
    const agent = tokenFor('agent');
    const supervisor = tokenFor('supervisor');
    const today = plainDateInZone(new Date(), SHANGHAI);
    // Deletions under sufe and cancellations under caftrade wait for an approval: they stay open until refused.
    const deletion = () =>
      createdId(agent, { policyId: 'sufe', type: 'deletion', subject: { email: uniqueEmail('report') } });
    const overdue = await deletion();
    const onTime = await deletion();
    const late = await deletion();
    const dueSoon = await createdId(agent, {
      policyId: 'caftrade',
      type: 'account-cancellation',
      subject: { email: uniqueEmail('report') },
    });

    await dueOn(overdue, addDays(today, -1));
    await simulateElapsedTime(overdue, {
      breach: { at: new Date().toISOString(), dueDate: addDays(today, -1) },
    });
    await dueOn(late, addDays(today, -1));
    await dueOn(dueSoon, addDays(today, 2));
    for (const id of [onTime, late]) {
      const refusal = { ground: 'controller-legal-obligation', reason: 'Kept under a statutory duty' };
      expect((await post(`/v1/console/requests/${id}/refuse`, supervisor, refusal)).status).toBe(200);
    }
    for (const id of [overdue, onTime, late, dueSoon]) {
      await simulateElapsedTime(id, { receivedAt: `${DAY}T04:00:00.000Z` });
    }

    const closedAt = (await storedRequest(onTime)).closedAt;
    expect(closedAt).toBe((await lastEvent(onTime, 'status-changed')).at);
    expect((await storedRequest(overdue)).closedAt).toBeUndefined();
    const daysToClose = daysBetween(DAY, plainDateInZone(new Date(closedAt!), SHANGHAI));

    const answer = await get(`${REPORTS}?from=${DAY}&to=${DAY}`, tokenFor('auditor'));
    expect(answer.status).toBe(200);
    const report = answer.body as Report;
    expect(report).toMatchObject({ receivedFrom: DAY, receivedTo: DAY, dueSoonDays: 3 });
    expect(report.overall).toEqual({
      received: 4,
      open: 2,
      dueWithin3Days: 1,
      overdue: 1,
      breached: 1,
      closed: 2,
      closedOnTime: 1,
      closedLate: 1,
      closedTimingUnknown: 0,
      closedWithoutDueDate: 0,
      medianDaysToClose: daysToClose,
    });
    const receivedPerPolicy = report.byPolicy
      .filter((row) => row.received > 0)
      .map((row) => [row.policyId, row.received]);
    expect(Object.fromEntries(receivedPerPolicy)).toEqual({ sufe: 3, caftrade: 1 });
    const receivedPerChannel = report.byChannel
      .filter((row) => row.received > 0)
      .map((row) => [row.channel, row.received]);
    expect(Object.fromEntries(receivedPerChannel)).toEqual({ console: 4 });

    const csv = await fetch(`${stack().api}${REPORTS}?from=${DAY}&to=${DAY}&format=csv`, {
      headers: { authorization: `Bearer ${tokenFor('auditor')}` },
    });
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(csv.headers.get('content-disposition')).toMatch(
      /^attachment; filename="dsar-report-\d{4}-\d{2}-\d{2}\.csv"$/,
    );
    const text = await csv.text();
    const lines = text.split('\r\n');
    expect(lines[0]).toBe(REPORT_CSV_HEADER.join(','));
    expect(lines[1]).toBe(`overall,all,4,2,1,1,1,2,1,1,0,0,${daysToClose}`);

    let stdout = '';
    const io = {
      stdout: (chunk: string) => {
        stdout += chunk;
      },
      stderr: (chunk: string) => {
        stdout += chunk;
      },
    };
    const cli = ['report', '--state-dir', stack().stateDir, '--from', DAY, '--to', DAY];
    expect(await runCli([...cli, '--format', 'csv'], io)).toBe(0);
    expect(stdout).toBe(text);
    stdout = '';
    expect(await runCli(cli, io)).toBe(0);
    expect(stdout).toMatch(/\noverall +4 +2 +1 +1 +1 +2 +1 +1 +0 +0 +\d+\n/);
    expect(stdout).toContain('policy sufe');
  });

  it('refuses a range that ends before it starts, naming the field', async () => {
    const answer = await get(`${REPORTS}?from=2025-03-05&to=2025-03-04`, tokenFor('auditor'));
    expect(answer.status).toBe(400);
    expect(answer.body.error).toMatchObject({ code: 'invalid-field', field: 'to' });
  });
});
