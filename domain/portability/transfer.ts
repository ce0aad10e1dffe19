/**
 * The outcome of a portability transfer (PIPL art. 45 para. 3, GDPR art.
 * 20(2)), kept on the request's fulfilment state: the push is the last thing
 * the workflow does with the data, and the request only closes as fulfilled
 * when the recipient acknowledged it.
 */
import type { RequestStatus } from '../lifecycle';

export type PortabilityTransfer =
  | {
      readonly status: 'pushed';
      readonly recipientName: string;
      /** Origin only (`https://host[:port]`): the path may carry the recipient's own references. */
      readonly endpointOrigin: string;
      /** The address the push connected to, after the guard checked it. */
      readonly address: string;
      readonly httpStatus: number;
      /** What the recipient answered as its receipt (`receipt` of a JSON answer), if anything. */
      readonly receipt?: string;
      /** SHA-256 (hex) and size of the zip as sent. */
      readonly sha256: string;
      readonly bytes: number;
      readonly at: string;
      /** When the requester was told; absent until then. */
      readonly noticeSentAt?: string;
    }
  | {
      readonly status: 'failed';
      readonly recipientName: string;
      readonly endpointOrigin: string;
      readonly reason: string;
      readonly at: string;
      readonly noticeSentAt?: string;
    };

/** The longest receipt kept: the recipient chooses it, so it is cut, not trusted. */
export const MAX_RECEIPT_LENGTH = 200;

/**
 * The receipt in a recipient's answer: the `receipt` (or `id`) string of a
 * JSON object, printable ASCII only and cut to MAX_RECEIPT_LENGTH; undefined
 * when the answer carries none.
 */
export function receiptIn(body: string): string | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null) return undefined;
  const { receipt, id } = parsed as { receipt?: unknown; id?: unknown };
  const value = typeof receipt === 'string' ? receipt : typeof id === 'string' ? id : undefined;
  const printable = value?.replace(/[^\x20-\x7e]/g, '').slice(0, MAX_RECEIPT_LENGTH);
  return printable ? printable : undefined;
}

/**
 * The request's final status given the stores' closure and the transfer: a
 * transfer that failed for good leaves the request partially fulfilled (the
 * requester was sent the package instead), with the reason.
 */
export function closeWithTransfer(
  storesStatus: Extract<RequestStatus, 'fulfilled' | 'partially-fulfilled'>,
  transfer: PortabilityTransfer | undefined,
): {
  readonly status: Extract<RequestStatus, 'fulfilled' | 'partially-fulfilled'>;
  readonly reason?: string;
} {
  if (transfer?.status !== 'failed') return { status: storesStatus };
  return {
    status: 'partially-fulfilled',
    reason: `transfer to ${transfer.recipientName}: ${transfer.reason}`,
  };
}
