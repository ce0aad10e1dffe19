/**
 * `dsar audit verify` against the running local stack: a request's trail, signed by the functions
 * through the local KMS endpoint, verifies; once one of its events is rewritten straight in DynamoDB,
 * with its hash recomputed as anyone with write access could, the command fails and names the event.
 * Once the trails are anchored (in the local anchors bucket, as the sweeper does daily), a trail cut
 * back together with its record's head, which the trail alone cannot reveal, fails against the anchor.
 */
import { DeleteCommand, DynamoDBDocumentClient, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, inject, it } from 'vitest';
import { DynamoDbTrailStore } from '../../../adapters/aws/audit-trails';
import { S3AnchorStore } from '../../../adapters/aws/s3-anchor-store';
import { anchorTrails } from '../../../app/audit/anchor-trails';
import { runCli } from '../../../cli/main';
import { AUDIT_ANCHORS_BUCKET } from '../../../definitions/buckets';
import { type AuditEvent, chainEvent } from '../../../domain/audit';
import { localDynamoDbClient, localTableNames } from '../../../local/dynamodb';
import { localBucketNames, localS3Client } from '../../../local/s3';
import { pipelineTables, submitRequest, uniqueEmail, waitForMail } from '../support/pipeline';

async function cli(args: string[]) {
  let stdout = '';
  let stderr = '';
  const status = await runCli(args, {
    stdout: (text) => {
      stdout += text;
    },
    stderr: (text) => {
      stderr += text;
    },
  });
  return { status, stdout, stderr };
}

function auditVerify(stateDir: string, requestId: string) {
  return cli(['audit', 'verify', '--request', requestId, '--state-dir', stateDir]);
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

  it('fails a trail cut back with its record head against the latest anchor', async () => {
    const stack = inject('stack');
    const email = uniqueEmail('anchor');
    const submitted = await submitRequest(stack, { type: 'access', subject: { email } });
    const requestId = submitted.body.requestId as string;
    await waitForMail(stack, email);

    // The sweeper anchors when none exists or the latest is a day old: after this sweep there is one.
    const tables = localTableNames();
    const documents = DynamoDBDocumentClient.from(localDynamoDbClient(stack.dynamodb));
    const s3 = localS3Client(stack.s3);
    const anchors = new S3AnchorStore(s3, () => localBucketNames()[AUDIT_ANCHORS_BUCKET.envVar]!);
    const sweep = await cli(['sweep', '--state-dir', stack.stateDir]);
    expect(sweep).toMatchObject({ status: 0, stderr: '' });
    expect(await anchors.latest()).toBeDefined();

    // That anchor may predate the request: anchor now, as the sweep does when one is due.
    const trails = new DynamoDbTrailStore(documents, {
      requests: () => tables.REQUESTS_TABLE!,
      audit: () => tables.AUDIT_TABLE!,
      calendarNotices: () => tables.CALENDAR_NOTICES_TABLE,
    });
    const anchor = await anchorTrails({ heads: trails, anchors }, new Date());
    expect((await anchors.latest())?.anchoredAt).toBe(anchor.anchoredAt);
    const anchored = anchor.leaves.find((leaf) => leaf.trailId === requestId)!;
    expect(anchored.lastSeq).toBeGreaterThanOrEqual(2);
    expect(await auditVerify(stack.stateDir, requestId)).toMatchObject({ status: 0 });

    // Cut the trail back before its anchored head, and move the record's head back to match.
    const trail = await pipelineTables(stack).auditTrail(requestId);
    for (const event of trail.filter((event) => event.seq >= anchored.lastSeq)) {
      await documents.send(
        new DeleteCommand({ TableName: tables.AUDIT_TABLE, Key: { requestId, seq: event.seq } }),
      );
    }
    const kept = trail.find((event) => event.seq === anchored.lastSeq - 1)!;
    await documents.send(
      new UpdateCommand({
        TableName: tables.REQUESTS_TABLE,
        Key: { requestId },
        UpdateExpression: 'SET lastSeq = :seq, lastHash = :hash',
        ExpressionAttributeValues: { ':seq': kept.seq, ':hash': kept.hash },
      }),
    );

    const after = await auditVerify(stack.stateDir, requestId);
    s3.destroy();
    expect(after.status).toBe(1);
    expect(after.stdout).toContain(
      `FAIL ${requestId}: anchored head ${anchored.lastSeq} is not in the trail`,
    );
    expect(after.stdout).toContain('1 trail(s) checked, 0 intact, 1 failed');
  });
});
