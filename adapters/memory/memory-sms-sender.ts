/** The SmsSender port in memory: keeps every SMS it was given; `failWith` makes the next sends fail. */
import type { OutgoingSms, SmsSender } from '../../app/ports';

export class MemorySmsSender implements SmsSender {
  readonly sent: OutgoingSms[] = [];
  /** While set, every send fails with this error (the SMS service is down). */
  failWith: Error | undefined;

  /** `enabled: false` plays a deployment that sends no SMS. */
  constructor(readonly enabled = true) {}

  async send(sms: OutgoingSms): Promise<void> {
    if (this.failWith) throw this.failWith;
    this.sent.push({ ...sms });
  }
}
