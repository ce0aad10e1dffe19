/**
 * The SubmissionLedger port in memory, with Powertools' semantics: a repeated key gets the first
 * result (as stored: a JSON copy), the same key with another fingerprint fails with
 * IdempotencyValidationError, and a repeat while the first is running with
 * IdempotencyAlreadyInProgressError. A failed first call leaves no trace, so it may be tried again.
 */
import {
  IdempotencyAlreadyInProgressError,
  IdempotencyValidationError,
} from '@aws-lambda-powertools/idempotency';
import type { SubmissionKey, SubmissionLedger } from '../../app/intake/ports';

interface Entry {
  readonly fingerprint: string;
  result?: string;
}

export class MemorySubmissionLedger implements SubmissionLedger {
  readonly entries = new Map<string, Entry>();

  async once<T extends Record<string, unknown>>(key: SubmissionKey, create: () => Promise<T>): Promise<T> {
    const existing = this.entries.get(key.idempotencyKey);
    if (existing) {
      if (existing.fingerprint !== key.payloadFingerprint) {
        throw new IdempotencyValidationError('Payload does not match stored record for this event key');
      }
      if (existing.result === undefined) {
        throw new IdempotencyAlreadyInProgressError(`There is already an execution in progress`);
      }
      return JSON.parse(existing.result) as T;
    }
    const entry: Entry = { fingerprint: key.payloadFingerprint };
    this.entries.set(key.idempotencyKey, entry);
    try {
      const result = await create();
      entry.result = JSON.stringify(result);
      return JSON.parse(entry.result) as T;
    } catch (error) {
      this.entries.delete(key.idempotencyKey);
      throw error;
    }
  }
}
