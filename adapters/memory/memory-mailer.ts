/** The Mailer port in memory: keeps every mail it was given; `failWith` makes the next sends fail. */
import type { Mailer, OutgoingMail } from '../../app/ports';

export class MemoryMailer implements Mailer {
  readonly sent: OutgoingMail[] = [];
  /** While set, every send fails with this error (the mail service is down). */
  failWith: Error | undefined;

  async send(mail: OutgoingMail): Promise<void> {
    if (this.failWith) throw this.failWith;
    this.sent.push(structuredClone(mail));
  }
}
