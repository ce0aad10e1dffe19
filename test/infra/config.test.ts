import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { describe, expect, it } from 'vitest';
import {
  ConfigFileUnreadableError,
  InvalidConfigError,
  loadPipelineConfig,
  parsePipelineConfig,
} from '../../infra/config';
import { pipelineApp } from './support/cdk';

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'dsar-config-'));
}

describe('pipeline configuration', () => {
  it('applies secure defaults when nothing is configured', () => {
    expect(parsePipelineConfig({})).toEqual({
      stackName: 'DsarPipeline',
      policyId: 'pipl-default',
      storeRegistryFile: 'config/data-stores.demo.json',
      downloadLinkLifetimeDays: 7,
      publicRateLimitPerMinute: 30,
      floor: { approvalRequestTypes: ['portability'], fourEyes: true },
      exportRetentionDays: 7,
      inboundMailRetentionDays: 30,
      evidenceRetentionDays: 90,
      auditAnchorRetentionDays: 400,
      tableDeletionProtection: true,
      removalPolicy: 'retain',
      logRetentionDays: 365,
      logLevel: 'INFO',
      emailIntake: 'disabled',
      smsProvider: 'disabled',
      userPoolFeaturePlan: 'plus',
      consoleMfa: 'required',
    });
  });

  it.each([
    ['downloadLinkLifetimeDays', { downloadLinkLifetimeDays: 8 }],
    ['downloadLinkLifetimeDays', { downloadLinkLifetimeDays: 1.5 }],
    ['removalPolicy', { removalPolicy: 'delete' }],
    ['logRetentionDays', { logRetentionDays: 42 }],
    ['senderAddress', { senderAddress: 'not-an-address' }],
    ['operatorEmail', { operatorEmail: 'ops@' }],
    ['tableDeletionProtection', { tableDeletionProtection: 'yes' }],
    ['account', { account: '1234' }],
    ['region', { region: 'Frankfurt' }],
    ['smtpRelay.secretName', { smtpRelay: { host: 'smtp.example.com' } }],
    [
      'smtpRelay.secretName',
      {
        smtpRelay: {
          host: 'smtp.example.com',
          secretName: 's',
          secretArn: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:dsar/smtp-AbC123',
        },
      },
    ],
    ['smtpRelay.secretArn', { smtpRelay: { host: 'smtp.example.com', secretArn: 'dsar/smtp' } }],
    ['senderAddress', { smtpRelay: { host: 'smtp.example.com', secretName: 'dsar/smtp' } }],
    ['smtpRelay.port', { smtpRelay: { host: 'smtp.example.com', port: 70_000, secretName: 's' } }],
    ['consoleIssuer.issuerUrl', { consoleIssuer: { issuerUrl: 'http://idp.example.com', audience: ['a'] } }],
    ['exportRetentionDays', { downloadLinkLifetimeDays: 7, exportRetentionDays: 3 }],
    ['domainName', { emailIntake: 'ses', senderAddress: 'privacy@example.com' }],
    ['senderAddress', { emailIntake: 'ses', domainName: 'example.com' }],
    ['consoleIssuer', { region: 'cn-north-1' }],
    ['downloadLinkLifeDays', { downloadLinkLifeDays: 3 }],
  ])('rejects an invalid %s and names it', (field, raw) => {
    expect(() => parsePipelineConfig(raw)).toThrow(InvalidConfigError);
    expect(() => parsePipelineConfig(raw)).toThrow(new RegExp(`- ${field.replace('.', '\\.')}:`));
  });

  it('accepts SES intake with a domain and a sender', () => {
    const config = parsePipelineConfig({
      emailIntake: 'ses',
      domainName: 'privacy.example.com',
      senderAddress: 'dsar@privacy.example.com',
    });
    expect(config.emailIntake).toBe('ses');
  });

  it('accepts a China region when an external console issuer is named', () => {
    const config = parsePipelineConfig({
      region: 'cn-north-1',
      consoleIssuer: { issuerUrl: 'https://login.example.cn/oidc', audience: ['dsar-console'] },
      userPoolFeaturePlan: 'essentials',
      senderAddress: 'privacy@example.cn',
      smtpRelay: { host: 'smtp.example.cn', secretName: 'dsar/smtp' },
    });
    expect(config.smtpRelay).toEqual({ host: 'smtp.example.cn', port: 587, secretName: 'dsar/smtp' });
  });

  it('reads fields from CDK context, parsing JSON-looking strings as `-c key=value` passes them', () => {
    const app = new App({
      context: { removalPolicy: 'destroy', logRetentionDays: '30', tableDeletionProtection: 'false' },
    });
    const config = loadPipelineConfig(app, tempDir());
    expect(config).toMatchObject({
      removalPolicy: 'destroy',
      logRetentionDays: 30,
      tableDeletionProtection: false,
    });
  });

  it('refuses a policy that names no profile, and residences that repeat a code', () => {
    expect(() => parsePipelineConfig({ policyId: 'gdpr-eu' })).toThrow(/policyId/);
    expect(() =>
      parsePipelineConfig({
        residences: [
          { code: 'CN', name: { zh: '中国', en: 'China' }, policyId: 'pipl-default' },
          { code: 'cn', name: { zh: '中国', en: 'China' }, policyId: 'caftrade' },
        ],
      }),
    ).toThrow(/residences\.1\.code: appears twice/);
  });

  it('reads dsar.config.json from the working directory, and context overrides it', () => {
    const dir = tempDir();
    writeFileSync(
      join(dir, 'dsar.config.json'),
      JSON.stringify({ policyId: 'gdpr', exportRetentionDays: 14 }),
    );
    const config = loadPipelineConfig(new App({ context: { exportRetentionDays: 10 } }), dir);
    expect(config).toMatchObject({ policyId: 'gdpr', exportRetentionDays: 10 });
  });

  it('reads the file named by -c configFile', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'staging.json'), JSON.stringify({ stackName: 'DsarStaging' }));
    const config = loadPipelineConfig(new App({ context: { configFile: 'staging.json' } }), dir);
    expect(config.stackName).toBe('DsarStaging');
  });

  it('names the file when a configuration file holds an invalid field', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'dsar.config.json'), JSON.stringify({ removalPolicy: 'sometimes' }));
    expect(() => loadPipelineConfig(new App(), dir)).toThrow(/dsar\.config\.json[\s\S]*- removalPolicy:/);
  });

  it('refuses a named configuration file that does not exist', () => {
    const app = new App({ context: { configFile: 'missing.json' } });
    expect(() => loadPipelineConfig(app, tempDir())).toThrow(ConfigFileUnreadableError);
  });

  it('refuses a configuration file that is not JSON', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'dsar.config.json'), '{ policyId: pipl }');
    expect(() => loadPipelineConfig(new App(), dir)).toThrow(/not valid JSON/);
  });

  it('fails synthesis of the app with the name of the invalid field', () => {
    expect(() => pipelineApp({ downloadLinkLifetimeDays: 30 })).toThrow(/- downloadLinkLifetimeDays:/);
  });
});
