/**
 * Parsing up front (src/model/preparse.ts): from source it runs on the calling thread; the built CLI
 * with the parse worker (SEAWORTHY_WORKERS=1) reports exactly what it reports without (=0), bad
 * files included.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { discover } from '../../src/discover/index.js';
import { preparse } from '../../src/model/preparse.js';

const ROOT = join(import.meta.dirname, '../..');
const BIN = join(ROOT, 'bin/seaworthy.js');
const dir = mkdtempSync(join(tmpdir(), 'seaworthy-preparse-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function write(p: string, c: string | Buffer) {
  mkdirSync(dirname(join(dir, p)), { recursive: true });
  writeFileSync(join(dir, p), c);
}

for (let i = 0; i < 24; i++) {
  write(
    `svc-${i}/Dockerfile`,
    `FROM python:3.${(i % 4) + 9}-slim AS base\nARG V=${i}\nRUN apt-get update && apt-get install -y curl && echo "$V" > /v\nFROM base\nUSER ${i % 2 ? '1000' : 'root'}\nHEALTHCHECK CMD curl -f http://localhost/ || exit 1\nCMD python -m app\n`,
  );
  if (i % 3 === 0) {
    write(
      `svc-${i}/docker-compose.yml`,
      `x-env: &env\n  MODE: dev\nservices:\n  app:\n    build: .\n    environment: *env\n    ports: ["80${i}:80"]\n`,
    );
    write(
      `svc-${i}/docker-compose.prod.yml`,
      'services:\n  app:\n    read_only: true\n    healthcheck:\n      test: ["CMD-SHELL", "curl -f http://localhost/ || exit 1"]\n',
    );
  }
}
write('broken/docker-compose.yml', 'services:\n  app: [unclosed\n');
write('binary/Dockerfile', Buffer.from([0x46, 0x52, 0x00, 0x4d]));
write('empty/Dockerfile', '# nothing here\n');

describe('preparse', () => {
  it('parses every readable Dockerfile and compose file once, on the calling thread from source', async () => {
    const d = await discover(dir);
    const pre = await preparse(d);
    expect([...pre.dockerfiles.keys()].sort()).toEqual(d.files.dockerfiles.filter((p) => p !== 'binary/Dockerfile'));
    expect([...pre.compose.keys()].sort()).toEqual(d.files.compose);
    expect(pre.compose.get('broken/docker-compose.yml')?.errors.length).toBeGreaterThan(0);
  });

  it('the built CLI reports the same with and without the parse worker', () => {
    if (!existsSync(join(ROOT, 'dist/parse-worker.js')))
      throw new Error('dist/parse-worker.js missing: run `npm run build` (npm test does)');
    const run = (workers: string) => {
      const r = spawnSync(process.execPath, [BIN, 'check', dir, '--format', 'json'], {
        encoding: 'utf8',
        env: { ...process.env, SEAWORTHY_WORKERS: workers },
        maxBuffer: 64 * 1024 * 1024,
      });
      expect(r.status).toBe(2); // the broken and binary files
      const json = JSON.parse(r.stdout);
      json.summary.durationMs = 0;
      return json;
    };
    const withWorker = run('1');
    expect(withWorker.results.length).toBeGreaterThan(100);
    expect(withWorker.errors.map((e: { file: string }) => e.file)).toEqual(
      expect.arrayContaining(['broken/docker-compose.yml', 'binary/Dockerfile']),
    );
    expect(withWorker).toEqual(run('0'));
  }, 60_000);
});
