/**
 * Shows that building an export package keeps memory flat as the data grows:
 * packages are built from 1k (baseline), 10k and 100k synthetic records
 * against a local S3 server, and the peak heap and RSS of each build are
 * printed with their ratio to the baseline measured in the same run.
 *
 *   node --expose-gc --import tsx bench/export-package.bench.ts
 *
 * The S3 server runs in its own process, so only the packaging is measured.
 * Peaks are sampled every few milliseconds while a build runs, after a full GC.
 * "Heap" is the JS heap plus external memory (Buffers: the upload's part
 * buffers live there). Part of the growth from the 1k baseline is fixed cost
 * that a small build never reaches: V8 lets garbage accumulate before it
 * collects, and a package under 5 MiB never fills an upload part. What must
 * not grow is the step from 10k to 100k records (both well past one part),
 * printed last. RSS returns memory to the system slowly, so it only ever rises
 * across builds.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { Upload } from '@aws-sdk/lib-storage';
import type { ExportedRecord } from '../connectors/contract';
import { EXPORTS_BUCKET, STAGING_BUCKET } from '../definitions/buckets';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../local/credentials';
import { createBuckets, localBucketNames, localS3Client, startS3Server } from '../local/s3';

const SIZES = [1_000, 10_000, 100_000] as const;
const SAMPLE_INTERVAL_MS = 5;
const LIVE_SAMPLE_INTERVAL_MS = 200;
const MIB = 1024 * 1024;

const gc = (globalThis as { gc?: () => void }).gc;

function* syntheticRecords(count: number): Generator<ExportedRecord> {
  for (let n = 0; n < count; n += 1) {
    yield {
      storeId: 'orders',
      category: n % 5 === 0 ? 'comments' : 'orders',
      recordKey: `orders#bench#${n}`,
      data: {
        orderId: `o-${n.toString().padStart(8, '0')}`,
        buyer: {
          name: '李雷',
          city: n % 2 === 0 ? '上海' : '北京',
          phone: `1380000${(n % 10_000).toString().padStart(4, '0')}`,
        },
        items: [{ sku: `sku-${n % 97}`, qty: (n % 3) + 1, price: (n % 1000) / 10 }],
        note: n % 7 === 0 ? `请尽快发货, "谢谢"\n第${n}单` : `order ${n}`,
        ...(n % 11 === 0 ? { coupon: { code: `C${n}`, value: 5 } } : {}),
        deviceHash: createHash('sha256').update(String(n)).digest('hex'),
        // An opaque blob (random, so it barely compresses) makes even the 10k package span
        // several 5 MiB upload parts: where memory would grow if anything were buffered.
        attachment: randomBytes(768).toString('base64'),
        placedAt: new Date(Date.UTC(2025, 0, 1) + n * 60_000).toISOString(),
      },
    };
  }
}

interface Peak {
  /** JS heap plus external memory (Buffers), garbage included. */
  heap: number;
  /** The same right after a full GC: what the build really holds on to. */
  live: number;
  rss: number;
}

/**
 * Runs `work` while sampling memory; returns the peaks it reached. Every
 * LIVE_SAMPLE_INTERVAL_MS a full GC measures live memory, which unlike the raw
 * peak does not depend on how much garbage V8 chose to keep.
 */
async function measure<T>(work: () => Promise<T>): Promise<{ result: T; peak: Peak; seconds: number }> {
  gc?.();
  const peak: Peak = { heap: 0, live: 0, rss: 0 };
  const sample = () => {
    const usage = process.memoryUsage();
    peak.heap = Math.max(peak.heap, usage.heapUsed + usage.external);
    peak.rss = Math.max(peak.rss, usage.rss);
  };
  const sampleLive = () => {
    if (!gc) return;
    sample();
    gc();
    const usage = process.memoryUsage();
    peak.live = Math.max(peak.live, usage.heapUsed + usage.external);
  };
  sampleLive();
  const timers = [setInterval(sample, SAMPLE_INTERVAL_MS), setInterval(sampleLive, LIVE_SAMPLE_INTERVAL_MS)];
  const started = performance.now();
  try {
    const result = await work();
    sample();
    return { result, peak, seconds: (performance.now() - started) / 1000 };
  } finally {
    for (const timer of timers) clearInterval(timer);
  }
}

const stateDir = await mkdtemp(join(tmpdir(), 'dsar-bench-'));
const server = await startS3Server({ stateDir });
const names = localBucketNames('bench', [EXPORTS_BUCKET, STAGING_BUCKET]);
Object.assign(process.env, {
  AWS_REGION: LOCAL_REGION,
  AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
  AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
  AWS_ENDPOINT_URL_S3: server.endpoint,
  S3_FORCE_PATH_STYLE: 'true',
  POWERTOOLS_LOG_LEVEL: 'WARN',
  ...names,
});
const { buildExportPackage } = await import('../adapters/aws/export-package');
const s3 = localS3Client(server.endpoint);

try {
  if (!gc) console.warn('Run with --expose-gc for comparable peaks (a GC before each build).');
  await createBuckets(s3, [EXPORTS_BUCKET, STAGING_BUCKET], names);
  const rows: { records: number; stagingMiB: number; packageMiB: number; seconds: number; peak: Peak }[] = [];
  for (const records of SIZES) {
    const requestId = `bench-${records}`;
    const stagingKey = `${requestId}/orders.jsonl`;
    // Staged as a stream too, so the bench process never holds the records.
    let stagingBytes = 0;
    const lines = Readable.from(
      (function* () {
        for (const record of syntheticRecords(records)) {
          const line = `${JSON.stringify(record)}\n`;
          stagingBytes += Buffer.byteLength(line);
          yield line;
        }
      })(),
    );
    await new Upload({
      client: s3,
      params: { Bucket: names.STAGING_BUCKET!, Key: stagingKey, Body: lines },
    }).done();

    const { result, peak, seconds } = await measure(() =>
      buildExportPackage({
        requestId,
        request: {
          type: 'copy',
          policyId: 'caftrade',
          policyName: 'Benchmark',
          locale: 'zh-CN',
          receivedAt: new Date().toISOString(),
          dueDate: null,
        },
        stores: [
          {
            storeId: 'orders',
            description: 'Orders',
            categories: [{ id: 'orders', description: 'Orders', erasure: { mode: 'delete' } }],
            stagingKey,
            recordCount: records,
          },
        ],
        retention: { legalHolds: [] },
        now: new Date(),
      }),
    );
    if (result.totalRecords !== records)
      throw new Error(`packaged ${result.totalRecords} of ${records} records`);
    rows.push({
      records,
      stagingMiB: stagingBytes / MIB,
      packageMiB: result.packageBytes / MIB,
      seconds,
      peak,
    });
  }

  const baseline = rows[0]!;
  const table = rows.map((row) => ({
    records: row.records,
    'staging MiB': row.stagingMiB.toFixed(1),
    'zip MiB': row.packageMiB.toFixed(1),
    seconds: row.seconds.toFixed(1),
    'peak heap MiB': (row.peak.heap / MIB).toFixed(1),
    'heap × baseline': (row.peak.heap / baseline.peak.heap).toFixed(2),
    'peak live MiB': (row.peak.live / MIB).toFixed(1),
    'live × baseline': (row.peak.live / baseline.peak.live).toFixed(2),
    'peak RSS MiB': (row.peak.rss / MIB).toFixed(1),
    'RSS × baseline': (row.peak.rss / baseline.peak.rss).toFixed(2),
  }));
  console.table(table);
  const [, tenThousand, hundredThousand] = rows;
  console.log(
    `From 10k to 100k records the data grew ${(hundredThousand!.stagingMiB / tenThousand!.stagingMiB).toFixed(0)}×; ` +
      `peak heap grew ${(hundredThousand!.peak.heap / tenThousand!.peak.heap).toFixed(2)}×, ` +
      `peak live memory ${(hundredThousand!.peak.live / tenThousand!.peak.live).toFixed(2)}×, ` +
      `peak RSS ${(hundredThousand!.peak.rss / tenThousand!.peak.rss).toFixed(2)}×.`,
  );
} finally {
  s3.destroy();
  await server.stop();
  await rm(stateDir, { recursive: true, force: true });
}
