import { describe, expect, it } from 'vitest';
import { formatSarif } from '../../src/format/sarif.js';
import { RULES } from '../../src/rules/index.js';
import { makeReport } from './fixtures.js';
import { validateSarif, validatorPath } from './sarif-validator.js';

// The real rule metadata must also make a valid SARIF rules[] (e.g. no empty descriptions).
describe.skipIf(!validatorPath() && !process.env.CI)('SARIF with the registry metas', () => {
  it('validates', () => {
    const sarif = formatSarif(makeReport({ rules: RULES.map((r) => r.meta), results: [], errors: [] }));
    const findings = validateSarif(sarif).filter((f) => f.level === 'error' || f.level === 'warning');
    expect(findings).toEqual([]);
  });
});
