/** `seaworthy report` on the command line (run from the sources): output file, --date, exit codes. */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cleanup, materialise } from './helpers.js';

const ROOT = join(import.meta.dirname, '../..');
const out = mkdtempSync(join(tmpdir(), 'seaworthy-report-out-'));

function run(args: string[]) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'src/cli/main.ts'), ...args], { encoding: 'utf8', cwd: ROOT });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

afterAll(() => {
  cleanup();
  rmSync(out, { recursive: true, force: true });
});

describe('seaworthy report', () => {
  it('writes the document to --output with the --date given, exit 0 even with gaps', () => {
    const file = join(out, 'SECURITY.md');
    const r = run(['report', materialise('full'), '--date', '2029-02-03', '--output', file]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    const md = readFileSync(file, 'utf8');
    expect(md.startsWith('# Docker Security Best Practices\n\n> **Last Updated:** 2029-02-03\n')).toBe(true);
  });

  it('judges waivers on --date: after its expiry the waived finding is a gap again', () => {
    const r = run(['report', materialise('full'), '--date', '2030-01-02']);
    expect(r.code).toBe(0);
    expect(r.stdout).not.toContain('| An init process runs as PID 1 | Not implemented |');
    expect(r.stdout).toMatch(/\| `dockerfile\/init-process` \|[^\n]*expired on 2030-01-01/);
  });

  it('rejects a --date that is not a calendar day (exit 2)', () => {
    for (const bad of ['2026-02-30', '15/01/2026', 'tomorrow']) {
      const r = run(['report', materialise('no-ci'), '--date', bad]);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain('must be a date written YYYY-MM-DD');
      expect(existsSync(join(out, bad))).toBe(false);
    }
  });

  it('a config error exits 2', () => {
    const r = run(['report', materialise('no-ci'), '--config', join(out, 'missing.yml')]);
    expect(r.code).toBe(2);
  });
});
