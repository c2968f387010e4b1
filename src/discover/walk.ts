/**
 * The tree walk: lists the files discovery cares about, honouring .gitignore files (nested, like
 * git), `.git/info/exclude` and `--exclude` globs. Ignored and excluded folders are never entered and
 * ignored files never read; the only files read here are the .gitignore files themselves.
 *
 * Cost: one readdir (with file types) per folder, one read per .gitignore; a stat/realpath only for
 * symbolic links. Unclassified files are dropped on their name alone, before any ignore matching.
 */
import type { Dirent } from 'node:fs';
import fs from 'node:fs';
import path from 'node:path';
import type { DiscoveredFiles } from '../model/project.js';
import type { FileError } from '../types.js';
import { classify, emptyFiles } from './classify.js';
import { errorText } from './git.js';
import { IgnoreFile, type IgnoreStack, parseGitignore } from './gitignore.js';

export interface WalkOptions {
  /** Absolute path of the scanned root, as given. */
  root: string;
  /** Its real path (symlinks resolved). */
  realRoot: string;
  /** The root's path relative to the .gitignore matching base (the git top level), '' when equal. */
  prefix: string;
  /** Ignore files in force above the root (`.git/info/exclude`, .gitignore files of parent folders). */
  baseStack: IgnoreStack;
  /** True when git ignores the root folder itself (then every .env file in it is ignored too). */
  rootIgnored: boolean;
  /** `--exclude` globs as an ignore file at the root (paths relative to the root). */
  exclude: IgnoreStack;
  allowOutsideRoot: boolean;
}

export interface WalkResult {
  files: DiscoveredFiles;
  /** Every `.env*` file found → whether .gitignore rules cover it. */
  envIgnored: Map<string, boolean>;
  errors: FileError[];
}

/** Folders never entered. */
const SKIPPED = new Set(['.git', 'node_modules']);

interface DeferredLink {
  rel: string;
  abs: string;
  /** Real path of the link's target directory. */
  target: string;
  /** Real path of the folder holding the link. */
  parentReal: string;
  stack: IgnoreStack;
}

export async function walk(opts: WalkOptions): Promise<WalkResult> {
  const w = new Walker(opts);
  await w.run();
  for (const list of Object.values(w.files)) list.sort(compare);
  w.errors.sort((a, b) => compare(a.file, b.file));
  return { files: w.files, envIgnored: w.envIgnored, errors: w.errors };
}

export function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

class Walker {
  readonly files = emptyFiles();
  readonly envIgnored = new Map<string, boolean>();
  readonly errors: FileError[] = [];
  /** Real paths of the folders walked: a symlinked folder pointing at one of them is not walked again. */
  private readonly visited = new Set<string>();
  /** Symlinked folders, walked after the real tree, in sorted order, so results are deterministic. */
  private deferred: DeferredLink[] = [];
  private readonly rootWithSep: string;

  constructor(private readonly o: WalkOptions) {
    this.rootWithSep = o.realRoot.endsWith(path.sep) ? o.realRoot : o.realRoot + path.sep;
  }

  async run(): Promise<void> {
    await this.walkDir('', this.o.root, this.o.realRoot, this.o.baseStack);
    while (this.deferred.length > 0) {
      const batch = this.deferred.sort((a, b) => compare(a.rel, b.rel));
      this.deferred = [];
      for (const link of batch) await this.followLink(link);
    }
  }

  /** Path relative to the .gitignore matching base. */
  private full(rel: string): string {
    const p = this.o.prefix;
    return p === '' ? rel : rel === '' ? p : `${p}/${rel}`;
  }

  private inside(real: string): boolean {
    return real === this.o.realRoot || real.startsWith(this.rootWithSep);
  }

  private error(file: string, message: string): void {
    this.errors.push({ file, message });
  }

  private async walkDir(rel: string, abs: string, real: string, stack: IgnoreStack): Promise<void> {
    this.visited.add(real);
    let entries: Dirent[];
    try {
      entries = await fs.promises.readdir(abs, { withFileTypes: true });
    } catch (e) {
      this.error(rel === '' ? '.' : rel, `cannot read directory: ${errorText(e)}`);
      return;
    }

    // This folder's .gitignore applies to everything below it (git reads it even if it is ignored;
    // like git >= 2.32, a symlinked .gitignore is not followed).
    const gitignore = entries.find((e) => e.name === '.gitignore');
    if (gitignore?.isFile()) {
      const giRel = join(rel, '.gitignore');
      if (!this.o.exclude.ignores(giRel, false)) {
        try {
          const text = await fs.promises.readFile(path.join(abs, '.gitignore'), 'utf8');
          stack = stack.with(new IgnoreFile(this.full(rel), parseGitignore(text)));
        } catch (e) {
          this.error(giRel, `cannot read .gitignore: ${errorText(e)}`);
        }
      }
    }

    const pending: Promise<void>[] = [];
    for (const ent of entries) {
      const name = ent.name;
      if (SKIPPED.has(name)) continue;
      const r = join(rel, name);
      if (ent.isDirectory()) {
        if (this.o.exclude.ignores(r, true) || stack.ignores(this.full(r), true)) continue;
        const childReal = path.join(real, name);
        if (this.visited.has(childReal)) continue; // already walked through a symlinked folder
        pending.push(this.walkDir(r, path.join(abs, name), childReal, stack));
      } else if (ent.isFile()) {
        this.addFile(r, name, stack);
      } else if (ent.isSymbolicLink()) {
        pending.push(this.symlink(r, name, path.join(abs, name), real, stack));
      }
      // Sockets, FIFOs, devices: nothing to audit.
    }
    await Promise.all(pending);
  }

  private addFile(rel: string, name: string, stack: IgnoreStack): void {
    const kind = classify(rel, name);
    if (kind === null || this.o.exclude.ignores(rel, false)) return;
    if (kind === 'envFiles') {
      // Listed even when gitignored: whether it is ignored is exactly what the secrets rules ask.
      this.envIgnored.set(rel, this.o.rootIgnored || stack.ignores(this.full(rel), false));
      this.files.envFiles.push(rel);
      return;
    }
    if (stack.ignores(this.full(rel), false)) return;
    this.files[kind].push(rel);
  }

  /**
   * A symbolic link: files are listed when they resolve inside the root; folders are followed later
   * (deferred) unless they loop or leave the root. To git a link is a file, never a folder, so
   * .gitignore rules are matched with isDir = false.
   */
  private async symlink(rel: string, name: string, abs: string, parentReal: string, stack: IgnoreStack): Promise<void> {
    if (this.o.exclude.ignores(rel, false) || this.o.exclude.ignores(rel, true)) return;
    const kind = classify(rel, name);
    let target: string;
    let isDir: boolean;
    try {
      target = await fs.promises.realpath(abs);
      isDir = (await fs.promises.stat(target)).isDirectory();
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ELOOP') this.error(rel, 'symbolic link loop (the link resolves to itself); not followed');
      else if (code === 'ENOENT') {
        if (kind !== null) this.error(rel, 'broken symbolic link (its target does not exist)');
      } else this.error(rel, `cannot resolve symbolic link: ${errorText(e)}`);
      return;
    }
    const inside = this.inside(target);
    if (isDir) {
      if (stack.ignores(this.full(rel), false)) return;
      if (!inside) {
        this.error(rel, `symbolic link to a folder outside the scanned root (${target}); not followed`);
        return;
      }
      this.deferred.push({ rel, abs, target, parentReal, stack });
      return;
    }
    if (kind === null) return; // not a file we would read: where it points does not matter
    if (!inside && !this.o.allowOutsideRoot) {
      this.error(rel, `symbolic link to a file outside the scanned root (${target}); not read`);
      return;
    }
    this.addFile(rel, name, stack);
  }

  private async followLink(link: DeferredLink): Promise<void> {
    const { target } = link;
    if (link.parentReal === target || link.parentReal.startsWith(target + path.sep)) {
      const to = target === this.o.realRoot ? 'the scanned root' : path.relative(this.o.realRoot, target).split(path.sep).join('/');
      this.error(link.rel, `symbolic link loop: points to ${to}, which contains the link; not followed`);
      return;
    }
    if (this.visited.has(target)) return; // the same folder is already listed under its real path
    // Never enter .git or node_modules through a link either.
    const relTarget = path.relative(this.o.realRoot, target).split(path.sep);
    if (relTarget.some((seg) => SKIPPED.has(seg))) return;
    await this.walkDir(link.rel, link.abs, target, link.stack);
  }
}

function join(rel: string, name: string): string {
  return rel === '' ? name : `${rel}/${name}`;
}
