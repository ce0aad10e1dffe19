/**
 * In-memory ports of email intake for unit tests: stored mail with its tags, an evidence store, telemetry
 * that keeps its warnings and notes. `memoryEmailIntakePorts()` wires them with the intake ports.
 */
import type { EmailIntakeDeps } from '../../app/intake/email-intake';
import type {
  EvidenceStore,
  InboundMailStore,
  InboundMailTelemetry,
  MailTag,
  StoredMail,
} from '../../app/intake/ports';
import { type MemoryIntakePorts, MemoryTelemetry, memoryIntakePorts } from './memory-intake-ports';

const where = ({ bucket, key }: StoredMail) => `${bucket}/${key}`;

export class MemoryInboundMail implements InboundMailStore {
  readonly messages = new Map<string, Uint8Array>();
  readonly tags = new Map<string, readonly MailTag[]>();
  /** While set, tagging fails with this error. */
  tagFailure: Error | undefined;

  put(stored: StoredMail, raw: string | Uint8Array): void {
    this.messages.set(where(stored), typeof raw === 'string' ? new TextEncoder().encode(raw) : raw);
  }

  tagsOf(stored: StoredMail): readonly MailTag[] | undefined {
    return this.tags.get(where(stored));
  }

  async size(stored: StoredMail): Promise<number> {
    return (await this.read(stored)).byteLength;
  }

  async read(stored: StoredMail): Promise<Uint8Array> {
    const raw = this.messages.get(where(stored));
    if (raw === undefined) throw new Error(`No stored mail at ${where(stored)}`);
    return raw;
  }

  async tag(stored: StoredMail, tags: readonly MailTag[]): Promise<void> {
    if (this.tagFailure) throw this.tagFailure;
    this.tags.set(where(stored), [...tags]);
  }
}

export class MemoryEvidenceStore implements EvidenceStore {
  readonly stored: { key: string; content: Buffer; contentType: string; source: string }[] = [];

  async put(evidence: { key: string; content: Buffer; contentType: string; source: 'email' }): Promise<void> {
    this.stored.push({ ...evidence });
  }
}

type LogLine = { message: string; fields: Readonly<Record<string, string>> };

export class MemoryMailTelemetry extends MemoryTelemetry implements InboundMailTelemetry {
  readonly warnings: LogLine[] = [];
  readonly notes: LogLine[] = [];
  warn(message: string, fields: Readonly<Record<string, string>>): void {
    this.warnings.push({ message, fields });
  }
  info(message: string, fields: Readonly<Record<string, string>>): void {
    this.notes.push({ message, fields });
  }
}

export type MemoryEmailIntakePorts = Omit<MemoryIntakePorts, 'telemetry'> & {
  readonly inbound: MemoryInboundMail;
  readonly evidence: MemoryEvidenceStore;
  readonly telemetry: MemoryMailTelemetry;
};

export function memoryEmailIntakePorts(now: Date): MemoryEmailIntakePorts & EmailIntakeDeps {
  return {
    ...memoryIntakePorts(now),
    inbound: new MemoryInboundMail(),
    evidence: new MemoryEvidenceStore(),
    telemetry: new MemoryMailTelemetry(),
  };
}
