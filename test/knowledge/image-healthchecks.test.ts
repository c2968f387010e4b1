import { describe, expect, it } from 'vitest';
import { imageDefinesNoHealthcheck } from '../../src/knowledge/image-healthchecks.js';

describe('imageDefinesNoHealthcheck', () => {
  it('knows official images that add none', () => {
    expect(imageDefinesNoHealthcheck('redis:7-alpine')).toBe(true);
    expect(imageDefinesNoHealthcheck('docker.io/library/postgres:16')).toBe(true);
  });
  it('does not guess about other images', () => {
    expect(imageDefinesNoHealthcheck('vaultwarden/server:1.32.0')).toBe(false);
    expect(imageDefinesNoHealthcheck('bitnami/redis:7.2')).toBe(false);
    expect(imageDefinesNoHealthcheck('${IMAGE}')).toBe(false);
    expect(imageDefinesNoHealthcheck(null)).toBe(false);
  });
});
