/** Runs every rule's fixture cases (see test/harness.ts for the conventions). */
import { describe, expect, it } from 'vitest';
import { RULES } from '../../src/rules/index.js';
import { casesOf, checkCase } from '../harness.js';

for (const rule of RULES) {
  const cases = casesOf(rule.meta.id);
  if (cases.length === 0) continue; // the registry test reports rules without fixtures
  describe(rule.meta.id, () => {
    for (const c of cases) {
      it(c, async () => {
        const { problems } = await checkCase(rule.meta.id, c);
        expect(problems).toEqual([]);
      });
    }
  });
}
