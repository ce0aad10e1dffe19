/** AbuseCounters for unit tests: totals per counter and window in a map. */
import type { AbuseCounters } from '../../app/intake/ports';
import { fixedWindow } from '../../domain/intake-limits';

export class MemoryAbuseCounters implements AbuseCounters {
  readonly totals = new Map<string, number>();
  async add(counter: string, windowSeconds: number, now: Date, by = 1): Promise<number> {
    const key = `${counter}#${fixedWindow(now, windowSeconds).start}`;
    const total = (this.totals.get(key) ?? 0) + by;
    this.totals.set(key, total);
    return total;
  }
  async read(counter: string, windowSeconds: number, now: Date): Promise<number> {
    return this.totals.get(`${counter}#${fixedWindow(now, windowSeconds).start}`) ?? 0;
  }
}
