/**
 * .dockerignore semantics, ported from the code BuildKit and the Docker CLI use
 * (`moby/buildkit/frontend/dockerfile/dockerignore.ReadAll` and `moby/patternmatcher`).
 *
 * Differences from .gitignore that matter (and why the `ignore` package is not used here):
 * - Every pattern is anchored to the context root: `foo` matches `./foo` only, never `a/foo`;
 *   `*.md` matches Markdown files at the root only (use `**\/*.md` for any depth).
 * - A pattern that matches a directory excludes everything below it, but a later `!` exception can
 *   re-include a path inside an excluded directory (`node_modules` then `!node_modules/keep` sends
 *   `node_modules/keep`), which .gitignore forbids.
 * - Patterns are cleaned like Go's filepath.Clean: a trailing `/` is dropped (`dir/` == `dir`, files
 *   included), `./` and `..` are resolved, a leading `/` is stripped.
 * - Only lines *starting* with `#` are comments; there is no escaping of a leading `!` or `#`.
 * - `*` and `?` do not match `/`; `**` matches any number of directories (including none).
 * The last matching pattern wins.
 */

/** Splits a .dockerignore into cleaned patterns, as BuildKit's ReadAll does. */
export function parseDockerignore(text: string): string[] {
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const out: string[] = [];
  for (let line of text.split('\n')) {
    if (line.endsWith('\r')) line = line.slice(0, -1);
    if (line.startsWith('#')) continue; // comments are recognised before trimming
    let pattern = line.trim();
    if (pattern === '') continue;
    const invert = pattern[0] === '!';
    if (invert) pattern = pattern.slice(1).trim();
    if (pattern.length > 0) {
      pattern = goClean(pattern);
      if (pattern.length > 1 && pattern[0] === '/') pattern = pattern.slice(1);
    }
    out.push(invert ? `!${pattern}` : pattern);
  }
  return out;
}

type MatchType = 'exact' | 'prefix' | 'suffix' | 'regexp';

interface Pattern {
  exclusion: boolean;
  cleaned: string;
  type: MatchType;
  re: RegExp | null;
}

export interface DockerignoreMatcher {
  /** True when the context-relative path is excluded from the build context. */
  isIgnored(path: string): boolean;
  /** Patterns that BuildKit would reject (the build fails with "syntax error in pattern"). */
  invalid: string[];
}

/** Compiles cleaned patterns (from parseDockerignore) once. */
export function compileDockerignore(patterns: readonly string[]): DockerignoreMatcher {
  const compiled: Pattern[] = [];
  const invalid: string[] = [];
  for (const raw of patterns) {
    let p = raw.trim();
    if (p === '') continue;
    p = goClean(p);
    let exclusion = false;
    if (p[0] === '!') {
      if (p.length === 1) {
        invalid.push(raw);
        continue;
      }
      exclusion = true;
      p = p.slice(1);
    }
    const pat = compilePattern(p, exclusion);
    if (pat === null) invalid.push(raw);
    else compiled.push(pat);
  }
  const cache = new Map<string, boolean>();
  return {
    invalid,
    isIgnored(path: string): boolean {
      let hit = cache.get(path);
      if (hit === undefined) {
        hit = matchesOrParentMatches(compiled, cleanPath(path));
        cache.set(path, hit);
      }
      return hit;
    },
  };
}

/** `patternmatcher.MatchesOrParentMatches`: a pattern matches a path or any of its parent dirs. */
function matchesOrParentMatches(patterns: Pattern[], file: string): boolean {
  if (file === '.' || file === '') return false; // the context root itself is never excluded
  const slash = file.lastIndexOf('/');
  const parent = slash < 0 ? '' : file.slice(0, slash);
  let matched = false;
  for (const p of patterns) {
    // An exclusion only matters once something matched; an inclusion only while nothing has.
    if (p.exclusion !== matched) continue;
    let m = matchOne(p, file);
    if (!m && parent !== '') {
      // Try each parent directory: `a`, `a/b`, ... (not the file itself, already tried).
      let at = parent.indexOf('/');
      for (;;) {
        if (matchOne(p, at < 0 ? parent : parent.slice(0, at))) {
          m = true;
          break;
        }
        if (at < 0) break;
        at = parent.indexOf('/', at + 1);
      }
    }
    if (m) matched = !p.exclusion;
  }
  return matched;
}

function matchOne(p: Pattern, path: string): boolean {
  switch (p.type) {
    case 'exact':
      return path === p.cleaned;
    case 'prefix':
      return path.startsWith(p.cleaned.slice(0, -2)); // `foo/**` and `foo**`: strip the `**`
    case 'suffix': {
      // `**/foo` (and `**foo`) is matched on the suffix; `**/foo` also matches `foo` itself.
      // Like patternmatcher, `**foo` therefore matches `barfoo` too.
      const suffix = p.cleaned.slice(2);
      return path.endsWith(suffix) || (suffix[0] === '/' && path === suffix.slice(1));
    }
    default:
      return (p.re as RegExp).test(path);
  }
}

/** Regex metacharacters with no meaning in filepath.Match, escaped as patternmatcher does. */
const ESCAPE = new Set(['.', '+', '(', ')', '|', '{', '}', '$']);

/**
 * `Pattern.compile` from patternmatcher: literal patterns stay string comparisons (exact, prefix,
 * suffix), anything with wildcards becomes an anchored RegExp. Returns null for an invalid pattern.
 */
function compilePattern(cleaned: string, exclusion: boolean): Pattern | null {
  let re = '^';
  let type: MatchType = 'exact';
  const chars = [...cleaned]; // code points, like Go's text/scanner
  for (let i = 0, k = 0; k < chars.length; i++) {
    const ch = chars[k++];
    if (ch === '*') {
      if (chars[k] === '*') {
        k++;
        if (chars[k] === '/') k++; // treat `**/` as `**`
        if (k >= chars.length) {
          // trailing `**`: everything below
          if (type === 'exact') type = 'prefix';
          else {
            re += '.*';
            type = 'regexp';
          }
        } else {
          re += '(.*/)?';
          type = 'regexp';
        }
        if (i === 0) type = 'suffix';
      } else {
        re += '[^/]*';
        type = 'regexp';
      }
    } else if (ch === '?') {
      re += '[^/]';
      type = 'regexp';
    } else if (ESCAPE.has(ch)) {
      re += `\\${ch}`;
    } else if (ch === '\\') {
      if (k < chars.length) {
        re += `\\${chars[k++]}`;
        type = 'regexp';
      } else {
        re += '\\\\';
      }
    } else if (ch === '[' || ch === ']') {
      re += ch;
      type = 'regexp';
    } else {
      re += ch;
    }
  }
  if (type !== 'regexp') return { exclusion, cleaned, type, re: null };
  try {
    return { exclusion, cleaned, type, re: new RegExp(`${re}$`) };
  } catch {
    return null;
  }
}

/** Go's path.Clean for slash-separated paths. */
export function goClean(p: string): string {
  if (p === '') return '.';
  const rooted = p[0] === '/';
  const parts: string[] = [];
  for (const seg of p.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') {
      if (parts.length > 0 && parts[parts.length - 1] !== '..') parts.pop();
      else if (!rooted) parts.push('..');
      continue;
    }
    parts.push(seg);
  }
  const joined = parts.join('/');
  if (rooted) return `/${joined}`;
  return joined === '' ? '.' : joined;
}

/** Normalises a context-relative path the way the builder sees it (`./a//b/` → `a/b`). */
function cleanPath(path: string): string {
  let p = goClean(path.replace(/\\/g, '/'));
  while (p.startsWith('/')) p = p.slice(1);
  return p === '' ? '.' : p;
}
