/**
 * Outbound SMS, chosen by SMS_PROVIDER:
 *
 * - `sns`: Amazon SNS `Publish` to the phone number (clients/sns.ts). Local mode points
 *   AWS_ENDPOINT_URL_SNS at the SMS outbox.
 * - `http`: an SMS gateway for regions without SNS SMS (the AWS China regions): a JSON POST of
 *   `{ "to": "+86…", "text": "…" }` to SMS_HTTP_URL (https only) with `Authorization: Bearer <token>`,
 *   the token being the text of the Secrets Manager secret SMS_HTTP_SECRET_ARN. Any 2xx is sent;
 *   429 and 5xx are worth another try, other answers are not.
 * - `disabled` (or unset): no SMS; a phone number alone cannot be verified online.
 *
 * Errors name the provider and the HTTP status only: never the number or the text (it holds a code).
 */
import type { SmsSender } from '../../app/ports';
import { PermanentError, TransientError } from '../../domain/errors';
import { publishSms } from './clients/sns';
import { requiredEnv } from './runtime';
import { readSecret } from './secrets';

export const SMS_VARIABLES = {
  provider: 'SMS_PROVIDER',
  httpUrl: 'SMS_HTTP_URL',
  httpSecretArn: 'SMS_HTTP_SECRET_ARN',
} as const;

export const SMS_PROVIDERS = ['sns', 'http', 'disabled'] as const;
export type SmsProvider = (typeof SMS_PROVIDERS)[number];

const HTTP_TIMEOUT_MS = 10_000;

/** SMS_PROVIDER or SMS_HTTP_URL is unusable: a deployment mistake, never retried. */
export class InvalidSmsConfiguration extends PermanentError {
  override readonly name = 'InvalidSmsConfiguration' as const;
  readonly code = 'invalid-sms-configuration';
}

/** The HTTP SMS provider could not be reached, or answered 429 or 5xx. */
export class SmsProviderUnavailable extends TransientError {
  override readonly name = 'SmsProviderUnavailable' as const;
  readonly code = 'sms-provider-unavailable';
}

/** The HTTP SMS provider refused the message or the token (another 4xx). */
export class SmsProviderRefused extends PermanentError {
  override readonly name = 'SmsProviderRefused' as const;
  readonly code = 'sms-provider-refused';
}

export function smsProviderFromEnv(env: NodeJS.ProcessEnv = process.env): SmsProvider {
  const value = env[SMS_VARIABLES.provider];
  if (value === undefined || value === '') return 'disabled';
  if (!(SMS_PROVIDERS as readonly string[]).includes(value)) {
    throw new InvalidSmsConfiguration(`${SMS_VARIABLES.provider} must be one of ${SMS_PROVIDERS.join(', ')}`);
  }
  return value as SmsProvider;
}

function httpProviderUrl(): URL {
  const raw = requiredEnv(SMS_VARIABLES.httpUrl);
  let url: URL;
  try {
    url = new URL(raw);
  } catch (cause) {
    throw new InvalidSmsConfiguration(`${SMS_VARIABLES.httpUrl} is not a URL`, { cause });
  }
  if (url.protocol !== 'https:') throw new InvalidSmsConfiguration(`${SMS_VARIABLES.httpUrl} must be https`);
  return url;
}

async function sendThroughHttp(to: string, text: string): Promise<void> {
  const url = httpProviderUrl();
  const token = (await readSecret(requiredEnv(SMS_VARIABLES.httpSecretArn))).trim();
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ to, text }),
      redirect: 'error',
      signal: AbortSignal.timeout(HTTP_TIMEOUT_MS),
    });
  } catch (cause) {
    throw new SmsProviderUnavailable('SMS provider did not answer', { cause });
  }
  await response.body?.cancel();
  if (response.ok) return;
  const detail = `SMS provider answered ${response.status}`;
  throw response.status === 429 || response.status >= 500
    ? new SmsProviderUnavailable(detail)
    : new SmsProviderRefused(detail);
}

/** The SmsSender port over the configured provider (read per call: local mode sets the environment late). */
export const smsSender: SmsSender = {
  get enabled() {
    return smsProviderFromEnv() !== 'disabled';
  },
  async send({ to, text }) {
    const provider = smsProviderFromEnv();
    if (provider === 'sns') await publishSms({ phoneNumber: to, message: text });
    else if (provider === 'http') await sendThroughHttp(to, text);
    else throw new InvalidSmsConfiguration('No SMS provider is configured (SMS_PROVIDER is disabled)');
  },
};
