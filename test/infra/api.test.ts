import type { CfnElement, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { Code, Function as LambdaFunction, Runtime } from 'aws-cdk-lib/aws-lambda';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RouteDefinition } from '../../definitions/routes';
import { ACCESS_LOG_FIELDS, IntakeApi, InvalidRouteError } from '../../infra/constructs/api/intake-api';
import {
  CONSOLE_ROUTE,
  FIXTURE_ROUTES,
  PUBLIC_ROUTE,
  SECOND_CONSOLE_ROUTE,
} from '../fixtures/infra/definitions';
import { testStack } from './support/cdk';

/** Inline stand-ins: the API only needs something to integrate with, not bundled handlers. */
function standInFunctions(stack: Stack, ids: readonly string[]) {
  return Object.fromEntries(
    ids.map((id) => [
      id,
      new LambdaFunction(stack, id, {
        runtime: Runtime.NODEJS_22_X,
        handler: 'index.handler',
        code: Code.fromInline('exports.handler = async () => ({ statusCode: 200 });'),
      }),
    ]),
  );
}

type Resource = { Type: string; Properties: Record<string, unknown> };

describe('IntakeApi', () => {
  let stack: Stack;
  let api: IntakeApi;
  let template: Template;
  let routes: Resource[];

  beforeAll(() => {
    stack = testStack();
    api = new IntakeApi(stack, 'Api', {
      routes: FIXTURE_ROUTES,
      functions: standInFunctions(stack, ['Intake', 'ConsoleReader']),
    });
    template = Template.fromStack(stack);
    routes = Object.values(template.toJSON().Resources as Record<string, Resource>).filter(
      (resource) => resource.Type === 'AWS::ApiGatewayV2::Route',
    );
  });

  const routeFor = (route: RouteDefinition) =>
    routes.find((resource) => resource.Properties.RouteKey === `${route.method} ${route.path}`);
  const logicalId = (construct: { node: { defaultChild?: unknown } }) =>
    stack.getLogicalId(construct.node.defaultChild as CfnElement);

  it('creates one route per route definition', () => {
    expect(routes.map((route) => route.Properties.RouteKey).sort()).toEqual(
      FIXTURE_ROUTES.map((route) => `${route.method} ${route.path}`).sort(),
    );
  });

  it.each(
    [CONSOLE_ROUTE, SECOND_CONSOLE_ROUTE].map((route) => [`${route.method} ${route.path}`, route] as const),
  )('requires a console JWT on %s', (_key, route) => {
    expect(routeFor(route)?.Properties).toMatchObject({
      AuthorizationType: 'JWT',
      AuthorizerId: expect.anything(),
    });
  });

  it('leaves public routes without an authoriser', () => {
    const properties = routeFor(PUBLIC_ROUTE)?.Properties;
    expect(properties?.AuthorizationType ?? 'NONE').toBe('NONE');
    expect(properties?.AuthorizerId).toBeUndefined();
  });

  it('trusts JWTs issued by the console user pool to its app client', () => {
    const poolId = logicalId(api.userPool!);
    template.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      AuthorizerType: 'JWT',
      IdentitySource: ['$request.header.Authorization'],
      JwtConfiguration: {
        Issuer: { 'Fn::Join': ['', ['https://', { 'Fn::GetAtt': [poolId, 'ProviderURL'] }]] },
        Audience: [{ Ref: logicalId(api.userPoolClient!) }],
      },
    });
  });

  it('lets only administrators create console users, with strong passwords and required TOTP MFA', () => {
    template.hasResourceProperties('AWS::Cognito::UserPool', {
      AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
      Policies: {
        PasswordPolicy: {
          MinimumLength: 14,
          RequireLowercase: true,
          RequireUppercase: true,
          RequireNumbers: true,
          RequireSymbols: true,
        },
      },
      MfaConfiguration: 'ON',
      EnabledMfas: ['SOFTWARE_TOKEN_MFA'],
      UserPoolTier: 'PLUS',
      UserPoolAddOns: { AdvancedSecurityMode: 'ENFORCED' },
    });
  });

  it.each(['agent', 'supervisor', 'auditor'])('creates the %s group', (groupName) => {
    template.hasResourceProperties('AWS::Cognito::UserPoolGroup', { GroupName: groupName });
  });

  it('gives the console a public app client without a secret', () => {
    template.hasResourceProperties('AWS::Cognito::UserPoolClient', {
      GenerateSecret: false,
      PreventUserExistenceErrors: 'ENABLED',
      EnableTokenRevocation: true,
    });
  });

  it('throttles the stage with the default rate and burst', () => {
    template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: '$default',
      AutoDeploy: true,
      DefaultRouteSettings: { ThrottlingRateLimit: 20, ThrottlingBurstLimit: 40 },
    });
  });

  it('logs access with $context fields only, none of which identify a person', () => {
    const stage = Object.values(template.toJSON().Resources as Record<string, Resource>).find(
      (resource) => resource.Type === 'AWS::ApiGatewayV2::Stage',
    );
    const settings = stage?.Properties.AccessLogSettings as { Format: string; DestinationArn: unknown };
    expect(settings.DestinationArn).toEqual({ 'Fn::GetAtt': [logicalId(api.accessLogGroup), 'Arn'] });
    const format = JSON.parse(settings.Format) as Record<string, string>;
    expect(format).toEqual(ACCESS_LOG_FIELDS);
    for (const value of Object.values(format)) expect(value).toMatch(/^\$context\.[A-Za-z.]+$/);
    expect(settings.Format).not.toMatch(/sourceIp|userAgent|\$context\.path|claims|identity/);
  });

  it('outputs the API URL', () => {
    template.hasOutput('*', { Description: 'Base URL of the DSAR HTTP API', Value: Match.anyValue() });
  });

  it('takes console tokens from an external OIDC issuer instead of creating a user pool', () => {
    const otherStack = testStack();
    new IntakeApi(otherStack, 'Api', {
      routes: [CONSOLE_ROUTE],
      functions: standInFunctions(otherStack, ['ConsoleReader']),
      consoleIssuer: { issuerUrl: 'https://login.example.cn/oidc', audience: ['dsar-console'] },
    });
    const otherTemplate = Template.fromStack(otherStack);
    otherTemplate.resourceCountIs('AWS::Cognito::UserPool', 0);
    otherTemplate.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      JwtConfiguration: { Issuer: 'https://login.example.cn/oidc', Audience: ['dsar-console'] },
    });
  });

  it.each([
    [
      'a route naming a function that does not exist',
      [{ ...CONSOLE_ROUTE, functionId: 'Ghost' }],
      /function 'Ghost'/,
    ],
    ['the same route twice', [PUBLIC_ROUTE, PUBLIC_ROUTE], /POST \/v1\/requests is declared twice/],
  ])('refuses %s', (_case, badRoutes, message) => {
    const build = () => {
      const otherStack = testStack();
      new IntakeApi(otherStack, 'Api', {
        routes: badRoutes,
        functions: standInFunctions(otherStack, ['Intake', 'ConsoleReader']),
      });
    };
    expect(build).toThrow(InvalidRouteError);
    expect(build).toThrow(message);
  });
});
