/**
 * Minimisation at rest: a closed request keeps what proves how it was handled (status, clock,
 * approvals, results, the trail) and loses the clear personal data it needed only while open.
 * Identifier values become their masked form (the keyed hash `key` stays, so a follow-up from the
 * same subject is still recognised), names and free text go, the code challenge goes. Pure.
 */
import type { AuditEventBody } from './audit';
import { maskIdentifier } from './identifiers';
import { type Actor, isOpen } from './lifecycle';
import { IDENTIFIER_KINDS, type IdentifierKind } from './request';
import type { RequestRecord } from './request-record';

/** Days a closed request keeps its clear values when a profile does not say (time to answer follow-ups). */
export const DEFAULT_CLEAR_VALUES_RETENTION_DAYS = 30;

/** What replaces free text (notes, the requester's relation) once minimised. */
export const MINIMISED_TEXT = '[minimised]';

const DAY_MS = 86_400_000;

/** The instant a closed request's clear values are due to go, or undefined while it is open or already minimised. */
export function minimiseDueAt(
  record: Pick<RequestRecord, 'status' | 'closedAt' | 'minimisedAt'>,
  retentionDays: number,
): Date | undefined {
  if (isOpen(record.status) || record.closedAt === undefined || record.minimisedAt !== undefined)
    return undefined;
  return new Date(Date.parse(record.closedAt) + retentionDays * DAY_MS);
}

/** `A.` for `Alice Example`, `*` for anything without a letter to show. */
function maskName(name: string): string {
  const first = [...name.trim()][0];
  return first === undefined ? '*' : `${first}.`;
}

function isIdentifierKind(kind: string): kind is IdentifierKind {
  return (IDENTIFIER_KINDS as readonly string[]).includes(kind);
}

/**
 * The record with its clear values replaced, and the event that says so. Idempotent: a minimised
 * record is returned unchanged with no event. The caller decides when (minimiseDueAt).
 */
export function minimiseRecord<
  T extends RequestRecord | Omit<RequestRecord, 'lastSeq' | 'lastHash' | 'version'>,
>(record: T, at: string, actor: Actor): { readonly next: T; readonly events: readonly AuditEventBody[] } {
  if (record.minimisedAt !== undefined) return { next: record, events: [] };
  const { name, relation, proof: _proof, ...requester } = record.requester;
  const {
    details: _details,
    verification: _verification,
    cancelTokenHashes: _cancelTokens,
    ...rest
  } = record as T & Pick<RequestRecord, 'details' | 'verification' | 'cancelTokenHashes'>;
  const resolved = record.fulfilment?.resolvedIdentifiers;
  const next = {
    ...rest,
    requester: {
      ...requester,
      ...(name === undefined ? {} : { name: maskName(name) }),
      ...(relation === undefined ? {} : { relation: MINIMISED_TEXT }),
    },
    identifiers: record.identifiers.map((identifier) => ({ ...identifier, value: identifier.masked })),
    ...(record.notes === undefined
      ? {}
      : { notes: record.notes.map((note) => ({ ...note, text: MINIMISED_TEXT })) }),
    ...(record.fulfilment === undefined || resolved === undefined
      ? {}
      : {
          fulfilment: {
            ...record.fulfilment,
            resolvedIdentifiers: Object.fromEntries(
              Object.entries(resolved).map(([kind, value]) => [
                kind,
                isIdentifierKind(kind) ? maskIdentifier(kind, value) : '****',
              ]),
            ),
          },
        }),
    minimisedAt: at,
  } as unknown as T;
  const cleared = [
    'identifier-values',
    ...(name === undefined ? [] : ['requester-name']),
    ...(relation === undefined ? [] : ['requester-relation']),
    ...(record.requester.proof === undefined ? [] : ['requester-proof']),
    ...(record.details === undefined ? [] : ['details']),
    ...(record.notes === undefined || record.notes.length === 0 ? [] : ['note-texts']),
    ...(resolved === undefined ? [] : ['resolved-identifiers']),
    ...(record.verification === undefined ? [] : ['verification-challenge']),
  ];
  return {
    next,
    events: [{ type: 'personal-data-minimised', actor, at, details: { cleared } }],
  };
}
