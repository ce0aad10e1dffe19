/**
 * Outbound mail through the SES v2 API. The MIME message is built by
 * nodemailer's MailComposer (UTF-8 headers for Chinese subjects, multipart
 * text + HTML) and sent raw, so what the requester receives is exactly what we
 * built. Local mode points AWS_ENDPOINT_URL_SESV2 at the outbox catcher.
 */
import { SendEmailCommand } from '@aws-sdk/client-sesv2';
import MailComposer from 'nodemailer/lib/mail-composer/index.js';
import { ses } from './clients/ses';
import { requiredEnv } from './runtime';

export interface OutboundMessage {
  readonly to: string;
  readonly subject: string;
  readonly text: string;
  readonly html?: string;
  /** Stable id for de-duplication by the recipient's mail client and our own retries. */
  readonly messageId?: string;
}

export async function sendMail(message: OutboundMessage): Promise<string | undefined> {
  const from = requiredEnv('SENDER_ADDRESS');
  const raw = await new MailComposer({
    from,
    to: message.to,
    subject: message.subject,
    text: message.text,
    ...(message.html ? { html: message.html } : {}),
    ...(message.messageId ? { messageId: message.messageId } : {}),
  })
    .compile()
    .build();
  const result = await ses.send(
    new SendEmailCommand({
      FromEmailAddress: from,
      Destination: { ToAddresses: [message.to] },
      Content: { Raw: { Data: raw } },
    }),
  );
  return result.MessageId;
}
