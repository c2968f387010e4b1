/**
 * Checking a large repository in parts. A monorepo of many independent services (or a corpus of
 * many repositories) does not need one model of everything: each part is discovered, parsed, judged
 * and printed on its own, and its model is dropped before the next part is built, so memory follows
 * the largest part instead of the repository.
 *
 * A part is a folder's whole subtree, or a single file that sits beside sibling parts. The split is
 * only made where it cannot change a result:
 * - A folder that holds a Dockerfile, a compose file or an example env file is never split: a compose
 *   file builds and mounts what is below it, a Dockerfile's build context is its folder, an example
 *   env file documents the compose projects below it.
 * - A compose file that names a path with `..` reaches up: the folder it can reach (as many levels up
 *   as the longest `../../` run in its text) is not split either.
 * - The root is the exception (a monorepo's main image or stack; 16× the corpus with a root
 *   Dockerfile: 1.0 GB whole, 261 MB split). With a Dockerfile, compose file or example env file
 *   there, the files at the root are one part, judged before the others (its results merged in
 *   order, src/check-parts.ts). Its build reads what it needs wherever it is: the entrypoint scripts a
 *   root image copies, the Dockerfiles a root compose file builds (a root image's context, the whole
 *   repository, is only listed by name). Each part it reads from is taken into it, and it is built
 *   again, until it reads nothing of another part (or holds most of the repository: then it is
 *   checked whole). It takes in from the start the parts of the compose files an example env file at
 *   the root documents (no example env file in their folder or a folder above it below the root; 16×
 *   the corpus with a root `.env.example`: 434 MB, against 1.0 GB whole), and those of compose files
 *   below that reach up to the root with `..`.
 * - CI workflows and dependency update configuration are repository-wide: the ci/ rules match every
 *   Dockerfile with the builds and scans of every workflow. When there are any, the ci/ rules are
 *   judged once, before the parts, from the workflows and a light pass over the parts (each
 *   Dockerfile's final FROM, each compose project's builds: src/check-parts.ts), and the parts are
 *   checked without them. The light pass reads every Dockerfile and compose file a second time, so
 *   such a repository is split only from `CI_SPLIT_FILES` Dockerfiles and compose files on (shared
 *   corpus with a workflow, 2 vCPUs, medians: at 530 files split 0.57 s against 0.53 s whole; at 2×
 *   0.90 s / 149 MB against 0.87 s / 223 MB; at 4× 1.6 s / 194 MB against 1.5 s / 346 MB; at 16×
 *   5.2 s / 272 MB against 7.0 s / 993 MB).
 * - Config waivers apply to each result alone; whether one matched no result anywhere (or how many
 *   an expired one matched) is told once, from the counts of every part (PolicyOptions.waiverTally).
 * - An explicit compose environment (config `environments:`) joins compose files from anywhere: the
 *   folder that holds all its files is not split, and each part gets the environments of its files
 *   (environmentsIn). One that names a file discovery did not list as a compose file (missing,
 *   outside the root) keeps the repository whole, where its error is reported.
 * - Rules that judge the repository as a whole (`REPOSITORY_RULES`) run once, on the files they read.
 * - A part that asks for a file outside itself anyway is caught (`DiscoveryView.escaped`).
 * Parts come in path order, and a part's files are a contiguous run of that order (a subtree is every
 * path with its prefix), so results sorted per part are sorted over the whole repository. (The root's
 * part is not such a run: it is judged first, and its results are merged in, like those judged apart.)
 */
import { explicitFilePath } from './compose/load.js';
import { emptyFiles } from './discover/classify.js';
import type { Discovery } from './discover/index.js';
import type { DiscoveredFiles } from './model/project.js';
import type { Config } from './engine/index.js';

/** Rules whose results depend on files all over the repository (every `.env` file, the root `.gitignore`). */
export const REPOSITORY_RULES: ReadonlySet<string> = new Set(['secrets/env-file-ignored']);

export interface Part {
  /** A folder (its whole subtree) or a single file, root-relative; a batch: its first part's path; the root's files: ''. */
  path: string;
  /** `root`: the files at the root (with a Dockerfile, compose file or example env file there) and the parts they take in. */
  kind: 'tree' | 'file' | 'batch' | 'root';
  inScope(rel: string): boolean;
  /** A batch: its parts, consecutive in path order; the root's files: the parts it takes in. */
  members?: Part[];
}

/** The part for a folder's subtree or a single file. */
export function makePart(path: string, kind: 'tree' | 'file'): Part {
  if (kind === 'file') return { path, kind, inScope: (rel) => rel === path };
  const under = `${path}/`;
  return { path, kind, inScope: (rel) => rel === path || rel.startsWith(under) };
}

/** First index in sorted `xs` whose entry is not below `key`. */
function lowerBound(xs: readonly string[], key: string): number {
  let lo = 0;
  let hi = xs.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (xs[mid] < key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * The discovered files of a part: discovery's lists are sorted, and a part's files are one run of
 * each (a subtree is every path from `dir/` up to, not including, `dir0`, '0' following '/').
 */
export function partFiles(all: DiscoveredFiles, part: Part): DiscoveredFiles {
  const out = emptyFiles();
  if (part.kind === 'root') {
    for (const k of Object.keys(out) as (keyof DiscoveredFiles)[]) out[k] = all[k].filter(part.inScope);
    return out;
  }
  if (part.members) {
    // Consecutive parts: their runs follow each other, so the lists stay sorted.
    for (const m of part.members) {
      const f = partFiles(all, m);
      for (const k of Object.keys(out) as (keyof DiscoveredFiles)[]) if (f[k].length) out[k] = out[k].length ? out[k].concat(f[k]) : f[k];
    }
    return out;
  }
  const from = part.kind === 'tree' ? `${part.path}/` : part.path;
  const to = part.kind === 'tree' ? `${part.path}0` : `${part.path}\0`;
  for (const k of Object.keys(out) as (keyof DiscoveredFiles)[]) {
    const xs = all[k];
    const i = lowerBound(xs, from);
    const j = lowerBound(xs, to);
    out[k] = i < j ? xs.slice(i, j) : [];
  }
  return out;
}

interface Dir {
  files: string[];
  dirs: Map<string, Dir>;
  /** Holds a Dockerfile or compose file, or a compose file below reaches up to it: checked whole. */
  whole: boolean;
}

/** Longest run of `..` path segments in a text (`../../x` → 2), 0 when there is none. */
export function upLevels(text: string): number {
  let max = 0;
  for (let i = text.indexOf('..'); i >= 0; i = text.indexOf('..', i + 2)) {
    let n = 0;
    let j = i;
    while (text.charCodeAt(j) === 46 && text.charCodeAt(j + 1) === 46) {
      const after = text.charCodeAt(j + 2);
      // `..` followed by a separator, or ending the token (`context: ..`).
      if (after === 47 || after === 92) {
        n++;
        j += 3;
      } else {
        if (
          !(after >= 48 && after <= 57) &&
          !(after >= 65 && after <= 90) &&
          !(after >= 97 && after <= 122) &&
          after !== 46 &&
          after !== 95 &&
          after !== 45
        )
          n++;
        break;
      }
    }
    if (n > max) max = n;
  }
  return max;
}

/** The explicit environments (config `environments:`) whose files are all in `part` (planParts keeps each in one part). */
export function environmentsIn(environments: Record<string, string[]>, part: Part): Record<string, string[]> {
  let out: Record<string, string[]> | null = null;
  for (const [name, files] of Object.entries(environments)) {
    if (!files.every((f) => part.inScope(explicitFilePath(f)))) continue;
    out ??= {};
    out[name] = files;
  }
  return out ?? {};
}

/** From this many Dockerfiles and compose files on, a repository with CI is split (see the module comment). */
export const CI_SPLIT_FILES = 1024;

/** Whether a root-relative path is a file at the root (`Dockerfile`, not `a/Dockerfile`). */
function atRoot(rel: string): boolean {
  return !rel.includes('/');
}

/** The part of the files at the root (with a Dockerfile, compose file or example env file there), and of the parts it takes in. */
export function rootPart(takenIn: Part[] = []): Part {
  if (!takenIn.length) return { path: '', kind: 'root', inScope: atRoot };
  return { path: '', kind: 'root', members: takenIn, inScope: (rel) => atRoot(rel) || takenIn.some((p) => p.inScope(rel)) };
}

/**
 * False when the repository is checked whole whatever its folders (see the module comment).
 * `ciSplitFiles`: the size from which a repository with CI is split (tests split small ones).
 */
function mayPlanParts(d: Discovery, ciSplitFiles: number): boolean {
  const f = d.files;
  if (judgesCiApart(f) && f.dockerfiles.length + f.compose.length < ciSplitFiles) return false;
  return !d.rootIsFile;
}

/** Whether the ci/ rules of a repository checked in parts are judged apart from the parts (see the module comment). */
export function judgesCiApart(files: DiscoveredFiles): boolean {
  return files.workflows.length > 0 || files.updateConfigs.length > 0;
}

/**
 * The parts to check `d` in, in path order; null when it must be checked whole (see the module
 * comment), or when it does not split into at least two parts.
 */
export function planParts(d: Discovery, config: Config, ciSplitFiles = CI_SPLIT_FILES): Part[] | null {
  const f = d.files;
  if (!mayPlanParts(d, ciSplitFiles)) return null;
  const root: Dir = { files: [], dirs: new Map(), whole: false };
  const dirAt = (segs: string[], n: number): Dir => {
    let cur = root;
    for (let i = 0; i < n; i++) {
      let next = cur.dirs.get(segs[i]);
      if (!next) {
        next = { files: [], dirs: new Map(), whole: false };
        cur.dirs.set(segs[i], next);
      }
      cur = next;
    }
    return cur;
  };
  const add = (file: string, anchors: boolean) => {
    const segs = file.split('/');
    const dir = dirAt(segs, segs.length - 1);
    dir.files.push(file);
    if (anchors) dir.whole = true;
  };
  // A Dockerfile, compose file or example env file at the root does not keep the root whole: the
  // root's files are one part, which takes in the parts it needs (see the module comment).
  let anchoredAtRoot = false;
  for (const p of f.dockerfiles) {
    if (atRoot(p)) anchoredAtRoot = true;
    add(p, !atRoot(p));
  }
  // Files whose parts the root's part takes in from the start.
  const rootNeeds: string[] = [];
  // Example env files document the compose projects of their folder and of the folders below that
  // have none of their own (secrets/env-example-complete), so their folder is not split either.
  // One at the root joins the root's part, which takes in the parts of the compose projects it documents.
  const examples = new Set(d.envFiles.filter((e) => e.isExample).map((e) => e.path));
  let exampleAtRoot = false;
  for (const p of f.envFiles) {
    const isExample = examples.has(p);
    if (isExample && atRoot(p)) exampleAtRoot = anchoredAtRoot = true;
    add(p, isExample && !atRoot(p));
  }
  for (const p of [...f.dockerignores, ...f.gitignores, ...f.configs, ...f.manifests]) add(p, false);
  // Compose files: read through a throwaway view, so the texts are not kept. (Their part reads them
  // again: handing the texts over instead kept them all until their batch, ~15 MB more peak at 16×
  // the corpus for ~5 ms less at 1×.)
  const peek = d.view(() => true);
  for (const p of f.compose) {
    const r = peek.readText(p);
    const up = 'text' in r ? upLevels(r.text) : 0;
    const segs = p.split('/');
    const depth = segs.length - 1;
    if (up > depth) return null;
    if (depth === 0) {
      add(p, false);
      anchoredAtRoot = true;
      continue;
    }
    add(p, true);
    if (depth - up > 0) dirAt(segs, depth - up).whole = true;
    else {
      // It reaches up to the root (`deploy/compose.yaml` building `context: ..`): its part joins the root's.
      rootNeeds.push(p);
      anchoredAtRoot = true;
    }
  }
  // Explicit environments: the folder holding all the files of one is not split.
  const composeFiles = new Set(f.compose);
  for (const files of Object.values(config.environments)) {
    let common: string[] | null = null;
    for (const file of files) {
      const norm = explicitFilePath(file);
      if (!composeFiles.has(norm)) return null;
      const segs = norm.split('/').slice(0, -1);
      if (common === null) common = segs;
      else {
        let n = 0;
        while (n < common.length && n < segs.length && common[n] === segs[n]) n++;
        common = common.slice(0, n);
      }
    }
    if (common) dirAt(common, common.length).whole = true;
  }
  if (root.whole) return null;

  const parts: Part[] = anchoredAtRoot ? [rootPart()] : [];
  const walk = (dir: Dir, prefix: string) => {
    // Entries in path order: a file `a/x` and a folder `a/b/` compare as their paths do.
    const entries: { key: string; file: string | null; dir: Dir | null }[] = [];
    for (const file of dir.files) entries.push({ key: file, file, dir: null });
    for (const [name, sub] of dir.dirs) entries.push({ key: `${prefix}${name}/`, file: null, dir: sub });
    entries.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    for (const e of entries) {
      if (e.file !== null) {
        if (!(anchoredAtRoot && dir === root)) parts.push(makePart(e.file, 'file'));
      } else if (e.dir?.whole) parts.push(makePart(e.key.slice(0, -1), 'tree'));
      else if (e.dir) walk(e.dir, e.key);
    }
  };
  walk(root, '');
  if (exampleAtRoot) {
    // The compose files with no example env file in their folder or a folder above it below the root:
    // the root's example documents them (secrets/env-example-complete).
    const folderOf = (p: string) => p.slice(0, Math.max(0, p.lastIndexOf('/')));
    const exampleDirs = new Set([...examples].map(folderOf));
    for (const c of f.compose) {
      let dir = folderOf(c);
      while (dir !== '' && !exampleDirs.has(dir)) dir = folderOf(dir);
      if (dir === '') rootNeeds.push(c);
    }
  }
  if (rootNeeds.length) parts[0] = rootPart(parts.filter((q) => q.kind !== 'root' && rootNeeds.some((c) => q.inScope(c))));
  return parts.length >= 2 ? parts : null;
}

/** A batch of consecutive parts, checked as one (a run of path order, like each of its parts). */
export function makeBatch(members: Part[]): Part {
  if (members.length === 1) return members[0];
  // Members are in path order, each a run of it that starts at its key (`dir/` for a subtree, the
  // path of a file): the one that can hold `rel` is the last whose key is not above it (a binary
  // search, not a scan per path asked for). A subtree's folder itself (`dir`) is looked up as `dir/`.
  const keys = members.map((m) => (m.kind === 'tree' ? `${m.path}/` : m.path));
  const at = (key: string, rel: string) => {
    // The last key not above `key`: just before the first one at or above its successor `key\0`.
    const i = lowerBound(keys, `${key}\0`) - 1;
    return i >= 0 && members[i].inScope(rel);
  };
  return { path: members[0].path, kind: 'batch', members, inScope: (rel) => at(rel, rel) || at(`${rel}/`, rel) };
}

/**
 * Consecutive parts grouped until a batch holds `maxFiles` discovered files (a larger part is a
 * batch of its own). Checking a part has a fixed cost (every rule runs over its model once); a
 * batch pays it once for many small parts, and memory still follows the batch, not the repository.
 */
export function batchParts(parts: Part[], all: DiscoveredFiles, maxFiles: number): Part[] {
  const out: Part[] = [];
  let cur: Part[] = [];
  let n = 0;
  for (const p of parts) {
    const f = partFiles(all, p);
    let size = 0;
    for (const k of Object.keys(f) as (keyof DiscoveredFiles)[]) size += f[k].length;
    if (cur.length && n + size > maxFiles) {
      out.push(makeBatch(cur));
      cur = [];
      n = 0;
    }
    cur.push(p);
    n += size;
  }
  if (cur.length) out.push(makeBatch(cur));
  return out;
}
