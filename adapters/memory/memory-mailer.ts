/** A Mailer that keeps what it is given, for unit tests; `failWith` makes every send fail. */
import type { Mailer, OutgoingMail } from '../../app/ports';

export class MemoryMailer implements Mailer {
  readonly sent: OutgoingMail[] = [];
  failWith: Error | undefined;

  async send(mail: OutgoingMail): Promise<void> {
    if (this.failWith) throw this.failWith;
    this.sent.push(structuredClone(mail));
  }
}
