/** `seaworthy verify` end to end without an engine: unreachable hosts, usage errors (the real-engine runs are in test/live/integration.test.ts). */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '../..');
const BIN = join(ROOT, 'bin/seaworthy.js');
const dirs: string[] = [];

function run(args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', ...env } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function repo(): string {
  const dir = mkdtempSync(join(tmpdir(), 'seaworthy-cli-verify-'));
  writeFileSync(join(dir, 'docker-compose.yml'), 'name: shop\nservices:\n  app:\n    image: alpine:3.20\n');
  dirs.push(dir);
  return dir;
}

beforeAll(() => {
  if (!existsSync(join(ROOT, 'dist/seaworthy.cjs'))) throw new Error('dist/seaworthy.cjs missing: run `npm run build` (npm test does)');
});
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('seaworthy verify without an engine', () => {
  it('an unreachable unix socket: exit 2, "cannot reach the Docker engine at ..."', () => {
    const sock = join(tmpdir(), `seaworthy-nowhere-${process.pid}.sock`);
    const r = run(['verify', repo()], { DOCKER_HOST: `unix://${sock}` });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`cannot reach the Docker engine at unix://${sock}`);
    expect(r.stdout).toBe('');
  });

  it('an unreachable tcp:// host: exit 2 within the --timeout', () => {
    const started = Date.now();
    // 192.0.2.0/24 is TEST-NET-1: never routed, so the connection hangs (or fails fast with no route).
    const r = run(['verify', repo(), '--timeout', '1'], { DOCKER_HOST: 'tcp://192.0.2.1:2375' });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /cannot reach the Docker engine at tcp:\/\/192\.0\.2\.1:2375|the Docker engine at tcp:\/\/192\.0\.2\.1:2375 did not answer/,
    );
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('a DOCKER_HOST it cannot use, a path without a compose project, a bad --timeout: exit 2', () => {
    expect(run(['verify', repo()], { DOCKER_HOST: 'ssh://me@host' })).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('ssh:// hosts are not supported'),
    });
    const empty = mkdtempSync(join(tmpdir(), 'seaworthy-cli-verify-'));
    dirs.push(empty);
    expect(run(['verify', empty])).toMatchObject({ code: 2, stderr: expect.stringContaining('--project NAME') });
    expect(run(['verify', repo(), '--timeout', 'soon']).code).toBe(2);
  });

  it('is listed in the help, and its rules in the catalogue', () => {
    expect(run(['--help']).stdout).toContain('verify');
    const rules = run(['rules']);
    expect(rules.stdout).toContain('runtime/non-root');
    expect(run(['explain', 'runtime/graceful-stop']).stdout).toContain('--probe-signals');
  });
});
