import { defineConfig } from 'vitest/config';

// Test kinds are separated by folder; each folder is a vitest project so that
// `vitest run --project unit` runs only the fast, pure tests.
export default defineConfig({
  test: {
    projects: [
      {
        extends: true,
        test: { name: 'unit', include: ['test/unit/**/*.test.ts'] },
      },
    ],
  },
});
