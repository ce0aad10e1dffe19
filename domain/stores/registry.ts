/**
 * Loading the data-store registry: the schema (./schema) plus the checks a
 * schema cannot express because they relate two parts of one store.
 *
 * Which registry is loaded is decided outside domain/: the functions parse the
 * bundled one (adapters/config/store-registry.ts), local mode's tests the
 * demo organisation's (local/demo/registry.ts), and pass it in.
 */
import { z } from 'zod';
import { PermanentError } from '../errors';
import { type StoreDefinition, type StoreRegistry, StoreRegistrySchema } from './schema';

/** A registry that does not match the schema; the message names each failing field by its path. */
export class InvalidStoreRegistry extends PermanentError {
  override readonly name = 'InvalidStoreRegistry' as const;
  readonly code = 'invalid-store-registry';
}

/** A store id that the registry does not define. */
export class UnknownStore extends PermanentError {
  override readonly name = 'UnknownStore' as const;
  readonly code = 'unknown-store';
  constructor(readonly storeId: string) {
    super(`Unknown data store '${storeId}'`);
  }
}

function keyAttributes(store: StoreDefinition): string[] {
  if (store.kind !== 'dynamodb') return [];
  const { partitionKey, sortKey } = store.dynamodb;
  return sortKey === undefined ? [partitionKey] : [partitionKey, sortKey];
}

/** Attributes or columns a store is searched by: correcting one would re-key (or lose) the subject. */
function identifierFields(store: StoreDefinition): string[] {
  if (store.kind === 'dynamodb') return store.dynamodb.lookups.map((lookup) => lookup.keyAttribute);
  if (store.kind === 'postgres') {
    return store.postgres.tables.flatMap((table) => [table.column, table.primaryKey]);
  }
  return [];
}

/** Why a category's `correctable` field cannot be corrected, or undefined if it can. */
function uncorrectable(store: StoreDefinition, categoryId: string, field: string): string | undefined {
  const category = store.categories.find((candidate) => candidate.id === categoryId);
  if (keyAttributes(store).includes(field) || identifierFields(store).includes(field)) {
    return `${field} identifies the record or the subject; it cannot be corrected through the console`;
  }
  if (category?.fields !== undefined && !category.fields.includes(field)) {
    return `${field} is not one of the category's fields`;
  }
  const claimedBy = store.categories.find(
    (other) =>
      other.id !== categoryId && (other.fields?.includes(field) || other.correctable?.includes(field)),
  );
  if (claimedBy !== undefined) return `${field} belongs to category ${claimedBy.id} too`;
  if (store.kind === 'postgres' && !/^[a-z_][a-z0-9_]*$/.test(field)) {
    return `${field} is not a lowercase column name`;
  }
  return undefined;
}

const RegistryWithStoreChecks = StoreRegistrySchema.superRefine((registry, ctx) => {
  registry.stores.forEach((store, storeIndex) => {
    const keys = keyAttributes(store);
    store.categories.forEach((category, categoryIndex) => {
      const path = ['stores', storeIndex, 'categories', categoryIndex];
      // A key attribute can be neither removed nor rewritten: the item would lose its identity.
      const changed = [
        ...(category.erasure.mode === 'retain' ? [] : (category.fields ?? [])),
        ...(category.erasure.mode === 'anonymise' ? category.erasure.fields : []),
      ];
      for (const field of changed) {
        if (keys.includes(field.split('.')[0] ?? field)) {
          ctx.addIssue({ code: 'custom', path: [...path, 'fields'], message: `${field} is a key attribute` });
        }
      }
    });
    store.categories.forEach((category, categoryIndex) => {
      (category.correctable ?? []).forEach((field, fieldIndex) => {
        const problem =
          category.correctable?.indexOf(field) !== fieldIndex
            ? `${field} is listed twice`
            : uncorrectable(store, category.id, field);
        if (problem !== undefined) {
          ctx.addIssue({
            code: 'custom',
            path: ['stores', storeIndex, 'categories', categoryIndex, 'correctable', fieldIndex],
            message: problem,
          });
        }
      });
    });
    if (store.kind === 's3') {
      store.s3.prefixTemplates.forEach((template, i) => {
        // `invoices/{accountId}` would also match `invoices/u-10011/...` when looking for u-1001.
        if (/\{\w+\}(?!\/)/.test(template)) {
          ctx.addIssue({
            code: 'custom',
            path: ['stores', storeIndex, 's3', 'prefixTemplates', i],
            message: 'each identifier placeholder must be followed by /',
          });
        }
      });
    }
    const ids = store.categories.map((category) => category.id);
    ids.forEach((id, i) => {
      if (ids.indexOf(id) !== i) {
        ctx.addIssue({
          code: 'custom',
          path: ['stores', storeIndex, 'categories', i, 'id'],
          message: `duplicate category id ${id}`,
        });
      }
    });
  });
});

/** Validates a registry given as parsed JSON or as JSON text. */
export function parseStoreRegistry(json: unknown): StoreRegistry {
  let data = json;
  if (typeof json === 'string') {
    try {
      data = JSON.parse(json);
    } catch (error) {
      throw new InvalidStoreRegistry(`The data-store registry is not JSON: ${(error as Error).message}`, {
        cause: error,
      });
    }
  }
  const result = RegistryWithStoreChecks.safeParse(data);
  if (!result.success) {
    throw new InvalidStoreRegistry(`The data-store registry is invalid:\n${z.prettifyError(result.error)}`);
  }
  return result.data;
}

export function storeById(registry: StoreRegistry, storeId: string): StoreDefinition {
  const store = registry.stores.find((candidate) => candidate.id === storeId);
  if (store === undefined) throw new UnknownStore(storeId);
  return store;
}

/** Stores that resolve identifiers (e.g. accountId from email) run before the stores that need them. */
export function storesInResolutionOrder(registry: StoreRegistry): { resolvers: string[]; others: string[] } {
  const resolvers = registry.stores
    .filter((store) => (store.resolves ?? []).length > 0)
    .map((store) => store.id);
  const others = registry.stores.filter((store) => !resolvers.includes(store.id)).map((store) => store.id);
  return { resolvers, others };
}
