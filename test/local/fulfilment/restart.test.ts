import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { afterAll, describe, expect, it } from 'vitest';
import { DEMO_PEOPLE } from '../../../local/demo/organisation';
import { localBucketNames, localS3Client } from '../../../local/s3';
import { eventually, mailTo, pipelineTables } from '../support/pipeline';
import { type StackProcess, startStackProcess } from '../support/stack-process';
import { submitAndVerify, waitForStatus } from './support';

const LI_LEI = DEMO_PEOPLE[0]!;

describe('a local runtime killed mid-workflow', () => {
  let stateDir: string;
  let stack: StackProcess | undefined;

  afterAll(async () => {
    await stack?.stop();
    if (stateDir) await rm(stateDir, { recursive: true, force: true });
  });

  it('finishes after a restart with exactly one package and one email', async () => {
    stateDir = await mkdtemp(join(tmpdir(), 'dsar-restart-'));
    stack = await startStackProcess(stateDir);
    const { requestId } = await submitAndVerify(stack.urls, {
      type: 'access',
      subject: { email: LI_LEI.email },
    });
    // The demo processor takes two seconds to answer: stop the runtime while stores are being processed.
    await waitForStatus(stack.urls, requestId, ['in-progress'], 30_000);
    await stack.stop();

    stack = await startStackProcess(stateDir);
    // The interrupted execution was picked up again, not finished before the stop.
    expect(await readFile(stack.urls.logFile, 'utf8')).toContain(
      'Restarted 1 interrupted fulfilment execution',
    );
    const record = await waitForStatus(stack.urls, requestId, ['fulfilled', 'partially-fulfilled'], 120_000);
    expect(record.status).toBe('fulfilled');

    const urls = stack.urls;
    const packageMails = await eventually(async () => {
      const mails = (await mailTo(urls, LI_LEI.email)).filter(
        (mail) => mail.subject.includes(requestId) && /download/i.test(mail.subject),
      );
      return mails.length > 0 ? mails : undefined;
    }, 'the package mail');
    // Give a duplicate every chance to show up before counting.
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    expect(
      (await mailTo(urls, LI_LEI.email)).filter(
        (mail) => mail.subject.includes(requestId) && /download/i.test(mail.subject),
      ),
    ).toHaveLength(packageMails.length);
    expect(packageMails).toHaveLength(1);

    const exports = await localS3Client(urls.s3).send(
      new ListObjectsV2Command({ Bucket: localBucketNames().EXPORTS_BUCKET, Prefix: `${requestId}/` }),
    );
    expect((exports.Contents ?? []).map((object) => object.Key)).toEqual([`${requestId}/package.zip`]);
    const trail = await pipelineTables(urls).auditTrail(requestId);
    expect(trail.filter((event) => event.type === 'package-created')).toHaveLength(1);
  }, 300_000);
});
