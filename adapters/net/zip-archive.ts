/**
 * A zip of a few text files held in memory (the evidence pack, app/console/evidence-pack.ts): small
 * enough to build whole and answer in one response. yazl, as the export package uses (streamed there,
 * because a package can be large).
 */
import { ZipFile } from 'yazl';
import type { ZipArchiver } from '../../app/console/ports';

export const zipArchiver: ZipArchiver = {
  zip(files, modifiedAt) {
    const zip = new ZipFile();
    for (const file of files)
      zip.addBuffer(Buffer.from(file.content, 'utf8'), file.name, { mtime: modifiedAt });
    zip.end();
    return new Promise((resolve, reject) => {
      const chunks: Buffer[] = [];
      zip.outputStream.on('data', (chunk: Buffer) => chunks.push(chunk));
      zip.outputStream.once('error', reject);
      zip.outputStream.once('end', () => resolve(new Uint8Array(Buffer.concat(chunks))));
    });
  },
};
