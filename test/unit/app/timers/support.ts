/** What the timer sweep's unit tests share: stored requests, the in-memory ports and a stopped clock. */

import { MemoryAnchorStore, MemoryTrailHeads } from '../../../../adapters/memory/memory-audit-anchors';
import { fixedCalendars, fixedClock } from '../../../../adapters/memory/memory-console';
import { MemoryMailer } from '../../../../adapters/memory/memory-mailer';
import { MemoryRequestRepository } from '../../../../adapters/memory/memory-request-repository';
import {
  DEMO_STAFF,
  fixedStaff,
  MemoryExportObjects,
  MemorySweepTelemetry,
  MemoryWorkflowMonitor,
} from '../../../../adapters/memory/memory-timer-ports';
import { MemoryWorkflowStarter } from '../../../../adapters/memory/memory-workflow-starter';
import type { RequestRecordDraft } from '../../../../app/ports';
import type { SweepContext } from '../../../../app/timers/sweep-job';
import type { AuditEventBody } from '../../../../domain/audit';
import { type CalendarSet, PACKAGED_CALENDARS } from '../../../../domain/clock';
import { getPolicy } from '../../../../domain/policy/registry';
import type { RequestRecord } from '../../../../domain/request-record';
import { deadlineFromFacts } from '../../../../domain/timers/provisional-recompute';

export const STAFF = DEMO_STAFF;
export const EMAIL = {
  kind: 'email',
  value: 'li.lei@example.com',
  key: 'k',
  masked: 'l***@example.com',
  verified: true,
} as const;

const received = (at: string): AuditEventBody => ({
  type: 'request-received',
  actor: { kind: 'system', id: 'intake' },
  at,
});

/**
 * Stores a request as intake would: `facts` over an open correction (agents handle corrections, so it
 * stays open), its deadline computed from its own facts on `calendars`, `trail` after its first event.
 */
export async function storeRequest(
  requests: MemoryRequestRepository,
  policyId: string,
  facts: Partial<RequestRecordDraft> = {},
  options: { trail?: readonly AuditEventBody[]; calendars?: CalendarSet } = {},
): Promise<RequestRecord> {
  const policy = getPolicy(policyId);
  const receivedAt = facts.receivedAt ?? '2025-09-26T02:00:00Z';
  const base: Omit<RequestRecordDraft, 'deadline'> = {
    requestId: 'dsr-timers-1',
    policyId,
    type: 'correction',
    needsTriage: false,
    channel: 'web',
    status: 'verified',
    requester: { role: 'self' },
    identifiers: [EMAIL],
    subjectKey: 'k',
    locale: 'zh-CN',
    receivedAt,
    statusTokenHash: 'h',
    pausedUnits: 0,
    extended: false,
    ...facts,
  };
  const deadline =
    facts.deadline ??
    deadlineFromFacts(
      policy,
      // Only the facts are read: receipt, verification, extension, pauses.
      { ...base, deadline: undefined } as unknown as RequestRecord,
      options.calendars ?? PACKAGED_CALENDARS,
    );
  return requests.create({ ...base, deadline }, [received(receivedAt), ...(options.trail ?? [])]);
}

/** Every port of the sweep in memory, the clock stopped at `instant`. */
export function memoryPorts(instant: string, calendars: CalendarSet = PACKAGED_CALENDARS) {
  return {
    requests: new MemoryRequestRepository(),
    mailer: new MemoryMailer(),
    staff: fixedStaff(),
    telemetry: new MemorySweepTelemetry(),
    clock: fixedClock(instant),
    calendars: fixedCalendars(calendars),
    objects: new MemoryExportObjects(2),
    audit: { heads: new MemoryTrailHeads(), anchors: new MemoryAnchorStore() },
    settings: { pageSize: 2 },
    workflows: new MemoryWorkflowMonitor(),
    reconciler: { everyMinutes: 1, stuckAfterSeconds: 900 },
    fulfilment: new MemoryWorkflowStarter(),
  };
}

/** The sweep's context as of `instant`. */
export function asOf(instant: string, calendars: CalendarSet = PACKAGED_CALENDARS): SweepContext {
  return { now: new Date(instant), calendars };
}
