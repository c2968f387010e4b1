/** Every rule file is registered, documented, has fixtures, and its docs examples behave. */
import { mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RULES, RULES_BY_ID } from '../../src/rules/index.js';
import type { RuleExample } from '../../src/types.js';
import { casesOf, cleanup, runRule } from '../harness.js';

const RULES_DIR = join(import.meta.dirname, '../../src/rules');

function writeExample(ex: RuleExample): string {
  const dir = mkdtempSync(join(tmpdir(), 'seaworthy-ex-'));
  const files = { [ex.file]: ex.content, ...(ex.extraFiles ?? {}) };
  for (const [p, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, p)), { recursive: true });
    writeFileSync(join(dir, p), content);
  }
  return dir;
}

describe('rule registry', () => {
  it('lists every rule file exactly once, with id = family/file name', () => {
    const files: string[] = [];
    for (const fam of readdirSync(RULES_DIR, { withFileTypes: true })) {
      if (!fam.isDirectory()) continue;
      for (const f of readdirSync(join(RULES_DIR, fam.name))) {
        if (f.endsWith('.ts') && !f.startsWith('_')) files.push(`${fam.name}/${f.slice(0, -3)}`);
      }
    }
    expect(RULES.map((r) => r.meta.id).sort()).toEqual(files.sort());
    expect(RULES_BY_ID.size).toBe(RULES.length);
  });

  for (const rule of RULES) {
    describe(rule.meta.id, () => {
      it('is documented', () => {
        for (const k of ['title', 'rationale', 'fix'] as const) {
          expect(rule.meta[k], k).not.toMatch(/^(TODO)?$/);
        }
        expect(rule.meta.family).toBe(rule.meta.id.split('/')[0]);
      });
      it('has failing and passing fixtures', () => {
        const cases = casesOf(rule.meta.id);
        expect(cases.some((c) => c.startsWith('bad-')), 'a bad-* case').toBe(true);
        expect(cases.some((c) => c.startsWith('good-')), 'a good-* case').toBe(true);
      });
      it('fails its bad docs example', async () => {
        const dir = writeExample(rule.meta.examples.bad);
        try {
          const res = await runRule(rule.meta.id, dir);
          expect(res.filter((r) => r.status === 'fail').length).toBeGreaterThan(0);
        } finally {
          cleanup(dir);
        }
      });
      it('passes its good docs example', async () => {
        const dir = writeExample(rule.meta.examples.good);
        try {
          const res = await runRule(rule.meta.id, dir);
          expect(res.filter((r) => r.status === 'fail')).toEqual([]);
          expect(res.some((r) => r.status === 'pass')).toBe(true);
        } finally {
          cleanup(dir);
        }
      });
    });
  }
});
