/**
 * secrets/env-file-ignored against a real git checkout: whether a `.env` is tracked comes from the
 * git index, which fixture folders cannot carry. The test runs git; the product never does.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, runRule } from '../harness.js';

const RULE = 'secrets/env-file-ignored';
const dirs: string[] = [];

function repo(files: Record<string, string>, gitAdd: string[] | null): string {
  const dir = mkdtempSync(join(tmpdir(), 'seaworthy-envgit-'));
  dirs.push(dir);
  for (const [p, c] of Object.entries(files)) writeFileSync(join(dir, p), c);
  if (gitAdd) {
    const git = (...args: string[]) => execFileSync('git', args, { cwd: dir, stdio: 'pipe' });
    git('init', '-q');
    if (gitAdd.length) git('add', '-f', ...gitAdd);
  }
  return dir;
}

afterEach(() => {
  for (const d of dirs.splice(0)) cleanup(d);
});

describe(`${RULE} with git`, () => {
  it('fails a .env that is tracked although gitignored (git add -f)', async () => {
    const dir = repo({ '.gitignore': '.env\n', '.env': 'POSTGRES_PASSWORD=fixture-value\n' }, ['.gitignore', '.env']);
    const res = await runRule(RULE, dir);
    expect(res).toHaveLength(1);
    expect(res[0]).toMatchObject({ status: 'fail', target: '.env', location: { file: '.env', line: 1, column: 1 } });
    expect(res[0].message).toMatch(/tracked by git/);
    expect(res[0].message).not.toContain('fixture-value');
  });

  it('fails a tracked .env that no .gitignore covers', async () => {
    const dir = repo({ '.env': 'API_TOKEN=fixture-value\n' }, ['.env']);
    const res = await runRule(RULE, dir);
    expect(res.map((r) => [r.status, r.location.file])).toEqual([['fail', '.env']]);
  });

  it('passes a gitignored, untracked .env and ignores tracked examples', async () => {
    const dir = repo({ '.gitignore': '.env\n', '.env': 'API_TOKEN=fixture-value\n', '.env.example': 'API_TOKEN=\n' }, [
      '.gitignore',
      '.env.example',
    ]);
    const res = await runRule(RULE, dir);
    expect(res.map((r) => [r.status, r.location.file, r.evidence])).toEqual([['pass', '.env', '`.env` gitignored']]);
  });

  it('outside git: judged by .gitignore alone', async () => {
    const dir = repo({ '.env': 'API_TOKEN=fixture-value\n' }, null);
    const res = await runRule(RULE, dir);
    expect(res.map((r) => r.status)).toEqual(['fail']);
  });

  it('with no .env at all: one pass for the repository', async () => {
    const dir = repo({ 'README.md': '# x\n' }, []);
    const res = await runRule(RULE, dir);
    expect(res).toHaveLength(1);
    expect(res[0]).toMatchObject({ status: 'pass', evidence: 'no `.env` files', location: { file: '', line: 1 } });
  });
});
