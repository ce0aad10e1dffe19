/**
 * The production AbuseCounters (app/intake/ports.ts) on the AbuseCounters table: one item per
 * counter and window, `counterKey = name + '#' + window start`, incremented atomically with ADD and
 * expiring by the table's TTL an hour after its window ends (TTL deletes late; the window start in the
 * key keeps an old item from counting anyway).
 */
import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { AbuseCounters } from '../../app/intake/ports';
import { fixedWindow } from '../../domain/intake-limits';
import { documentClient } from './clients/dynamodb';
import { requiredEnv } from './runtime';

const counterKey = (counter: string, start: number) => `${counter}#${start}`;

export const abuseCounters: AbuseCounters = {
  async add(counter, windowSeconds, now, by = 1) {
    const window = fixedWindow(now, windowSeconds);
    const result = await documentClient.send(
      new UpdateCommand({
        TableName: requiredEnv('ABUSE_COUNTERS_TABLE'),
        Key: { counterKey: counterKey(counter, window.start) },
        UpdateExpression: 'ADD hits :by SET expiresAtEpoch = if_not_exists(expiresAtEpoch, :expires)',
        ExpressionAttributeValues: {
          ':by': by,
          ':expires': Math.floor(window.endsAt.getTime() / 1000) + 3600,
        },
        ReturnValues: 'UPDATED_NEW',
      }),
    );
    return Number(result.Attributes?.hits ?? by);
  },
  async read(counter, windowSeconds, now) {
    const window = fixedWindow(now, windowSeconds);
    const result = await documentClient.send(
      new GetCommand({
        TableName: requiredEnv('ABUSE_COUNTERS_TABLE'),
        Key: { counterKey: counterKey(counter, window.start) },
        ConsistentRead: true,
      }),
    );
    return Number(result.Item?.hits ?? 0);
  },
};
