/**
 * Discovery: the first stage of the pipeline. Walks the scanned tree and produces plain data (which
 * files exist, by kind; git facts; .env files), plus two services for the parse/model layers:
 * `readText` (safe, bounded reads) and `buildContext` (what `docker build` would send).
 *
 * Nothing here runs a program: git facts come from reading `.git/index` directly.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { BuildContext, DiscoveredFiles, EnvFileInfo } from '../model/project.js';
import type { FileError } from '../types.js';
import { classifyExplicit, emptyFiles, isExampleEnvFile } from './classify.js';
import { ContextBuilder, type ContextHost } from './context.js';
import { errorText, findGit, readTracked } from './git.js';
import { IgnoreFile, IgnoreStack, parseGitignore } from './gitignore.js';
import { walk } from './walk.js';

export { classify, type FileKind, isExampleEnvFile } from './classify.js';
export { CONTEXT_FILE_CAP } from './context.js';
export { compileDockerignore, parseDockerignore } from './dockerignore.js';
export { type GitIndex, GitIndexError, type IndexEntry, parseGitIndex } from './git-index.js';

export interface DiscoverOptions {
  /** Globs in .gitignore syntax, relative to the root: matching files and folders are neither listed nor read. */
  exclude?: string[];
  /** Let `readText` and `buildContext` reach paths outside the root (e.g. a compose `build.context: ../x`). */
  allowOutsideRoot?: boolean;
}

export interface Discovery {
  /** Absolute path of the scanned folder (for a single-file scan: its folder). */
  root: string;
  /** The user passed a single file path. */
  rootIsFile: boolean;
  /** Relative POSIX paths, sorted. */
  files: DiscoveredFiles;
  /** null when the root is not inside a git checkout. */
  git: GitInfo | null;
  envFiles: EnvFileInfo[];
  /**
   * Problems met on the way (symlink loops, unreadable folders, ...); the rest was still discovered.
   * `buildContext` appends what it meets later (context outside the root, bad .dockerignore), once each.
   */
  errors: FileError[];
  /**
   * Read a discovered file as text (relative path). Never throws: returns an error for binary (NUL
   * byte in first 8 KiB), too large (> 2 MiB), unreadable, or a path/symlink that resolves outside
   * the root (unless allowOutsideRoot). A UTF-8 byte order mark is dropped. Results are cached.
   */
  readText(rel: string): { text: string } | { error: string };
  /** Build context for a Dockerfile built from `contextDir` (relative to root). Memoized. */
  buildContext(contextDir: string, dockerfilePath: string): BuildContext;
  /**
   * The same discovery restricted to the files `inScope` accepts (a part of the repository checked on
   * its own, see src/partition.ts): its own read cache, contexts and errors, the same git facts.
   */
  view(inScope: (rel: string) => boolean, files?: DiscoveredFiles): DiscoveryView;
}

function excludeStack(globs: readonly string[]): IgnoreStack {
  const rules = globs.map((g) => g.replace(/^\.\//, '')).join('\n');
  return rules === '' ? IgnoreStack.EMPTY : IgnoreStack.EMPTY.with(new IgnoreFile('', parseGitignore(rules)));
}

/** A discovery restricted to part of the tree; `escaped` tells whether anything outside it was asked for. */
export interface DiscoveryView extends Discovery {
  escaped(): boolean;
  /** The paths outside the view's part of the tree that were asked for (normalised; `.` for the root folder). */
  escapedPaths(): string[];
}

export interface GitInfo {
  /** Absolute real path of the work tree's top level. */
  topLevel: string;
  /** Tracked path (relative to the scanned root, POSIX) → mode, e.g. 0o100755. */
  tracked: Map<string, number>;
}

/** Largest file readText returns. */
export const MAX_TEXT_BYTES = 2 * 1024 * 1024;
/** How much of a file is checked for a NUL byte to call it binary. */
const BINARY_SNIFF_BYTES = 8 * 1024;

/**
 * Discovers the Docker setup under `input` (a folder, or a single file). Throws only when `input`
 * itself cannot be scanned (missing, not a file or folder); every other problem lands in `errors`.
 */
export async function discover(input: string, options: DiscoverOptions = {}): Promise<Discovery> {
  const abs = path.resolve(input);
  let st: fs.Stats;
  try {
    st = await fs.promises.stat(abs);
  } catch (e) {
    throw new Error(`cannot scan ${input}: ${errorText(e)}`);
  }
  if (!st.isDirectory() && !st.isFile()) throw new Error(`cannot scan ${input}: not a regular file or folder`);
  const rootIsFile = st.isFile();
  const root = rootIsFile ? path.dirname(abs) : abs;
  const realRoot = await fs.promises.realpath(root);
  const errors: FileError[] = [];

  const exclude = excludeStack(options.exclude ?? []);

  // Git: tracked files, and the ignore rules in force above the root.
  let git: GitInfo | null = null;
  let prefix = '';
  let baseStack = IgnoreStack.EMPTY;
  let rootIgnored = false;
  const loc = await findGit(realRoot);
  if (loc !== null) {
    prefix = path.relative(loc.topLevel, realRoot).split(path.sep).join('/');
    git = { topLevel: loc.topLevel, tracked: await readTracked(loc, prefix, errors, root) };
    const infoExclude = await readOptional(path.join(loc.commonDir, 'info', 'exclude'));
    if (infoExclude !== null) baseStack = baseStack.with(new IgnoreFile('', parseGitignore(infoExclude)));
    // .gitignore files of the folders from the top level down to (not including) the root.
    if (prefix !== '') {
      const segs = prefix.split('/');
      for (let i = 0; i < segs.length; i++) {
        const dirRel = segs.slice(0, i).join('/');
        const text = await readOptional(path.join(loc.topLevel, dirRel, '.gitignore'));
        if (text !== null) baseStack = baseStack.with(new IgnoreFile(dirRel, parseGitignore(text)));
        if (!rootIgnored && baseStack.ignores(segs.slice(0, i + 1).join('/'), true)) rootIgnored = true;
      }
    }
  }

  let files: DiscoveredFiles;
  let envIgnored: Map<string, boolean>;
  if (rootIsFile) {
    // An explicit file is taken as given (no ignore rules), classified by name.
    const name = path.basename(abs);
    files = emptyFiles();
    files[classifyExplicit(name)].push(name);
    envIgnored = new Map();
    if (files.envFiles.length > 0) {
      const text = await readOptional(path.join(root, '.gitignore'));
      const stack = text === null ? baseStack : baseStack.with(new IgnoreFile(prefix, parseGitignore(text)));
      envIgnored.set(name, rootIgnored || stack.ignores(prefix === '' ? name : `${prefix}/${name}`, false));
    }
  } else {
    const result = await walk({
      root,
      realRoot,
      prefix,
      baseStack,
      rootIgnored,
      exclude,
      allowOutsideRoot: options.allowOutsideRoot === true,
    });
    files = result.files;
    envIgnored = result.envIgnored;
    errors.push(...result.errors);
  }

  const envFiles: EnvFileInfo[] = files.envFiles.map((p) => ({
    path: p,
    isExample: isExampleEnvFile(p.slice(p.lastIndexOf('/') + 1)),
    tracked: git === null ? null : git.tracked.has(p),
    gitignored: envIgnored.get(p) ?? false,
  }));

  return new DiscoveryImpl(root, realRoot, rootIsFile, files, git, envFiles, errors, exclude, options.allowOutsideRoot === true);
}

/** A relative path with no `.`/`..` segment, no empty segment, no backslash: `normalize` leaves it as it is. */
const PLAIN_PATH = /^(?!\.\.?(?:\/|$))(?!.*\/\.\.?(?:\/|$))(?!.*\/\/)[^/\\][^\\]*$/;

class DiscoveryImpl implements DiscoveryView {
  private readonly texts = new Map<string, { text: string } | { error: string }>();
  private readonly contexts: ContextBuilder;
  private readonly reported = new Set<string>();
  private readonly rootWithSep: string;
  /** Set by `view`: the part of the tree this discovery stands for (null: all of it). */
  private inScope: ((rel: string) => boolean) | null = null;
  private outside = false;
  private readonly outsidePaths = new Set<string>();

  constructor(
    readonly root: string,
    private readonly realRoot: string,
    readonly rootIsFile: boolean,
    readonly files: DiscoveredFiles,
    readonly git: GitInfo | null,
    readonly envFiles: EnvFileInfo[],
    readonly errors: FileError[],
    private readonly exclude: IgnoreStack,
    private readonly allowOutsideRoot: boolean,
    /** Folder (absolute) → its real path, for every view of this discovery; the root's is `realPath`'s answer. */
    private readonly realDirs = new Map<string, string>([[root, realRoot]]),
  ) {
    this.rootWithSep = realRoot.endsWith(path.sep) ? realRoot : realRoot + path.sep;
    for (const e of errors) this.reported.add(`${e.file}\0${e.message}`);
    const host: ContextHost = {
      root,
      resolve: (rel) => this.resolve(rel),
      isExcluded: (rel) => this.isExcluded(rel),
      readText: (rel) => this.readText(rel),
      exists: (rel) => {
        this.touch(rel);
        const r = this.resolve(rel);
        return !('error' in r) && fs.statSync(r.abs, { throwIfNoEntry: false })?.isFile() === true;
      },
      // Problems found later (while building a context) are appended to `errors`, once each.
      error: (file, message) => this.report(file, message),
    };
    this.contexts = new ContextBuilder(host);
  }

  readText(rel: string): { text: string } | { error: string } {
    let result = this.texts.get(rel);
    if (result === undefined) {
      this.touch(rel);
      result = this.read(rel);
      this.texts.set(rel, result);
    }
    return result;
  }

  buildContext(contextDir: string, dockerfilePath: string): BuildContext {
    this.touch(contextDir === '' ? '.' : contextDir);
    return this.contexts.get(contextDir, dockerfilePath);
  }

  /** `files`: the files `inScope` accepts, when the caller has them (else they are filtered here). */
  view(inScope: (rel: string) => boolean, files = filterFiles(this.files, inScope)): DiscoveryView {
    const inView = new Set(files.envFiles);
    const v = new DiscoveryImpl(
      this.root,
      this.realRoot,
      this.rootIsFile,
      files,
      this.git,
      this.envFiles.filter((e) => inView.has(e.path)),
      [],
      this.exclude,
      this.allowOutsideRoot,
      this.realDirs,
    );
    v.inScope = inScope;
    return v;
  }

  escaped(): boolean {
    return this.outside;
  }

  escapedPaths(): string[] {
    return [...this.outsidePaths];
  }

  /** Notes a path asked for outside this view's part of the tree (a check in parts reports it as an internal error). */
  private touch(rel: string): void {
    if (this.inScope === null) return;
    // Most paths asked for are already plain (`a/b/c`): normalised only when they could need it.
    const n = PLAIN_PATH.test(rel) ? rel : path.posix.normalize(rel.replace(/\\/g, '/'));
    if (n === '.' || n.startsWith('../') || n === '..' || n.startsWith('/') || !this.inScope(n.replace(/\/$/, ''))) {
      this.outside = true;
      this.outsidePaths.add(n);
    }
  }

  private read(rel: string): { text: string } | { error: string } {
    const res = this.resolve(rel);
    if ('error' in res) return res;
    if (res.rootRel !== null && this.isExcluded(res.rootRel)) return { error: 'excluded by --exclude; not read' };
    let real: string;
    let st: fs.Stats;
    try {
      // A file that is no symlink itself is where its folder really is: an lstat per file, and one
      // per folder (realDir). A symlink is resolved whole.
      const lst = fs.lstatSync(res.abs);
      if (lst.isSymbolicLink()) {
        real = fs.realpathSync.native(res.abs);
        st = fs.statSync(real);
      } else {
        real = path.join(this.realDir(path.dirname(res.abs)), path.basename(res.abs));
        st = lst;
      }
      if (!this.allowOutsideRoot && !this.inside(real)) {
        return { error: `resolves outside the scanned root (to ${real}); not read` };
      }
    } catch (e) {
      return { error: `cannot read: ${errorText(e)}` };
    }
    // Checked before opening: opening a FIFO would block.
    if (!st.isFile()) return { error: st.isDirectory() ? 'is a directory, not a file' : 'not a regular file' };
    if (st.size > MAX_TEXT_BYTES) return { error: tooLarge(st.size) };
    let buf: Buffer;
    try {
      buf = readAtMost(real, st.size, MAX_TEXT_BYTES + 1);
    } catch (e) {
      return { error: `cannot read: ${errorText(e)}` };
    }
    if (buf.length > MAX_TEXT_BYTES) return { error: tooLarge(buf.length) }; // grew since the stat
    if (buf.subarray(0, BINARY_SNIFF_BYTES).includes(0)) return { error: 'binary file (NUL byte in the first 8 KiB); not read as text' };
    let text = buf.toString('utf8');
    if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    return { text };
  }

  /**
   * The real path of an absolute folder, as `realpath` gives it: its parent's real path and its name,
   * unless it is a symlink. Remembered for every view of this discovery, so each folder costs one
   * lstat (a realpath per file cost a readlink per path segment: ~2,000 syscalls on the corpus).
   */
  private realDir(dir: string): string {
    let real = this.realDirs.get(dir);
    if (real === undefined) {
      const parent = path.dirname(dir);
      if (parent === dir) real = dir;
      else if (fs.lstatSync(dir).isSymbolicLink()) real = fs.realpathSync.native(dir);
      else real = path.join(this.realDir(parent), path.basename(dir));
      this.realDirs.set(dir, real);
    }
    return real;
  }

  /** Root-relative path → absolute path and normalised root-relative path (null when outside). */
  private resolve(rel: string): { abs: string; rootRel: string | null } | { error: string } {
    const abs = path.resolve(this.root, rel.replace(/\\/g, '/'));
    const back = path.relative(this.root, abs);
    const outside = back === '..' || back.startsWith(`..${path.sep}`) || path.isAbsolute(back);
    if (outside && !this.allowOutsideRoot) return { error: 'path is outside the scanned root; not read' };
    return { abs, rootRel: outside ? null : back.split(path.sep).join('/') };
  }

  private isExcluded(rel: string): boolean {
    return rel !== '' && this.exclude.ignoresPathOrParent(rel, false);
  }

  private inside(real: string): boolean {
    return real === this.realRoot || real.startsWith(this.rootWithSep);
  }

  private report(file: string, message: string): void {
    const key = `${file}\0${message}`;
    if (this.reported.has(key)) return;
    this.reported.add(key);
    this.errors.push({ file, message });
  }
}

export function filterFiles(f: DiscoveredFiles, keep: (rel: string) => boolean): DiscoveredFiles {
  const out = emptyFiles();
  for (const k of Object.keys(out) as (keyof DiscoveredFiles)[]) out[k] = f[k].filter(keep);
  return out;
}

function tooLarge(size: number): string {
  return `too large (${size} bytes; the limit is ${MAX_TEXT_BYTES} bytes, 2 MiB); not read`;
}

/**
 * Reads at most `max` bytes, sized for the `expected` length (the file may change after the stat).
 * O_NONBLOCK: never hang on a FIFO swapped in after the stat.
 */
function readAtMost(file: string, expected: number, max: number): Buffer {
  const fd = fs.openSync(file, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
  try {
    let buf = Buffer.allocUnsafe(Math.min(expected + 1, max));
    let total = 0;
    for (;;) {
      if (total === buf.length) {
        if (buf.length >= max) break;
        const bigger = Buffer.allocUnsafe(Math.min(buf.length * 2, max));
        buf.copy(bigger, 0, 0, total);
        buf = bigger;
      }
      const want = buf.length - total;
      const n = fs.readSync(fd, buf, total, want, null);
      total += n;
      // A regular file reads short only at its end: no second read to be told so.
      if (n < want) break;
    }
    return buf.subarray(0, total);
  } finally {
    fs.closeSync(fd);
  }
}

async function readOptional(file: string): Promise<string | null> {
  try {
    return await fs.promises.readFile(file, 'utf8');
  } catch {
    return null;
  }
}
