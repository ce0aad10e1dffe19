/**
 * IAM access to the organisation's registered data stores (the registry in
 * `config/data-stores.*.json`), for the functions that export from or erase in
 * them. Exactly the registry's tables, indexes, buckets and key prefixes, and
 * only the actions the connectors call: a store that is not in the registry
 * cannot be reached, whatever a handler's code does.
 */
import { readFileSync } from 'node:fs';
import { Arn, ArnFormat, Stack, Token } from 'aws-cdk-lib';
import { Effect, type IRole, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IConstruct } from 'constructs';
import type { FunctionDefinition } from '../../../definitions/functions';
import { parseStoreRegistry } from '../../../domain/stores/registry';
import type { SecretReference, StoreRegistry } from '../../../domain/stores/schema';
import { acknowledgeFindings, type NagFinding } from '../nag';
import { grantSecretRead } from '../secrets/secret-grants';

export type StoreAccess = NonNullable<FunctionDefinition['registeredStores']>;

/** A registry file that cannot be read; schema errors surface as `InvalidStoreRegistry`. */
export class StoreRegistryUnreadableError extends Error {
  override name = 'StoreRegistryUnreadableError' as const;
}

/** Reads and validates a registry file at synth, so a broken registry never deploys. */
export function readStoreRegistry(path: string): StoreRegistry {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (cause) {
    throw new StoreRegistryUnreadableError(`Cannot read the data-store registry ${path}`, { cause });
  }
  return parseStoreRegistry(text);
}

const DYNAMODB_ACTIONS: Readonly<Record<StoreAccess, readonly string[]>> = {
  read: ['dynamodb:Query', 'dynamodb:GetItem', 'dynamodb:BatchGetItem'],
  'read-write': [
    'dynamodb:Query',
    'dynamodb:GetItem',
    'dynamodb:BatchGetItem',
    'dynamodb:DeleteItem',
    'dynamodb:UpdateItem',
    'dynamodb:BatchWriteItem',
  ],
};

const S3_OBJECT_ACTIONS: Readonly<Record<StoreAccess, readonly string[]>> = {
  read: ['s3:GetObject'],
  // Tagging marks retained objects; DeleteObjectVersion makes an erasure real on versioned buckets.
  'read-write': ['s3:GetObject', 's3:DeleteObject', 's3:DeleteObjectVersion', 's3:PutObjectTagging'],
};

/** The key prefix before the first identifier placeholder: `invoices/{accountId}/` → `invoices/`. */
export function staticPrefix(prefixTemplate: string): string {
  const placeholder = prefixTemplate.indexOf('{');
  return placeholder === -1 ? prefixTemplate : prefixTemplate.slice(0, placeholder);
}

/**
 * Grants a role access to every DynamoDB and S3 store of the registry. ARNs are
 * built with the stack's partition, region and account (never a literal
 * `arn:aws:`), so the grant is right in the AWS China partition too.
 * PostgreSQL and HTTP processors are reached over the network with their own
 * credentials: when the registry keeps those in Secrets Manager
 * (`connectionSecret`, `credentialsSecret`), the role may read exactly those
 * secrets. Manual stores are worked by agents and need nothing.
 */
export function grantRegisteredStores(role: IRole, registry: StoreRegistry, access: StoreAccess): void {
  const stack = Stack.of(role);
  const findings: NagFinding[] = [];
  // cdk-nag prints an unresolved partition as `<AWS::Partition>`; a stack with a region has a literal one.
  const partitionAsNagPrints = Token.isUnresolved(stack.partition) ? '<AWS::Partition>' : stack.partition;
  const tables = new Map<string, Set<string>>();
  const buckets = new Map<string, Set<string>>();
  const secrets: SecretReference[] = [];
  for (const store of registry.stores) {
    if (store.kind === 'dynamodb') {
      const indexes = tables.get(store.dynamodb.tableName) ?? new Set<string>();
      for (const lookup of store.dynamodb.lookups) if (lookup.index !== undefined) indexes.add(lookup.index);
      tables.set(store.dynamodb.tableName, indexes);
    } else if (store.kind === 'postgres' && store.postgres.connectionSecret !== undefined) {
      secrets.push(store.postgres.connectionSecret);
    } else if (store.kind === 'http-processor' && store.httpProcessor.credentialsSecret !== undefined) {
      secrets.push(store.httpProcessor.credentialsSecret);
    } else if (store.kind === 's3') {
      const prefixes = buckets.get(store.s3.bucket) ?? new Set<string>();
      for (const template of store.s3.prefixTemplates) prefixes.add(staticPrefix(template));
      buckets.set(store.s3.bucket, prefixes);
    }
  }

  for (const [tableName, indexes] of tables) {
    const tableArn = Arn.format(
      {
        service: 'dynamodb',
        resource: 'table',
        resourceName: tableName,
        arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
      },
      stack,
    );
    role.addToPrincipalPolicy(
      new PolicyStatement({
        effect: Effect.ALLOW,
        actions: [...DYNAMODB_ACTIONS[access]],
        resources: [tableArn, ...[...indexes].map((index) => `${tableArn}/index/${index}`)],
      }),
    );
  }

  for (const [bucketName, prefixes] of buckets) {
    const bucketArn = Arn.format(
      { service: 's3', region: '', account: '', resource: bucketName, arnFormat: ArnFormat.NO_RESOURCE_NAME },
      stack,
    );
    const objectPatterns = [...prefixes].map((prefix) => `${prefix}*`);
    role.addToPrincipalPolicy(
      new PolicyStatement({
        effect: Effect.ALLOW,
        actions: ['s3:ListBucket'],
        resources: [bucketArn],
        conditions: { StringLike: { 's3:prefix': objectPatterns } },
      }),
    );
    role.addToPrincipalPolicy(
      new PolicyStatement({
        effect: Effect.ALLOW,
        actions: [...S3_OBJECT_ACTIONS[access]],
        resources: objectPatterns.map((pattern) => `${bucketArn}/${pattern}`),
      }),
    );
    for (const pattern of objectPatterns) {
      findings.push({
        id: `AwsSolutions-IAM5[Resource::arn:${partitionAsNagPrints}:s3:::${bucketName}/${pattern}]`,
        reason: `Objects of registered store bucket ${bucketName} under the registry's prefix ${pattern}: the subject's key (the rest of the prefix) is only known per request.`,
      });
    }
  }
  grantSecretRead(role, secrets);
  acknowledgeFindings(role as unknown as IConstruct, findings);
}
