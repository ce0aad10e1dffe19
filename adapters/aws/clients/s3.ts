import { S3Client } from '@aws-sdk/client-s3';

// Path-style addressing is switched on by S3_FORCE_PATH_STYLE=true because a
// loopback S3 server has no bucket subdomains; on AWS it stays virtual-hosted.
export const s3 = new S3Client({ forcePathStyle: process.env.S3_FORCE_PATH_STYLE === 'true' });
