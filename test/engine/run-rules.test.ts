/** runRules: one rule's results that are the same finding (same key: status, range, message, environment) are kept once. */
import { describe, expect, it } from 'vitest';
import { runRules } from '../../src/check.js';
import type { Project } from '../../src/model/project.js';
import type { RawResult, Rule, RuleMeta } from '../../src/types.js';

const project = {} as Project;

function raw(file: string, line: number, message: string, extra: Partial<RawResult> = {}): RawResult {
  return { status: 'fail', target: `t:${message}`, message, location: { file, line, column: 1, endLine: line, endColumn: 5 }, ...extra };
}

function rule(id: string, results: RawResult[]): Rule {
  return { meta: { id } as RuleMeta, check: () => results };
}

function kept(rules: Rule[]): string[] {
  return runRules(rules, project).input.map((i) => `${i.ruleId} ${i.raw.target}`);
}

describe('runRules', () => {
  it('keeps the first of equal results and every result that differs', () => {
    const a = raw('Dockerfile', 3, 'm');
    const b = { ...raw('Dockerfile', 3, 'm'), target: 'other image' };
    const results = [
      a,
      b,
      raw('Dockerfile', 3, 'n'),
      raw('other/Dockerfile', 3, 'm'),
      raw('Dockerfile', 3, 'm', { status: 'pass' }),
      raw('Dockerfile', 3, 'm', { environment: 'prod' }),
      raw('Dockerfile', 3, 'm', { environment: '' }),
      { ...raw('Dockerfile', 3, 'm'), location: { file: 'Dockerfile', line: 3, column: 2, endLine: 3, endColumn: 5 } },
    ];
    expect(kept([rule('r/a', results)])).toEqual(['r/a t:m', 'r/a t:n', 'r/a t:m', 'r/a t:m', 'r/a t:m', 'r/a t:m']);
    // Another rule's equal results are its own.
    expect(kept([rule('r/a', [a]), rule('r/b', [b])])).toEqual(['r/a t:m', 'r/b other image']);
  });

  it('dedupes many results of one rule the same way', () => {
    const results: RawResult[] = [];
    for (let i = 0; i < 100; i++) results.push(raw(`f${i % 7}`, i % 13, `m${i % 3}`, { target: `t${i}` }));
    const seen = new Set<string>();
    const expected: string[] = [];
    for (const r of results) {
      const k = `${r.location.file} ${r.location.line} ${r.message}`;
      if (!seen.has(k)) expected.push(`r/many ${r.target}`);
      seen.add(k);
    }
    expect(kept([rule('r/many', results)])).toEqual(expected);
  });

  it('a rule id listed twice: the second rule’s results that equal the first’s are dropped', () => {
    expect(
      kept([
        rule('r/a', [raw('D', 1, 'x')]),
        rule('r/b', [raw('D', 1, 'x')]),
        rule('r/a', [raw('D', 1, 'x', { target: 'again' }), raw('D', 2, 'y')]),
      ]),
    ).toEqual(['r/a t:x', 'r/b t:x', 'r/a t:y']);
  });

  it('lines 1,024 apart are different lines; a NUL can join different messages and environments into one key', () => {
    expect(kept([rule('r/a', [raw('D', 1, 'x'), raw('D', 1025, 'x', { target: 'far' }), raw('D', 1, 'x', { target: 'dup' })])])).toEqual([
      'r/a t:x',
      'r/a far',
    ]);
    const joined = [
      raw('D', 1, 'x\0y', { target: 'first' }),
      raw('D', 1, 'x', { environment: 'y\0', target: 'same key' }),
      raw('D', 1, 'x', { environment: 'y', target: 'other' }),
    ];
    expect(kept([rule('r/a', joined)])).toEqual(['r/a first', 'r/a other']);
  });

  it('a rule that throws becomes an error', () => {
    const bad: Rule = {
      meta: { id: 'r/bad' } as RuleMeta,
      check: () => {
        throw new Error('boom');
      },
    };
    const out = runRules([bad, rule('r/a', [raw('D', 1, 'x')])], project);
    expect(out.errors).toEqual([{ file: '', message: 'internal error in rule r/bad: boom' }]);
    expect(out.input.length).toBe(1);
  });
});
