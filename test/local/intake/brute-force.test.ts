/**
 * The attack the per-request lock did not stop, replayed from outside over HTTP on a stack of its own:
 * request after request for someone else's address, each with a fresh Idempotency-Key and so, before
 * the limits across requests, five fresh guesses each (about 1.5 million guesses a day at the default
 * throttle). Now the subject's wrong-code limit locks it after ten, further requests mail no code, and
 * the per-client rate limit answers 429 with Retry-After. The numbers are printed.
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_INTAKE_LIMITS } from '../../../domain/intake-limits';
import { mailTo, submitRequest, uniqueEmail, verifyCode } from '../support/pipeline';
import { type StackProcess, startStackProcess } from '../support/stack-process';

const RATE_LIMIT_PER_MINUTE = 100;
const ATTACK_REQUESTS = 12;

describe('the fresh-request brute force, from outside', () => {
  let stateDir: string;
  let stack: StackProcess;

  beforeAll(async () => {
    stateDir = await mkdtemp(join(tmpdir(), 'dsar-brute-force-'));
    stack = await startStackProcess(stateDir, {
      PUBLIC_RATE_LIMIT_PER_MINUTE: String(RATE_LIMIT_PER_MINUTE),
    });
  }, 180_000);

  afterAll(async () => {
    await stack?.stop();
    await rm(stateDir, { recursive: true, force: true });
  });

  it('locks the subject after its wrong-code limit: no guess verifies, and later requests get no code', async () => {
    const urls = stack.urls;
    const victim = uniqueEmail('victim');
    const tally = { submitted: 0, codesMailed: 0, held: 0, wrongCode: 0, locked: 0, noCode: 0, verified: 0 };
    for (let attempt = 0; attempt < ATTACK_REQUESTS; attempt++) {
      const receipt = await submitRequest(
        urls,
        { type: 'deletion', subject: { email: victim } },
        { 'idempotency-key': randomUUID() },
      );
      expect(receipt.status).toBe(202);
      tally.submitted++;
      if (receipt.body.status === 'received') tally.held++;
      const requestId = String(receipt.body.requestId);
      for (let guess = 0; guess < 5; guess++) {
        const answer = await verifyCode(urls, requestId, String(10_000_000 + attempt * 5 + guess));
        if (answer.status === 400) tally.wrongCode++;
        else if (answer.status === 423) tally.locked++;
        // 409: a held request, for which no code exists to guess.
        else if (answer.status === 409) tally.noCode++;
        else if (answer.status === 200) tally.verified++;
        else expect.fail(`unexpected ${answer.status} ${JSON.stringify(answer.body)}`);
      }
    }
    tally.codesMailed = (await mailTo(urls, victim)).length;
    console.log(`brute force against one address: ${JSON.stringify(tally)}`);

    expect(tally.verified).toBe(0);
    // Guesses actually compared with a code: fewer than the subject's limit, whatever the number of requests.
    expect(tally.wrongCode).toBeLessThan(DEFAULT_INTAKE_LIMITS.wrongCodesPerSubject);
    expect(tally.codesMailed).toBeLessThanOrEqual(DEFAULT_INTAKE_LIMITS.maxOpenUnverifiedPerSubject);
    expect(tally.held).toBe(ATTACK_REQUESTS - tally.codesMailed);
  });

  it('answers one client past its per-minute limit with 429 and Retry-After, not 5xx', async () => {
    const urls = stack.urls;
    const statuses: number[] = [];
    let tooMany: Awaited<ReturnType<typeof submitRequest>> | undefined;
    // Up to 2.5 minutes' worth, in case a window boundary falls inside the run.
    for (let i = 0; i < RATE_LIMIT_PER_MINUTE * 2.5 && tooMany === undefined; i++) {
      const answer = await submitRequest(urls, { type: 'access', subject: { email: uniqueEmail('rate') } });
      statuses.push(answer.status);
      if (answer.status === 429) tooMany = answer;
    }
    console.log(
      `rate limit ${RATE_LIMIT_PER_MINUTE}/min: ${statuses.filter((s) => s === 202).length} accepted before the first 429`,
    );
    expect(statuses.every((status) => status === 202 || status === 429)).toBe(true);
    expect(tooMany?.body).toMatchObject({ error: { code: 'too-many-requests' } });
    const retryAfter = Number(tooMany?.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
  });
});
