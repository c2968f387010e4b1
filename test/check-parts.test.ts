/**
 * Checking in parts (src/partition.ts, src/check-parts.ts) must print exactly what the whole check
 * prints: compared byte for byte on repositories built to tempt a wrong split, and on the shared
 * corpus when it is there (`SEAWORTHY_CORPUS`, default ../shared/corpus).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { check, discoverWithConfig } from '../src/check.js';
import { checkStreamed } from '../src/check-parts.js';
import { formatJsonBytes, JsonReportWriter } from '../src/format/json.js';
import { filterFiles } from '../src/discover/index.js';
import { batchParts, partFiles, planParts, upLevels } from '../src/partition.js';
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

/** The JSON document of a check in parts, or null when the repository was checked whole. */
async function inParts(root: string): Promise<{ json: string; parts: number; notices: string } | null> {
  const pieces: string[] = [];
  const w = new JsonReportWriter((b) => pieces.push(b), { name: 'seaworthy', version: 'test' });
  const s = await checkStreamed(root, { today: TODAY }, { start() {}, results: (r) => w.results(r) });
  if (s.kind === 'whole') return null;
  w.end(s.outcome.errors, s.outcome.failOn, s.outcome.filesScanned, 0);
  return { json: pieces.join(''), parts: s.outcome.parts, notices: JSON.stringify(s.outcome.notices) };
}

async function whole(root: string): Promise<{ json: string; notices: string }> {
  const o = await check(root, { today: TODAY });
  const report = { ...o.report, tool: { name: 'seaworthy' as const, version: 'test' }, durationMs: 0 };
  return { json: formatJsonBytes(report).toString(), notices: JSON.stringify(o.report.notices ?? []) };
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

  it('does not split below where a compose file reaches with `..`, nor a repository with CI, waivers or a root Dockerfile', async () => {
    const up = repo({
      'a/deploy/compose.yaml': 'services:\n  web:\n    build:\n      context: ../..\n      dockerfile: b/Dockerfile\n',
      'b/Dockerfile': DF,
    });
    const { discovery, config } = await discoverWithConfig(up, {});
    expect(planParts(discovery, config)).toBeNull();

    const oneUp = repo({
      'x/a/deploy/compose.yaml': 'services:\n  web:\n    build:\n      context: ..\n',
      'x/a/Dockerfile': DF,
      'x/b/Dockerfile': DF,
    });
    const d2 = await discoverWithConfig(oneUp, {});
    expect(planParts(d2.discovery, d2.config)?.map((p) => p.path)).toEqual(['x/a', 'x/b']);

    for (const files of <Record<string, string>[]>[
      { 'a/Dockerfile': DF, 'b/Dockerfile': DF, '.github/workflows/ci.yml': 'on: push\njobs: {}\n' },
      { 'a/Dockerfile': DF, 'b/Dockerfile': DF, 'seaworthy.yml': 'waivers:\n  - rule: dockerfile/non-root-user\n    reason: test image\n' },
      { Dockerfile: DF, 'a/Dockerfile': DF, 'b/Dockerfile': DF },
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
    const parts = await inParts(root);
    expect(parts?.parts).toBeGreaterThan(2);
    const w = await whole(root);
    expect(parts?.json).toBe(w.json);
    expect(parts?.notices).toBe(w.notices);
  });

  it.runIf(existsSync(CORPUS))('prints what the whole check prints on the shared corpus', async () => {
    const parts = await inParts(CORPUS);
    expect(parts?.parts).toBeGreaterThan(100);
    const w = await whole(CORPUS);
    expect(parts?.json === w.json).toBe(true);
    expect(parts?.notices).toBe(w.notices);
  }, 60_000);
});
