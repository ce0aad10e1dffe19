/**
 * S3 bucket definitions shared by local mode and the CDK stack.
 * Plain data, no aws-cdk-lib imports.
 */

export interface BucketDefinition {
  readonly id: string;
  readonly envVar: string;
  /** Days after which objects are deleted by a lifecycle rule (the local sweeper does the same). */
  readonly expireAfterDays?: number;
  readonly versioned: boolean;
  /**
   * Object Lock in compliance mode: every object version cannot be changed or deleted by anyone for
   * this many days after it is written (the deployment may configure another value). Needs
   * `versioned`. Local mode (s3rver) does not enforce it.
   */
  readonly lockedForDays?: number;
  readonly purpose: string;
}

/** Raw inbound email, written by SES's S3 receipt action (or the local SMTP listener). */
export const INBOUND_MAIL_BUCKET: BucketDefinition = {
  id: 'InboundMail',
  envVar: 'INBOUND_BUCKET',
  expireAfterDays: 30,
  versioned: false,
  purpose: 'Raw inbound request email as received',
};

/** Identity documents and other attachments, kept with the request they prove. */
export const EVIDENCE_BUCKET: BucketDefinition = {
  id: 'Evidence',
  envVar: 'EVIDENCE_BUCKET',
  versioned: true,
  purpose: 'Identity documents and attachments submitted with requests',
};

/**
 * Per-store export files (JSON Lines) written by the fulfilment workflow's
 * store tasks and read once by the packaging task: short-lived working data.
 */
export const STAGING_BUCKET: BucketDefinition = {
  id: 'Staging',
  envVar: 'STAGING_BUCKET',
  expireAfterDays: 7,
  versioned: false,
  purpose: 'Working files of the fulfilment workflow (per-store exports before packaging)',
};

/** Zipped export packages, delivered through expiring download links. */
export const EXPORTS_BUCKET: BucketDefinition = {
  id: 'Exports',
  envVar: 'EXPORTS_BUCKET',
  expireAfterDays: 7,
  versioned: false,
  purpose: 'Export packages for access, copy and portability requests',
};

/**
 * The daily anchors of the audit trails (app/audit/anchor-trails.ts): one object per anchor, written
 * by the sweeper, never changed. Locked so that whoever can rewrite the tables cannot also rewrite
 * the anchors the trails are checked against.
 */
export const AUDIT_ANCHORS_BUCKET: BucketDefinition = {
  id: 'AuditAnchors',
  envVar: 'AUDIT_ANCHORS_BUCKET',
  versioned: true,
  lockedForDays: 400,
  purpose: 'Daily Merkle anchors of every audit trail head, under Object Lock (compliance mode)',
};

export const PIPELINE_BUCKETS: readonly BucketDefinition[] = [
  INBOUND_MAIL_BUCKET,
  EVIDENCE_BUCKET,
  STAGING_BUCKET,
  EXPORTS_BUCKET,
  AUDIT_ANCHORS_BUCKET,
];
