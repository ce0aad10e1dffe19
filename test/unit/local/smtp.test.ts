import { describe, expect, it } from 'vitest';
import { ASYNC_PAYLOAD_LIMIT_BYTES } from '../../../local/lambda';
import {
  acceptsRecipient,
  buildSesReceiptEvent,
  decodeMimeWords,
  eventHeaders,
  LOCAL_VERDICTS,
  parseHeaderBlock,
  type ReceivedMail,
  receptionHeaders,
  SES_EVENT_HEADER_BYTES,
  verdictsFromHeaders,
} from '../../../local/smtp';

describe('acceptsRecipient', () => {
  const rule = ['privacy@example.com', 'dsar.example.org'];

  it.each([
    ['privacy@example.com', true],
    ['Privacy@Example.COM', true],
    ['other@example.com', false],
    ['anyone@dsar.example.org', true],
    ['anyone@sub.dsar.example.org', false],
    ['anyone@example.org', false],
  ])('decides %s is %s for a rule listing an address and a domain', (address, expected) => {
    expect(acceptsRecipient(rule, address)).toBe(expected);
  });

  it('accepts every address when no recipients are configured', () => {
    expect(acceptsRecipient(undefined, 'anyone@anywhere.example')).toBe(true);
  });
});

describe('parseHeaderBlock', () => {
  it('returns header fields in order, unfolded, and stops at the body', () => {
    const raw = Buffer.from(
      'From: a@example.net\r\nSubject: a long\r\n  folded subject\r\nTo: b@example.com\r\n\r\nBody: not a header\r\n',
    );
    expect(parseHeaderBlock(raw)).toEqual([
      { name: 'From', value: 'a@example.net' },
      { name: 'Subject', value: 'a long  folded subject' },
      { name: 'To', value: 'b@example.com' },
    ]);
  });

  it('reads raw UTF-8 header values (RFC 6532)', () => {
    expect(parseHeaderBlock(Buffer.from('Subject: 删除我的账号\n\nbody'))).toEqual([
      { name: 'Subject', value: '删除我的账号' },
    ]);
  });
});

describe('decodeMimeWords', () => {
  it.each([
    ['=?UTF-8?B?5p+l6ZiF5oiR55qE5Liq5Lq65L+h5oGv?=', '查阅我的个人信息'],
    ['=?utf-8?Q?caf=C3=A9_au_lait?=', 'café au lait'],
    ['=?gb2312?B?yb6z/Q==?=', '删除'],
    ['=?UTF-8?B?5p+l6ZiF?= =?UTF-8?B?5oiR55qE?=', '查阅我的'],
    ['Re: =?UTF-8?Q?hello?= world', 'Re: hello world'],
    ['plain text', 'plain text'],
  ])('decodes %s', (encoded, decoded) => {
    expect(decodeMimeWords(encoded)).toBe(decoded);
  });

  it('leaves a word in an unknown charset as it is', () => {
    expect(decodeMimeWords('=?x-unknown?B?aGk=?=')).toBe('=?x-unknown?B?aGk=?=');
  });
});

describe('receptionHeaders', () => {
  it('adds Return-Path and a Received line as SES does above a stored message', () => {
    expect(
      receptionHeaders({
        source: 'a@example.net',
        recipients: ['privacy@example.com'],
        clientHostname: '[127.0.0.1]',
        remoteAddress: '127.0.0.1',
        messageId: 'abc123',
        receivedAt: new Date('2025-03-01T10:00:00Z'),
      }),
    ).toBe(
      'Return-Path: <a@example.net>\r\n' +
        'Received: from [127.0.0.1] ([127.0.0.1] [127.0.0.1])\r\n' +
        ' by local-ses-intake with SMTP id abc123 for privacy@example.com;\r\n' +
        ' Sat, 01 Mar 2025 10:00:00 +0000 (UTC)\r\n',
    );
  });
});

describe('buildSesReceiptEvent', () => {
  it('shapes one record like the event of an SES receipt rule with an S3 action', () => {
    const headers = [
      { name: 'Return-Path', value: '<a@example.net>' },
      { name: 'From', value: '=?UTF-8?B?5p2O6Zu3?= <a@example.net>' },
      { name: 'To', value: 'privacy@example.com, dpo@example.com' },
      { name: 'Cc', value: 'agent@example.net' },
      { name: 'Subject', value: '=?UTF-8?B?5p+l6ZiF?=' },
      { name: 'Date', value: 'Sat, 01 Mar 2025 18:00:00 +0800' },
      { name: 'Message-ID', value: '<m1@example.net>' },
    ];
    expect(
      buildSesReceiptEvent({
        messageId: 'abc123',
        receivedAt: new Date('2025-03-01T10:00:00.250Z'),
        source: 'a@example.net',
        recipients: ['privacy@example.com'],
        headers,
        bucketName: 'dsar-inboundmail',
        objectKeyPrefix: 'inbound/',
        processingTimeMillis: 12,
        verdicts: LOCAL_VERDICTS,
      }),
    ).toEqual({
      Records: [
        {
          eventSource: 'aws:ses',
          eventVersion: '1.0',
          ses: {
            mail: {
              timestamp: '2025-03-01T10:00:00.250Z',
              source: 'a@example.net',
              messageId: 'abc123',
              destination: ['privacy@example.com'],
              headersTruncated: false,
              headers,
              commonHeaders: {
                returnPath: 'a@example.net',
                from: ['李雷 <a@example.net>'],
                date: 'Sat, 01 Mar 2025 18:00:00 +0800',
                to: ['privacy@example.com, dpo@example.com'],
                cc: ['agent@example.net'],
                messageId: '<m1@example.net>',
                subject: '查阅',
              },
            },
            receipt: {
              timestamp: '2025-03-01T10:00:00.250Z',
              processingTimeMillis: 12,
              recipients: ['privacy@example.com'],
              spamVerdict: { status: 'DISABLED' },
              virusVerdict: { status: 'DISABLED' },
              spfVerdict: { status: 'GRAY' },
              dkimVerdict: { status: 'GRAY' },
              dmarcVerdict: { status: 'GRAY' },
              action: {
                type: 'S3',
                bucketName: 'dsar-inboundmail',
                objectKeyPrefix: 'inbound/',
                objectKey: 'inbound/abc123',
              },
            },
          },
        },
      ],
    });
  });

  it('leaves out optional common headers the message does not have', () => {
    const event = buildSesReceiptEvent({
      messageId: 'm',
      receivedAt: new Date('2025-03-01T10:00:00Z'),
      source: '',
      recipients: ['privacy@example.com'],
      headers: [{ name: 'From', value: 'a@example.net' }],
      bucketName: 'b',
      objectKeyPrefix: '',
      processingTimeMillis: 0,
      verdicts: LOCAL_VERDICTS,
    });
    const common = event.Records[0]?.ses.mail.commonHeaders;
    expect(common).not.toHaveProperty('cc');
    expect(common).not.toHaveProperty('subject');
    expect(common).not.toHaveProperty('to');
  });

  const receivedWith = (headers: ReceivedMail['headers']): ReceivedMail => ({
    messageId: 'm',
    receivedAt: new Date('2025-03-01T10:00:00Z'),
    source: 'a@example.net',
    recipients: ['privacy@example.com'],
    headers,
    bucketName: 'b',
    objectKeyPrefix: 'inbound/',
    processingTimeMillis: 0,
    verdicts: LOCAL_VERDICTS,
  });

  /** SES's own fields, then `count` Received lines of about 1 KB, then From and Subject. */
  const longChain = (count: number) => [
    { name: 'Return-Path', value: '<a@example.net>' },
    ...Array.from({ length: count }, (_, hop) => ({
      name: 'Received',
      value: `from relay-${hop}.example.net by relay-${hop + 1}.example.net; ${'x'.repeat(1000)}`,
    })),
    { name: 'From', value: 'a@example.net' },
    { name: 'Subject', value: 'Delete my data' },
  ];

  it('keeps every header field and says headersTruncated: false while they fit in 10 KB', () => {
    const headers = longChain(5);
    const mail = buildSesReceiptEvent(receivedWith(headers)).Records[0]!.ses.mail;

    expect(mail.headersTruncated).toBe(false);
    expect(mail.headers).toEqual(headers);
    expect(mail.commonHeaders.subject).toBe('Delete my data');
  });

  it('cuts the header fields at 10 KB and says headersTruncated: true, as SES does', () => {
    const headers = longChain(300);
    const mail = buildSesReceiptEvent(receivedWith(headers)).Records[0]!.ses.mail;

    expect(mail.headersTruncated).toBe(true);
    expect(mail.headers).toEqual(headers.slice(0, mail.headers.length));
    const kept = mail.headers.reduce(
      (sum, header) => sum + Buffer.byteLength(`${header.name}: ${header.value}\r\n`),
      0,
    );
    expect(kept).toBeLessThanOrEqual(SES_EVENT_HEADER_BYTES);
    expect(kept).toBeGreaterThan(SES_EVENT_HEADER_BYTES - 1100);
    // commonHeaders is read from the fields the event kept.
    expect(mail.commonHeaders).toEqual({ returnPath: 'a@example.net', date: '', messageId: '' });
  });

  it('keeps the event of a mail with 300 KB of headers under the 256 KB asynchronous Invoke limit', () => {
    const huge = [
      ...longChain(100),
      { name: 'To', value: Array.from({ length: 8000 }, (_, n) => `r${n}@example.org`).join(', ') },
      { name: 'X-Padding', value: 'p'.repeat(100 * 1024) },
    ];
    expect(huge.reduce((sum, header) => sum + header.value.length, 0)).toBeGreaterThan(256 * 1024);

    const event = buildSesReceiptEvent(receivedWith(huge));

    expect(Buffer.byteLength(JSON.stringify(event))).toBeLessThan(ASYNC_PAYLOAD_LIMIT_BYTES);
    expect(event.Records[0]!.ses.mail.headersTruncated).toBe(true);
  });

  it('stops at the first field that does not fit rather than skipping it', () => {
    const { headers, truncated } = eventHeaders([
      { name: 'Return-Path', value: '<a@example.net>' },
      { name: 'X-Big', value: 'b'.repeat(SES_EVENT_HEADER_BYTES) },
      { name: 'From', value: 'a@example.net' },
    ]);

    expect(truncated).toBe(true);
    expect(headers).toEqual([{ name: 'Return-Path', value: '<a@example.net>' }]);
  });
});

describe('verdictsFromHeaders (local-only X-Local-SES-Verdicts)', () => {
  it('sets the named verdicts and keeps the others', () => {
    const headers = [
      { name: 'From', value: 'a@example.net' },
      { name: 'x-local-ses-verdicts', value: 'spf=FAIL; DMARC=fail' },
    ];
    expect(verdictsFromHeaders(headers, LOCAL_VERDICTS)).toEqual({
      ...LOCAL_VERDICTS,
      spf: 'FAIL',
      dmarc: 'FAIL',
    });
  });

  it('ignores names and statuses SES does not have, and keeps the defaults without the header', () => {
    const headers = [{ name: 'X-Local-SES-Verdicts', value: 'spf=MAYBE; toString=FAIL; garbage; =; dkim=' }];
    expect(verdictsFromHeaders(headers, LOCAL_VERDICTS)).toEqual(LOCAL_VERDICTS);
    expect(verdictsFromHeaders([], LOCAL_VERDICTS)).toEqual(LOCAL_VERDICTS);
  });
});
