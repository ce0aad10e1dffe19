/**
 * Read access to secrets the stack does not create (an SMTP relay's
 * credentials, connector credentials), named by ARN or by name. Exactly
 * `secretsmanager:GetSecretValue` on exactly those secrets, plus
 * `kms:Decrypt` through Secrets Manager only when a customer-managed key
 * encrypts one: the functions read secrets through Powertools Parameters,
 * which calls nothing else.
 */
import { Arn, ArnFormat, Stack } from 'aws-cdk-lib';
import { Effect, type IRole, PolicyStatement } from 'aws-cdk-lib/aws-iam';

/** A secret by full ARN or by name (then in the stack's partition, region and account). */
export interface SecretReference {
  /** The secret's complete ARN (with Secrets Manager's six-character suffix). */
  readonly arn?: string;
  /** The secret's name; must not end in a hyphen and six characters, which would read as a suffix. */
  readonly name?: string;
  /** The customer-managed KMS key that encrypts the secret. @default the AWS-managed key `aws/secretsmanager` */
  readonly kmsKeyArn?: string;
}

/** A secret reference with neither or both of `arn` and `name`. */
export class InvalidSecretReferenceError extends Error {
  override name = 'InvalidSecretReferenceError' as const;
}

/** What a function passes to GetSecretValue as `SecretId`: the ARN, else the name (resolved in its own region and account). */
export function secretIdOf(reference: SecretReference): string {
  return onlyOne(reference).value;
}

/**
 * The ARN an IAM statement names: the ARN itself, or for a name every ARN
 * Secrets Manager may give it (`<name>-??????`: the suffix is chosen at
 * creation). `?` matches one character only, so another secret whose name
 * merely starts with this one is not included.
 */
export function secretResourceArn(stack: Stack, reference: SecretReference): string {
  const { kind, value } = onlyOne(reference);
  if (kind === 'arn') return value;
  return Arn.format(
    {
      service: 'secretsmanager',
      resource: 'secret',
      resourceName: `${value}-??????`,
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    },
    stack,
  );
}

/** Lets `role` read the referenced secrets and nothing else. */
export function grantSecretRead(role: IRole, references: readonly SecretReference[]): void {
  if (references.length === 0) return;
  const stack = Stack.of(role);
  const arns = [...new Set(references.map((reference) => secretResourceArn(stack, reference)))];
  role.addToPrincipalPolicy(
    new PolicyStatement({
      effect: Effect.ALLOW,
      actions: ['secretsmanager:GetSecretValue'],
      resources: arns.sort(),
    }),
  );
  const keys = [...new Set(references.flatMap((reference) => reference.kmsKeyArn ?? []))];
  if (keys.length > 0) {
    role.addToPrincipalPolicy(
      new PolicyStatement({
        effect: Effect.ALLOW,
        actions: ['kms:Decrypt'],
        resources: keys.sort(),
        // The key decrypts for this role only when Secrets Manager asks (urlSuffix: amazonaws.com.cn in China).
        conditions: {
          StringEquals: { 'kms:ViaService': `secretsmanager.${stack.region}.${stack.urlSuffix}` },
        },
      }),
    );
  }
}

function onlyOne(reference: SecretReference): { kind: 'arn' | 'name'; value: string } {
  if (reference.arn !== undefined && reference.name === undefined)
    return { kind: 'arn', value: reference.arn };
  if (reference.name !== undefined && reference.arn === undefined)
    return { kind: 'name', value: reference.name };
  throw new InvalidSecretReferenceError('A secret is referenced by exactly one of arn and name');
}
