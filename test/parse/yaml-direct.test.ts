import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseComposed, parseDirect, parseYaml } from '../../src/parse/yaml.js';

// parseDirect composes most documents from yaml's CST tokens itself and leaves the rest to yaml's
// composer (parseComposed). Both must read every document the same: values, styles, ranges, merge
// keys, aliases, errors. (parseYaml asks the scanner, src/parse/yaml-scan.ts, first: parseDirect is
// called here itself, or the documents the scanner reads would not test it.)
const CASES: Record<string, string> = {
  scalars: 'a: 0x1F\nb: 0o17\nc: .inf\nd: -.5e3\ne: ~\nf: True\ng: 1_000\n"h": |\n  lit\n  x\ni: >-\n  fold\n  y\nj: "q\\"x"\nk: \'s\'\'t\'\n',
  keys: '1: a\ntrue: b\n~: c\n0x10: d\n"1": e\n',
  emptyValues: 'a:\nb: # comment\nc: {x: , y}\nd: [ , ]\n',
  anchors: 'x: &x {a: 1, b: [2, 3]}\ny: *x\nz:\n  <<: *x\n  b: 4\nw:\n  <<: [*x, {c: 5}]\n',
  redefined: 'x: &x 1\ny: &x 2\nz: *x\n',
  nestedAnchor: 'a: &o\n  b: &i 1\n  c: *i\nd: *o\ne: *i\n',
  undefinedAlias: 'a: *nope\n',
  recursiveAlias: 'a: &a [*a]\n',
  duplicateKey: 'a: 1\nb: 2\na: 3\n',
  duplicateTypedKey: '1: a\n"1": b\n',
  badIndent: 'a:\n  b: 1\n c: 2\n',
  tags: 'a: !reset null\nb: !!str 1\nc: !override [1]\n',
  explicitKey: '? a\n: b\n',
  tabIndent: 'a: 1\n\tb: 2\n',
  unclosedFlow: 'a: [1, 2\n',
  multiDoc: '---\na: 1\n---\nb: 2\n',
  flowPair: 'a: [b: 1]\n',
  docStart: '--- # c\na: 1\n',
  empty: '',
  onlyComment: '# nothing\n',
  scalarRoot: 'just text\n',
  seqRoot: '- a\n- b: 1\n  c: 2\n-\n',
  crlf: 'a: 1\r\nb:\r\n  - x\r\n  - "y"\r\n',
  comments: 'a: 1 # one\n# between\nb: 2\n  # indented\n',
};

describe('parseYaml direct composition', () => {
  for (const [name, text] of Object.entries(CASES)) {
    it(`reads ${name} as the composer does`, () => {
      const composed = parseComposed('f.yml', text);
      expect(parseYaml('f.yml', text)).toStrictEqual(composed);
      expect(parseDirect('f.yml', text) ?? composed).toStrictEqual(composed);
    });
  }
  it('reads every example compose file as the composer does', () => {
    const dir = join(import.meta.dirname, '../../examples');
    const files: string[] = [];
    const walk = (d: string) => {
      for (const e of readdirSync(d, { withFileTypes: true })) {
        if (e.isDirectory()) walk(join(d, e.name));
        else if (/\.ya?ml$/.test(e.name)) files.push(join(d, e.name));
      }
    };
    walk(dir);
    expect(files.length).toBeGreaterThan(0);
    for (const f of files) {
      const text = readFileSync(f, 'utf8');
      const composed = parseComposed(f, text);
      expect(parseYaml(f, text), f).toStrictEqual(composed);
      expect(parseDirect(f, text) ?? composed, f).toStrictEqual(composed);
    }
  });
});

describe('YAML comments', () => {
  // A `#` in a block scalar or a quoted scalar is text: were it read as a comment, a command's text
  // (`echo hi # seaworthy-ignore compose/no-privileged`) could suppress a finding.
  const TEXT = [
    'services: # top',
    '  app:',
    '    command: |',
    '      echo hi # seaworthy-ignore compose/no-privileged',
    '      # not a comment either',
    '    entrypoint: "sh -c \'x # y\'"',
    '    labels: [a, b] # flow',
    '    healthcheck: >- # header',
    '      test # folded',
    '# last',
    '',
  ].join('\n');
  const expected = [
    { text: 'top', range: { line: 1, column: 11, endLine: 1, endColumn: 16 } },
    { text: 'flow', range: { line: 7, column: 20, endLine: 7, endColumn: 26 } },
    { text: 'header', range: { line: 8, column: 21, endLine: 8, endColumn: 29 } },
    { text: 'last', range: { line: 10, column: 1, endLine: 10, endColumn: 7 } },
  ];

  it('are the comments yaml finds, on every path', () => {
    expect(parseYaml('c.yml', TEXT).comments).toEqual(expected);
    expect(parseDirect('c.yml', TEXT)?.comments).toEqual(expected);
    expect(parseComposed('c.yml', TEXT).comments).toEqual(expected);
    expect(parseYaml('c.yml', TEXT.replace(/\n/g, '\r\n')).comments.map((c) => c.text)).toEqual(expected.map((c) => c.text));
  });
});

describe('YAML nested too deeply', () => {
  // The comment walk must not recurse with the nesting: yaml's parser reads 200,000 nested flow
  // collections without recursing, and a '#' anywhere in such a file made parseYaml throw (the check
  // stopped with 'Maximum call stack size exceeded') instead of reporting an error on the file.
  it('is an error on the file, and its comments are still found', () => {
    const n = 200_000;
    const text = `a: 1 # one\nb: ${'['.repeat(n)}${']'.repeat(n)} # two\n`;
    const out = parseYaml('deep.yml', text);
    expect(out.root).toBeNull();
    expect(out.errors.length).toBeGreaterThan(0);
    expect(out.comments.map((c) => c.text)).toEqual(['one', 'two']);
  });
});
