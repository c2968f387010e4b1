import { describe, expect, it } from 'vitest';
import type { CheckReport } from '../../src/format/report.js';
import { formatText } from '../../src/format/text.js';
import type { Result } from '../../src/types.js';

const base: Result = {
  ruleId: 'compose/no-privileged',
  status: 'fail',
  severity: 'critical',
  target: 'docker-compose.yml#backend',
  message: 'Service `backend` runs privileged.',
  location: { file: 'docker-compose.yml', line: 20, column: 17, endLine: 20, endColumn: 21 },
};

function report(results: Result[]): CheckReport {
  return { tool: { name: 'seaworthy', version: '0' }, root: 'x', results, errors: [], rules: [], failOn: 'high', durationMs: 1, filesScanned: 1 };
}

describe('text output', () => {
  it('prints a finding reported for several environments at one place once, listing the environments', () => {
    const out = formatText(report([{ ...base, environment: 'dev' }, { ...base, environment: 'prod' }]), { color: false });
    expect(out.match(/compose\/no-privileged/g)).toHaveLength(1);
    expect(out).toContain('[dev, prod]');
  });
  it('keeps findings at different places apart', () => {
    const other = { ...base, environment: 'prod', location: { ...base.location, file: 'docker-compose.prod.yml' } };
    const out = formatText(report([{ ...base, environment: 'dev' }, other]), { color: false });
    expect(out.match(/compose\/no-privileged/g)).toHaveLength(2);
  });
});
