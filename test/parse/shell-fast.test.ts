/**
 * The fast shell parser (src/parse/shell-fast.ts) must build exactly the tree tree-sitter-bash does,
 * whenever it builds one: on every shell body the product parses in examples/, test/fixtures/ and the
 * shared corpus, and on bodies made up from a token generator. The corpus also pins how much of it the
 * fast parser takes, so that it cannot silently stop being used.
 */
import { existsSync, mkdtempSync, readdirSync, renameSync, rmSync, cpSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { discover } from '../../src/discover/index.js';
import { buildProject } from '../../src/model/build.js';
import { initShell, parseShell, shellFields, shellHooks, treeSitterTree } from '../../src/parse/shell.js';
import { fastShell, type SNode } from '../../src/parse/shell-fast.js';

beforeAll(() => initShell());

const REPO = resolve(import.meta.dirname, '../..');
const CORPUS = resolve(REPO, process.env.SEAWORTHY_CORPUS ?? '../shared/corpus');

type Plain = [string, boolean, boolean, number, number, number, Plain[]];
const plain = (n: SNode): Plain => [n.type, n.named, n.missing, n.start, n.end, n.field, n.children.map(plain)];

/** Both parsers on `text`: whether the fast one took it, and, if so, whether the trees are equal. */
function compare(text: string): { taken: boolean; fast?: unknown; ts?: unknown } {
  const fast = fastShell(text, shellFields());
  if (!fast) return { taken: false };
  const ts = treeSitterTree(text);
  // The fast parser takes no text with comments: its comment list is empty.
  return { taken: true, fast: plain(fast), ts: ts.comments.length ? ['comments', ts.comments.map(plain)] : plain(ts.root) };
}

/** The texts the product hands to parseShell while building the project at `root`. */
async function bodiesOf(root: string): Promise<string[]> {
  const out: string[] = [];
  shellHooks.record = (text) => out.push(text);
  try {
    await buildProject(await discover(root), 'x');
  } finally {
    shellHooks.record = null;
  }
  return out;
}

/** Each fixture case materialised as the harness does (`dot.X` → `.X`), so workflows and scripts are found. */
function materialise(dir: string): string {
  const tmp = mkdtempSync(join(tmpdir(), 'seaworthy-shfast-'));
  cpSync(dir, tmp, { recursive: true });
  const rename = (d: string) => {
    for (const e of readdirSync(d)) {
      let p = join(d, e);
      if (e.startsWith('dot.')) {
        const q = join(d, e.slice(3));
        renameSync(p, q);
        p = q;
      }
      if (statSync(p).isDirectory()) rename(p);
    }
  };
  rename(tmp);
  return tmp;
}

function fixtureCases(): string[] {
  const cases: string[] = [];
  const walk = (d: string, depth: number) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (!e.isDirectory()) continue;
      if (depth === 2) cases.push(join(d, e.name));
      else walk(join(d, e.name), depth + 1);
    }
  };
  walk(join(REPO, 'test/fixtures'), 0);
  return cases;
}

function expectExact(texts: string[]): { taken: number; total: number } {
  let taken = 0;
  for (const text of texts) {
    const r = compare(text);
    if (!r.taken) continue;
    taken++;
    expect(r.fast, JSON.stringify(text)).toEqual(r.ts);
  }
  return { taken, total: texts.length };
}

describe('fast shell parser', () => {
  it('builds tree-sitter’s tree for the examples and fixtures', async () => {
    const texts: string[] = [];
    for (const dir of ['examples/hardened', 'examples/leaky']) texts.push(...(await bodiesOf(join(REPO, dir))));
    for (const c of fixtureCases()) {
      const tmp = materialise(c);
      try {
        texts.push(...(await bodiesOf(tmp)));
      } finally {
        rmSync(tmp, { recursive: true, force: true });
      }
    }
    const { taken, total } = expectExact(texts);
    expect(total).toBeGreaterThan(300);
    expect(taken / total).toBeGreaterThan(0.75);
  });

  it.runIf(existsSync(CORPUS))('builds tree-sitter’s tree for the corpus, and takes most of it', async () => {
    const texts = await bodiesOf(CORPUS);
    const { taken, total } = expectExact(texts);
    expect(total).toBeGreaterThan(500);
    // Measured: 748 of 809 bodies.
    expect(taken / total).toBeGreaterThan(0.9);
  });

  it('builds tree-sitter’s tree for generated bodies', () => {
    const texts = generated(6000, 1);
    const { taken } = expectExact(texts);
    // The generator is meant to reach the fast parser often, not only its refusals.
    expect(taken).toBeGreaterThan(1000);
  });

  it('builds tree-sitter’s tree for generated case statements', () => {
    const { taken } = expectExact(generatedCases(6000, 2));
    expect(taken).toBeGreaterThan(300);
  });

  it('builds tree-sitter’s tree for line continuations in strings', () => {
    // Before an expansion or the closing quote, tree-sitter folds a line continuation (with the blanks
    // and newlines around it) into the next token, as it does blanks and newlines.
    const texts = ['echo "\\\n"', 'A="\\\n "', 'echo " \\\n$x"', 'A="$@\\\n$@"', 'echo "$x\\\n"', 'echo "\\\n\n${x}"'];
    texts.push('echo "a\\\nb"', 'echo "$x\\\nb"', 'echo "a\\\n$x"', 'echo "\\\n\\\nb"', 'echo " \\\n b"', 'echo "\\\n\t\nb"');
    // `\` and blanks before a newline, likewise.
    texts.push('echo "\\ \n"', 'A=" \\\t\n"', 'echo "$x \\ \n"', 'echo "a \\ \n"');
    expectExact(texts);
  });

  it('builds tree-sitter’s tree for words with a second expansion followed by text', () => {
    // tree-sitter ends the word at the `$` of a later `$NAME` that more text follows (`$N-$V.tgz`).
    const texts = ['echo $NAME-$VERSION.tgz', 'wget https://x/$N-$V.tar.gz', 'curl -o /tmp/$N-$V.tgz https://x', 'echo a"b"$y-z'];
    texts.push('echo ${x}a$y-z', 'echo a$x$?-z', 'x$x$y/p', 'echo a-$x-$y', 'echo a$x$yb', 'echo a$x${y}z', 'echo a$x$y"z"');
    expectExact(texts);
  });

  it('builds tree-sitter’s tree for a line continuation right after a newline', () => {
    // tree-sitter reads the next line as more words of the command before the newline.
    const texts = ['a\n\\\nb', 'a\n\\\n b', 'a\n\n\\\nb', 'echo $(a\n\\\nb)', '1\n\\\n : then :', 'case x in\na) b\n\\\nc;;\nesac'];
    texts.push('a;\\\nb', 'a\n\t\\\nb', 'a &\n\\\nb', 'a &&\n\\\n b', '\n\\\na', 'a\n \n\\\n b');
    expectExact(texts);
  });

  it('builds tree-sitter’s tree for assignment-only statements ended by a newline', () => {
    // After two or more assignments, tree-sitter reads the command on the next line as theirs.
    const texts = ['A=1 B=1\nb', 'A=1 B=1 \nb', 'A=1 B= \nb', 'A=1 A=\n"x"$y', 'A=1 \\\n B="$x"\n%\tdo0 /p', 'A=1 B=1\n\nb', 'A=1 B=1\n'];
    texts.push('A=1\nb', 'A=\nb', 'A=1 B=;c', 'A=1 B=&', 'A=1 B=1 && c');
    expectExact(texts);
  });

  it('builds tree-sitter’s tree for an empty assignment against a `|`', () => {
    // `A=|b` is an error for tree-sitter (`A=| b` too; `A=||` and `export A=||` as well).
    expectExact(['A=|08', 'A=|b', 'a=|b', 'export A=|| b', 'A=&b', 'A=&&b', 'A=;b', 'export A=&& b', 'A=1|b', 'A= |b']);
  });

  it('builds tree-sitter’s tree for a `-` argument before a descriptor redirect', () => {
    // tree-sitter drops the `-` of `a - 2>&1`, across a line continuation too.
    expectExact(['a - \\\n 2>&1', 'a - \\\n 2>&1 a#b >f', '@ \\\n - \\\n 2>&1 a#b >f', 'a - 2>&1', 'a -\\\n2>&1', 'a x \\\n 2>&1']);
  });

  it('builds tree-sitter’s tree for `$-`', () => {
    // Before blanks and `NAME+=`, tree-sitter reads the name as the variable of `$-`'s expansion.
    expectExact(['"a b"$(a)$(b)$- a+=1\na=b', 'echo $- a+=1', 'echo a$- b+=x', 'echo $-']);
  });

  it('builds tree-sitter’s tree for `((`', () => {
    // An arithmetic command, not two subshells.
    expectExact(['(( a ))', '(( a tee A= ))', '(( "x${A}y$B" A=1 curl ))\n\n', '( (a) )', '( ( a ) )']);
  });

  it('gives the same ShellScript either way', () => {
    const texts = [
      'apt-get update && apt-get install -y --no-install-recommends a b \\\n && rm -rf /var/lib/apt/lists/*',
      'set -eux; A=1 B="$X" make -j"$(nproc)" CC=gcc > /dev/null 2>&1 | tee log; export PATH="/x:$PATH" Y',
      'curl -fsSL "https://x/${V}/a.tgz" | tar -xz -C /opt && ( cd /opt && ./configure ) && { echo ok; }',
    ];
    for (const text of texts) {
      expect(fastShell(text, shellFields())).not.toBeNull();
      const fast = parseShell(text, { line: 3, column: 5 }, { tree: true });
      shellHooks.treeSitterOnly = true;
      try {
        expect(fast).toEqual(parseShell(text, { line: 3, column: 5 }, { tree: true }));
      } finally {
        shellHooks.treeSitterOnly = false;
      }
    }
  });
});

/** A small deterministic PRNG (mulberry32). */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// Tokens of bodies: common ones many times over, nasty ones (quotes, escapes, `$`, `#`, CR,
// non-ASCII, unterminated strings, keywords, control characters of the grammar) among them.
// biome-ignore format: a table of tokens
const WORDS = ['a', 'apt-get', 'install', '-y', '--no-install-recommends', 'rm', '-rf', '/var/lib/apt/lists/*', 'x', 'echo', 'curl', 'sh', 'tee'];
// biome-ignore format: a table of tokens
const NASTY = [
  '1', '0', '-1', '08', '0x1F', '0x10', '1a', '1.5', '12#3', '2#a', '-', '--', '--a=b', 'a=b', 'A=1', 'A=', 'A+=1', 'A[1]=2', '_A=x', '1A=2', 'é=1',
  'a#b', '#', '# c', '#x', '~', '~/x', '*', '?', 'a*b', '%', '^', ',', ':', '@', '+', '!', '!x', '=', '==', '=~', '-eq', '-f',
  'é', '日本', '😀', 'naïve', 'a\\ b', '\\ ', '\\x', '\\\\', '\\$', '\\"', "\\'", '\\#', 'a\\', '\\',
  '"a b"', '""', '"$x"', '"${x}"', '"$"', '"a$"', '"$ "', '"\\""', '"\\\\"', '"a\nb"', '"a\\\nb"', '"\r"', '"#"', '"$(x)"', '"$(a "b")"',
  '"`x`"', '"a', '"$1$@"', '"$?"', '"x${A}y$B"', "'a b'", "''", "'a\nb'", "'", "'\\'", "$'a'", '$"a"',
  '$X', '$x1', '$1', '$12', '$1a', '$_', '$_x', '$?', '$$', '$#', '$!', '$-', '$*', '$@', '$', '$ ', '${X}', '${1}', '${_}', '${X:-y}',
  '${X:-}', '${X:-a}', '${X:-a.b/c}', '${X:-1}', '${X:-01}', '${X:-a-b}', '${X:-a b}', '${X:-$Y}', '${X:+y}', '${X:=y}', '${X:?y}', '${X-y}',
  '${X%%[a-z]*}', '${X%%-*}', '${X##*-}', '${X#a}', '${X%.*}', '${X%%}', '${X:-}}', '"${X:-}"', '"${X%%-*}x"', '${X#*[}', '${X%%]}', '!=',
  '${X%%a*}', '${#X}', '${!X}', '${X}1', '1$X', '$(a b)', '$(a; b)', '$(a | b && c)', '$( a )', '$()', '$((1+2))', '$(a\nb)', '`a`',
  '&&', '||', '|', ';', '&', ';;', '|&', ';&', '>', '>>', '<', '2>', '2>&1', '>&2', '&>', '&>>', '>&-', '<&0', '1>', '10>', '<<', '<<EOF',
  '<<<', '>|', '<>', '(', ')', '{', '}', '[', ']', '[[', ']]', '((', '))', '$[1]', '{a,b}', '{1..3}', 'a{b}', 'a[1]',
  '( a b )', '(a)', '( a; b )', '( a && b ) >f', '{ a; }', '{ a && b; } 2>&1', '{ a }', '{a; }', '"a $x b"', '" $x "', '"$x\n  $y"', '"a\n\n"', '" \n "',
  'if', 'then', 'fi', 'for', 'in', 'do', 'done', 'case', 'esac', 'while', 'function', 'export', 'declare', 'local', 'readonly', 'unset', 'typeset', 'select',
];
// biome-ignore format: a table of tokens
const SEPS = [' ', ' ', ' ', ' ', ' ', ' ', '  ', '\t', '\n', ' \\\n\t', '\\\n', ' \\\n ', '', '', '\r\n', '\r', ' ; ', ' && ', ' | ', '\n\n'];

function generated(count: number, seed: number): string[] {
  const r = rng(seed);
  const pick = <T>(xs: T[]): T => xs[Math.floor(r() * xs.length)];
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    const n = 1 + Math.floor(r() * 12);
    const nasty = r() < 0.3 ? 0.05 : 0.2 + r() * 0.5;
    let s = r() < 0.1 ? pick(['', ' ', '\n', '\t']) : '';
    for (let j = 0; j < n; j++) {
      s += r() < nasty ? pick(NASTY) : pick(WORDS);
      if (j < n - 1) s += r() < 0.7 ? ' ' : pick(SEPS);
    }
    if (r() < 0.2) s += pick([';', '\n', ' ', ' \\\n', '\n\n', ' ;\n', '&', '\r\n']);
    out.push(s);
  }
  return out;
}

// Case statements as Dockerfiles write them, and variations around what the subset takes.
// biome-ignore format: a table of tokens
const PATTERNS = ['a', 'x', 'x86', 'x86_64', 'aarch64', 'amd64', 'arm64', 'i386', 'abc', 'A1', '*', 'e1', 'esac1', 'ex', '1', '12', '-x', '*.tar', 'a.b', '"x"', "'x'", '$X', 'a*', '?', '[ab]'];
// biome-ignore format: a table of tokens
const ITEM_SEPS = [' ', '\n', ' \\\n\t\t', '\n  ', '\\\n', '; ', '\t', ' \\\n'];
// biome-ignore format: a table of tokens
const BODIES = ['', 'x', 'A="${B:-} -x"', 'a b; c', 'a && b', 'a | b', 'A=1', 'a > f', 'a &', '( a )', 'echo "$x"'];
// biome-ignore format: a table of tokens
const ENDS = [' ;;', ';;', '; ;;', ';\n;;', '\n;;', '; \\\n\t\t;;', ' \\\n\t;;', ';&', ';;&', ''];

function generatedCases(count: number, seed: number): string[] {
  const r = rng(seed);
  const pick = <T>(xs: T[]): T => xs[Math.floor(r() * xs.length)];
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    let s = r() < 0.3 ? 'set -eux; \\\n\t' : '';
    s += `case ${pick(['"$arch"', '$a', 'x', '"$(uname -m)"', '1'])}${pick([' in', ' in', '\nin', ' in;'])}`;
    const items = Math.floor(r() * 4);
    for (let j = 0; j < items; j++) {
      s += pick(ITEM_SEPS);
      if (r() < 0.05) s += '(';
      const n = 1 + Math.floor(r() * 3);
      for (let k = 0; k < n; k++) s += (k ? '|' : '') + (r() < 0.8 ? pick(PATTERNS.slice(0, 11)) : pick(PATTERNS));
      s += `)${pick([' ', ' ', '\n', '', '\t', ' \\\n\t\t\t'])}${pick(BODIES)}${r() < 0.8 ? pick(ENDS.slice(0, 7)) : pick(ENDS)}`;
    }
    s +=
      pick(ITEM_SEPS) + pick(['esac', 'esac', 'esac', 'esac;', 'esac\n', 'esac; b', 'esac && b', 'esac > f', 'esac | b', ' esac', 'esacx']);
    out.push(s);
  }
  return out;
}
