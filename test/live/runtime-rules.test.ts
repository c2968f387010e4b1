/** Every runtime rule against its recorded Engine API cases (test/fixtures/runtime/<rule>/*.json). */
import { basename } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RUNTIME_RULES } from '../../src/rules/runtime/index.js';
import { checkRuntimeCase, runtimeCasesOf } from './runtime-cases.js';

for (const rule of RUNTIME_RULES) {
  describe(rule.meta.id, () => {
    for (const file of runtimeCasesOf(rule.meta.id)) {
      it(basename(file, '.json'), async () => {
        const { problems } = await checkRuntimeCase(rule.meta.id, file);
        expect(problems).toEqual([]);
      });
    }
  });
}
