import { describe, expect, it } from 'vitest';
import { colors, shouldColor } from '../../src/format/color.js';
import { sortResults, summarize } from '../../src/format/report.js';
import { formatText, TextReportWriter } from '../../src/format/text.js';
import type { Result } from '../../src/types.js';
import { makeReport, RESULTS } from './fixtures.js';

describe('formatText', () => {
  const out = formatText(makeReport(), { color: false });
  const lines = out.split('\n');

  it('has no escape codes without colour, and some with colour', () => {
    expect(out.includes('\u001b[')).toBe(false);
    expect(formatText(makeReport(), { color: true }).includes('\u001b[')).toBe(true);
  });

  it('groups by target, with a heading per target and its files', () => {
    const headings = lines.filter((l) => l !== '' && !l.startsWith(' '));
    expect(headings.slice(0, 4)).toEqual([
      'backend/Dockerfile',
      'prod:app  docker-compose.yml',
      'frontend/Dockerfile',
      'worker/Dockerfile',
    ]);
  });

  it('lists failures with severity, file:line:col, rule id and message, worst first', () => {
    const i = lines.indexOf('backend/Dockerfile');
    expect(lines.slice(i, i + 5)).toEqual([
      'backend/Dockerfile',
      '  ✖ high      backend/Dockerfile:1:1  dockerfile/non-root-user',
      '              The final stage runs as root. Add `USER 1001` after creating the user.',
      '  ✖ medium    backend/Dockerfile:1:1  dockerfile/pinned-base',
      '              FROM node has no tag, so every build may get a different base. Pin a version: `FROM node:22-slim`.',
    ]);
    expect(out).toContain('  ✖ high      docker-compose.yml:4:23  secrets/no-default-in-prod [prod]\n');
  });

  it('lists unknowns, and passes/waivers only as counts', () => {
    expect(out).toContain('  ? unknown   worker/Dockerfile:2:1  dockerfile/pinned-base\n');
    expect(out).toContain('FROM ${BASE} has no default, so the base image is unknown.');
    expect(out).toContain('  ✔ 1 passed · ~ 1 waived\n');
    expect(out).not.toContain('appuser');
    expect(out).not.toContain('nginx drops privileges');
  });

  it('lists passes with evidence and waivers with their reason when verbose', () => {
    const v = formatText(makeReport(), { color: false, verbose: true });
    expect(v).toContain('  ✔ pass      worker/Dockerfile:9:1  dockerfile/non-root-user\n              `appuser` (UID 1001)\n');
    expect(v).toContain(
      '  ~ waived    frontend/Dockerfile:1:1  dockerfile/non-root-user\n              waived: nginx drops privileges itself (seaworthy.yml:4, expires 2031-01-01)\n',
    );
    expect(v).not.toContain('  ✔ 1 passed');
  });

  it('has an errors section', () => {
    expect(out).toContain('Errors\n  ✖ compose.override.yaml:7  YAML syntax error: unexpected end of stream\n');
  });

  it('ends with the summary line and the --fail-on verdict', () => {
    expect(lines.slice(-3)).toEqual([
      '✖ 3 failing (2 high, 1 medium) · 2 passed · 1 waived · 1 unknown · 1 error · 14 files in 0.21 s',
      'Fails --fail-on high: 2 findings at or above high.',
      '',
    ]);
    const lenient = formatText(makeReport({ failOn: 'critical', errors: [] }), { color: false }).split('\n');
    expect(lenient.slice(-3)).toEqual([
      '✖ 3 failing (2 high, 1 medium) · 2 passed · 1 waived · 1 unknown · 14 files in 0.21 s',
      'Passes --fail-on critical: no failing finding at or above critical.',
      '',
    ]);
  });

  it('handles an empty report', () => {
    const empty = formatText(makeReport({ results: [], errors: [], filesScanned: 1, durationMs: 5 }), { color: false });
    expect(empty).toBe(
      'No results.\n\n✔ 0 failing · 0 passed · 0 waived · 0 unknown · 1 file in 0.01 s\nPasses --fail-on high: no failing finding at or above high.\n',
    );
  });

  it('is deterministic whatever the input order', () => {
    expect(formatText(makeReport({ results: [...RESULTS].reverse() }), { color: false })).toBe(out);
  });

  it('prints masked messages as given', () => {
    expect(out).toContain('${REDIS_PASSWORD:-****}');
  });
});

describe('shouldColor', () => {
  it('follows NO_COLOR, then FORCE_COLOR, then the TTY', () => {
    expect(shouldColor({ isTTY: true }, {})).toBe(true);
    expect(shouldColor({ isTTY: false }, {})).toBe(false);
    expect(shouldColor({}, {})).toBe(false);
    expect(shouldColor({ isTTY: true }, { NO_COLOR: '1' })).toBe(false);
    expect(shouldColor({ isTTY: true }, { NO_COLOR: '' })).toBe(true);
    expect(shouldColor({ isTTY: false }, { FORCE_COLOR: '1' })).toBe(true);
    expect(shouldColor({ isTTY: false }, { FORCE_COLOR: '' })).toBe(true);
    expect(shouldColor({ isTTY: true }, { FORCE_COLOR: '0' })).toBe(true);
    expect(shouldColor({ isTTY: false }, { FORCE_COLOR: '0' })).toBe(false);
    expect(shouldColor({ isTTY: false }, { NO_COLOR: '1', FORCE_COLOR: '1' })).toBe(false);
  });

  it('makes colour functions that can be switched off', () => {
    expect(colors(false).red('x')).toBe('x');
    expect(colors(true).red('x')).not.toBe('x');
  });
});

describe('TextReportWriter (a check in parts)', () => {
  // Results of a repository of many targets, with the repository's own target ("repo") both first
  // (no file) and further down (a root file), as a check in parts hands them.
  function results(n: number): Result[] {
    const out: Result[] = [];
    for (let i = 0; i < n; i++) {
      const base = RESULTS[i % RESULTS.length];
      const file = `svc-${String(Math.floor(i / 3)).padStart(3, '0')}/Dockerfile`;
      out.push({ ...base, target: file, message: `${base.message} ${i}`, location: { ...base.location, file, line: (i % 3) + 1 } });
    }
    out.push({ ...RESULTS[0], target: 'repo', status: 'fail', location: { file: '', line: 1, column: 1, endLine: 1, endColumn: 1 } });
    out.push({ ...RESULTS[1], target: 'repo (image)', status: 'pass', location: { file: '', line: 1, column: 1, endLine: 1, endColumn: 1 } });
    out.push({ ...RESULTS[2], target: 'repo', status: 'pass', location: { file: 'svc-001.gitignore', line: 1, column: 1, endLine: 1, endColumn: 1 } });
    return sortResults(out);
  }
  const repository = (t: string) => t === 'repo' || t.startsWith('repo (');

  it('writes formatText whatever the pieces (cut between targets) and whenever the repository is done', () => {
    for (const n of [0, 1, 7, 40]) {
      for (const verbose of [false, true]) {
        const sorted = results(n);
        const report = makeReport({ results: sorted, failOn: 'medium', durationMs: 1234 });
        // Where a piece may end: no target other than the repository's runs across it.
        const last = new Map<string, number>();
        for (let i = 0; i < sorted.length; i++) last.set(sorted[i].target, i);
        let text = '';
        const w = new TextReportWriter((t) => (text += t), { color: false, verbose }, repository);
        const lastRepo = Math.max(-1, ...sorted.map((r, i) => (repository(r.target) ? i : -1)));
        let from = 0;
        const open = new Set<string>();
        let done = false;
        for (let i = 0; i < sorted.length; i++) {
          open.add(sorted[i].target);
          if (last.get(sorted[i].target) === i) open.delete(sorted[i].target);
          const cut = [...open].every(repository) && (i % 2 === 0 || i === sorted.length - 1);
          if (!cut) continue;
          w.results(sorted.slice(from, i + 1));
          from = i + 1;
          if (!done && i >= lastRepo) {
            w.repositoryDone();
            done = true;
          }
        }
        const fails = w.end(report.errors, report.failOn, report.filesScanned, report.durationMs);
        expect(text, `${n} ${verbose}`).toBe(formatText(report, { color: false, verbose }));
        expect(fails).toBe(summarize(report).failsThreshold);
      }
    }
  });
});
