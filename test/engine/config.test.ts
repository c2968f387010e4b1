import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, parseConfig, resolveFailOn } from '../../src/engine/config.js';

function err(text: string): ConfigError {
  try {
    parseConfig(text, 'seaworthy.yml');
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return e as ConfigError;
  }
  throw new Error('expected a ConfigError');
}

describe('parseConfig', () => {
  it('reads a full config', () => {
    const c = parseConfig(
      [
        'rules:',
        '  dockerfile/healthcheck: low',
        '  dockerfile/cache-mounts: off',
        'failOn: medium',
        'exclude: [vendor/**, "legacy/"]',
        'waivers:',
        '  - rule: dockerfile/non-root-user',
        '    reason: nginx master needs root to bind 80',
        '    paths: [frontend/Dockerfile]',
        '    expires: 2030-01-31',
        '  - rule: dockerfile/init-process',
        '    reason: "  not implemented on purpose "',
        'environments:',
        '  prod: [compose.yaml, compose.prod.yaml]',
        '',
      ].join('\n'),
      'seaworthy.yml',
    );
    expect(c.rules).toEqual({ 'dockerfile/healthcheck': 'low', 'dockerfile/cache-mounts': 'off' });
    expect(c.failOn).toBe('medium');
    expect(c.exclude).toEqual(['vendor/**', 'legacy/']);
    expect(c.environments).toEqual({ prod: ['compose.yaml', 'compose.prod.yaml'] });
    expect(c.waivers).toEqual([
      {
        rule: 'dockerfile/non-root-user',
        reason: 'nginx master needs root to bind 80',
        paths: ['frontend/Dockerfile'],
        expires: '2030-01-31',
        source: { file: 'seaworthy.yml', line: 7 },
      },
      { rule: 'dockerfile/init-process', reason: 'not implemented on purpose', source: { file: 'seaworthy.yml', line: 11 } },
    ]);
  });

  it('treats an empty or comment-only file as an empty config', () => {
    for (const text of ['', '# nothing yet\n', '---\n']) {
      expect(parseConfig(text, 'seaworthy.yml')).toEqual({ rules: {}, waivers: [], exclude: [], environments: {} });
    }
  });

  it('accepts empty sections', () => {
    expect(parseConfig('rules:\nwaivers:\n', 'x.yml').waivers).toEqual([]);
  });

  it('accepts anchors and aliases within the limit', () => {
    const c = parseConfig('exclude: &ex [a/, b/]\nenvironments:\n  prod: *ex\n', 'x.yml');
    expect(c.environments.prod).toEqual(['a/', 'b/']);
  });

  it('rejects an unknown top-level key, naming it and its line', () => {
    const e = err('rules: {}\nwaiver:\n  - rule: dockerfile/no-sudo\n');
    expect(e.line).toBe(2);
    expect(e.key).toBe('waiver');
    expect(e.message).toContain('seaworthy.yml:2');
    expect(e.message).toContain("unknown key 'waiver'");
    expect(e.message).toContain("did you mean 'waivers'");
  });

  it('rejects an unknown key inside a waiver', () => {
    const e = err('waivers:\n  - rule: dockerfile/no-sudo\n    reason: x\n    path: [a]\n');
    expect(e.line).toBe(4);
    expect(e.key).toBe('path');
    expect(e.message).toMatch(/unknown key 'path' in waivers\[0\]/);
  });

  it('rejects an unknown rule id in rules and in waivers', () => {
    const a = err('rules:\n  dockerfile/non-root: off\n');
    expect(a.line).toBe(2);
    expect(a.message).toContain("unknown rule id 'dockerfile/non-root'");
    const b = err('waivers:\n  - reason: x\n    rule: dockerfile/nope\n');
    expect(b.line).toBe(3);
    expect(b.message).toContain("unknown rule id 'dockerfile/nope'");
  });

  it('explains that another tool\'s code is not a rule id', () => {
    const e = err('rules:\n  DL3002: off\n');
    expect(e.message).toContain('dockerfile/non-root-user');
  });

  it('requires a non-empty reason', () => {
    const missing = err('waivers:\n  - rule: dockerfile/no-sudo\n');
    expect(missing.line).toBe(2);
    expect(missing.message).toContain("'reason'");
    const empty = err('waivers:\n  - rule: dockerfile/no-sudo\n    reason: "  "\n');
    expect(empty.line).toBe(3);
    expect(empty.message).toContain('reason');
    const wrongType = err('waivers:\n  - rule: dockerfile/no-sudo\n    reason: 42\n');
    expect(wrongType.message).toContain('reason');
  });

  it('requires a rule in a waiver', () => {
    expect(err('waivers:\n  - reason: because\n').message).toContain("'rule'");
  });

  it('rejects a bad date', () => {
    for (const d of ['2025-02-30', '2025-13-01', 'tomorrow', '20250101', '2025-1-1']) {
      const e = err(`waivers:\n  - rule: dockerfile/no-sudo\n    reason: x\n    expires: ${d}\n`);
      expect(e.line).toBe(4);
      expect(e.message).toContain('expires');
    }
    expect(parseConfig('waivers:\n  - rule: dockerfile/no-sudo\n    reason: x\n    expires: "2024-02-29"\n', 'x').waivers[0].expires).toBe('2024-02-29');
  });

  it('rejects a bad severity', () => {
    const a = err('rules:\n  dockerfile/no-sudo: severe\n');
    expect(a.line).toBe(2);
    expect(a.message).toMatch(/critical, high, medium, low, info, off/);
    const b = err('failOn: off\n');
    expect(b.message).toContain('failOn');
    expect(err('failOn: 3\n').message).toContain('failOn');
  });

  it('rejects wrong types', () => {
    expect(err('rules: [a]\n').message).toContain('rules');
    expect(err('waivers: {rule: x}\n').message).toContain('waivers');
    expect(err('waivers: [x]\n').message).toContain('waivers[0]');
    expect(err('exclude: vendor\n').message).toContain('exclude');
    expect(err('exclude: [1]\n').message).toContain('exclude[0]');
    expect(err('environments: [prod]\n').message).toContain('environments');
    expect(err('environments:\n  prod: compose.yaml\n').message).toContain('environments.prod');
    expect(err('environments:\n  prod: [a, {b: c}]\n').line).toBe(2);
    expect(err('- a\n- b\n').message).toContain('mapping');
    expect(err('waivers:\n  - rule: dockerfile/no-sudo\n    reason: x\n    paths: a/\n').line).toBe(4);
  });

  it('reports malformed YAML with line and column', () => {
    const e = err('rules:\n  dockerfile/no-sudo: [low\nfailOn: high\n');
    expect(e.message).toMatch(/^seaworthy\.yml:\d+:\d+: malformed YAML/);
    expect(e.line).toBeGreaterThan(0);
    expect(e.column).toBeGreaterThan(0);
  });

  it('rejects duplicate keys', () => {
    const e = err('failOn: high\nfailOn: low\n');
    expect(e.line).toBe(2);
    expect(e.message).toContain('unique');
  });

  it('limits aliases (YAML bomb)', () => {
    const bomb = [
      'a: &a [x, x, x, x, x, x, x, x, x, x]',
      'b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]',
      'c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]',
      'd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]',
      'exclude: [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]',
    ].join('\n');
    const started = Date.now();
    const e = err(bomb);
    expect(e.message).toMatch(/alias/i);
    expect(e.line).toBe(2);
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('resolves failOn: CLI, then config, then high', () => {
    expect(resolveFailOn(parseConfig('failOn: low\n', 'x'), 'critical')).toBe('critical');
    expect(resolveFailOn(parseConfig('failOn: low\n', 'x'))).toBe('low');
    expect(resolveFailOn(parseConfig('', 'x'))).toBe('high');
  });
});

describe('loadConfig', () => {
  const dirs: string[] = [];
  const tmp = () => {
    const d = mkdtempSync(path.join(tmpdir(), 'seaworthy-config-'));
    dirs.push(d);
    return d;
  };
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  it('returns an empty config when there is no file', () => {
    const { config, file } = loadConfig(tmp());
    expect(file).toBeNull();
    expect(config.waivers).toEqual([]);
  });

  it('prefers seaworthy.yml over .seaworthy.yml', () => {
    const d = tmp();
    writeFileSync(path.join(d, 'seaworthy.yml'), 'failOn: low\n');
    writeFileSync(path.join(d, '.seaworthy.yml'), 'failOn: critical\n');
    const { config, file } = loadConfig(d);
    expect(config.failOn).toBe('low');
    expect(file).toBe(path.join(d, 'seaworthy.yml'));
  });

  it('finds .seaworthy.yml and names it as the waiver source', () => {
    const d = tmp();
    writeFileSync(path.join(d, '.seaworthy.yml'), 'waivers:\n  - rule: dockerfile/no-sudo\n    reason: x\n');
    const { config } = loadConfig(d);
    expect(config.waivers[0].source).toEqual({ file: '.seaworthy.yml', line: 2 });
  });

  it('uses an explicit path, relative to the root when inside it', () => {
    const d = tmp();
    mkdirSync(path.join(d, 'ci'));
    writeFileSync(path.join(d, 'ci', 'policy.yml'), 'waivers:\n  - rule: dockerfile/no-sudo\n    reason: x\n');
    const { config, file } = loadConfig(d, path.join(d, 'ci', 'policy.yml'));
    expect(file).toBe(path.join(d, 'ci', 'policy.yml'));
    expect(config.waivers[0].source?.file).toBe('ci/policy.yml');
  });

  it('fails when the explicit file is missing', () => {
    const d = tmp();
    expect(() => loadConfig(d, path.join(d, 'nope.yml'))).toThrow(ConfigError);
    expect(() => loadConfig(d, path.join(d, 'nope.yml'))).toThrow(/nope\.yml/);
  });

  it('names the file in validation errors', () => {
    const d = tmp();
    writeFileSync(path.join(d, 'seaworthy.yml'), 'rules:\n  bogus/rule: off\n');
    expect(() => loadConfig(d)).toThrow(`${path.join(d, 'seaworthy.yml')}:2:3: rules: unknown rule id 'bogus/rule'`);
  });
});
