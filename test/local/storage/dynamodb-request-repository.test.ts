/** The request repository contract on DynamoDB Local: the real conditions, transactions and indexes. */
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll } from 'vitest';
import { DynamoDbRequestRepository } from '../../../adapters/aws/dynamodb-request-repository';
import { MemoryTrailMac } from '../../../adapters/memory/memory-trail-mac';
import { PIPELINE_TABLES } from '../../../definitions/tables';
import {
  createTables,
  type DynamoDbLocal,
  localDynamoDbClient,
  localTableNames,
  startDynamoDbLocal,
} from '../../../local/dynamodb';
import { requestRepositoryContract } from '../../contracts/request-repository-contract';

const names = localTableNames('contract');
let dynamoDb: DynamoDbLocal;
let repository: DynamoDbRequestRepository;

beforeAll(async () => {
  dynamoDb = await startDynamoDbLocal();
  const client = localDynamoDbClient(dynamoDb.endpoint);
  await createTables(client, PIPELINE_TABLES, names);
  repository = new DynamoDbRequestRepository(
    DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } }),
    { requests: () => names.REQUESTS_TABLE!, audit: () => names.AUDIT_TABLE! },
    new MemoryTrailMac(),
  );
});

afterAll(async () => {
  await dynamoDb?.stop();
});

requestRepositoryContract('DynamoDB Local', () => repository);
