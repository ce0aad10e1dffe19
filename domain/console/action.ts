/**
 * What every console action (domain/console/*, domain/correction.ts) takes
 * and gives back: who acts and when, and the record as it should be stored
 * with the events that say why. Apart from case-records.ts, which the request
 * record itself is made of, so that neither imports the other.
 */
import type { AuditEventBody } from '../audit';
import type { CalendarSet, PlainDate } from '../clock';
import type { Actor } from '../lifecycle';
import type { RequestRecord } from '../request-record';

/** Every console action's input besides its own parameters: who, when, and the day in the policy's zone. */
export interface ActionContext {
  readonly actor: Actor;
  /** ISO-8601 instant of the action. */
  readonly at: string;
  /** The action's day in the policy's time zone: the day legal periods count from. */
  readonly today: PlainDate;
  /** The working calendars, with the notices imported at run time. @default the packaged ones */
  readonly calendars?: CalendarSet;
}

/** What an action decided: the request as it should be stored, and the events that say why. */
export interface RecordChange {
  readonly next: RequestRecord;
  readonly events: readonly AuditEventBody[];
}
