/**
 * Locating the enclosing git checkout and reading what it tracks, from files only: the `git` binary
 * is never run (a scanned repository's config can make git execute code, e.g. `core.fsmonitor`).
 */
import fs from 'node:fs';
import path from 'node:path';
import type { FileError } from '../types.js';
import { GitIndexError, parseGitIndex } from './git-index.js';

export interface GitLocation {
  /** Absolute, real path of the work tree's top level (the folder holding `.git`). */
  topLevel: string;
  /** The git directory of this work tree (`.git`, or `.git/worktrees/<name>` for a linked worktree). */
  gitDir: string;
  /** The directory shared by all worktrees (holds `config` and `info/exclude`). */
  commonDir: string;
}

const GITDIR_LINE = /^gitdir:\s*(.+?)\s*$/m;
const SHA256_FORMAT = /^\s*objectformat\s*=\s*sha256\s*$/im;
const S_IFMT = 0o170000;
const S_IFDIR = 0o040000;

/** Walks up from `start` (a real, absolute path) to the first folder with a `.git` directory or `gitdir:` file. */
export async function findGit(start: string): Promise<GitLocation | null> {
  for (let dir = start; ; ) {
    const dotGit = path.join(dir, '.git');
    const st = await fs.promises.stat(dotGit).catch(() => null);
    let gitDir: string | null = null;
    if (st?.isDirectory()) {
      gitDir = dotGit;
    } else if (st?.isFile()) {
      // Linked worktrees and submodules: `.git` is a file `gitdir: <path>`.
      const text = await fs.promises.readFile(dotGit, 'utf8').catch(() => '');
      const m = GITDIR_LINE.exec(text);
      if (m) gitDir = path.resolve(dir, m[1]);
    }
    if (gitDir !== null) {
      const common = await fs.promises.readFile(path.join(gitDir, 'commondir'), 'utf8').catch(() => null);
      const commonDir = common === null ? gitDir : path.resolve(gitDir, common.trim());
      return { topLevel: dir, gitDir, commonDir };
    }
    const parent = path.dirname(dir);
    if (parent === dir) return null;
    dir = parent;
  }
}

/**
 * Reads the index of `loc` and returns tracked paths relative to `prefix` (the scanned root's path
 * inside the work tree, '' when it is the top level) → file mode. Problems are appended to `errors`
 * and give an empty or partial map.
 */
export async function readTracked(
  loc: GitLocation,
  prefix: string,
  errors: FileError[],
  displayRoot: string,
): Promise<Map<string, number>> {
  const tracked = new Map<string, number>();
  const indexPath = path.join(loc.gitDir, 'index');
  const display = toDisplay(displayRoot, indexPath);
  let buf: Buffer;
  try {
    buf = await fs.promises.readFile(indexPath);
  } catch (e) {
    // A fresh `git init` has no index yet: nothing is tracked.
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT')
      errors.push({ file: display, message: `cannot read the git index: ${errorText(e)}` });
    return tracked;
  }
  const config = await fs.promises.readFile(path.join(loc.commonDir, 'config'), 'utf8').catch(() => '');
  const hashSize = SHA256_FORMAT.test(config) ? 32 : 20;
  try {
    const index = parseGitIndex(buf, hashSize);
    if (index.splitIndex) {
      errors.push({ file: display, message: 'split git index (core.splitIndex) is not supported; tracked-file information is incomplete' });
    }
    const strip = prefix === '' ? 0 : prefix.length + 1;
    for (const e of index.entries) {
      // Sparse-index directory entries stand for a whole folder; they are not files.
      if ((e.mode & S_IFMT) === S_IFDIR) continue;
      if (strip !== 0) {
        if (!(e.path.length > strip && e.path.startsWith(prefix) && e.path[prefix.length] === '/')) continue;
        tracked.set(e.path.slice(strip), e.mode);
      } else {
        tracked.set(e.path, e.mode);
      }
    }
  } catch (e) {
    if (!(e instanceof GitIndexError)) throw e;
    errors.push({ file: display, message: `cannot parse the git index: ${e.message}` });
  }
  return tracked;
}

/** A path for messages: relative to the scanned root when inside it, else absolute. */
export function toDisplay(root: string, abs: string): string {
  const rel = path.relative(root, abs);
  return rel.startsWith('..') || path.isAbsolute(rel) ? abs : rel.split(path.sep).join('/');
}

export function errorText(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  if (err && typeof err.code === 'string') {
    const text: Record<string, string> = {
      EACCES: 'permission denied',
      EPERM: 'operation not permitted',
      ENOENT: 'no such file or directory',
      ENOTDIR: 'not a directory',
      ELOOP: 'too many levels of symbolic links',
      EISDIR: 'is a directory',
      EMFILE: 'too many open files',
      EIO: 'input/output error',
    };
    return `${err.code} (${text[err.code] ?? err.message})`;
  }
  return err instanceof Error ? err.message : String(e);
}
