/**
 * Deployment configuration: typed, validated, with defaults, so that
 * `npx cdk synth` works on a fresh clone and a wrong value fails at synth with
 * the name of the field instead of at deploy time (or, worse, at run time).
 *
 * Sources, later ones winning:
 *   1. the defaults below;
 *   2. a JSON file: `-c configFile=path/to/file.json`, else `dsar.config.json`
 *      in the working directory when it exists;
 *   3. CDK context keys named like the fields, e.g. `-c removalPolicy=destroy`
 *      (values are parsed as JSON when they parse, so `-c logRetentionDays=30`
 *      is a number and `-c smtpRelay='{"host":"smtp.example.com"}'` an object).
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Construct } from 'constructs';
import { z } from 'zod';
import {
  DEFAULT_FLOOR,
  OrganisationFloorSchema,
  OrganisationSettingsSchema,
  ResidenceSchema,
} from '../domain/policy/organisation';
import { KMS_KEY_ARN_PATTERN, SECRET_ARN_PATTERN, SECRET_NAME_PATTERN } from '../domain/stores/schema';
import { LOG_RETENTION_DAY_VALUES } from './constructs/secure-defaults';

/** The configuration file read when `-c configFile=…` is not given (if it exists). */
export const DEFAULT_CONFIG_FILE = 'dsar.config.json';

/** Context key naming the configuration file. */
export const CONFIG_FILE_CONTEXT_KEY = 'configFile';

/** A configuration value that cannot be deployed; the message names the field. */
export class InvalidConfigError extends Error {
  override name = 'InvalidConfigError' as const;
}

/** A configuration file that was named but cannot be read or is not JSON. */
export class ConfigFileUnreadableError extends Error {
  override name = 'ConfigFileUnreadableError' as const;
}

const days = z.int().min(1);

/** A Secrets Manager secret named by exactly one of name or complete ARN, with its KMS key if any. */
const SECRET_REFERENCE_FIELDS = {
  /** Name of the Secrets Manager secret. */
  secretName: z.string().regex(SECRET_NAME_PATTERN, 'must be a Secrets Manager secret name').optional(),
  /** The same secret by complete ARN, instead of `secretName`. */
  secretArn: z.string().regex(SECRET_ARN_PATTERN, 'must be a complete Secrets Manager secret ARN').optional(),
  /** The customer-managed KMS key that encrypts the secret, if any. */
  kmsKeyArn: z.string().regex(KMS_KEY_ARN_PATTERN, 'must be a KMS key ARN').optional(),
};

function exactlyOneSecret(what: string) {
  return (
    reference: { secretName?: string | undefined; secretArn?: string | undefined },
    context: z.RefinementCtx,
  ) => {
    if ((reference.secretName === undefined) === (reference.secretArn === undefined)) {
      context.addIssue({
        code: 'custom',
        path: ['secretName'],
        message: `name ${what} by exactly one of secretName and secretArn`,
      });
    }
  };
}

const SmtpRelaySchema = z
  .strictObject({
    /** Relay host for outbound mail where SES is not offered (e.g. the AWS China regions). */
    host: z.string().min(1),
    /** @default 587 (submission with STARTTLS); 465 means TLS from the first byte */
    port: z.int().min(1).max(65_535).default(587),
    /** The secret holding `{ "username": …, "password": … }` for the relay. */
    ...SECRET_REFERENCE_FIELDS,
  })
  .superRefine(exactlyOneSecret('the relay credentials secret'));

const SmsHttpSchema = z
  .strictObject({
    /** The gateway's send URL: a JSON POST of `{ "to", "text" }` (adapters/aws/sms.ts). */
    url: z.url({ protocol: /^https$/, message: 'must be an https URL' }),
    /** The secret whose text is the gateway's bearer token. */
    ...SECRET_REFERENCE_FIELDS,
  })
  .superRefine(exactlyOneSecret('the SMS gateway token secret'));

/** Regions where Amazon SNS sends no SMS: one-time codes go through an HTTP gateway (`smsProvider: 'http'`). */
export const REGIONS_WITHOUT_SNS_SMS: readonly string[] = ['cn-north-1', 'cn-northwest-1'];

const ConsoleIssuerSchema = z.strictObject({
  /** OIDC issuer of the console's access tokens (`iss` claim), e.g. `https://login.example.cn/oidc`. */
  issuerUrl: z.url({ protocol: /^https$/, message: 'must be an https URL' }),
  /** Accepted `aud` (or `client_id`) values. */
  audience: z.array(z.string().min(1)).min(1),
});

/**
 * Regions whose CloudFormation registry has no `AWS::Cognito::UserPool` (the
 * CloudFormation Validate rules bundled with aws-cdk-lib report it missing in
 * both AWS China regions); the console there needs an external OIDC issuer.
 */
export const REGIONS_WITHOUT_COGNITO_USER_POOLS: readonly string[] = ['cn-north-1', 'cn-northwest-1'];

export const PipelineConfigSchema = z
  .strictObject({
    /** Target account; omit for an environment-agnostic template. */
    account: z
      .string()
      .regex(/^\d{12}$/, 'must be a 12-digit AWS account id')
      .optional(),
    /** Target region, e.g. `cn-north-1`; omit for an environment-agnostic template. */
    region: z
      .string()
      .regex(/^[a-z]{2}(-gov)?-[a-z]+-\d$/, 'must be an AWS region name such as eu-west-1')
      .optional(),
    /** @default 'DsarPipeline' */
    stackName: z
      .string()
      .regex(/^[A-Za-z][A-Za-z0-9-]{0,127}$/, 'must be a CloudFormation stack name')
      .default('DsarPipeline'),
    /** Privacy-policy profile whose deadlines and rules apply. @default 'pipl-default' */
    policyId: z.string().min(1).default('pipl-default'),
    /**
     * Where requesters may live, each mapped to the policy profile the organisation applies there
     * (domain/policy/organisation.ts); the form asks, the requester never names a policy. The first is
     * the default. @default one residence, `default`, under `policyId`
     */
    residences: z.array(ResidenceSchema).min(1).optional(),
    /**
     * The organisation's floor over every profile: request types a person always approves, the
     * identity methods accepted at all (the strictest wins), and `fourEyes` (a console user's export or
     * erasure waits for a second user's approval). @default portability always approved, four eyes on
     */
    floor: OrganisationFloorSchema.default(DEFAULT_FLOOR),
    /** From-address of every message the pipeline sends (required for SES intake). */
    senderAddress: z.email().optional(),
    /**
     * The organisation's data-store registry, relative to the repository root:
     * the stack grants the fulfilment functions access to exactly these stores.
     * @default 'config/data-stores.demo.json'
     */
    storeRegistryFile: z.string().min(1).default('config/data-stores.demo.json'),
    /** Mail domain that receives requests (required for SES intake). */
    domainName: z
      .string()
      .regex(/^(?=.{1,253}$)([a-z0-9](-?[a-z0-9])*\.)+[a-z]{2,}$/i, 'must be a domain name')
      .optional(),
    /** Lifetime of an export download link; S3 presigned URLs allow at most 7 days. @default 7 */
    downloadLinkLifetimeDays: days.max(7).default(7),
    /**
     * Requests per minute one client (source address) may make to each public intake route (submit,
     * verify, new code), counted by the pipeline itself (app/intake/client-rate.ts); API Gateway's own
     * throttles are per route, not per client. @default 30
     */
    publicRateLimitPerMinute: z.int().min(1).max(10_000).default(30),
    /** Days an export package is kept; at least the link lifetime. @default 7 */
    exportRetentionDays: days.default(7),
    /** Days raw inbound email is kept. @default 30 */
    inboundMailRetentionDays: days.default(30),
    /**
     * Days identity documents and mail attachments (the evidence bucket) are kept after upload; the
     * request record, its trail and its evidence pack stay as proof. @default 90
     */
    evidenceRetentionDays: days.default(90),
    /**
     * Days each daily audit anchor is locked (S3 Object Lock, compliance mode: nobody can delete it
     * before, nor shorten this); a trail cut back is detected against any anchor still kept. Choose at
     * least as long as an audit must be able to look back. @default 400
     */
    auditAnchorRetentionDays: days.default(400),
    /** DynamoDB deletion protection on every table. @default true */
    tableDeletionProtection: z.boolean().default(true),
    /** What happens to stateful resources when the stack is deleted. @default 'retain' */
    removalPolicy: z.enum(['retain', 'destroy']).default('retain'),
    /** CloudWatch Logs retention (a value CloudWatch accepts, e.g. 30, 365, 731). @default 365 */
    logRetentionDays: z
      .int()
      .refine((value) => LOG_RETENTION_DAY_VALUES.includes(value), {
        message: `must be one of ${LOG_RETENTION_DAY_VALUES.join(', ')}`,
      })
      .default(365),
    /** Powertools log level of every function. @default 'INFO' */
    logLevel: z.enum(['DEBUG', 'INFO', 'WARN', 'ERROR']).default('INFO'),
    /** How requests arrive by email: SES receiving, or no email intake. @default 'disabled' */
    emailIntake: z.enum(['ses', 'disabled']).default('disabled'),
    /**
     * Outbound SMTP relay, for regions without SES: mail goes through it (TLS
     * required) instead of SES, and the functions get no SES permissions.
     */
    smtpRelay: SmtpRelaySchema.optional(),
    /**
     * How one-time codes reach a phone number given alone: Amazon SNS, an HTTPS SMS gateway
     * (`smsHttp`; for regions without SNS SMS, such as the China regions), or not at all (then a
     * request must give an email address). @default 'disabled'
     */
    smsProvider: z.enum(['sns', 'http', 'disabled']).default('disabled'),
    /** The SMS gateway of `smsProvider: 'http'`. */
    smsHttp: SmsHttpSchema.optional(),
    /** Address subscribed to the operators' alarm topic. */
    operatorEmail: z.email().optional(),
    /** The privacy team's shared address: deadline reminders of requests with no mailable assignee. */
    consoleTeamAddress: z.email().optional(),
    /** The supervisors' address: missed deadlines and overdue acknowledgements or explanations. */
    consoleSupervisorsAddress: z.email().optional(),
    /**
     * Cognito feature plan of the console user pool. `plus` enables threat
     * protection (compromised credentials, adaptive authentication); choose
     * `essentials` where the Plus plan is not offered. @default 'plus'
     */
    userPoolFeaturePlan: z.enum(['plus', 'essentials']).default('plus'),
    /**
     * Multi-factor authentication of console users in the Cognito user pool (TOTP apps only, no SMS):
     * `required` makes every user enrol an authenticator app at first sign-in; `optional` leaves it to
     * each user (cdk-nag's COG2 is then acknowledged as the deployer's choice). Has no effect with a
     * `consoleIssuer`, whose provider enforces its own. @default 'required'
     */
    consoleMfa: z.enum(['required', 'optional']).default('required'),
    /**
     * An external OIDC provider issuing the console's tokens, instead of a
     * Cognito user pool (required where Cognito user pools are not offered).
     */
    consoleIssuer: ConsoleIssuerSchema.optional(),
  })
  .superRefine((config, context) => {
    const organisation = OrganisationSettingsSchema.safeParse(organisationSettingsOf(config));
    for (const issue of organisation.success ? [] : organisation.error.issues) {
      context.addIssue({
        code: 'custom',
        path: config.residences === undefined ? ['policyId'] : issue.path,
        message: issue.message,
      });
    }
    if (config.exportRetentionDays < config.downloadLinkLifetimeDays) {
      context.addIssue({
        code: 'custom',
        path: ['exportRetentionDays'],
        message: `must be at least downloadLinkLifetimeDays (${config.downloadLinkLifetimeDays}): a link must not outlive its export`,
      });
    }
    if (
      config.region !== undefined &&
      REGIONS_WITHOUT_COGNITO_USER_POOLS.includes(config.region) &&
      config.consoleIssuer === undefined
    ) {
      context.addIssue({
        code: 'custom',
        path: ['consoleIssuer'],
        message: `is required in ${config.region}, which offers no Cognito user pools: name the OIDC provider that signs console users in`,
      });
    }
    if (config.smtpRelay !== undefined && config.senderAddress === undefined) {
      context.addIssue({
        code: 'custom',
        path: ['senderAddress'],
        message: 'is required when smtpRelay is set: it is the From address of relayed mail',
      });
    }
    if (config.smsProvider === 'http' && config.smsHttp === undefined) {
      context.addIssue({
        code: 'custom',
        path: ['smsHttp'],
        message: "is required when smsProvider is 'http'",
      });
    }
    if (config.smsProvider !== 'http' && config.smsHttp !== undefined) {
      context.addIssue({
        code: 'custom',
        path: ['smsHttp'],
        message: "is used only when smsProvider is 'http'",
      });
    }
    if (
      config.smsProvider === 'sns' &&
      config.region !== undefined &&
      REGIONS_WITHOUT_SNS_SMS.includes(config.region)
    ) {
      context.addIssue({
        code: 'custom',
        path: ['smsProvider'],
        message: `Amazon SNS sends no SMS in ${config.region}: use 'http' with an SMS gateway`,
      });
    }
    if (config.emailIntake === 'ses') {
      for (const field of ['domainName', 'senderAddress'] as const) {
        if (config[field] === undefined) {
          context.addIssue({
            code: 'custom',
            path: [field],
            message: "is required when emailIntake is 'ses'",
          });
        }
      }
    }
  });

export type PipelineConfig = z.output<typeof PipelineConfigSchema>;

/** The organisation's settings the functions read (ORGANISATION_SETTINGS; adapters/config/organisation.ts). */
export function organisationSettingsOf(
  config: Pick<PipelineConfig, 'residences' | 'floor' | 'policyId'>,
): unknown {
  return {
    residences: config.residences ?? [
      { code: 'default', name: { zh: '默认', en: 'Default' }, policyId: config.policyId },
    ],
    floor: config.floor,
  };
}
export type PipelineConfigInput = z.input<typeof PipelineConfigSchema>;

const CONFIG_FIELDS: readonly string[] = Object.keys(PipelineConfigSchema.shape);

/**
 * Validates raw configuration and applies defaults.
 * @param source where the values came from, for the error message
 * @throws InvalidConfigError naming every invalid field
 */
export function parsePipelineConfig(raw: unknown, source = 'configuration'): PipelineConfig {
  const result = PipelineConfigSchema.safeParse(raw ?? {});
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const field = issue.path.length > 0 ? issue.path.join('.') : '(root)';
    if (issue.code === 'unrecognized_keys') {
      return `${issue.keys.map((key) => [...issue.path, key].join('.')).join(', ')}: not a configuration field`;
    }
    return `${field}: ${issue.message}`;
  });
  throw new InvalidConfigError(`Invalid DSAR pipeline ${source}:\n  - ${problems.join('\n  - ')}`);
}

/** Context values arrive as strings from `-c key=value`; JSON-looking ones are parsed. */
function contextValue(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}

function readConfigFile(path: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (cause) {
    throw new ConfigFileUnreadableError(`Cannot read DSAR configuration file ${path}`, { cause });
  }
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      throw new ConfigFileUnreadableError(`DSAR configuration file ${path} must hold a JSON object`);
    }
    return parsed as Record<string, unknown>;
  } catch (cause) {
    if (cause instanceof ConfigFileUnreadableError) throw cause;
    throw new ConfigFileUnreadableError(`DSAR configuration file ${path} is not valid JSON`, { cause });
  }
}

/**
 * Reads the configuration from the app's context and the configuration file.
 * @param scope the CDK app (or any construct: context is inherited)
 * @param cwd the directory relative paths are resolved against
 */
export function loadPipelineConfig(scope: Construct, cwd = process.cwd()): PipelineConfig {
  const namedFile = scope.node.tryGetContext(CONFIG_FILE_CONTEXT_KEY) as unknown;
  if (namedFile !== undefined && (typeof namedFile !== 'string' || namedFile.length === 0)) {
    throw new InvalidConfigError(
      `Invalid DSAR pipeline context: ${CONFIG_FILE_CONTEXT_KEY}: must be a file path`,
    );
  }
  const filePath = resolve(cwd, namedFile ?? DEFAULT_CONFIG_FILE);
  const fromFile = namedFile !== undefined || existsSync(filePath) ? readConfigFile(filePath) : {};

  const fromContext: Record<string, unknown> = {};
  for (const field of CONFIG_FIELDS) {
    const value = scope.node.tryGetContext(field) as unknown;
    if (value !== undefined) fromContext[field] = contextValue(value);
  }
  const sources = [
    ...(Object.keys(fromFile).length > 0 ? [filePath] : []),
    ...(Object.keys(fromContext).length > 0 ? ['CDK context'] : []),
  ];
  return parsePipelineConfig(
    { ...fromFile, ...fromContext },
    sources.length > 0 ? `configuration (${sources.join(' + ')})` : 'configuration',
  );
}
