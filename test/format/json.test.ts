import { describe, expect, it } from 'vitest';
import { formatJson, formatJsonBytes, JsonReportWriter } from '../../src/format/json.js';
import { sortResults } from '../../src/format/report.js';
import { summarize } from '../../src/format/report.js';
import { makeReport, RESULTS } from './fixtures.js';

describe('formatJson', () => {
  const text = formatJson(makeReport());
  const json = JSON.parse(text);

  it('is pretty-printed with a trailing newline', () => {
    expect(text.endsWith('}\n')).toBe(true);
    expect(text.startsWith('{\n  "schemaVersion": 1,\n')).toBe(true);
  });

  it('has exactly the documented top-level shape', () => {
    expect(Object.keys(json)).toEqual(['schemaVersion', 'tool', 'results', 'errors', 'summary']);
    expect(json.schemaVersion).toBe(1);
    expect(json.tool).toEqual({ name: 'seaworthy', version: '0.1.0' });
    expect(json.errors).toEqual([{ file: 'compose.override.yaml', message: 'YAML syntax error: unexpected end of stream', line: 7 }]);
  });

  it('sorts results by file, line, column, ruleId, target', () => {
    expect(
      json.results.map((r: { location: { file: string }; ruleId: string; status: string }) => [r.location.file, r.ruleId, r.status]),
    ).toEqual([
      ['backend/Dockerfile', 'dockerfile/non-root-user', 'fail'],
      ['backend/Dockerfile', 'dockerfile/pinned-base', 'fail'],
      ['docker-compose.yml', 'secrets/no-default-in-prod', 'fail'],
      ['frontend/Dockerfile', 'dockerfile/non-root-user', 'waived'],
      ['frontend/Dockerfile', 'dockerfile/pinned-base', 'pass'],
      ['worker/Dockerfile', 'dockerfile/pinned-base', 'unknown'],
      ['worker/Dockerfile', 'dockerfile/non-root-user', 'pass'],
    ]);
  });

  it('writes every result with the fixed key set, environment and waiver only when present', () => {
    const base = ['ruleId', 'status', 'severity', 'target', 'message', 'evidence', 'location'];
    expect(Object.keys(json.results[0])).toEqual(base);
    expect(json.results[0]).toEqual({
      ruleId: 'dockerfile/non-root-user',
      status: 'fail',
      severity: 'high',
      target: 'backend/Dockerfile',
      message: 'The final stage runs as root. Add `USER 1001` after creating the user.',
      evidence: null,
      location: { file: 'backend/Dockerfile', line: 1, column: 1, endLine: 1, endColumn: 10 },
    });
    expect(Object.keys(json.results[2])).toEqual([...base, 'environment']);
    expect(json.results[2].environment).toBe('prod');
    expect(Object.keys(json.results[3])).toEqual([...base, 'waiver']);
    expect(json.results[3].waiver).toEqual({
      reason: 'nginx drops privileges itself',
      source: 'seaworthy.yml:4',
      expires: '2031-01-01',
    });
    expect(json.results[6].evidence).toBe('`appuser` (UID 1001)');
    expect(Object.keys(json.results[0].location)).toEqual(['file', 'line', 'column', 'endLine', 'endColumn']);
  });

  it('summarizes', () => {
    expect(json.summary).toEqual({
      total: 7,
      pass: 2,
      fail: 3,
      waived: 1,
      unknown: 1,
      failBySeverity: { critical: 0, high: 2, medium: 1, low: 0, info: 0 },
      failOn: 'high',
      failingAtOrAboveFailOn: 2,
      failsThreshold: true,
      filesScanned: 14,
      errors: 1,
      durationMs: 210,
    });
    expect(summarize(makeReport({ failOn: 'critical' })).failsThreshold).toBe(false);
    expect(summarize(makeReport({ failOn: 'medium' })).failingAtOrAboveFailOn).toBe(3);
  });

  it('is deterministic whatever the input order', () => {
    const reversed = formatJson(makeReport({ results: [...RESULTS].reverse() }));
    expect(reversed).toBe(text);
  });

  it('writes null for an error without a line, and an empty report', () => {
    const out = JSON.parse(formatJson(makeReport({ results: [], errors: [{ file: 'x.yml', message: 'unreadable' }] })));
    expect(out.errors).toEqual([{ file: 'x.yml', message: 'unreadable', line: null }]);
    expect(out.results).toEqual([]);
    expect(out.summary.failsThreshold).toBe(false);
  });

  it('prints masked messages as given', () => {
    expect(text).toContain('${REDIS_PASSWORD:-****}');
  });
});

describe('formatJsonBytes (what the CLI writes)', () => {
  const bytes = (report: Parameters<typeof formatJson>[0]) => formatJsonBytes(report).equals(Buffer.from(formatJson(report)));

  it('is formatJson encoded as UTF-8, whatever the number of results', () => {
    expect(bytes(makeReport())).toBe(true);
    expect(bytes(makeReport({ results: [] }))).toBe(true);
    expect(bytes(makeReport({ results: [], errors: [] }))).toBe(true);
    // Several pieces (64 results each), non-Latin-1 text in some, waivers and environments.
    for (const n of [1, 63, 64, 65, 128, 255, 256, 257, 512, 1000]) {
      const results = Array.from({ length: n }, (_, i) => ({
        ...RESULTS[i % RESULTS.length],
        message: i % 7 === 0 ? `über → ${i} … “quoted” \u0000 \\ \n 😀` : `message ${i}`,
        location: { ...RESULTS[i % RESULTS.length].location, line: i + 1 },
      }));
      expect(bytes(makeReport({ results })), String(n)).toBe(true);
    }
  });

  it('is what JsonReportWriter writes when the sorted results come in pieces of any size', () => {
    for (const n of [0, 1, 3, 300, 700]) {
      const results = Array.from({ length: n }, (_, i) => ({
        ...RESULTS[i % RESULTS.length],
        message: i % 5 === 0 ? `“${i}” → ü` : `message ${i}`,
        location: { ...RESULTS[i % RESULTS.length].location, line: i + 1 },
      }));
      for (const failOn of ['critical', 'low'] as const) {
        const report = makeReport({ results, failOn });
        const pieces: string[] = [];
        const w = new JsonReportWriter((b) => pieces.push(b), report.tool);
        const sorted = sortResults(results);
        for (let i = 0; i < sorted.length; i += 1 + (i % 97)) w.results(sorted.slice(i, i + 1 + (i % 97)));
        const failing = w.end(report.errors, failOn, report.filesScanned, report.durationMs);
        expect(pieces.join('') === formatJson(report), `${n} ${failOn}`).toBe(true);
        expect(failing).toBe(summarize(report).failsThreshold);
      }
    }
  });
});
