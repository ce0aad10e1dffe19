/**
 * No personal data in logs. Runs the intake flows (the happy paths and the
 * rejections) with distinctive values for everything personal a requester
 * gives us or we give them, then scans everything the pipeline printed (the
 * harness runs it at DEBUG level) for each value. The log may name requests,
 * routes, codes of errors and masked identifiers; it may not hold any of these.
 */
import { randomBytes, randomInt } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import nodemailer from 'nodemailer';
import type Mail from 'nodemailer/lib/mailer';
import { describe, expect, inject, it } from 'vitest';
import {
  call,
  codeIn,
  eventually,
  postJson,
  requestStatus,
  resendCode,
  submitRequest,
  unknownRequestId,
  verifyCode,
  waitForMail,
  wrongCodeFor,
} from '../support/pipeline';

const nonce = () => randomBytes(5).toString('hex');

/** Everything personal in the flows below, by what it is. */
const personal = {
  email: `pii.${nonce()}@example.com`,
  agentEmail: `pii.agent.${nonce()}@example.com`,
  mailSender: `pii.mail.${nonce()}@example.com`,
  rejectedSender: `pii.auto.${nonce()}@example.com`,
  badEmail: `pii-bad-${nonce()}@@example`,
  phoneDigits: `139${String(randomInt(10_000_000, 99_999_999))}`,
  accountId: `acct-${nonce()}`,
  name: `Wen Pii${nonce()}`,
  chineseName: `王${nonce()}`,
  relation: `aunt-${nonce()}`,
  proof: `power of attorney no. ${nonce()}`,
  details: `Please include my orders to ${nonce()} Nanjing Road`,
  mailSubjectMarker: `ref-${nonce()}`,
  mailBody: `My address is ${nonce()} Huaihai Road, please delete everything.`,
  attachmentName: `passport-${nonce()}.jpg`,
  attachmentContent: `PASSPORT-SCAN-${nonce()}`,
  unknownFieldValue: `secret-${nonce()}`,
};

/** Codes and tokens the flows hand out; filled in as they happen. */
const secrets: { statusTokens: string[]; codes: string[] } = { statusTokens: [], codes: [] };

async function sendMail(options: Mail.Options): Promise<void> {
  const transport = nodemailer.createTransport({
    host: '127.0.0.1',
    port: inject('stack').smtpPort,
    secure: false,
    ignoreTLS: true,
  });
  try {
    await transport.sendMail({ to: 'privacy@demo-shop.local', ...options });
  } finally {
    transport.close();
  }
}

/** The phone number as typed (spaced), as stored (+86) and as bare digits. */
const phoneForms = [
  `${personal.phoneDigits.slice(0, 3)} ${personal.phoneDigits.slice(3, 7)} ${personal.phoneDigits.slice(7)}`,
  `+86${personal.phoneDigits}`,
  personal.phoneDigits,
];

async function runFlows(): Promise<string> {
  const stack = inject('stack');
  const phone = phoneForms[0]!;

  // Web/API: submit with every identifier, a wrong code, a resend, the right code, the status.
  const submission = {
    type: 'copy',
    subject: { email: personal.email, phone, accountId: personal.accountId },
    details: personal.details,
  };
  const submitted = await submitRequest(stack, submission, { 'idempotency-key': `pii-${nonce()}` });
  const requestId = submitted.body.requestId as string;
  secrets.statusTokens.push(submitted.body.statusToken as string);
  const firstCode = codeIn(await waitForMail(stack, personal.email));
  await verifyCode(stack, requestId, wrongCodeFor(firstCode));
  await resendCode(stack, requestId);
  const code = codeIn(await waitForMail(stack, personal.email, 2));
  secrets.codes.push(firstCode, code);
  await verifyCode(stack, requestId, code);
  await requestStatus(stack, requestId, secrets.statusTokens[0]!);
  // Replays and conflicts.
  await submitRequest(stack, submission);
  await submitRequest(stack, submission);

  // Someone acting for the subject: names, relation, proof.
  const agent = await submitRequest(stack, {
    type: 'deletion',
    subject: { email: personal.agentEmail },
    requester: { role: 'guardian', name: personal.name, relation: personal.relation, proof: personal.proof },
    locale: 'zh-CN',
    details: `我是${personal.chineseName}的监护人`,
  });
  secrets.statusTokens.push(agent.body.statusToken as string);
  secrets.codes.push(codeIn(await waitForMail(stack, personal.agentEmail)));

  // Rejections that carry personal data in what they reject.
  await postJson(`${stack.api}/v1/requests`, { type: 'access', subject: { email: personal.badEmail } });
  await postJson(`${stack.api}/v1/requests`, {
    type: 'access',
    subject: { email: personal.email },
    nickname: personal.unknownFieldValue,
  });
  await call(`${stack.api}/v1/requests`, {
    method: 'POST',
    body: `{"type":"access","subject":{"email":"${personal.email}"`,
    headers: { 'content-type': 'application/json' },
  });
  await call(`${stack.api}/v1/requests`, {
    method: 'POST',
    body: JSON.stringify({ type: 'access', subject: { email: personal.email } }),
    headers: { 'content-type': 'text/plain' },
  });
  await verifyCode(stack, unknownRequestId(), code);
  await requestStatus(stack, requestId, secrets.statusTokens[1]!);

  // Email: a request with an ID document attached, and an auto-reply.
  await sendMail({
    from: `${personal.chineseName} <${personal.mailSender}>`,
    subject: `删除我的个人信息 ${personal.mailSubjectMarker}`,
    text: personal.mailBody,
    attachments: [{ filename: personal.attachmentName, content: Buffer.from(personal.attachmentContent) }],
  });
  secrets.codes.push(codeIn(await waitForMail(stack, personal.mailSender)));
  await sendMail({
    from: `${personal.name} <${personal.rejectedSender}>`,
    subject: `Automatic reply ${personal.mailSubjectMarker}`,
    text: personal.mailBody,
    headers: { 'Auto-Submitted': 'auto-replied' },
  });

  // The last call's API Gateway request id marks the end of this test's part of the log.
  const last = await call(`${stack.api}/openapi.json`);
  const marker = last.headers.get('apigw-requestid')!;
  return eventually(async () => {
    const log = await readFile(stack.logFile, 'utf8');
    // The auto-reply is processed asynchronously; its rejection line is the last to come.
    return log.includes(marker) && log.includes('Rejected inbound email') ? log : undefined;
  }, 'the log to catch up');
}

describe('logs', () => {
  it('hold none of the personal data, codes or tokens the intake flows handled', async () => {
    const log = await runFlows();

    const leaks = [
      ...Object.entries(personal).filter(([, value]) => log.includes(value)),
      ...phoneForms.filter((value) => log.includes(value)).map((value) => ['phone', value]),
      ...secrets.statusTokens.filter((token) => log.includes(token)).map((token) => ['statusToken', token]),
      // Codes are short: only a whole number counts, not digits inside a timestamp.
      ...secrets.codes
        .filter((code) => new RegExp(`(?<![0-9])${code}(?![0-9])`).test(log))
        .map((code) => ['code', code]),
    ].map(([kind]) => kind);

    expect(leaks).toEqual([]);
  });
});
