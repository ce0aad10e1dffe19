/**
 * A PackagePush for unit tests: answers what `answer` says (201 with no body unless told), records every
 * push, and can fail the way the outbound guard does (`failWith`) or see the package change in flight.
 */
import type { PackageDigest, PackagePush, PushAnswer } from '../../app/fulfilment/ports';

export class MemoryPackagePush implements PackagePush {
  readonly pushed: { endpoint: string; requestId: string; packageKey: string }[] = [];
  answer: { status: number; body?: string; truncated?: boolean } = { status: 201 };
  /** While set, every push fails with this error (an endpoint refused or unreachable). */
  failWith: Error | undefined;
  /** The bytes sent differ from those digested before sending (the package was rebuilt meanwhile). */
  changesInFlight = false;
  readonly digest: PackageDigest = { sha256: 'ab'.repeat(32), bytes: 1234 };

  async push(input: { endpoint: string; requestId: string; packageKey: string }): Promise<PushAnswer> {
    if (this.failWith) throw this.failWith;
    this.pushed.push({ ...input });
    return {
      host: new URL(input.endpoint).host,
      address: '203.0.113.10',
      status: this.answer.status,
      body: this.answer.body ?? '',
      truncated: this.answer.truncated ?? false,
      expected: this.digest,
      sent: this.changesInFlight ? { ...this.digest, bytes: this.digest.bytes + 1 } : this.digest,
    };
  }
}
