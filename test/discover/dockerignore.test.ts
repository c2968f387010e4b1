import { describe, expect, it } from 'vitest';
import { compileDockerignore, goClean, parseDockerignore } from '../../src/discover/dockerignore.js';

/** Builds a matcher from .dockerignore text. */
function matcher(text: string): (p: string) => boolean {
  const m = compileDockerignore(parseDockerignore(text));
  return (p) => m.isIgnored(p);
}

describe('parseDockerignore', () => {
  it('drops comments and blank lines, cleans patterns like BuildKit', () => {
    const text = '\ufeff# comment\r\n\r\n  node_modules  \n/abs/path\n./rel//x/\n! keep \n!/rooted\n  # not a comment once indented\n';
    expect(parseDockerignore(text)).toEqual(['node_modules', 'abs/path', 'rel/x', '!keep', '!rooted', '# not a comment once indented']);
  });
});

describe('goClean', () => {
  it('behaves like Go path.Clean', () => {
    expect(goClean('')).toBe('.');
    expect(goClean('a/./b/../c/')).toBe('a/c');
    expect(goClean('../a')).toBe('../a');
    expect(goClean('/../a')).toBe('/a');
    expect(goClean('//a//b')).toBe('/a/b');
    expect(goClean('./')).toBe('.');
  });
});

describe('dockerignore matching', () => {
  it('anchors patterns to the context root (unlike .gitignore)', () => {
    const ig = matcher('foo\n*.md\n');
    expect(ig('foo')).toBe(true);
    expect(ig('foo/bar')).toBe(true); // below a matching directory
    expect(ig('a/foo')).toBe(false);
    expect(ig('README.md')).toBe(true);
    expect(ig('docs/README.md')).toBe(false);
  });

  it('`**` matches any number of directories', () => {
    const ig = matcher('**/*.md\n**/.env\na/**/b\n');
    expect(ig('README.md')).toBe(true);
    expect(ig('docs/deep/x.md')).toBe(true);
    expect(ig('.env')).toBe(true);
    expect(ig('svc/.env')).toBe(true);
    expect(ig('svc/x.env')).toBe(false);
    expect(ig('svc/.env.local')).toBe(false);
    expect(ig('a/b')).toBe(true);
    expect(ig('a/x/y/b')).toBe(true);
    expect(ig('a/x/y/c')).toBe(false);
  });

  it('`dir/**` excludes the contents, not the folder entry; trailing `/` is dropped', () => {
    const ig = matcher('foo/**\nbar/\n');
    expect(ig('foo/x')).toBe(true);
    expect(ig('foo')).toBe(false);
    expect(ig('bar')).toBe(true); // `bar/` == `bar`: a file named bar is excluded too
    expect(ig('bar/x/y')).toBe(true);
  });

  it('leading `/` is stripped', () => {
    const ig = matcher('/secret\n');
    expect(ig('secret')).toBe(true);
    expect(ig('x/secret')).toBe(false);
  });

  it('`!` re-includes, even inside an excluded folder (unlike .gitignore)', () => {
    const ig = matcher('node_modules\n!node_modules/keep\n');
    expect(ig('node_modules/other/index.js')).toBe(true);
    expect(ig('node_modules/keep')).toBe(false);
    expect(ig('node_modules/keep/index.js')).toBe(false);
  });

  it('allow-list style: `*` then exceptions', () => {
    const ig = matcher('*\n!src\n!package.json\n');
    expect(ig('src/index.ts')).toBe(false);
    expect(ig('package.json')).toBe(false);
    expect(ig('.env')).toBe(true);
    expect(ig('secrets/key.pem')).toBe(true);
  });

  it('the last matching pattern wins', () => {
    expect(matcher('!keep\n*\n')('keep')).toBe(true);
    expect(matcher('*.md\n!README.md\n')('README.md')).toBe(false);
    expect(matcher('*.md\n!README.md\nREADME.md\n')('README.md')).toBe(true);
  });

  it('`*`, `?` and classes do not cross `/`', () => {
    const ig = matcher('?.txt\n[a-c]x\n*/tmp\n');
    expect(ig('a.txt')).toBe(true);
    expect(ig('ab.txt')).toBe(false);
    expect(ig('bx')).toBe(true);
    expect(ig('dx')).toBe(false);
    expect(ig('a/tmp')).toBe(true);
    expect(ig('a/b/tmp')).toBe(false);
  });

  it('escapes regex metacharacters and honours backslash escapes', () => {
    const ig = matcher('a+b(c).txt\n\\*star\n');
    expect(ig('a+b(c).txt')).toBe(true);
    expect(ig('aab(c).txt')).toBe(false);
    expect(ig('*star')).toBe(true);
    expect(ig('xstar')).toBe(false);
  });

  it('normalises the tested path and never ignores the context root', () => {
    const ig = matcher('*\n');
    expect(ig('./a')).toBe(true);
    expect(ig('.')).toBe(false);
    expect(ig('')).toBe(false);
  });

  it('reports patterns the builder rejects', () => {
    const m = compileDockerignore(parseDockerignore('!\n[unclosed\nok\n'));
    expect(m.invalid).toEqual(['!', '[unclosed']);
    expect(m.isIgnored('ok')).toBe(true);
  });
});
