/** Every rule file is registered, documented, has fixtures, and its docs examples behave. */
import { mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ALL_RULES_BY_ID } from '../../src/rules/all.js';
import { RULES, RULES_BY_ID } from '../../src/rules/index.js';
import { RUNTIME_RULES, RUNTIME_RULES_BY_ID } from '../../src/rules/runtime/index.js';
import type { RuleExample } from '../../src/types.js';
import { RUNTIME_CONFIRMS } from '../../src/live/verified.js';
import { casesOf, cleanup, projectOf, runRule } from '../harness.js';
import { loadCase } from '../live/recording.js';
import { runtimeCasesOf } from '../live/runtime-cases.js';

const RULES_DIR = join(import.meta.dirname, '../../src/rules');
/** Families judged on a live engine: their own registry, their own test scheme (recorded Engine API answers). */
const LIVE_FAMILIES = new Set(['runtime']);

/** Rule files of a family folder: `<family>/<name>` (helpers `_*.ts` and a family's `index.ts` are not rules). */
function ruleFiles(filter: (family: string) => boolean): string[] {
  const files: string[] = [];
  for (const fam of readdirSync(RULES_DIR, { withFileTypes: true })) {
    if (!fam.isDirectory() || !filter(fam.name)) continue;
    for (const f of readdirSync(join(RULES_DIR, fam.name))) {
      if (f.endsWith('.ts') && !f.startsWith('_') && !(LIVE_FAMILIES.has(fam.name) && f === 'index.ts')) files.push(`${fam.name}/${f.slice(0, -3)}`);
    }
  }
  return files.sort();
}

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
  it('lists every static rule file exactly once, with id = family/file name', () => {
    expect(RULES.map((r) => r.meta.id).sort()).toEqual(ruleFiles((f) => !LIVE_FAMILIES.has(f)));
    expect(RULES_BY_ID.size).toBe(RULES.length);
  });

  it('keeps live rules out of the static registry (check never runs them)', () => {
    expect(RULES.filter((r) => LIVE_FAMILIES.has(r.meta.family)).map((r) => r.meta.id)).toEqual([]);
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

/**
 * Runtime rules cannot run on static fixtures: each is tested with recorded Engine API answers
 * (test/fixtures/runtime/<name>/*.json, run by test/live/runtime-rules.test.ts), which must show it
 * failing and passing. Their docs examples are compose snippets showing the fix; they must be compose
 * files the static model reads.
 */
describe('runtime rule registry', () => {
  it('lists every runtime rule file exactly once, with id = runtime/file name', () => {
    expect(RUNTIME_RULES.map((r) => r.meta.id).sort()).toEqual(ruleFiles((f) => f === 'runtime'));
    expect(RUNTIME_RULES_BY_ID.size).toBe(RUNTIME_RULES.length);
  });

  it('is part of the union the config validates against', () => {
    for (const r of [...RULES, ...RUNTIME_RULES]) expect(ALL_RULES_BY_ID.get(r.meta.id)).toBe(r);
  });

  it('says which static practices each runtime rule confirms (for report --verify)', () => {
    expect(Object.keys(RUNTIME_CONFIRMS).sort()).toEqual(RUNTIME_RULES.map((r) => r.meta.id).sort());
    for (const ids of Object.values(RUNTIME_CONFIRMS)) for (const id of ids) expect(RULES_BY_ID.has(id), id).toBe(true);
  });

  for (const rule of RUNTIME_RULES) {
    describe(rule.meta.id, () => {
      it('is documented', () => {
        for (const k of ['title', 'rationale', 'fix'] as const) {
          expect(rule.meta[k], k).not.toMatch(/^(TODO)?$/);
        }
        expect(rule.meta.family).toBe('runtime');
        expect(rule.meta.target).toBe('container');
      });
      it('has recorded cases that fail and pass', () => {
        const statuses = runtimeCasesOf(rule.meta.id).flatMap((f) => loadCase(f).case.expect.map((e) => e.status));
        expect(statuses, 'a case expecting a fail').toContain('fail');
        expect(statuses, 'a case expecting a pass').toContain('pass');
      });
      for (const kind of ['bad', 'good'] as const) {
        it(`has a ${kind} docs example the static model reads as a compose service`, async () => {
          const dir = writeExample(rule.meta.examples[kind]);
          try {
            const project = await projectOf(dir);
            expect(project.errors).toEqual([]);
            expect(project.compose.flatMap((c) => c.environments.flatMap((e) => e.services)).length).toBeGreaterThan(0);
          } finally {
            cleanup(dir);
          }
        });
      }
    });
  }
});
