/**
 * The audit anchors on S3 (app/audit/ports.ts AnchorStore): one JSON object per anchor at
 * `anchors/<ISO instant>.json`, in a bucket under Object Lock in compliance mode on AWS (nobody, the
 * root user included, can delete or overwrite a version before its retention ends). ISO instants
 * from toISOString have one fixed width, so key order is time order and the latest anchor is the
 * last key listed.
 */
import { GetObjectCommand, PutObjectCommand, paginateListObjectsV2, type S3Client } from '@aws-sdk/client-s3';
import { z } from 'zod';
import type { AnchorStore } from '../../app/audit/ports';
import type { TrailAnchor } from '../../domain/audit-anchor';

export const ANCHOR_PREFIX = 'anchors/';

/** The key of the anchor taken at `anchoredAt`. */
export function anchorKey(anchoredAt: string): string {
  return `${ANCHOR_PREFIX}${anchoredAt}.json`;
}

const AnchorSchema = z.strictObject({
  version: z.literal(1),
  anchoredAt: z.iso.datetime(),
  count: z.int().min(0),
  root: z.string(),
  leaves: z.array(z.strictObject({ trailId: z.string(), lastSeq: z.int().min(0), lastHash: z.string() })),
});

/** The latest anchor object is not an anchor (not JSON, or not its shape). */
export class AnchorUnreadable extends Error {
  override readonly name = 'AnchorUnreadable' as const;
  constructor(readonly key: string) {
    super(`The anchor object ${key} is not a readable anchor`);
  }
}

export class S3AnchorStore implements AnchorStore {
  constructor(
    private readonly client: S3Client,
    private readonly bucket: () => string,
  ) {}

  async latest(): Promise<TrailAnchor | undefined> {
    let last: string | undefined;
    const pages = paginateListObjectsV2(
      { client: this.client },
      { Bucket: this.bucket(), Prefix: ANCHOR_PREFIX },
    );
    for await (const page of pages) {
      for (const { Key: key } of page.Contents ?? []) {
        if (key?.endsWith('.json') && (last === undefined || key > last)) last = key;
      }
    }
    if (last === undefined) return undefined;
    const { Body } = await this.client.send(new GetObjectCommand({ Bucket: this.bucket(), Key: last }));
    const text = (await Body?.transformToString('utf8')) ?? '';
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw new AnchorUnreadable(last);
    }
    const anchor = AnchorSchema.safeParse(parsed);
    if (!anchor.success) throw new AnchorUnreadable(last);
    return anchor.data;
  }

  async write(anchor: TrailAnchor): Promise<void> {
    await this.client.send(
      new PutObjectCommand({
        Bucket: this.bucket(),
        Key: anchorKey(anchor.anchoredAt),
        Body: JSON.stringify(anchor),
        ContentType: 'application/json',
        // S3 requires an integrity checksum on writes to a bucket with Object Lock.
        ChecksumAlgorithm: 'SHA256',
      }),
    );
  }
}
