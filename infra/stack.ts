/**
 * The DSAR pipeline stack: data, functions, API and operations, composed from
 * the deployment configuration and the shared definitions.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Arn, ArnFormat, CfnOutput, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import { FeaturePlan, Mfa } from 'aws-cdk-lib/aws-cognito';
import { Effect, Policy, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { Key, KeySpec, KeyUsage } from 'aws-cdk-lib/aws-kms';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import {
  AUDIT_ANCHORS_BUCKET,
  EVIDENCE_BUCKET,
  EXPORTS_BUCKET,
  INBOUND_MAIL_BUCKET,
} from '../definitions/buckets';
import {
  EMAIL_INTAKE,
  type FunctionDefinition,
  PIPELINE_FUNCTIONS,
  SWEEP_REQUESTS,
} from '../definitions/functions';
import { PIPELINE_ROUTES, type RouteDefinition } from '../definitions/routes';
import { ORGANISATION_SETTINGS_VARIABLE } from '../domain/policy/organisation';
import { InvalidConfigError, organisationSettingsOf, type PipelineConfig } from './config';
import { IntakeApi } from './constructs/api/intake-api';
import { PipelineData } from './constructs/data/pipeline-data';
import { FULFILMENT_ASL_FILE, Fulfilment, taskFunctionIds } from './constructs/fulfilment/fulfilment';
import { grantRegisteredStores, readStoreRegistry } from './constructs/fulfilment/store-grants';
import { type PipelineFunction, REPOSITORY_ROOT } from './constructs/functions/pipeline-function';
import { PipelineFunctions } from './constructs/functions/pipeline-functions';
import { EmailIntake } from './constructs/mail/email-intake';
import { acknowledgeFindings } from './constructs/nag';
import { Operations } from './constructs/observability/operations';
import { grantSecretRead, type SecretReference, secretIdOf } from './constructs/secrets/secret-grants';
import { logRetentionFromDays } from './constructs/secure-defaults';
import { Timers } from './constructs/timers/timers';

/** Environment variable naming the Secrets Manager secret that holds the HMAC key (read by adapters/aws/secrets.ts). */
export const HMAC_KEY_SECRET_VARIABLE = 'PIPELINE_HMAC_KEY_SECRET_ARN';

/** The variables that switch a function's outbound mail to the SMTP relay (read by adapters/aws/mailer.ts). */
export const SMTP_RELAY_VARIABLES = {
  host: 'SMTP_RELAY_HOST',
  port: 'SMTP_RELAY_PORT',
  /** The relay credentials secret's ARN, or its name when configured by name. */
  secretArn: 'SMTP_RELAY_SECRET_ARN',
} as const;

/** The variables that choose a function's SMS provider (read by adapters/aws/sms.ts). */
export const SMS_VARIABLES = {
  provider: 'SMS_PROVIDER',
  httpUrl: 'SMS_HTTP_URL',
  /** The gateway token secret's ARN, or its name when configured by name. */
  httpSecretArn: 'SMS_HTTP_SECRET_ARN',
} as const;

/** The relay credentials secret of the configuration, as a reference to grant and pass on. */
function relaySecretOf(relay: NonNullable<PipelineConfig['smtpRelay']>): SecretReference {
  return {
    ...(relay.secretArn === undefined ? {} : { arn: relay.secretArn }),
    ...(relay.secretName === undefined ? {} : { name: relay.secretName }),
    ...(relay.kmsKeyArn === undefined ? {} : { kmsKeyArn: relay.kmsKeyArn }),
  };
}

/** Outbound mail through the configured relay instead of SES: its address, and read access to its credentials. */
function useSmtpRelay(fn: PipelineFunction, relay: NonNullable<PipelineConfig['smtpRelay']>): void {
  const secret = relaySecretOf(relay);
  fn.function.addEnvironment(SMTP_RELAY_VARIABLES.host, relay.host);
  fn.function.addEnvironment(SMTP_RELAY_VARIABLES.port, String(relay.port));
  fn.function.addEnvironment(SMTP_RELAY_VARIABLES.secretArn, secretIdOf(secret));
  grantSecretRead(fn.role, [secret]);
}

/**
 * SES sending, from the configured sender's identity only: SES authorises
 * SendEmail against the identity (here the sender's domain) that sends.
 */
function grantSendEmail(fn: PipelineFunction, senderAddress: string): void {
  const domain = senderAddress.slice(senderAddress.lastIndexOf('@') + 1);
  fn.role.addToPrincipalPolicy(
    new PolicyStatement({
      effect: Effect.ALLOW,
      actions: ['ses:SendEmail', 'ses:SendRawEmail'],
      resources: [
        Arn.format(
          {
            service: 'ses',
            resource: 'identity',
            resourceName: domain,
            arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
          },
          Stack.of(fn),
        ),
      ],
    }),
  );
}

/**
 * SMS for a function that sends one-time codes: the provider, and either `sns:Publish` (SNS) or the
 * gateway's URL and read access to its token (HTTP). The SNS grant is a policy of its own, so its
 * acknowledged `*` covers it and nothing else.
 */
function useSms(fn: PipelineFunction, config: PipelineConfig): void {
  fn.function.addEnvironment(SMS_VARIABLES.provider, config.smsProvider);
  if (config.smsProvider === 'http' && config.smsHttp !== undefined) {
    const { url, secretArn, secretName, kmsKeyArn } = config.smsHttp;
    const secret: SecretReference = {
      ...(secretArn === undefined ? {} : { arn: secretArn }),
      ...(secretName === undefined ? {} : { name: secretName }),
      ...(kmsKeyArn === undefined ? {} : { kmsKeyArn }),
    };
    fn.function.addEnvironment(SMS_VARIABLES.httpUrl, url);
    fn.function.addEnvironment(SMS_VARIABLES.httpSecretArn, secretIdOf(secret));
    grantSecretRead(fn.role, [secret]);
    return;
  }
  if (config.smsProvider !== 'sns') return;
  const smsPolicy = new Policy(fn, 'SmsPolicy', {
    roles: [fn.role],
    statements: [
      new PolicyStatement({
        effect: Effect.ALLOW,
        actions: ['sns:Publish'],
        resources: ['*'],
        // Only through the stack's own region's SNS, the endpoint the function's client uses.
        conditions: { StringEquals: { 'aws:RequestedRegion': Stack.of(fn).region } },
      }),
    ],
  });
  acknowledgeFindings(smsPolicy, [
    {
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'sns:Publish to a phone number (an SMS) has no resource ARN; the grant is limited to the functions that send SMS, codes or the download link of a phone-only requester (sendsSms), and to the stack region.',
    },
  ]);
}

export interface DsarPipelineStackProps extends StackProps {
  /** Validated deployment configuration (`loadPipelineConfig`). */
  readonly config: PipelineConfig;
  /**
   * Functions to deploy.
   * @default PIPELINE_FUNCTIONS
   */
  readonly functions?: readonly FunctionDefinition[];
  /**
   * Routes of the HTTP API.
   * @default PIPELINE_ROUTES
   */
  readonly routes?: readonly RouteDefinition[];
  /**
   * Directory that function entries are relative to.
   * @default the repository root
   */
  readonly projectRoot?: string;
}

export class DsarPipelineStack extends Stack {
  public readonly data: PipelineData;
  public readonly functions: PipelineFunctions;
  public readonly api: IntakeApi;
  public readonly operations: Operations;
  /** The sweeper's schedule; absent when the sweeper is not deployed. */
  public readonly timers?: Timers;
  /** SES receiving; present when `emailIntake` is `ses`. */
  public readonly emailIntake?: EmailIntake;
  /** The HMAC key (generated; read at run time through `PIPELINE_HMAC_KEY_SECRET_ARN`). */
  public readonly hmacKey: Secret;
  /** The audit trail's KMS HMAC key (only GenerateMac for writers, VerifyMac for the console detail). */
  public readonly auditTrailKey: Key;
  /** The fulfilment state machine; absent when no deployed function belongs to it. */
  public readonly fulfilment?: Fulfilment;

  constructor(scope: Construct, id: string, props: DsarPipelineStackProps) {
    const { config, functions, routes, projectRoot, ...stackProps } = props;
    super(scope, id, {
      description:
        'DSAR pipeline: intake, identity verification, fulfilment and deadlines for data subject requests',
      ...stackProps,
    });
    const removalPolicy = config.removalPolicy === 'destroy' ? RemovalPolicy.DESTROY : RemovalPolicy.RETAIN;
    const logRetention = logRetentionFromDays(config.logRetentionDays);

    this.data = new PipelineData(this, 'Data', {
      expireAfterDays: {
        [EXPORTS_BUCKET.id]: config.exportRetentionDays,
        [INBOUND_MAIL_BUCKET.id]: config.inboundMailRetentionDays,
        [EVIDENCE_BUCKET.id]: config.evidenceRetentionDays,
      },
      lockedForDays: { [AUDIT_ANCHORS_BUCKET.id]: config.auditAnchorRetentionDays },
      tableDeletionProtection: config.tableDeletionProtection,
      removalPolicy,
    });

    // The key of every HMAC over identifiers, codes and tokens. Generated, never
    // in the template; functions get its ARN and read it at run time.
    this.hmacKey = new Secret(this, 'HmacKey', {
      description: 'DSAR pipeline: key of the HMACs over identifiers, verification codes and tokens',
      encryptionKey: this.data.key,
      generateSecretString: { passwordLength: 64, excludePunctuation: true },
      removalPolicy,
    });
    acknowledgeFindings(this.hmacKey, [
      {
        id: 'AwsSolutions-SMG4',
        reason:
          'Not rotated on a schedule: every stored code, token and identifier hash is an HMAC under this key, so a rotation would make them all unverifiable; rotate deliberately with a re-keying plan.',
      },
    ]);

    // The audit trail's MAC key: an HMAC key that never leaves KMS. Writers may only make MACs with it,
    // so a function (or anyone with its role) can append events but cannot forge a rewritten one.
    // Kept whatever the removal policy: without it no stored trail can be verified.
    this.auditTrailKey = new Key(this, 'AuditTrailKey', {
      description:
        'DSAR pipeline: HMAC key of the audit trail (GenerateMac by writers, VerifyMac by verifiers)',
      keySpec: KeySpec.HMAC_256,
      keyUsage: KeyUsage.GENERATE_VERIFY_MAC,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    new CfnOutput(this, 'AuditTrailKeyArn', {
      description: 'The audit trail HMAC key (AUDIT_TRAIL_KEY_ID for npx dsar audit verify --aws)',
      value: this.auditTrailKey.keyArn,
    });
    const anchors = this.data.buckets[AUDIT_ANCHORS_BUCKET.id];
    if (anchors !== undefined) {
      new CfnOutput(this, 'AuditAnchorsBucketName', {
        description: 'The audit anchors bucket (AUDIT_ANCHORS_BUCKET for npx dsar audit verify --aws)',
        value: anchors.bucketName,
      });
    }

    this.functions = new PipelineFunctions(this, 'Functions', {
      definitions: functions ?? PIPELINE_FUNCTIONS,
      tables: this.data.tables,
      buckets: this.data.buckets,
      environment: {
        POLICY_ID: config.policyId,
        DEFAULT_POLICY_ID: config.policyId,
        DOWNLOAD_LINK_LIFETIME_DAYS: String(config.downloadLinkLifetimeDays),
        PUBLIC_RATE_LIMIT_PER_MINUTE: String(config.publicRateLimitPerMinute),
        [ORGANISATION_SETTINGS_VARIABLE]: JSON.stringify(organisationSettingsOf(config)),
        ...(config.senderAddress === undefined ? {} : { SENDER_ADDRESS: config.senderAddress }),
        // Read by the timer sweep; without them it fails (alarmed) rather than remind nobody.
        ...(config.consoleTeamAddress === undefined
          ? {}
          : { CONSOLE_TEAM_ADDRESS: config.consoleTeamAddress }),
        ...(config.consoleSupervisorsAddress === undefined
          ? {}
          : { CONSOLE_SUPERVISORS_ADDRESS: config.consoleSupervisorsAddress }),
      },
      deadLetterQueueKey: this.data.key,
      logRetention,
      logLevel: config.logLevel,
      removalPolicy,
      projectRoot,
      // The registry the functions use is the one the store grants below are derived from.
      storeRegistryFile: join(projectRoot ?? REPOSITORY_ROOT, config.storeRegistryFile),
      auditTrailKey: this.auditTrailKey,
    });

    // Fulfilment: built when any function is one of its tasks (a stack of fixture functions, or of the
    // sweep alone, has none: a function that starts or watches it does not by itself build it); then
    // every task must exist.
    const root = projectRoot ?? REPOSITORY_ROOT;
    const taskIds = taskFunctionIds(readFileSync(join(root, FULFILMENT_ASL_FILE), 'utf8'));
    const needsFulfilment = this.functions.all.some((fn) => taskIds.includes(fn.definition.id));
    if (needsFulfilment) {
      const fulfilment = new Fulfilment(this, 'Fulfilment', {
        functions: this.functions.functions,
        projectRoot: root,
        logRetention,
        removalPolicy,
      });
      for (const fn of this.functions.all) {
        if (fn.definition.startsFulfilment === true) fulfilment.allowStart(fn);
        // A watcher alone (a stack without the workflow) has nothing to watch and gets no grant.
        if (fn.definition.watchesFulfilment === true) fulfilment.allowWatch(fn);
      }
      this.fulfilment = fulfilment;
    }
    for (const fn of this.functions.all) {
      // The HMAC key reaches only the functions that hash or check a code, token or identifier.
      if (fn.definition.readsHmacKey === true) {
        fn.function.addEnvironment(HMAC_KEY_SECRET_VARIABLE, this.hmacKey.secretArn);
        this.hmacKey.grantRead(fn.role);
      }
      if (fn.definition.sendsSms === true) useSms(fn, config);
      if (fn.definition.sendsEmail !== true) continue;
      // A relay replaces SES entirely: no SES permissions where mail never goes through SES.
      if (config.smtpRelay !== undefined) useSmtpRelay(fn, config.smtpRelay);
      else if (config.senderAddress !== undefined) grantSendEmail(fn, config.senderAddress);
    }
    const storeUsers = this.functions.all.filter((fn) => fn.definition.registeredStores !== undefined);
    if (storeUsers.length > 0) {
      const registry = readStoreRegistry(join(root, config.storeRegistryFile));
      for (const fn of storeUsers) grantRegisteredStores(fn.role, registry, fn.definition.registeredStores!);
    }

    const sweeper = this.functions.get(SWEEP_REQUESTS.id);
    if (sweeper !== undefined) this.timers = new Timers(this, 'Timers', { sweeper });

    if (config.emailIntake === 'ses') {
      const intake = this.functions.get(EMAIL_INTAKE.id);
      if (intake === undefined || config.domainName === undefined) {
        throw new InvalidConfigError(
          `emailIntake 'ses' needs domainName and the ${EMAIL_INTAKE.id} function in the stack`,
        );
      }
      this.emailIntake = new EmailIntake(this, 'EmailIntake', {
        domainName: config.domainName,
        bucket: this.data.buckets[INBOUND_MAIL_BUCKET.id]!,
        bucketKey: this.data.key,
        intake,
      });
    }

    this.api = new IntakeApi(this, 'Api', {
      routes: routes ?? PIPELINE_ROUTES,
      functions: Object.fromEntries(this.functions.all.map((fn) => [fn.definition.id, fn.function])),
      logRetention,
      removalPolicy,
      featurePlan: config.userPoolFeaturePlan === 'plus' ? FeaturePlan.PLUS : FeaturePlan.ESSENTIALS,
      mfa: config.consoleMfa === 'required' ? Mfa.REQUIRED : Mfa.OPTIONAL,
      consoleIssuer: config.consoleIssuer,
    });

    // The requester pages and mails link to the API; its endpoint has no trailing slash.
    for (const fn of this.functions.all)
      fn.function.addEnvironment('PUBLIC_BASE_URL', this.api.httpApi.apiEndpoint);

    this.operations = new Operations(this, 'Operations', {
      functions: this.functions.all,
      operatorEmail: config.operatorEmail,
      removalPolicy,
    });
    if (this.fulfilment !== undefined) {
      this.operations.addAlarm('FulfilmentFailed', this.fulfilment.metricExecutionsFailed(), {
        alarmDescription: 'A fulfilment execution failed: a verified request is stuck until it is restarted.',
        threshold: 1,
        evaluationPeriods: 1,
      });
    }
  }
}
