/**
 * What a sweep job is: one concern, applied by the sweep (app/timers/sweep.ts) to every open request in
 * due-date order. A job decides on the index copy, which may be stale, then decides again on a
 * consistent read and writes with the request's optimistic lock, so two sweeps (or a sweep and a
 * requester) never both apply a change.
 */
import type { CalendarSet } from '../../domain/clock';
import type { RequestRecord } from '../../domain/request-record';
import type { Clock, Mailer, RequestRepository, WorkflowStarter } from '../ports';
import type { ReconcilerSettings, StaffDirectory, SweepTelemetry, WorkflowMonitor } from './ports';

/** What a job did to one request. */
export type JobOutcome = 'changed' | 'unchanged';

/** The ports any job may use; a job's `run` declares the part it needs. */
export interface SweepJobDeps {
  readonly requests: RequestRepository;
  readonly mailer: Mailer;
  readonly staff: StaffDirectory;
  readonly telemetry: SweepTelemetry;
  /** The real time, for the trail of what happened after the decision (a mail's outcome). */
  readonly clock: Clock;
  /** The fulfilment workflow's executions, as Step Functions sees them (the reconciler). */
  readonly workflows: WorkflowMonitor;
  readonly reconciler: ReconcilerSettings;
  /** Starts fulfilment when a destructive type's wait after verification is over. */
  readonly fulfilment: WorkflowStarter;
}

/** What the sweep knows once, for every request. */
export interface SweepContext {
  /** The instant the sweep decides as of (the event's `now`, or the clock's). */
  readonly now: Date;
  /** Read once per sweep, with the notices imported so far. */
  readonly calendars: CalendarSet;
}

/** One concern of the sweep, applied to every open request. */
export interface SweepJob {
  readonly name: string;
  /** `candidate` comes from the index and may be stale; a job that writes must re-read first. */
  run(deps: SweepJobDeps, candidate: RequestRecord, context: SweepContext): Promise<JobOutcome>;
}

/** The name of a thrown value, for logs and the trail (never its message, which may hold personal data). */
export function errorNameOf(error: unknown): string {
  return error instanceof Error ? error.name : 'UnknownError';
}
