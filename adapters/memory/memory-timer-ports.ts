/** In-memory stand-ins for the timer sweep's own ports (app/timers/ports.ts), for unit tests. */
import type {
  ExportArea,
  ExportObjects,
  StaffDirectory,
  StoredObject,
  SweepTelemetry,
  WorkflowMonitor,
  WorkflowRun,
} from '../../app/timers/ports';
import type { StaffAddresses } from '../../domain/timers/timer-actions';

export interface LogLine {
  readonly level: 'debug' | 'info' | 'warn' | 'error';
  readonly message: string;
  readonly fields: Readonly<Record<string, unknown>>;
}

/** Keeps every count (metric → total) and every log line. */
export class MemorySweepTelemetry implements SweepTelemetry {
  readonly counts: Record<string, number> = {};
  readonly lines: LogLine[] = [];

  count(metric: string, value = 1): void {
    this.counts[metric] = (this.counts[metric] ?? 0) + value;
  }
  debug(message: string, fields: Readonly<Record<string, unknown>>): void {
    this.lines.push({ level: 'debug', message, fields });
  }
  info(message: string, fields: Readonly<Record<string, unknown>>): void {
    this.lines.push({ level: 'info', message, fields });
  }
  warn(message: string, fields: Readonly<Record<string, unknown>>): void {
    this.lines.push({ level: 'warn', message, fields });
  }
  error(message: string, fields: Readonly<Record<string, unknown>>): void {
    this.lines.push({ level: 'error', message, fields });
  }
}

export const DEMO_STAFF: StaffAddresses = {
  team: 'privacy-team@demo.example',
  supervisors: 'privacy-supervisors@demo.example',
};

/** The given addresses (the demo ones unless given). */
export function fixedStaff(addresses: StaffAddresses = DEMO_STAFF): StaffDirectory {
  return { addresses: () => addresses };
}

/** No addresses: every job that asks fails, as a deployment without them would. */
export const unconfiguredStaff: StaffDirectory = {
  addresses: () => {
    throw new Error('Staff addresses are not configured');
  },
};

/** Both export areas in memory, listed in key order, `pageSize` objects a page. */
export class MemoryExportObjects implements ExportObjects {
  readonly areas: Record<ExportArea, Map<string, Date>> = { exports: new Map(), staging: new Map() };

  constructor(private readonly pageSize = 1000) {}

  /** Writes (or rewrites) an object at `lastModified`. */
  put(area: ExportArea, key: string, lastModified: Date): void {
    this.areas[area].set(key, new Date(lastModified));
  }

  keys(area: ExportArea): string[] {
    return [...this.areas[area].keys()].sort();
  }

  async *list(area: ExportArea): AsyncIterable<readonly StoredObject[]> {
    const objects = this.keys(area).map((key) => ({
      key,
      lastModified: new Date(this.areas[area].get(key) as Date),
    }));
    for (let offset = 0; offset < objects.length; offset += this.pageSize) {
      yield objects.slice(offset, offset + this.pageSize);
    }
  }

  async delete(area: ExportArea, keys: readonly string[]): Promise<void> {
    for (const key of keys) this.areas[area].delete(key);
  }
}

/** Executions by name, as a test sets them; an unknown name was never started. */
export class MemoryWorkflowMonitor implements WorkflowMonitor {
  readonly runs = new Map<string, WorkflowRun>();
  async describe(executionName: string): Promise<WorkflowRun | undefined> {
    return this.runs.get(executionName);
  }
}
