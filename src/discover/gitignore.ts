/**
 * .gitignore semantics (also used for `--exclude` globs).
 *
 * Why not the `ignore` package here: it always re-checks a path's parent directories against the
 * rules of the one file it holds, so with nested .gitignore files a directory ignored by an upper
 * file but re-included by a deeper one (`build/` at the top, `!build/` in `a/.gitignore`) would still
 * hide `a/build/x`. Git decides per path, deepest file first, and simply does not descend into an
 * excluded directory; the walker does the not-descending, so a matcher here only needs "which rule of
 * this file matches this path itself". It is also case-sensitive like git on Linux (`ignore` folds
 * case by default). Each pattern is compiled once to a RegExp when its file is loaded.
 *
 * Pattern rules (gitignore(5), wildmatch with WM_PATHNAME):
 * - blank lines and lines starting with `#` are skipped; `\#` and `\!` escape those characters;
 * - trailing spaces are dropped unless escaped with a backslash;
 * - `!` negates; a trailing `/` matches directories only;
 * - a pattern with a `/` at the start or in the middle is anchored to the .gitignore's folder,
 *   otherwise it matches the last path component at any depth;
 * - `*` and `?` and `[...]` never match `/`; `**` as a whole path component matches any number of
 *   components (leading `**\/`, trailing `/**`, middle `/**\/`), elsewhere it is a plain `*`.
 */

export interface IgnoreRule {
  /** null: the pattern is malformed (unterminated `[`, trailing `\`) and, as in git, never matches. */
  re: RegExp | null;
  negative: boolean;
  dirOnly: boolean;
  /** Matched against the last path component instead of the whole relative path. */
  basename: boolean;
  /** The pattern as written (after trimming), for diagnostics. */
  source: string;
}

/** Parses the text of a .gitignore (or a list of `--exclude` globs joined by newlines). */
export function parseGitignore(text: string): IgnoreRule[] {
  const rules: IgnoreRule[] = [];
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  for (let line of text.split('\n')) {
    if (line.endsWith('\r')) line = line.slice(0, -1);
    if (line === '' || line[0] === '#') continue;
    line = trimTrailingSpaces(line);
    const source = line;
    let negative = false;
    if (line[0] === '!') {
      negative = true;
      line = line.slice(1);
    }
    let dirOnly = false;
    if (line.endsWith('/')) {
      dirOnly = true;
      line = line.slice(0, -1);
    }
    if (line === '') continue;
    const anchored = line.includes('/');
    if (line[0] === '/') line = line.slice(1);
    const body = globToRegExpSource(line);
    let re: RegExp | null = null;
    if (body !== null) {
      try {
        re = new RegExp(`^${body}$`);
      } catch {
        re = null; // e.g. a reversed range `[z-a]`
      }
    }
    rules.push({ re, negative, dirOnly, basename: !anchored, source });
  }
  return rules;
}

/** The rules of one ignore file and the folder they are relative to. */
export class IgnoreFile {
  /**
   * @param dir folder of the file, relative to the matching base (the git top level, or the scanned
   *   root without git), POSIX, '' for the base itself.
   */
  constructor(
    readonly dir: string,
    readonly rules: IgnoreRule[],
  ) {}

  /**
   * The verdict of the last rule matching `path` (relative to this file's folder): true = ignored,
   * false = re-included by a `!` rule, undefined = no rule matches.
   */
  match(path: string, base: string, isDir: boolean): boolean | undefined {
    const rules = this.rules;
    for (let i = rules.length - 1; i >= 0; i--) {
      const r = rules[i];
      if (r.re === null || (r.dirOnly && !isDir)) continue;
      if (r.re.test(r.basename ? base : path)) return !r.negative;
    }
    return undefined;
  }
}

/**
 * The ignore files in force for a folder, outermost first. Immutable: `with` returns a new stack,
 * so sibling folders walked concurrently never see each other's files.
 */
export class IgnoreStack {
  static readonly EMPTY = new IgnoreStack([]);

  private constructor(private readonly files: readonly IgnoreFile[]) {}

  with(file: IgnoreFile): IgnoreStack {
    return file.rules.length === 0 ? this : new IgnoreStack([...this.files, file]);
  }

  /**
   * Whether `path` (relative to the matching base) is ignored, judging the path itself: the deepest
   * file with a matching rule decides, as in git. Parent directories are not re-checked; the walker
   * never descends into an ignored one.
   */
  ignores(path: string, isDir: boolean): boolean {
    const base = path.slice(path.lastIndexOf('/') + 1);
    for (let i = this.files.length - 1; i >= 0; i--) {
      const f = this.files[i];
      const sub = f.dir === '' ? path : path.slice(f.dir.length + 1);
      const verdict = f.match(sub, base, isDir);
      if (verdict !== undefined) return verdict;
    }
    return false;
  }

  /** Like `ignores`, but also true when any parent directory of `path` is ignored. */
  ignoresPathOrParent(path: string, isDir: boolean): boolean {
    let slash = path.indexOf('/');
    while (slash >= 0) {
      if (this.ignores(path.slice(0, slash), true)) return true;
      slash = path.indexOf('/', slash + 1);
    }
    return this.ignores(path, isDir);
  }
}

/** Drops trailing spaces that are not escaped with a backslash. */
function trimTrailingSpaces(line: string): string {
  let end = line.length;
  while (end > 0 && line[end - 1] === ' ') {
    let backslashes = 0;
    for (let k = end - 2; k >= 0 && line[k] === '\\'; k--) backslashes++;
    if (backslashes % 2 === 1) break; // `\ ` keeps this space (the escape is resolved later)
    end--;
  }
  return line.slice(0, end);
}

const POSIX_CLASSES: Record<string, string> = {
  alnum: 'a-zA-Z0-9',
  alpha: 'a-zA-Z',
  blank: ' \\t',
  cntrl: '\\x00-\\x1f\\x7f',
  digit: '0-9',
  graph: '\\x21-\\x7e',
  lower: 'a-z',
  print: '\\x20-\\x7e',
  punct: '!-\\/:-@\\[-`{-~',
  space: ' \\t\\n\\r\\f\\v',
  upper: 'A-Z',
  xdigit: '0-9A-Fa-f',
};

const REGEX_META = new Set(['.', '*', '+', '?', '^', '$', '{', '}', '(', ')', '|', '[', ']', '\\', '/']);
const CLASS_META = new Set(['\\', ']', '[', '^', '-']);

function escapeChar(ch: string): string {
  return REGEX_META.has(ch) ? `\\${ch}` : ch;
}

function escapeClassChar(ch: string): string {
  return CLASS_META.has(ch) ? `\\${ch}` : ch;
}

/**
 * Converts a wildmatch glob (leading `/` and trailing `/` already removed) to a RegExp body.
 * Returns null for a malformed pattern, which git treats as matching nothing.
 */
export function globToRegExpSource(p: string): string | null {
  let out = '';
  const n = p.length;
  let i = 0;
  while (i < n) {
    const c = p[i];
    if (c === '*') {
      let j = i;
      while (p[j] === '*') j++;
      const runIsDoubleStar = j - i >= 2 && (i === 0 || p[i - 1] === '/') && (j === n || p[j] === '/');
      if (!runIsDoubleStar) {
        out += '[^/]*';
      } else if (j === n) {
        out += '.*'; // trailing `/**` (or the whole pattern `**`): everything below
      } else {
        out += '(?:.*/)?'; // `**/`: zero or more whole directories
        j++; // the slash is part of the group
      }
      i = j;
    } else if (c === '?') {
      out += '[^/]';
      i++;
    } else if (c === '[') {
      const cls = parseClass(p, i);
      if (cls === null) return null;
      out += cls.source;
      i = cls.end;
    } else if (c === '\\') {
      if (i + 1 >= n) return null; // a trailing backslash is invalid
      out += escapeChar(p[i + 1]);
      i += 2;
    } else {
      out += escapeChar(c);
      i++;
    }
  }
  return out;
}

/** Parses the bracket expression starting at p[start] === '['. */
function parseClass(p: string, start: number): { source: string; end: number } | null {
  const n = p.length;
  let j = start + 1;
  let negated = false;
  if (p[j] === '!' || p[j] === '^') {
    negated = true;
    j++;
  }
  let body = '';
  let first = true;
  while (j < n && (p[j] !== ']' || first)) {
    first = false;
    if (p[j] === '[' && p[j + 1] === ':') {
      const close = p.indexOf(':]', j + 2);
      if (close < 0) return null;
      const cls = p.slice(j + 2, close);
      const named = Object.hasOwn(POSIX_CLASSES, cls) ? POSIX_CLASSES[cls] : undefined;
      if (named === undefined) return null;
      body += named;
      j = close + 2;
      continue;
    }
    let lo = p[j];
    if (lo === '\\') {
      if (j + 1 >= n) return null;
      lo = p[++j];
    }
    j++;
    if (p[j] === '-' && j + 1 < n && p[j + 1] !== ']') {
      let hi = p[j + 1];
      j += 2;
      if (hi === '\\') {
        if (j >= n) return null;
        hi = p[j++];
      }
      body += `${escapeClassChar(lo)}-${escapeClassChar(hi)}`;
    } else {
      body += escapeClassChar(lo);
    }
  }
  if (j >= n) return null; // unterminated
  // A negated class must not cross a directory separator either.
  return { source: negated ? `[^/${body}]` : `[${body}]`, end: j + 1 };
}
