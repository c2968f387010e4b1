import { describe, expect, it } from 'vitest';
import { type PNode, type PScalar, parseComposed, parseDirect, parseYaml, posInScalar, type YamlFile } from '../../src/parse/yaml.js';
import { scanYaml } from '../../src/parse/yaml-scan.js';

// posInScalar places every character of a value where it is written: each case holds marker words
// (`W1`, `W2`, ...) written once in the file and once in a value; the position posInScalar gives the
// word's first character (and the index just after it) must be where the word is in the file, in
// every scalar style, with and without CRLF line ends, from every reader.
const CASES: Record<string, string> = {
  plain: 'a: x W1 y\n',
  plainLines: 'a: one W1\n  two W2\n\n  three W3\n',
  double: 'a: "x \\"W1\\" \\t W2"\n',
  doubleLines: 'a: "one W1   \n    two W2\n\n    three \\\n      W3 \\u00e9 W4"\n',
  single: "a: 'it''s W1'\n",
  singleLines: "a: 'one W1\n  it''s W2\n\n  W3'\n",
  literal: 'a:\n  - |\n    W1 x\n      W2\n\n    W3\n',
  literalStrip: 'b: |- # comment\n    W1\n    W2\n',
  literalKeep: 'b: |+\n  W1\n\n',
  literalExplicit: 'b:\n  c: |2-\n       W1\n      W2\n',
  literalLeadingEmpty: 'b: |\n\n\n  W1\n',
  folded: 'b: >\n  W1 x\n  W2\n\n  W3\n    W4 more\n  W5\n',
  foldedExplicit: 'b: >1\n   W1\n  W2\n',
  flowSeq: 'c: [sh, -c, "echo W1\n  && W2"]\n',
  anchored: 'a: &x |\n  W1\n  W2\nb: *x\n',
};

function scalars(n: PNode | null, out: PScalar[] = []): PScalar[] {
  if (!n) return out;
  if (n.kind === 'scalar') out.push(n);
  else if (n.kind === 'map') for (const e of n.entries) scalars(e.value, out);
  else for (const i of n.items) scalars(i, out);
  return out;
}

/** 1-based line and column of an offset of `text`. */
function lineCol(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  return { line: before.split('\n').length, column: offset - (before.lastIndexOf('\n') + 1) + 1 };
}

function check(text: string, y: YamlFile | null): number {
  expect(y).not.toBeNull();
  expect(y?.errors).toEqual([]);
  let n = 0;
  for (const s of scalars(y?.root ?? null)) {
    const value = String(s.value);
    for (const m of value.matchAll(/W\d/g)) {
      const at = text.indexOf(m[0]);
      expect(posInScalar(s, m.index), `${m[0]} in ${JSON.stringify(value)}`).toEqual(lineCol(text, at));
      expect(posInScalar(s, m.index + 2), `end of ${m[0]}`).toEqual(lineCol(text, at + 2));
      n++;
    }
  }
  return n;
}

describe('posInScalar', () => {
  for (const [name, lf] of Object.entries(CASES)) {
    for (const [ends, text] of [
      ['LF', lf],
      ['CRLF', lf.replace(/\n/g, '\r\n')],
    ] as const) {
      it(`locates the words of ${name} (${ends})`, () => {
        const words = (lf.match(/W\d/g) ?? []).length;
        const composed = check(text, parseComposed('f.yml', text));
        expect(composed).toBeGreaterThanOrEqual(words);
        expect(check(text, parseDirect('f.yml', text))).toBe(composed);
        const scanned = scanYaml('f.yml', text);
        if (scanned) expect(check(text, scanned)).toBe(composed);
        expect(check(text, parseYaml('f.yml', text))).toBe(composed);
      });
    }
  }

  it('places the end of a value just after its last character', () => {
    const text = 'a: |-\n    x\n    last\nb: "q\n  end"\n';
    const [a, b] = scalars(parseYaml('f.yml', text).root);
    expect(posInScalar(a, String(a.value).length)).toEqual({ line: 3, column: 9 });
    expect(posInScalar(b, String(b.value).length)).toEqual({ line: 5, column: 6 });
  });

  it('places a block scalar whose value was replaced at its first content line', () => {
    const [a] = scalars(parseYaml('f.yml', 'a: |\n    x\n').root);
    expect(posInScalar({ ...a, value: 'other' }, 2)).toEqual({ line: 2, column: 1 });
  });
});
