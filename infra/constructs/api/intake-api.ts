/**
 * The HTTP API: the public intake routes (web form, status, downloads) and the
 * operators' console routes, from the shared route table (definitions/routes.ts),
 * which the local API emulator also serves. Console routes need a JWT from the
 * console user pool; public routes carry their own proofs (codes, tokens).
 */
import { CfnOutput, Duration, RemovalPolicy } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import {
  HttpApi,
  HttpMethod,
  type HttpRoute,
  HttpStage,
  LogGroupLogDestination,
} from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpJwtAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import {
  AccountRecovery,
  FeaturePlan,
  Mfa,
  StandardThreatProtectionMode,
  UserPool,
  type UserPoolClient,
} from 'aws-cdk-lib/aws-cognito';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { PIPELINE_ROUTES, type RouteDefinition } from '../../../definitions/routes';
import { acknowledgeFindings } from '../nag';
import { DEFAULT_API_THROTTLE, DEFAULT_LOG_RETENTION } from '../secure-defaults';

/** The console's user groups; handlers authorise on the `cognito:groups` claim. */
export const CONSOLE_GROUPS = {
  agent: 'Handles requests: reviews identity evidence, answers and fulfils requests.',
  supervisor: 'Approves sensitive steps (deletion, refusals, extensions) and reassigns work.',
  auditor: 'Reads requests and the audit trail; changes nothing.',
} as const;
export type ConsoleGroup = keyof typeof CONSOLE_GROUPS;

/**
 * Access log fields: `$context` variables only, and none that identify a person
 * (no source IP, user agent, raw path or token claims). `routeKey` names the
 * route template, so request ids in paths never reach the log.
 */
export const ACCESS_LOG_FIELDS: Readonly<Record<string, string>> = {
  requestId: '$context.requestId',
  requestTimeEpoch: '$context.requestTimeEpoch',
  routeKey: '$context.routeKey',
  status: '$context.status',
  protocol: '$context.protocol',
  responseLength: '$context.responseLength',
  responseLatency: '$context.responseLatency',
  integrationStatus: '$context.integrationStatus',
  integrationLatency: '$context.integrationLatency',
  integrationError: '$context.integrationErrorMessage',
  authorizerError: '$context.authorizer.error',
  error: '$context.error.message',
};

export interface ApiThrottle {
  /** Steady-state requests per second. */
  readonly rateLimit: number;
  /** Burst capacity in requests. */
  readonly burstLimit: number;
}

/** An OIDC provider outside AWS that issues the console's access tokens. */
export interface ConsoleIssuer {
  /** The tokens' `iss` claim, an https URL serving OIDC discovery. */
  readonly issuerUrl: string;
  /** Accepted `aud` (or `client_id`) values. */
  readonly audience: readonly string[];
}

export interface IntakeApiProps {
  /**
   * Route table.
   * @default PIPELINE_ROUTES
   */
  readonly routes?: readonly RouteDefinition[];
  /** Handlers by `FunctionDefinition.id`; every route's `functionId` must be here. */
  readonly functions: Readonly<Record<string, IFunction>>;
  /**
   * Stage throttling.
   * @default { rateLimit: 20, burstLimit: 40 }
   */
  readonly throttle?: ApiThrottle;
  /**
   * Retention of the access log group.
   * @default RetentionDays.ONE_YEAR
   */
  readonly logRetention?: RetentionDays;
  /**
   * Removal policy of the user pool and the access log group.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
  /**
   * Cognito feature plan. PLUS turns on threat protection (compromised
   * credentials, adaptive authentication) in enforcing mode.
   * @default FeaturePlan.PLUS
   */
  readonly featurePlan?: FeaturePlan.PLUS | FeaturePlan.ESSENTIALS;
  /**
   * Multi-factor authentication for console users (TOTP apps; no SMS). A console user can release or
   * erase a person's data, so a password alone is not enough unless the deployer says so.
   * @default Mfa.REQUIRED
   */
  readonly mfa?: Mfa;
  /**
   * Who signs console users in. Given an external issuer, no user pool is created
   * and `featurePlan` and `mfa` do not apply (the provider enforces its own).
   * @default - a Cognito user pool with the console groups and an app client
   */
  readonly consoleIssuer?: ConsoleIssuer;
}

/** A route that cannot be wired (unknown function, duplicate route). */
export class InvalidRouteError extends Error {
  override name = 'InvalidRouteError' as const;
}

export class IntakeApi extends Construct {
  public readonly httpApi: HttpApi;
  public readonly stage: HttpStage;
  /** The API's base URL (the `$default` stage). */
  public readonly url: string;
  /** The console user pool; absent when an external `consoleIssuer` signs users in. */
  public readonly userPool?: UserPool;
  /** The console's app client; absent with an external `consoleIssuer`. */
  public readonly userPoolClient?: UserPoolClient;
  /** The JWT authoriser attached to every `console` route. */
  public readonly authorizer: HttpJwtAuthorizer;
  public readonly accessLogGroup: LogGroup;
  /** Routes by `METHOD path`. */
  public readonly routes: Readonly<Record<string, HttpRoute>>;

  constructor(scope: Construct, id: string, props: IntakeApiProps) {
    super(scope, id);
    const routes = props.routes ?? PIPELINE_ROUTES;
    const throttle = props.throttle ?? DEFAULT_API_THROTTLE;
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;
    const featurePlan = props.featurePlan ?? FeaturePlan.PLUS;
    const mfa = props.mfa ?? Mfa.REQUIRED;

    // Validate.
    const seenRoutes = new Set<string>();
    for (const route of routes) {
      const key = `${route.method} ${route.path}`;
      if (seenRoutes.has(key)) throw new InvalidRouteError(`Route ${key} is declared twice`);
      seenRoutes.add(key);
      if (!Object.hasOwn(props.functions, route.functionId)) {
        throw new InvalidRouteError(
          `Route ${key} names function '${route.functionId}', which is not among the pipeline functions (${Object.keys(props.functions).join(', ') || 'none'})`,
        );
      }
    }
    for (const [name, value] of [
      ['rateLimit', throttle.rateLimit],
      ['burstLimit', throttle.burstLimit],
    ] as const) {
      if (!Number.isFinite(value) || value <= 0) {
        throw new InvalidRouteError(`throttle.${name} must be a positive number (got ${value})`);
      }
    }
    if (props.consoleIssuer !== undefined) {
      if (!props.consoleIssuer.issuerUrl.startsWith('https://')) {
        throw new InvalidRouteError(
          `consoleIssuer.issuerUrl must be an https URL (got ${props.consoleIssuer.issuerUrl})`,
        );
      }
      if (props.consoleIssuer.audience.length === 0) {
        throw new InvalidRouteError('consoleIssuer.audience must name at least one audience');
      }
    }

    // Build: who signs console users in.
    if (props.consoleIssuer === undefined) {
      const { userPool, userPoolClient } = this.buildUserPool(featurePlan, mfa, removalPolicy);
      this.userPool = userPool;
      this.userPoolClient = userPoolClient;
      // `userPoolProviderUrl` comes from CloudFormation, so the issuer is right in
      // every partition (the L2 user-pool authoriser assumes amazonaws.com).
      this.authorizer = new HttpJwtAuthorizer('ConsoleJwt', `https://${userPool.userPoolProviderUrl}`, {
        jwtAudience: [userPoolClient.userPoolClientId],
      });
    } else {
      this.authorizer = new HttpJwtAuthorizer('ConsoleJwt', props.consoleIssuer.issuerUrl, {
        jwtAudience: [...props.consoleIssuer.audience],
      });
    }

    // Build: API, stage, access log.
    this.httpApi = new HttpApi(this, 'HttpApi', {
      description: 'DSAR pipeline: public intake and operators console',
      createDefaultStage: false,
    });
    this.accessLogGroup = new LogGroup(this, 'AccessLogs', {
      retention: props.logRetention ?? DEFAULT_LOG_RETENTION,
      removalPolicy,
    });
    this.stage = new HttpStage(this, 'DefaultStage', {
      httpApi: this.httpApi,
      autoDeploy: true,
      throttle: { rateLimit: throttle.rateLimit, burstLimit: throttle.burstLimit },
      accessLogSettings: {
        destination: new LogGroupLogDestination(this.accessLogGroup),
        format: AccessLogFormat.custom(JSON.stringify(ACCESS_LOG_FIELDS)),
      },
    });
    this.url = this.stage.url;

    // Wire: one integration per function, one route per definition.
    const integrations = new Map<string, HttpLambdaIntegration>();
    const builtRoutes: Record<string, HttpRoute> = {};
    for (const route of routes) {
      let integration = integrations.get(route.functionId);
      if (integration === undefined) {
        integration = new HttpLambdaIntegration(
          `${route.functionId}Integration`,
          props.functions[route.functionId]!,
        );
        integrations.set(route.functionId, integration);
      }
      const [httpRoute] = this.httpApi.addRoutes({
        path: route.path,
        methods: [HttpMethod[route.method]],
        integration,
        authorizer: route.auth === 'console' ? this.authorizer : undefined,
      });
      if (httpRoute === undefined)
        throw new InvalidRouteError(`Route ${route.method} ${route.path} was not created`);
      builtRoutes[`${route.method} ${route.path}`] = httpRoute;
      if (route.auth === 'public') {
        acknowledgeFindings(httpRoute, [
          {
            id: 'AwsSolutions-APIG4',
            reason: `Public route (${route.summary}): data subjects have no console account; the handler checks the one-time code or hashed bearer token the route requires.`,
          },
        ]);
      }
    }
    this.routes = builtRoutes;

    new CfnOutput(this, 'ApiUrl', { description: 'Base URL of the DSAR HTTP API', value: this.url });
    if (this.userPool !== undefined && this.userPoolClient !== undefined) {
      new CfnOutput(this, 'UserPoolId', {
        description: 'Console user pool',
        value: this.userPool.userPoolId,
      });
      new CfnOutput(this, 'UserPoolClientId', {
        description: 'Console app client',
        value: this.userPoolClient.userPoolClientId,
      });
    }
  }

  /** The console user pool: invited users only, strong passwords, TOTP MFA, the three console groups. */
  private buildUserPool(
    featurePlan: FeaturePlan,
    mfa: Mfa,
    removalPolicy: RemovalPolicy,
  ): { userPool: UserPool; userPoolClient: UserPoolClient } {
    const userPool = new UserPool(this, 'ConsoleUsers', {
      selfSignUpEnabled: false,
      signInAliases: { email: true },
      signInCaseSensitive: false,
      autoVerify: { email: true },
      passwordPolicy: {
        minLength: 14,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
        tempPasswordValidity: Duration.days(3),
      },
      mfa,
      mfaSecondFactor: { otp: true, sms: false },
      accountRecovery: AccountRecovery.EMAIL_ONLY,
      featurePlan,
      ...(featurePlan === FeaturePlan.PLUS
        ? { standardThreatProtectionMode: StandardThreatProtectionMode.FULL_FUNCTION }
        : {}),
      deletionProtection: removalPolicy === RemovalPolicy.RETAIN,
      removalPolicy,
    });
    for (const [groupName, description] of Object.entries(CONSOLE_GROUPS)) {
      userPool.addGroup(`${capitalise(groupName)}Group`, { groupName, description });
    }
    const userPoolClient = userPool.addClient('ConsoleClient', {
      authFlows: { userSrp: true },
      generateSecret: false,
      // The console's sign-in flow decides its OAuth settings; none until then.
      disableOAuth: true,
      preventUserExistenceErrors: true,
      enableTokenRevocation: true,
      accessTokenValidity: Duration.hours(1),
      idTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.hours(12),
    });

    // Accepted findings, each tied to a prop the deployer chose.
    if (mfa !== Mfa.REQUIRED) {
      acknowledgeFindings(userPool, [
        {
          id: 'AwsSolutions-COG2',
          reason:
            'The deployer made MFA optional (consoleMfa: optional), e.g. while rolling out TOTP apps; each user may still enrol one.',
        },
      ]);
    }
    if (featurePlan !== FeaturePlan.PLUS) {
      acknowledgeFindings(userPool, [
        {
          id: 'AwsSolutions-COG8',
          reason:
            'The deployer chose the Essentials feature plan (userPoolFeaturePlan), e.g. where Plus is not offered; password policy and TOTP MFA still apply.',
        },
      ]);
    }
    return { userPool, userPoolClient };
  }
}

function capitalise(word: string): string {
  return `${word.charAt(0).toUpperCase()}${word.slice(1)}`;
}
