import { describe, expect, it } from 'vitest';
import { MemoryDownloadTokens } from '../../../../adapters/memory/memory-download-tokens';
import { FixedClock } from '../../../../adapters/memory/memory-intake-ports';
import { MemoryPackageDownloads } from '../../../../adapters/memory/memory-package-downloads';
import { getDownload, PRESIGNED_URL_SECONDS } from '../../../../app/downloads/get-download';

const NOW = new Date('2025-03-10T02:00:00.000Z');
const PACKAGE_KEY = 'dsr-0b5e/package.zip';

function downloads(link: { expiresAt?: string; revokedAt?: string; revokeOnUse?: boolean } = {}) {
  const tokens = new MemoryDownloadTokens();
  const packages = new MemoryPackageDownloads();
  packages.packages.add(PACKAGE_KEY);
  const stored = tokens.add({
    token: 'token-1',
    requestId: 'dsr-0b5e',
    packageKey: PACKAGE_KEY,
    expiresAt: link.expiresAt ?? '2025-03-17T02:00:00.000Z',
    ...(link.revokedAt ? { revokedAt: link.revokedAt } : {}),
    ...(link.revokeOnUse ? { revokeOnUse: true } : {}),
  });
  return { tokens, packages, stored, deps: { tokens, packages, clock: new FixedClock(NOW) } };
}

describe('getDownload', () => {
  it('records the use and redirects to a short-lived URL that names the file after the request', async () => {
    const { stored, deps } = downloads();

    const result = await getDownload(deps, 'token-1');

    expect(result).toEqual({
      outcome: 'redirect',
      location: `https://packages.example/${PACKAGE_KEY}?name=personal-data-dsr-0b5e.zip&expires=${PRESIGNED_URL_SECONDS}`,
    });
    expect(stored.uses).toEqual([NOW.toISOString()]);
  });

  it.each([
    ['an unknown token', 'token-2', {}],
    ['an expired link', 'token-1', { expiresAt: NOW.toISOString() }],
  ])('answers %s as invalid, alike, and records nothing', async (_, token, link) => {
    const { stored, deps } = downloads(link);

    expect(await getDownload(deps, token)).toEqual({ outcome: 'invalid' });
    expect(stored.uses).toEqual([]);
  });

  it('answers a revoked link as revoked', async () => {
    const { deps } = downloads({ revokedAt: '2025-03-09T00:00:00.000Z' });

    expect(await getDownload(deps, 'token-1')).toEqual({ outcome: 'revoked' });
  });

  it('answers a link revoked while it was being used as revoked, without a URL', async () => {
    const { stored, deps } = downloads({ revokeOnUse: true });

    expect(await getDownload(deps, 'token-1')).toEqual({ outcome: 'revoked' });
    expect(stored.uses).toEqual([]);
  });

  it('tells that the package was deleted, before recording a use', async () => {
    const { packages, stored, deps } = downloads();
    packages.packages.delete(PACKAGE_KEY);

    expect(await getDownload(deps, 'token-1')).toEqual({ outcome: 'package-deleted' });
    expect(stored.uses).toEqual([]);
  });
});
