/** Helpers for the compose-core tests: PNode → plain JS, parsing + merging as the loader does, in-memory sources. */
import { expect } from 'vitest';
import type { ComposeSource } from '../../src/compose/load.js';
import { mergeDocuments, normaliseDocument } from '../../src/compose/merge.js';
import { type PMap, type PNode, parseYaml } from '../../src/parse/yaml.js';

export type Plain = null | string | number | boolean | Plain[] | { [k: string]: Plain };

/** A PNode as plain JS: maps → objects (entry order kept), sequences → arrays, scalars → values. Tags are dropped. */
export function toPlain(n: PNode | undefined | null): Plain | undefined {
  if (!n) return undefined;
  if (n.kind === 'scalar') return n.value;
  if (n.kind === 'seq') return n.items.map((i) => toPlain(i) as Plain);
  const o: { [k: string]: Plain } = {};
  for (const e of n.entries) o[e.key] = toPlain(e.value) as Plain;
  return o;
}

/** Parse one compose document (fails the test on YAML errors) and normalise it, as loadCompose does. */
export function doc(file: string, text: string): PMap {
  const y = parseYaml(file, text);
  expect(y.errors, `${file}: ${JSON.stringify(y.errors)}`).toEqual([]);
  if (!y.root) return { kind: 'map', entries: [], prov: { file, range: { line: 1, column: 1, endLine: 1, endColumn: 1 } } };
  if (y.root.kind !== 'map') throw new Error(`${file}: not a mapping`);
  return normaliseDocument(y.root);
}

/** Merge overlays onto a base in order, each parsed and normalised first (what `-f a -f b` does). */
export function mergeYaml(base: string, ...overlays: string[]): PMap {
  let out = doc('base.yml', base);
  overlays.forEach((o, i) => {
    out = mergeDocuments(out, doc(i === 0 ? 'overlay.yml' : `overlay${i + 1}.yml`, o));
  });
  return out;
}

/** A plain-JS value parsed from YAML (for expected results). */
export function plainYaml(text: string): Plain | undefined {
  const y = parseYaml('expected.yml', text);
  expect(y.errors).toEqual([]);
  return toPlain(y.root);
}

/** An in-memory ComposeSource that records every read; paths outside the tree are refused. */
export function memSource(files: Record<string, string>): ComposeSource & { reads: string[] } {
  const reads: string[] = [];
  return {
    reads,
    read(rel: string) {
      reads.push(rel);
      if (rel.startsWith('..') || rel.startsWith('/')) return { error: 'outside the scanned root' };
      const text = files[rel];
      return text === undefined ? { error: 'no such file' } : { text };
    },
  };
}

/** Dedent a template literal (strip the common leading indentation and a leading newline). */
export function y(strings: TemplateStringsArray, ...values: unknown[]): string {
  let s = strings.reduce((acc, str, i) => acc + str + (i < values.length ? String(values[i]) : ''), '');
  s = s.replace(/^\n/, '');
  const lines = s.split('\n');
  const indent = Math.min(...lines.filter((l) => l.trim()).map((l) => l.length - l.trimStart().length));
  return lines
    .map((l) => l.slice(indent))
    .join('\n')
    .replace(/[ \t]+$/, '');
}
