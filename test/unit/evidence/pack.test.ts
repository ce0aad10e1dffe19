import { describe, expect, it } from 'vitest';
import { type AuditEvent, type AuditEventBody, chainEvent } from '../../../domain/audit';
import { PACKAGED_CALENDARS } from '../../../domain/clock';
import { WITHHELD_LINK } from '../../../domain/evidence/notice-copies';
import { EVIDENCE_FILES, evidenceDocument, evidencePackFiles } from '../../../domain/evidence/pack';
import { trailVerdictOf } from '../../../domain/evidence/trail-verdict';
import { getPolicy } from '../../../domain/policy/registry';
import type { RequestRecord } from '../../../domain/request-record';
import { aRequest, EMAIL, PHONE } from '../console/builders';

const ACCOUNT = {
  kind: 'accountId' as const,
  value: 'acct-7731-secret',
  key: 'accountId#key',
  masked: 'a***t',
  verified: false,
};
const NAME = 'Li Leiming';
const ID = 'dsr-00000000-0000-4000-8000-000000000001';
const AGENT = { kind: 'agent' as const, id: 'alice' };
const SUPERVISOR = { kind: 'agent' as const, id: 'sam' };
const WORKFLOW = { kind: 'system' as const, id: 'workflow' };

function chain(bodies: readonly AuditEventBody[]): AuditEvent[] {
  const events: AuditEvent[] = [];
  for (const body of bodies) events.push(chainEvent(ID, events.at(-1), body));
  return events;
}

/** A deletion under pipl-default received 2025-09-26, just before the National Day holiday. */
function fulfilledDeletion(): { record: RequestRecord; trail: AuditEvent[] } {
  const base = aRequest({
    type: 'deletion',
    receivedAt: '2025-09-26T02:00:00.000Z',
    status: 'fulfilled',
    identifiers: [
      { ...EMAIL, verified: true, verifiedBy: 'id-document', verifiedAt: '2025-09-26T02:00:00.000Z' },
      PHONE,
      ACCOUNT,
    ],
    extras: { extended: false },
  });
  const record: RequestRecord = {
    ...base,
    channel: 'console',
    receivedVia: 'counter',
    requester: { role: 'self', name: NAME, relation: `friend of ${NAME}` },
    details: `Please delete everything for ${EMAIL.value} and ${PHONE.value}`,
    notes: [
      { by: 'alice', at: '2025-09-26T02:00:00.000Z', text: `Called ${PHONE.value}, ${NAME} confirmed` },
    ],
    takenBy: 'alice',
    identityCheckedBy: 'alice',
    approvals: [{ by: 'sam', role: 'supervisor', at: '2025-09-26T03:00:00.000Z', reasons: ['four-eyes'] }],
    closedAt: '2025-10-09T02:00:00.000Z',
    openShard: undefined as never,
    fulfilment: {
      action: 'erase',
      plannedStores: ['crm'],
      resolvedIdentifiers: { accountId: ACCOUNT.value },
      storeResults: {
        crm: {
          status: 'erased',
          deleted: 3,
          anonymised: 1,
          retained: 1,
          retainedBases: ['tax law'],
          remaining: 0,
          receipts: ['job-42'],
          at: '2025-10-09T01:00:00.000Z',
        },
      },
      summarySentAt: '2025-10-09T02:00:00.000Z',
    },
  };
  const trail = chain([
    { type: 'request-received', actor: AGENT, at: '2025-09-26T02:00:00.000Z' },
    {
      type: 'identity-verified',
      actor: AGENT,
      at: '2025-09-26T02:00:00.000Z',
      details: { method: 'id-document', identifiers: [EMAIL.masked] },
    },
    {
      type: 'notification-sent',
      actor: AGENT,
      at: '2025-09-26T02:00:01.000Z',
      details: { notice: 'receipt', to: EMAIL.masked },
    },
    {
      type: 'verification-code-sent',
      actor: AGENT,
      at: '2025-09-26T02:00:02.000Z',
      details: { to: PHONE.masked, method: 'sms-code' },
    },
    {
      type: 'fulfilment-approved',
      actor: SUPERVISOR,
      at: '2025-09-26T03:00:00.000Z',
      details: { reasons: ['four-eyes'] },
    },
    { type: 'store-processed', actor: WORKFLOW, at: '2025-10-09T01:00:00.000Z', details: { storeId: 'crm' } },
    {
      type: 'notification-sent',
      actor: WORKFLOW,
      at: '2025-10-09T02:00:00.000Z',
      details: { kind: 'erasure-summary', to: EMAIL.masked },
    },
  ]);
  return { record: { ...record, lastSeq: trail.length, lastHash: trail.at(-1)!.hash }, trail };
}

function pack() {
  const { record, trail } = fulfilledDeletion();
  const input = {
    record,
    policy: getPolicy('pipl-default'),
    trail,
    calendars: PACKAGED_CALENDARS,
    generatedAt: '2025-11-01T00:00:00.000Z',
    generatedBy: SUPERVISOR,
    storeDescription: (storeId: string) => `Store ${storeId}`,
  };
  return { input, files: evidencePackFiles(input), document: evidenceDocument(input) };
}

describe('the evidence pack', () => {
  it('holds the summary, the JSON, the trail and one file per notice', () => {
    const { files } = pack();
    expect(files.map((file) => file.name)).toEqual([
      EVIDENCE_FILES.summary,
      EVIDENCE_FILES.json,
      EVIDENCE_FILES.trail,
      'notices/01-receipt.txt',
      'notices/02-verification-code.txt',
      'notices/03-erasure-summary.txt',
    ]);
    const trail = files
      .find((file) => file.name === EVIDENCE_FILES.trail)!
      .content.trim()
      .split('\n');
    expect(trail).toHaveLength(7);
    const events = trail.map((line) => JSON.parse(line));
    expect(trailVerdictOf(events, events[0].requestId)).toMatchObject({ intact: true, events: 7 });
  });

  it('contains no clear identifier, name or free text anywhere', () => {
    const { files } = pack();
    const clear = [EMAIL.value, PHONE.value, ACCOUNT.value, NAME, 'Please delete', 'confirmed'];
    for (const file of files) for (const value of clear) expect(file.content, file.name).not.toContain(value);
    expect(files[0]!.content).toContain(EMAIL.masked);
  });

  it('explains the clock over the National Day holiday with its official source', () => {
    const { document, files } = pack();
    const { clock } = document;
    expect(clock.start.day).toBe('2025-09-26');
    expect(clock.countedDays).toHaveLength(15);
    expect(clock.countedDays.at(-1)).toBe(clock.dueDate);
    expect(clock.holidays.map((day) => day.date)).toContain('2025-10-01');
    expect(clock.makeUpWorkdays.map((day) => day.date)).toEqual(['2025-09-28', '2025-10-11']);
    expect(clock.calendar?.years.find((year) => year.year === 2025)?.source.documentNumber).toBe(
      '国办发明电〔2024〕12号',
    );
    const summary = files[0]!.content;
    expect(summary).toContain('The clock explained');
    expect(summary).toContain('国办发明电〔2024〕12号');
    expect(summary).toContain('Make-up working days counted');
  });

  it('regenerates the notices it can, withholding links, and lists the others with the trail’s facts', () => {
    const { document, files } = pack();
    const [receipt, code, summary] = document.notices;
    expect(receipt).toMatchObject({ kind: 'receipt', regenerated: true, to: EMAIL.masked });
    expect(receipt?.text).toContain(WITHHELD_LINK);
    expect(receipt?.text).toContain(`We will reply by ${document.clock.dueDate}`);
    expect(code).toMatchObject({ kind: 'verification-code', channel: 'sms', regenerated: false });
    expect(summary).toMatchObject({ kind: 'erasure-summary', regenerated: true });
    expect(summary?.text).toContain('Store crm: 删除 deleted 3');
    const text = files.find((file) => file.name === 'notices/03-erasure-summary.txt')!.content;
    expect(text).toMatch(/^REGENERATED FROM THE TEMPLATE AS SENT/);
  });

  it('records who took, checked and approved, and the store receipts', () => {
    const { document } = pack();
    expect(document.identity).toMatchObject({ takenBy: 'alice', identityCheckedBy: 'alice' });
    expect(document.identity.checks).toEqual([
      { at: '2025-09-26T02:00:00.000Z', actor: 'agent alice', method: 'id-document' },
    ]);
    expect(document.decisions.approvals).toEqual([
      { by: 'sam', role: 'supervisor', at: '2025-09-26T03:00:00.000Z', reasons: ['four-eyes'] },
    ]);
    expect(document.fulfilment.stores[0]).toMatchObject({ storeId: 'crm', receipts: ['job-42'], deleted: 3 });
    expect(document.summary).toMatchObject({ status: 'fulfilled', closedOnTime: true });
    expect(document.decisions.notes).toEqual([{ by: 'alice', at: '2025-09-26T02:00:00.000Z' }]);
  });

  it('escapes what it shows in the page', () => {
    const { input } = pack();
    const files = evidencePackFiles({
      ...input,
      record: {
        ...input.record,
        approvals: [{ by: 'sam', role: 'supervisor', at: 'x', reasons: [], note: '<script>x</script>' }],
      },
    });
    expect(files[0]!.content).not.toContain('<script>');
    expect(files[0]!.content).toContain('&lt;script&gt;');
  });

  it('says where the trail was altered', () => {
    const { trail } = fulfilledDeletion();
    const altered = trail.map((event) =>
      event.seq === 3 ? { ...event, at: '2025-09-27T00:00:00.000Z' } : event,
    );
    expect(trailVerdictOf(altered, altered[0]!.requestId)).toMatchObject({ intact: false, brokenAt: 3 });
  });

  it('checks MACs and the record head where the caller verified the MACs', () => {
    const { trail } = fulfilledDeletion();
    const last = trail.at(-1)!;
    const keyCheck = { record: { lastSeq: last.seq, lastHash: last.hash }, macHolds: () => true };
    const signed = trail.map((event) => ({ ...event, mac: 'mac' }));
    expect(trailVerdictOf(signed, last.requestId, keyCheck)).toMatchObject({
      method: 'keyed-mac-chain',
      intact: true,
    });
    const forged = trailVerdictOf(signed, last.requestId, {
      ...keyCheck,
      macHolds: (event) => event.seq !== 2,
    });
    expect(forged).toMatchObject({ method: 'keyed-mac-chain', intact: false, brokenAt: 2 });
    expect(forged.findings).toContain('event 2 rewritten (MAC does not hold)');
  });
});
