import MailComposer from 'nodemailer/lib/mail-composer';
import type Mail from 'nodemailer/lib/mailer';
import { describe, expect, it } from 'vitest';
import { memoryEmailIntakePorts } from '../../../../adapters/memory/memory-inbound-mail';
import {
  MAX_EVIDENCE_ATTACHMENT_BYTES,
  MAX_EVIDENCE_ATTACHMENTS,
  MAX_REQUEST_MAIL_BYTES,
  type ReceivedMail,
  requestIdForMessage,
  takeInEmail,
} from '../../../../app/intake/email-intake';
import { NOW } from './builders';

const stored = { bucket: 'inbound-bucket', key: 'inbound/msg-1' };
const received: ReceivedMail = { messageId: 'msg-1', stored, headersTruncated: false, verdicts: {} };
const requestId = requestIdForMessage('msg-1');

async function mailed(options: Mail.Options, mail: Partial<ReceivedMail> = {}) {
  const ports = memoryEmailIntakePorts(NOW);
  const raw = await new MailComposer({ to: 'privacy@demo-shop.example', ...options }).compile().build();
  ports.inbound.put(stored, raw);
  return { ports, outcome: await takeInEmail(ports, { ...received, ...mail }, 'caftrade') };
}

describe('takeInEmail', () => {
  it('turns a Chinese deletion mail into a deletion request in Chinese and mails a code to the sender', async () => {
    const { ports, outcome } = await mailed({
      from: '王小明 <Xiaoming@Example.com>',
      subject: '删除我的个人信息',
      text: '您好，请删除我在贵公司的所有个人信息。谢谢。',
    });

    expect(outcome).toEqual({ outcome: 'created', requestId, needsTriage: false });
    expect(await ports.requests.get(requestId)).toMatchObject({
      type: 'deletion',
      needsTriage: false,
      channel: 'email',
      status: 'pending-verification',
      locale: 'zh-CN',
      receivedAt: NOW.toISOString(),
      inboundMessageKey: 'inbound/msg-1',
      identifiers: [{ kind: 'email', value: 'xiaoming@example.com', verified: false }],
    });
    expect(ports.mailer.sent.map((mail) => mail.to)).toEqual(['xiaoming@example.com']);
    expect(ports.mailer.sent[0]?.text).toContain(ports.oneTimeSecrets.codes[0]);
    expect(ports.telemetry.counts.get('EmailRequest')).toBe(1);
  });

  it('keeps a mail it cannot classify as a request that needs triage', async () => {
    const { ports, outcome } = await mailed({
      from: 'someone@example.com',
      subject: 'Hello',
      text: 'Hi there',
    });

    expect(outcome).toEqual({ outcome: 'created', requestId, needsTriage: true });
    expect(await ports.requests.get(requestId)).toMatchObject({ needsTriage: true, locale: 'en' });
  });

  it('stores attachments as evidence under the request id, and names them on the request', async () => {
    const { ports } = await mailed({
      from: 'someone@example.com',
      subject: 'Access request',
      text: 'Please send me a copy of my personal data.',
      attachments: [
        { filename: 'passport.png', content: Buffer.from('not really a png'), contentType: 'image/png' },
      ],
    });

    expect(ports.evidence.stored).toEqual([
      {
        key: `${requestId}/attachment-1`,
        content: Buffer.from('not really a png'),
        contentType: 'image/png',
        source: 'email',
      },
    ]);
    expect((await ports.requests.get(requestId)).evidenceKeys).toEqual([`${requestId}/attachment-1`]);
  });

  it('rejects a delivery report (a bounce), so a bounce never becomes a request or a reply', async () => {
    const ports = memoryEmailIntakePorts(NOW);
    const bounce = [
      'From: MAILER-DAEMON@mail.example.com',
      'To: privacy@demo-shop.example',
      'Subject: Undelivered Mail Returned to Sender',
      'MIME-Version: 1.0',
      'Content-Type: multipart/report; report-type=delivery-status; boundary="b1"',
      '',
      '--b1',
      'Content-Type: text/plain',
      '',
      'Your message could not be delivered.',
      '--b1',
      'Content-Type: message/delivery-status',
      '',
      'Status: 5.1.1',
      '--b1--',
      '',
    ].join('\r\n');
    ports.inbound.put(stored, Buffer.from(bounce));

    const outcome = await takeInEmail(ports, received, 'caftrade');

    expect(outcome).toEqual({ outcome: 'rejected', reason: 'delivery-report' });
    expect(ports.inbound.tagsOf(stored)).toEqual([{ key: 'dsar-rejected', value: 'delivery-report' }]);
    expect(ports.mailer.sent).toEqual([]);
  });

  it.each([
    ['an auto-reply', { 'Auto-Submitted': 'auto-replied' }, {}, 'auto-submitted'],
    ['a mail SES found a virus in', {}, { verdicts: { virus: 'FAIL', spf: 'PASS', dmarc: 'PASS' } }, 'virus'],
  ])(
    'rejects %s with a tag, a metric and a warning, and makes no request',
    async (_, headers, mail, reason) => {
      const { ports, outcome } = await mailed(
        { from: 'someone@example.com', subject: 'Out of office', text: 'Away', headers },
        mail,
      );

      expect(outcome).toEqual({ outcome: 'rejected', reason });
      expect(ports.inbound.tagsOf(stored)).toEqual([{ key: 'dsar-rejected', value: reason }]);
      expect(ports.telemetry.counts.get('RejectedEmail')).toBe(1);
      expect(ports.telemetry.warnings).toEqual([
        { message: 'Rejected inbound email', fields: { reason, objectKey: 'inbound/msg-1' } },
      ]);
      await expect(ports.requests.get(requestId)).rejects.toThrow();
    },
  );

  it('rejects a mail over the size limit as oversize without reading it', async () => {
    const ports = memoryEmailIntakePorts(NOW);
    ports.inbound.put(stored, new Uint8Array(MAX_REQUEST_MAIL_BYTES + 1));

    expect(await takeInEmail(ports, received, 'caftrade')).toEqual({
      outcome: 'rejected',
      reason: 'oversize',
    });
    expect(ports.inbound.tagsOf(stored)).toEqual([{ key: 'dsar-rejected', value: 'oversize' }]);
  });

  it('tags a mail whose headers SES truncated, and keeps that tag next to a rejection', async () => {
    const { ports, outcome } = await mailed(
      {
        from: 'someone@example.com',
        subject: 'Away',
        text: 'Away',
        headers: { 'Auto-Submitted': 'auto-replied' },
      },
      { headersTruncated: true },
    );

    expect(outcome).toEqual({ outcome: 'rejected', reason: 'auto-submitted' });
    expect(ports.inbound.tagsOf(stored)).toEqual([
      { key: 'dsar-rejected', value: 'auto-submitted' },
      { key: 'dsar-headers-truncated', value: 'true' },
    ]);
    expect(ports.telemetry.counts.get('EmailHeadersTruncated')).toBe(1);
    expect(ports.telemetry.notes).toEqual([
      {
        message: 'Inbound email headers were truncated in the SES event',
        fields: { objectKey: 'inbound/msg-1' },
      },
    ]);
  });

  it('takes in a mail whose headers SES truncated, tagged as such', async () => {
    const { ports, outcome } = await mailed(
      { from: 'someone@example.com', subject: 'Access request', text: 'A copy of my data, please.' },
      { headersTruncated: true },
    );

    expect(outcome).toMatchObject({ outcome: 'created', requestId });
    expect(ports.inbound.tagsOf(stored)).toEqual([{ key: 'dsar-headers-truncated', value: 'true' }]);
  });

  it('keeps the outcome when the tag cannot be written, with a warning naming only the error', async () => {
    const ports = memoryEmailIntakePorts(NOW);
    ports.inbound.put(stored, 'Auto-Submitted: auto-replied\r\nFrom: someone@example.com\r\n\r\nAway\r\n');
    ports.inbound.tagFailure = Object.assign(new Error('denied'), { name: 'AccessDenied' });

    expect(await takeInEmail(ports, received, 'caftrade')).toEqual({
      outcome: 'rejected',
      reason: 'auto-submitted',
    });
    expect(ports.telemetry.warnings.at(-1)).toEqual({
      message: 'Could not tag inbound email',
      fields: { errorName: 'AccessDenied' },
    });
  });

  it('takes in a mail whose From: may be forged (DMARC FAIL) for triage, marked, with no code sent', async () => {
    const { ports, outcome } = await mailed(
      {
        from: 'ceo@example.com',
        subject: 'Please delete my data',
        text: 'Please delete all of my personal data. My ID card is attached.',
        attachments: [{ filename: 'id.png', content: Buffer.from('an id card'), contentType: 'image/png' }],
      },
      { verdicts: { spf: 'PASS', dkim: 'FAIL', dmarc: 'FAIL', spam: 'PASS', virus: 'PASS' } },
    );

    expect(outcome).toEqual({
      outcome: 'created',
      requestId,
      needsTriage: true,
      mailFlags: ['suspected-spoofing'],
    });
    const record = await ports.requests.get(requestId);
    expect(record).toMatchObject({
      needsTriage: true,
      triageCandidates: ['deletion'],
      mailFlags: ['suspected-spoofing'],
      status: 'received',
      evidenceKeys: [`${requestId}/attachment-1`],
    });
    expect(record.type).toBeUndefined();
    expect(record.verification).toBeUndefined();
    const events = await ports.requests.trail(requestId);
    expect(events.map((event) => event.type)).toEqual(['request-received']);
    expect(events[0]?.details).toMatchObject({
      type: 'needs-triage',
      mailFlags: ['suspected-spoofing'],
      failedChecks: ['dkim', 'dmarc'],
    });
    expect(ports.mailer.sent).toEqual([]);
    expect(ports.telemetry.counts.get('SuspectedSpoofingEmail')).toBe(1);
  });

  it('treats an SPF FAIL as suspected spoofing too', async () => {
    const { ports, outcome } = await mailed(
      { from: 'someone@example.com', subject: 'Access request', text: 'A copy of my data, please.' },
      { verdicts: { spf: 'FAIL', dmarc: 'GRAY' } },
    );

    expect(outcome).toMatchObject({ needsTriage: true, mailFlags: ['suspected-spoofing'] });
    expect(ports.mailer.sent).toEqual([]);
  });

  it('sends a mail SES calls spam to triage marked spam; its sender is not in doubt, so the code goes out', async () => {
    const { ports, outcome } = await mailed(
      { from: 'someone@example.com', subject: 'Please delete my data', text: 'Delete it all.' },
      { verdicts: { spf: 'PASS', dkim: 'PASS', dmarc: 'PASS', spam: 'FAIL', virus: 'PASS' } },
    );

    expect(outcome).toEqual({ outcome: 'created', requestId, needsTriage: true, mailFlags: ['spam'] });
    expect(await ports.requests.get(requestId)).toMatchObject({
      needsTriage: true,
      mailFlags: ['spam'],
      status: 'pending-verification',
    });
    expect(ports.mailer.sent.map((mail) => mail.to)).toEqual(['someone@example.com']);
  });

  it('marks nothing when the verdicts pass or say nothing (GRAY is not a failure, nor a pass)', async () => {
    const { ports, outcome } = await mailed(
      { from: 'someone@example.com', subject: 'Please delete my data', text: 'Delete it all.' },
      { verdicts: { spf: 'GRAY', dkim: 'GRAY', dmarc: 'GRAY', spam: 'DISABLED', virus: 'DISABLED' } },
    );

    expect(outcome).toEqual({ outcome: 'created', requestId, needsTriage: false });
    expect((await ports.requests.get(requestId)).mailFlags).toBeUndefined();
  });

  it('keeps at most the first attachments under the size cap as evidence, and says on the trail how many it did not', async () => {
    const small = (n: number) => ({
      filename: `page-${n}.png`,
      content: Buffer.from(`page ${n}`),
      contentType: 'image/png',
    });
    const { ports, outcome } = await mailed({
      from: 'someone@example.com',
      subject: 'Access request',
      text: 'A copy of my data, please.',
      attachments: [
        { filename: 'huge.png', content: Buffer.alloc(MAX_EVIDENCE_ATTACHMENT_BYTES + 1, 1) },
        ...Array.from({ length: MAX_EVIDENCE_ATTACHMENTS + 2 }, (_, n) => small(n + 1)),
      ],
    });

    expect(outcome).toMatchObject({ outcome: 'created', needsTriage: false });
    const record = await ports.requests.get(requestId);
    expect(record.evidenceKeys).toHaveLength(MAX_EVIDENCE_ATTACHMENTS);
    // The oversize one was the mail's first attachment: keys keep the place in the mail.
    expect(record.evidenceKeys?.[0]).toBe(`${requestId}/attachment-2`);
    expect(ports.evidence.stored).toHaveLength(MAX_EVIDENCE_ATTACHMENTS);
    const [received] = await ports.requests.trail(requestId);
    expect(received?.details).toMatchObject({
      attachmentsNotStored: { tooMany: 2, tooLarge: 1 },
    });
    expect(ports.telemetry.counts.get('EmailAttachmentsNotStored')).toBe(1);
  });

  it('makes one request of the same message delivered twice', async () => {
    const { ports } = await mailed({
      from: 'someone@example.com',
      subject: 'Erase my data',
      text: 'Erase it all.',
    });

    expect(await takeInEmail(ports, received, 'caftrade')).toEqual({ outcome: 'duplicate', requestId });
    expect(ports.mailer.sent).toHaveLength(1);
  });

  it('derives the request id from the SES message id alone', () => {
    expect(requestIdForMessage('msg-1')).toBe(requestId);
    expect(requestIdForMessage('msg-2')).not.toBe(requestId);
    expect(requestId).toMatch(/^dsr-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
  });
});
