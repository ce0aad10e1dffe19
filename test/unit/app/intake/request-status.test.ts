import { describe, expect, it } from 'vitest';
import { requestStatus } from '../../../../app/intake/request-status';
import { submitRequest } from '../../../../app/intake/submit-request';
import { submitInput, submitPorts } from './builders';

async function submitted() {
  const ports = submitPorts();
  const result = await submitRequest(ports, submitInput());
  if (result.outcome !== 'accepted') throw new Error(result.outcome);
  return { ports, requestId: result.receipt.requestId as string, token: ports.oneTimeSecrets.tokens[0]! };
}

describe('requestStatus', () => {
  it('shows the request, its clock and the requester-visible timeline to the holder of the token', async () => {
    const { ports, requestId, token } = await submitted();
    const result = await requestStatus(ports, requestId, token);
    expect(result).toMatchObject({
      outcome: 'found',
      status: {
        requestId,
        status: 'pending-verification',
        policy: { id: 'caftrade' },
        clock: { start: 'verification' },
        timeline: [
          { event: 'request-received' },
          { event: 'status-changed', to: 'pending-verification' },
          { event: 'verification-code-sent' },
        ],
      },
    });
  });

  const cases: [string, (id: string) => [string, string | undefined]][] = [
    ['a wrong token', (id) => [id, 'token-2']],
    ['no token', (id) => [id, undefined]],
    ['an unknown id', () => ['dsr-00000000-0000-0000-0000-000000000000', 'token-1']],
  ];
  it.each(cases)('answers %s with the same not-found, so nothing can be probed', async (_, args) => {
    const { ports, requestId } = await submitted();
    const [id, token] = args(requestId);
    await expect(requestStatus(ports, id, token)).resolves.toEqual({ outcome: 'not-found' });
  });
});
