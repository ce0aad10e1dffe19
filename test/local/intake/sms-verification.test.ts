/**
 * A request by phone number alone, over HTTP as a requester makes it: the code arrives in the SMS
 * outbox (SNS Publish, as on AWS), verifying it marks the phone verified, and the demo accounts store
 * — which looks people up by phone and resolves their account id for the other stores — finds the
 * subject's data, and the download link arrives by SMS. The phone number appears in no log line.
 */
import { readFile } from 'node:fs/promises';
import { describe, expect, inject, it } from 'vitest';
import { DEMO_PEOPLE } from '../../../local/demo/organisation';
import { waitForStatus } from '../fulfilment/support';
import {
  codeInSms,
  mailTo,
  pipelineTables,
  requestStatus,
  resendCode,
  submitRequest,
  verifyCode,
  waitForSms,
} from '../support/pipeline';

const HAN_MEIMEI = DEMO_PEOPLE[1]!;
/** As a person types it: no +86, spaces. */
const TYPED = `${HAN_MEIMEI.phone.slice(3, 6)} ${HAN_MEIMEI.phone.slice(6, 10)} ${HAN_MEIMEI.phone.slice(10)}`;

describe('a request by phone number alone', () => {
  it('gets its code by SMS, is verified by it, and finds the subject’s data by phone', async () => {
    const stack = inject('stack');
    const submitted = await submitRequest(stack, {
      type: 'access',
      subject: { phone: TYPED },
      locale: 'zh-CN',
    });
    expect(submitted.status).toBe(202);
    expect(submitted.body).toMatchObject({
      status: 'pending-verification',
      verification: { method: 'sms-code' },
    });
    const { requestId, statusToken } = submitted.body as { requestId: string; statusToken: string };

    const sms = await waitForSms(stack, HAN_MEIMEI.phone);
    expect(sms.text).toMatch(/^【.+】您的查阅请求验证码：\d{8} \/ .+: Access request code \d{8}$/);
    expect(sms.text).not.toContain(requestId);
    expect(await mailTo(stack, HAN_MEIMEI.email)).toEqual([]);

    // A new code goes by SMS too, and only the newest verifies.
    expect((await resendCode(stack, requestId)).status).toBe(202);
    const resent = await waitForSms(stack, HAN_MEIMEI.phone, 2);
    expect(codeInSms(resent)).not.toBe(codeInSms(sms));

    const verified = await verifyCode(stack, requestId, codeInSms(resent));
    expect(verified.status).toBe(200);
    expect(verified.body).toMatchObject({ status: 'verified' });

    const record = await waitForStatus(stack, requestId, [
      'fulfilled',
      'partially-fulfilled',
      'needs-attention',
    ]);
    expect(record.identifiers).toEqual([
      expect.objectContaining({
        kind: 'phone',
        value: HAN_MEIMEI.phone,
        verified: true,
        verifiedBy: 'sms-code',
      }),
    ]);
    const results = record.fulfilment!.storeResults as Record<
      string,
      { status: string; recordCount?: number }
    >;
    // Found by phone in the accounts store, then by the account id it resolved in the others.
    expect(results.accounts?.status).toBe('exported');
    expect(results.accounts?.recordCount).toBeGreaterThan(0);
    expect(results.orders?.recordCount).toBeGreaterThan(0);

    // The download link goes by SMS too (no verified email): the link alone, no request id.
    if (record.status !== 'needs-attention') {
      const linkSms = await waitForSms(stack, HAN_MEIMEI.phone, 3);
      expect(linkSms.text).toMatch(/\/v1\/downloads\/[\w-]+/);
      expect(linkSms.text).not.toContain(requestId);
      expect(await mailTo(stack, HAN_MEIMEI.email)).toEqual([]);
      const sent = (await pipelineTables(stack).auditTrail(requestId)).find(
        (event) => event.type === 'notification-sent',
      );
      expect(sent).toMatchObject({ details: { kind: 'package-ready', channel: 'sms' } });
    }

    const status = await requestStatus(stack, requestId, statusToken);
    expect(status.body).toMatchObject({ status: record.status });
    const trail = await pipelineTables(stack).auditTrail(requestId);
    expect(trail.find((event) => event.type === 'identity-verified')).toMatchObject({
      details: { method: 'sms-code', identifier: '+86138****8002' },
    });

    const log = await readFile(stack.logFile, 'utf8');
    expect(log).not.toContain(HAN_MEIMEI.phone.slice(3));
  });
});
