import { describe, expect, it } from 'vitest';
import { MEMORY_ORGANISATION } from '../../../../adapters/memory/memory-intake-ports';
import { MemoryWorkflowStarter } from '../../../../adapters/memory/memory-workflow-starter';
import { submitRequest } from '../../../../app/intake/submit-request';
import { verifyRequest } from '../../../../app/intake/verify-request';
import { verifyChain } from '../../../../domain/audit';
import { approvalRequirement } from '../../../../domain/console/approval';
import { getPolicy } from '../../../../domain/policy/registry';
import { hashSecret } from '../../../../domain/verification';
import { aSubmission, NOW, submitInput, submitPorts } from './builders';

async function accepted(ports: ReturnType<typeof submitPorts>, input = submitInput()) {
  const result = await submitRequest(ports, input);
  if (result.outcome !== 'accepted') throw new Error(`expected accepted, got ${result.outcome}`);
  return result.receipt as Record<string, unknown> & { requestId: string };
}

describe('submitRequest', () => {
  it('stores the request pending verification, with the clock waiting for the code where the policy says so', async () => {
    const ports = submitPorts();
    const receipt = await accepted(ports);

    const record = await ports.requests.get(receipt.requestId);
    expect(record).toMatchObject({ status: 'pending-verification', policyId: 'caftrade', channel: 'api' });
    expect(receipt).toMatchObject({
      status: 'pending-verification',
      policyId: 'caftrade',
      receivedAt: NOW.toISOString(),
      clockStart: 'verification',
      statusToken: 'token-1',
      verification: { method: 'email-code' },
    });
    const trail = await ports.requests.trail(receipt.requestId);
    expect(trail.map((event) => event.type)).toEqual([
      'request-received',
      'status-changed',
      'verification-code-sent',
    ]);
    expect(verifyChain(trail)).toEqual({ intact: true });
  });

  it('rejects an Idempotency-Key that is not printable ASCII before storing anything', async () => {
    const ports = submitPorts();
    await expect(submitRequest(ports, submitInput(aSubmission(), 'has space'))).resolves.toEqual({
      outcome: 'invalid-idempotency-key',
    });
    expect(ports.requests.records.size).toBe(0);
    expect(ports.mailer.sent).toEqual([]);
  });

  it('refuses a policyId: the organisation chooses the policy, saying so', () => {
    expect(() => aSubmission({ policyId: 'ccpa' })).toThrow(/organisation chooses the policy/);
    expect(() => aSubmission({ residence: 'Atlantis' })).toThrow(
      /Unknown residence 'Atlantis'; known: CN, US-CA/,
    );
  });

  it('takes the policy the organisation maps the residence to, and its first residence when none is named', async () => {
    const ports = submitPorts();
    const californian = await accepted(ports, submitInput(aSubmission({ residence: 'us-ca' })));
    expect(californian).toMatchObject({ policyId: 'ccpa', clockStart: 'receipt' });
    const unnamed = await accepted(ports, submitInput(aSubmission({ details: 'another' })));
    expect(unnamed).toMatchObject({ policyId: 'caftrade' });
  });

  it('holds a deletion for approval under a profile that asks for none, when the organisation’s floor does', async () => {
    const ports = {
      ...submitPorts(),
      fulfilment: new MemoryWorkflowStarter(),
      organisation: {
        ...MEMORY_ORGANISATION,
        floor: { approvalRequestTypes: ['deletion' as const], fourEyes: true },
      },
    };
    expect(getPolicy('ccpa').approvalRequired.requestTypes).not.toContain('deletion');
    const receipt = await accepted(ports, submitInput(aSubmission({ type: 'deletion', residence: 'US-CA' })));
    const verified = await verifyRequest(ports, receipt.requestId, ports.oneTimeSecrets.codes[0]!);
    expect(verified).toMatchObject({ outcome: 'verified', answer: { status: 'verified' } });
    expect(ports.fulfilment.started).toEqual([]);
    const record = await ports.requests.get(receipt.requestId);
    expect(approvalRequirement(record, getPolicy('ccpa'))).toMatchObject({
      required: true,
      reasons: ['organisation-floor'],
    });
  });

  it('sends a right the policy does not offer (a CCPA portability request) to triage for a person, never to fulfilment', async () => {
    const ports = submitPorts();
    expect(getPolicy('ccpa').rightsOffered).not.toContain('portability');
    const receipt = await accepted(
      ports,
      submitInput(
        aSubmission({
          type: 'portability',
          residence: 'US-CA',
          portabilityTarget: { recipientName: 'Other Co', endpoint: 'https://other.example/inbox' },
        }),
      ),
    );
    expect(receipt).toMatchObject({ type: null, note: expect.stringMatching(/not among the rights/) });
    const record = await ports.requests.get(receipt.requestId);
    expect(record).toMatchObject({ needsTriage: true, triageCandidates: ['portability'] });
    expect(record.type).toBeUndefined();
    const [received] = await ports.requests.trail(receipt.requestId);
    expect(received?.details).toMatchObject({ type: 'needs-triage', notOffered: 'portability' });
  });

  it('answers a repeated submission as received, revealing nothing of the first request (idempotent by content)', async () => {
    const ports = submitPorts();
    await accepted(ports);
    const again = await accepted(ports);

    expect(again).toEqual({ type: aSubmission().type, replayed: true, note: expect.any(String) });
    expect(ports.requests.records.size).toBe(1);
    expect(ports.mailer.sent).toHaveLength(1);
  });

  it('answers a repeated Idempotency-Key with the first request, and refuses it with another body', async () => {
    const ports = submitPorts();
    const first = await accepted(ports, submitInput(aSubmission(), 'key-1'));
    const again = await accepted(ports, submitInput(aSubmission(), 'key-1'));
    expect(again.requestId).toBe(first.requestId);

    await expect(
      submitRequest(ports, submitInput(aSubmission({ type: 'deletion' }), 'key-1')),
    ).rejects.toMatchObject({ name: 'IdempotencyValidationError' });
    expect(ports.requests.records.size).toBe(1);
  });

  it('mails the code and stores only its hash, keyed to the request', async () => {
    const ports = submitPorts();
    const receipt = await accepted(ports);
    const [code] = ports.oneTimeSecrets.codes;

    expect(ports.mailer.sent).toHaveLength(1);
    expect(ports.mailer.sent[0]?.to).toBe('subject@example.com');
    expect(ports.mailer.sent[0]?.text).toContain(code);
    const record = await ports.requests.get(receipt.requestId);
    expect(record.verification?.codeHash).toBe(
      hashSecret('unit-test-hmac-key', 'verification-code', receipt.requestId, code!),
    );
    expect(JSON.stringify(record)).not.toContain(code);
    expect(JSON.stringify(record)).not.toContain('token-1');
  });

  it('keeps the request when the mail cannot be sent, and records notification-failed by error name', async () => {
    const ports = submitPorts();
    ports.mailer.failWith = Object.assign(new Error('SES is down'), { name: 'ServiceUnavailable' });
    const receipt = await accepted(ports);

    const record = await ports.requests.get(receipt.requestId);
    expect(record.status).toBe('pending-verification');
    const trail = await ports.requests.trail(receipt.requestId);
    expect(trail.at(-1)).toMatchObject({
      type: 'notification-failed',
      at: NOW.toISOString(),
      details: { notice: 'verification-code', errorName: 'ServiceUnavailable' },
    });
    expect(verifyChain(trail)).toEqual({ intact: true });
    expect(ports.telemetry.counts.get('NotificationFailed')).toBe(1);
  });
});
