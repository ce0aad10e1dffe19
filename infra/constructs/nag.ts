/**
 * cdk-nag findings accepted on purpose. cdk-nag 3 is a CDK policy-validation
 * plugin; a finding is acknowledged through CDK's `Validations` API with the
 * exact rule id, and for granular rules (IAM5, IAM4) the exact finding, e.g.
 * `AwsSolutions-IAM5[Action::s3:GetObject*]` (v2's `appliesTo`).
 */
import { Validations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

/** An acknowledgement whose reason does not say why. */
export class UnexplainedAcknowledgementError extends Error {
  override name = 'UnexplainedAcknowledgementError' as const;
}

export interface NagFinding {
  /** Rule id, with the finding in brackets for granular rules. */
  readonly id: string;
  /** Why the finding is acceptable here: specific to this resource, never generic. */
  readonly reason: string;
}

/** Acknowledges findings on a construct and everything below it. */
export function acknowledgeFindings(scope: IConstruct, findings: readonly NagFinding[]): void {
  const seen = new Set<string>();
  for (const finding of findings) {
    if (seen.has(finding.id)) continue;
    seen.add(finding.id);
    if (finding.reason.trim().length < 20) {
      throw new UnexplainedAcknowledgementError(
        `The acknowledgement of ${finding.id} needs a specific reason`,
      );
    }
    Validations.of(scope).acknowledge({ id: finding.id, reason: finding.reason });
  }
}
