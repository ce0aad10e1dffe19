import { describe, expect, inject, it } from 'vitest';
import { nameBasedUuid } from '../../../connectors/http-processor/opendsr';
import { codeIn, pipelineTables, submitRequest, verifyCode } from '../support/pipeline';
import { mailAbout, waitForStatus } from './support';

const PROCESSOR_STORE = 'newsletter-processor';

/** Makes the demo processor fail this request's erasure `failures` times (503), and nobody else's. */
async function failProcessorFor(processorUrl: string, requestId: string, failures: number) {
  const response = await fetch(new URL('/_control/faults', processorUrl), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      subjectRequestIdPrefix: nameBasedUuid(`${requestId}:${PROCESSOR_STORE}`),
      failures,
    }),
  });
  expect(response.status).toBe(200);
}

/** A deletion for an address no store knows: every store finds nothing, only the processor is asked. */
async function deletionWithProcessorFaults(failures: number) {
  const stack = inject('stack');
  const email = `fault-${failures}-${Date.now()}@example.net`;
  const submitted = await submitRequest(stack, { type: 'deletion', subject: { email } });
  const { requestId } = submitted.body as { requestId: string };
  await failProcessorFor(stack.processor, requestId, failures);
  const code = codeIn(await mailAbout(stack, email, requestId, /Verify/));
  expect((await verifyCode(stack, requestId, code)).status).toBe(200);
  return { stack, requestId };
}

describe('store failures during fulfilment', () => {
  it('retries a processor that fails twice, then succeeds, and the request is fulfilled', async () => {
    const { stack, requestId } = await deletionWithProcessorFaults(2);
    const record = await waitForStatus(stack, requestId, ['fulfilled', 'partially-fulfilled']);
    expect(record.status).toBe('fulfilled');
    expect(record.fulfilment!.storeResults[PROCESSOR_STORE]).toMatchObject({
      status: 'erased',
      remaining: 0,
    });
  });

  it('leaves the request partially fulfilled, with the reason, when a store keeps failing', async () => {
    const { stack, requestId } = await deletionWithProcessorFaults(10_000);
    const record = await waitForStatus(stack, requestId, ['fulfilled', 'partially-fulfilled'], 150_000);
    expect(record.status).toBe('partially-fulfilled');
    expect(record.fulfilment!.storeResults[PROCESSOR_STORE]).toMatchObject({
      status: 'failed',
      reason: expect.stringContaining('ConnectorTransientError'),
    });
    // Every other store still did its part.
    for (const storeId of record.fulfilment!.plannedStores.filter((id) => id !== PROCESSOR_STORE)) {
      expect(record.fulfilment!.storeResults[storeId], storeId).toMatchObject({ status: 'erased' });
    }
    const trail = await pipelineTables(stack).auditTrail(requestId);
    const closing = trail.find(
      (event) => event.type === 'status-changed' && event.details?.to === 'partially-fulfilled',
    );
    expect(String(closing?.details?.reason)).toContain(PROCESSOR_STORE);
  }, 180_000);
});
