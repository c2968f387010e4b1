// The bench script runs end to end on a tiny generated corpus (--quick: 1 run, no peers, no 16×) and
// writes its table. Timing is never asserted here: figures on a shared machine are not test results.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const repo = join(import.meta.dirname, '..', '..');
const dir = mkdtempSync(join(tmpdir(), 'seaworthy-bench-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('bench/run.mjs --quick', () => {
  it('writes the benchmark table for a tiny corpus', () => {
    const corpus = join(dir, 'corpus');
    mkdirSync(join(corpus, 'api'), { recursive: true });
    writeFileSync(
      join(corpus, 'api', 'Dockerfile'),
      'FROM python:3.12-slim\nRUN pip install flask && rm -rf /root/.cache\nUSER 1000\nCMD ["python", "app.py"]\n',
    );
    writeFileSync(join(corpus, 'docker-compose.yml'), 'services:\n  api:\n    build: ./api\n    ports:\n      - "8000:8000"\n');
    // A variant discovery lists (dashed name): the parse floor reads the files the check reads.
    writeFileSync(join(corpus, 'docker-compose-sqlite.yml'), 'services:\n  api:\n    build: ./api\n');
    const out = join(dir, 'BENCHMARKS.md');
    const r = spawnSync(process.execPath, [join(repo, 'bench', 'run.mjs'), corpus, '--quick', '--out', out], {
      cwd: repo,
      encoding: 'utf8',
    });
    expect(r.stderr).toContain('bench: wrote');
    expect(r.status).toBe(0);
    const md = readFileSync(out, 'utf8');
    expect(md).toMatch(/^# Benchmarks/);
    expect(md).toMatch(/Machine: \d+ cores/);
    expect(md).toContain(`Node ${process.version}`);
    for (const row of [
      '`seaworthy --version`',
      'one-Dockerfile repository',
      'parse floor',
      'on the whole corpus',
      'Dockerfiles alone',
      'compose files alone',
      'corpus ×1',
      'corpus ×4',
    ]) {
      expect(md).toMatch(new RegExp(`^\\| .*${row.replace(/[.*+?^${}()|[\]\\`]/g, '\\$&')}.*\\| \\d+ ms \\|`, 'm'));
    }
    expect(md).toMatch(/## Targets \(issue 8\)[\s\S]*\| whole corpus within 1\.5× of the parse floor \|.*\| [✔✖] \|/);
    expect(md).toContain('1 Dockerfiles, 2 compose files by name');
    expect(md).toContain('read the 1 Dockerfiles and 2 compose files whose names its discovery recognises');
  }, 120_000);
});
