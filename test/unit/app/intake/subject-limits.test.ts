/**
 * The attack the per-request lock did not stop: file request after request for someone else's address,
 * each with a fresh Idempotency-Key and so five fresh guesses. The limits across requests
 * (domain/intake-limits.ts) must hold it to a fixed number of guesses per subject per window.
 */
import { describe, expect, it } from 'vitest';
import { MemoryWorkflowStarter } from '../../../../adapters/memory/memory-workflow-starter';
import { submitRequest } from '../../../../app/intake/submit-request';
import { verifyRequest } from '../../../../app/intake/verify-request';
import { DEFAULT_INTAKE_LIMITS } from '../../../../domain/intake-limits';
import { aSubmission, submitInput, submitPorts } from './builders';

function attackPorts() {
  return { ...submitPorts(), fulfilment: new MemoryWorkflowStarter() };
}

async function submit(ports: ReturnType<typeof attackPorts>, key: string, email = 'victim@example.com') {
  const result = await submitRequest(
    ports,
    submitInput(aSubmission({ type: 'deletion', subject: { email } }), key),
  );
  if (result.outcome !== 'accepted') throw new Error(result.outcome);
  return result.receipt as Record<string, unknown> & { requestId: string };
}

describe('limits across a subject’s requests', () => {
  it('stops the fresh-request attack: at most the subject’s wrong-code limit is ever compared, and nothing verifies', async () => {
    const ports = attackPorts();
    let compared = 0;
    let locked = 0;
    for (let attempt = 0; attempt < 40; attempt++) {
      const receipt = await submit(ports, `attacker-${attempt}`);
      if (receipt.verification === undefined) continue; // held: no code exists to guess
      for (let guess = 0; guess < 5; guess++) {
        const result = await verifyRequest(
          ports,
          receipt.requestId,
          String(90_000_000 + attempt * 5 + guess),
        );
        if (result.outcome === 'wrong-code') compared++;
        if (result.outcome === 'locked') locked++;
        expect(result.outcome).not.toBe('verified');
      }
    }
    // Ten wrong codes lock the subject; the eleventh request for it mails no code at all.
    expect(compared).toBeLessThan(DEFAULT_INTAKE_LIMITS.wrongCodesPerSubject);
    expect(locked).toBeGreaterThan(0);
    expect(ports.fulfilment.started).toEqual([]);
    const held = [...ports.requests.records.values()].filter((record) => record.identityHold !== undefined);
    expect(held.length).toBeGreaterThan(30);
    expect(held.every((record) => record.verification === undefined && record.status === 'received')).toBe(
      true,
    );
    // Codes mailed: only to the requests made before the limits tripped.
    expect(ports.mailer.sent.length).toBeLessThanOrEqual(
      DEFAULT_INTAKE_LIMITS.maxOpenUnverifiedPerSubject + 2,
    );
    expect(ports.telemetry.counts.get('IdentityHeld')).toBe(held.length);
    expect(ports.telemetry.counts.get('WrongVerificationCode')).toBeGreaterThan(0);
  });

  it('holds a request past the open-unverified cap without mailing a code, and names the reason on the trail', async () => {
    const ports = attackPorts();
    for (let i = 0; i < DEFAULT_INTAKE_LIMITS.maxOpenUnverifiedPerSubject; i++) {
      expect((await submit(ports, `key-${i}`)).status).toBe('pending-verification');
    }
    const held = await submit(ports, 'one-too-many');
    expect(held).toMatchObject({ status: 'received', note: expect.stringMatching(/check your identity/) });
    expect((await ports.requests.get(held.requestId)).identityHold).toMatchObject({
      reason: 'too-many-open-requests',
    });
    const trail = await ports.requests.trail(held.requestId);
    expect(trail.map((event) => event.type)).toEqual(['request-received', 'identity-held']);
    expect(ports.mailer.sent).toHaveLength(DEFAULT_INTAKE_LIMITS.maxOpenUnverifiedPerSubject);
    // Another subject is not affected.
    expect((await submit(ports, 'other', 'someone-else@example.com')).status).toBe('pending-verification');
  });

  it('locks every pending request of a locked subject, even one whose own tries are left, without comparing its code', async () => {
    const ports = attackPorts();
    const first = await submit(ports, 'a');
    const second = await submit(ports, 'b');
    const third = await submit(ports, 'c');
    const codeOfThird = ports.oneTimeSecrets.codes[2]!;
    for (const receipt of [first, second]) {
      for (let guess = 0; guess < 5; guess++) await verifyRequest(ports, receipt.requestId, '11111111');
    }
    // Ten wrong codes across two requests: the right code of the third is no longer even compared.
    await expect(verifyRequest(ports, third.requestId, codeOfThird)).resolves.toEqual({ outcome: 'locked' });
    const trail = await ports.requests.trail(third.requestId);
    expect(trail.at(-1)).toMatchObject({ type: 'verification-locked', details: { scope: 'subject' } });
  });

  it('lets the subject try again once the window has passed', async () => {
    const ports = attackPorts();
    const first = await submit(ports, 'a');
    const second = await submit(ports, 'b');
    for (const receipt of [first, second]) {
      for (let guess = 0; guess < 5; guess++) await verifyRequest(ports, receipt.requestId, '11111111');
    }
    expect((await submit(ports, 'held')).status).toBe('received');
    ports.clock.advance(DEFAULT_INTAKE_LIMITS.subjectWindowHours * 3_600_000);
    const later = await submit(ports, 'later');
    expect(later.status).toBe('pending-verification');
    await expect(
      verifyRequest(ports, later.requestId, ports.oneTimeSecrets.codes.at(-1)!),
    ).resolves.toMatchObject({
      outcome: 'verified',
    });
  });
});
