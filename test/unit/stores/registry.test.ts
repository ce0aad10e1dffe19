import { describe, expect, it } from 'vitest';
import {
  InvalidStoreRegistry,
  parseStoreRegistry,
  storeById,
  UnknownStore,
} from '../../../domain/stores/registry';
import { DEMO_STORES } from '../../../local/demo/organisation';
import { loadDemoRegistry } from '../../../local/demo/registry';

const demo = loadDemoRegistry();
const dynamoDbStores = demo.stores.filter((store) => store.kind === 'dynamodb');

function withFirstStore(change: (store: Record<string, unknown>) => void) {
  const copy = structuredClone(demo) as unknown as { stores: Record<string, unknown>[] };
  change(copy.stores[0]!);
  return copy;
}

describe('the demo registry', () => {
  it('loads and validates', () => {
    expect(demo.stores.length).toBeGreaterThanOrEqual(6);
  });

  it('points every DynamoDB and S3 store at a table or bucket of the demo organisation', () => {
    const names = Object.values(DEMO_STORES) as string[];
    for (const store of demo.stores) {
      if (store.kind === 'dynamodb') expect(names).toContain(store.dynamodb.tableName);
      if (store.kind === 's3') expect(names).toContain(store.s3.bucket);
    }
  });

  it('finds accounts by account id, email and phone, through the GSIs for email and phone', () => {
    const accounts = storeById(demo, 'accounts');
    expect(accounts.resolves).toEqual(['accountId']);
    expect(accounts.kind === 'dynamodb' && accounts.dynamodb.lookups).toEqual([
      { identifier: 'accountId', keyAttribute: 'accountId' },
      { identifier: 'email', keyAttribute: 'email', index: 'byEmail' },
      { identifier: 'phone', keyAttribute: 'phone', index: 'byPhone' },
    ]);
  });

  it('keeps orders and invoices for three years under the E-Commerce Law, as the transaction-records hold', () => {
    for (const id of ['orders', 'invoices']) {
      const held = storeById(demo, id).categories.find((category) => category.erasure.mode === 'retain');
      expect(held?.erasure).toMatchObject({
        basis: 'PRC E-Commerce Law art. 31',
        holdCategory: 'transaction-records',
        retainFor: { length: 3, unit: 'years' },
      });
    }
  });

  it('looks up DynamoDB stores by key or GSI only', () => {
    for (const store of dynamoDbStores) {
      for (const lookup of store.dynamodb.lookups) {
        if (lookup.index === undefined) expect(lookup.keyAttribute).toBe(store.dynamodb.partitionKey);
      }
    }
  });
});

describe('parseStoreRegistry', () => {
  it('names the path of a missing field', () => {
    const broken = withFirstStore((store) => {
      delete (store.dynamodb as Record<string, unknown>).tableName;
    });
    expect(() => parseStoreRegistry(broken)).toThrow(/stores\[0\]\.dynamodb\.tableName/);
  });

  it('names the path of an unknown anonymisation strategy', () => {
    const broken = withFirstStore((store) => {
      (store.categories as { erasure: Record<string, unknown> }[])[1]!.erasure.strategy = 'rot13';
    });
    expect(() => parseStoreRegistry(broken)).toThrow(/stores\[0\]\.categories\[1\]\.erasure\.strategy/);
  });

  it('rejects a category that would remove or rewrite a key attribute', () => {
    const broken = withFirstStore((store) => {
      (store.categories as { fields: string[] }[])[0]!.fields.push('accountId');
    });
    expect(() => parseStoreRegistry(broken)).toThrow(/accountId is a key attribute/);
  });

  it('rejects an S3 prefix template that would also match longer identifiers', () => {
    const copy = structuredClone(demo) as unknown as {
      stores: { id: string; s3?: { prefixTemplates: string[] } }[];
    };
    const uploads = copy.stores.find((store) => store.id === 'uploads');
    if (uploads?.s3 === undefined) throw new Error('uploads is an S3 store');
    uploads.s3.prefixTemplates = ['uploads/{accountId}'];
    expect(() => parseStoreRegistry(copy)).toThrow(/each identifier placeholder must be followed by \//);
  });

  it('rejects two categories with the same id in one store', () => {
    const broken = withFirstStore((store) => {
      const categories = store.categories as { id: string }[];
      categories[1]!.id = categories[0]!.id;
    });
    expect(() => parseStoreRegistry(broken)).toThrow(/stores\[0\]\.categories\[1\]\.id/);
  });

  it.each([
    ['a key attribute', 'accountId', /accountId identifies the record or the subject/],
    ['an attribute a lookup searches by', 'email', /email identifies the record or the subject/],
    ['a field outside the category', 'realNameVerification', /is not one of the category's fields/],
    ['a nested path', 'realNameVerification.realName', /expected a top-level field name/],
    ['a field listed twice', 'region', /region is listed twice/],
  ])('rejects %s as a correctable field, naming its path', (_, field, message) => {
    const broken = withFirstStore((store) => {
      (store.categories as { correctable: string[] }[])[0]!.correctable.push(field);
    });
    expect(() => parseStoreRegistry(broken)).toThrow(message);
    expect(() => parseStoreRegistry(broken)).toThrow(/stores\[0\]\.categories\[0\]\.correctable\[3\]/);
  });

  it('rejects a correctable PostgreSQL field that is not a lowercase column, or is the primary key', () => {
    const copy = structuredClone(demo) as unknown as {
      stores: { id: string; categories: { id: string; fields?: string[]; correctable?: string[] }[] }[];
    };
    const membership = copy.stores.find((store) => store.id === 'loyalty')?.categories[0];
    if (membership === undefined) throw new Error('loyalty has a membership category');
    membership.correctable = ['Tier'];
    expect(() => parseStoreRegistry(copy)).toThrow(/Tier is not a lowercase column name/);
    membership.correctable = ['member_id'];
    expect(() => parseStoreRegistry(copy)).toThrow(/member_id identifies the record or the subject/);
  });

  it('lets agents correct addresses and profile fields in the demo stores, and nothing that identifies', () => {
    const correctable = demo.stores.flatMap((store) =>
      store.categories.flatMap((category) =>
        (category.correctable ?? []).map((field) => `${store.id}/${category.id}/${field}`),
      ),
    );
    expect(correctable).toEqual([
      'accounts/account/nickname',
      'accounts/account/birthday',
      'accounts/account/region',
      'orders/delivery/shippingAddress',
      'loyalty/reward-deliveries/recipient_name',
      'loyalty/reward-deliveries/delivery_address',
    ]);
  });

  it('accepts JSON text and rejects text that is not JSON', () => {
    expect(parseStoreRegistry(JSON.stringify(demo))).toEqual(demo);
    expect(() => parseStoreRegistry('{ not json')).toThrow(InvalidStoreRegistry);
  });

  it('reports an unknown store id by name', () => {
    expect(() => storeById(demo, 'nowhere')).toThrow(UnknownStore);
  });
});
