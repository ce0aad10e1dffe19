import type { SESEventRecord } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { receivedMailOf } from '../../../adapters/aws/inbound-mail';

describe('receivedMailOf (the SES event EmailIntake receives)', () => {
  it('carries every verdict the receipt gives, and leaves out the ones it does not', () => {
    const record = {
      eventSource: 'aws:ses',
      ses: {
        mail: { messageId: 'msg-1', headersTruncated: false },
        receipt: {
          spfVerdict: { status: 'PASS' },
          dkimVerdict: { status: 'FAIL' },
          dmarcVerdict: { status: 'FAIL' },
          spamVerdict: { status: 'PASS' },
          action: { type: 'S3', bucketName: 'inbound', objectKey: 'inbound/msg-1' },
        },
      },
    } as unknown as SESEventRecord;

    expect(receivedMailOf(record)).toEqual({
      messageId: 'msg-1',
      stored: { bucket: 'inbound', key: 'inbound/msg-1' },
      headersTruncated: false,
      verdicts: { spf: 'PASS', dkim: 'FAIL', dmarc: 'FAIL', spam: 'PASS' },
    });
  });
});
