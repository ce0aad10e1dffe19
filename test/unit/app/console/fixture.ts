/** The console use cases' ports in memory, with a fixed clock, and stored requests to act on. */

import { fixedCalendars, fixedClock, MemoryConsoleLog } from '../../../../adapters/memory/memory-console';
import { CountingSecrets, fixedSecrets } from '../../../../adapters/memory/memory-intake-ports';
import { MemoryMailer } from '../../../../adapters/memory/memory-mailer';
import { MemoryRequestRepository } from '../../../../adapters/memory/memory-request-repository';
import { MemoryWorkflowStarter } from '../../../../adapters/memory/memory-workflow-starter';
import type { RequestRecordDraft } from '../../../../app/ports';
import type { ConsoleRole } from '../../../../definitions/console-roles';
import type { RequestRecord } from '../../../../domain/request-record';
import { aRequest, type RequestOptions } from '../../console/builders';

export const AGENT = { actor: { kind: 'agent' as const, id: 'alice' }, roles: ['agent'] as ConsoleRole[] };
export const SUPERVISOR = {
  actor: { kind: 'agent' as const, id: 'sam' },
  roles: ['supervisor'] as ConsoleRole[],
};

/** In-memory ports, the clock at 10:00 in Shanghai on Monday 2025-03-10 unless told otherwise. */
export function consolePorts(now = '2025-03-10T02:00:00.000Z') {
  const requests = new MemoryRequestRepository();
  return {
    requests,
    // The key the repository signs the trail with, for the views that verify it.
    trailMac: requests.mac,
    calendars: fixedCalendars(),
    clock: fixedClock(now),
    mailer: new MemoryMailer(),
    log: new MemoryConsoleLog(),
    fulfilment: new MemoryWorkflowStarter(),
    // The cancel link of a wait notice (app/intake/wait-notice.ts).
    secrets: fixedSecrets(),
    oneTimeSecrets: new CountingSecrets(),
  };
}

/** Stores a request built by the console builders, as intake would have (its first event: received). */
export function given(
  requests: MemoryRequestRepository,
  options: RequestOptions & { requestId?: string } = {},
): Promise<RequestRecord> {
  const built = aRequest(options);
  return store(requests, { ...built, requestId: options.requestId ?? built.requestId });
}

/** Stores `record` (its derived fields are the repository's to write) with its received event. */
export function store(requests: MemoryRequestRepository, record: RequestRecord): Promise<RequestRecord> {
  const { lastSeq: _s, lastHash: _h, version: _v, openShard: _o, dueSortKey: _d, ...draft } = record;
  return requests.create(draft as RequestRecordDraft, [
    { type: 'request-received', actor: { kind: 'requester', id: 'web' }, at: record.receivedAt },
  ]);
}

/** A repository on which `interloper` writes first, once, between the use case's read and its write. */
export class RacedRepository extends MemoryRequestRepository {
  private interloper: (() => Promise<void>) | undefined;
  raceOnce(interloper: (repository: MemoryRequestRepository) => Promise<void>): void {
    this.interloper = () => interloper(this);
  }
  override async save(...args: Parameters<MemoryRequestRepository['save']>): Promise<RequestRecord> {
    const interloper = this.interloper;
    this.interloper = undefined;
    if (interloper) await interloper();
    return super.save(...args);
  }
}
