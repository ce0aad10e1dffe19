/**
 * `dsar audit verify` against the running local stack: a request's trail, signed by the functions
 * through the local KMS endpoint, verifies; once one of its events is rewritten straight in DynamoDB,
 * with its hash recomputed as anyone with write access could, the command fails and names the event.
 */
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, inject, it } from 'vitest';
import { runCli } from '../../../cli/main';
import { type AuditEvent, chainEvent } from '../../../domain/audit';
import { localDynamoDbClient, localTableNames } from '../../../local/dynamodb';
import { pipelineTables, submitRequest, uniqueEmail, waitForMail } from '../support/pipeline';

async function auditVerify(stateDir: string, requestId: string) {
  let stdout = '';
  let stderr = '';
  const status = await runCli(['audit', 'verify', '--request', requestId, '--state-dir', stateDir], {
    stdout: (text) => {
      stdout += text;
    },
    stderr: (text) => {
      stderr += text;
    },
  });
  return { status, stdout, stderr };
}

describe('dsar audit verify', () => {
  it('passes a trail as written and fails it once an event is rewritten in the table', async () => {
    const stack = inject('stack');
    const email = uniqueEmail('audit');
    const submitted = await submitRequest(stack, { type: 'access', subject: { email } });
    const requestId = submitted.body.requestId as string;
    await waitForMail(stack, email);
    const trail = await pipelineTables(stack).auditTrail(requestId);
    expect(trail.length).toBeGreaterThanOrEqual(2);
    expect(trail.every((event) => typeof event.mac === 'string')).toBe(true);

    const before = await auditVerify(stack.stateDir, requestId);
    expect(before).toMatchObject({ status: 0, stderr: '' });
    expect(before.stdout).toContain(`ok   ${requestId}`);
    expect(before.stdout).toContain('1 trail(s) checked, 1 intact, 0 failed');

    // Rewrite the first event with another actor, its hash recomputed, its old MAC kept.
    const [first] = trail as [AuditEvent, ...AuditEvent[]];
    const { hash: _hash, mac, prevHash: _prev, seq: _seq, requestId: _id, ...body } = first;
    const forged = {
      ...chainEvent(requestId, undefined, { ...body, actor: { kind: 'agent', id: 'mallory' } }),
      mac,
    };
    const documents = DynamoDBDocumentClient.from(localDynamoDbClient(stack.dynamodb));
    await documents.send(new PutCommand({ TableName: localTableNames().AUDIT_TABLE, Item: forged }));

    const after = await auditVerify(stack.stateDir, requestId);
    expect(after.status).toBe(1);
    expect(after.stdout).toContain(`FAIL ${requestId}: event 1 rewritten (MAC does not hold)`);
    expect(after.stdout).toContain('1 trail(s) checked, 0 intact, 1 failed');
    expect(after.stderr).toContain('1 audit trail(s) failed verification');
  });
});
