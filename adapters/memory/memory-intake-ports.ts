/**
 * In-memory intake ports for unit tests of the intake use cases: a clock that stands still until told,
 * a fixed HMAC key, codes and tokens from a counter (so a test knows them), the packaged calendars,
 * telemetry that counts, and a fulfilment starter that records. `memoryIntakePorts()` wires them with
 * the in-memory repository, mailer and SMS sender.
 */
import type { IntakeTelemetry, OneTimeSecrets } from '../../app/intake/ports';
import type { IntakeDeps } from '../../app/intake/request-intake';
import type { CalendarSource, Clock, SecretsReader } from '../../app/ports';
import { PACKAGED_CALENDARS } from '../../domain/clock';
import { DEFAULT_FLOOR, type OrganisationSettings } from '../../domain/policy/organisation';
import { POLICY_IDS } from '../../domain/policy/registry';
import { CODE_DIGITS } from '../../domain/verification';
import { MemoryAbuseCounters } from './memory-abuse-counters';
import { MemoryMailer } from './memory-mailer';
import { MemoryRequestRepository } from './memory-request-repository';
import { MemorySmsSender } from './memory-sms-sender';

export class FixedClock implements Clock {
  constructor(private instant: Date) {}
  now(): Date {
    return new Date(this.instant);
  }
  set(instant: Date): void {
    this.instant = instant;
  }
  advance(milliseconds: number): void {
    this.instant = new Date(this.instant.getTime() + milliseconds);
  }
}

export const fixedSecrets = (key = 'unit-test-hmac-key'): SecretsReader => ({ hashKey: async () => key });

/** Codes 00000001, 00000002, … and tokens `token-1`, `token-2`, …, in the order they are asked for. */
export class CountingSecrets implements OneTimeSecrets {
  readonly codes: string[] = [];
  readonly tokens: string[] = [];
  verificationCode(): string {
    const code = String(this.codes.length + 1).padStart(CODE_DIGITS, '0');
    this.codes.push(code);
    return code;
  }
  bearerToken(): string {
    const token = `token-${this.tokens.length + 1}`;
    this.tokens.push(token);
    return token;
  }
}

export const packagedCalendars: CalendarSource = { calendars: async () => PACKAGED_CALENDARS };

export class MemoryTelemetry implements IntakeTelemetry {
  readonly counts = new Map<string, number>();
  readonly errors: { message: string; fields: Readonly<Record<string, string>> }[] = [];
  count(metric: string): void {
    this.counts.set(metric, (this.counts.get(metric) ?? 0) + 1);
  }
  error(message: string, fields: Readonly<Record<string, string>>): void {
    this.errors.push({ message, fields });
  }
}

/**
 * Two residences under their own policies (the first the default), then one per other profile named by
 * its id, so a test reaches any profile as a requester does; and the shipped floor.
 */
export const MEMORY_ORGANISATION: OrganisationSettings = {
  residences: [
    { code: 'CN', name: { zh: '中国大陆', en: 'Mainland China' }, policyId: 'caftrade' },
    { code: 'US-CA', name: { zh: '美国加州', en: 'California' }, policyId: 'ccpa' },
    ...POLICY_IDS.filter((id) => id !== 'caftrade' && id !== 'ccpa').map((id) => ({
      code: id,
      name: { zh: id, en: id },
      policyId: id,
    })),
  ],
  floor: DEFAULT_FLOOR,
};

export interface MemoryIntakePorts extends IntakeDeps {
  readonly requests: MemoryRequestRepository;
  readonly mailer: MemoryMailer;
  readonly sms: MemorySmsSender;
  readonly clock: FixedClock;
  readonly oneTimeSecrets: CountingSecrets;
  readonly telemetry: MemoryTelemetry;
  readonly counters: MemoryAbuseCounters;
}

export function memoryIntakePorts(now: Date): MemoryIntakePorts {
  return {
    requests: new MemoryRequestRepository(),
    calendars: packagedCalendars,
    secrets: fixedSecrets(),
    oneTimeSecrets: new CountingSecrets(),
    mailer: new MemoryMailer(),
    sms: new MemorySmsSender(),
    clock: new FixedClock(now),
    telemetry: new MemoryTelemetry(),
    counters: new MemoryAbuseCounters(),
    organisation: MEMORY_ORGANISATION,
  };
}
