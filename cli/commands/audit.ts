/**
 * `dsar audit verify`: checks audit trails (every event's hash, MAC and link, the record's head and
 * the latest anchor's head; domain/audit-verification.ts) and prints one verdict per trail and a
 * summary. Exits 1 when any trail fails. Locally it reads the running stack's tables and asks its KMS
 * endpoint (endpoints.json in the state directory); with --aws, the deployed tables and key named by
 * the environment, through the default credential chain. Same adapters, other endpoints.
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { AnchorStore, TrailStore } from '../../app/audit/ports';
import { type TrailReport, verifyTrails } from '../../app/audit/verify-trails';
import type { TrailMac } from '../../app/ports';
import { AUDIT_ANCHORS_BUCKET } from '../../definitions/buckets';
import { describeFinding } from '../../domain/audit-verification';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../../local/credentials';
import { localTableNames } from '../../local/dynamodb';
import { readLocalEndpoints } from '../../local/endpoints';
import { LOCAL_TRAIL_KEY_ARN } from '../../local/kms';
import { localBucketNames } from '../../local/s3';
import { type CliCommand, type CliIo, UsageError } from '../command';
import { DEFAULT_STATE_DIR } from '../options';

/** At least one trail did not verify (each printed above the summary). */
export class AuditTrailsFailed extends Error {
  override readonly name = 'AuditTrailsFailed' as const;
}

const usage = `Usage: dsar audit verify (--request <id>... | --all) [--state-dir <dir> | --aws]

Verifies audit trails: that every event still hashes to its hash, carries a MAC made with the trail
key, links to the event before it, that the trail ends at the head its request record keeps, and
that it holds the head of the latest anchor (when anchors are written). Prints one line per trail
and a summary; exits 1 if any trail fails.

Options:
  --request <id>       a request id (or calendar:<id>); repeat for several
  --all                every request, open or closed, and every calendar trail
  --state-dir <dir>    the local pipeline's state directory (default: .local in the repository)
  --aws                the deployed pipeline: tables, key and anchors bucket from REQUESTS_TABLE,
                       AUDIT_TABLE, CALENDAR_NOTICES_TABLE, AUDIT_TRAIL_KEY_ID and
                       AUDIT_ANCHORS_BUCKET (the stack's outputs), with the default AWS
                       credentials (needs read access to the tables and the bucket, and
                       kms:VerifyMac on the key)
  -h, --help           show this help`;

export interface AuditVerifyTarget {
  readonly trails: TrailStore;
  readonly mac: TrailMac;
  readonly anchors?: AnchorStore;
  close(): void;
}

function requiredVariable(name: string): string {
  const value = process.env[name];
  if (value === undefined || value === '') throw new UsageError(`--aws needs ${name} in the environment`);
  return value;
}

/** The adapters over the local stack's endpoints, or over AWS. */
async function targetOf(values: { 'state-dir'?: string; aws?: boolean }): Promise<AuditVerifyTarget> {
  // Loaded here, not at the top: every other command would pay for the SDK on start-up.
  const { DynamoDBClient } = await import('@aws-sdk/client-dynamodb');
  const { DynamoDBDocumentClient } = await import('@aws-sdk/lib-dynamodb');
  const { KMSClient } = await import('@aws-sdk/client-kms');
  const { DynamoDbTrailStore } = await import('../../adapters/aws/audit-trails');
  const { KmsTrailMac } = await import('../../adapters/aws/kms-trail-mac');
  const { S3AnchorStore } = await import('../../adapters/aws/s3-anchor-store');
  const { S3Client } = await import('@aws-sdk/client-s3');
  let dynamoDb: InstanceType<typeof DynamoDBClient>;
  let kms: InstanceType<typeof KMSClient>;
  let s3: InstanceType<typeof S3Client>;
  let anchorsBucket: string;
  let tables: { requests: string; audit: string; calendarNotices: string | undefined };
  let keyId: string;
  if (values.aws) {
    tables = {
      requests: requiredVariable('REQUESTS_TABLE'),
      audit: requiredVariable('AUDIT_TABLE'),
      calendarNotices: process.env.CALENDAR_NOTICES_TABLE || undefined,
    };
    keyId = requiredVariable('AUDIT_TRAIL_KEY_ID');
    anchorsBucket = requiredVariable('AUDIT_ANCHORS_BUCKET');
    dynamoDb = new DynamoDBClient({});
    kms = new KMSClient({});
    s3 = new S3Client({});
  } else {
    const endpoints = await readLocalEndpoints(resolve(values['state-dir'] ?? DEFAULT_STATE_DIR));
    const names = localTableNames();
    tables = {
      requests: names.REQUESTS_TABLE!,
      audit: names.AUDIT_TABLE!,
      calendarNotices: names.CALENDAR_NOTICES_TABLE,
    };
    keyId = LOCAL_TRAIL_KEY_ARN;
    anchorsBucket = localBucketNames()[AUDIT_ANCHORS_BUCKET.envVar]!;
    const local = { region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS };
    dynamoDb = new DynamoDBClient({ ...local, endpoint: endpoints.dynamodb });
    kms = new KMSClient({ ...local, endpoint: endpoints.kms });
    s3 = new S3Client({ ...local, endpoint: endpoints.s3, forcePathStyle: true });
  }
  const documents = DynamoDBDocumentClient.from(dynamoDb);
  return {
    trails: new DynamoDbTrailStore(documents, {
      requests: () => tables.requests,
      audit: () => tables.audit,
      calendarNotices: () => tables.calendarNotices,
    }),
    mac: new KmsTrailMac(kms, () => keyId),
    anchors: new S3AnchorStore(s3, () => anchorsBucket),
    close: () => {
      dynamoDb.destroy();
      kms.destroy();
      s3.destroy();
    },
  };
}

function lineOf(report: TrailReport): string {
  if (report.verdict === 'missing') return `FAIL ${report.trailId}: no such request`;
  if (report.verdict.intact) return `ok   ${report.trailId}`;
  return `FAIL ${report.trailId}: ${report.verdict.findings.map(describeFinding).join('; ')}`;
}

/** Verifies and prints; resolves to the number of trails that failed. */
export async function runAuditVerify(
  target: Pick<AuditVerifyTarget, 'trails' | 'mac' | 'anchors'>,
  which: { readonly trailIds: readonly string[] } | 'all',
  io: CliIo,
): Promise<{ readonly checked: number; readonly failed: number }> {
  let checked = 0;
  let failed = 0;
  for await (const report of verifyTrails(target, which)) {
    checked += 1;
    if (report.verdict === 'missing' || !report.verdict.intact) failed += 1;
    io.stdout(`${lineOf(report)}\n`);
  }
  io.stdout(`${checked} trail(s) checked, ${checked - failed} intact, ${failed} failed\n`);
  return { checked, failed };
}

async function run(args: string[], io: CliIo): Promise<void> {
  const { values, positionals } = parseArgs({
    args,
    strict: true,
    allowPositionals: true,
    options: {
      request: { type: 'string', multiple: true },
      all: { type: 'boolean' },
      'state-dir': { type: 'string' },
      aws: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    io.stdout(`${usage}\n`);
    return;
  }
  if (positionals.length !== 1 || positionals[0] !== 'verify') {
    throw new UsageError(`dsar audit: expected the subcommand 'verify' (see dsar audit --help)`);
  }
  const requests = values.request ?? [];
  if (requests.length > 0 === (values.all === true)) {
    throw new UsageError('dsar audit verify: give --request <id> (one or more) or --all, not both');
  }
  if (values.aws && values['state-dir'] !== undefined) {
    throw new UsageError(
      'dsar audit verify: --state-dir is for the local pipeline, --aws for a deployed one',
    );
  }
  const target = await targetOf(values);
  try {
    const { failed } = await runAuditVerify(target, values.all ? 'all' : { trailIds: requests }, io);
    if (failed > 0) throw new AuditTrailsFailed(`${failed} audit trail(s) failed verification`);
  } finally {
    target.close();
  }
}

export const auditCommand: CliCommand = {
  name: 'audit',
  summary: 'Verify audit trails (hashes, MACs, record heads, anchors): audit verify --request <id> | --all',
  usage,
  run,
};
