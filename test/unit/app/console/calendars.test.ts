import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MemoryCalendarNoticeStore } from '../../../../adapters/memory/memory-calendar-notices';
import { fixedClock } from '../../../../adapters/memory/memory-console';
import { calendarsStatus, importNotice } from '../../../../app/console/calendars';
import { verifyChain } from '../../../../domain/audit';
import { InvalidCalendarData } from '../../../../domain/clock';
import { NoticeAlreadyPresent, NoticeYearMismatch } from '../../../../domain/console/calendar-import';
import notice2027 from '../../../fixtures/calendars/cn-state-council-2027.test-fixture.json';
import { SUPERVISOR } from './fixture';

const CALENDAR = 'cn-state-council';
const TRAIL = `calendar:${CALENDAR}`;
const packaged2026 = JSON.parse(
  readFileSync(
    join(__dirname, '../../../../domain/clock/calendars/notices/cn-state-council/2026.json'),
    'utf8',
  ),
);

/** The notice store in memory, the clock at 10:00 in Beijing on Monday 2 November 2026 unless told otherwise. */
function calendarPorts(now = '2026-11-02T02:00:00.000Z') {
  return { notices: new MemoryCalendarNoticeStore(), clock: fixedClock(now) };
}

const china = async (ports: ReturnType<typeof calendarPorts>) =>
  (await calendarsStatus(ports)).calendars.find((calendar) => calendar.calendarId === CALENDAR)!;

const import2027 = (ports: ReturnType<typeof calendarPorts>, replace = false, body: unknown = notice2027) =>
  importNotice(ports, SUPERVISOR, { calendarId: CALENDAR, year: 2027, body, replace });

describe('the official calendars in the console', () => {
  it('says next year’s notice is missing from 1 November in Beijing, on the injected clock', async () => {
    expect((await china(calendarPorts('2026-10-31T15:59:00.000Z'))).nextYearMissing).toBe(false);
    const ports = calendarPorts('2026-10-31T16:00:00.000Z');
    expect(await china(ports)).toMatchObject({ nextYear: 2027, nextYearMissing: true });
  });

  it('imports a year, lists it as imported, and audits the import on the calendar’s own trail', async () => {
    const ports = calendarPorts();
    const imported = await import2027(ports);
    expect(imported).toMatchObject({
      status: 'imported',
      replaces: null,
      calendarId: CALENDAR,
      year: 2027,
      importedAt: '2026-11-02T02:00:00.000Z',
      importedBy: SUPERVISOR.actor.id,
      audit: { trail: TRAIL, seq: 1 },
    });
    expect(imported.sha256).toMatch(/^[0-9a-f]{64}$/);
    const listed = await china(ports);
    expect(listed.nextYearMissing).toBe(false);
    expect(listed.years.find((year) => year.year === 2027)).toMatchObject({
      origin: 'imported',
      importedBy: SUPERVISOR.actor.id,
      sha256: imported.sha256,
    });
    const trail = ports.notices.trails.get(TRAIL)!;
    expect(verifyChain(trail)).toEqual({ intact: true });
    expect(trail).toMatchObject([
      {
        type: 'calendar-notice-imported',
        actor: SUPERVISOR.actor,
        at: '2026-11-02T02:00:00.000Z',
        details: { year: 2027, sha256: imported.sha256, replaces: null },
      },
    ]);
  });

  it('refuses to replace an imported year unless asked, and names what it replaced when asked', async () => {
    const ports = calendarPorts();
    const first = await import2027(ports);
    await expect(import2027(ports)).rejects.toThrow(NoticeAlreadyPresent);
    const replaced = await import2027(ports, true);
    expect(replaced).toMatchObject({ status: 'replaced', replaces: 'imported', audit: { seq: 2 } });
    expect(ports.notices.trails.get(TRAIL)?.at(-1)?.details).toMatchObject({
      replaces: 'imported',
      replacedSha256: first.sha256,
    });
  });

  it('refuses to replace a packaged year unless asked', async () => {
    const ports = calendarPorts();
    const input = { calendarId: CALENDAR, year: 2026, body: packaged2026 } as const;
    await expect(importNotice(ports, SUPERVISOR, { ...input, replace: false })).rejects.toThrow(
      NoticeAlreadyPresent,
    );
    expect(await importNotice(ports, SUPERVISOR, { ...input, replace: true })).toMatchObject({
      status: 'replaced',
      replaces: 'packaged',
    });
  });

  it('lists every problem of a bad notice and stores nothing', async () => {
    const ports = calendarPorts();
    const bad = structuredClone(notice2027) as { arrangements: { makeUpWorkdays: unknown[] }[] };
    bad.arrangements[0]!.makeUpWorkdays = [{ date: '2027-01-04', weekday: 'Sunday' }];
    const refusal = await import2027(ports, true, bad).catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(InvalidCalendarData);
    expect((refusal as InvalidCalendarData).problems.length).toBeGreaterThan(0);
    expect(ports.notices.notices.size).toBe(0);
    expect(ports.notices.trails.size).toBe(0);
  });

  it('refuses a notice whose year is not the one it is imported as', async () => {
    const ports = calendarPorts();
    await expect(
      importNotice(ports, SUPERVISOR, { calendarId: CALENDAR, year: 2028, body: notice2027, replace: false }),
    ).rejects.toThrow(NoticeYearMismatch);
  });
});
