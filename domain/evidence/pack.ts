/**
 * The evidence pack of one request: what a supervisor or auditor hands a regulator to show the request
 * was handled lawfully. Pure: the use case (app/console/evidence-pack.ts) reads the record, the trail and
 * the calendars, this builds every file, and an adapter zips them.
 *
 * Files: `summary.html` (readable, self-contained, the clock explained in it), `evidence.json`
 * (everything, machine-readable), `trail.jsonl` (the audit events as stored, one a line) and
 * `notices/*.txt` (the requester's notices, regenerated from their templates or listed).
 *
 * Masked identifiers only: the record's clear values, the requester's name, relation and proof, the
 * request's free text and the case notes' text are never read into the pack (a test checks the zip).
 */
import type { AuditEvent } from '../audit';
import type { CalendarSet } from '../clock';
import { plainDateInZone } from '../clock';
import { approvalRequirement } from '../console/approval';
import { escapeHtml } from '../escape-html';
import type { Actor } from '../lifecycle';
import { isOpen } from '../lifecycle';
import type { PolicyProfile } from '../policy/schema';
import type { PortabilityTransfer } from '../portability/transfer';
import { REQUEST_TYPE_LABELS } from '../request';
import type { RequestRecord } from '../request-record';
import { type ClockExplanation, explainClock } from './clock-explained';
import { type NoticeCopy, noticeCopies, noticeFileText } from './notice-copies';
import { type TimelineEntry, timelineOf } from './timeline';
import { type TrailVerdict, trailVerdictOf } from './trail-verdict';

export const EVIDENCE_FILES = {
  summary: 'summary.html',
  json: 'evidence.json',
  trail: 'trail.jsonl',
} as const;

export interface EvidencePackInput {
  readonly record: RequestRecord;
  readonly policy: PolicyProfile;
  /** The request's whole trail, as stored. */
  readonly trail: readonly AuditEvent[];
  readonly calendars: CalendarSet;
  /** ISO instant the pack is made. */
  readonly generatedAt: string;
  readonly generatedBy: Actor;
  readonly storeDescription: (storeId: string) => string;
  /** Whether each event's MAC holds under the audit key (checked by the caller); absent: the hash chain alone. */
  readonly macHolds?: (event: AuditEvent) => boolean;
}

export interface EvidenceFile {
  readonly name: string;
  readonly content: string;
}

export interface StoreEvidence {
  readonly storeId: string;
  readonly description: string;
  readonly status: string;
  readonly at?: string;
  readonly exportedRecords?: number;
  readonly deleted?: number;
  readonly anonymised?: number;
  readonly retained?: number;
  readonly retainedBases?: readonly string[];
  readonly remaining?: number;
  /** What the store's processor answered (ids of its deletion jobs, confirmations). */
  readonly receipts?: readonly string[];
  readonly failure?: string;
  readonly manual?: {
    readonly action: string;
    readonly completedBy?: string;
    readonly completedAt?: string;
    readonly note?: string;
  };
}

/** evidence.json: everything in the pack, machine-readable. */
export interface EvidenceDocument {
  readonly format: 'dsar-evidence-pack/1';
  readonly generatedAt: string;
  readonly generatedBy: Actor;
  readonly summary: {
    readonly requestId: string;
    readonly type: string | null;
    readonly policy: {
      readonly id: string;
      readonly name: string;
      readonly regime: string;
      readonly organisation: string;
    };
    readonly channel: string;
    readonly receivedVia?: string;
    readonly status: string;
    readonly open: boolean;
    readonly receivedAt: string;
    readonly closedAt: string | null;
    readonly dueDate: string | null;
    /** Whether it closed by the due date, counted in the policy's zone; null while open or without a due date. */
    readonly closedOnTime: boolean | null;
    readonly outcome: string;
    readonly minimisedAt?: string;
  };
  readonly identity: {
    readonly requesterRole: string;
    readonly identifiers: readonly {
      readonly kind: string;
      readonly masked: string;
      readonly verified: boolean;
      readonly method?: string;
      readonly verifiedAt?: string;
    }[];
    readonly verifiedOn: string | null;
    readonly takenBy: string | null;
    readonly identityCheckedBy: string | null;
    /** Each identity-verified event: when, by whom, how. */
    readonly checks: readonly {
      readonly at: string;
      readonly actor: string;
      readonly method: string | null;
    }[];
    readonly evidenceDocuments: number;
  };
  readonly decisions: {
    readonly approvalRequired: readonly string[];
    readonly approvals: readonly {
      readonly by: string;
      readonly role: string;
      readonly at: string;
      readonly reasons: readonly string[];
      readonly note?: string;
      readonly offlineCheck?: { readonly method: string; readonly risksExplained: true };
    }[];
    readonly refusal?: {
      readonly ground: string;
      readonly reason: string;
      readonly by: string;
      readonly at: string;
    };
    readonly extension?: { readonly postponedOn: string | null; readonly reason: string | null };
    readonly duplicateOf?: string;
    readonly repeat?: RequestRecord['repeat'];
    /** Case notes by author and time; their text is not copied (free text may hold personal data). */
    readonly notes: readonly { readonly by: string; readonly at: string }[];
  };
  readonly fulfilment: {
    readonly action: string | null;
    readonly stores: readonly StoreEvidence[];
    readonly package?: {
      readonly totalRecords: number;
      readonly at: string;
      readonly version: number;
      readonly files: readonly { readonly name: string; readonly sha256: string; readonly bytes: number }[];
    };
    /** Portability: the push to the recipient the requester named, with the recipient's receipt. */
    readonly transfer?: {
      readonly status: string;
      readonly recipientName: string;
      readonly endpointOrigin: string;
      readonly at: string;
      readonly receipt?: string;
      readonly sha256?: string;
      readonly failure?: string;
    };
  };
  readonly clock: ClockExplanation;
  readonly notices: readonly NoticeCopy[];
  readonly timeline: readonly TimelineEntry[];
  readonly trailVerdict: TrailVerdict;
}

function outcomeOf(record: RequestRecord): string {
  if (record.refusal) return `Refused on the ground ${record.refusal.ground}`;
  if (record.duplicateOf) return `Closed as a duplicate of ${record.duplicateOf}`;
  switch (record.status) {
    case 'fulfilled':
      return 'Fulfilled: every planned store done';
    case 'partially-fulfilled':
      return 'Partially fulfilled: some stores not done (see the stores)';
    case 'cancelled':
      return 'Cancelled';
    case 'expired-unverified':
      return 'Closed: the requester’s identity was never verified';
    default:
      return `Open (${record.status})`;
  }
}

function storeEvidence(record: RequestRecord, describe: (storeId: string) => string): StoreEvidence[] {
  const fulfilment = record.fulfilment;
  if (fulfilment === undefined) return [];
  const ids = [...new Set([...fulfilment.plannedStores, ...Object.keys(fulfilment.storeResults)])];
  return ids.map((storeId) => {
    const result = fulfilment.storeResults[storeId];
    const head = { storeId, description: describe(storeId) };
    if (result === undefined) return { ...head, status: 'not-started' };
    switch (result.status) {
      case 'exported':
        return { ...head, status: result.status, at: result.at, exportedRecords: result.recordCount };
      case 'erased':
        return {
          ...head,
          status: result.status,
          at: result.at,
          deleted: result.deleted,
          anonymised: result.anonymised,
          retained: result.retained,
          retainedBases: result.retainedBases,
          remaining: result.remaining,
          receipts: result.receipts ?? [],
        };
      case 'failed':
        return { ...head, status: result.status, at: result.at, failure: result.reason };
      default: {
        const done = result.completed;
        return {
          ...head,
          status: result.status,
          at: result.since,
          manual: {
            action: result.action,
            ...(done ? { completedBy: done.by, completedAt: done.at } : {}),
            ...(done?.note ? { note: done.note } : {}),
          },
        };
      }
    }
  });
}

export function evidenceDocument(input: EvidencePackInput): EvidenceDocument {
  const { record, policy, calendars } = input;
  const trail = [...input.trail].sort((a, b) => a.seq - b.seq);
  const closedOn = record.closedAt ? plainDateInZone(new Date(record.closedAt), policy.timeZone) : undefined;
  const dueDate = record.deadline.dueDate;
  const fulfilment = record.fulfilment;
  return {
    format: 'dsar-evidence-pack/1',
    generatedAt: input.generatedAt,
    generatedBy: input.generatedBy,
    summary: {
      requestId: record.requestId,
      type: record.type ?? null,
      policy: { id: policy.id, name: policy.name, regime: policy.regime, organisation: policy.organisation },
      channel: record.channel,
      ...(record.receivedVia ? { receivedVia: record.receivedVia } : {}),
      status: record.status,
      open: isOpen(record.status),
      receivedAt: record.receivedAt,
      closedAt: record.closedAt ?? null,
      dueDate,
      closedOnTime: closedOn === undefined || dueDate === null ? null : closedOn <= dueDate,
      outcome: outcomeOf(record),
      ...(record.minimisedAt ? { minimisedAt: record.minimisedAt } : {}),
    },
    identity: {
      requesterRole: record.requester.role,
      identifiers: record.identifiers.map((identifier) => ({
        kind: identifier.kind,
        masked: identifier.masked,
        verified: identifier.verified,
        ...(identifier.verifiedBy ? { method: identifier.verifiedBy } : {}),
        ...(identifier.verifiedAt ? { verifiedAt: identifier.verifiedAt } : {}),
      })),
      verifiedOn: record.verifiedOn ?? null,
      takenBy: record.takenBy ?? null,
      identityCheckedBy: record.identityCheckedBy ?? null,
      checks: trail
        .filter((event) => event.type === 'identity-verified')
        .map((event) => ({
          at: event.at,
          actor: `${event.actor.kind} ${event.actor.id}`,
          method: typeof event.details?.method === 'string' ? event.details.method : null,
        })),
      evidenceDocuments: record.evidenceKeys?.length ?? 0,
    },
    decisions: {
      approvalRequired: approvalRequirement(record, policy).reasons,
      approvals: (record.approvals ?? []).map((approval) => ({
        by: approval.by,
        role: approval.role,
        at: approval.at,
        reasons: approval.reasons,
        ...(approval.note ? { note: approval.note } : {}),
        ...(approval.offlineCheck ? { offlineCheck: approval.offlineCheck } : {}),
      })),
      ...(record.refusal ? { refusal: record.refusal } : {}),
      ...(record.extended
        ? { extension: { postponedOn: record.postponedOn ?? null, reason: record.extensionReason ?? null } }
        : {}),
      ...(record.duplicateOf ? { duplicateOf: record.duplicateOf } : {}),
      ...(record.repeat ? { repeat: record.repeat } : {}),
      notes: (record.notes ?? []).map((note) => ({ by: note.by, at: note.at })),
    },
    fulfilment: {
      action: fulfilment?.action ?? null,
      stores: storeEvidence(record, input.storeDescription),
      ...(fulfilment?.package
        ? {
            package: {
              totalRecords: fulfilment.package.totalRecords,
              at: fulfilment.package.at,
              version: fulfilment.package.version ?? 1,
              files: fulfilment.package.files,
            },
          }
        : {}),
      ...(fulfilment?.transfer ? { transfer: transferEvidence(fulfilment.transfer) } : {}),
    },
    clock: explainClock({
      policy,
      facts: {
        receivedAt: record.receivedAt,
        ...(record.verifiedOn ? { verifiedOn: record.verifiedOn } : {}),
        extended: record.extended,
        pausedUnits: record.pausedUnits,
        ...(record.postponedOn ? { postponedOn: record.postponedOn } : {}),
        ...(record.extensionReason ? { extensionReason: record.extensionReason } : {}),
        ...(record.pausedSince ? { pausedSince: record.pausedSince } : {}),
        storedDeadline: record.deadline,
      },
      calendars,
      trail,
    }),
    notices: noticeCopies({ record, policy, trail, storeDescription: input.storeDescription }),
    timeline: timelineOf(trail),
    trailVerdict: trailVerdictOf(
      trail,
      record.requestId,
      input.macHolds === undefined
        ? undefined
        : { record: { lastSeq: record.lastSeq, lastHash: record.lastHash }, macHolds: input.macHolds },
    ),
  };
}

function transferEvidence(transfer: PortabilityTransfer): EvidenceDocument['fulfilment']['transfer'] {
  const head = {
    status: transfer.status,
    recipientName: transfer.recipientName,
    endpointOrigin: transfer.endpointOrigin,
    at: transfer.at,
  };
  if (transfer.status === 'failed') return { ...head, failure: transfer.reason };
  return { ...head, sha256: transfer.sha256, ...(transfer.receipt ? { receipt: transfer.receipt } : {}) };
}

const STYLE = `body{font:14px/1.5 system-ui,sans-serif;margin:2rem auto;max-width:60rem;padding:0 1rem;color:#222}
h1{font-size:1.4rem}h2{font-size:1.15rem;margin-top:2rem;border-bottom:1px solid #ccc}
table{border-collapse:collapse;width:100%;margin:.5rem 0}th,td{border:1px solid #ddd;padding:.25rem .5rem;text-align:left;vertical-align:top}
th{background:#f4f4f4}.ok{color:#14620f}.bad{color:#a30000;font-weight:bold}.muted{color:#666}code{font-size:.9em}`;

const esc = (value: unknown): string =>
  escapeHtml(value === null || value === undefined ? '—' : String(value));

function rows(pairs: readonly (readonly [string, unknown])[]): string {
  return `<table>${pairs.map(([key, value]) => `<tr><th scope="row">${esc(key)}</th><td>${esc(value)}</td></tr>`).join('')}</table>`;
}

function table(headings: readonly string[], body: readonly (readonly unknown[])[]): string {
  if (body.length === 0) return '<p class="muted">None.</p>';
  return `<table><tr>${headings.map((heading) => `<th>${esc(heading)}</th>`).join('')}</tr>${body
    .map((row) => `<tr>${row.map((cell) => `<td>${esc(cell)}</td>`).join('')}</tr>`)
    .join('')}</table>`;
}

/** summary.html: the pack read by a person; the clock explained in its own section. */
export function summaryPage(document: EvidenceDocument): string {
  const { summary, identity, decisions, fulfilment, clock, notices, timeline, trailVerdict } = document;
  const typeLabel = summary.type
    ? (REQUEST_TYPE_LABELS[summary.type as keyof typeof REQUEST_TYPE_LABELS]?.[1] ?? summary.type)
    : 'not yet typed';
  const sections = [
    `<h1>Evidence pack: request ${esc(summary.requestId)}</h1>`,
    `<p class="muted">Generated ${esc(document.generatedAt)} by ${esc(`${document.generatedBy.kind} ${document.generatedBy.id}`)}. Identifiers are masked; free text that may hold personal data (the request's details, case notes, the requester's name) is not included.</p>`,
    '<h2>Summary</h2>',
    rows([
      ['Request id', summary.requestId],
      ['Type', typeLabel],
      ['Policy', `${summary.policy.id} — ${summary.policy.name} (${summary.policy.regime})`],
      ['Organisation', summary.policy.organisation],
      ['Channel', summary.receivedVia ? `${summary.channel} (${summary.receivedVia})` : summary.channel],
      ['Status', summary.status],
      ['Received', summary.receivedAt],
      ['Closed', summary.closedAt],
      ['Due date', summary.dueDate],
      ['Closed on time', summary.closedOnTime === null ? null : summary.closedOnTime ? 'yes' : 'NO'],
      ['Outcome', summary.outcome],
      ...(summary.minimisedAt ? [['Clear values minimised', summary.minimisedAt] as const] : []),
    ]),
    '<h2>Identity verification</h2>',
    rows([
      ['Requester', identity.requesterRole],
      ['Verified on', identity.verifiedOn],
      ['Taken by (console)', identity.takenBy],
      ['Identity checked by', identity.identityCheckedBy],
      ['Identity documents supplied', identity.evidenceDocuments],
    ]),
    table(
      ['Identifier', 'Masked value', 'Verified', 'Method', 'Verified at'],
      identity.identifiers.map((identifier) => [
        identifier.kind,
        identifier.masked,
        identifier.verified ? 'yes' : 'no',
        identifier.method,
        identifier.verifiedAt,
      ]),
    ),
    table(
      ['Check at', 'By', 'Method'],
      identity.checks.map((check) => [check.at, check.actor, check.method]),
    ),
    '<h2>Approvals and decisions</h2>',
    `<p>Approval required: ${esc(decisions.approvalRequired.length ? decisions.approvalRequired.join(', ') : 'no')}</p>`,
    table(
      ['Approved by', 'Role', 'At', 'Reasons', 'Note', 'Offline check'],
      decisions.approvals.map((approval) => [
        approval.by,
        approval.role,
        approval.at,
        approval.reasons.join(', '),
        approval.note,
        approval.offlineCheck ? `${approval.offlineCheck.method}, risks explained` : null,
      ]),
    ),
    ...(decisions.refusal
      ? [
          rows([
            ['Refused on', decisions.refusal.ground],
            ['Reason', decisions.refusal.reason],
            ['By', decisions.refusal.by],
            ['At', decisions.refusal.at],
          ]),
        ]
      : []),
    ...(decisions.extension
      ? [
          rows([
            ['Extension notified on', decisions.extension.postponedOn],
            ['Reason', decisions.extension.reason],
          ]),
        ]
      : []),
    ...(decisions.duplicateOf ? [`<p>Duplicate of ${esc(decisions.duplicateOf)}</p>`] : []),
    '<h2>Stores and processor receipts</h2>',
    `<p>Fulfilment: ${esc(fulfilment.action ?? 'none')}</p>`,
    table(
      [
        'Store',
        'Status',
        'At',
        'Exported',
        'Deleted',
        'Anonymised',
        'Retained (basis)',
        'Remaining',
        'Receipts',
        'Failure / manual',
      ],
      fulfilment.stores.map((store) => [
        `${store.storeId} — ${store.description}`,
        store.status,
        store.at,
        store.exportedRecords,
        store.deleted,
        store.anonymised,
        store.retained === undefined
          ? undefined
          : `${store.retained}${store.retainedBases?.length ? ` (${store.retainedBases.join('; ')})` : ''}`,
        store.remaining,
        store.receipts?.join(', '),
        store.failure ??
          (store.manual
            ? `${store.manual.action}${store.manual.completedBy ? ` by ${store.manual.completedBy} at ${store.manual.completedAt}` : ', open'}`
            : undefined),
      ]),
    ),
    ...(fulfilment.package
      ? [
          `<p>Package version ${esc(fulfilment.package.version)}: ${esc(fulfilment.package.totalRecords)} records, made ${esc(fulfilment.package.at)}.</p>`,
          table(
            ['File', 'SHA-256', 'Bytes'],
            fulfilment.package.files.map((file) => [file.name, file.sha256, file.bytes]),
          ),
        ]
      : []),
    ...(fulfilment.transfer
      ? [
          rows([
            ['Transfer', fulfilment.transfer.status],
            ['Recipient', `${fulfilment.transfer.recipientName} (${fulfilment.transfer.endpointOrigin})`],
            ['At', fulfilment.transfer.at],
            ['Recipient receipt', fulfilment.transfer.receipt],
            ['SHA-256 sent', fulfilment.transfer.sha256],
            ['Failure', fulfilment.transfer.failure],
          ]),
        ]
      : []),
    '<h2 id="clock">The clock explained</h2>',
    `<ol>${clock.sentences.map((sentence) => `<li>${esc(sentence)}</li>`).join('')}</ol>`,
    clock.countedDays.length
      ? `<details><summary>The ${esc(clock.countedDays.length)} counted days</summary><p><code>${esc(clock.countedDays.join(' '))}</code></p></details>`
      : '',
    '<h2>Notices sent to the requester</h2>',
    table(
      ['#', 'Kind', 'Channel', 'Sent at', 'To', 'Copy'],
      notices.map((notice) => [
        notice.number,
        notice.kind,
        notice.channel,
        notice.at,
        notice.to,
        notice.regenerated
          ? `${notice.file}: regenerated from the template as sent`
          : `${notice.file}: ${notice.note}`,
      ]),
    ),
    '<h2>Timeline</h2>',
    table(
      ['#', 'At', 'Actor', 'What', 'Details'],
      timeline.map((entry) => [entry.seq, entry.at, entry.actor, entry.what, entry.details]),
    ),
    '<h2>Audit trail verification</h2>',
    `<p class="${trailVerdict.intact ? 'ok' : 'bad'}">${esc(trailVerdict.statement)}</p>`,
    rows([
      ['Method', trailVerdict.method],
      ['Events', trailVerdict.events],
      ['Last hash', trailVerdict.lastHash],
    ]),
    `<p class="muted">${esc(EVIDENCE_FILES.trail)} holds the events as stored; anyone can re-walk the chain: each event's hash is the SHA-256 of its canonical JSON without the hash, and prevHash is the hash before it.</p>`,
  ];
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Evidence pack ${esc(summary.requestId)}</title>
<style>${STYLE}</style>
</head>
<body>
${sections.join('\n')}
</body>
</html>
`;
}

/** Every file of the pack, in the order they go into the zip. */
export function evidencePackFiles(input: EvidencePackInput): EvidenceFile[] {
  const document = evidenceDocument(input);
  const trail = [...input.trail].sort((a, b) => a.seq - b.seq);
  return [
    { name: EVIDENCE_FILES.summary, content: summaryPage(document) },
    { name: EVIDENCE_FILES.json, content: `${JSON.stringify(document, null, 2)}\n` },
    { name: EVIDENCE_FILES.trail, content: trail.map((event) => `${JSON.stringify(event)}\n`).join('') },
    ...document.notices.map((notice) => ({ name: notice.file, content: noticeFileText(notice) })),
  ];
}

/** The zip's file name: the request id and the day it was made. */
export function evidencePackName(requestId: string, generatedAt: string): string {
  return `evidence-${requestId}-${generatedAt.slice(0, 10)}.zip`;
}
