/** End-to-end tests of the built CLI (`npm test` builds it first): exit codes, formats, config, bad input. */
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CI_REPO } from '../ci-monorepo.js';
import { removeTempRepos, tempRepo } from '../temp-repo.js';

const ROOT = join(import.meta.dirname, '../..');
const BIN = join(ROOT, 'bin/seaworthy.js');
const CORPUS = join(ROOT, '../shared/corpus');

function run(args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', ...env },
    maxBuffer: 64 * 1024 * 1024,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function repo(files: Record<string, string | Buffer>): string {
  return tempRepo(files, 'seaworthy-cli-');
}

const ROOT_IMAGE = 'FROM python:3.12-slim\nRUN pip install --no-cache-dir flask\nCMD ["python", "app.py"]\n';
const SECRET =
  'FROM alpine:3.20\nENV API_TOKEN=s3cr3t-v4lue-never-printed\nUSER 1000\nHEALTHCHECK CMD mysqladmin ping -uroot -ps3cr3t-v4lue-never-printed\nCMD ["sh"]\n';
const SECRET_COMPOSE = [
  'services:',
  '  app:',
  '    build: .',
  '    environment:',
  '      REDIS_PASSWORD: s3cr3t-v4lue-never-printed',
  '      DATABASE_URL: postgres://app:s3cr3t-v4lue-never-printed@db/app',
  '      SECRET_KEY: ${SECRET_KEY:-s3cr3t-v4lue-never-printed}',
  '  cache:',
  '    image: redis:7-alpine',
  '    command: redis-server --requirepass s3cr3t-v4lue-never-printed',
  '    healthcheck:',
  '      test: ["CMD", "redis-cli", "-a", "s3cr3t-v4lue-never-printed", "ping"]',
  '',
].join('\n');

beforeAll(() => {
  if (!existsSync(join(ROOT, 'dist/seaworthy.cjs'))) throw new Error('dist/seaworthy.cjs missing: run `npm run build` (npm test does)');
});
afterAll(() => {
  removeTempRepos();
});

describe('seaworthy CLI', () => {
  it('--version prints the package version', () => {
    const r = run(['--version']);
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('exits 1 with findings at or above --fail-on, 0 below it', () => {
    const dir = repo({ Dockerfile: ROOT_IMAGE });
    const r = run(['check', dir]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('Dockerfile:1:1');
    expect(r.stdout).toContain('dockerfile/non-root-user');
    expect(run(['check', dir, '--fail-on', 'critical']).code).toBe(0);
  });

  it('json output follows the contract', () => {
    const dir = repo({ Dockerfile: ROOT_IMAGE });
    const r = run(['check', dir, '--format', 'json']);
    const j = JSON.parse(r.stdout);
    expect(j.schemaVersion).toBe(1);
    expect(j.tool.name).toBe('seaworthy');
    const f = j.results.find((x: { ruleId: string; status: string }) => x.ruleId === 'dockerfile/non-root-user');
    expect(f).toMatchObject({
      status: 'fail',
      severity: 'high',
      target: 'Dockerfile',
      location: { file: 'Dockerfile', line: 1, column: 1 },
    });
    expect(Object.keys(f)).toEqual(expect.arrayContaining(['ruleId', 'status', 'severity', 'target', 'message', 'evidence', 'location']));
    expect(j.errors).toEqual([]);
    expect(j.summary.fail).toBeGreaterThan(0);
  });

  it('a single file path works', () => {
    const dir = repo({ 'build/app.Dockerfile': ROOT_IMAGE });
    const j = JSON.parse(run(['check', join(dir, 'build/app.Dockerfile'), '-f', 'json']).stdout);
    expect(j.results.some((x: { location: { file: string } }) => x.location.file === 'app.Dockerfile')).toBe(true);
  });

  it('never prints a secret value in any format', () => {
    const dir = repo({ Dockerfile: SECRET, 'docker-compose.yml': SECRET_COMPOSE });
    for (const f of ['text', 'json', 'sarif']) {
      const r = run(['check', dir, '-f', f, '--verbose']);
      expect(r.stdout + r.stderr).not.toContain('s3cr3t-v4lue');
      expect(r.stdout).toContain('API_TOKEN');
    }
  });

  it('never prints a password given to a client by a short flag, a secret option or an HTTP header (check and report)', () => {
    const v = 's3cr3t-v4lue-never-printed';
    const dir = repo({
      Dockerfile: [
        'FROM mcr.microsoft.com/mssql/server:2022-CU14-ubuntu-22.04',
        'COPY entrypoint.sh /entrypoint.sh',
        `HEALTHCHECK CMD /opt/mssql-tools/bin/sqlcmd -S localhost -U sa -P ${v} -Q "SELECT 1"`,
        'ENTRYPOINT ["/entrypoint.sh"]',
        '',
      ].join('\n'),
      'entrypoint.sh': `#!/bin/sh\nmongosh -u root -p ${v} --eval 'db.runCommand({ping:1})'\nsqlcmd -U sa -P${v} -Q "SELECT 1"\nexec /opt/mssql/bin/sqlservr\n`,
      'docker-compose.yml': [
        'services:',
        '  db:',
        '    build: .',
        '  mongo:',
        '    image: mongo:7.0.12',
        '    healthcheck:',
        `      test: ["CMD-SHELL", "mongosh -u root -p ${v} --quiet --eval 'db.runCommand({ping:1})'"]`,
        '  rabbit:',
        '    image: rabbitmq:3.13.6',
        '    healthcheck:',
        `      test: ["CMD", "rabbitmqctl", "--erlang-cookie", "${v}", "status"]`,
        '  influx:',
        '    image: influxdb:2.7.10',
        '    healthcheck:',
        `      test: ["CMD", "influx", "ping", "-t", "${v}"]`,
        '  web:',
        '    image: nginx:1.27.1',
        '    healthcheck:',
        `      test: ["CMD-SHELL", "curl -f -H 'X-Api-Key: ${v}' -H 'Authorization: Bearer ${v}' http://localhost/"]`,
        '',
      ].join('\n'),
    });
    for (const args of [
      ['-f', 'text', '--verbose'],
      ['-f', 'json'],
      ['-f', 'sarif'],
    ]) {
      const r = run(['check', dir, ...args]);
      expect(r.stdout).toContain('****');
      expect(r.stdout + r.stderr).not.toContain('s3cr3t-v4lue');
    }
    const report = run(['report', dir]);
    expect(report.stdout).toContain('mongosh -u root -p ****');
    expect(report.stdout + report.stderr).not.toContain('s3cr3t-v4lue');
  });

  it('never prints a secret option of a CMD, an ENTRYPOINT or a compose entrypoint/command (check and report)', () => {
    const v = 's3cr3t-v4lue-never-printed';
    const repos = [
      repo({
        Dockerfile: `FROM python:3.12-slim\nCOPY entrypoint.sh /entrypoint.sh\nENTRYPOINT /entrypoint.sh\nCMD app --api-token ${v}\n`,
        'entrypoint.sh': '#!/bin/sh\nset -e\nexec "$@"\n',
        'docker-compose.yml': [
          'services:',
          '  web:',
          '    build: .',
          `    entrypoint: ["python", "/app.py", "--db-password", "${v}"]`,
          '  worker:',
          '    build: .',
          `    command: ["celery", "--broker-password=${v}", "worker"]`,
          '',
        ].join('\n'),
      }),
      repo({
        Dockerfile: `FROM python:3.12-slim\nUSER 1000\nCMD ["python", "app.py", "--secret-key", "${v}", "--db=postgres://app:${v}@db/app"]\n`,
      }),
      repo({ Dockerfile: `FROM python:3.12-slim\nUSER 1000\nCMD python app.py --secret-key ${v}\n` }),
      // A client's password flag in an exec form, the value on the flag or after it.
      repo({ Dockerfile: `FROM mysql:8.4\nENTRYPOINT ["mysqladmin", "ping", "-p${v}"]\nCMD ["sqlcmd", "-P", "${v}"]\n` }),
    ];
    for (const dir of repos) {
      for (const args of [
        ['-f', 'text', '--verbose'],
        ['-f', 'json'],
        ['-f', 'sarif'],
      ]) {
        const r = run(['check', dir, ...args]);
        expect(r.stdout + r.stderr).not.toContain('s3cr3t-v4lue');
      }
      const report = run(['report', dir]);
      expect(report.stdout + report.stderr).not.toContain('s3cr3t-v4lue');
    }
  });

  it('sarif lists only failing results', () => {
    const dir = repo({ Dockerfile: ROOT_IMAGE });
    const s = JSON.parse(run(['check', dir, '-f', 'sarif']).stdout);
    expect(s.version).toBe('2.1.0');
    const results = s.runs[0].results as { ruleId: string }[];
    expect(results.length).toBeGreaterThan(0);
    const j = JSON.parse(run(['check', dir, '-f', 'json']).stdout);
    expect(results.length).toBe(j.summary.fail);
  });

  it('a config error exits 2 and names the key', () => {
    const dir = repo({ Dockerfile: ROOT_IMAGE, 'seaworthy.yml': 'rulez:\n  dockerfile/non-root-user: off\n' });
    const r = run(['check', dir]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('rulez');
  });

  it('an unknown rule id in the config exits 2 and names it', () => {
    const dir = repo({ Dockerfile: ROOT_IMAGE, 'seaworthy.yml': 'rules:\n  dockerfile/non-root: off\n' });
    const r = run(['check', dir]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('dockerfile/non-root');
  });

  it('waivers hide a finding and say why; expired waivers do not', () => {
    const waiver = (expires: string) =>
      `waivers:\n  - rule: dockerfile/non-root-user\n    reason: legacy image, tracked in JIRA-1\n    expires: ${expires}\n`;
    const dir = repo({ Dockerfile: ROOT_IMAGE, 'seaworthy.yml': waiver('2999-01-01') });
    const j = JSON.parse(run(['check', dir, '-f', 'json']).stdout);
    const w = j.results.find((x: { ruleId: string }) => x.ruleId === 'dockerfile/non-root-user');
    expect(w.status).toBe('waived');
    expect(w.waiver.reason).toContain('JIRA-1');
    const old = repo({ Dockerfile: ROOT_IMAGE, 'seaworthy.yml': waiver('2001-01-01') });
    const r = run(['check', old, '-f', 'json']);
    const e = JSON.parse(r.stdout).results.find((x: { ruleId: string }) => x.ruleId === 'dockerfile/non-root-user');
    expect(e.status).toBe('fail');
    expect(e.message).toContain('2001-01-01');
    expect(r.code).toBe(1);
  });

  it('inline ignores and hadolint pragmas waive the finding', () => {
    const dir = repo({
      Dockerfile:
        '# seaworthy-ignore dockerfile/pinned-base -- upstream only publishes latest\nFROM example/tool:latest\n# hadolint ignore=DL3002\nUSER root\nCMD ["tool"]\n',
    });
    const j = JSON.parse(run(['check', dir, '-f', 'json']).stdout);
    const byRule = (id: string) => j.results.filter((x: { ruleId: string }) => x.ruleId === id);
    expect(byRule('dockerfile/pinned-base')[0]).toMatchObject({ status: 'waived', waiver: { reason: 'upstream only publishes latest' } });
    expect(byRule('dockerfile/non-root-user')[0]).toMatchObject({ status: 'waived' });
  });

  it('inline ignores work in entrypoint scripts and compose files', () => {
    const dir = repo({
      Dockerfile:
        'FROM alpine:3.20\nRUN adduser -D -u 1000 app\nCOPY --chmod=755 entrypoint.sh /usr/local/bin/\nUSER app\nENTRYPOINT ["entrypoint.sh"]\n',
      'entrypoint.sh':
        '#!/bin/sh\nset -e\n# seaworthy-ignore entrypoint/exec-main-process -- supervised by s6 outside\nmyserver --port 80 "$@"\n',
      'docker-compose.yml':
        'services:\n  app:\n    build: .\n    # seaworthy-ignore compose/no-privileged -- needs /dev/fuse, ticket OPS-7\n    privileged: true\n',
    });
    const j = JSON.parse(run(['check', dir, '-f', 'json']).stdout);
    const of = (id: string) => j.results.filter((x: { ruleId: string }) => x.ruleId === id);
    expect(of('entrypoint/exec-main-process')[0]).toMatchObject({ status: 'waived', location: { file: 'entrypoint.sh', line: 4 } });
    expect(of('compose/no-privileged').every((r: { status: string }) => r.status === 'waived')).toBe(true);
    expect(of('compose/no-privileged')[0].waiver.reason).toContain('OPS-7');
  });

  it('--exclude skips files', () => {
    const dir = repo({ Dockerfile: ROOT_IMAGE, 'legacy/Dockerfile': ROOT_IMAGE });
    const j = JSON.parse(run(['check', dir, '-f', 'json', '--exclude', 'legacy/']).stdout);
    expect(j.results.every((x: { location: { file: string } }) => !x.location.file.startsWith('legacy/'))).toBe(true);
  });

  it('bad input is reported, not fatal: binary Dockerfile, empty Dockerfile, symlink loop', () => {
    const dir = repo({
      Dockerfile: ROOT_IMAGE,
      'bin/Dockerfile': Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 0, 1, 2, 3]),
      'empty/Dockerfile': '',
    });
    symlinkSync(dir, join(dir, 'loop'));
    const r = run(['check', dir, '-f', 'json']);
    expect(r.code).toBe(2);
    const j = JSON.parse(r.stdout);
    const files = j.errors.map((e: { file: string }) => e.file);
    expect(files).toContain('bin/Dockerfile');
    expect(files).toContain('empty/Dockerfile');
    // the healthy Dockerfile is still checked
    expect(j.results.some((x: { location: { file: string } }) => x.location.file === 'Dockerfile')).toBe(true);
  });

  it('shell nested or chained too deeply to analyse is reported on its file, and the rest is still checked', () => {
    const deep = `${'echo $('.repeat(5000)}x${')'.repeat(5000)}`;
    const dir = repo({
      'ok/Dockerfile': ROOT_IMAGE,
      'run/Dockerfile': `FROM alpine:3.20\nRUN echo a${' \\\n && echo b'.repeat(40000)}\n`,
      'hc/docker-compose.yml': `services:\n  a:\n    image: alpine:3.20\n    healthcheck:\n      test: "${deep}"\n`,
      'ep/Dockerfile': 'FROM alpine:3.20\nCOPY entrypoint.sh /entrypoint.sh\nENTRYPOINT ["/entrypoint.sh"]\n',
      'ep/entrypoint.sh': `#!/bin/sh\n${deep}\nexec "$@"\n`,
      'yaml/docker-compose.yml': `services:\n  a:\n    image: alpine\n    command: ${'['.repeat(20000)}${']'.repeat(20000)}\n`,
      '.github/workflows/ci.yml': `on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: "${deep}"\n`,
    });
    const r = run(['check', dir, '-f', 'json']);
    expect(r.code).toBe(2);
    expect(r.stderr).not.toMatch(/Maximum call stack|internal error/);
    const out = JSON.parse(r.stdout);
    const errors = out.errors.map((e: { file: string; message: string }) => `${e.file}: ${e.message}`);
    expect(errors).toEqual([
      '.github/workflows/ci.yml: could not analyse the workflow: a shell script nests too deeply (or chains too many && and ||) to analyse',
      'ep/entrypoint.sh: could not parse: a shell script nests too deeply (or chains too many && and ||) to analyse',
      'hc/docker-compose.yml: healthcheck test of service `a` could not be analysed: a shell script nests too deeply (or chains too many && and ||) to analyse',
      'run/Dockerfile: could not parse: a shell script nests too deeply (or chains too many && and ||) to analyse',
      expect.stringMatching(/^yaml\/docker-compose\.yml: YAML: collections nested too deeply to read/),
    ]);
    // The rest is checked: the healthy image is judged.
    expect(out.results.some((x: { location: { file: string } }) => x.location.file === 'ok/Dockerfile')).toBe(true);
  });

  it('commands named like Object.prototype members are ordinary commands', () => {
    const dir = repo({
      Dockerfile:
        'FROM alpine:3.20\nRUN constructor install x && toString | hasOwnProperty\nUSER 1000\nHEALTHCHECK CMD constructor\nENTRYPOINT ["constructor", "__proto__"]\n',
      'docker-compose.yml': 'services:\n  app:\n    build: .\n    cap_add: [constructor, __proto__]\n    command: constructor\n',
      '.gitignore': '[[:constructor:]]\n',
    });
    const r = run(['check', dir, '-f', 'json']);
    expect(r.stderr).not.toContain('internal error');
    expect(JSON.parse(r.stdout).errors).toEqual([]);
  });

  it('a reader that stops early (`| head`) ends the output quietly', () => {
    const r = spawnSync('sh', ['-c', `"${process.execPath}" "${BIN}" check "${join(ROOT, 'examples')}" -f json | head -c 20 >/dev/null`], {
      encoding: 'utf8',
    });
    expect(r.stderr).toBe('');
  });

  it('checks a repository of independent parts part by part, with the output of a whole check', () => {
    const dir = repo({
      'a/Dockerfile': 'FROM alpine:3.20\nUSER 1000\nCMD ["sh"]\n',
      'b/compose.yaml': 'services:\n  db:\n    image: postgres:16\n',
      'c/Dockerfile': ROOT_IMAGE,
    });
    const parts = run(['check', dir, '-f', 'json']);
    const whole = run(['check', dir, '-f', 'json'], { SEAWORTHY_PARTS: '0' });
    expect(parts.code).toBe(1);
    const strip = (s: string) => s.replace(/"durationMs": \d+/, '');
    expect(strip(parts.stdout)).toBe(strip(whole.stdout));
    expect(run(['check', dir]).stdout.replace(/ in [\d.]+ s/, '')).toBe(
      run(['check', dir], { SEAWORTHY_PARTS: '0' }).stdout.replace(/ in [\d.]+ s/, ''),
    );
    const out = join(dir, 'out.json');
    expect(run(['check', dir, '-f', 'json', '-o', out, '--exclude', 'out.json']).code).toBe(1);
    expect(strip(readFileSync(out, 'utf8'))).toBe(strip(parts.stdout));
  });

  it('checks a large repository in batches of parts; the output is still that of the whole check', () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 160; i++) {
      const d = `svc-${String(i).padStart(3, '0')}`;
      files[`${d}/Dockerfile`] = i % 3 ? ROOT_IMAGE : SECRET;
      if (i % 2) files[`${d}/compose.yaml`] = `services:\n  s${i}:\n    build: .\n    ports: ["${8000 + i}:80"]\n`;
    }
    const dir = repo(files);
    const parts = run(['check', dir, '-f', 'json'], { SEAWORTHY_DEBUG: '1' });
    expect(Number(/checked in 160 parts \((\d+) batches\)/.exec(parts.stderr)?.[1])).toBeGreaterThan(1);
    const whole = run(['check', dir, '-f', 'json'], { SEAWORTHY_PARTS: '0' });
    const strip = (s: string) => s.replace(/"durationMs": \d+/, '');
    expect(strip(parts.stdout)).toBe(strip(whole.stdout));
    expect(parts.code).toBe(whole.code);
    // Written to a file (stdout redirected, or -o), not a pipe: the same bytes.
    const outDir = repo({});
    for (const how of ['stdout', '-o']) {
      const file = join(outDir, `out${how}.json`);
      const fd = openSync(file, 'w');
      const r = spawnSync(process.execPath, [BIN, 'check', dir, '-f', 'json', ...(how === '-o' ? ['-o', file] : [])], {
        stdio: ['ignore', how === '-o' ? 'ignore' : fd, 'pipe'],
      });
      closeSync(fd);
      expect(r.status, how).toBe(parts.code);
      expect(strip(readFileSync(file, 'utf8')), how).toBe(strip(parts.stdout));
      rmSync(file);
    }
    for (const format of ['sarif', 'text']) {
      for (const failOn of ['critical', 'info']) {
        const p = run(['check', dir, '-f', format, '--fail-on', failOn]);
        const w = run(['check', dir, '-f', format, '--fail-on', failOn], { SEAWORTHY_PARTS: '0' });
        expect(p.stdout.replace(/ in [\d.]+ s/, ''), `${format} ${failOn}`).toBe(w.stdout.replace(/ in [\d.]+ s/, ''));
        expect(p.code, `${format} ${failOn}`).toBe(w.code);
      }
    }
  });

  it('checks a repository with CI and a root Dockerfile in parts (the ci/ rules and the root judged apart) with the output of a whole check, in every format', () => {
    // Services before and after `.github` fill batches: the passes of `svc-a/Dockerfile` (at the
    // workflow step that scans it) are handed on long before its own results, those of
    // `.docker/00/Dockerfile` long after.
    const files: Record<string, string> = { ...CI_REPO };
    files['.github/workflows/ci.yml'] = files['.github/workflows/ci.yml'].replace("context: ['svc-a',", "context: ['.docker/00', 'svc-a',");
    // A Dockerfile at the root (its files judged first), whose entrypoint script is in a folder of its own.
    files.Dockerfile = 'FROM node:20-alpine\nCOPY . /app\nCOPY scripts/entrypoint.sh /entrypoint.sh\nENTRYPOINT ["/entrypoint.sh"]\n';
    files['scripts/entrypoint.sh'] = '#!/bin/sh\nchown -R node /app\nexec "$@"\n';
    for (let i = 0; i < 60; i++) {
      files[`aaa/${String(i).padStart(2, '0')}/Dockerfile`] = i % 2 ? ROOT_IMAGE : SECRET;
      files[`.docker/${String(i).padStart(2, '0')}/Dockerfile`] = ROOT_IMAGE;
    }
    const dir = repo(files);
    const parts = run(['check', dir, '-f', 'json'], { SEAWORTHY_PARTS: '1', SEAWORTHY_DEBUG: '1' });
    expect(Number(/checked in \d+ parts \((\d+) batches; the root's took in 0\)/.exec(parts.stderr)?.[1])).toBeGreaterThan(1);
    const whole = run(['check', dir, '-f', 'json'], { SEAWORTHY_PARTS: '0' });
    const strip = (s: string) => s.replace(/"durationMs": \d+/, '').replace(/ in [\d.]+ s/, '');
    expect(strip(parts.stdout)).toBe(strip(whole.stdout));
    expect(parts.code).toBe(whole.code);
    for (const args of [
      ['-f', 'sarif'],
      ['-f', 'text'],
      ['-f', 'text', '--verbose'],
    ]) {
      const p = run(['check', dir, ...args], { SEAWORTHY_PARTS: '1' });
      const w = run(['check', dir, ...args], { SEAWORTHY_PARTS: '0' });
      expect(strip(p.stdout), args.join(' ')).toBe(strip(w.stdout));
      expect(p.stderr, args.join(' ')).toBe(w.stderr);
    }
    // One group for svc-a/Dockerfile, holding its passes at the workflow and its own results.
    const text = run(['check', dir, '-f', 'text', '--verbose'], { SEAWORTHY_PARTS: '1' }).stdout;
    expect(text.match(/^svc-a\/Dockerfile .*$/gm)).toEqual(['svc-a/Dockerfile  .github/workflows/ci.yml, svc-a/Dockerfile']);
    expect(text.match(/^\.docker\/00\/Dockerfile .*$/gm)).toEqual([
      '.docker/00/Dockerfile  .docker/00/Dockerfile, .github/workflows/ci.yml',
    ]);
  });

  it('usage errors exit 2', () => {
    expect(run(['check', '--format', 'xml']).code).toBe(2);
    expect(run(['nonsense']).code).toBe(2);
    expect(run(['check', '/definitely/not/here']).code).toBe(2);
    expect(run(['explain', 'dockerfile/nope']).code).toBe(2);
  });

  it('rules and explain print the catalogue from metadata', () => {
    const r = run(['rules']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('dockerfile/non-root-user');
    const e = run(['explain', 'DL3002']);
    expect(e.code).toBe(0);
    expect(e.stdout).toContain('dockerfile/non-root-user');
  });

  it.runIf(existsSync(CORPUS))('checks the whole shared corpus without crashing', () => {
    const r = run(['check', CORPUS, '-f', 'json']);
    expect([0, 1, 2]).toContain(r.code);
    expect(r.stderr).not.toContain('internal error');
    const j = JSON.parse(r.stdout);
    expect(j.summary.filesScanned).toBeGreaterThan(500);
    expect(j.results.length).toBeGreaterThan(1000);
  });
});
