/** AWS KMS, for the audit trail's HMAC key (adapters/aws/kms-trail-mac.ts); see dynamodb.ts on clients. */
import { KMSClient } from '@aws-sdk/client-kms';

export const kms = new KMSClient({});
