/**
 * The S3 connector against the local S3 server (s3rver), seeded with the demo
 * organisation (local/demo/organisation.ts): invoices (kept under the
 * E-Commerce Law hold and tagged) and uploads (deleted), plus one binary
 * upload of 1 MiB to show that large objects are hashed, not inlined.
 *
 * s3rver has no versioning, so the versioned-bucket path (ListObjectVersions)
 * is not exercised here.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DeleteObjectsCommand,
  GetObjectCommand,
  GetObjectTaggingCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  PutObjectTaggingCommand,
  S3Client,
  type Tag,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExportedRecord, SubjectIdentity } from '../../connectors/contract';
import { ConnectorPermanentError } from '../../connectors/contract';
import { createConnector } from '../../connectors/factory';
import {
  RESTRICTED_TAG,
  RESTRICTED_UNTIL_TAG,
  S3Connector,
  type S3Store,
} from '../../connectors/s3/connector';
import { storeById } from '../../domain/stores/registry';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../../local/credentials';
import {
  DEMO_PEOPLE,
  DEMO_STORES,
  type DemoPerson,
  seedDemoOrganisation,
} from '../../local/demo/organisation';
import { loadDemoRegistry } from '../../local/demo/registry';
import { type DynamoDbLocal, localDynamoDbClient, startDynamoDbLocal } from '../../local/dynamodb';
import { localS3Client, type S3Server, startS3Server } from '../../local/s3';
import { type ConformanceExpectations, type CorrectionFixture, describeConnectorConformance } from './suite';
import { S3_SLOW_DOWN, startFaultProxy } from './support/fault-proxy';

function demoPerson(index: number): DemoPerson {
  const person = DEMO_PEOPLE[index];
  if (person === undefined) throw new Error(`the demo organisation has no person ${index}`);
  return person;
}
const liLei = demoPerson(0);
const hanMeimei = demoPerson(1);
const identityOf = (person: DemoPerson): SubjectIdentity => ({
  accountId: person.accountId,
  email: person.email,
  phone: person.phone,
});

const bucket = DEMO_STORES.filesBucket;
// Fixed: objects uploaded today are inside their three-year hold on this date too.
const NOW = new Date().toISOString();
const FAST_BACKOFF = { baseDelayMs: 1, maxDelayMs: 5 };
const binaryUploadOf = (person: DemoPerson) => ({
  key: `uploads/${person.accountId}/scan.bin`,
  body: randomBytes(1024 * 1024),
});
const binaryUpload = binaryUploadOf(liLei);

/** Not a demo store: profiles kept as JSON documents, the kind of S3 content a correction can edit. */
const PROFILES: S3Store = {
  id: 'profiles',
  kind: 's3',
  description: 'Delivery profiles as JSON documents',
  s3: { bucket, prefixTemplates: ['profiles/{accountId}/'] },
  categories: [
    {
      id: 'delivery-profile',
      description: 'Name and address used for deliveries',
      erasure: { mode: 'delete' },
      correctable: ['address'],
    },
  ],
};

async function putProfiles(s3: S3Client, person: DemoPerson) {
  for (const name of ['home', 'work']) {
    await s3.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: `profiles/${person.accountId}/${name}.json`,
        Body: JSON.stringify({
          name: person.nickname,
          address: `${person.region} ${name} 1 号`,
          label: name,
        }),
        ContentType: 'application/json',
      }),
    );
  }
}

async function putBinary(s3: S3Client, upload: { key: string; body: Buffer }) {
  await s3.send(
    new PutObjectCommand({
      Bucket: bucket,
      Key: upload.key,
      Body: upload.body,
      ContentType: 'application/octet-stream',
    }),
  );
}

interface LocalStack {
  readonly s3: S3Client;
  readonly s3Port: number;
}

let started: Promise<{ stack: LocalStack; stop: () => Promise<void> }> | undefined;

/** The S3 server and DynamoDB Local (the demo seed writes both), started and seeded once for this file. */
function localStack(): Promise<LocalStack> {
  started ??= (async () => {
    const stateDir = await mkdtemp(join(tmpdir(), 'dsar-conformance-s3-'));
    let dynamoDbLocal: DynamoDbLocal | undefined;
    let s3Server: S3Server | undefined;
    try {
      dynamoDbLocal = await startDynamoDbLocal();
      s3Server = await startS3Server({ stateDir });
    } catch (error) {
      await dynamoDbLocal?.stop();
      throw error;
    }
    const dynamoDb: DynamoDBClient = localDynamoDbClient(dynamoDbLocal.endpoint);
    const s3 = localS3Client(s3Server.endpoint);
    await seedDemoOrganisation(dynamoDb, s3);
    await putBinary(s3, binaryUpload);
    for (const person of [liLei, hanMeimei]) await putProfiles(s3, person);
    const servers = [dynamoDbLocal, s3Server];
    return {
      stack: { s3, s3Port: Number(new URL(s3Server.endpoint).port) },
      stop: async () => {
        dynamoDb.destroy();
        s3.destroy();
        await Promise.all(servers.map((server) => server.stop()));
        await rm(stateDir, { recursive: true, force: true });
      },
    };
  })();
  return started.then(({ stack }) => stack);
}

afterAll(async () => {
  await (await started)?.stop();
});

interface StoredObject {
  readonly key: string;
  readonly body: Buffer;
  readonly contentType: string | undefined;
  readonly lastModified: string | undefined;
  readonly tags: Tag[];
}

async function listKeys(s3: S3Client, prefix: string): Promise<string[]> {
  const keys: string[] = [];
  let token: string | undefined;
  do {
    const page = await s3.send(
      new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }),
    );
    keys.push(...(page.Contents ?? []).flatMap((object) => (object.Key ? [object.Key] : [])));
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token !== undefined);
  return keys.sort();
}

/** Every object under `prefix`, read directly: content, type, time and tags. */
async function storedObjects(s3: S3Client, prefix: string): Promise<StoredObject[]> {
  const objects: StoredObject[] = [];
  for (const key of await listKeys(s3, prefix)) {
    const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    const { TagSet } = await s3.send(new GetObjectTaggingCommand({ Bucket: bucket, Key: key }));
    objects.push({
      key,
      body: Buffer.from((await object.Body?.transformToByteArray()) ?? []),
      contentType: object.ContentType,
      lastModified: object.LastModified?.toISOString(),
      tags: [...(TagSet ?? [])].sort((a, b) => ((a.Key ?? '') < (b.Key ?? '') ? -1 : 1)),
    });
  }
  return objects;
}

/**
 * A fixture for one demo S3 store: Li Lei is the subject, Han Meimei the other
 * subject. Both people's objects under the store's prefixes are snapshotted
 * after seeding and put back before every obligation.
 */
function demoPrefixFixture(
  storeId: string | S3Store,
  expected: ConformanceExpectations,
  correction?: CorrectionFixture,
) {
  return async () => {
    const { s3, s3Port } = await localStack();
    const proxy = await startFaultProxy(s3Port);
    // Only the connector's own retries (the SDK's would stack on them and stretch the deadline).
    const throughProxy = new S3Client({
      endpoint: `http://127.0.0.1:${proxy.port}`,
      region: LOCAL_REGION,
      credentials: LOCAL_CREDENTIALS,
      forcePathStyle: true,
      maxAttempts: 1,
    });
    const store = typeof storeId === 'string' ? storeById(loadDemoRegistry(), storeId) : storeId;
    if (store.kind !== 's3') throw new Error(`${store.id} is not an S3 store`);
    const prefixesOf = (identity: SubjectIdentity) =>
      store.s3.prefixTemplates.map((template) =>
        template.replace(
          /\{(accountId|email|phone)\}/g,
          (_, name: keyof SubjectIdentity) => identity[name] ?? '',
        ),
      );
    const people = [identityOf(liLei), identityOf(hanMeimei)];
    const prefixes = people.flatMap(prefixesOf);
    const seeded = (await Promise.all(prefixes.map((prefix) => storedObjects(s3, prefix)))).flat();
    return {
      connector: createConnector(store, { s3, backoff: FAST_BACKOFF }),
      subject: identityOf(liLei),
      otherSubject: identityOf(hanMeimei),
      now: NOW,
      expected,
      ...(correction === undefined ? {} : { correction }),
      async reseed() {
        const current = (await Promise.all(prefixes.map((prefix) => listKeys(s3, prefix)))).flat();
        if (current.length > 0) {
          await s3.send(
            new DeleteObjectsCommand({
              Bucket: bucket,
              Delete: { Objects: current.map((Key) => ({ Key })) },
            }),
          );
        }
        for (const object of seeded) {
          await s3.send(
            new PutObjectCommand({
              Bucket: bucket,
              Key: object.key,
              Body: object.body,
              ContentType: object.contentType,
            }),
          );
          if (object.tags.length > 0) {
            await s3.send(
              new PutObjectTaggingCommand({
                Bucket: bucket,
                Key: object.key,
                Tagging: { TagSet: object.tags },
              }),
            );
          }
        }
      },
      async readRaw(identity: SubjectIdentity) {
        const objects = (
          await Promise.all(prefixesOf(identity).map((prefix) => storedObjects(s3, prefix)))
        ).flat();
        return JSON.stringify(objects.map((object) => ({ ...object, body: object.body.toString('base64') })));
      },
      unreachableConnector: () =>
        createConnector(store, { s3: localS3Client('http://127.0.0.1:9'), backoff: { attempts: 1 } }),
      faults: {
        connector: createConnector(store, {
          s3: throughProxy,
          backoff: { ...FAST_BACKOFF, attempts: 3 },
          callTimeoutMs: 1_000,
        }),
        proxy,
        // One call's timeout (1 s), with room for the test machine.
        deadlineMs: 2_500,
        throttled: S3_SLOW_DOWN,
      },
      async teardown() {
        throughProxy.destroy();
        await proxy.close();
      },
    };
  };
}

describeConnectorConformance(
  'S3 invoices (three-year hold, tagged)',
  demoPrefixFixture('invoices', {
    found: 2,
    exported: 2,
    erased: { deleted: 0, anonymised: 0, retained: 2 },
    afterErasure: { anonymised: 0, retained: 2, retainedBases: ['PRC E-Commerce Law art. 31'] },
  }),
);

describeConnectorConformance(
  'S3 uploads (deleted, including a 1 MiB binary)',
  demoPrefixFixture('uploads', {
    found: 3,
    exported: 3,
    erased: { deleted: 3, anonymised: 0, retained: 0 },
    afterErasure: { anonymised: 0, retained: 0 },
  }),
);

describeConnectorConformance(
  'S3 JSON profiles (corrected by rewriting the document)',
  demoPrefixFixture(
    PROFILES,
    {
      found: 2,
      exported: 2,
      erased: { deleted: 2, anonymised: 0, retained: 0 },
      afterErasure: { anonymised: 0, retained: 0 },
    },
    {
      changes: [{ category: 'delivery-profile', field: 'address', value: '杭州 西湖路 8 号' }],
      changed: 2,
      notAllowed: { category: 'delivery-profile', field: 'name', value: 'someone' },
    },
  ),
);

describe('S3 connector behaviour on the demo data', () => {
  // Alice (the third demo person) is used here only; no conformance fixture touches her.
  const alice = demoPerson(2);
  const context = { requestId: 'req-s3-behaviour', hmacKey: 'behaviour-key', now: NOW };
  const aliceBinary = binaryUploadOf(alice);
  let s3: S3Client;

  beforeAll(async () => {
    s3 = (await localStack()).s3;
    await putBinary(s3, aliceBinary);
  });

  it('exports a small text object with its content and a large binary one as size and sha256 only', async () => {
    const connector = createConnector(storeById(loadDemoRegistry(), 'uploads'), { s3 });
    const records: ExportedRecord[] = [];
    for await (const record of connector.export(identityOf(alice))) records.push(record);
    const binary = records.find((record) => record.data.key === aliceBinary.key);
    expect(binary?.data).toEqual({
      key: aliceBinary.key,
      size: aliceBinary.body.length,
      lastModified: expect.any(String),
      contentType: 'application/octet-stream',
      sha256: createHash('sha256').update(aliceBinary.body).digest('hex'),
    });
    const avatar = records.find((record) => record.data.key === `uploads/${alice.accountId}/avatar-1.txt`);
    expect(avatar).toMatchObject({
      category: 'files',
      recordKey: `${bucket}/uploads/${alice.accountId}/avatar-1.txt`,
      data: { content: `Uploaded file 1 of ${alice.nickname}` },
    });
  });

  it('tags a held invoice with the request and the last day of the hold, keeping its content', async () => {
    const connector = createConnector(storeById(loadDemoRegistry(), 'invoices'), { s3 });
    const before = await storedObjects(s3, `invoices/${alice.accountId}/`);
    await connector.erase(identityOf(alice), context);
    const after = await storedObjects(s3, `invoices/${alice.accountId}/`);
    const threeYearsOn = `${Number(NOW.slice(0, 4)) + 3}${NOW.slice(4, 10)}`;
    expect(after.map((object) => object.body)).toEqual(before.map((object) => object.body));
    for (const object of after) {
      expect(object.tags).toEqual([
        { Key: RESTRICTED_TAG, Value: context.requestId },
        { Key: RESTRICTED_UNTIL_TAG, Value: threeYearsOn },
      ]);
    }
  });

  it('refuses to correct objects that are not JSON documents, before rewriting any', async () => {
    const uploads = storeById(loadDemoRegistry(), 'uploads');
    if (uploads.kind !== 's3') throw new Error('uploads is an S3 store');
    const correctable = {
      ...uploads,
      categories: uploads.categories.map((category) => ({ ...category, correctable: ['caption'] })),
    };
    const before = await storedObjects(s3, `uploads/${alice.accountId}/`);
    await expect(
      createConnector(correctable, { s3 }).correct(
        identityOf(alice),
        [{ category: 'files', field: 'caption', value: 'x' }],
        { requestId: 'req-s3-correction', now: NOW },
      ),
    ).rejects.toMatchObject({
      name: 'FieldNotCorrectable',
      message: expect.stringMatching(/not a JSON document/),
    });
    expect(await storedObjects(s3, `uploads/${alice.accountId}/`)).toEqual(before);
  });

  it('does not find a subject whose account id is a prefix of another account id', async () => {
    const connector = createConnector(storeById(loadDemoRegistry(), 'uploads'), { s3 });
    expect(await connector.find({ accountId: liLei.accountId.slice(0, -1) })).toEqual({
      count: 0,
      resolved: {},
    });
  });

  it('refuses a prefix template whose placeholder is not closed by a slash', () => {
    const uploads = storeById(loadDemoRegistry(), 'uploads');
    if (uploads.kind !== 's3') throw new Error('uploads is an S3 store');
    const open = { ...uploads, s3: { ...uploads.s3, prefixTemplates: ['uploads/{accountId}'] } };
    expect(() => new S3Connector(open, { client: s3 })).toThrow(ConnectorPermanentError);
  });

  it('maps a bucket that does not exist to ConnectorPermanentError', async () => {
    const uploads = storeById(loadDemoRegistry(), 'uploads');
    if (uploads.kind !== 's3') throw new Error('uploads is an S3 store');
    const missing = { ...uploads, s3: { ...uploads.s3, bucket: 'no-such-bucket' } };
    const connector = new S3Connector(missing, { client: s3, backoff: FAST_BACKOFF });
    await expect(connector.healthCheck()).rejects.toBeInstanceOf(ConnectorPermanentError);
  });
});
