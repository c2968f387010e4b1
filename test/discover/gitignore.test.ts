import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { classify } from '../../src/discover/classify.js';
import { IgnoreFile, IgnoreStack, parseGitignore } from '../../src/discover/gitignore.js';
import { discover } from '../../src/discover/index.js';
import { cleanup, git, gitInit, tmpDir, writeTree } from './helpers.js';

afterAll(cleanup);

/** Every file is named so discovery classifies it as a Dockerfile: then files.dockerfiles is "everything not ignored". */
const FILES = [
  'a.dockerfile',
  'ab.dockerfile',
  'abc.dockerfile',
  'keep.dockerfile',
  'rooted.dockerfile',
  'x/rooted.dockerfile',
  'build/out.dockerfile',
  'a/build/x.dockerfile',
  'a/local.dockerfile',
  'a/b/local.dockerfile',
  'sub/build/y.dockerfile',
  'sub/build/w.tmp.dockerfile',
  'sub/z.tmp.dockerfile',
  'sub/kept.dockerfile',
  'docs/readme.dockerfile',
  'docs/keep-me.dockerfile',
  'docs/deeper/readme.dockerfile',
  'foo/baz.dockerfile',
  'foo/bar/baz.dockerfile',
  'foo/bar/qux/baz.dockerfile',
  'deep/a/b/c/target.dockerfile',
  'target.dockerfile',
  'tmp/drop.dockerfile',
  'tmp/keep.dockerfile',
  'Dockerfile.log',
  'x/Dockerfile.log',
  'y/Dockerfile.log',
  'space .dockerfile',
  'trailing.dockerfile',
  '#hash.dockerfile',
  '!bang.dockerfile',
  '[x].dockerfile',
  'Dockerfile.bak',
  'Dockerfile.Bak',
  'Dockerfile.BAK',
  'dockerfile.case',
  'Dockerfile.CASE',
  'onlydir.dockerfile/inner.dockerfile',
  'x/onlydir.dockerfile',
  'excluded-by-info.dockerfile',
  'kz.dockerfile',
  'mz.dockerfile',
  'star/lit.dockerfile',
  'dstar/q/r.dockerfile',
  'dstar/r.dockerfile',
  'mid/x/y/end.dockerfile',
  'mid/end.dockerfile',
  'ws/leading.dockerfile',
];

const ROOT_GITIGNORE = [
  '# a comment',
  '',
  '*.log',
  '!x/Dockerfile.log',
  '/rooted.dockerfile',
  'build/',
  'docs/*.dockerfile',
  '!docs/keep*.dockerfile',
  'foo/**/baz.dockerfile',
  '**/target.dockerfile',
  'tmp/*',
  '!tmp/keep.dockerfile',
  'space\\ .dockerfile',
  'trailing.dockerfile   ',
  '\\#hash.dockerfile',
  '\\!bang.dockerfile',
  '\\[x\\].dockerfile',
  'Dockerfile.[bB]ak',
  'dockerfile.case',
  'onlydir.dockerfile/',
  'a?.dockerfile',
  '[!k]z.dockerfile',
  'dstar/**',
  'mid/**/end.dockerfile',
  'star/*',
].join('\n');

describe('.gitignore semantics match git', () => {
  function makeRepo(): string {
    const repo = tmpDir();
    gitInit(repo);
    writeTree(repo, Object.fromEntries(FILES.map((f) => [f, 'FROM scratch\n'])));
    writeTree(repo, {
      '.gitignore': ROOT_GITIGNORE,
      'sub/.gitignore': '!build/\n*.tmp.dockerfile\n',
      'a/.gitignore': '/local.dockerfile\n',
    });
    fs.appendFileSync(path.join(repo, '.git', 'info', 'exclude'), '\nexcluded-by-info.dockerfile\n');
    return repo;
  }

  /** What git considers untracked and not ignored, restricted to names discovery lists as Dockerfiles. */
  function gitView(cwd: string): string[] {
    return git(cwd, 'ls-files', '--others', '--exclude-standard', '-z')
      .split('\0')
      .filter((p) => p !== '' && classify(p, path.posix.basename(p)) === 'dockerfiles')
      .sort();
  }

  it('lists exactly the files git does not ignore', async () => {
    const repo = makeRepo();
    const d = await discover(repo);
    expect(d.files.dockerfiles).toEqual(gitView(repo));
    // Spot checks of the tricky cases, so a git behaviour change cannot hide a regression.
    expect(d.files.dockerfiles).toContain('sub/build/y.dockerfile'); // re-included by a deeper .gitignore
    expect(d.files.dockerfiles).not.toContain('sub/build/w.tmp.dockerfile');
    expect(d.files.dockerfiles).toContain('x/Dockerfile.log');
    expect(d.files.dockerfiles).toContain('x/onlydir.dockerfile'); // `dir/` patterns match folders only
    expect(d.files.dockerfiles).toContain('Dockerfile.BAK'); // case-sensitive
    expect(d.files.dockerfiles).not.toContain('excluded-by-info.dockerfile');
    expect(d.files.dockerfiles).not.toContain('a/local.dockerfile');
    expect(d.files.dockerfiles).toContain('a/b/local.dockerfile');
  });

  it('applies the .gitignore files of parent folders when scanning a subfolder', async () => {
    const repo = makeRepo();
    for (const sub of ['sub', 'docs', 'a', 'foo/bar']) {
      const d = await discover(path.join(repo, sub));
      expect(d.files.dockerfiles).toEqual(gitView(path.join(repo, sub)));
    }
  });

  it('applies .gitignore without git', async () => {
    const dir = tmpDir();
    writeTree(dir, { '.gitignore': 'ignored/\n*.bak.dockerfile\n', 'ignored/Dockerfile': '', 'x.bak.dockerfile': '', Dockerfile: '' });
    const d = await discover(dir);
    expect(d.git).toBeNull();
    expect(d.files.dockerfiles).toEqual(['Dockerfile']);
  });
});

describe('parseGitignore / IgnoreStack', () => {
  const stack = (text: string) => IgnoreStack.EMPTY.with(new IgnoreFile('', parseGitignore(text)));

  it('skips malformed patterns instead of throwing', () => {
    const s = stack('[unterminated\ntrailing\\\n[z-a]\nok\n');
    expect(s.ignores('ok', false)).toBe(true);
    expect(s.ignores('[unterminated', false)).toBe(false);
  });

  it('handles CRLF and BOM', () => {
    const s = stack('\ufefffirst\r\nsecond\r\n');
    expect(s.ignores('first', false)).toBe(true);
    expect(s.ignores('second', false)).toBe(true);
  });

  it('ignoresPathOrParent checks parents', () => {
    const s = stack('vendor/\n');
    expect(s.ignores('vendor/x', false)).toBe(false);
    expect(s.ignoresPathOrParent('vendor/x', false)).toBe(true);
  });
});
