/**
 * The ports the console's use cases need besides the shared ones (app/ports.ts). Production adapters are
 * in adapters/aws/, in-memory ones in adapters/memory/.
 */
import type { ConsoleRole } from '../../definitions/console-roles';
import type { Actor } from '../../domain/lifecycle';
import type { CalendarSource, Clock, Mailer, RequestRepository, WorkflowStarter } from '../ports';

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
