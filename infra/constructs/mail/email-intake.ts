/**
 * Email intake with SES receiving: mail to `privacy@<domain>` is stored in the
 * inbound bucket and the intake function is invoked asynchronously. SES must
 * be allowed to write the bucket and to use its KMS key (the bucket's default
 * SSE-KMS encryption); nothing else is.
 *
 * CloudFormation cannot activate a receipt rule set: after the first deploy,
 * `aws ses set-active-receipt-rule-set --rule-set-name <name>` (infra/README.md).
 */
import { Stack } from 'aws-cdk-lib';
import { Effect, PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import { ReceiptRuleSet, TlsPolicy } from 'aws-cdk-lib/aws-ses';
import { Lambda, LambdaInvocationType, S3 } from 'aws-cdk-lib/aws-ses-actions';
import { Construct } from 'constructs';
import type { PipelineFunction } from '../functions/pipeline-function';

/** Key prefix of received mail in the inbound bucket. */
export const INBOUND_MAIL_PREFIX = 'inbound/';

/** The variable that tells the intake function the prefix (adapters/aws/inbound-mail.ts). */
export const INBOUND_MAIL_PREFIX_VARIABLE = 'INBOUND_MAIL_PREFIX';

/** The mailbox that receives requests, at the configured domain. */
export const REQUEST_MAILBOX = 'privacy';

export interface EmailIntakeProps {
  /** Mail domain whose `privacy@` mailbox receives requests (its MX must point at SES). */
  readonly domainName: string;
  /** Where SES stores the raw mail. */
  readonly bucket: IBucket;
  /** The bucket's default encryption key. */
  readonly bucketKey: IKey;
  /** Turns the stored mail into a request. */
  readonly intake: PipelineFunction;
}

export class EmailIntake extends Construct {
  public readonly ruleSet: ReceiptRuleSet;
  /** The address requests are mailed to. */
  public readonly recipient: string;

  constructor(scope: Construct, id: string, props: EmailIntakeProps) {
    super(scope, id);
    const stack = Stack.of(this);
    this.recipient = `${REQUEST_MAILBOX}@${props.domainName}`;

    // SES's PutObject is encrypted by S3 with the bucket key on SES's behalf.
    props.bucketKey.addToResourcePolicy(
      new PolicyStatement({
        effect: Effect.ALLOW,
        principals: [new ServicePrincipal('ses.amazonaws.com')],
        actions: ['kms:GenerateDataKey', 'kms:Encrypt'],
        resources: ['*'],
        conditions: {
          StringEquals: {
            'aws:SourceAccount': stack.account,
            'kms:ViaService': `s3.${stack.region}.${stack.urlSuffix}`,
          },
        },
      }),
    );

    // The Lambda action's event does not name the stored object: the function rebuilds its key.
    props.intake.function.addEnvironment(INBOUND_MAIL_PREFIX_VARIABLE, INBOUND_MAIL_PREFIX);

    this.ruleSet = new ReceiptRuleSet(this, 'RuleSet', {
      rules: [
        {
          recipients: [this.recipient],
          scanEnabled: true,
          tlsPolicy: TlsPolicy.REQUIRE,
          actions: [
            // The S3 action adds the bucket policy statement letting SES put objects under the prefix.
            new S3({ bucket: props.bucket, objectKeyPrefix: INBOUND_MAIL_PREFIX }),
            new Lambda({ function: props.intake.function, invocationType: LambdaInvocationType.EVENT }),
          ],
        },
      ],
    });
  }
}
