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
import { prng } from '../prng.js';

beforeAll(() => initShell());

const REPO = resolve(import.meta.dirname, '../..');
/** How many generated bodies, times the default (more while developing: SHELL_FUZZ_SCALE=40). */
const SCALE = Number(process.env.SHELL_FUZZ_SCALE ?? 1);
const CORPUS = resolve(REPO, process.env.SEAWORTHY_CORPUS ?? '../shared/corpus');

type Plain = [string, boolean, boolean, number, number, number, Plain[]];
const plain = (n: SNode): Plain => [n.type, n.named, n.missing, n.start, n.end, n.field, n.children.map(plain)];

/** Both parsers on `text`: whether the fast one took it, and, if so, its tree and comments and tree-sitter's. */
function compare(text: string): { taken: boolean; fast?: unknown; ts?: unknown } {
  const comments: SNode[] = [];
  const fast = fastShell(text, shellFields(), comments);
  if (!fast) return { taken: false };
  const ts = treeSitterTree(text);
  // The comments are in the trees too; the lists must hold the same nodes (the tree's own, in order).
  const inTree = (root: SNode, cs: SNode[]) =>
    cs.map((c) => {
      let top = c;
      while (top.parent) top = top.parent;
      return top === root && c.parent?.children.includes(c) === true && c.type === 'comment';
    });
  return {
    taken: true,
    fast: [plain(fast), comments.map(plain), inTree(fast, comments)],
    ts: [plain(ts.root), ts.comments.map(plain), inTree(ts.root, ts.comments)],
  };
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

/** Each text is read by the fast parser, into tree-sitter's tree. */
function expectAllTakenExact(texts: string[]): void {
  for (const text of texts) expect(compare(text).taken, JSON.stringify(text)).toBe(true);
  expectExact(texts);
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
    // Measured: 792 of 809 bodies (759 of the 773 Dockerfile bodies); the rest are heredocs, PowerShell,
    // strings with line continuations in them and `exec 3<>/dev/tcp/…` healthchecks.
    expect(taken / total).toBeGreaterThan(0.975);
  });

  it('reads every shell text of the examples, entrypoint scripts (shebang, comments) and `$$` healthchecks included', async () => {
    for (const dir of ['examples/hardened', 'examples/leaky']) {
      const texts = await bodiesOf(join(REPO, dir));
      expect(texts.some((t) => t.startsWith('#!'))).toBe(true);
      expectAllTakenExact(texts);
    }
  });

  it('builds tree-sitter’s tree for generated bodies', () => {
    const texts = generated(6000 * SCALE, 1);
    const { taken } = expectExact(texts);
    // The generator is meant to reach the fast parser often, not only its refusals.
    expect(taken).toBeGreaterThan(1000);
  });

  it('builds tree-sitter’s tree for generated case statements', () => {
    const { taken } = expectExact(generatedCases(6000 * SCALE, 2));
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

  it('builds tree-sitter’s tree for generated for-loops, if-statements and test commands', () => {
    // Each kind on its own (most of them in the subset), and in lists, pipelines, groups and substitutions.
    expect(expectExact(generatedControl(4000 * SCALE, 3, 'body')).taken).toBeGreaterThan(1000);
    expect(expectExact(generatedControl(2000 * SCALE, 4, 'forLoop')).taken).toBeGreaterThan(500);
    expect(expectExact(generatedControl(2000 * SCALE, 5, 'ifStmt')).taken).toBeGreaterThan(200);
    expect(expectExact(generatedControl(2000 * SCALE, 6, 'test')).taken).toBeGreaterThan(1000);
  });

  it('builds tree-sitter’s tree for generated while/until loops and function definitions', () => {
    expect(expectExact(generatedControl(3000 * SCALE, 8, 'whileLoop')).taken).toBeGreaterThan(400 * SCALE);
    expect(expectExact(generatedControl(3000 * SCALE, 9, 'funcDef')).taken).toBeGreaterThan(400 * SCALE);
  });

  it('reads the for-loops, if-statements and test commands Dockerfiles write', () => {
    const texts = [
      'set -eux; \\\n\tfor src in idle3 pip3 pydoc3 python3 python3-config; do \\\n\t\tdst="$(echo "$src" | tr -d 3)"; \\\n\t\t[ -s "/usr/local/bin/$src" ]; \\\n\t\t[ ! -e "/usr/local/bin/$dst" ]; \\\n\t\tln -svT "$src" "/usr/local/bin/$dst"; \\\n\tdone',
      'if [ -n "${HTTP_PROXY}" ]; then echo "Acquire::http::proxy \\"${HTTP_PROXY}\\";" >> /etc/apt/apt.conf; fi',
      'if [ -s /usr/src/sentry/requirements.txt ]; then \\\n    echo "x"; \\\n    pip install -r /usr/src/sentry/requirements.txt; \\\n    fi',
      'a \\\n\t&& if [ "$sha" != "$(shasum -a 256 /tmp/t.tgz | awk \'{ print $1 }\')" ]; then exit 1; fi \\\n\t&& mkdir -p /usr/src/t',
      'export G="$(mktemp -d)" \\\n\t&& for server in $(shuf -e \\\n\t\t\ta.net \\\n\t\t\tb.net) ; do \\\n\t\tgpg --keyserver "${server}" --recv-keys ${F} && break || : ; \\\n\tdone \\\n\t&& gpg --verify x',
      'for a in x\ndo b\ndone',
      'for a in do done; do echo done fi then; done',
      'if a; then b; elif c; then d; else e; fi',
      'for a in x; do b; done > f; y',
      'a | for a in x; do b; done | c',
      '$(if a; then b; fi)',
      'if a; then b; fi && [ $# -gt 0 ] || exit 1',
      '[ ! -e x ]',
      '[ ! ! a ]',
      '[ "$a" = b ]',
      '[ $a -eq 1 ]',
      '[ ! a = b ]',
      '[ x$y = a.b-c/d ]',
      '[ a = b ] > f',
      '[ a ] && [ c ] > f',
    ];
    expectAllTakenExact(texts);
  });

  it('builds tree-sitter’s tree for `elif` and `else` clauses ended by newlines', () => {
    // A clause ends after the newline that ends its last statement and the newlines right after it.
    const texts = [
      'if a; then b; else c\n\nfi',
      'if a; then b; else c\n  fi',
      'if a; then b; elif c; then d\n\n fi',
      'if a; then b;\\\nelse c\nfi',
    ];
    texts.push(
      'if a; then b; elif c; then d\n else e\nfi',
      'if a; then b; else c\n\t\nfi',
      'if a; then b; else c \n \\\n fi',
      'if a; then b; else c;\n\nfi',
    );
    expectAllTakenExact(texts);
  });

  it('builds tree-sitter’s tree for test commands tree-sitter reads in a way of its own', () => {
    // `-s 1 -ne 0` is `-s (1 -ne 0)`, but `-n x = y` is `(-n x) = y` and `! a -eq 1` is `(! a) -eq 1`.
    const texts = ['[ -s 1 -ne 0 ]', '[ ! -s $x -gt $# ]', '[ -n x = y ]', '[ ! $a -eq 1 ]', '[ ! -s x = y ]', '[ -L "$x" -nt x ]'];
    // After `!=`, a bare word may be an `extglob_pattern`.
    texts.push('[ a != x ]', '[ "$a" != x ]', '[ -z x$y != x ]', '[ a != x.y ]', '[ a != "x" ]', '[ a != $x ]', '[ a != 1 ]');
    // A keyword, or a `#` in a word, is an error there.
    texts.push('[ if -ef "" ]', '[ fi ]', '[ ! a#b ]', 'a &&\n[ a#b ]');
    // A redirect after a test command and a `]` after it: one test command around a redirected command
    // (newlines are blanks inside `[ … ]`).
    texts.push(
      '[ $# -gt "" ] >f\n[ x ]',
      '[ a -gt "" ]\nc > f\n[ x ]',
      '[ a -gt "" ] 2>&1\n[ x ]',
      'for c in x; do [ a -gt "" ] >f\n[ x ];done',
    );
    texts.push('[ a -gt "" ] >f', '[ a ] >f\n[ x ]', '[ -s x]', '[ -x ]', '[ a == b ]', '[ a = b* ]');
    expectExact(texts);
  });

  it('builds tree-sitter’s tree for a special parameter before a non-ASCII letter', () => {
    // Before `=`, tree-sitter reads `?é` as the name of a variable.
    expectExact(['$?é=', 'a $?é=1', 'a $@é=1', 'a $*é=', 'a $?é', 'a $#é', 'a $?=1']);
  });

  it('builds tree-sitter’s tree for `((`', () => {
    // An arithmetic command, not two subshells.
    expectExact(['(( a ))', '(( a tee A= ))', '(( "x${A}y$B" A=1 curl ))\n\n', '( (a) )', '( ( a ) )']);
  });

  it('builds tree-sitter’s tree and comments for generated entrypoint scripts and healthchecks', () => {
    const texts = generatedScripts(6000 * SCALE, 7);
    const { taken } = expectExact(texts);
    expect(taken).toBeGreaterThan(1500 * SCALE);
    // Comments and `$$` among what it takes.
    const withComments = texts.filter((t) => fastShell(t, shellFields(), []) && /(^|\s)#/.test(t)).length;
    expect(withComments).toBeGreaterThan(800 * SCALE);
    expect(texts.filter((t) => fastShell(t, shellFields()) && t.includes('$${')).length).toBeGreaterThan(50 * SCALE);
  });

  it('builds tree-sitter’s tree and comments for generated entrypoint scripts with loops and functions', () => {
    const texts = generatedScripts(4000 * SCALE, 10, true);
    expect(expectExact(texts).taken).toBeGreaterThan(800 * SCALE);
    const taken = texts.filter((t) => fastShell(t, shellFields()));
    // Measured: 31 and 40 of the 4000 (1250 with a while at 50x): a script with a loop is a long one, so more often has something outside the subset.
    expect(taken.filter((t) => t.includes('while ')).length).toBeGreaterThan(20 * SCALE);
    expect(taken.filter((t) => t.includes('() {')).length).toBeGreaterThan(25 * SCALE);
  });

  it('reads the while loops and functions entrypoint scripts write', () => {
    const texts = [
      'file_env() {\n\tlocal var="$1"\n\tlocal fileVar="${var}_FILE"\n\tif [ -n "$x" ]; then\n\t\texit 1\n\tfi\n\texport "$var"\n}',
      'while [ "$i" -lt 30 ]; do\n\tsleep 1\ndone',
      'while read -r line; do\n\techo "$line"\ndone < /etc/x',
      'while true; do a; done &',
      'until a; do sleep 1; done',
      'function f {\n\ta\n}\nf "$@"',
      'f() { a; }; f',
      'if a; then f() { b; }; fi',
    ];
    expectAllTakenExact(texts);
  });

  it('builds tree-sitter’s tree for the condition of a while loop', () => {
    // The condition's `;` and `&` tokens are at the `condition` field too, as its statements are.
    expectAllTakenExact(['while a; do b; done', 'while a & b &\ndo c; done', 'until a; b\ndo c\ndone', 'while a # c\ndo b; done']);
  });

  it('builds tree-sitter’s tree for a redirect after a function body', () => {
    // The redirect is the function definition's own (its `redirect` field), not a redirected statement.
    expectExact(['f() { a; } > x', 'f() { a; } 2>&1', 'function f { a; } >f\nb', 'f() { a; }\n> x']);
  });

  it('builds tree-sitter’s tree for positional and indirect expansions and `$(< file)`', () => {
    // `${1}`, `${10}`, `${!NAME}` (a `!` token before the name) with the operators the subset reads;
    // `$(< WORD)` is a bare `file_redirect` in the substitution, with no field on it or its word.
    expectAllTakenExact([
      'echo ${1}', 'echo ${10} ${0}', 'local def="${2:-}"', 'echo ${1:-a} ${2:+x} ${3%%.*} ${1#-}', 'echo ${01}',
      'echo ${!var}', 'echo "${!var:-}"', 'echo ${!x:-a}', 'echo ${!1}', 'echo ${!_a} ${!x#a} ${!x%%[a-z]*}', 'echo a${!x}b "a${!x}"',
      'val="$(< "${!fileVar}")"', 'x=$(<f)', 'x=$( < f)', 'x=$(<\tf )', 'echo $(< f)a', 'x=$(< $x/y)', 'x="$(< "$f")" && y',
    ]);
    // `${1a}` (the name runs on), `${!_}` (a special variable), `${!}`, `${!x*}`, `${!#}`; `$(< f g)` (a
    // command), `$(< f\n)`, `$(< f; a)` and `$(< f > g)` (a redirected statement), `$(2< f)`, `$(<< f)`…
    expectExact([
      'echo ${1a}', 'echo ${1_}', 'echo ${!_}', 'echo ${!}', 'echo ${!x*}', 'echo ${!x@}', 'echo ${!#}', 'echo ${!-}', 'echo ${!1a}', 'echo $${1}', 'echo $${!x}',
      'x=$(< f g)', 'x=$(< f\n)', 'x=$(< f; a)', 'x=$(< f > g)', 'x=$(< f | a)', 'x=$(< f && a)', 'x=$(2< f)', 'x=$(0< f)', 'x=$(<< f)', 'x=$(<& f)',
      'x=$(<(a))', 'x=$(\n< f)', 'x=$(< f #c\n)', 'x=$(< f &)', 'x=$(< f 2>&1)', 'x=$(< \\\n f)', 'x=$(<)', 'x=$(< )', 'x=$(<>f)',
    ]);
  });

  it('builds tree-sitter’s tree for `export "$var"="$val"`', () => {
    // A word that starts with a "string" is read in a declaration as in a command's arguments.
    expectAllTakenExact(['export "$var"="$val"', 'export "$a"=x', 'local "$a"="$b" c', 'export "$a""$b"', 'export "$a"=$b', 'export "a"=b=c', 'unset "$a"b']);
    // A word that starts otherwise (`export x"y"`: a name and a string) is left to tree-sitter.
    expectExact(['export x"y"', 'export $a=b', 'export ${a}=b', "export '$a'=b", 'export x"$a"=b', 'export "$a"=#x', 'export "$a"+=b']);
  });

  it('builds tree-sitter’s tree for a `]` after a redirect after a test command ended by `;` or `&`', () => {
    // tree-sitter's one test command around a redirected command cannot take in the `;` or `&` that
    // ends the statement the first test command is in: read.
    expectAllTakenExact([
      'if [ a ]; then echo x >&2; fi\n[ b ]', '[ a -gt "" ]; c > f\n[ x ]', '[ a -gt "" ] && c > f; [ x ]', '[ a -gt "" ] &\nc > f\n[ x ]',
      '[ a -gt "" ] > f &\n[ x ]', 'if [ a -gt "" ]; then b > f; fi\n[ x ]', 'echo $([ a -gt "" ]; b) > f\n[ x ]',
    ]);
    // A `;` inside a compound statement after the test is no end to it (`[ a -gt "" ] && { b; } > f\n[ x ]`
    // is one test command), nor is one that ends another statement.
    expectExact([
      '[ a -gt "" ] && { b; } > f\n[ x ]', '[ a -gt "" ] && ( b; c ) > f\n[ x ]', '[ a -gt "" ] | c > f\n[ x ]', 'if [ a -gt "" ]\nthen b > f\nfi\n[ x ]',
      '{ [ a -gt "" ]\n}\n{ b; } > f\n[ x ]', '[ a -gt "" ] && { b > f; }\n[ x ]', '[ a -gt "" ] && x=$(b; c) > f\n[ x ]', '[ a -gt "" ] && x=$(< f)\n[ x ]',
    ]);
    expect(expectExact(generatedTestRedirects(3000 * SCALE, 12)).taken).toBeGreaterThan(500 * SCALE);
  });

  it('reads docker-library’s file_env', () => {
    expectAllTakenExact([FILE_ENV, `#!/usr/bin/env bash\nset -Eeo pipefail\n\n${FILE_ENV}\n\nfile_env 'POSTGRES_PASSWORD'\n`]);
  });

  it('builds tree-sitter’s tree for generated file_env functions', () => {
    const texts = generatedFileEnv(3000 * SCALE, 11);
    expect(expectExact(texts).taken).toBeGreaterThan(600 * SCALE);
  });

  it('builds tree-sitter’s tree for a redirected pipeline of three commands in a compound statement or before `&&`', () => {
    // `( a | b | c > f )` is `a | (b | c > f)` for tree-sitter (and before `;;` in a case item), not
    // after a `&&`, nor before a newline or `&`.
    expectExact(['( d | a | c > f )', '( b; x=1 | a | c > f )', '( d | a | c > f 2>&1 )', '( d | a | c 2>&1 | e > f )', 'case x in a) d | a | c > f ;; esac', '( d | a | c > f)']);
    // In an if-statement's body before a newline too: such a pipeline is read only as a statement of the program's own.
    expectExact(['if [ a ]\nthen\n[ a -gt "" ] > f | a | c > f\n\nc\n fi', 'if a\nthen\nb > f | a | c > f\n\nc\n fi', '( d | a | c > f\n)', '( d | a | c > f & )', '{ b; x=1 | a | c > f; }']);
    expectAllTakenExact(['( a && d | a | c > f )', 'b; x=1 | a | c > f', '( a | b > f | c > g )', '[ a -gt "" ] > f | a | c > f\nc', 'b > f | a | c > f\nc']);
    // `a | b | c > f | d && e` is `a | (b | (c > f | d && e))`: a pipe after the redirect, then `&&` or `||`.
    // `a | b | c | d > f && e` too: a later `&&` or `||` after a redirected pipeline of three or more.
    expectExact(['b | a | c > f | a && c', 'b | a | c > f | a || c', 'b | a | c | d > f | a && c', 'if a;then\nb\n fi | a | c > f | a && c > f']);
    expectExact(['x=$(< f) | exit 1 | a | c > f && b', 'a | b | c | d > f && e', 'b | a | c > f && c', 'b | a | c > f | a > g && c']);
    expectAllTakenExact(['b | a | c > f | a', 'a && b | a | c > f | a && c']);
  });

  it('puts comments where tree-sitter does', () => {
    // An extra goes into the innermost node with tokens on both sides of it: the `else` clause holds a
    // comment before the newline that ends its statement, the if-statement one after a `;` or newline.
    const texts = [
      'if a; then b; else c # x\nfi',
      'if a; then b; else c; # x\nfi',
      'if a; then b; else c\n# x\nfi',
      'if a; then b; else c\n\n# x\n\nd\nfi',
    ];
    texts.push(
      '#!/bin/sh\nset -e\n# c\na # d\n',
      '\n# c\na',
      '  # c\n  a',
      '#c\n\n',
      '\n\n#c',
      '# only',
      'a;#c',
      'a && # c\n b',
      'a | # c\n b',
      'a&&#c\nb',
    );
    texts.push(
      '(#c\na)',
      'a "$(#c\na)"',
      'x=$( # c\na)',
      '{ # c\na; }',
      'for x in a # c\ndo b; done',
      'for x in a; do # c\nb # d\ndone # e',
      'a #c\\\nb',
      'a #c é😀\nb',
    );
    texts.push(
      'case "$1" in\n  a)\n    # c\n    b\n    ;;\n  *)\n    exec "$@" # d\n    ;;\nesac',
      'A=1 # c',
      'export A=1 # c\nb',
      'a > f # c',
      '[ -n "$x" ] # c',
    );
    expectAllTakenExact(texts);
    // `#` in a word, after `$`, in quotes, in `${#x}` (not in the subset): not comments. After a line continuation, or
    // against a word: left to tree-sitter.
    const words = [
      'echo a#b',
      'echo $#',
      'echo "#" \'#\'',
      'echo x# y',
      'echo ${#x}',
      'a \\\n# c\nb',
      'a \\\n  # c\n  && b',
      'a\\\n#c',
      '"x"#c',
      'A=1 B=2 # c\nb',
      '$$#c',
      // A comment in a substitution that is a command's name.
      '$(#c\na)',
    ];
    expectExact(words);
    for (const text of words.slice(0, 4)) expect(compare(text).taken, JSON.stringify(text)).toBe(true);
  });

  it('builds tree-sitter’s tree for `$$`, `$$NAME` and `$${NAME}`', () => {
    // `$$` is a special variable; what follows is a word, `$${NAME}` being `{`, NAME and `}` as three.
    const texts = [
      'pg_isready -U $${POSTGRES_USER} -d $${POSTGRES_DB}',
      'redis-cli -a "$$REDIS_PASSWORD" ping | grep -q PONG',
      'celery inspect ping --destination "celery@$$HOSTNAME"',
    ];
    texts.push(
      'a $$X=1',
      'a $$é=1',
      '$$é=',
      'a "$$é="',
      'a $${_}',
      'a $${X}y',
      'a $${X}/b',
      'a $${X}"a"',
      'a $${X}$Y',
      'a $$X$Y',
      'a $$$X',
      'a $$1',
      'a $$ b',
      '$$X a',
    );
    expectAllTakenExact(texts);
    // `$$` after a piece, `$${X:-y}`, `$${1}`, `$${}` and a `$` later in the word: left to tree-sitter.
    expectExact([
      'a a$$',
      'a a$${X}',
      'a $${X:-y}',
      'a $${1}',
      'a $${}',
      'a $${X}-$${Y}',
      'a $${X}$Y-z',
      'a $$$$',
      'a $${X}{',
      'a $${{X}}',
    ]);
  });

  it('builds tree-sitter’s tree after a pipeline of three commands and a newline', () => {
    // tree-sitter may read the next lines as more words of the pipeline's last command, up to an `&&`,
    // `||` or a redirect: `a | b | c\nd\ne || f` is `a | (b | c d e || f)`.
    const texts = [
      'a | b | c\nd || e',
      'a | b | c\nd\ne || f',
      'x\na | b | c\nd && e',
      'a && b | c | d\ne || f',
      'a | b | c && x\nd || e',
      'a | b | c # x\nd || e',
    ];
    texts.push(
      'a | b | c\nd > f',
      'a | b | c\nd 2>&1',
      'a | b | c\n\nd > f',
      'a | b | c\nd\ne > f',
      'for x in y; do a | b | c\nd || e; done',
      'a | b | c\n[ d ] && e',
    );
    // Not after `;`, `&`, two commands or a subshell.
    texts.push('a | b | c;\nd || e', 'a | b | c &\nd || e', 'a | b\nd > f 2>&1', '(a | b | c)\nd || e', 'x=$(a | b | c)\nd || e');
    expectExact(texts);
  });

  it('builds tree-sitter’s tree for a declaration ended by a line continuation and a blank line', () => {
    // tree-sitter reads an assignment on a later line as more of the declaration (found by fuzzing).
    const texts = [
      'export A=1 \\\n\nA=1 B=2 c',
      'export A=1 \\\n\nA=1',
      'export A \\\n\nB=1',
      'export A=1 \\\n \nB=1',
      'export A=1 \\\n\n\nB=1 # c',
    ];
    texts.push('export A=1\n\nB=1', 'export A=1 \\\nB=1', 'a \\\n\nA=1 c', 'export A=1; \\\n\nB=1');
    expectExact(texts);
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
  const r = prng(seed);
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
  const r = prng(seed);
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

// biome-ignore format: a table of tokens
const OPERANDS = ['x', 'ab', 'a1', 'A', 'x.y', 'a-b', '/x', '"$x"', '$x', '1', '0', '"${X}"', '/usr/local/bin/x', '"/usr/local/bin/$src"', '"$(a b | c)"', "'a b'", '""', 'a.b-c/d', 'x$y', '${X:-}', '$#', '$?', '$(a)', '"$sha"',
  '-x', '-', '--', '!', '=', '!=', 'a*', '?', 'a=b', '~', '~/x', 'é', '\\x', 'x]', ']', '[', '(', ')', 'a#b', '#', '12#3', '-1', '0x1F', 'do', 'done', 'fi', 'then', 'if', '-a', '-o', '-eq', '"a', '$', '1a', '$1', '${1}', 'x"y"', '"]"', 'in', '"a\nb"', '"$(a; b)"', '$([ a ] && b)', '"$(for a in b; do c; done)"', '"\\$x"', '"a]"', "'['", '"a b" ', '1.5', '0', '007', '-0'];
// biome-ignore format: a table of tokens
const UNARY = ['-n', '-z', '-s', '-e', '-f', '-d', '-x', '-L', '-h', '-a', '-o', '-t', '-foo', '-N', '-q', '-E', '!', '-', '-eq'];
// biome-ignore format: a table of tokens
const BINARY = ['=', '!=', '-eq', '-ne', '-lt', '-le', '-gt', '-ge', '-nt', '-ot', '-ef', '==', '=~', '<', '>', '-a', '-o', '-foo', '-n', '!', '=a', 'x'];
// biome-ignore format: a table of tokens
const TBLANK = [' ', ' ', ' ', ' ', '  ', '\t', ' \\\n\t', '\\\n', '', '\n', ' \\\n '];

type ControlKind = 'body' | 'test' | 'forLoop' | 'ifStmt' | 'whileLoop' | 'funcDef';

/**
 * For-loops, if-statements and test commands as Dockerfiles write them, with variations around what
 * the subset takes: keywords in other positions, terminators, line continuations, stray `]`, other
 * operators, compound statements nested and in lists, pipelines, groups and substitutions. `nasty`
 * is how often a pick may be an unusual one.
 */
function generatedControl(count: number, seed: number, kind: ControlKind): string[] {
  const r = prng(seed);
  let nasty = 0.15;
  // While/until loops and function definitions among the statements (the older kinds keep their bodies).
  const loops = kind === 'whileLoop' || kind === 'funcDef';
  const pick = <T>(xs: T[], common = xs.length): T => xs[Math.floor(r() * (r() < nasty ? xs.length : common))];
  const blank = () => (r() < 1 - nasty ? ' ' : pick(TBLANK));
  const operand = () => pick(OPERANDS, 25);
  const unaryExpr = (d: number): string => {
    const k = r();
    if (k < 0.45) return operand();
    if (k < 0.8) return pick(UNARY, 8) + blank() + operand();
    return (r() > nasty ? '!' : pick(['!!', '!x', '\\!'])) + blank() + (d > 2 ? operand() : unaryExpr(d + 1));
  };
  const expr = (): string => {
    if (r() < nasty / 2) return pick(['', ' ', '( x )', 'a -a b', 'a -o b', 'x = y = z', '! ', 'a b', '-n', '-z x y']);
    const u = unaryExpr(0);
    return r() < 0.5 ? u : u + blank() + pick(BINARY, 11) + blank() + operand();
  };
  const test = (): string => {
    const open = r() > nasty / 3 ? '[' : pick(['[[', '[x', 'test', '[\n']);
    const close = r() > nasty / 2 ? ']' : pick([']]', 'x]', '] x', '];', ']x', '\\]']);
    return open + blank() + expr() + (r() > nasty ? ' ' : pick(TBLANK)) + close;
  };
  // biome-ignore format: a table of tokens
  const SIMPLE = ['a', 'b c', 'echo done', 'echo fi then do', 'A=1', 'dst="$(echo "$src" | tr -d 3)"', 'ln -svT "$src" "/usr/local/bin/$dst"', 'exit 1', 'break', ':', 'true', 'a > f', 'a 2>&1', 'echo "x" >> /etc/apt/apt.conf',
    'a && b', 'a || :', 'a | b', 'gpg --keyserver "${server}" --recv-keys ${X} && break || :', '( a )', '{ a; }', 'export A=1', 'unset A', 'x=$(a)',
    'done', 'fi', 'then', 'else', 'do', 'elif', 'esac', 'in', '! a', 'a;;', 'a &', '#c', 'for', 'if', 'done2', 'fi2', 'donex', 'a\\\n done'];
  // biome-ignore format: a table of tokens
  const TERM = ['; ', ';', '\n', '; \\\n\t', ';\\\n', ' ; ', '\n\n', ' \\\n\t; ', ' & ', '&', ';;', ';&', '', ' ', '\r\n', '\\\n', ' \\\n'];
  // biome-ignore format: a table of tokens
  const GAP = [' ', ' \\\n\t', '\n', '\\\n', '  ', '\t', '', ' \\\n ', '\n\n', ';', '\n \\\n'];
  const term = () => pick(TERM, 8);
  const gap = () => pick(GAP, 6);
  const stmt = (d: number): string => {
    const k = r();
    if (d < 3 && k < 0.15) return forLoop(d + 1);
    if (d < 3 && k < 0.3) return ifStmt(d + 1);
    if (loops && d < 3 && k < 0.38) return whileLoop(d + 1);
    if (loops && d < 3 && k < 0.44) return funcDef(d + 1);
    if (k < (loops ? 0.55 : 0.45)) return test() + (r() < 0.2 ? pick([' && a', ' || exit 1', ' > f', ' | a', ' && [ y ]']) : '');
    return pick(SIMPLE, 24);
  };
  const list = (d: number): string => {
    let s = '';
    const n = 1 + Math.floor(r() * 3);
    for (let i = 0; i < n; i++) s += stmt(d) + term();
    if (r() < 0.03) s = '';
    return s;
  };
  // biome-ignore format: a table of tokens
  const NAMES = ['a', 'src', 'server', 'i', '_', 'x1', 'A_B', '1a', 'a-b', 'é', '$a', 'in', 'do', 'a=b', '"a"', 'a[1]'];
  // biome-ignore format: a table of tokens
  const WORDS = ['x', 'idle3', 'pip3', 'python3-config', '"$y"', '$(shuf -e a b c)', '$(shuf -e \\\n\t\ta \\\n\t\tb)', '${X}', '1', "'a b'", '*', 'a*', 'do', 'done', 'in', '#', '$@', '"$@"', '{a,b}', 'a>f', '>f', ';', '(x)', '$((1))', '`a`', 'x\\ y'];
  const forLoop = (d: number): string => {
    let s = r() > nasty / 4 ? 'for' : pick(['select', 'for((', 'for ((i=0;i<1;i++))']);
    s += pick([' ', '  ', '\t', ' \\\n ', '\n'], 3) + pick(NAMES, 7);
    const k = r();
    if (k > nasty / 2) {
      s += pick([' in ', ' in  ', ' \\\n in ', ' in\t', ' in \\\n\t', '\nin ', ' in\n', ' in\\\n'], 5);
      const n = r() < nasty / 4 ? 0 : 1 + Math.floor(r() * 4);
      for (let i = 0; i < n; i++) s += (i ? pick([' ', ' \\\n\t', '\t', '  ']) : '') + pick(WORDS, 12);
    } else if (k > nasty / 4) s += pick(['', ' ', ' in']);
    s +=
      pick(['; ', ';', ' ; ', '\n', '\n\n', '; \\\n\t', ' \\\n; ', ' ', '&', ';;', ''], 7) +
      pick(['do', 'do;', 'do\n', 'do\\\n', 'done', 'dox', '{'], 1);
    s += gap() + list(d) + pick(['done', ' done', 'done2', 'fi', 'done\\\n', '}'], 1);
    return s;
  };
  const cond = (d: number): string => {
    let s = '';
    const n = r() < 0.85 ? 1 : 2;
    for (let i = 0; i < n; i++) s += (r() < 0.7 ? test() : stmt(d)) + term();
    return s;
  };
  // biome-ignore format: a table of tokens
  const CONDS = ['true', ':', 'read -r line', 'read -r a b', 'sleep 1', '! a', 'a && b', 'a | b', 'IFS= read -r x', 'false', 'do', 'done', 'while', '{ a; }', '( a )', 'a > f'];
  const whileLoop = (d: number): string => {
    let s = r() > nasty / 4 ? pick(['while', 'while', 'until']) : pick(['while!', 'whilex', 'until(', 'select', 'while(']);
    s += pick([' ', '\t', ' \\\n\t', '\n', ''], 3);
    const n = r() < 0.85 ? 1 : 2;
    for (let i = 0; i < n; i++) s += (r() < 0.5 ? test() : r() < 0.6 ? pick(CONDS, 10) : stmt(d)) + term();
    s += pick(['do', 'do;', 'do\n', 'do\\\n', 'done', 'dox', '{', 'then'], 1) + gap() + list(d);
    return s + pick(['done', ' done', 'done2', 'fi', 'done\\\n', '}'], 1);
  };
  // biome-ignore format: a table of tokens
  const FNAMES = ['f', 'file_env', 'docker_setup_env', '_main', 'a1', 'x-y', '1f', 'if', 'done', 'function', 'é', 'f$x', 'a.b', 'in', 'local'];
  const funcDef = (d: number): string => {
    const name = pick(FNAMES, 5);
    let s =
      r() < 0.7
        ? name + pick(['()', '()', ' ()', '( )', '(', '()x', '(a)'], 2)
        : 'function' + pick([' ', '  ', '\t', '\n', ' \\\n ', ''], 3) + name + pick(['', '', '()', ' ()'], 2);
    s += pick([' {', ' {', '\t{', '{', '\n{', ' \\\n{', '  {', ' (', ' {a', ' if'], 3);
    s += pick(['\n', '\n', ' ', '\t', '\n\n', '', ' # c\n'], 4);
    s += r() < 0.3 ? `\tlocal ${pick(['var="$1"', 'a', 'a=1 b', 'def="${2:-}"', 'x=$(a)', 'a b=2', 'val="$def"', 'a=', '-r a=1'], 5)}${term()}` : '';
    return s + list(d) + pick(['}', '}', '}', ' }', '}x', 'done', '};'], 3);
  };
  const ifStmt = (d: number): string => {
    let s = r() > nasty / 4 ? 'if' : pick(['if!', 'elif', 'if(', 'fi']);
    s += pick([' ', '\t', ' \\\n\t', '\n', ''], 4) + cond(d) + pick(['then', 'then;', 'then\n', 'thenx', 'do'], 1) + gap() + list(d);
    const e = Math.floor(r() * r() * 3);
    for (let i = 0; i < e; i++) s += 'elif' + pick([' ', '\n', ' \\\n ']) + cond(d) + 'then' + gap() + list(d);
    if (r() < 0.3) s += pick(['else', 'else;', 'else\n'], 1) + gap() + list(d);
    return s + pick(['fi', ' fi', 'fi2', 'done', 'fi\\\n', 'esac'], 1);
  };
  // biome-ignore format: a table of tokens
  const BEFORE = ['', '', '', '', 'set -eux; \\\n\t', 'a && ', 'a &&\n', 'cd /tmp \\\n\t&& ', 'a | ', 'a; ', '$(', '( ', '{ ', 'x=$(', 'A=1 ', '! ', 'a || ', '\n', ' '];
  // biome-ignore format: a table of tokens
  const AFTER = ['', '', '', '', ';', '\n', ' < f', '<f', ' 2>/dev/null', ' && x', ' \\\n\t&& x', ' || y', ' | x', ' > f', '>f', ' 2>&1', '; y', '\ny', ' &', '&', ';;', ' x', 'x', ')', '}', ' ; }', ' )', '\\\n', ' \\\n', ' done', ' fi', ';\n\\\nx'];
  const body = (): string => {
    const k = r();
    const core = k < 0.4 ? forLoop(0) : k < 0.75 ? ifStmt(0) : test();
    const before = pick(BEFORE, 11);
    let after = pick(AFTER, 14);
    if (before.endsWith('(') && r() < 0.8) after += ')';
    if (before === '{ ' && r() < 0.8) after += '; }';
    if (r() < 0.1) {
      const [b, a] = pick([
        ['case x in a) ', ' ;; esac'],
        ['case "$x" in\n\ta|b) ', '\n\t;;\nesac'],
        ['echo "$(', ')"'],
        ['x=$(', ')'],
        ['for q in r; do ', '; done'],
        ['if [ -n "$x" ]; then ', '\nfi'],
      ]);
      return b + before + core + after + a;
    }
    return before + core + after;
  };
  const make = {
    body,
    test,
    forLoop: () => forLoop(0),
    ifStmt: () => ifStmt(0),
    whileLoop: () => whileLoop(0),
    funcDef: () => funcDef(0),
  }[kind];
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    nasty = r() < 0.5 ? 0.01 : 0.03 + r() * 0.2;
    out.push(make());
  }
  return out;
}

// Entrypoint scripts and compose healthchecks: shebangs, comment lines and trailing comments (and
// `#` that is not one), `$$` and `$${NAME}`, in if/for/case bodies, groups and substitutions.
// biome-ignore format: a table of tokens
const SHEBANGS = ['#!/bin/sh', '#!/bin/bash', '#!/usr/bin/env bash', '#!/bin/sh -e', '#!/bin/bash\r', '#!', ' #!/bin/sh', '#!/bin/sh\n', '\n#!/bin/sh'];
// biome-ignore format: a table of tokens
const COMMENTS = ['# c', '#', '#c', '# MISTAKE: no `set -e`: a "x" $y', '## x ##', '# a \\', '# é😀 日本', '# $(a) `b` ${c}', "# it's", '#\tx', '# a;b && c | d', '# x\r', '#!x', '# fi', '# done', '# esac ;;', '# )', '# }'];
// biome-ignore format: a table of tokens
const SCRIPT_LINES = ['set -e', 'set -eu', 'set -euo pipefail', 'set -x', 'exec "$@"', 'exec uvicorn app.main:app --host 0.0.0.0 --port 8000 "$@"', 'echo "Running database migrations..."', 'alembic upgrade head', 'echo "$#" $? $$ $!', 'shift', 'exit 0', 'ps aux | grep -v grep | wc -l', 'a | b | c',
  'pg_isready -U $${POSTGRES_USER} -d $${POSTGRES_DB}', 'redis-cli -a "$$REDIS_PASSWORD" ping | grep -q PONG', 'celery inspect ping --destination "celery@$$HOSTNAME"', 'curl -f http://localhost:8080/health || exit 1', 'A=1', 'export PATH="/x:$PATH"', 'cd /app && ./run',
  'echo $$X', 'echo $${X}', 'a > f 2>&1', 'wget -qO- http://x/$${P}/h', 'echo a$$', 'echo $${X:-y}', 'echo $${X}y', 'echo $${#X}', 'echo $$#', 'echo $${}', 'echo $${1}', 'echo $$$X', 'echo "$$"', 'echo "a$$"', 'echo "$${X}"', 'echo $${X}-$${Y}', 'echo $${X}$$Y', 'echo $$X=1', 'echo $$1a', 'echo $$-1', 'echo $$é',
  'echo a#b', 'echo ${#x}', 'echo "#"', "echo '#'", 'echo \\#', 'x=#', 'echo #', 'echo $#', 'echo "$#"', 'a$#b', 'echo x#', 'A=1 B=2', 'A=1 B=2 c', 'export A=1', 'unset A', 'local a', '[ -n "$x" ]', '[ "$1" = x ]', 'echo a;b', 'a && b', 'a || b', 'a | b', 'wait', 'trap "x" TERM', 'exec 3<>/dev/tcp/localhost/9000', 'while true; do a; done', 'f() { a; }', 'cat <<EOF\nx\nEOF'];
// biome-ignore format: a table of tokens
const TRAIL = ['', '', '', '', ' # c', '  # trailing', '\t# t', '#c', ';# c', '; # c', ' ;# c', ' &# c', ' & # c', ' \\\n# c', ' \\\n  # c', ' \\\n', '; \\\n # c'];
// biome-ignore format: a table of tokens
const OPS = [' && ', ' || ', ' | ', ' && # c\n', ' |# c\n  ', ' ||\n# c\n', ' && \\\n# c\n', '&&#c\n'];
function generatedScripts(count: number, seed: number, loops = false): string[] {
  const r = prng(seed);
  let nasty = 0.1;
  const pick = <T>(xs: T[], common = xs.length): T => xs[Math.floor(r() * (r() < nasty ? xs.length : common))];
  const comment = () => pick(COMMENTS, 8);
  const indent = () => pick(['', '', '  ', '\t', '    ', ' \\\n'], 4);
  const simple = (): string => {
    let s = pick(SCRIPT_LINES, 30);
    if (r() < 0.15) s += pick(OPS, 3) + pick(SCRIPT_LINES, 30);
    return s;
  };
  const lines = (d: number, ind: string): string => {
    let s = '';
    const n = 1 + Math.floor(r() * 4);
    for (let i = 0; i < n; i++) {
      const k = r();
      if (k < 0.25) s += `${ind}${comment()}\n`;
      else if (k < 0.3) s += pick(['\n', '\n\n', ' \n']);
      else s += `${ind}${stmt(d, ind)}${pick(TRAIL, 8)}${pick(['\n', '\n', '\n', ';\n', '\n\n', ''], 4)}`;
    }
    return s;
  };
  const stmt = (d: number, ind: string): string => {
    const k = r();
    const inner = `${ind}  `;
    if (d < 3 && k < 0.1)
      return `if ${pick(['[ -z "$1" ]', '[ "$(id -u)" = 0 ]', 'a', 'a # c\n'], 3)}${pick(['; then', '\nthen', '; then # c', ';then'], 3)}\n${lines(d + 1, inner)}${r() < 0.3 ? `${ind}else${pick(['', ' # c', '#c'], 2)}\n${lines(d + 1, inner)}` : ''}${ind}fi`;
    if (d < 3 && k < 0.17)
      return `for x in ${pick(['a b', '"$@"', '$(ls)', 'a # c\n', 'a b #c\n'], 3)}${pick(['; do', '\ndo', '; do # c', ';do'], 3)}\n${lines(d + 1, inner)}${ind}done`;
    if (d < 3 && k < 0.22)
      return `case "$1" in${pick(['', ' # c', '\n  # c'], 1)}\n${inner}worker)${pick(['', ' # c', '\n# c'], 1)}\n${lines(d + 1, `${inner}  `)}${inner}  ;;${pick(['', ' # c', '\n# c'], 1)}\n${inner}*)\n${lines(d + 1, `${inner}  `)}${inner}  ;;\n${ind}esac`;
    if (d < 3 && k < 0.26) return `(${pick(['', ' # c', '#c'], 1)}\n${lines(d + 1, inner)}${ind})`;
    if (d < 3 && k < 0.3) return `{${pick([' # c', '#c', ''], 1)}\n${lines(d + 1, inner)}${ind}}`;
    if (d < 3 && k < 0.33) return `x=$(${pick(['', ' # c', '#c'], 1)}\n${lines(d + 1, inner)}${ind})`;
    // docker-library entrypoints: `while`/`until` loops, `file_env() { … }` functions with `local`.
    if (loops && d < 3 && k < 0.4)
      return `${pick(['while', 'until', 'while !'], 2)} ${pick(['true', '[ -n "$1" ]', 'read -r line', 'a # c\n', '[ "$i" -lt 30 ]'], 3)}${pick(['; do', '\ndo', '; do # c', ';do'], 3)}\n${lines(d + 1, inner)}${ind}done${pick(['', ' < f', ' <"$f"', ' | a', ' # c'], 2)}`;
    if (loops && d < 3 && k < 0.47)
      return `${pick(['file_env()', 'f()', 'function f', '_main()', 'f ()', 'function f()'], 3)} {${pick(['', ' # c', '#c'], 1)}\n${r() < 0.6 ? `${inner}local ${pick(['var="$1"', 'fileVar="${var}_FILE"', 'def="${2:-}"', 'a b', 'val="$def"'], 2)}\n` : ''}${lines(d + 1, inner)}${ind}}`;
    return simple();
  };
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    nasty = r() < 0.5 ? 0.02 : 0.05 + r() * 0.3;
    let s = r() < 0.5 ? `${pick(SHEBANGS, 4)}\n` : '';
    s += r() < 0.3 ? `${comment()}\n` : '';
    s += r() < 0.2 ? simple() + pick(TRAIL) : lines(0, indent());
    if (r() < 0.1) s = s.replace(/\n$/, '');
    out.push(s);
  }
  return out;
}

// docker-library's `file_env` and variations around it: positional and indirect expansions, `$(< file)`,
// `printf >&2 …`, `export "$var"="$val"`, and near misses of each.
// biome-ignore format: a table of tokens
const FE_EXPANSIONS = ['"$1"', '"${1}"', '"${2:-}"', '"${!var:-}"', '"${!fileVar:-}"', '"${!var}"', '${10}', '${!x}', '"${var}_FILE"', '"$def"', '${1:-a}', '${!x%%.*}', '${0#-}',
  '${1a}', '${!_}', '${!}', '${!x*}', '${!#}', '${!1}', '${!x:-$y}', '${1:-"a"}', '"${!a[@]}"', '${!x/a/b}', '$${1}', '${ 1}', '${1 }', '${!-}', '${-1}'];
// biome-ignore format: a table of tokens
const FE_READS = ['"$(< "${!fileVar}")"', '$(< f)', '"$(<f)"', '$( < "$f" )', '$(<\t$f)', '"$(< /run/secrets/x)"',
  '$(< f g)', '$(< f\n)', '$(< f; a)', '$(< f > g)', '$(2< f)', '$(<< f)', '$(\n< f)', '$(< f &)', '$(<(a))', '$(< f | a)', '$(cat < f)', '$(<)', '$(< \\\n f)'];
// biome-ignore format: a table of tokens
const FE_LINES = ['printf >&2 \'error: both %s and %s are set (but are exclusive)\\n\' "$var" "$fileVar"', 'echo >&2 "x"', 'printf >&2 "%s" a', 'echo x >&2', 'printf 2>&1 a', 'echo >&2', 'exit 1',
  'export "$var"="$val"', 'export "$var"', 'unset "$fileVar"', 'export "$var"=x', 'export a"$b"', 'export "$a"="$b" c', 'unset -v "$fileVar"', 'echo >&-', 'a >&2 >f b',
  'local "$a"=$b', 'export "$a"=#x', 'export "$a"= b', 'export "$a"=\\\n x', 'export "$a"="$b" >f', 'export "$a"=b | c', 'export "$a"=$b-$c.d', 'unset "$a"b', 'export "$a"\'b\'', 'export "a"=b=c', 'export "$a"=(x)', 'export "$a"+=b', 'export x"$a"=b', 'export $a=b', 'export \'a\'=b'];
function generatedFileEnv(count: number, seed: number): string[] {
  const r = prng(seed);
  let nasty = 0.1;
  const pick = <T>(xs: T[], common = xs.length): T => xs[Math.floor(r() * (r() < nasty ? xs.length : common))];
  const exp = () => pick(FE_EXPANSIONS, 13);
  const read = () => pick(FE_READS, 6);
  const line = () => pick(FE_LINES, 11);
  const test = () => `[ ${exp()} ]${r() < 0.2 ? ` && [ ${exp()} ]` : ''}`;
  const body = (ind: string): string => {
    const k = r();
    if (k < 0.3) return `${ind}local ${pick(['var', 'fileVar', 'def', 'val', 'x'])}=${r() < 0.5 ? exp() : read()}\n`;
    if (k < 0.5) return `${ind}${line()}\n`;
    if (k < 0.6) return `${ind}${pick(['val', 'x', 'A'])}=${r() < 0.5 ? exp() : read()}\n`;
    if (k < 0.7) return `${ind}echo ${exp()} ${read()}\n`;
    return `${ind}if ${test()}; then\n${ind}\t${line()}\n${r() < 0.3 ? `${ind}elif ${test()}; then\n${ind}\tval=${read()}\n` : ''}${r() < 0.2 ? `${ind}else\n${ind}\t${line()}\n` : ''}${ind}fi\n`;
  };
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    nasty = r() < 0.5 ? 0.02 : 0.05 + r() * 0.3;
    let s = '';
    const n = 1 + Math.floor(r() * 5);
    for (let j = 0; j < n; j++) s += body('\t');
    s = r() < 0.6 ? `file_env() {\n${s}}` : s;
    if (r() < 0.3) s += pick(['\nfile_env A', '\n[ a ]', '\n[ "${!x:-}" ] && echo >&2 y', '\nfile_env "$1"', '\n']);
    out.push(s);
  }
  return out;
}

const FILE_ENV = `file_env() {
\tlocal var="$1"
\tlocal fileVar="\${var}_FILE"
\tlocal def="\${2:-}"
\tif [ "\${!var:-}" ] && [ "\${!fileVar:-}" ]; then
\t\tprintf >&2 'error: both %s and %s are set (but are exclusive)\\n' "$var" "$fileVar"
\t\texit 1
\tfi
\tlocal val="$def"
\tif [ "\${!var:-}" ]; then
\t\tval="\${!var}"
\telif [ "\${!fileVar:-}" ]; then
\t\tval="$(< "\${!fileVar}")"
\tfi
\texport "$var"="$val"
\tunset "$fileVar"
}`;

// Test commands, redirects and a later `]`, with `;`, `&` and newlines between, in groups, subshells,
// substitutions and if-statements: where tree-sitter may read one test command around a redirected command.
// biome-ignore format: a table of tokens
const TR_TESTS = ['[ a ]', '[ a -gt "" ]', '[ $# -gt "" ]', '[ -n "$x" ]', '[ "${!x:-}" ]', '[ a = b ]', '[ ! a ]', '[ x ]'];
// biome-ignore format: a table of tokens
const TR_CMDS = ['c', 'echo x >&2', 'c > f', 'c 2>&1', 'printf >&2 a "$b"', 'c < f', 'x=$(< f)', 'a && c > f', 'a | c > f', '{ b; } > f', '( b; c ) > f', '{ b > f; }', 'x=$(b; c) > f', 'exit 1'];
// biome-ignore format: a table of tokens
const TR_TERMS = ['; ', ';', '\n', ' &\n', ' & ', '\n\n', ';\n', ' && ', ' || ', ' | ', ' \\\n\t&& '];
function generatedTestRedirects(count: number, seed: number): string[] {
  const r = prng(seed);
  const pick = <T>(xs: T[]): T => xs[Math.floor(r() * xs.length)];
  const item = (d: number): string => {
    const k = r();
    if (d < 2 && k < 0.15) return `if ${pick(TR_TESTS)}${pick(['; then ', '\nthen\n', ';then\n'])}${seq(d + 1)}${pick([';', '\n'])} fi`;
    if (d < 2 && k < 0.22) return `{ ${seq(d + 1)}; }${r() < 0.4 ? ' > f' : ''}`;
    if (d < 2 && k < 0.28) return `( ${seq(d + 1)} )${r() < 0.4 ? ' 2>&1' : ''}`;
    if (d < 2 && k < 0.32) return `x=$(${seq(d + 1)})`;
    if (k < 0.6) return pick(TR_TESTS) + (r() < 0.3 ? pick([' > f', ' >&2', ' 2>&1', ' < f']) : '');
    return pick(TR_CMDS);
  };
  const seq = (d: number): string => {
    let s = item(d);
    const n = Math.floor(r() * 4);
    for (let i = 0; i < n; i++) s += pick(TR_TERMS) + item(d);
    return s;
  };
  const out: string[] = [];
  for (let i = 0; i < count; i++) out.push(seq(0));
  return out;
}
