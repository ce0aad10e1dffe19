/**
 * The ports of the timer sweep's use cases, besides the shared ones in app/ports.ts (request repository,
 * clock, mailer, calendars). Production adapters are in adapters/aws/ (timer-ports.ts, export-objects.ts);
 * tests use adapters/memory/memory-timer-ports.ts.
 */
import type { StaffAddresses } from '../../domain/timers/timer-actions';

/** Counts and log lines for the operators (metrics and logs); never personal data. */
export interface SweepTelemetry {
  /** Adds `value` (1 unless given) to a count metric. */
  count(metric: string, value?: number): void;
  debug(message: string, fields: Readonly<Record<string, unknown>>): void;
  info(message: string, fields: Readonly<Record<string, unknown>>): void;
  warn(message: string, fields: Readonly<Record<string, unknown>>): void;
  error(message: string, fields: Readonly<Record<string, unknown>>): void;
}

/** Where staff notices go (the team's and the supervisors' addresses, from the deployment). */
export interface StaffDirectory {
  /** Throws when an address is not configured: a job asks before it records anything. */
  addresses(): StaffAddresses;
}

/** An object in one of the export areas. */
export interface StoredObject {
  /** `<requestId>/…`: the first segment is the request the object belongs to. */
  readonly key: string;
  /** When the object was last written; undefined if the store did not say. */
  readonly lastModified?: Date;
}

/** The exports bucket (packages) and the staging bucket (each store's exported records). */
export type ExportArea = 'exports' | 'staging';

/** The objects of the export areas, listed and deleted. */
export interface ExportObjects {
  /** Every object of `area`, a page at a time (deleting keys already listed does not disturb the walk). */
  list(area: ExportArea): AsyncIterable<readonly StoredObject[]>;
  /** Deletes `keys` of `area`; a key already gone is not an error. Fails if some could not be deleted. */
  delete(area: ExportArea, keys: readonly string[]): Promise<void>;
}

/** How Step Functions last saw an execution of the fulfilment workflow. */
export interface WorkflowRun {
  readonly status: 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED';
  readonly startedAt: Date;
  readonly stoppedAt?: Date;
  /** The error a failed execution ended with (its name, e.g. FulfilmentFailed or States.Runtime). */
  readonly error?: string;
}

/** Asks the workflow engine about the executions the request records name. */
export interface WorkflowMonitor {
  /** The execution of that name, or undefined if none was ever started (or it is no longer kept). */
  describe(executionName: string): Promise<WorkflowRun | undefined>;
}

/** How the reconciler paces itself (from the deployment). */
export interface ReconcilerSettings {
  /** Look at the executions on sweeps whose minute is a multiple of this (1: every sweep). */
  readonly everyMinutes: number;
  /** How long a request may go without a running execution: the slowest fulfilment step's timeout. */
  readonly stuckAfterSeconds: number;
}
