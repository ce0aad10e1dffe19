/**
 * Drives a request through intake to verification, as a requester would
 * (HTTP and the outbox), then watches the request record while the
 * fulfilment workflow runs.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RequestRecord } from '../../../domain/request-record';
import type { OutboxMessage } from '../../../local/outbox';
import {
  codeIn,
  eventually,
  mailTo,
  pipelineTables,
  type StackUrls,
  submitRequest,
  verifyCode,
} from '../support/pipeline';

export async function mailAbout(
  stack: StackUrls,
  address: string,
  requestId: string,
  subjectPattern: RegExp,
  timeoutMs = 30_000,
): Promise<OutboxMessage> {
  return eventually(
    async () =>
      (await mailTo(stack, address)).find(
        (message) => message.subject.includes(requestId) && subjectPattern.test(message.subject),
      ),
    `mail matching ${subjectPattern} about ${requestId}`,
    timeoutMs,
  );
}

/** Submits, reads the code from the outbox, verifies: the workflow starts. */
export async function submitAndVerify(
  stack: StackUrls,
  submission: { type: string; subject: { email: string }; residence?: string },
): Promise<{ requestId: string; statusToken: string }> {
  const submitted = await submitRequest(stack, submission);
  if (submitted.status !== 202) throw new Error(`submit answered ${submitted.status}`);
  const { requestId, statusToken } = submitted.body as { requestId: string; statusToken: string };
  const codeMail = await mailAbout(stack, submission.subject.email, requestId, /Verify/);
  const verified = await verifyCode(stack, requestId, codeIn(codeMail));
  if (verified.status !== 200) throw new Error(`verify answered ${verified.status}`);
  return { requestId, statusToken };
}

/** Waits until the request reaches one of `statuses` (the workflow closes it). */
export async function waitForStatus(
  stack: StackUrls,
  requestId: string,
  statuses: readonly RequestRecord['status'][],
  timeoutMs = 90_000,
): Promise<RequestRecord> {
  const tables = pipelineTables(stack);
  return eventually(
    async () => {
      const record = await tables.request(requestId);
      return record && statuses.includes(record.status) ? record : undefined;
    },
    `request to reach ${statuses.join(' or ')}`,
    timeoutMs,
  );
}

/** The download link in a package-ready mail. */
export function downloadLinkIn(message: OutboxMessage): string {
  const match = /(http:\/\/\S+\/v1\/downloads\/\S+)/.exec(message.text);
  if (!match) throw new Error('No download link in the message');
  return match[1]!;
}

/** Follows the link as a browser would and saves the zip; returns its path. */
export async function downloadPackage(link: string): Promise<string> {
  const redirect = await fetch(link, { redirect: 'manual' });
  if (redirect.status !== 302) throw new Error(`download link answered ${redirect.status}`);
  const response = await fetch(redirect.headers.get('location')!);
  if (response.status !== 200) throw new Error(`presigned URL answered ${response.status}`);
  const file = join(mkdtempSync(join(tmpdir(), 'dsar-package-')), 'package.zip');
  writeFileSync(file, Buffer.from(await response.arrayBuffer()));
  return file;
}

/** A file of the zip, read with the real unzip. */
export function unzipFile(zip: string, name: string): Buffer {
  return execFileSync('unzip', ['-p', zip, name], { maxBuffer: 64 * 1024 * 1024 });
}

export function sha256(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}
