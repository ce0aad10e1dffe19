/**
 * Expiring download links for export packages. A link is a 256-bit random
 * bearer token in a URL, `${PUBLIC_BASE_URL}/v1/downloads/{token}`; only its
 * HMAC is stored (Tokens table, `tokenKey = 'download#' + HMAC`), so a leaked
 * table cannot be turned into links. The HMAC doubles as the link's id in the
 * audit trail and the console: it identifies a link without granting it.
 *
 * Issuing, revoking and using a link each leave an audit event on the request
 * (`download-link-issued`, `-revoked`, `-used`). The token item and the audit
 * event are two writes, ordered so that a failure between them is harmless:
 * a token is handed out only after its issue is audited, and a revocation
 * whose event failed writes the event on retry.
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { AuditEventBody } from '../../domain/audit';
import { Gone, PermanentError } from '../../domain/errors';
import type { Actor } from '../../domain/lifecycle';
import type { RequestRecord } from '../../domain/request-record';
import { hashSecret } from '../../domain/verification';
import { documentClient } from './clients/dynamodb';
import { getRequest, listAuditEvents, StaleRequest, saveRequest } from './request-store';
import { requiredEnv } from './runtime';
import { hashKey, newBearerToken } from './secrets';

/** The longest a link may live, whatever a policy says: the link is a bearer credential. */
export const MAX_DOWNLOAD_LINK_LIFETIME_DAYS = 7;

const TOKEN_KEY_PREFIX = 'download#';
/** 32 random bytes in base64url, as `newBearerToken` makes them. */
const WELL_FORMED_TOKEN = /^[A-Za-z0-9_-]{43}$/;
const DAY_MS = 24 * 60 * 60 * 1000;
/** Writers of a request retry this often on a concurrent change before giving up (StaleRequest). */
const SAVE_ATTEMPTS = 5;

export interface DownloadLinkItem {
  readonly tokenKey: string;
  readonly kind: 'download-link';
  readonly requestId: string;
  readonly packageKey: string;
  readonly issuedAt: string;
  readonly expiresAt: string;
  /** Epoch seconds of `expiresAt`: DynamoDB's TTL removes the item some time after. */
  readonly expiresAtEpoch: number;
  readonly revokedAt?: string;
  readonly revokedBy?: Actor;
  readonly lastUsedAt?: string;
  readonly uses?: number;
}

export interface IssueDownloadLinkInput {
  readonly requestId: string;
  /** Key of the package in the exports bucket. */
  readonly packageKey: string;
  /** The policy's `exportLinkLifetimeDays`; at most MAX_DOWNLOAD_LINK_LIFETIME_DAYS. */
  readonly lifetimeDays: number;
  readonly now: Date;
  /** @default { kind: 'system', id: 'fulfilment' } */
  readonly actor?: Actor;
}

export interface IssuedDownloadLink {
  /** The bearer token: give it to the requester once (in the URL), never store or log it. */
  readonly token: string;
  readonly url: string;
  /** ISO-8601 instant. */
  readonly expiresAt: string;
  /** The token's HMAC: names the link in the audit trail and for `revokeDownloadLink`. */
  readonly linkId: string;
}

export interface RevokeDownloadLinkInput {
  readonly requestId: string;
  readonly linkId: string;
  readonly actor: Actor;
  readonly now: Date;
  readonly reason?: string;
}

export interface RevokedDownloadLink {
  readonly linkId: string;
  readonly revokedAt: string;
  /** The link had been revoked before this call; nothing changed. */
  readonly alreadyRevoked: boolean;
}

export type DownloadLinkState = 'active' | 'expired' | 'revoked';

export interface DownloadLinkSummary {
  readonly linkId: string;
  readonly issuedAt: string;
  readonly expiresAt: string;
  readonly state: DownloadLinkState;
  readonly revokedAt?: string;
  readonly lastUsedAt?: string;
  readonly uses: number;
}

export type ResolvedDownloadToken =
  | { readonly outcome: 'unknown' }
  | { readonly outcome: 'expired' | 'revoked' | 'active'; readonly link: DownloadLinkItem };

/** The lifetime is not a whole number of days from 1 to MAX_DOWNLOAD_LINK_LIFETIME_DAYS. Permanent. */
export class InvalidLinkLifetime extends PermanentError {
  override readonly name = 'InvalidLinkLifetime' as const;
  readonly code = 'invalid-link-lifetime';
  constructor(readonly lifetimeDays: number) {
    super(`A download link lives 1 to ${MAX_DOWNLOAD_LINK_LIFETIME_DAYS} days, not ${lifetimeDays}`);
  }
}

/** No link of that id belongs to the request (never issued, or expired and removed by TTL). */
export class DownloadLinkNotFound extends PermanentError {
  override readonly name = 'DownloadLinkNotFound' as const;
  readonly code = 'link-not-found';
  constructor() {
    super('No such download link for this request');
  }
}

/** A link was revoked while it was being used. */
export class DownloadLinkRevoked extends Gone {
  override readonly name = 'DownloadLinkRevoked' as const;
  readonly code = 'link-revoked';
  constructor() {
    super('The download link has been revoked');
  }
}

const tokensTable = () => requiredEnv('TOKENS_TABLE');

/** The stored form of a token: its HMAC, bound to the download purpose. */
export async function downloadLinkId(token: string): Promise<string> {
  return hashSecret(await hashKey(), 'download-token', 'download-link', token);
}

export function downloadUrl(token: string): string {
  return `${requiredEnv('PUBLIC_BASE_URL')}/v1/downloads/${token}`;
}

/**
 * Appends events to a request's trail, reloading and retrying when another
 * writer got there first. `eventsFor` sees the fresh record and may return no
 * events (nothing to write).
 */
async function appendToTrail(
  requestId: string,
  eventsFor: (record: RequestRecord) => Promise<readonly AuditEventBody[]> | readonly AuditEventBody[],
): Promise<void> {
  for (let attempt = 1; ; attempt += 1) {
    const record = await getRequest(requestId);
    const events = await eventsFor(record);
    if (events.length === 0) return;
    try {
      await saveRequest(record, record, events);
      return;
    } catch (error) {
      if (!(error instanceof StaleRequest) || attempt >= SAVE_ATTEMPTS) throw error;
    }
  }
}

export async function issueDownloadLink(input: IssueDownloadLinkInput): Promise<IssuedDownloadLink> {
  const { requestId, packageKey, lifetimeDays, now } = input;
  if (!Number.isInteger(lifetimeDays) || lifetimeDays < 1 || lifetimeDays > MAX_DOWNLOAD_LINK_LIFETIME_DAYS) {
    throw new InvalidLinkLifetime(lifetimeDays);
  }
  const token = newBearerToken();
  const linkId = await downloadLinkId(token);
  const expires = new Date(now.getTime() + lifetimeDays * DAY_MS);
  const item: DownloadLinkItem = {
    tokenKey: TOKEN_KEY_PREFIX + linkId,
    kind: 'download-link',
    requestId,
    packageKey,
    issuedAt: now.toISOString(),
    expiresAt: expires.toISOString(),
    expiresAtEpoch: Math.ceil(expires.getTime() / 1000),
    uses: 0,
  };
  // The token item first: if the audit write then fails, nobody ever sees the token, and TTL removes the item.
  await documentClient.send(
    new PutCommand({
      TableName: tokensTable(),
      Item: item,
      ConditionExpression: 'attribute_not_exists(tokenKey)',
    }),
  );
  await appendToTrail(requestId, () => [
    {
      type: 'download-link-issued',
      actor: input.actor ?? { kind: 'system', id: 'fulfilment' },
      at: item.issuedAt,
      details: { linkId, packageKey, expiresAt: item.expiresAt, lifetimeDays },
    },
  ]);
  return { token, url: downloadUrl(token), expiresAt: item.expiresAt, linkId };
}

async function getLink(linkId: string): Promise<DownloadLinkItem | undefined> {
  const { Item } = await documentClient.send(
    new GetCommand({
      TableName: tokensTable(),
      Key: { tokenKey: TOKEN_KEY_PREFIX + linkId },
      ConsistentRead: true,
    }),
  );
  return Item?.kind === 'download-link' ? (Item as DownloadLinkItem) : undefined;
}

function stateOf(link: DownloadLinkItem, now: Date): DownloadLinkState {
  if (link.revokedAt !== undefined) return 'revoked';
  return now.getTime() >= Date.parse(link.expiresAt) ? 'expired' : 'active';
}

/**
 * Revokes one link of a request. Idempotent: revoking a revoked link changes
 * nothing, but still writes the audit event if an earlier attempt did not.
 */
export async function revokeDownloadLink(input: RevokeDownloadLinkInput): Promise<RevokedDownloadLink> {
  const { requestId, linkId, actor } = input;
  const at = input.now.toISOString();
  let revokedAt = at;
  let alreadyRevoked = false;
  try {
    await documentClient.send(
      new UpdateCommand({
        TableName: tokensTable(),
        Key: { tokenKey: TOKEN_KEY_PREFIX + linkId },
        UpdateExpression: 'SET revokedAt = :at, revokedBy = :actor',
        ConditionExpression:
          'attribute_exists(tokenKey) AND requestId = :requestId AND attribute_not_exists(revokedAt)',
        ExpressionAttributeValues: { ':at': at, ':actor': actor, ':requestId': requestId },
      }),
    );
  } catch (error) {
    if (!(error instanceof ConditionalCheckFailedException)) throw error;
    const link = await getLink(linkId);
    if (link?.requestId !== requestId || link.revokedAt === undefined) throw new DownloadLinkNotFound();
    revokedAt = link.revokedAt;
    alreadyRevoked = true;
  }
  await appendToTrail(requestId, async () => {
    const trail = await listAuditEvents(requestId);
    const audited = trail.some(
      (event) => event.type === 'download-link-revoked' && event.details?.linkId === linkId,
    );
    if (audited) return [];
    return [
      {
        type: 'download-link-revoked',
        actor,
        at: revokedAt,
        details: { linkId, ...(input.reason ? { reason: input.reason } : {}) },
      },
    ];
  });
  return { linkId, revokedAt, alreadyRevoked };
}

/** The request's links, from its audit trail and the Tokens table, oldest first (for the console). */
export async function listDownloadLinks(requestId: string, now: Date): Promise<DownloadLinkSummary[]> {
  const issued = (await listAuditEvents(requestId)).filter((event) => event.type === 'download-link-issued');
  const summaries: DownloadLinkSummary[] = [];
  for (const event of issued) {
    const linkId = String(event.details?.linkId ?? '');
    const expiresAt = String(event.details?.expiresAt ?? '');
    const link = linkId === '' ? undefined : await getLink(linkId);
    summaries.push({
      linkId,
      issuedAt: event.at,
      expiresAt,
      // Gone from the table means TTL removed it, which happens only after expiry.
      state: link ? stateOf(link, now) : 'expired',
      ...(link?.revokedAt ? { revokedAt: link.revokedAt } : {}),
      ...(link?.lastUsedAt ? { lastUsedAt: link.lastUsedAt } : {}),
      uses: link?.uses ?? 0,
    });
  }
  return summaries;
}

/** What a presented token is. A malformed token is `unknown` without a database read. */
export async function resolveDownloadToken(token: string, now: Date): Promise<ResolvedDownloadToken> {
  if (!WELL_FORMED_TOKEN.test(token)) return { outcome: 'unknown' };
  // The lookup is by HMAC, so the comparison of secrets happens inside the keyed hash, not on plain tokens.
  const link = await getLink(await downloadLinkId(token));
  if (link === undefined) return { outcome: 'unknown' };
  return { outcome: stateOf(link, now), link };
}

/**
 * Counts a use of an active link on its item and audits it on the request.
 * Fails with DownloadLinkRevoked if the link was revoked meanwhile.
 */
export async function recordDownloadLinkUse(link: DownloadLinkItem, now: Date): Promise<void> {
  const at = now.toISOString();
  try {
    await documentClient.send(
      new UpdateCommand({
        TableName: tokensTable(),
        Key: { tokenKey: link.tokenKey },
        UpdateExpression: 'SET lastUsedAt = :at ADD uses :one',
        ConditionExpression: 'attribute_exists(tokenKey) AND attribute_not_exists(revokedAt)',
        ExpressionAttributeValues: { ':at': at, ':one': 1 },
      }),
    );
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) throw new DownloadLinkRevoked();
    throw error;
  }
  await appendToTrail(link.requestId, () => [
    {
      type: 'download-link-used',
      actor: { kind: 'requester', id: 'download-link' },
      at,
      details: { linkId: link.tokenKey.slice(TOKEN_KEY_PREFIX.length), packageKey: link.packageKey },
    },
  ]);
}
