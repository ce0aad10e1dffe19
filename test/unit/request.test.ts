import { describe, expect, it } from 'vitest';
import { DESTRUCTIVE_TYPES, DISCLOSING_TYPES, REQUEST_TYPES } from '../../domain/request';

describe('request vocabulary', () => {
  it('classes every request type except none as disclosing or destructive, never both', () => {
    for (const type of REQUEST_TYPES) {
      const classes = [DISCLOSING_TYPES.includes(type), DESTRUCTIVE_TYPES.includes(type)].filter(Boolean);
      expect(classes, type).toHaveLength(1);
    }
  });
});
