import { describe, expect, it } from 'vitest';
import { splitByCategory } from '../../../../connectors/dynamodb/categories';
import { storeById } from '../../../../domain/stores/registry';
import { loadDemoRegistry } from '../../../../local/demo/registry';

const account = {
  accountId: 'u-1001',
  email: 'li.lei@example.com',
  nickname: 'lilei',
  realNameVerification: { realName: '李雷', idNumber: '110101********1234' },
  createdAt: '2023-11-23T08:00:00Z',
};

describe('splitByCategory', () => {
  it('gives each category its fields with the key, and the unclaimed rest to the first category', () => {
    const { categories } = storeById(loadDemoRegistry(), 'accounts');
    expect(splitByCategory(categories, account, ['accountId'])).toEqual([
      {
        category: 'account',
        data: {
          accountId: 'u-1001',
          email: 'li.lei@example.com',
          nickname: 'lilei',
          createdAt: '2023-11-23T08:00:00Z',
        },
      },
      {
        category: 'real-name',
        data: { accountId: 'u-1001', realNameVerification: account.realNameVerification },
      },
    ]);
  });

  it('gives a category without fields everything the field categories do not claim', () => {
    const { categories } = storeById(loadDemoRegistry(), 'orders');
    const order = {
      accountId: 'u-1001',
      orderId: 'o-1',
      amountCny: 99,
      shippingAddress: 'addr',
      invoiceEmail: 'e',
    };
    expect(splitByCategory(categories, order, ['accountId', 'orderId'])).toEqual([
      { category: 'transaction-records', data: { accountId: 'u-1001', orderId: 'o-1', amountCny: 99 } },
      {
        category: 'delivery',
        data: { accountId: 'u-1001', orderId: 'o-1', shippingAddress: 'addr', invoiceEmail: 'e' },
      },
    ]);
  });

  it('leaves out a category none of whose fields the item has', () => {
    const { categories } = storeById(loadDemoRegistry(), 'accounts');
    const { realNameVerification: _, ...unverified } = account;
    expect(splitByCategory(categories, unverified, ['accountId']).map((entry) => entry.category)).toEqual([
      'account',
    ]);
  });

  it('exports a nested field under its dot path and the rest of its object with the remainder', () => {
    const categories = [
      { id: 'profile', description: 'p', erasure: { mode: 'delete' as const } },
      {
        id: 'real-name',
        description: 'r',
        fields: ['verification.name'],
        erasure: { mode: 'delete' as const },
      },
    ];
    const item = { id: 'a', verification: { name: 'N', at: '2024' } };
    expect(splitByCategory(categories, item, ['id'])).toEqual([
      { category: 'profile', data: { id: 'a', verification: { at: '2024' } } },
      { category: 'real-name', data: { id: 'a', 'verification.name': 'N' } },
    ]);
  });
});
