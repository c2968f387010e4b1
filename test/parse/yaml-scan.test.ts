/**
 * The YAML scanner (src/parse/yaml-scan.ts) must give exactly the YamlFile of yaml's composer
 * (parseComposed) for every document it reads — values, styles, ranges, key ranges, comments — and
 * leave the rest to yaml: on the cases below (each a quirk of yaml's parser it mirrors), on every YAML
 * file of examples/ and test/fixtures/, on every compose file of the shared corpus (of which it must
 * read most), and on generated documents.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { describe, expect, it } from 'vitest';
import { type PMap, parseComposed, parseYaml, type YamlFile } from '../../src/parse/yaml.js';
import { scanYaml } from '../../src/parse/yaml-scan.js';
import { genYaml } from './yaml-gen.js';

const REPO = resolve(import.meta.dirname, '../..');
const CORPUS = resolve(REPO, process.env.SEAWORTHY_CORPUS ?? '../shared/corpus');
const COMPOSE = /^(?:docker-)?compose(?:\..+)?\.ya?ml$/i;

function walk(dir: string, keep: (name: string) => boolean, out: string[] = []): string[] {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (e.isDirectory()) walk(join(dir, e.name), keep, out);
    else if (e.isFile() && keep(e.name)) out.push(join(dir, e.name));
  }
  return out;
}

/** A document of `depth` + 1 flow sequences of ten, each of the aliases of the one before. */
function aliasBomb(depth: number): string {
  let text = `a0: &a0 [${Array(10).fill('x').join(', ')}]\n`;
  for (let i = 1; i <= depth; i++)
    text += `a${i}: &a${i} [${Array(10)
      .fill(`*a${i - 1}`)
      .join(', ')}]\n`;
  return text;
}

/** Anchors `depth` aliases deep: `a1` aliases `a0`, `a2` aliases `a1`, … */
function aliasChain(depth: number): string {
  let text = 'a0: &a0 1\n';
  for (let i = 1; i <= depth; i++) text += `a${i}: &a${i} [*a${i - 1}]\n`;
  return text;
}

/** Read by the scanner (and then exactly as the composer reads it), or left to yaml. */
function scanned(text: string): boolean {
  const s = scanYaml('f.yml', text);
  if (s !== null) expect(s, JSON.stringify(text)).toStrictEqual(parseComposed('f.yml', text));
  return s !== null;
}

// Documents the scanner reads, each for a way yaml's parser counts lines into a node's end (and so
// into the range of the collection it ends), or resolves a value.
const READ: Record<string, string> = {
  // A comment line indented deeper than the mapping after a scalar value joins the value's end:
  // the nested mapping's range ends on the comment.
  indentedCommentAfterScalar: 'a:\n  b: 1\n    # joins 1\nc: 2\n',
  indentedCommentAfterBlank: 'a:\n  b: 1\n\n      # joins 1 across a blank line\n',
  indentedCommentAfterFlow: 'a:\n  b: [1, 2]\n    # joins the flow sequence\nc: 2\n',
  // ... but not once a comment at the mapping's indent came between.
  commentThenIndented: 'a:\n  b: 1\n  # stays with the mapping\n      # after it: not joined to 1\nc: 2\n',
  // A comment line at the collection's indent after its last item stays in it (its parent's
  // range ends there); one less indented moves out to the parent.
  commentAtIndent: 'a:\n  b:\n    c: 1\n    # in {c}\nd: 2\n',
  commentLessIndented: 'a:\n  b:\n    c: 1\n  # moves to {b}\n',
  commentAtColumn0: 'a:\n  b:\n    c: 1\n# moves to the document\n',
  // Comment lines after a key left empty are its value's, whatever their indent.
  emptyValueThenComments: 'a:\n  b:\n# column 0, still b\n      # deeper\nc: 1\n',
  emptyValueWithComment: 'a:\n  b: # c\n',
  emptyValueLast: 'a:\n  b:\n',
  // A compact mapping's indent is its key's column.
  compactMap: '- a: 1\n  # at the key column: stays\n    # deeper: still not joined\n- b: 2\n    # joins 2\n',
  compactMapEmpty: 'x:\n- a:\n  b:\n  # c\n- c:\n',
  seqAtKeyColumn: 'a:\n- x\n- y\n  # joins y\nb: 1\n',
  blockScalars: 'a: |\n  one\n\n  two\n\n\nb: >-\n  folded\n  text\n\n   more\nc: |+\n  keep\n\n\nd: |\n    deep\n  # after\ne: >\n\n  x\n',
  blockScalarInSeq: '- |\n  text # not a comment\n- >-\n   x\n  # comment\n- | # header\n  y\n',
  blockScalarAtEnd: 'a: |-\n  last',
  blockScalarEmpty: 'a: |\nb: >\n',
  values: 'a: 0x1F\nb: 0o17\nc: .inf\nd: -.5e3\ne: ~\nf: True\ng: 1_000\nh: 012\ni: +1\nj: .NaN\nk: 1e3\nl: null\nm: tRue\n',
  keys: '1: a\ntrue: b\n~: c\n0x10: d\n"1": e\n\'s\': f\nkey with spaces : g\nhttp://x: h\n',
  quoted:
    "a: \"x\\\"y \\\\ \\/ \\t \\x41\\u00e9\\U0001F600 \\0\\a\\b\\e\\f\\r\\v\\N\\_\\L\\P\\ \"\nb: 'it''s'\nc: \"# not a comment\"\nd: ''\n",
  flowSeqs: 'test: ["CMD", "curl", "-f", "http://localhost:8080"]\nports: [8080, \'443\']\nx: []\ny: [ ]\nz: [a b, c,]\nw: { }\n',
  docStart: '# before\n--- # marker\n# after\na: 1\n',
  onlyComments: '# one\n  # two\n',
  empty: '',
  unicode: 'é: "日本"\nk\u00a0: v\u00a0\nx: a\u2028b\n',
  trailingSpaces: 'a: 1   \nb:   \n  c: x  # c  \n',
  noFinalNewline: 'a:\n  - x\n  - y',
  // Anchors and aliases: an alias is a copy of the last node anchored with its name before it,
  // ranges and all.
  anchorScalar: 'a: &x 1\nb: *x\n',
  anchorRedefined: 'a: &x 1\nb: *x\nc: &x "two"\nd: *x\n',
  anchorNestedMap: 'x: &base # c\n  # d\n  p: 1\n  q: [a, b]\ny: *base\n',
  anchorSeqAtKeyColumn: 'a: &l\n- 1\n- 2\nb: *l\n',
  anchorInsideAnchor: 'a: &x\n  b: &x 1\n  c: *x\nd: *x\n',
  anchorBlockScalar: 'a: &t |\n  text\nb: *t\n',
  anchorEmptyFlows: 'a: &m {}\nb: &s []\nc: [*m, *s]\n',
  aliasInSeq: 'a: &x {}\nb:\n  - *x\n  - &y "q"\n  - *y # c\n  - &z [1]\n',
  anchorsInFlowSeq: 'a: [&x 1, *x, &y "s" , *y,*x]\nb: *x\n',
  // An alias is a scalar token to yaml's parser: indented comment lines after it join its end.
  aliasThenIndentedComment: 'x: &x 1\na:\n  b: *x\n    # joins the alias\nc: 2\n',
  aliasOfAlias: 'a: &a [1]\nb: &b [*a, *a]\nc: *b\n',
  // Merge keys: the merged entries go after the map's own, the first source's first; the map's own win.
  mergeOverride: 'base: &b\n  p: 1\n  q: 2\nsvc:\n  q: 3\n  <<: *b\n  r: 4\n',
  mergeList: 'a: &a\n  x: 1\n  y: 1\nb: &b\n  y: 2\n  z: 2\nc:\n  w: 0\n  <<: [*a, *b] # c\n',
  mergeNested: 'a: &a\n  x: 1\nb: &b\n  <<: *a\n  y: 2\nc:\n  <<: *b\n  x: 0\n',
  mergeInCompactMap: 'x: &m\n  a: 1\nl:\n- <<: *m\n  b: 2\n- b: 3\n  <<: [*m]\n',
  // An alias of a sequence merges each of its maps.
  mergeSeqOfMaps: 'l: &l\n- a: 1\n- a: 2\n  b: 2\nm:\n  <<: *l\n',
  mergeEmptyList: 'a:\n  <<: []\n  b: 1\n',
  // Keys that are equal as text but not as values: both stay, and a merged one stays out.
  mergeKeyText: 'a: &a\n  "1": s\n  2: n\nb:\n  1: n\n  <<: *a\n',
  // Only a plain `<<` merges.
  quotedMergeKey: 'x: &x\n  a: 1\n"<<": *x\n',
  // Flow sequences over several lines: a break after `[`, after a comma or after an item before the
  // `]`; comment lines (at any indent) and blank lines between; a trailing comma. The sequence ends
  // at its `]`, and indented comment lines after that line join its end as after a one-line one.
  multiLineFlow: 'a: [\n  b,\n]\n',
  flowOverLines:
    'h:\n  test: [\n      "CMD-SHELL",\n      # a comment\n # shallower\n\n      "x || exit 1", y,\n    ]\n      # joins\n  b: 1\n',
  // The `]` may be at the column of the key it is the value of (yaml warns, the composer reads it).
  flowEndAtKeyColumn: 'h:\n  test: [\n    "a",\n  ]\nb: 1\n',
  flowQuotedBeforeEnd: 'a: ["x",\n  "y"\n  ]\n',
  // A plain item ending its line ends there when a `]` follows (else it would go on).
  flowPlainBeforeEnd: 'a: [x\n  ]\nb: [x,\n  y  \n  # c\n\n  ]\n',
  flowAliasesOverLines: 'a: &a [1,\n  2]\nb: [*a,\n  *a\n  ]\nc: *a\n',
  flowInSeqOverLines: '- [\n  x,\n]\n- t: [\n   y]\n- [ &q a,\n # c\n   *q ] # d\n',
  // A flow sequence or a quoted scalar alone on the line after its key.
  flowOnNextLine: 'c:\n  command:\n    ["postgres", x]\n    # joins\n  e: 1\n',
  flowOnNextLineOverLines: 'c:\n  command:\n     [\n      a,\n    ]\n',
  anchoredFlowOnNextLine: 'a: &x\n  [1,\n   2]\nb: *x\n',
  quotedOnNextLine: 'a:\n  "x"\nb:\n    \'y\' # c\n',
  mergeOnNextLines: 'a: &a\n  k: 1\nb:\n  <<: [\n    *a,\n  ]\n',
  // A tab is read inside a comment.
  tabInComment: 'a: 1 #\ttab\n#\tb\t\nc: [\n  #\tx\n  d]\n',
  // A double-quoted value over lines, its lines after the first deeper than the collection (or
  // blank): folded (a line break is a space, a blank line a newline), a `\` at a line's end joins
  // the lines; unescaped and folded by yaml itself.
  multiLineQuoted: 'a: "b\n  c"\n',
  dqOverLines:
    'e:\n  U: "${U:-\\\n    mongodb://h:1/\\\n    ${D:-r}?x=${S:-rs0}}"\n  V: "a  \n   b\n\n   \\t c  \n    # d" # c\n      # joins\n  W: 1\n',
  dqOverLinesInSeq: '- "a\n b"\n- "c\n\n  \n  d"\n- x\n',
  dqOnNextLine: 'a:\n  "x\n   y"\nb: 1\n',
  aliasDepth16: aliasChain(16),
  aliasesBelowBudget: aliasBomb(3),
};

// Documents the scanner leaves to yaml (and that yaml reads as before).
const LEFT: Record<string, string> = {
  duplicateKey: 'a: 1\nb: 2\na: 3\n',
  mergeKey: 'x: &x {a: 1}\ny:\n  <<: *x\n',
  tag: 'a: !reset null\n',
  explicitKey: '? a\n: b\n',
  tab: 'a:\n\tb: 1\n',
  crlf: 'a: 1\r\nb: 2\r\n',
  multiDoc: 'a: 1\n---\nb: 2\n',
  docEnd: 'a: 1\n...\n',
  // `---` alone: the root is an empty scalar after the marker, not null as for an empty text.
  docStartOnly: '---\n',
  docStartOnlyComment: '--- # c\n# d\n',
  multiLinePlain: 'a: b\n  c\n',
  // Double-quoted scalars over lines that yaml reads with an error, or not as a value.
  dqUnderIndented: 'a:\n  b: "x\n  y"\n',
  dqAsKey: '"a\n b": 1\n',
  dqBadEscape: 'a: "x\n \\q"\n',
  dqThenText: 'a: "x\n  y" z\n',
  dqInFlow: 'a: ["x\n  y"]\n',
  dqUnclosed: 'a: "x\n  y\n',
  // Flow sequences over lines that yaml's lexer ends early (the items must be deeper than the
  // collection, the `]` at least as deep), or that the scanner does not read.
  flowItemAtKeyColumn: 'a:\n  b: [\n  x]\n',
  flowEndShallow: 'a:\n  b: [\n    x\n ]\n',
  flowItemAtRootColumn: 'a: [\nx]\n',
  flowCommentAfterItem: 'a: [x, # c\n  y]\n',
  flowCommentAfterOpen: 'a: [ # c\n  y]\n',
  flowUnclosed: 'a: [x,\n',
  flowPlainOverLines: 'a: [x\n  y]\n',
  // A plain scalar alone on the next line may go on over the lines after it; a comment before a
  // scalar on the next line makes an implicit key span lines (an error).
  plainOnNextLine: 'a:\n  b\n',
  commentThenQuotedOnNextLine: 'a: # c\n  "x"\n',
  commentLineThenFlowOnNextLine: 'a:\n  # c\n  [x]\n',
  flowOnNextLineAtKeyColumn: 'a:\n[x]\n',
  // Tabs outside comments.
  tabBeforeComment: 'a: 1\t# c\n',
  tabInBlockScalar: 'a: |\n  x # \ty\n',
  tabIndentedComment: 'a: 1\n\t# c\n',
  tabAfterCommentLine: '# c\na: x\ty\n',
  flowMap: 'a: {b: 1}\n',
  nestedFlow: 'a: [[1]]\n',
  emptyItem: '- \n- x\n',
  nestedSeqItem: '- - x\n',
  indentedRoot: '  a: 1\n',
  scalarRoot: 'text\n',
  badIndent: 'a:\n  b: 1\n c: 2\n',
  commentWithoutSpace: 'a: "x"#c\n',
  indentIndicator: 'a: |2\n   x\n',
  blockInValue: 'a: b: c\n',
  // An alias with no anchor before it is a null to the composer path.
  aliasUndefined: 'a: *x\n',
  aliasBeforeAnchor: 'a: *x\nb: &x 1\n',
  // An alias inside its own anchor: endless (the composer path reports an alias bomb).
  aliasRecursive: 'a: &x\n  b: *x\n',
  aliasRecursiveFlow: 'a: &x [1, *x]\n',
  anchorOnKey: '&k a: 1\n',
  anchorOnCompactKey: '- &a k: v\n- *a\n',
  aliasAsKey: 'x: &x a\ny:\n  *x : 1\n',
  anchorOnEmptyValue: 'a: &x\nb: *x\n',
  anchorOnEmptyItem: '- &x\n- *x\n',
  anchorOnAlias: 'a: &x 1\nb: &y *x\n',
  twoAnchors: 'a: &x &y 1\n',
  anchorColon: 'a: &x: 1\nb: *x:\n',
  anchorName: 'a: &x/y 1\nb: *x/y\n',
  anchorNoSpace: 'a: [&x]\n',
  aliasThenText: 'a: &x 1\nb: *x y\n',
  mergeScalar: 'a: &x 1\nb:\n  <<: *x\n',
  mergeListWithScalar: 'a: &x\n  k: 1\nb:\n  <<: [*x, 1]\n',
  mergeBlock: 'b:\n  <<:\n    a: 1\n',
  mergeFlowMap: 'b:\n  <<: {a: 1}\n',
  mergeTwice: 'a: &a\n  k: 1\nb:\n  <<: *a\n  <<: *a\n',
  aliasTooDeep: aliasChain(17),
  aliasBomb: aliasBomb(4),
  // 10^10 nodes: the scanner stops copying at the budget, as the composer path stops converting.
  aliasBombDeep: aliasBomb(9),
  // Within the composer path's budget (100,000 nodes), but past half of it, where parseDirect stops too.
  aliasesNearBudget: `${aliasBomb(3)}b: [*a3, *a3, *a3, *a3]\n`,
  // The composer path counts every value against the alias budget, aliases or not.
  manyValues: `a:\n${'- 1\n'.repeat(100_000)}`,
  manyValuesNearBudget: `a:\n${'- 1\n'.repeat(50_000)}`,
};

describe('YAML scanner', () => {
  for (const [name, text] of Object.entries(READ)) {
    it(`reads ${name} as the composer does`, () => {
      expect(scanned(text)).toBe(true);
      expect(parseYaml('f.yml', text)).toStrictEqual(parseComposed('f.yml', text));
    });
  }
  for (const [name, text] of Object.entries(LEFT)) {
    it(`leaves ${name} to yaml`, () => {
      expect(scanned(text)).toBe(false);
      expect(parseYaml('f.yml', text)).toStrictEqual(parseComposed('f.yml', text));
    });
  }

  it('gives each alias a copy of its target, as the composer path converts it again', () => {
    const text = 'a: &a\n  b: [1]\nc: *a\nd:\n  <<: *a\n';
    const s = scanYaml('f.yml', text);
    expect(s).toStrictEqual(parseComposed('f.yml', text));
    const [a, c, d] = ((s as YamlFile).root as PMap).entries.map((e) => e.value as PMap);
    expect(c).not.toBe(a);
    expect(c.entries[0]).not.toBe(a.entries[0]);
    expect(c.entries[0].value).not.toBe(a.entries[0].value);
    expect(c.prov.range).not.toBe(a.prov.range);
    expect(d.entries[0]).not.toBe(a.entries[0]);
    expect(d.entries[0].value).not.toBe(c.entries[0].value);
  });

  it('reads every YAML file of examples/ and test/fixtures/ as the composer does', () => {
    const files = [
      ...walk(join(REPO, 'examples'), (n) => /\.ya?ml$/.test(n)),
      ...walk(join(REPO, 'test/fixtures'), (n) => /\.ya?ml$/.test(n)),
    ];
    expect(files.length).toBeGreaterThan(0);
    for (const f of files) {
      const text = readFileSync(f, 'utf8');
      const s = scanYaml(f, text);
      if (s !== null) expect(s, f).toStrictEqual(parseComposed(f, text));
    }
  });

  it.skipIf(!existsSync(CORPUS))(`reads the shared corpus's compose files as the composer does, most of them itself (${CORPUS})`, () => {
    const files = walk(CORPUS, (n) => COMPOSE.test(n));
    expect(files.length).toBeGreaterThan(100);
    let taken = 0;
    for (const f of files) {
      const text = readFileSync(f, 'utf8');
      const s = scanYaml(f, text);
      if (s === null) continue;
      taken++;
      expect(s, f).toStrictEqual(parseComposed(f, text));
    }
    // All 207 since flow sequences and double-quoted scalars over lines, a flow sequence on the line
    // after its key and tabs in comments are read.
    expect(taken).toBe(files.length);
  });
  if (!existsSync(CORPUS)) it.skip(`the shared corpus is not at ${CORPUS} (set SEAWORTHY_CORPUS)`, () => {});

  it('reads generated documents as the composer does, or leaves them to yaml', () => {
    const n = 4000;
    let taken = 0;
    let aliases = 0;
    let merges = 0;
    let flowLines = 0;
    let nextLine = 0;
    let tabs = 0;
    let dqLines = 0;
    const bad: number[] = [];
    for (let seed = 0; seed < n; seed++) {
      const text = genYaml(seed);
      const s = scanYaml('g.yml', text);
      if (s === null) continue;
      taken++;
      if (text.includes('*')) aliases++;
      if (text.includes('<<:')) merges++;
      if (/[[,] *\n/.test(text)) flowLines++;
      if (/:\n +\[/.test(text)) nextLine++;
      if (text.includes('\t')) tabs++;
      if (/^[^"\n#]*: "[^"\n]*$/m.test(text)) dqLines++;
      if (!isDeepStrictEqual(s, parseComposed('g.yml', text))) bad.push(seed);
    }
    expect(bad.slice(0, 5).map((seed) => genYaml(seed))).toEqual([]);
    // The generator must keep exercising the scanner, not only its bail-outs.
    expect(taken).toBeGreaterThan(n / 3);
    expect(aliases).toBeGreaterThan(n / 25);
    expect(merges).toBeGreaterThan(n / 100);
    expect(flowLines).toBeGreaterThan(n / 40);
    expect(nextLine).toBeGreaterThan(n / 100);
    expect(tabs).toBeGreaterThan(n / 40);
    expect(dqLines).toBeGreaterThan(n / 100);
  });
});
