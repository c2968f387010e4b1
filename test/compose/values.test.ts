import { describe, expect, it } from 'vitest';
import { composeBool } from '../../src/compose/values.js';

describe('composeBool (compose-go toBoolean)', () => {
  it.each([
    ['true', true],
    ['True', true],
    ['yes', true],
    ['Y', true],
    ['on', true],
    ['ON', true],
    ['false', false],
    ['no', false],
    ['N', false],
    ['off', false],
    ['Off', false],
  ])('%s → %s', (text, want) => {
    expect(composeBool(text)).toBe(want);
  });

  it('anything else is no boolean', () => {
    for (const text of ['1', '0', '', 'enabled', 'truthy', ' true']) expect(composeBool(text)).toBeUndefined();
    expect(composeBool(undefined)).toBeUndefined();
    expect(composeBool(null)).toBeUndefined();
  });
});
