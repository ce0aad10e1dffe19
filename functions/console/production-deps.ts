/** The console ports on AWS, for the handlers here not yet turned into entry files over use cases. */

import { calendarSource } from '../../adapters/aws/calendar-notices';
import { consoleLog } from '../../adapters/aws/console-log';
import { mailer } from '../../adapters/aws/mailer';
import { requestRepository } from '../../adapters/aws/request-store';
import { systemClock } from '../../app/ports';

export const deps = {
  requests: requestRepository,
  calendars: calendarSource,
  clock: systemClock,
  mailer,
  log: consoleLog,
};
