/**
 * The console's CalendarNoticeStore in memory, for unit tests: notices by calendar and year, and each
 * calendar's trail chained as on AWS (adapters/aws/calendar-import-store.ts), notice and event together.
 */
import type { CalendarNoticeStore, StoredCalendarNotice } from '../../app/console/ports';
import type { TrailMac } from '../../app/ports';
import { signEvent } from '../../app/request-writes';
import { type AuditEvent, type AuditEventBody, chainEvent } from '../../domain/audit';
import { NoticeAlreadyPresent } from '../../domain/console/calendar-import';
import { MemoryTrailMac } from './memory-trail-mac';

export class MemoryCalendarNoticeStore implements CalendarNoticeStore {
  readonly notices = new Map<string, StoredCalendarNotice>();
  /** Each calendar's trail, by trail id (`calendar:<calendarId>`). */
  readonly trails = new Map<string, AuditEvent[]>();

  constructor(readonly mac: TrailMac = new MemoryTrailMac()) {}

  async imported(): Promise<StoredCalendarNotice[]> {
    return structuredClone([...this.notices.values()].sort((a, b) => a.year - b.year));
  }

  async read(calendarId: string, year: number): Promise<StoredCalendarNotice | undefined> {
    return structuredClone(this.notices.get(`${calendarId}#${year}`));
  }

  async store(
    notice: StoredCalendarNotice,
    body: AuditEventBody,
    options: { readonly replace: boolean },
  ): Promise<AuditEvent> {
    const key = `${notice.calendarId}#${notice.year}`;
    if (!options.replace && this.notices.has(key)) {
      throw new NoticeAlreadyPresent(notice.calendarId, notice.year, 'imported');
    }
    const trailId = `calendar:${notice.calendarId}`;
    const trail = this.trails.get(trailId) ?? [];
    const event = await signEvent(chainEvent(trailId, trail.at(-1), body), this.mac);
    this.notices.set(key, structuredClone(notice));
    this.trails.set(trailId, [...trail, event]);
    return structuredClone(event);
  }
}
