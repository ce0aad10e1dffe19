/**
 * AWS SDK clients live one per module, created at module scope so Lambda reuses
 * their connections and each function loads only the SDKs it uses. Endpoints
 * come from the SDK's standard `AWS_ENDPOINT_URL_<SERVICE>` variables, which is
 * all that local mode changes.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

export const dynamoDb = new DynamoDBClient({});

export const documentClient = DynamoDBDocumentClient.from(dynamoDb, {
  marshallOptions: { removeUndefinedValues: true },
});
