/**
 * Reads a zip that yazl built from buffers (sizes known up front, so every local header carries them):
 * enough for tests to look inside the evidence pack without a zip library or a subprocess.
 */
import { inflateRawSync } from 'node:zlib';

export function readZip(zip: Uint8Array): Map<string, string> {
  const bytes = Buffer.from(zip);
  const entries = new Map<string, string>();
  let offset = 0;
  while (bytes.readUInt32LE(offset) === 0x04034b50) {
    const method = bytes.readUInt16LE(offset + 8);
    const compressedSize = bytes.readUInt32LE(offset + 18);
    const nameLength = bytes.readUInt16LE(offset + 26);
    const extraLength = bytes.readUInt16LE(offset + 28);
    const name = bytes.toString('utf8', offset + 30, offset + 30 + nameLength);
    const start = offset + 30 + nameLength + extraLength;
    const data = bytes.subarray(start, start + compressedSize);
    entries.set(name, (method === 8 ? inflateRawSync(data) : data).toString('utf8'));
    offset = start + compressedSize;
  }
  return entries;
}
