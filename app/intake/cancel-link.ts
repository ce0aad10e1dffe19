/**
 * The "this was not me" link of a request (domain/fulfilment-wait.ts): a fresh 256-bit token per mail,
 * only its HMAC kept on the request, and the page address the mail carries.
 */
import { CANCEL_TOKEN_PURPOSE } from '../../domain/fulfilment-wait';
import type { ApprovedRequest } from '../../domain/notices';
import type { RequestRecord } from '../../domain/request-record';
import { hashSecret } from '../../domain/verification';
import type { SecretsReader } from '../ports';

export async function cancelTokenHash(
  secrets: SecretsReader,
  requestId: string,
  token: string,
): Promise<string> {
  return hashSecret(await secrets.hashKey(), CANCEL_TOKEN_PURPOSE, requestId, token);
}

/**
 * The confirm page (GET, which changes nothing: mail scanners follow links); its button posts the cancel.
 */
export function cancelUrl(requestId: string, token: string): string {
  const base = process.env.PUBLIC_BASE_URL ?? '';
  return `${base}/v1/requests/${encodeURIComponent(requestId)}/not-me?${new URLSearchParams({ token })}`;
}

/** What a mail about the request says is being approved: the type, and for portability where data goes. */
export function approvedRequestOf(record: RequestRecord): ApprovedRequest {
  const target = record.portabilityTarget;
  return {
    ...(record.type ? { type: record.type } : {}),
    ...(target ? { recipient: { name: target.recipientName, host: hostOf(target.endpoint) } } : {}),
    ...(record.requester.name ? { requesterName: record.requester.name } : {}),
  };
}

function hostOf(endpoint: string): string {
  try {
    return new URL(endpoint).host;
  } catch {
    return endpoint;
  }
}
