import { describe, expect, it } from 'vitest';
import {
  transferFailedNotice,
  transferFailureWords,
  transferredNotice,
} from '../../../domain/portability/notices';
import {
  closeWithTransfer,
  MAX_RECEIPT_LENGTH,
  type PortabilityTransfer,
  receiptIn,
} from '../../../domain/portability/transfer';

const failed: PortabilityTransfer = {
  status: 'failed',
  recipientName: 'New Shop',
  endpointOrigin: 'https://new-shop.example',
  reason: 'EndpointRefused: new-shop.example resolves to a private address, which may not be reached',
  at: '2025-10-01T00:00:00Z',
};
const pushed: PortabilityTransfer = {
  status: 'pushed',
  recipientName: 'New Shop',
  endpointOrigin: 'https://new-shop.example',
  address: '203.0.114.7',
  httpStatus: 201,
  sha256: 'a'.repeat(64),
  bytes: 1234,
  at: '2025-10-01T00:00:00Z',
};

describe('the receipt a recipient answers', () => {
  it.each([
    ['{"receipt":"r-123"}', 'r-123'],
    ['{"id":"abc"}', 'abc'],
    ['{"receipt":"r-1","id":"other"}', 'r-1'],
    ['{"receipt":42}', undefined],
    ['not json', undefined],
    ['"just a string"', undefined],
    ['{"receipt":"\\u0000\\u001b[31mred"}', '[31mred'],
  ])('reads %s as %j', (body, receipt) => {
    expect(receiptIn(body)).toBe(receipt);
  });

  it(`keeps at most ${MAX_RECEIPT_LENGTH} characters of it`, () => {
    expect(receiptIn(JSON.stringify({ receipt: 'x'.repeat(1000) }))).toHaveLength(MAX_RECEIPT_LENGTH);
  });
});

describe('closing a portability request', () => {
  it('is partially fulfilled with the reason when the transfer failed, even if every store is done', () => {
    expect(closeWithTransfer('fulfilled', failed)).toEqual({
      status: 'partially-fulfilled',
      reason: `transfer to New Shop: ${failed.reason}`,
    });
  });

  it.each([
    ['fulfilled', pushed, 'fulfilled'],
    ['partially-fulfilled', pushed, 'partially-fulfilled'],
    ['fulfilled', undefined, 'fulfilled'],
  ] as const)('keeps the stores’ %s when the transfer is %o', (stores, transfer, status) => {
    expect(closeWithTransfer(stores, transfer)).toEqual({ status });
  });
});

describe('what the requester is told', () => {
  it('names the recipient and its receipt, in Chinese and English', () => {
    const notice = transferredNotice({
      requestId: 'dsr-1',
      recipientName: 'New Shop',
      endpointOrigin: 'https://new-shop.example',
      receipt: 'r-123',
      totalRecords: 12,
      incompleteStores: [],
      organisation: 'Demo Shop',
    });
    expect(notice.subject).toContain('New Shop');
    expect(notice.subject).toContain('已转移');
    expect(notice.text).toContain(
      'transferred your personal data (12 records, machine-readable) to New Shop',
    );
    expect(notice.text).toContain('r-123');
  });

  it('gives the download link and a reason without internal detail when the transfer failed', () => {
    const notice = transferFailedNotice({
      requestId: 'dsr-1',
      recipientName: 'New Shop',
      reason: transferFailureWords('EndpointRefused'),
      downloadUrl: 'https://dsar.example/v1/downloads/t',
      expiresAt: '2025-10-08T00:00:00Z',
      totalRecords: 12,
      organisation: 'Demo Shop',
    });
    expect(notice.subject).toContain('New Shop');
    expect(notice.text).toContain('https://dsar.example/v1/downloads/t');
    expect(notice.text).toContain('not a public https address');
    expect(notice.text).not.toContain('private');
  });

  it.each(['EndpointUnreachable', 'TransferUnavailable', 'States.Timeout'])(
    'says the recipient could not be reached after a %s',
    (error) => {
      expect(transferFailureWords(error).en).toContain('could not be reached');
    },
  );
});
