/**
 * The ports the console's use cases need besides the shared ones (app/ports.ts). Production adapters are
 * in adapters/aws/, in-memory ones in adapters/memory/.
 */
import type { ConsoleRole } from '../../definitions/console-roles';
import type { AuditEvent, AuditEventBody } from '../../domain/audit';
import type { ImportRecord } from '../../domain/console/calendar-import';
import type { Actor } from '../../domain/lifecycle';
import type { CalendarSource, Clock, Mailer, RequestRepository, WorkflowStarter } from '../ports';

export type { RevocableDownloadLinks } from '../ports';

/** An imported notice as stored: the domain's ImportRecord, with the calendar it is a notice of. */
export interface StoredCalendarNotice extends ImportRecord {
  readonly calendarId: string;
}

/**
 * The official notices imported at run time, and each calendar's own audit trail
 * (`calendar:<calendarId>`, beside the requests' trails). On AWS, the CalendarNotices and audit tables,
 * an import in one transaction (adapters/aws/calendar-import-store.ts).
 */
export interface CalendarNoticeStore {
  /** Every imported notice, oldest year first. */
  imported(): Promise<StoredCalendarNotice[]>;
  /** The imported notice of one year, if any (an import just made is seen). */
  read(calendarId: string, year: number): Promise<StoredCalendarNotice | undefined>;
  /**
   * Stores `notice` with `event` chained on its calendar's trail, both or neither, and returns the event
   * as written. Without `replace`, a year imported meanwhile is refused (NoticeAlreadyPresent).
   */
  store(
    notice: StoredCalendarNotice,
    event: AuditEventBody,
    options: { readonly replace: boolean },
  ): Promise<AuditEvent>;
}

/** Who is acting in the console: the caller the console guard identified (adapters/lambda/console-caller.ts). */
export interface ConsoleUser {
  readonly actor: Actor;
  readonly roles: readonly ConsoleRole[];
}

/** Failures a console action reports without failing: the action stands, an operator is told. */
export interface ConsoleLog {
  error(message: string, attributes: Readonly<Record<string, unknown>>): void;
  /** A failure the action reports in its answer (one store of several); logged for the operators too. */
  warn(message: string, attributes: Readonly<Record<string, unknown>>): void;
  /** Adds one to a count metric. */
  count(metric: string): void;
}

/** What every console action needs: the requests, the calendars its periods count on, and the time. */
export interface ActionDeps {
  readonly requests: RequestRepository;
  readonly calendars: CalendarSource;
  readonly clock: Clock;
}

/** What telling the requester needs: the mailer, and where a failure is reported. */
export interface NoticeDeps {
  readonly requests: RequestRepository;
  readonly clock: Clock;
  readonly mailer: Mailer;
  readonly log: ConsoleLog;
}

/** A console action that tells the requester. */
export type NoticeActionDeps = ActionDeps & NoticeDeps;

/** A console action that may let fulfilment start. */
export type FulfilmentActionDeps = NoticeActionDeps & { readonly fulfilment: WorkflowStarter };

/** Packs named text files into one zip (adapters/net/zip-archive.ts; the same code on AWS and locally). */
export interface ZipArchiver {
  zip(
    files: readonly { readonly name: string; readonly content: string }[],
    modifiedAt: Date,
  ): Promise<Uint8Array>;
}
