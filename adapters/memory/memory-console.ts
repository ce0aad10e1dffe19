/** In-memory stand-ins for the console's own ports (app/console/ports.ts), and a fixed clock, for unit tests. */
import type { ConsoleLog } from '../../app/console/ports';
import type { CalendarSource, Clock } from '../../app/ports';
import { type CalendarSet, PACKAGED_CALENDARS } from '../../domain/clock';

/** Keeps the errors and warnings logged and the counts added. */
export class MemoryConsoleLog implements ConsoleLog {
  readonly errors: { message: string; attributes: Readonly<Record<string, unknown>> }[] = [];
  readonly warnings: { message: string; attributes: Readonly<Record<string, unknown>> }[] = [];
  readonly counts: string[] = [];
  error(message: string, attributes: Readonly<Record<string, unknown>>): void {
    this.errors.push({ message, attributes });
  }
  warn(message: string, attributes: Readonly<Record<string, unknown>>): void {
    this.warnings.push({ message, attributes });
  }
  count(metric: string): void {
    this.counts.push(metric);
  }
}

/** The packaged calendars (or those given), without any imported notice store. */
export function fixedCalendars(calendars: CalendarSet = PACKAGED_CALENDARS): CalendarSource {
  return { calendars: async () => calendars };
}

/** A clock stopped at `instant` (ISO-8601); `set` moves it. */
export function fixedClock(instant: string): Clock & { set(instant: string): void } {
  let now = new Date(instant);
  return {
    now: () => new Date(now),
    set: (next) => {
      now = new Date(next);
    },
  };
}
