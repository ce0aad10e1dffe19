import { defineConfig } from 'vitest/config';

// Test kinds are separated by folder; each folder is a vitest project so that
// `vitest run --project unit` runs only the fast, pure tests.
export default defineConfig({
  test: {
    projects: [
      {
        extends: true,
        // One module graph for the whole project (no per-file isolation): importing the SDKs and
        // Powertools once instead of per file is what keeps the unit project under a minute. Unit
        // tests inject their clock, ports and settings, so no file leaves state another reads.
        test: { name: 'unit', include: ['test/unit/**/*.test.ts'], isolate: false },
      },
      {
        // Integration tests against the embedded AWS stack (DynamoDB Local, S3, SMTP, ASL interpreter).
        extends: true,
        test: {
          name: 'local',
          include: ['test/local/**/*.test.ts'],
          globalSetup: ['test/local/support/global-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 180_000,
        },
      },
      {
        // The connector conformance suite against each real local store (test/conformance/suite.ts).
        extends: true,
        test: {
          name: 'conformance',
          include: ['test/conformance/**/*.test.ts'],
          testTimeout: 60_000,
          hookTimeout: 180_000,
        },
      },
      {
        // CDK template assertions and cdk-nag; bundling with esbuild makes these slower than unit tests.
        extends: true,
        test: {
          name: 'infra',
          include: ['test/infra/**/*.test.ts'],
          testTimeout: 180_000,
          hookTimeout: 180_000,
        },
      },
    ],
  },
});
