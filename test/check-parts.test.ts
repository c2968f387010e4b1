/**
 * Checking in parts (src/partition.ts, src/check-parts.ts) must print exactly what the whole check
 * prints: compared byte for byte on repositories built to tempt a wrong split, and on the shared
 * corpus when it is there (`SEAWORTHY_CORPUS`, default ../shared/corpus).
 */
import { cpSync, existsSync } from 'node:fs';
import { basename, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { check, discoverWithConfig } from '../src/check.js';
import { checkStreamed } from '../src/check-parts.js';
import { formatJsonBytes, JsonReportWriter } from '../src/format/json.js';
import { filterFiles } from '../src/discover/index.js';
import { batchParts, CI_SPLIT_FILES, partFiles, planParts, upLevels } from '../src/partition.js';
import { CI_REPO } from './ci-monorepo.js';
import { removeTempRepos, tempRepo } from './temp-repo.js';

const ROOT = join(import.meta.dirname, '..');
const CORPUS = process.env.SEAWORTHY_CORPUS ?? join(ROOT, '../shared/corpus');
const TODAY = '2026-11-29';
afterAll(() => {
  removeTempRepos();
});

function repo(files: Record<string, string | Buffer>): string {
  return tempRepo(files, 'seaworthy-parts-');
}

/**
 * The JSON document of a check in parts, or null when the repository was checked whole. `force`:
 * split a repository with CI whatever its size (SEAWORTHY_PARTS=1).
 */
async function inParts(root: string, force = false): Promise<{ json: string; parts: number; rootTookIn: number | null; notices: string } | null> {
  const pieces: string[] = [];
  const w = new JsonReportWriter((b) => pieces.push(b), { name: 'seaworthy', version: 'test' });
  const before = process.env.SEAWORTHY_PARTS;
  if (force) process.env.SEAWORTHY_PARTS = '1';
  let s: Awaited<ReturnType<typeof checkStreamed>>;
  try {
    s = await checkStreamed(root, { today: TODAY }, { start() {}, results: (r) => w.results(r) });
  } finally {
    if (before === undefined) delete process.env.SEAWORTHY_PARTS;
    else process.env.SEAWORTHY_PARTS = before;
  }
  if (s.kind === 'whole') return null;
  w.end(s.outcome.errors, s.outcome.failOn, s.outcome.filesScanned, 0);
  return { json: pieces.join(''), parts: s.outcome.parts, rootTookIn: s.outcome.rootTookIn, notices: JSON.stringify(s.outcome.notices) };
}

async function whole(root: string): Promise<{ json: string; notices: string }> {
  const o = await check(root, { today: TODAY });
  const report = { ...o.report, tool: { name: 'seaworthy' as const, version: 'test' }, durationMs: 0 };
  return { json: formatJsonBytes(report).toString(), notices: JSON.stringify(o.report.notices ?? []) };
}

/**
 * Checks `root` in parts (`force`: as inParts) and whole, and expects the same JSON document and
 * notices; gives the whole check's, and how many parts the check in parts made.
 */
async function sameAsWhole(root: string, force = false): Promise<{ json: string; notices: string; parts: number; rootTookIn: number | null }> {
  const parts = await inParts(root, force);
  const w = await whole(root);
  // A large document is compared without a diff of it on failure.
  if (w.json.length > 100_000) expect(parts?.json === w.json, 'the JSON documents are the same').toBe(true);
  else expect(parts?.json).toBe(w.json);
  expect(parts?.notices).toBe(w.notices);
  return { ...w, parts: parts?.parts ?? 0, rootTookIn: parts?.rootTookIn ?? null };
}

const DF = 'FROM node:20-alpine\nCOPY . /app\nCMD ["node", "/app/server.js"]\n';

const COMPOSE = 'services:\n  web:\n    build: .\n    environment:\n      DB_PASSWORD: ${DB_PASSWORD:-devpass}\n';

describe('planParts', () => {
  it('counts the `..` segments a compose file can climb', () => {
    expect(upLevels('build: ./app')).toBe(0);
    expect(upLevels('build:\n  context: ..\n')).toBe(1);
    expect(upLevels('context: "../.."\nenv_file: ../x/.env')).toBe(2);
    expect(upLevels('image: a..b\nfile: ../../../c')).toBe(3);
    expect(upLevels('x: ..\\..\\win')).toBe(2);
  });

  it('splits a folder of independent services, keeps folders with a Dockerfile, compose file or example env file whole', async () => {
    const root = repo({
      'svc-a/Dockerfile': DF,
      'svc-a/sub/Dockerfile': DF,
      'svc-b/compose.yaml': COMPOSE,
      'svc-b/Dockerfile': DF,
      'group/one/Dockerfile': DF,
      'group/two/Dockerfile': DF,
      'group/package-lock.json': '{}',
      'group/one-x/package-lock.json': '{}',
      'docs/.env.example': 'X=\n',
      'docs/deep/compose.yaml': COMPOSE,
      'docs/deep/Dockerfile': DF,
    });
    const { discovery, config } = await discoverWithConfig(root, {});
    const parts = planParts(discovery, config);
    expect(parts?.map((p) => `${p.kind}:${p.path}`)).toEqual([
      'tree:docs',
      'file:group/one-x/package-lock.json',
      'tree:group/one',
      'file:group/package-lock.json',
      'tree:group/two',
      'tree:svc-a',
      'tree:svc-b',
    ]);
    for (const p of parts ?? []) expect(partFiles(discovery.files, p), p.path).toEqual(filterFiles(discovery.files, p.inScope));
    // Batches of consecutive parts up to 3 files: the same files, each part in one batch, in order.
    const batches = batchParts(parts ?? [], discovery.files, 3);
    expect(batches.flatMap((b) => b.members ?? [b])).toEqual(parts);
    expect(batches.length).toBeGreaterThan(1);
    expect(batches.length).toBeLessThan(parts?.length ?? 0);
    for (const b of batches) expect(partFiles(discovery.files, b), b.path).toEqual(filterFiles(discovery.files, b.inScope));
    // A batch holds exactly its parts' paths, their folders included ('a-b' sorts before 'a/').
    const probe = ['docs', 'docs/deep/x', 'group', 'group/one', 'group/one/Dockerfile', 'group/one-x', 'group/one-x/package-lock.json', 'group/package-lock.json', 'group/two', 'group/two-x', 'svc-a', 'svc-a/sub', 'svc-ab', 'svc-b/compose.yaml', 'zzz'];
    for (const b of batchParts(parts ?? [], discovery.files, 100))
      for (const rel of probe) expect(b.inScope(rel), rel).toBe((b.members ?? [b]).some((m) => m.inScope(rel)));
    const a = parts?.find((p) => p.path === 'svc-a');
    expect(a?.inScope('svc-a/sub/Dockerfile')).toBe(true);
    expect(a?.inScope('svc-ab/Dockerfile')).toBe(false);
  });

  it('does not split below where a compose file reaches with `..`, nor across an explicit environment, nor a small repository with CI; the files at the root are one part when a Dockerfile is there', async () => {
    const up = repo({
      'a/deploy/compose.yaml': 'services:\n  web:\n    build:\n      context: ../..\n      dockerfile: b/Dockerfile\n',
      'b/Dockerfile': DF,
    });
    const { discovery, config } = await discoverWithConfig(up, {});
    // It reaches up to the root: its part joins the root's (which takes in b's when it builds it).
    expect(planParts(discovery, config)?.map((p) => `${p.kind}:${p.path}:${p.members?.map((m) => m.path).join(',') ?? ''}`)).toEqual([
      'root::a/deploy',
      'tree:a/deploy:',
      'tree:b:',
    ]);

    const oneUp = repo({
      'x/a/deploy/compose.yaml': 'services:\n  web:\n    build:\n      context: ..\n',
      'x/a/Dockerfile': DF,
      'x/b/Dockerfile': DF,
    });
    const d2 = await discoverWithConfig(oneUp, {});
    expect(planParts(d2.discovery, d2.config)?.map((p) => p.path)).toEqual(['x/a', 'x/b']);

    // A repository with CI is split from CI_SPLIT_FILES Dockerfiles and compose files on.
    const withCi = await discoverWithConfig(repo({ 'a/Dockerfile': DF, 'b/Dockerfile': DF, '.github/workflows/ci.yml': 'on: push\njobs: {}\n' }), {});
    expect(planParts(withCi.discovery, withCi.config)).toBeNull();
    expect(planParts(withCi.discovery, withCi.config, 2)?.map((p) => p.path)).toEqual(['a', 'b']);
    expect(planParts(withCi.discovery, withCi.config, 3)).toBeNull();
    expect(CI_SPLIT_FILES).toBeGreaterThan(500);

    // Waivers are counted over every part: they do not keep a repository whole.
    const waived = await discoverWithConfig(repo({ 'a/Dockerfile': DF, 'b/Dockerfile': DF, 'seaworthy.yml': 'waivers:\n  - rule: dockerfile/non-root-user\n    reason: test image\n' }), {});
    expect(planParts(waived.discovery, waived.config)?.map((p) => p.path)).toEqual(['a', 'b', 'seaworthy.yml']);

    // An explicit environment keeps the folder holding all its files whole.
    const envs = await discoverWithConfig(
      repo({
        'deploy/base/compose.yaml': COMPOSE,
        'deploy/base/Dockerfile': DF,
        'deploy/prod/compose.yaml': 'services:\n  web:\n    read_only: true\n',
        'deploy/other/Dockerfile': DF,
        'x/Dockerfile': DF,
        'seaworthy.yml': 'environments:\n  live: [deploy/base/compose.yaml, ./deploy/prod/compose.yaml]\n',
      }),
      {},
    );
    expect(planParts(envs.discovery, envs.config)?.map((p) => p.path)).toEqual(['deploy', 'seaworthy.yml', 'x']);

    // A Dockerfile at the root: the root's files are one part, first.
    const top = await discoverWithConfig(repo({ Dockerfile: DF, '.dockerignore': 'x\n', 'a/Dockerfile': DF, 'b/package-lock.json': '{}' }), {});
    expect(planParts(top.discovery, top.config)?.map((p) => `${p.kind}:${p.path}`)).toEqual(['root:', 'tree:a', 'file:b/package-lock.json']);
    const rootFiles = planParts(top.discovery, top.config)?.[0];
    expect(rootFiles && partFiles(top.discovery.files, rootFiles).dockerfiles).toEqual(['Dockerfile']);
    expect(rootFiles && partFiles(top.discovery.files, rootFiles).dockerignores).toEqual(['.dockerignore']);

    for (const files of <Record<string, string>[]>[
      // An explicit environment naming a file that is not there: checked whole, where that is reported.
      { 'a/Dockerfile': DF, 'b/Dockerfile': DF, 'seaworthy.yml': 'environments:\n  prod: [a/compose.yaml]\n' },
      { 'a/compose.yaml': COMPOSE, 'b/Dockerfile': DF, 'seaworthy.yml': 'environments:\n  prod: [a/compose.yaml, b/compose.yaml]\n' },
      { 'a/Dockerfile': DF },
    ]) {
      const d = await discoverWithConfig(repo(files), {});
      expect(planParts(d.discovery, d.config), Object.keys(files).join(' ')).toBeNull();
    }
  });
});

describe('checking in parts', () => {
  it('prints what the whole check prints, on a repository built to tempt a wrong split', async () => {
    const root = repo({
      '.gitignore': '.env\n',
      'apps/api/compose.yaml': COMPOSE,
      'apps/api/Dockerfile': 'FROM python:3.12\nCOPY entrypoint.sh /entrypoint.sh\nENTRYPOINT ["/entrypoint.sh"]\n',
      'apps/api/entrypoint.sh': '#!/bin/sh\nexec "$@"\n',
      'apps/api/.env': 'DB_PASSWORD=real\n',
      'apps/web/compose.yml': 'services:\n  web:\n    build:\n      context: ..\n      dockerfile: web/Dockerfile\n',
      'apps/web/Dockerfile': '# seaworthy-ignore dockerfile/non-root-user\nFROM nginx:1.27\n',
      'apps/.env.example': 'DB_PASSWORD=\n',
      'libs/one/Dockerfile': 'FROM ubuntu\nRUN apt-get update && apt-get install -y curl\n',
      'libs/two/docker-compose.yml': 'services:\n  db:\n    image: postgres:16\n    environment:\n      POSTGRES_PASSWORD: example # seaworthy-ignore compose/no-such-rule\n',
      'libs/two/.env': 'X=1\n',
      'libs/requirements.txt': 'flask==3.0.0\n',
      'tools/bad/compose.yaml': 'services: [unclosed\n',
    });
    const w = await sameAsWhole(root);
    expect(w.parts).toBeGreaterThan(2);
  });

  it('prints what the whole check prints on a repository with config waivers, counting each match once', async () => {
    const root = repo({
      'seaworthy.yml': [
        'rules:',
        '  dockerfile/digest-pinned-base: off',
        'waivers:',
        '  - rule: dockerfile/non-root-user',
        '    reason: a build image',
        '    paths: [libs/**]',
        '  - rule: ci/sast', // the repository-level result every part gives: hidden once
        '    reason: no code of ours',
        '  - rule: ci/secret-scan', // expired: "1 finding(s) are reported again", not one per part
        '    reason: was scanned elsewhere',
        '    expires: 2020-01-01',
        '  - rule: dockerfile/no-install-recommends', // expired, one finding in libs/one
        '    reason: old',
        '    expires: 2020-01-01',
        '  - rule: dockerfile/healthcheck',
        '    reason: matches nothing',
        '    paths: [nowhere/**]',
        '  - rule: dockerfile/healthcheck',
        '    reason: expired and matches nothing',
        '    paths: [nowhere/**]',
        '    expires: 2020-01-01',
        '  - rule: dockerfile/digest-pinned-base',
        '    reason: the rule is off',
        '',
      ].join('\n'),
      'apps/api/Dockerfile': 'FROM python:3.12\nUSER 1000\n',
      'apps/web/Dockerfile': 'FROM nginx:1.27\n',
      'libs/one/Dockerfile': 'FROM ubuntu\nRUN apt-get update && apt-get install -y curl\n',
      'libs/two/Dockerfile': 'FROM ubuntu\n',
      'tools/Dockerfile': DF,
      // More than a batch of files: results about the repository come from each batch.
      ...Object.fromEntries(Array.from({ length: 60 }, (_, i) => [`svc/${String(i).padStart(2, '0')}/Dockerfile`, DF])),
    });
    const w = await sameAsWhole(root);
    expect(w.parts).toBeGreaterThan(60);
    // What the comparison covers.
    expect(w.notices).toContain('ci/secret-scan (seaworthy.yml:9) expired on 2020-01-01: 1 finding(s) are reported again');
    expect(w.notices).toContain('dockerfile/healthcheck under nowhere/** (seaworthy.yml:15) matched no result');
    expect(w.notices).toContain('has no effect: the rule is turned off');
    const report = JSON.parse(w.json) as { results: { ruleId: string; status: string; target: string; waiver?: { reason: string } }[] };
    const reasons = (rule: string) => report.results.filter((r) => r.ruleId === rule && r.status === 'waived').map((r) => `${r.target}: ${r.waiver?.reason}`);
    expect(reasons('ci/sast')).toEqual([`${basename(root)}: no code of ours`]);
    expect(reasons('dockerfile/non-root-user')).toEqual(['libs/one/Dockerfile: a build image', 'libs/two/Dockerfile: a build image']);
  });

  it('prints what the whole check prints on a repository with explicit compose environments', async () => {
    const root = repo({
      'seaworthy.yml': 'environments:\n  live: [deploy/base/compose.yaml, deploy/live/compose.yaml]\n  edge: [edge/compose.yaml, edge/compose.edge.yaml]\n',
      'deploy/base/compose.yaml': COMPOSE,
      'deploy/base/Dockerfile': DF,
      'deploy/live/compose.yaml': 'services:\n  web:\n    environment:\n      DB_PASSWORD: ${DB_PASSWORD:?set it}\n    read_only: true\n',
      'edge/compose.yaml': 'services:\n  proxy:\n    image: nginx:1.27\n',
      'edge/compose.edge.yaml': 'services:\n  proxy:\n    privileged: true\n',
      'svc/compose.yaml': COMPOSE,
      'svc/Dockerfile': DF,
      'svc/compose.prod.yaml': 'services:\n  web:\n    restart: always\n',
    });
    const w = await sameAsWhole(root);
    expect(w.parts).toBeGreaterThan(2);
    // What the comparison covers: results of the explicit environments, and of the one found by name.
    const report = JSON.parse(w.json) as { results: { environment?: string }[] };
    expect([...new Set(report.results.map((r) => r.environment).filter(Boolean))].sort()).toEqual(['dev', 'edge', 'live', 'prod']);
  });

  it('prints what the whole check prints on a repository with a Dockerfile at its root, judged before the other parts', async () => {
    const files: Record<string, string> = {
      ...CI_REPO,
      Dockerfile: '# seaworthy-ignore ci/image-scan -- scanned by the release pipeline\nFROM node:20-alpine\nWORKDIR /app\nCOPY . .\nCOPY scripts/entrypoint.sh /entrypoint.sh\nENTRYPOINT ["/entrypoint.sh"]\nCMD ["node", "server.js"]\n',
      '.dockerignore': 'node_modules\n.git\n',
      'package.json': '{"name": "app", "dependencies": {"express": "4.19.2"}}\n',
      'scripts/entrypoint.sh': '#!/bin/sh\nchown -R node /app\nexec "$@"\n',
      // More than a batch of files after the root's.
      ...Object.fromEntries(Array.from({ length: 60 }, (_, i) => [`svc/${String(i).padStart(2, '0')}/Dockerfile`, DF])),
    };
    for (const force of [false, true]) {
      // Without CI judged apart (a small repository with CI is not split unless forced) and with it.
      const w = await sameAsWhole(repo(force ? files : Object.fromEntries(Object.entries(files).filter(([f]) => !f.startsWith('.github/')))), force);
      expect(w.parts).toBeGreaterThan(60);
      const report = JSON.parse(w.json) as { results: { ruleId: string; status: string; target: string; location: { file: string } }[] };
      // The root image's build followed its entrypoint script, and its context is the whole repository.
      expect(report.results.some((r) => r.ruleId.startsWith('entrypoint/') && r.location.file === 'scripts/entrypoint.sh')).toBe(true);
      expect(report.results.filter((r) => r.target === 'Dockerfile' && r.ruleId === 'ci/image-scan').map((r) => r.status)).toEqual(['waived']);
    }
    // The script is in the folder of another part (it is an image's too): the root's part takes that part in.
    const shared = await sameAsWhole(repo({ ...files, 'scripts/Dockerfile': 'FROM alpine:3.20\nCOPY entrypoint.sh /e.sh\nENTRYPOINT ["/e.sh"]\n' }), true);
    expect(shared.rootTookIn).toBe(1);
  });

  it('prints what the whole check prints on a repository with a compose file at its root; its part takes in the folders it builds', async () => {
    const services = Object.fromEntries(Array.from({ length: 60 }, (_, i) => [`svc/${String(i).padStart(2, '0')}/Dockerfile`, DF]));
    const files: Record<string, string> = {
      'docker-compose.yml': 'services:\n  api:\n    build: ./api\n    env_file: ./config/.env.api\n  web:\n    build:\n      context: web\n      dockerfile: Dockerfile.prod\n  db:\n    image: postgres:16\n    environment:\n      POSTGRES_PASSWORD: ${DB_PASSWORD:-devpass}\n',
      'docker-compose.prod.yml': 'services:\n  api:\n    read_only: true\n',
      'api/Dockerfile': 'FROM python:3.12-slim\nCOPY entrypoint.sh /entrypoint.sh\nENTRYPOINT ["/entrypoint.sh"]\n',
      'api/entrypoint.sh': '#!/bin/sh\nexec "$@"\n',
      'api/compose.yaml': 'services:\n  api:\n    build: .\n',
      'web/Dockerfile.prod': 'FROM nginx:1.27\n',
      'config/.env.api': 'API_TOKEN=changeme\n',
      ...services,
    };
    const w = await sameAsWhole(repo(files));
    expect(w.parts).toBeGreaterThan(60);
    expect(w.rootTookIn).toBe(2); // api and web (an env_file's contents are not read)
    const report = JSON.parse(w.json) as { results: { environment?: string; target: string }[] };
    expect(report.results.some((r) => r.environment === 'prod' && r.target.startsWith('api'))).toBe(true);

    // A root compose file that builds most of the repository: checked whole.
    const most = Object.fromEntries(Array.from({ length: 8 }, (_, i) => [`s${i}/Dockerfile`, DF]));
    const all = `services:\n${Object.keys(most).map((f) => `  ${f.split('/')[0]}:\n    build: ./${f.split('/')[0]}\n`).join('')}`;
    expect(await inParts(repo({ 'compose.yaml': all, ...most, 'x/Dockerfile': DF }))).toBeNull();
    // One whose part takes in every other (here fewer than half of the files: the rest are workflows): checked whole.
    const wf = 'on: push\njobs:\n  t:\n    runs-on: ubuntu-latest\n    steps:\n      - run: make test\n';
    const workflows = Object.fromEntries(Array.from({ length: 6 }, (_, i) => [`.github/workflows/w${i}.yml`, wf]));
    expect(await inParts(repo({ 'compose.yaml': 'services:\n  a:\n    build: ./a\n', 'a/Dockerfile': DF, ...workflows }), true)).toBeNull();
    // One that reaches above the root: checked whole.
    expect(await inParts(repo({ 'compose.yaml': 'services:\n  a:\n    build: ../elsewhere\n', 'a/Dockerfile': DF, 'b/Dockerfile': DF }))).toBeNull();
    // A compose file below that reaches up to the root (builds with the whole repository as context):
    // its part joins the root's, which takes in the folder of the Dockerfile it builds.
    const deploy = await sameAsWhole(
      repo({
        Dockerfile: DF,
        'deploy/compose.yaml': 'services:\n  api:\n    build:\n      context: ..\n      dockerfile: services/api/Dockerfile\n  app:\n    build: ..\n',
        'deploy/compose.prod.yaml': 'services:\n  api:\n    read_only: true\n',
        'services/api/Dockerfile': 'FROM python:3.12-slim\nCOPY services/api/entrypoint.sh /entrypoint.sh\nENTRYPOINT ["/entrypoint.sh"]\n',
        'services/api/entrypoint.sh': '#!/bin/sh\nexec "$@"\n',
        ...services,
      }),
    );
    expect(deploy.rootTookIn).toBe(2); // deploy, services/api
    expect(deploy.parts).toBeGreaterThan(60);
  });

  it('prints what the whole check prints on a repository with an example env file at its root; its part takes in the compose projects it documents', async () => {
    const files: Record<string, string> = {
      '.env.example': 'DB_PASSWORD=\nAPI_TOKEN=\n',
      'compose.yaml': COMPOSE,
      Dockerfile: DF,
      // Documented by the root's example: taken in.
      'svc-a/compose.yaml': 'services:\n  a:\n    image: alpine:3.20\n    environment:\n      API_TOKEN: ${API_TOKEN:?required}\n      OTHER: ${OTHER:?required}\n',
      // Documented by their own: not taken in.
      'svc-b/compose.yaml': 'services:\n  b:\n    image: alpine:3.20\n    environment:\n      B_KEY: ${B_KEY:?required}\n',
      'svc-b/.env.example': 'B_KEY=\n',
      'deep/.env.example': 'D=\n',
      'deep/x/compose.yaml': 'services:\n  d:\n    image: alpine:3.20\n    environment:\n      D: ${D:?required}\n',
      'svc-c/Dockerfile': DF,
      ...Object.fromEntries(Array.from({ length: 60 }, (_, i) => [`svc/${String(i).padStart(2, '0')}/Dockerfile`, DF])),
    };
    const w = await sameAsWhole(repo(files));
    expect(w.rootTookIn).toBe(1); // svc-a
    expect(w.parts).toBeGreaterThan(60);
    const report = JSON.parse(w.json) as { results: { ruleId: string; status: string; target: string; location: { file: string } }[] };
    const of = (target: string) => report.results.filter((r) => r.ruleId === 'secrets/env-example-complete' && r.target === target).map((r) => `${r.status} ${r.location.file}`);
    expect(of('svc-a/compose.yaml')).toEqual(['fail svc-a/compose.yaml']); // OTHER is missing from the root's example
    expect(of('svc-b/compose.yaml')).toEqual(['pass svc-b/.env.example']);
    // Only with an example env file at the root: one of a compose project's own folder is part of that part.
    const plan = await discoverWithConfig(repo({ '.env.example': 'X=\n', 'a/compose.yaml': COMPOSE, 'b/Dockerfile': DF, 'c/.env.example': 'Y=\n', 'c/compose.yaml': COMPOSE }), {});
    expect(planParts(plan.discovery, plan.config)?.map((p) => `${p.kind}:${p.path}:${p.members?.map((m) => m.path).join(',') ?? ''}`)).toEqual([
      'root::a',
      'tree:a:',
      'tree:b:',
      'tree:c:',
    ]);
  });

  it('prints what the whole check prints on a repository with CI, its ci/ rules judged apart from the parts', async () => {
    const root = repo(CI_REPO);
    const w = await sameAsWhole(root, true);
    expect(w.parts).toBeGreaterThan(4);
    // What the comparison covers: CI results in Dockerfiles and in workflows, an inline ignore used by
    // a ci/ result, one used by none, a Dockerfile only a compose build names, a workflow that does not parse.
    const report = JSON.parse(w.json) as { results: { ruleId: string; status: string; target: string; location: { file: string } }[]; errors: { file: string }[] };
    const of = (rule: string, target: string) => report.results.filter((r) => r.ruleId === rule && r.target === target).map((r) => `${r.status} ${r.location.file}`);
    expect(of('ci/image-scan', 'svc-a/Dockerfile')).toEqual(['pass .github/workflows/ci.yml']);
    expect(of('ci/image-scan', 'stack/build/worker.df')).toEqual(['pass .github/workflows/ci.yml']);
    expect(of('ci/image-scan', 'svc-d/Dockerfile')).toEqual(['fail svc-d/Dockerfile']);
    expect(of('ci/image-signing', 'svc-a/Dockerfile')).toEqual(['waived svc-a/Dockerfile']);
    expect(of('ci/base-image-updates', 'svc-a/Dockerfile')).toEqual(['pass svc-a/Dockerfile']);
    expect(of('ci/base-image-updates', 'svc-b/Dockerfile')).toEqual(['fail svc-b/Dockerfile']);
    expect(of('ci/image-scan', '.devcontainer/Dockerfile')).toEqual([]);
    expect(report.errors.map((e) => e.file)).toContain('.github/workflows/broken.yml');
    expect(w.notices).toContain('svc-d/Dockerfile');
    expect(w.notices).not.toContain('svc-a/Dockerfile');
  });

  it('says so when the CI facts saw a Dockerfile its part could not parse', async () => {
    // A RUN nested too deeply to analyse: the whole build leaves the Dockerfile out; the light pass,
    // which parses no shell, does not. The difference is reported, not hidden.
    const deep = `FROM alpine:3.20\nRUN ${'$('.repeat(20000)}x${')'.repeat(20000)}\n`;
    const root = repo({ ...CI_REPO, 'svc-e/Dockerfile': deep });
    const parts = await inParts(root, true);
    const report = JSON.parse(parts?.json ?? '{}') as { errors: { file: string; message: string }[] };
    expect(report.errors.filter((e) => e.message.includes('its ci/ results may differ')).map((e) => e.file)).toEqual(['svc-e/Dockerfile']);
    expect(report.errors.some((e) => e.file === 'svc-e/Dockerfile' && e.message.includes('nests too deeply'))).toBe(true);
  });

  it.runIf(existsSync(CORPUS))('prints what the whole check prints on the shared corpus with a CI workflow at its root', async () => {
    const root = repo({
      '.github/workflows/ci.yml':
        "on: [push, pull_request]\njobs:\n  images:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n      - run: docker compose -f docker+awesome-compose/react-express-mongodb/compose.yaml build\n      - run: docker build -t ghcr.io/acme/pop:1 jessfraz+dockerfiles/pop\n      - run: trivy image --exit-code 1 ghcr.io/acme/pop:1\n      - run: trivy image react-express-mongodb-backend\n",
      '.github/dependabot.yml': 'version: 2\nupdates:\n  - package-ecosystem: docker\n    directory: /nextcloud+docker/33/fpm\n    schedule:\n      interval: weekly\n',
    });
    cpSync(CORPUS, root, { recursive: true });
    const w = await sameAsWhole(root, true);
    expect(w.parts).toBeGreaterThan(100);
  }, 60_000);

  it.runIf(existsSync(CORPUS))('prints what the whole check prints on the shared corpus with a Dockerfile at its root', async () => {
    const root = repo({
      Dockerfile: 'FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nRUN pip install --no-cache-dir -r requirements.txt\nUSER 1000\nCMD ["python", "app.py"]\n',
      'requirements.txt': 'flask==3.0.0\n',
    });
    cpSync(CORPUS, root, { recursive: true });
    const w = await sameAsWhole(root);
    expect(w.parts).toBeGreaterThan(100);
  }, 60_000);

  it.runIf(existsSync(CORPUS))('prints what the whole check prints on the shared corpus with an example env file at its root', async () => {
    const root = repo({ '.env.example': 'DB_PASSWORD=\nPOSTGRES_PASSWORD=\n' });
    cpSync(CORPUS, root, { recursive: true });
    const w = await sameAsWhole(root);
    // It documents every compose project without an example of its own: the root's part takes those in.
    expect(w.rootTookIn).toBeGreaterThan(100);
  }, 60_000);

  it.runIf(existsSync(CORPUS))('prints what the whole check prints on the shared corpus', async () => {
    const w = await sameAsWhole(CORPUS);
    expect(w.parts).toBeGreaterThan(100);
  }, 60_000);
});
