/**
 * Amazon SNS, for one call: `Publish` to a phone number (an SMS). The AWS query protocol over
 * `fetch`, signed with SigV4 (@smithy/signature-v4, which the AWS SDK itself uses) with the default
 * credential chain, so it runs on Lambda with the function's role and locally with the stack's keys.
 *
 * Why not @aws-sdk/client-sns: it is not a dependency of this project yet (adding it needs a lockfile
 * change); this client speaks the same wire protocol, so swapping it in later changes nothing else.
 * Like the SDK's clients, the endpoint comes from AWS_ENDPOINT_URL_SNS (then AWS_ENDPOINT_URL), which
 * is all that local mode changes: there it is the local SMS outbox (local/sms-outbox.ts).
 */
import { createHash, createHmac, type Hash, type Hmac } from 'node:crypto';
import { defaultProvider } from '@aws-sdk/credential-provider-node';
import { SignatureV4 } from '@smithy/signature-v4';
import type { SourceData } from '@smithy/types';
import { PermanentError, TransientError } from '../../../domain/errors';

const API_VERSION = '2010-03-31';
const TIMEOUT_MS = 10_000;

/** SNS (or the network) failed in a way a later try may not: throttling, 5xx, no answer. */
export class SnsUnavailable extends TransientError {
  override readonly name = 'SnsUnavailable' as const;
  readonly code = 'sns-unavailable';
}

/** SNS refused the message (a bad number, an opted-out phone, no SMS permission): a retry fails the same way. */
export class SnsRefused extends PermanentError {
  override readonly name = 'SnsRefused' as const;
  readonly code = 'sns-refused';
}

export interface PublishSmsInput {
  /** E.164: `+` and digits. */
  readonly phoneNumber: string;
  readonly message: string;
  /** `Transactional` (one-time codes: delivered first) or `Promotional`. @default 'Transactional' */
  readonly smsType?: 'Transactional' | 'Promotional';
}

function bytes(data: SourceData): string | Uint8Array {
  if (typeof data === 'string') return data;
  if (ArrayBuffer.isView(data)) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  return new Uint8Array(data);
}

/** SHA-256 and its HMAC from node:crypto, in the shape SignatureV4 asks for. */
class NodeSha256 {
  private readonly hash: Hash | Hmac;
  constructor(secret?: SourceData) {
    this.hash = secret === undefined ? createHash('sha256') : createHmac('sha256', bytes(secret));
  }
  update(data: SourceData): void {
    this.hash.update(bytes(data));
  }
  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.hash.digest());
  }
  reset(): void {
    throw new Error('NodeSha256 is single-use');
  }
}

function region(): string {
  const value = process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION;
  if (value === undefined || value === '') throw new SnsRefused('AWS_REGION is not set');
  return value;
}

function endpoint(regionName: string): URL {
  const configured = process.env.AWS_ENDPOINT_URL_SNS ?? process.env.AWS_ENDPOINT_URL;
  if (configured !== undefined && configured !== '') return new URL(configured);
  const suffix = regionName.startsWith('cn-') ? 'amazonaws.com.cn' : 'amazonaws.com';
  return new URL(`https://sns.${regionName}.${suffix}/`);
}

/** The form body of a Publish call, as the SDK would send it. */
export function publishBody(input: PublishSmsInput): string {
  return new URLSearchParams({
    Action: 'Publish',
    Version: API_VERSION,
    PhoneNumber: input.phoneNumber,
    Message: input.message,
    'MessageAttributes.entry.1.Name': 'AWS.SNS.SMS.SMSType',
    'MessageAttributes.entry.1.Value.DataType': 'String',
    'MessageAttributes.entry.1.Value.StringValue': input.smsType ?? 'Transactional',
  }).toString();
}

function xmlElement(xml: string, name: string): string | undefined {
  return new RegExp(`<${name}>([^<]*)</${name}>`).exec(xml)?.[1];
}

const credentials = defaultProvider();

/** Publishes one SMS and returns SNS's message id. Errors carry SNS's error code, never the message or number. */
export async function publishSms(input: PublishSmsInput): Promise<string> {
  const regionName = region();
  const url = endpoint(regionName);
  const body = publishBody(input);
  const signer = new SignatureV4({ credentials, region: regionName, service: 'sns', sha256: NodeSha256 });
  const signed = await signer.sign({
    method: 'POST',
    protocol: url.protocol,
    hostname: url.hostname,
    ...(url.port === '' ? {} : { port: Number(url.port) }),
    path: url.pathname,
    query: {},
    headers: {
      host: url.host,
      'content-type': 'application/x-www-form-urlencoded; charset=utf-8',
    },
    body,
  });
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: signed.headers,
      body,
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
  } catch (cause) {
    throw new SnsUnavailable('SNS did not answer', { cause });
  }
  const text = await response.text();
  if (response.ok) {
    const messageId = xmlElement(text, 'MessageId');
    if (messageId === undefined) throw new SnsUnavailable('SNS answered Publish without a MessageId');
    return messageId;
  }
  const code = xmlElement(text, 'Code') ?? 'UnknownError';
  const detail = `SNS Publish: ${response.status} ${code}`;
  const transient = response.status >= 500 || response.status === 429 || /Throttl/i.test(code);
  throw transient ? new SnsUnavailable(detail) : new SnsRefused(detail);
}
