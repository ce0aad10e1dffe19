import {
  DescribeSecretCommand,
  GetSecretValueCommand,
  ResourceNotFoundException,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readSecret } from '../../../adapters/aws/secrets';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../../../local/credentials';
import {
  type LocalSecretsManager,
  localSecretArn,
  startSecretsManager,
} from '../../../local/secrets-manager';

describe('local Secrets Manager endpoint', () => {
  let endpoint: LocalSecretsManager;
  let client: SecretsManagerClient;

  beforeAll(async () => {
    endpoint = await startSecretsManager({
      secrets: [
        { name: 'dsar-pipeline/hmac-key', value: 'k'.repeat(43) },
        { name: 'relay', value: '{"username":"u","password":"p"}' },
      ],
    });
    client = new SecretsManagerClient({
      endpoint: endpoint.url,
      region: LOCAL_REGION,
      credentials: LOCAL_CREDENTIALS,
    });
  });

  afterAll(async () => {
    client?.destroy();
    await endpoint?.stop();
  });

  it.each([
    ['its name', 'dsar-pipeline/hmac-key'],
    ['its full ARN', localSecretArn('dsar-pipeline/hmac-key')],
    ['a partial ARN without the suffix', localSecretArn('dsar-pipeline/hmac-key').slice(0, -7)],
  ])('returns a secret asked for by %s', async (_, secretId) => {
    const secret = await client.send(new GetSecretValueCommand({ SecretId: secretId }));
    expect(secret).toMatchObject({
      ARN: localSecretArn('dsar-pipeline/hmac-key'),
      Name: 'dsar-pipeline/hmac-key',
      SecretString: 'k'.repeat(43),
      VersionStages: ['AWSCURRENT'],
    });
    expect(secret.CreatedDate).toBeInstanceOf(Date);
  });

  it('gives a secret the same ARN on every start', async () => {
    const again = await startSecretsManager({ secrets: [{ name: 'relay', value: 'x' }] });
    try {
      expect(again.arnOf('relay')).toBe(endpoint.arnOf('relay'));
      expect(endpoint.arnOf('relay')).toMatch(
        /^arn:aws:secretsmanager:[a-z0-9-]+:\d{12}:secret:relay-\w{6}$/,
      );
    } finally {
      await again.stop();
    }
  });

  it.each([
    ['a secret the stack did not create', { SecretId: 'no-such-secret' }],
    ['a version stage other than AWSCURRENT', { SecretId: 'relay', VersionStage: 'AWSPREVIOUS' }],
  ])('answers ResourceNotFoundException for %s', async (_, input) => {
    await expect(client.send(new GetSecretValueCommand(input))).rejects.toBeInstanceOf(
      ResourceNotFoundException,
    );
  });

  it('refuses every other operation by name', async () => {
    await expect(client.send(new DescribeSecretCommand({ SecretId: 'relay' }))).rejects.toMatchObject({
      name: 'UnknownOperationException',
    });
  });

  it('serves the functions’ reads through Powertools Parameters and AWS_ENDPOINT_URL_SECRETS_MANAGER', async () => {
    Object.assign(process.env, {
      AWS_REGION: LOCAL_REGION,
      AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
      AWS_ENDPOINT_URL_SECRETS_MANAGER: endpoint.url,
    });
    expect(JSON.parse(await readSecret(endpoint.arnOf('relay')))).toEqual({ username: 'u', password: 'p' });
    await expect(readSecret('no-such-secret')).rejects.toMatchObject({
      name: 'GetParameterError',
      cause: expect.objectContaining({ name: 'ResourceNotFoundException' }),
    });
  });
});
