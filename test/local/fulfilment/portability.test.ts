import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { describe, expect, inject, it } from 'vitest';
import { verifyChain } from '../../../domain/audit';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../../../local/credentials';
import { DEMO_PEOPLE } from '../../../local/demo/organisation';
import type { PortabilityDelivery } from '../../../local/fake-processor';
import { CONSOLE, post, tokenFor } from '../console/support';
import { residenceOf } from '../support/organisation';
import { codeIn, mailTo, pipelineTables, submitRequest, verifyCode } from '../support/pipeline';
import { downloadLinkIn, downloadPackage, mailAbout, waitForStatus } from './support';

const [LI_LEI] = DEMO_PEOPLE;
const RECIPIENT = 'New Shop (Portability Test)';

/** Submits a portability request under a policy that needs a supervisor's approval, and verifies the code. */
async function verifiedPortabilityRequest(endpoint: string) {
  const stack = inject('stack');
  const submitted = await submitRequest(stack, {
    type: 'portability',
    residence: residenceOf('pipl-default'),
    subject: { email: LI_LEI!.email },
    portabilityTarget: { recipientName: RECIPIENT, endpoint },
  });
  expect(submitted.status, JSON.stringify(submitted.body)).toBe(202);
  const requestId = submitted.body.requestId as string;
  const code = codeIn(await mailAbout(stack, LI_LEI!.email, requestId, /Verify/));
  const verified = await verifyCode(stack, requestId, code);
  expect(verified.status).toBe(200);
  return { requestId, verified: verified.body };
}

/** Invokes one workflow task as Step Functions would (a re-run, or a start the console never made). */
async function invokeTask(functionName: string, payload: unknown) {
  const client = new LambdaClient({
    endpoint: inject('stack').lambda,
    region: LOCAL_REGION,
    credentials: LOCAL_CREDENTIALS,
  });
  try {
    const result = await client.send(
      new InvokeCommand({
        FunctionName: functionName,
        Payload: new TextEncoder().encode(JSON.stringify(payload)),
      }),
    );
    const body = JSON.parse(new TextDecoder().decode(result.Payload)) as Record<string, unknown>;
    return { error: result.FunctionError ? (body.errorType as string) : undefined, body };
  } finally {
    client.destroy();
  }
}

async function deliveriesFor(requestId: string): Promise<PortabilityDelivery[]> {
  const response = await fetch(`${inject('stack').portabilityInbox}?requestId=${requestId}`);
  return (await response.json()) as PortabilityDelivery[];
}

describe('a portability request', () => {
  it('waits for a supervisor, then pushes the zip to the named recipient and tells the requester', async () => {
    const stack = inject('stack');
    const { requestId, verified } = await verifiedPortabilityRequest(stack.portabilityInbox);
    expect(verified).toMatchObject({ status: 'verified', note: expect.stringContaining('supervisor') });

    // Verified by code, but the policy needs an approval: nothing runs until it is given.
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    const held = await pipelineTables(stack).request(requestId);
    expect(held?.status).toBe('verified');
    expect(held?.fulfilment).toBeUndefined();
    expect(await deliveriesFor(requestId)).toEqual([]);
    // Defence in depth: the workflow itself refuses the unapproved request, whoever starts it.
    expect((await invokeTask('LoadRequest', { requestId })).error).toBe('FulfilmentNotApproved');
    expect((await pipelineTables(stack).request(requestId))?.status).toBe('verified');

    const byAgent = await post(`${CONSOLE}/${requestId}/approve`, tokenFor('agent'), {});
    expect(byAgent.status).toBe(403);
    const bySupervisor = await post(`${CONSOLE}/${requestId}/approve`, tokenFor('supervisor'), {
      note: 'Recipient checked against the cyberspace administration conditions',
    });
    expect(bySupervisor.status).toBe(200);

    const record = await waitForStatus(stack, requestId, ['fulfilled', 'partially-fulfilled']);
    expect(record.status).toBe('fulfilled');
    const [delivery, ...more] = await deliveriesFor(requestId);
    expect(more).toEqual([]);
    const zip = Buffer.from(delivery!.body, 'base64');
    const digest = createHash('sha256').update(zip).digest();
    expect(delivery).toMatchObject({
      contentType: 'application/zip',
      idempotencyKey: requestId,
      contentDigest: `sha-256=:${digest.toString('base64')}:`,
      sha256: digest.toString('hex'),
      bytes: zip.byteLength,
      pushes: 1,
    });
    const file = join(mkdtempSync(join(tmpdir(), 'dsar-pushed-')), 'package.zip');
    writeFileSync(file, zip);
    execFileSync('unzip', ['-tq', file]);
    expect(execFileSync('unzip', ['-Z1', file]).toString()).toContain('manifest.json');
    expect(record.fulfilment?.transfer).toMatchObject({
      status: 'pushed',
      recipientName: RECIPIENT,
      httpStatus: 201,
      receipt: delivery!.receipt,
      sha256: delivery!.sha256,
    });

    const mail = await mailAbout(stack, LI_LEI!.email, requestId, /transferred/);
    expect(mail.subject).toContain(RECIPIENT);
    expect(mail.text).toContain(delivery!.receipt);
    const trail = await pipelineTables(stack).auditTrail(requestId);
    const kinds = trail.map((event) => event.type);
    expect(kinds.filter((kind) => kind === 'package-transferred')).toHaveLength(1);
    // The data went where the requester asked; no download link was made as well.
    expect(kinds).not.toContain('download-link-issued');
    expect(verifyChain(trail)).toEqual({ intact: true });

    // A re-run after a crash finds the receipt recorded: no second push, no second mail.
    expect((await invokeTask('PushPortability', { requestId })).error).toBeUndefined();
    expect((await deliveriesFor(requestId)).map((pushed) => pushed.pushes)).toEqual([1]);
    const transferMails = (await mailTo(stack, LI_LEI!.email)).filter(
      (message) => message.subject.includes(requestId) && /transferred/.test(message.subject),
    );
    expect(transferMails).toHaveLength(1);
  });

  it.each([
    ['a loopback address not on the allow-list', 'https://127.0.0.1:9/inbox', 'loopback'],
    ['the instance metadata address', 'https://169.254.169.254/latest/meta-data/', 'link-local'],
  ])(
    'refuses a recipient at %s and sends the requester the package instead',
    async (_label, endpoint, category) => {
      const stack = inject('stack');
      const { requestId } = await verifiedPortabilityRequest(endpoint);
      expect((await post(`${CONSOLE}/${requestId}/approve`, tokenFor('supervisor'), {})).status).toBe(200);

      const record = await waitForStatus(stack, requestId, ['fulfilled', 'partially-fulfilled']);
      expect(record.status).toBe('partially-fulfilled');
      expect(record.fulfilment?.transfer).toMatchObject({ status: 'failed', recipientName: RECIPIENT });
      const reason =
        record.fulfilment?.transfer?.status === 'failed' ? record.fulfilment.transfer.reason : '';
      expect(reason).toMatch(new RegExp(`^EndpointRefused: .* a ${category} address`));
      const trail = await pipelineTables(stack).auditTrail(requestId);
      expect(trail.find((event) => event.type === 'transfer-failed')?.details).toMatchObject({ reason });
      expect(
        trail.find((event) => event.type === 'status-changed' && event.details?.to === 'partially-fulfilled'),
      ).toBeDefined();

      const mail = await mailAbout(stack, LI_LEI!.email, requestId, /could not transfer/);
      expect(mail.subject).toContain(RECIPIENT);
      expect(mail.text).not.toContain(category);
      execFileSync('unzip', ['-tq', await downloadPackage(downloadLinkIn(mail))]);
    },
  );
});
