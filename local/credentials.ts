/**
 * The one set of dummy AWS credentials and the region that every local-mode
 * client and server agree on.
 *
 * Why it exists: local mode runs the pipeline's handlers with the ordinary AWS
 * SDK v3 clients, which refuse to sign requests without credentials and a
 * region. Most local servers ignore the credentials, but the S3 server checks
 * presigned-URL signatures against exactly these values, so an expiring
 * download link behaves as on AWS: tampering with it breaks it.
 *
 * These are not secrets: they only work against the loopback-only servers in
 * this folder.
 */

export interface LocalCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
}

export const LOCAL_CREDENTIALS: LocalCredentials = {
  accessKeyId: 'local',
  secretAccessKey: 'local-secret',
};

export const LOCAL_REGION = 'us-east-1';
