import { describe, expect, it } from 'vitest';
import { type Config, emptyConfig, parseConfig } from '../../src/engine/config.js';
import { buildIgnoreIndex, type IgnoreIndex } from '../../src/engine/ignores.js';
import { applyPolicy, enabledRules, exitCode, type PolicyInput } from '../../src/engine/policy.js';
import { RULES } from '../../src/rules/index.js';
import type { RawResult, Result } from '../../src/types.js';

const TODAY = '2025-06-15';

function raw(status: RawResult['status'], file = 'Dockerfile', line = 1, extra: Partial<RawResult> = {}): RawResult {
  return {
    status,
    target: file,
    message: `${status} message`,
    location: { file, line, column: 1, endLine: line, endColumn: 5 },
    ...extra,
  };
}
const cfg = (yaml: string): Config => parseConfig(yaml, 'seaworthy.yml');
const run = (input: PolicyInput[], config: Config = emptyConfig(), ignores = new Map<string, IgnoreIndex>(), today = TODAY) =>
  applyPolicy(input, { config, ignores, today });

describe('severity', () => {
  it('uses the rule default, then the result severity, then the config override', () => {
    const input: PolicyInput[] = [
      { ruleId: 'dockerfile/copy-not-add', raw: raw('fail') },
      { ruleId: 'dockerfile/copy-not-add', raw: raw('fail', 'Dockerfile', 2, { severity: 'medium' }) },
    ];
    expect(run(input).results.map((r) => r.severity)).toEqual(['low', 'medium']);
    const overridden = run(input, cfg('rules:\n  dockerfile/copy-not-add: critical\n'));
    expect(overridden.results.map((r) => r.severity)).toEqual(['critical', 'critical']);
  });

  it('drops results of rules turned off, and enabledRules leaves them out', () => {
    const config = cfg('rules:\n  dockerfile/cache-mounts: off\n');
    const { results } = run(
      [
        { ruleId: 'dockerfile/cache-mounts', raw: raw('fail') },
        { ruleId: 'dockerfile/no-sudo', raw: raw('pass', 'Dockerfile', 1, { evidence: 'no sudo' }) },
      ],
      config,
    );
    expect(results.map((r) => [r.ruleId, r.status, r.evidence])).toEqual([['dockerfile/no-sudo', 'pass', 'no sudo']]);
    const ids = enabledRules(config).map((r) => r.meta.id);
    expect(ids).not.toContain('dockerfile/cache-mounts');
    expect(ids).toHaveLength(RULES.length - 1);
  });

  it('rejects results of unregistered rules and a bad today', () => {
    expect(() => run([{ ruleId: 'x/y', raw: raw('fail') }])).toThrow(/unregistered/);
    expect(() => run([], emptyConfig(), new Map(), '15/06/2025')).toThrow(/today/);
  });
});

describe('waivers', () => {
  const W = (extra = '') => cfg(`waivers:\n  - rule: dockerfile/non-root-user\n    reason: nginx needs root\n${extra}`);

  it('waives fail results of the rule everywhere when no paths are given', () => {
    const { results, notices } = run(
      [
        { ruleId: 'dockerfile/non-root-user', raw: raw('fail', 'a/Dockerfile') },
        { ruleId: 'dockerfile/non-root-user', raw: raw('fail', 'b/Dockerfile') },
        { ruleId: 'dockerfile/no-sudo', raw: raw('fail', 'a/Dockerfile') },
      ],
      W(),
    );
    expect(results.map((r) => r.status)).toEqual(['waived', 'waived', 'fail']);
    expect(results[0].waiver).toEqual({ reason: 'nginx needs root', source: 'seaworthy.yml' });
    expect(notices).toEqual([]);
  });

  it('matches paths with gitignore globs', () => {
    const config = W('    paths: [frontend/Dockerfile, "tools/**"]\n');
    const { results } = run(
      [
        { ruleId: 'dockerfile/non-root-user', raw: raw('fail', 'frontend/Dockerfile') },
        { ruleId: 'dockerfile/non-root-user', raw: raw('fail', 'backend/Dockerfile') },
        { ruleId: 'dockerfile/non-root-user', raw: raw('fail', 'tools/x/Dockerfile.dev') },
      ],
      config,
    );
    expect(results.map((r) => r.status)).toEqual(['waived', 'fail', 'waived']);
  });

  it('leaves pass and unknown results alone, and waives info-level advice', () => {
    const config = cfg(
      'waivers:\n  - rule: dockerfile/init-process\n    reason: exec entrypoint, no zombies\n  - rule: dockerfile/no-sudo\n    reason: x\n',
    );
    const { results } = run(
      [
        { ruleId: 'dockerfile/init-process', raw: raw('fail') },
        { ruleId: 'dockerfile/no-sudo', raw: raw('pass') },
        { ruleId: 'dockerfile/no-sudo', raw: raw('unknown') },
      ],
      config,
    );
    expect(results.map((r) => [r.severity, r.status])).toEqual([
      ['info', 'waived'],
      ['high', 'pass'],
      ['high', 'unknown'],
    ]);
    expect(results[1].waiver).toBeUndefined();
  });

  it('reports a waiver that matched nothing', () => {
    const { notices } = run([{ ruleId: 'dockerfile/non-root-user', raw: raw('pass') }], W('    paths: [api/**]\n'));
    expect(notices).toHaveLength(1);
    expect(notices[0]).toMatchObject({ file: 'seaworthy.yml', line: 2 });
    expect(notices[0].message).toContain('waiver for dockerfile/non-root-user');
    expect(notices[0].message).toContain('matched no result');
  });

  it('reports nothing stale about rules that were not run, when told which ran', () => {
    const r = applyPolicy([], { config: W(), ignores: new Map(), today: TODAY, ranRules: new Set(['dockerfile/no-sudo']) });
    expect(r.notices).toEqual([]);
  });

  it('says a waiver of a rule turned off has no effect', () => {
    const config = cfg('rules:\n  dockerfile/non-root-user: off\nwaivers:\n  - rule: dockerfile/non-root-user\n    reason: x\n');
    expect(run([], config).notices[0].message).toContain('turned off');
  });
});

describe('waiver expiry (relative to the injected today)', () => {
  const config = (date: string) =>
    cfg(`waivers:\n  - rule: dockerfile/no-sudo\n    reason: legacy installer\n    expires: ${date}\n`);
  const input: PolicyInput[] = [{ ruleId: 'dockerfile/no-sudo', raw: raw('fail') }];

  it('hides findings until and including the expiry day', () => {
    for (const d of ['2025-06-15', '2026-01-01']) {
      const { results, notices } = run(input, config(d));
      expect(results[0].status).toBe('waived');
      expect(results[0].waiver).toEqual({ reason: 'legacy installer', source: 'seaworthy.yml', expires: d });
      expect(notices).toEqual([]);
    }
  });

  it('an expired waiver hides nothing: fail, message suffix, notice', () => {
    const { results, notices } = run(input, config('2025-06-14'));
    expect(results[0].status).toBe('fail');
    expect(results[0].waiver).toBeUndefined();
    expect(results[0].message).toMatch(/^fail message .*expired on 2025-06-14/);
    expect(notices).toHaveLength(1);
    expect(notices[0].message).toContain('expired on 2025-06-14');
    expect(exitCode(results, 'high')).toBe(1);
  });

  it('the same config is valid or expired depending on today', () => {
    expect(run(input, config('2025-01-01'), new Map(), '2024-12-31').results[0].status).toBe('waived');
    expect(run(input, config('2025-01-01'), new Map(), '2025-01-02').results[0].status).toBe('fail');
  });

  it('an expired waiver that matched nothing is reported too', () => {
    const { notices } = run([], config('2020-01-01'));
    expect(notices[0].message).toMatch(/expired on 2020-01-01 and matched no result/);
  });

  it('a later active waiver still applies when an earlier one expired', () => {
    const c = cfg(
      'waivers:\n  - rule: dockerfile/no-sudo\n    reason: old\n    expires: 2020-01-01\n  - rule: dockerfile/no-sudo\n    reason: renewed\n    expires: 2030-01-01\n',
    );
    const { results } = run(input, c);
    expect(results[0].waiver?.reason).toBe('renewed');
  });
});

describe('inline ignores', () => {
  const ignores = (file: string, comments: [number, string][], statements: [number, number][]) =>
    new Map([
      [
        file,
        buildIgnoreIndex(
          file,
          comments.map(([line, text]) => ({ text, range: { line, column: 1, endLine: line } })),
          statements.map(([line, endLine]) => ({ line, endLine })),
        ),
      ],
    ]);

  it('waives with the pragma reason and source', () => {
    const ix = ignores(
      'Dockerfile',
      [
        [1, '# seaworthy-ignore dockerfile/no-sudo -- vendor installer'],
        [3, '# hadolint ignore=DL3002'],
        [5, '# checkov:skip=CKV_DOCKER_2: worker has no port'],
      ],
      [[2, 2], [4, 4], [6, 6]],
    );
    const { results } = run(
      [
        { ruleId: 'dockerfile/no-sudo', raw: raw('fail', 'Dockerfile', 2) },
        { ruleId: 'dockerfile/non-root-user', raw: raw('fail', 'Dockerfile', 4) },
        { ruleId: 'dockerfile/healthcheck', raw: raw('fail', 'Dockerfile', 6) },
        { ruleId: 'dockerfile/no-sudo', raw: raw('fail', 'Dockerfile', 6) },
        { ruleId: 'dockerfile/no-sudo', raw: raw('fail', 'other/Dockerfile', 2) },
      ],
      emptyConfig(),
      ix,
    );
    expect(results.map((r) => [r.status, r.waiver])).toEqual([
      ['waived', { reason: 'vendor installer', source: 'inline' }],
      ['waived', { reason: 'no reason given', source: 'hadolint' }],
      ['waived', { reason: 'worker has no port', source: 'checkov' }],
      ['fail', undefined],
      ['fail', undefined],
    ]);
  });

  it('passes ignore warnings through and reports unused seaworthy pragmas', () => {
    const ix = ignores(
      'Dockerfile',
      [
        [1, '# seaworthy-ignore dockerfile/no-sudo,dockerfile/typo -- x'],
        [3, '# hadolint ignore=DL3002'],
      ],
      [[2, 2], [4, 4]],
    );
    const { notices } = run([{ ruleId: 'dockerfile/no-sudo', raw: raw('pass', 'Dockerfile', 2) }], emptyConfig(), ix);
    expect(notices.map((n) => [n.file, n.line])).toEqual([
      ['Dockerfile', 1],
      ['Dockerfile', 1],
    ]);
    expect(notices[0].message).toContain('dockerfile/typo');
    expect(notices[1].message).toContain('matched no finding');
  });

  it('an active config waiver wins; an inline ignore still hides when the waiver expired', () => {
    const ix = ignores('Dockerfile', [[1, '# seaworthy-ignore dockerfile/no-sudo -- inline reason']], [[2, 2]]);
    const active = cfg('waivers:\n  - rule: dockerfile/no-sudo\n    reason: config reason\n');
    const expired = cfg('waivers:\n  - rule: dockerfile/no-sudo\n    reason: config reason\n    expires: 2020-01-01\n');
    const input: PolicyInput[] = [{ ruleId: 'dockerfile/no-sudo', raw: raw('fail', 'Dockerfile', 2) }];
    const a = run(input, active, ix);
    expect(a.results[0].waiver?.source).toBe('seaworthy.yml');
    expect(a.notices).toEqual([]); // the inline pragma covered it too: not reported as unused
    const r = run(input, expired, ix);
    expect(r.results[0].waiver?.source).toBe('inline');
    expect(r.notices.some((n) => n.message.includes('expired'))).toBe(true);
  });
});

describe('exitCode', () => {
  const res = (status: Result['status'], severity: Result['severity']): Result => ({
    ruleId: 'dockerfile/no-sudo',
    status,
    severity,
    target: 'Dockerfile',
    message: '',
    location: { file: 'Dockerfile', line: 1, column: 1, endLine: 1, endColumn: 2 },
  });

  it('is 1 only for a fail at or above failOn', () => {
    expect(exitCode([], 'info')).toBe(0);
    expect(exitCode([res('fail', 'high')], 'high')).toBe(1);
    expect(exitCode([res('fail', 'critical')], 'high')).toBe(1);
    expect(exitCode([res('fail', 'medium')], 'high')).toBe(0);
    expect(exitCode([res('fail', 'medium')], 'medium')).toBe(1);
    expect(exitCode([res('fail', 'info')], 'low')).toBe(0);
    expect(exitCode([res('fail', 'info')], 'info')).toBe(1);
  });

  it('ignores waived, pass and unknown results', () => {
    expect(exitCode([res('waived', 'critical'), res('pass', 'critical'), res('unknown', 'critical')], 'info')).toBe(0);
  });
});
