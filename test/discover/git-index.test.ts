import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { GitIndexError, parseGitIndex } from '../../src/discover/git-index.js';
import { cleanup, git, gitInit, tmpDir, writeTree } from './helpers.js';

afterAll(cleanup);

/** `git ls-files -s` as (path → "mode stage"), the reference the parser must reproduce. */
function lsFiles(repo: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const rec of git(repo, 'ls-files', '-s', '-z').split('\0')) {
    if (rec === '') continue;
    const [meta, p] = rec.split('\t');
    const [mode, , stage] = meta.split(' ');
    out.set(p, `${mode} ${stage}`);
  }
  return out;
}

function parsed(repo: string, hashSize = 20): { version: number; entries: Map<string, string> } {
  const index = parseGitIndex(fs.readFileSync(path.join(repo, '.git', 'index')), hashSize);
  const entries = new Map(index.entries.map((e) => [e.path, `${e.mode.toString(8).padStart(6, '0')} ${e.stage}`]));
  return { version: index.version, entries };
}

/** A repository whose paths exercise prefix compression, long names, non-ASCII and special modes. */
function makeRepo(...initArgs: string[]): string {
  const repo = tmpDir();
  gitInit(repo, ...initArgs);
  const files: Record<string, string> = {
    Dockerfile: 'FROM scratch\n',
    'backend/Dockerfile': 'FROM node\n',
    'backend/src/index.js': 'x',
    'backend/src/index.test.js': 'x',
    'backend/src/lib/a.js': 'x',
    'backend/src/lib/b.js': 'x',
    'frontend/Dockerfile': 'FROM nginx\n',
    'docker/entrypoint.sh': '#!/bin/sh\n',
    'dír/ünïcödé-名前.txt': 'x',
    [`deep/${'d'.repeat(120)}/${'e'.repeat(120)}/${'f'.repeat(60)}.txt`]: 'x',
    'z.txt': 'x',
  };
  writeTree(repo, files);
  fs.symlinkSync('Dockerfile', path.join(repo, 'link'));
  git(repo, 'add', '-A');
  git(repo, 'update-index', '--chmod=+x', 'docker/entrypoint.sh');
  // A submodule entry (gitlink), without a real submodule.
  git(
    repo,
    'update-index',
    '--add',
    '--cacheinfo',
    `160000,${'1'.repeat(initArgs.includes('--object-format=sha256') ? 64 : 40)},vendor/sub`,
  );
  return repo;
}

describe('parseGitIndex', () => {
  it('reads a version 2 index like git ls-files', () => {
    const repo = makeRepo();
    git(repo, 'update-index', '--index-version', '2');
    const { version, entries } = parsed(repo);
    expect(version).toBe(2);
    expect(entries).toEqual(lsFiles(repo));
    expect(entries.get('docker/entrypoint.sh')).toBe('100755 0');
    expect(entries.get('Dockerfile')).toBe('100644 0');
    expect(entries.get('link')).toBe('120000 0');
    expect(entries.get('vendor/sub')).toBe('160000 0');
    expect(entries.has('dír/ünïcödé-名前.txt')).toBe(true);
  });

  it('reads a version 3 index with extended flags (intent-to-add)', () => {
    const repo = makeRepo();
    writeTree(repo, { 'new/later.txt': 'x' });
    git(repo, 'add', '-N', 'new/later.txt'); // sets the extended flag, so git writes version 3
    const { version, entries } = parsed(repo);
    expect(version).toBe(3);
    expect(entries).toEqual(lsFiles(repo));
    expect(entries.has('new/later.txt')).toBe(true);
    expect(entries.has('z.txt')).toBe(true); // entries after the extended one are still aligned
  });

  it('reads a version 4 index (path prefix compression)', () => {
    const repo = makeRepo();
    git(repo, 'update-index', '--index-version', '4');
    const { version, entries } = parsed(repo);
    expect(version).toBe(4);
    expect(entries).toEqual(lsFiles(repo));
    expect(entries.get('docker/entrypoint.sh')).toBe('100755 0');
  });

  it('reads version 4 with extended flags', () => {
    const repo = makeRepo();
    writeTree(repo, { 'backend/src/new.js': 'x' });
    git(repo, 'add', '-N', 'backend/src/new.js');
    git(repo, 'update-index', '--index-version', '4');
    const { version, entries } = parsed(repo);
    expect(version).toBe(4);
    expect(entries).toEqual(lsFiles(repo));
  });

  it('reads the index of a SHA-256 repository (32-byte object ids)', () => {
    const repo = makeRepo('--object-format=sha256');
    for (const v of ['2', '4']) {
      git(repo, 'update-index', '--index-version', v);
      const { entries } = parsed(repo, 32);
      expect(entries).toEqual(lsFiles(repo));
    }
  });

  it('reports conflict stages', () => {
    const repo = tmpDir();
    gitInit(repo);
    writeTree(repo, { 'f.txt': 'base\n' });
    git(repo, 'add', '-A');
    git(repo, 'commit', '-q', '-m', 'base');
    git(repo, 'checkout', '-q', '-b', 'other');
    writeTree(repo, { 'f.txt': 'other\n' });
    git(repo, 'commit', '-q', '-am', 'other');
    git(repo, 'checkout', '-q', 'main');
    writeTree(repo, { 'f.txt': 'main\n' });
    git(repo, 'commit', '-q', '-am', 'main');
    try {
      git(repo, 'merge', '-q', 'other');
    } catch {
      // expected: conflict
    }
    const index = parseGitIndex(fs.readFileSync(path.join(repo, '.git', 'index')));
    expect(index.entries.filter((e) => e.path === 'f.txt').map((e) => e.stage)).toEqual([1, 2, 3]);
  });

  it('rejects malformed input with GitIndexError', () => {
    const repo = makeRepo();
    const buf = fs.readFileSync(path.join(repo, '.git', 'index'));
    expect(() => parseGitIndex(Buffer.from('NOPE'))).toThrow(GitIndexError);
    expect(() => parseGitIndex(Buffer.concat([Buffer.from('XIRC'), buf.subarray(4)]))).toThrow(/signature/);
    const v9 = Buffer.from(buf);
    v9.writeUInt32BE(9, 4);
    expect(() => parseGitIndex(v9)).toThrow(/version 9/);
    for (const cut of [20, 100, 200, buf.length >> 1]) expect(() => parseGitIndex(buf.subarray(0, cut))).toThrow(GitIndexError);
    const huge = Buffer.from(buf);
    huge.writeUInt32BE(0xffffffff, 8);
    expect(() => parseGitIndex(huge)).toThrow(/exceeds/);
  });

  it('flags a split index', () => {
    const repo = makeRepo();
    git(repo, 'update-index', '--split-index');
    const index = parseGitIndex(fs.readFileSync(path.join(repo, '.git', 'index')));
    expect(index.splitIndex).toBe(true);
  });
});
