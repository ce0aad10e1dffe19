/** A Mailer that keeps what it was given, for unit tests; `failWith` makes the next sends fail. */
import type { Mailer, OutgoingMail } from '../../app/ports';

export class MemoryMailer implements Mailer {
  readonly sent: OutgoingMail[] = [];
  failWith: Error | undefined;

  async send(mail: OutgoingMail): Promise<void> {
    if (this.failWith) throw this.failWith;
    this.sent.push(structuredClone(mail));
  }
}
