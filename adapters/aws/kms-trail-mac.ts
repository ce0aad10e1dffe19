/**
 * The trail MAC (app/ports.ts TrailMac) on a KMS HMAC key (KeySpec HMAC_256, KeyUsage
 * GENERATE_VERIFY_MAC): the key never leaves KMS, and IAM decides who may make MACs (the functions
 * that write events: kms:GenerateMac) and who may check them (the verifiers: kms:VerifyMac). The
 * message is the event hash's 32 bytes. Locally the same client talks to local/kms.ts
 * (AWS_ENDPOINT_URL_KMS), whose key is a file in the state directory.
 */
import {
  GenerateMacCommand,
  type KMSClient,
  KMSInvalidMacException,
  VerifyMacCommand,
} from '@aws-sdk/client-kms';
import type { TrailMac } from '../../app/ports';
import { AUDIT_TRAIL_KEY_VARIABLE } from '../../definitions/functions';
import { kms } from './clients/kms';
import { requiredEnv } from './runtime';

export { AUDIT_TRAIL_KEY_VARIABLE };

const MAC_ALGORITHM = 'HMAC_SHA_256';
const HASH = /^[0-9a-f]{64}$/;

export class KmsTrailMac implements TrailMac {
  constructor(
    private readonly client: KMSClient,
    /** Read when used, so that local mode may set the environment after import. */
    private readonly keyId: () => string = () => requiredEnv(AUDIT_TRAIL_KEY_VARIABLE),
  ) {}

  async sign(hash: string): Promise<string> {
    const { Mac } = await this.client.send(
      new GenerateMacCommand({
        KeyId: this.keyId(),
        MacAlgorithm: MAC_ALGORITHM,
        Message: Buffer.from(hash, 'hex'),
      }),
    );
    if (Mac === undefined) throw new Error('KMS GenerateMac answered without a MAC');
    return Buffer.from(Mac).toString('base64');
  }

  async verify(hash: string, mac: string): Promise<boolean> {
    if (!HASH.test(hash) || mac === '') return false;
    try {
      const { MacValid } = await this.client.send(
        new VerifyMacCommand({
          KeyId: this.keyId(),
          MacAlgorithm: MAC_ALGORITHM,
          Message: Buffer.from(hash, 'hex'),
          Mac: Buffer.from(mac, 'base64'),
        }),
      );
      return MacValid === true;
    } catch (error) {
      // KMS answers a MAC that does not verify with an error, not with MacValid false.
      if (error instanceof KMSInvalidMacException) return false;
      throw error;
    }
  }
}

/** The trail MAC of this function, on the key named by AUDIT_TRAIL_KEY_ID. */
export const trailMac: TrailMac = new KmsTrailMac(kms);
