/**
 * The data-store registry: which stores hold personal information, how a
 * subject is found in each from VERIFIED identifiers only, which data
 * categories each holds, and what erasure does to each category. Data, not
 * code: an organisation edits a JSON file, validated here.
 */
import { z } from 'zod';

export const STORE_KINDS = ['dynamodb', 's3', 'postgres', 'http-processor', 'manual'] as const;
export type StoreKind = (typeof STORE_KINDS)[number];

/** Identifiers a store can be searched by: the request's verified ones, or ones resolved from them. */
export const LOOKUP_IDENTIFIERS = ['email', 'phone', 'accountId'] as const;
export type LookupIdentifier = (typeof LOOKUP_IDENTIFIERS)[number];
const LookupIdentifierSchema = z.enum(LOOKUP_IDENTIFIERS);

const KebabId = z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'expected a kebab-case id');
const FieldName = z.string().regex(/^[A-Za-z_][\w.]*$/, 'expected a field name (dots for nested fields)');

export const ANONYMISATION_STRATEGIES = ['null', 'fixed', 'salted-hash', 'hmac'] as const;
export type AnonymisationStrategy = (typeof ANONYMISATION_STRATEGIES)[number];

export const ErasureSchema = z.discriminatedUnion('mode', [
  z.strictObject({ mode: z.literal('delete') }),
  z.strictObject({
    mode: z.literal('anonymise'),
    /** Fields replaced; the record itself stays (e.g. order totals for accounting). */
    fields: z.array(FieldName).min(1),
    strategy: z.enum(ANONYMISATION_STRATEGIES),
    /** Replacement for the `fixed` strategy. */
    replacement: z.string().optional(),
  }),
  z.strictObject({
    mode: z.literal('retain'),
    /** Legal basis for keeping the data, e.g. "PRC E-Commerce Law art. 31". */
    basis: z.string().min(1),
    /** The policy's legal-hold category this retention implements (e.g. `transaction-records`). */
    holdCategory: KebabId.optional(),
    /** How long, counted from `retainFromField` (a date field of the record). */
    retainFor: z.strictObject({
      length: z.number().int().positive(),
      unit: z.enum(['days', 'months', 'years']),
    }),
    retainFromField: FieldName.optional(),
  }),
]);
export type Erasure = z.output<typeof ErasureSchema>;

export const DataCategorySchema = z.strictObject({
  /** e.g. account, orders, comments, invoices, device-logs, real-name, files. */
  id: KebabId,
  description: z.string().min(1),
  /** Fields of this category in each record; omitted means the whole record. */
  fields: z.array(FieldName).optional(),
  erasure: ErasureSchema,
  /**
   * Fields an agent may correct through the console (PIPL art. 46), e.g.
   * `["address", "displayName"]`; omitted means none. Top-level names only:
   * a correction writes one scalar value, never a nested structure.
   */
  correctable: z
    .array(z.string().regex(/^[A-Za-z_]\w*$/, 'expected a top-level field name'))
    .min(1)
    .optional(),
});
export type DataCategory = z.output<typeof DataCategorySchema>;

/** A Secrets Manager secret's complete ARN, in any partition (`arn:aws-cn:…` in China). */
export const SECRET_ARN_PATTERN =
  /^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:[\w/+=.@-]+-[A-Za-z0-9]{6}$/;
/** A KMS key's ARN, in any partition. */
export const KMS_KEY_ARN_PATTERN = /^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/[\w-]+$/;
/** The characters Secrets Manager allows in a secret's name. */
export const SECRET_NAME_PATTERN = /^[\w/+=.@-]{1,512}$/;

/**
 * A Secrets Manager secret by complete ARN or by name (a name is resolved in
 * the deployment's own partition, region and account), with the
 * customer-managed key that encrypts it, if any. The stack grants the functions
 * that use the store read access to exactly this secret.
 */
export const SecretReferenceSchema = z
  .strictObject({
    arn: z.string().regex(SECRET_ARN_PATTERN, 'must be a complete Secrets Manager secret ARN').optional(),
    name: z.string().regex(SECRET_NAME_PATTERN, 'must be a Secrets Manager secret name').optional(),
    kmsKeyArn: z.string().regex(KMS_KEY_ARN_PATTERN, 'must be a KMS key ARN').optional(),
  })
  .refine((reference) => (reference.arn === undefined) !== (reference.name === undefined), {
    message: 'name the secret by exactly one of arn and name',
  });
export type SecretReference = z.output<typeof SecretReferenceSchema>;

const DynamoDbLookupSchema = z.strictObject({
  identifier: LookupIdentifierSchema,
  /** Attribute holding the identifier; the table's partition key unless `index` is set. */
  keyAttribute: z.string().min(1),
  /** A GSI whose partition key is `keyAttribute`. Lookups are Query only, never Scan. */
  index: z.string().min(1).optional(),
});

const DynamoDbLocationSchema = z.strictObject({
  tableName: z.string().min(1),
  partitionKey: z.string().min(1),
  sortKey: z.string().min(1).optional(),
  lookups: z.array(DynamoDbLookupSchema).min(1),
});

const S3LocationSchema = z.strictObject({
  bucket: z.string().min(1),
  /** Key prefix per subject, with `{accountId}` / `{email}` / `{phone}` placeholders, e.g. `invoices/{accountId}/`. */
  prefixTemplates: z
    .array(z.string().regex(/\{(accountId|email|phone)\}/, 'must contain an identifier placeholder'))
    .min(1),
});

const PostgresLocationSchema = z.strictObject({
  /** Name of the connection; its URL is the environment variable `PG_<NAME>_URL` unless `connectionSecret` is set. */
  connection: z.string().regex(/^[A-Z][A-Z0-9_]*$/),
  /** The secret holding the connection URL (`postgres://user:password@host:5432/db`), read at run time. */
  connectionSecret: SecretReferenceSchema.optional(),
  /** One parameterised query per table: `$1` is the identifier value; no string interpolation. */
  tables: z
    .array(
      z.strictObject({
        table: z.string().regex(/^[a-z_][a-z0-9_]*(\.[a-z_][a-z0-9_]*)?$/),
        primaryKey: z.string().regex(/^[a-z_][a-z0-9_]*$/),
        identifier: LookupIdentifierSchema,
        column: z.string().regex(/^[a-z_][a-z0-9_]*$/),
        category: KebabId,
      }),
    )
    .min(1),
});

const HttpProcessorLocationSchema = z.strictObject({
  /** The processor's DSR endpoint (OpenDSR-style): POST a request, then poll or receive a callback. */
  endpoint: z.url(),
  /** Name of the shared secret that signs callbacks (HMAC-SHA256). */
  callbackSecretName: z.string().min(1),
  /**
   * The secret holding the HTTP headers that authenticate the pipeline to the
   * processor, as a JSON object (e.g. `{ "Authorization": "Bearer …" }`), sent
   * with every call. Omit for a processor that needs none.
   */
  credentialsSecret: SecretReferenceSchema.optional(),
  recipientName: z.string().min(1),
  /** Whether this processor is a recipient we must tell to delete (seeds 000, 001, 002). */
  downstreamRecipient: z.boolean(),
});

const ManualLocationSchema = z.strictObject({
  /** What the agent must do, shown in the console task. */
  instructions: z.string().min(1),
  /** How long the workflow waits for the agent before recording the store as failed. */
  timeoutHours: z
    .number()
    .int()
    .positive()
    .max(24 * 30),
});

const StoreBase = {
  id: KebabId,
  description: z.string().min(1),
  /** Identifiers this store can supply for later stores, e.g. the accounts store resolves `accountId` from `email`. */
  resolves: z.array(LookupIdentifierSchema).optional(),
  categories: z.array(DataCategorySchema).min(1),
};

export const StoreDefinitionSchema = z.discriminatedUnion('kind', [
  z.strictObject({ ...StoreBase, kind: z.literal('dynamodb'), dynamodb: DynamoDbLocationSchema }),
  z.strictObject({ ...StoreBase, kind: z.literal('s3'), s3: S3LocationSchema }),
  z.strictObject({ ...StoreBase, kind: z.literal('postgres'), postgres: PostgresLocationSchema }),
  z.strictObject({
    ...StoreBase,
    kind: z.literal('http-processor'),
    httpProcessor: HttpProcessorLocationSchema,
  }),
  z.strictObject({ ...StoreBase, kind: z.literal('manual'), manual: ManualLocationSchema }),
]);
export type StoreDefinition = z.output<typeof StoreDefinitionSchema>;

export const StoreRegistrySchema = z
  .strictObject({
    organisation: z.string().min(1),
    stores: z.array(StoreDefinitionSchema).min(1),
  })
  .superRefine((registry, ctx) => {
    const ids = registry.stores.map((store) => store.id);
    ids.forEach((id, i) => {
      if (ids.indexOf(id) !== i)
        ctx.addIssue({ code: 'custom', path: ['stores', i, 'id'], message: `duplicate store id ${id}` });
    });
  });
export type StoreRegistry = z.output<typeof StoreRegistrySchema>;
