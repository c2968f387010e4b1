import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { diffDocs } from '../../src/docs/sync.js';
import { ALL_RULES } from '../../src/rules/all.js';

const docsDir = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'docs', 'rules');

describe('docs/rules', () => {
  it('matches what the generator renders from the rule metadata (run `npm run docs` to update)', () => {
    const d = diffDocs(
      docsDir,
      ALL_RULES.map((r) => r.meta),
    );
    expect(d, 'docs/rules is stale: run `npm run docs`').toEqual({ missing: [], changed: [], stale: [] });
  });
});
