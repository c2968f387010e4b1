/**
 * Build contexts: what `docker build <contextDir>` would send, by name (files are not read, except
 * the .dockerignore and package.json), and the .dockerignore that filters it.
 */
import type { Dirent } from 'node:fs';
import fs from 'node:fs';
import path from 'node:path';
import type { BuildContext } from '../model/project.js';
import { compileDockerignore, parseDockerignore } from './dockerignore.js';
import { errorText } from './git.js';
import { compare } from './walk.js';

/** Most entries listed per context. */
export const CONTEXT_FILE_CAP = 20_000;

/** What the context builder needs from the discovery it belongs to. */
export interface ContextHost {
  root: string;
  /**
   * Root-relative POSIX path → its absolute path and its normalised root-relative path (null when
   * outside the root), or an error when it leaves the root and that is not allowed.
   */
  resolve(rel: string): { abs: string; rootRel: string | null } | { error: string };
  /** True when `--exclude` covers the root-relative path or one of its parents. */
  isExcluded(rel: string): boolean;
  readText(rel: string): { text: string } | { error: string };
  exists(rel: string): boolean;
  error(file: string, message: string): void;
}

interface Listing {
  files: string[];
  truncated: boolean;
  /**
   * Lower-cased names of every entry of the context folder itself (before `--exclude`), or null when
   * it was not read. A name not in it is not there: `exists` need not stat it.
   */
  rootNames: Set<string> | null;
}

/** Builds BuildContexts for one discovery, memoizing listings per folder and contexts per (folder, Dockerfile). */
export class ContextBuilder {
  private readonly listings = new Map<string, Listing>();
  private readonly contexts = new Map<string, BuildContext>();

  constructor(private readonly host: ContextHost) {}

  get(contextDir: string, dockerfilePath: string): BuildContext {
    const dir = normalizeRel(contextDir);
    const dockerfile = normalizeRel(dockerfilePath);
    const key = `${dir}\0${dockerfile}`;
    let ctx = this.contexts.get(key);
    if (ctx === undefined) {
      ctx = this.build(dir, dockerfile);
      this.contexts.set(key, ctx);
    }
    return ctx;
  }

  private build(dir: string, dockerfile: string): BuildContext {
    const listing = this.listing(dir);
    const dockerignore = this.dockerignore(dir, dockerfile, listing);
    let isIgnored: (p: string) => boolean = () => false;
    if (dockerignore !== null) {
      const matcher = compileDockerignore(dockerignore.patterns);
      for (const bad of matcher.invalid)
        this.host.error(dockerignore.path, `invalid .dockerignore pattern \`${bad}\` (the build would fail)`);
      isIgnored = (p) => matcher.isIgnored(p);
    }
    return {
      dir,
      files: listing.files,
      truncated: listing.truncated,
      dockerignore,
      isIgnored,
      packageJson: this.packageJson(dir, listing),
    };
  }

  /**
   * `host.exists`, except that a file directly in the context folder whose name the listing does not
   * have is known to be absent without a stat (most contexts have no .dockerignore or package.json).
   * Only plain ASCII names are answered so (a case-insensitive or normalising file system matches
   * them as the lower-cased listing does).
   */
  private exists(rel: string, dir: string, listing: Listing): boolean {
    const names = listing.rootNames;
    if (names !== null) {
      const slash = rel.lastIndexOf('/');
      const parent = slash < 0 ? '.' : rel.slice(0, slash);
      const name = rel.slice(slash + 1);
      if (parent === dir && PLAIN_NAME.test(name) && !names.has(name.toLowerCase())) return false;
    }
    return this.host.exists(rel);
  }

  /**
   * `<Dockerfile>.dockerignore` beside the Dockerfile wins over `<context>/.dockerignore`
   * (BuildKit's rule); the winner is read and parsed.
   */
  private dockerignore(dir: string, dockerfile: string, listing: Listing): BuildContext['dockerignore'] {
    const candidates = dockerfile === '.' ? [] : [`${dockerfile}.dockerignore`];
    candidates.push(inDir(dir, '.dockerignore'));
    for (const candidate of candidates) {
      if (!this.exists(candidate, dir, listing)) continue;
      const read = this.host.readText(candidate);
      if ('error' in read) {
        this.host.error(candidate, `cannot read .dockerignore: ${read.error}`);
        return null;
      }
      return { path: candidate, patterns: parseDockerignore(read.text) };
    }
    return null;
  }

  private packageJson(dir: string, listing: Listing): BuildContext['packageJson'] {
    const rel = inDir(dir, 'package.json');
    if (!this.exists(rel, dir, listing)) return null;
    const read = this.host.readText(rel);
    if ('error' in read) return null;
    let data: unknown;
    try {
      data = JSON.parse(read.text);
    } catch {
      return null;
    }
    if (!isObject(data)) return null;
    const names = (v: unknown): string[] => (isObject(v) ? Object.keys(v) : []);
    const scripts: Record<string, string> = {};
    if (isObject(data.scripts)) for (const [k, v] of Object.entries(data.scripts)) if (typeof v === 'string') scripts[k] = v;
    // Optional and peer dependencies are installed in production too (npm 7+), so they count as dependencies.
    const deps = new Set([...names(data.dependencies), ...names(data.optionalDependencies), ...names(data.peerDependencies)]);
    return { dependencies: [...deps].sort(compare), devDependencies: names(data.devDependencies).sort(compare), scripts };
  }

  /**
   * Lists the context breadth-first with entries sorted per folder, so when the cap cuts the listing
   * the files nearest the context root (`.env`, keys, ...) are the ones kept. Gitignored files and
   * `.env` files are included (docker sends them). `.git` and `node_modules` are recorded as one
   * entry each and not entered; symbolic links are recorded, not followed (the builder sends the
   * link itself). `--exclude` still applies.
   */
  private listing(dir: string): Listing {
    let listing = this.listings.get(dir);
    if (listing !== undefined) return listing;
    listing = { files: [], truncated: false, rootNames: null };
    this.listings.set(dir, listing);

    const resolved = this.host.resolve(dir);
    if ('error' in resolved) {
      this.host.error(dir, `build context not listed: ${resolved.error}`);
      return listing;
    }
    const files = listing.files;
    // Context-relative folder → its root-relative path (null when outside the root: --exclude does not apply).
    const rootRelOfContext = resolved.rootRel;
    const queue: string[] = [''];
    outer: for (let q = 0; q < queue.length; q++) {
      const sub = queue[q];
      const absDir = sub === '' ? resolved.abs : path.join(resolved.abs, sub);
      let entries: Dirent[];
      try {
        entries = fs.readdirSync(absDir, { withFileTypes: true });
      } catch (e) {
        this.host.error(inDir(dir, sub), `cannot list build context folder: ${errorText(e)}`);
        continue;
      }
      entries.sort((a, b) => compare(a.name, b.name));
      if (sub === '') listing.rootNames = new Set(entries.map((e) => e.name.toLowerCase()));
      for (const ent of entries) {
        const rel = sub === '' ? ent.name : `${sub}/${ent.name}`;
        if (rootRelOfContext !== null && this.host.isExcluded(rootRelOfContext === '' ? rel : `${rootRelOfContext}/${rel}`)) continue;
        const dirLike = ent.isDirectory();
        let record = false;
        if (ent.name === '.git' || (ent.name === 'node_modules' && dirLike)) record = true;
        else if (dirLike) queue.push(rel);
        else record = ent.isFile() || ent.isSymbolicLink();
        if (!record) continue;
        if (files.length === CONTEXT_FILE_CAP) {
          listing.truncated = true;
          break outer;
        }
        files.push(rel);
      }
    }
    files.sort(compare);
    return listing;
  }
}

/** A file name any file system spells one way: printable ASCII, not ending in a dot or a space. */
const PLAIN_NAME = /^[\x21-\x7e](?:[\x20-\x7e]*[\x21-\x2d\x2f-\x7e])?$/;

/** `./a//b/` → `a/b`; '' → '.'. */
export function normalizeRel(rel: string): string {
  const p = path.posix.normalize(rel.replace(/\\/g, '/'));
  return p.length > 1 && p.endsWith('/') ? p.slice(0, -1) : p;
}

function inDir(dir: string, name: string): string {
  return dir === '.' || dir === '' ? name : `${dir}/${name}`;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
