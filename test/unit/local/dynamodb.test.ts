import { describe, expect, it } from 'vitest';
import {
  AUDIT_TABLE,
  PIPELINE_TABLES,
  REQUESTS_TABLE,
  type TableDefinition,
} from '../../../definitions/tables';
import { ConflictingAttributeTypeError, createTableInput, localTableNames } from '../../../local/dynamodb';

describe('localTableNames', () => {
  it('names every pipeline table by its environment variable, with the prefix', () => {
    expect(localTableNames()).toEqual({
      REQUESTS_TABLE: 'dsar-Requests',
      AUDIT_TABLE: 'dsar-AuditEvents',
      TOKENS_TABLE: 'dsar-Tokens',
      ABUSE_COUNTERS_TABLE: 'dsar-AbuseCounters',
      IDEMPOTENCY_TABLE: 'dsar-Idempotency',
      CALENDAR_NOTICES_TABLE: 'dsar-CalendarNotices',
    });
  });

  it('uses another prefix when given one', () => {
    expect(localTableNames('test', [AUDIT_TABLE])).toEqual({ AUDIT_TABLE: 'test-AuditEvents' });
  });
});

describe('createTableInput', () => {
  it('declares each key attribute of the table and its indexes exactly once', () => {
    const input = createTableInput(REQUESTS_TABLE, 'dsar-Requests');
    expect(input.AttributeDefinitions).toEqual([
      { AttributeName: 'requestId', AttributeType: 'S' },
      { AttributeName: 'openShard', AttributeType: 'S' },
      { AttributeName: 'dueSortKey', AttributeType: 'S' },
      { AttributeName: 'subjectKey', AttributeType: 'S' },
      { AttributeName: 'receivedAt', AttributeType: 'S' },
      { AttributeName: 'clearShard', AttributeType: 'S' },
      { AttributeName: 'closedAt', AttributeType: 'S' },
      { AttributeName: 'status', AttributeType: 'S' },
    ]);
  });

  it('bills on demand and leaves throughput unset', () => {
    for (const definition of PIPELINE_TABLES) {
      const input = createTableInput(definition, definition.id);
      expect(input.BillingMode).toBe('PAY_PER_REQUEST');
      expect(input.ProvisionedThroughput).toBeUndefined();
    }
  });

  it('gives a sort key the RANGE role after the HASH key', () => {
    expect(createTableInput(AUDIT_TABLE, 'audit').KeySchema).toEqual([
      { AttributeName: 'requestId', KeyType: 'HASH' },
      { AttributeName: 'seq', KeyType: 'RANGE' },
    ]);
  });

  it('omits GlobalSecondaryIndexes for a table without indexes, which DynamoDB would reject as empty', () => {
    expect(createTableInput(AUDIT_TABLE, 'audit')).not.toHaveProperty('GlobalSecondaryIndexes');
  });

  it('rejects an attribute that the table and an index type differently', () => {
    const conflicting: TableDefinition = {
      ...AUDIT_TABLE,
      globalSecondaryIndexes: [
        { indexName: 'bySeq', partitionKey: { name: 'seq', type: 'S' }, projection: 'KEYS_ONLY' },
      ],
    };
    expect(() => createTableInput(conflicting, 'audit')).toThrow(ConflictingAttributeTypeError);
  });
});
