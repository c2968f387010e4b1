import type * as Sarif from 'sarif';
import { describe, expect, it } from 'vitest';
import { fingerprint, firstSentence, formatSarif, SarifReportWriter, toSarif } from '../../src/format/sarif.js';
import { sortResults } from '../../src/format/report.js';
import type { Result } from '../../src/types.js';
import { METAS, makeReport, RESULTS } from './fixtures.js';
import { type ValidatorFinding, validateSarif, validatorPath } from './sarif-validator.js';

const serious = (f: ValidatorFinding[]) => f.filter((x) => x.level === 'error' || x.level === 'warning');

describe('formatSarif structure', () => {
  const log = JSON.parse(formatSarif(makeReport())) as Sarif.Log;
  const run = log.runs[0];

  it('is SARIF 2.1.0 with one run and the driver', () => {
    expect(log.version).toBe('2.1.0');
    expect(log.$schema).toMatch(/sarif-schema-2\.1\.0\.json$/);
    expect(log.runs).toHaveLength(1);
    expect(run.tool.driver).toMatchObject({
      name: 'seaworthy',
      version: '0.1.0',
      informationUri: 'https://github.com/seaworthy-dev/seaworthy',
    });
  });

  it('describes every rule that ran', () => {
    const rules = run.tool.driver.rules ?? [];
    expect(rules.map((r) => r.id)).toEqual(METAS.map((m) => m.id));
    const r0 = rules[0];
    expect(r0).toMatchObject({
      id: 'dockerfile/non-root-user',
      name: 'DockerfileNonRootUser',
      shortDescription: { text: 'Run the image as a non-root user' },
      fullDescription: { text: METAS[0].rationale },
      helpUri: 'https://github.com/seaworthy-dev/seaworthy/blob/main/docs/rules/dockerfile/non-root-user.md',
      defaultConfiguration: { level: 'error' },
      properties: { tags: ['security', 'dockerfile'], precision: 'high', 'security-severity': '8.0' },
    });
    expect(r0.help?.text).toContain(METAS[0].fix);
    expect(r0.help?.text).toContain('DL3002');
    expect(r0.help?.markdown).toContain('```dockerfile');
    expect(rules.map((r) => r.properties?.['security-severity'])).toEqual(['8.0', '5.5', '8.0']);
    expect(rules[1].defaultConfiguration?.level).toBe('warning');
  });

  it('reports only failing results, with level from their own severity', () => {
    const results = run.results ?? [];
    expect(results.map((r) => [r.ruleId, r.ruleIndex, r.level])).toEqual([
      ['dockerfile/non-root-user', 0, 'error'],
      ['dockerfile/pinned-base', 1, 'warning'],
      ['secrets/no-default-in-prod', 2, 'error'],
    ]);
    const low = toSarif(makeReport({ results: [{ ...RESULTS[2], severity: 'low' }] }));
    expect(low.runs[0].results?.[0].level).toBe('note');
  });

  it('locates results relative to %SRCROOT% with a full region', () => {
    const loc = run.results?.[2].locations?.[0].physicalLocation;
    expect(loc).toEqual({
      artifactLocation: { uri: 'docker-compose.yml', uriBaseId: '%SRCROOT%' },
      region: { startLine: 4, startColumn: 23, endLine: 4, endColumn: 48 },
    });
    expect(run.results?.[2].message.text).toBe(RESULTS[0].message);
  });

  it('puts file errors in the invocation', () => {
    expect(run.invocations).toEqual([
      {
        executionSuccessful: false,
        toolExecutionNotifications: [
          {
            level: 'error',
            message: { text: 'YAML syntax error: unexpected end of stream' },
            descriptor: { id: 'file-error' },
            locations: [
              {
                physicalLocation: {
                  artifactLocation: { uri: 'compose.override.yaml', uriBaseId: '%SRCROOT%' },
                  region: { startLine: 7 },
                },
              },
            ],
          },
        ],
      },
    ]);
    const clean = toSarif(makeReport({ errors: [] }));
    expect(clean.runs[0].invocations?.[0]).toEqual({ executionSuccessful: true, toolExecutionNotifications: [] });
  });

  it('fingerprints independently of the line, but not of rule, file, target or finding', () => {
    const r: Result = RESULTS[1];
    const moved: Result = { ...r, location: { ...r.location, line: 40, endLine: 40 } };
    expect(fingerprint(moved)).toBe(fingerprint(r));
    expect(fingerprint({ ...r, message: `${firstSentence(r.message)} Reworded advice.` })).toBe(fingerprint(r));
    expect(fingerprint({ ...r, target: 'other/Dockerfile' })).not.toBe(fingerprint(r));
    expect(fingerprint({ ...r, ruleId: 'dockerfile/other' })).not.toBe(fingerprint(r));
    expect(fingerprint({ ...r, location: { ...r.location, file: 'x/Dockerfile' } })).not.toBe(fingerprint(r));
    expect(fingerprint({ ...r, message: 'FROM python has no tag.' })).not.toBe(fingerprint(r));
    expect(fingerprint(r)).toMatch(/^[0-9a-f]{64}$/);

    const a = toSarif(makeReport()).runs[0].results?.map((x) => x.partialFingerprints);
    const b = toSarif(makeReport({ results: [...RESULTS].reverse() })).runs[0].results?.map((x) => x.partialFingerprints);
    expect(a).toEqual(b);
    expect(a?.[1]).toEqual({ primaryLocationLineHash: `${fingerprint(r).slice(0, 16)}:1`, 'seaworthy/v1': fingerprint(r) });
  });

  it('keeps identical findings apart by occurrence', () => {
    const twice = [RESULTS[1], { ...RESULTS[1], location: { ...RESULTS[1].location, line: 5, endLine: 5 } }];
    const fps = toSarif(makeReport({ results: twice })).runs[0].results?.map((x) => x.partialFingerprints ?? {});
    expect(fps?.[0].primaryLocationLineHash).toMatch(/:1$/);
    expect(fps?.[1].primaryLocationLineHash).toMatch(/:2$/);
    expect(fps?.[0]['seaworthy/v1']).not.toBe(fps?.[1]['seaworthy/v1']);
  });

  it('adds a descriptor for a result whose rule is not among the metas', () => {
    const extra: Result = { ...RESULTS[1], ruleId: 'config/expired-waiver', severity: 'medium' };
    const out = toSarif(makeReport({ results: [extra] }));
    const rules = out.runs[0].tool.driver.rules ?? [];
    expect(rules[3]).toMatchObject({ id: 'config/expired-waiver', defaultConfiguration: { level: 'warning' } });
    expect(out.runs[0].results?.[0].ruleIndex).toBe(3);
  });

  it('prints masked messages as given', () => {
    expect(formatSarif(makeReport())).toContain('${REDIS_PASSWORD:-****}');
  });
});

const bin = validatorPath();
if (!bin) console.warn('SARIF validator tests skipped: @microsoft/sarif-multitool-linux binary not found');

// Skipped only off CI when the binary is missing (it ships for Linux); on CI a missing validator fails.
describe('SarifReportWriter (a check in parts)', () => {
  it('writes formatSarif in pieces of any size, identical findings counted across pieces', () => {
    for (const n of [0, 1, 5, 300]) {
      const results: Result[] = Array.from({ length: n }, (_, i) => ({
        ...RESULTS[i % RESULTS.length],
        // Every fourth result repeats an earlier finding (occurrences continue across pieces).
        message: i % 4 === 3 ? 'Same finding. again' : `message ${i} → “x”`,
        location: { ...RESULTS[i % RESULTS.length].location, line: i + 1 },
      }));
      const report = makeReport({ results, errors: n % 2 ? [] : [{ file: 'x/Dockerfile', message: 'binary file', line: 2 }] });
      let text = '';
      const w = new SarifReportWriter((t) => (text += t), report.tool, report.rules);
      const sorted = sortResults(results);
      for (let i = 0; i < sorted.length; i += 1 + (i % 37)) w.results(sorted.slice(i, i + 1 + (i % 37)));
      w.end(report.errors);
      expect(text, String(n)).toBe(formatSarif(report));
    }
  });

  it('refuses a result of a rule it was not given (its descriptor would come after the results)', () => {
    const w = new SarifReportWriter(() => {}, makeReport().tool, []);
    expect(() => w.results([{ ...RESULTS[0], status: 'fail' }])).toThrow(/did not list/);
  });
});

describe.skipIf(!bin && !process.env.CI)('formatSarif passes the official SARIF validator (schema, spec and GitHub rules)', () => {
  const validSarif = formatSarif(makeReport());

  it('accepts the report', () => {
    const findings = validateSarif(validSarif);
    expect(serious(findings)).toEqual([]);
  });

  it('accepts edge cases: no errors, no results, odd paths, zero positions, unknown rule ids', () => {
    const odd: Result[] = [
      { ...RESULTS[1], location: { file: './deploy/my app/Dockerfile', line: 0, column: 0, endLine: 0, endColumn: 0 } },
      { ...RESULTS[2], ruleId: 'config/expired-waiver', location: { file: 'a\\b#c.yml', line: 3, column: 9, endLine: 3, endColumn: 2 } },
    ];
    expect(serious(validateSarif(formatSarif(makeReport({ results: odd, errors: [] }))))).toEqual([]);
    expect(serious(validateSarif(formatSarif(makeReport({ results: [], errors: [{ file: 'x.yml', message: 'unreadable' }] }))))).toEqual(
      [],
    );
  });

  it('rejects broken SARIF (so the checks above can fail)', () => {
    const broken = JSON.parse(validSarif);
    delete broken.runs[0].tool.driver;
    const schemaErrors = validateSarif(JSON.stringify(broken));
    expect(schemaErrors.some((f) => f.level === 'error' && f.ruleId.startsWith('JSON'))).toBe(true);

    const noLocations = JSON.parse(validSarif);
    delete noLocations.runs[0].results[0].locations;
    const ghErrors = validateSarif(JSON.stringify(noLocations));
    expect(ghErrors.some((f) => f.level === 'error' && f.ruleId.startsWith('GH'))).toBe(true);

    expect(serious(validateSarif('{"version": "2.1.0"'))).not.toEqual([]);
  });
});
