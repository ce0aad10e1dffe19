import { describe, expect, it } from 'vitest';
import {
  InvalidLinkLifetime,
  issueDownloadLink,
  MAX_DOWNLOAD_LINK_LIFETIME_DAYS,
} from '../../../adapters/aws/download-links';
import { downloadFileName } from '../../../app/downloads/get-download';

describe('download links', () => {
  it.each([0, -1, 1.5, MAX_DOWNLOAD_LINK_LIFETIME_DAYS + 1, Number.NaN])(
    'refuses to issue a link that lives %s days, before storing anything',
    async (lifetimeDays) => {
      await expect(
        issueDownloadLink({
          requestId: 'dsr-1',
          packageKey: 'dsr-1/package.zip',
          lifetimeDays,
          now: new Date(),
        }),
      ).rejects.toBeInstanceOf(InvalidLinkLifetime);
    },
  );

  it.each([
    ['dsr-0b5e/package.zip', 'personal-data-dsr-0b5e.zip'],
    ['a"b;c\\d/package.zip', 'personal-data-a_b_c_d.zip'],
  ])('names the downloaded file of %j safely for a Content-Disposition header', (key, name) => {
    expect(downloadFileName(key)).toBe(name);
  });
});
