/**
 * What fixture markers cannot express for the dockerfile/ rules: severity overrides, results that
 * must be absent (not applicable), one result per image, and messages that must not leak values.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { RULES_BY_ID } from '../../src/rules/index.js';
import { projectOf, runRule } from '../harness.js';
import { removeTempRepos, tempRepo } from '../temp-repo.js';

function repo(files: Record<string, string | Buffer>): string {
  return tempRepo(files, 'seaworthy-scope-');
}
afterEach(() => {
  removeTempRepos();
});

describe('dockerfile/build-context-leak severities', () => {
  const df = 'FROM python:3.12-slim\nCOPY . /app\n';
  it('is high when a sensitive file would be sent, naming it but not its content', async () => {
    const res = await runRule(
      'dockerfile/build-context-leak',
      repo({ Dockerfile: df, '.env': 'SECRET_KEY=value-that-must-not-leak\n', 'deploy/id_ed25519': 'x' }),
    );
    expect(res).toHaveLength(1);
    expect(res[0].status).toBe('fail');
    expect(res[0].severity).toBeUndefined();
    expect(res[0].message).toContain('`.env`');
    expect(res[0].message).toContain('`deploy/id_ed25519`');
    expect(res[0].message).not.toContain('value-that-must-not-leak');
  });
  it('is medium when nothing sensitive is there yet but nothing excludes .env/.git', async () => {
    const res = await runRule('dockerfile/build-context-leak', repo({ Dockerfile: df, 'app.py': '' }));
    expect(res.map((r) => [r.status, r.severity])).toEqual([['fail', 'medium']]);
  });
  it('treats `*` and `./` as whole-context copies and ignores COPY --from', async () => {
    const res = await runRule(
      'dockerfile/build-context-leak',
      repo({ Dockerfile: 'FROM node:22 AS b\nCOPY ./ /src\nFROM node:22-slim\nCOPY --from=b /src .\nCOPY * /app/\n', '.env': 'X=1\n' }),
    );
    expect(res.map((r) => [r.status, r.location.line])).toEqual([
      ['fail', 2],
      ['fail', 5],
    ]);
  });
});

describe('dockerfile/copy-not-add severities', () => {
  it('is medium for a URL without checksum and low for local files', async () => {
    const res = await runRule(
      'dockerfile/copy-not-add',
      repo({
        Dockerfile: 'FROM alpine:3.20\nADD https://example.com/a.sh /a.sh\nADD a.conf /etc/a.conf\nADD rootfs.tar.xz /\n',
        'a.conf': '',
        'rootfs.tar.xz': '',
      }),
    );
    expect(res.map((r) => [r.status, r.location.line, r.severity])).toEqual([
      ['fail', 2, 'medium'],
      ['fail', 3, undefined],
    ]);
  });
});

describe('dockerfile/telemetry-disabled applicability', () => {
  it('reports nothing for an image that runs no telemetry-sending framework', async () => {
    const res = await runRule(
      'dockerfile/telemetry-disabled',
      repo({ Dockerfile: 'FROM python:3.12-slim\nCOPY . /app\nCMD ["python", "/app/app.py"]\n' }),
    );
    expect(res).toEqual([]);
  });
  it('detects Next.js from package.json alone and wants the opt-out in the final stage', async () => {
    const res = await runRule(
      'dockerfile/telemetry-disabled',
      repo({
        Dockerfile: 'FROM node:22-alpine\nCOPY . .\nCMD ["node", "server.js"]\n',
        'package.json': '{"dependencies":{"next":"15.0.0"}}',
      }),
    );
    expect(res.map((r) => [r.status, r.location.line])).toEqual([['fail', 1]]);
  });
  it('needs the Angular CLI opt-out as `false`', async () => {
    const res = await runRule(
      'dockerfile/telemetry-disabled',
      repo({
        Dockerfile:
          'FROM node:22-alpine AS build\nENV NG_CLI_ANALYTICS=1\nCOPY . .\nRUN npx ng build\nFROM nginx:1.27-alpine\nCOPY --from=build /dist /usr/share/nginx/html\n',
      }),
    );
    expect(res.map((r) => [r.status, r.location.line])).toEqual([['fail', 1]]);
    expect(res[0].message).toContain('NG_CLI_ANALYTICS=false');
  });
});

describe('dockerfile/no-secrets messages', () => {
  it('names the variable and never prints its value', async () => {
    const res = await runRule(
      'dockerfile/no-secrets',
      repo({
        Dockerfile:
          'FROM alpine:3.20\nENV STRIPE_SECRET_KEY=sk_live_must_not_leak\nENV REDIS_URL=redis://:must-not-leak-either@redis:6379\n',
      }),
    );
    expect(res.map((r) => r.status)).toEqual(['fail', 'fail']);
    for (const r of res) {
      expect(r.message).not.toMatch(/must-not-leak|must_not_leak/);
    }
    expect(res[0].message).toContain('STRIPE_SECRET_KEY');
    expect(res[1].message).toContain('REDIS_URL');
  });
});

describe('dockerfile/healthcheck with compose services', () => {
  it('gives one result per image of a multi-Dockerfile repo', async () => {
    const res = await runRule(
      'dockerfile/healthcheck',
      repo({
        'a/Dockerfile': 'FROM nginx:1.27-alpine\nHEALTHCHECK CMD nginx -t\n',
        'b/Dockerfile': 'FROM python:3.12-slim\nCMD ["python", "-V"]\n',
      }),
    );
    expect(res.map((r) => [r.target, r.status]).sort()).toEqual([
      ['a/Dockerfile', 'pass'],
      ['b/Dockerfile', 'fail'],
    ]);
  });
});

describe('compose links (ImageServiceRef, filled by the compose model)', () => {
  const svc = (service: string, hasHealthcheck: boolean, init: boolean | null) => ({
    environment: 'prod',
    service,
    user: null,
    hasHealthcheck,
    init,
  });

  it('dockerfile/healthcheck passes when every service defines a healthcheck', async () => {
    const project = await projectOf(repo({ Dockerfile: 'FROM python:3.12-slim\nCMD ["python", "-V"]\n' }));
    project.images[0].services = [svc('api', true, null), svc('worker', true, null)];
    const [r] = RULES_BY_ID.get('dockerfile/healthcheck')?.check(project) ?? [];
    expect(r).toMatchObject({ status: 'pass', evidence: 'healthcheck in compose' });
    project.images[0].services = [svc('api', true, null), svc('worker', false, null)];
    const [r2] = RULES_BY_ID.get('dockerfile/healthcheck')?.check(project) ?? [];
    expect(r2.status).toBe('fail');
    expect(r2.message).toContain('`worker`');
  });

  it('dockerfile/init-process passes when every service sets init: true', async () => {
    const project = await projectOf(repo({ Dockerfile: 'FROM python:3.12-slim\nCMD ["python", "-V"]\n' }));
    project.images[0].services = [svc('api', false, true)];
    const [r] = RULES_BY_ID.get('dockerfile/init-process')?.check(project) ?? [];
    expect(r).toMatchObject({ status: 'pass', evidence: 'compose `init: true`' });
    project.images[0].services = [svc('api', false, true), svc('dev', false, null)];
    const [r2] = RULES_BY_ID.get('dockerfile/init-process')?.check(project) ?? [];
    expect(r2.status).toBe('fail');
  });
});

describe('dockerfile/valid-structure relative WORKDIR messages', () => {
  const messages = async (df: string) =>
    (await runRule('dockerfile/valid-structure', repo({ Dockerfile: df }))).filter((r) => r.status === 'fail').map((r) => r.message);
  it('names the earlier absolute WORKDIR of the stage that decides it, and the path', async () => {
    const m = await messages('FROM debian:bookworm-slim\nWORKDIR /src\nWORKDIR sub\nWORKDIR ../lib/\n');
    expect(m).toHaveLength(2);
    expect(m[0]).toContain('resolves to /src/sub only because of the WORKDIR on line 2');
    expect(m[0]).toContain('`WORKDIR /src/sub`');
    expect(m[1]).toContain('resolves to /src/lib only because of the WORKDIR on line 2');
    for (const x of m) expect(x).not.toContain('base image');
  });
  it('names a WORKDIR of the stage it is built FROM', async () => {
    const m = await messages('FROM debian:bookworm-slim AS base\nWORKDIR /app\nFROM base\nWORKDIR src\n');
    expect(m).toHaveLength(1);
    expect(m[0]).toContain('resolves to /app/src only because of the WORKDIR on line 2 (stage `base`)');
  });
  it('gives no path when a variable makes it unsure', async () => {
    const m = await messages('FROM debian:bookworm-slim\nARG D=/x\nWORKDIR $D\nWORKDIR sub\n');
    expect(m).toHaveLength(1);
    expect(m[0]).toContain('it resolves only because of the WORKDIR on line 3');
  });
  it('says the base image decides when no WORKDIR before it does', async () => {
    const m = await messages('FROM ubuntu:24.04\nWORKDIR app\n');
    expect(m).toHaveLength(1);
    expect(m[0]).toContain('depends on the WORKDIR inherited from the base image');
  });
});
