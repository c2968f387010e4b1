/**
 * YAML → PNode: a small tree of maps, sequences and scalars in which every node keeps the file and
 * range it came from (provenance). Aliases and `<<` merge keys are expanded here, with a bound on
 * the number of nodes an expansion may produce (alias bombs). Custom tags (`!reset`, `!override`)
 * are kept on the node.
 */
import { type Alias, type Document, isAlias, isMap, isPair, isScalar, isSeq, LineCounter, type Node, parseDocument, type Scalar, visit } from 'yaml';
import type { Range } from '../model/dockerfile.js';

export interface Prov {
  file: string;
  range: Range;
}

interface PBase {
  prov: Prov;
  /** Explicit YAML tag such as `!reset` or `!override`. */
  tag?: string;
}

export interface PScalar extends PBase {
  kind: 'scalar';
  value: string | number | boolean | null;
  /** How the scalar is written, to map offsets inside the value to file positions. */
  style: 'plain' | 'single' | 'double' | 'literal' | 'folded';
}

export interface PEntry {
  key: string;
  keyProv: Prov;
  value: PNode;
}

export interface PMap extends PBase {
  kind: 'map';
  entries: PEntry[];
}

export interface PSeq extends PBase {
  kind: 'seq';
  items: PNode[];
}

export type PNode = PScalar | PMap | PSeq;

export interface YamlComment {
  text: string;
  range: Range;
}

export interface YamlFile {
  root: PNode | null;
  errors: { message: string; line?: number; column?: number }[];
  comments: YamlComment[];
}

/** Nodes an alias expansion may add to one document before it is refused as an alias bomb. */
export const MAX_EXPANDED_NODES = 100_000;

class ExpansionLimit extends Error {}

export function parseYaml(file: string, text: string): YamlFile {
  const lc = new LineCounter();
  const errors: YamlFile['errors'] = [];
  let doc: Document.Parsed;
  try {
    doc = parseDocument(text, { lineCounter: lc, uniqueKeys: true, merge: false, prettyErrors: false, strict: false });
  } catch (e) {
    return { root: null, errors: [{ message: (e as Error).message }], comments: [] };
  }
  for (const e of doc.errors) {
    const p = e.linePos?.[0] ?? (e.pos ? lc.linePos(e.pos[0]) : undefined);
    let message = e.message.split('\n')[0].replace(/ at line \d+, column \d+.*$/, '');
    if (e.code === 'DUPLICATE_KEY' && e.pos) {
      const key = keyAt(text, e.pos[0]);
      if (key !== null) message = `duplicate key \`${key}\``;
    }
    errors.push({ message, line: p?.line, column: p?.col });
  }
  const comments = collectComments(text, lc);
  if (errors.length) return { root: null, errors, comments };
  // Positions: the same answers as `lc.linePos`, without an object per call. Nodes are converted in
  // document order, so the line of the previous position is tried before a binary search.
  const starts = lc.lineStarts;
  let hint = 0;
  let posLine = 0;
  let posCol = 0;
  const locate = (offset: number): void => {
    let low: number;
    if (hint < starts.length && starts[hint] < offset && (hint + 1 === starts.length || starts[hint + 1] >= offset)) low = hint + 1;
    else {
      low = 0;
      let high = starts.length;
      while (low < high) {
        const mid = (low + high) >> 1;
        if (starts[mid] < offset) low = mid + 1;
        else high = mid;
      }
    }
    if (starts[low] === offset) {
      hint = low;
      posLine = low + 1;
      posCol = 1;
    } else if (low === 0) {
      posLine = 0;
      posCol = offset;
    } else {
      hint = low - 1;
      posLine = low;
      posCol = offset - starts[low - 1] + 1;
    }
  };
  const rangeOf = (r: [number, number, number] | null | undefined): Range => {
    if (!r) return { line: 1, column: 1, endLine: 1, endColumn: 1 };
    locate(r[0]);
    const line = posLine;
    const column = posCol;
    let end = r[1];
    // Block collections end after their last newline: end the range on the last content line.
    while (end > r[0] && isSpace(text.charCodeAt(end - 1))) end--;
    locate(end);
    return { line, column, endLine: posLine, endColumn: posCol };
  };
  // Alias targets: yaml's `Alias.resolve(doc)` walks the whole document for every alias (quadratic in
  // files that use many). Same rule here — the last node with the anchor before the alias, in
  // document order — from one walk that keeps only aliases and anchored nodes.
  let anchored: Node[] | null = null;
  const resolveAlias = (alias: Alias): Node | undefined => {
    if (anchored === null) {
      const list: Node[] = [];
      visit(doc, {
        Node: (_key, node) => {
          if (isAlias(node) || node.anchor) list.push(node);
        },
      });
      anchored = list;
    }
    let found: Node | undefined;
    for (const node of anchored) {
      if (node === alias) break;
      if (!isAlias(node) && node.anchor === alias.source) found = node;
    }
    return found;
  };
  let budget = MAX_EXPANDED_NODES;
  const convert = (n: Node | null | undefined, viaAlias: number): PNode => {
    if (--budget < 0) throw new ExpansionLimit();
    if (!n) return { kind: 'scalar', value: null, style: 'plain', prov: { file, range: rangeOf(null) } };
    if (isAlias(n)) {
      if (viaAlias > 64) throw new ExpansionLimit();
      const target = resolveAlias(n);
      if (!target) return { kind: 'scalar', value: null, style: 'plain', prov: { file, range: rangeOf(n.range) } };
      return convert(target as Node, viaAlias + 1);
    }
    const prov: Prov = { file, range: rangeOf(n.range) };
    const t = n.tag;
    // Only custom tags (`!reset`), not `!!str`; the node gets a `tag` key only when it has one.
    const tag = t !== undefined && t.charCodeAt(0) === 0x21 /* ! */ && t.charCodeAt(1) !== 0x21 ? t : undefined;
    if (isScalar(n)) {
      let value = n.value as unknown;
      if (typeof value !== 'string' && value !== null && typeof value !== 'number' && typeof value !== 'boolean') {
        if (value instanceof Date) value = n.source ?? String(value);
        if (typeof value === 'bigint') value = Number(value);
        if (value !== null && typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') value = String(value);
      }
      const out: PScalar = { kind: 'scalar', value: value as PScalar['value'], style: styleOf(n.type), prov };
      if (tag !== undefined) out.tag = tag;
      return out;
    }
    if (isMap(n)) {
      const entries: PEntry[] = [];
      let merged: PEntry[] | null = null;
      const list = n.items;
      for (let i = 0; i < list.length; i++) {
        const item = list[i];
        if (!isPair(item)) continue;
        const k = item.key as Node | null;
        const keyIsScalar = k !== null && isScalar(k);
        const keyText = keyIsScalar ? String((k as Scalar).value) : k ? String(k) : '';
        if (keyText === '<<' && !(keyIsScalar && (k as Scalar).type !== 'PLAIN')) {
          // YAML merge key: `<<: *base` or `<<: [*a, *b]` — earlier sources win, explicit keys win.
          const v = convert(item.value as Node, viaAlias);
          const sources = v.kind === 'seq' ? v.items : [v];
          merged ??= [];
          for (const src of sources) {
            if (src.kind !== 'map') continue;
            for (const e of src.entries) if (!merged.some((m) => m.key === e.key)) merged.push(e);
          }
          continue;
        }
        entries.push({ key: keyText, keyProv: { file, range: rangeOf(k?.range) }, value: convert(item.value as Node, viaAlias) });
      }
      if (merged !== null) for (const m of merged) if (!entries.some((e) => e.key === m.key)) entries.push(m);
      const out: PMap = { kind: 'map', entries, prov };
      if (tag !== undefined) out.tag = tag;
      return out;
    }
    if (isSeq(n)) {
      const list = n.items;
      const items: PNode[] = [];
      for (let i = 0; i < list.length; i++) items.push(convert(list[i] as Node, viaAlias));
      const out: PSeq = { kind: 'seq', items, prov };
      if (tag !== undefined) out.tag = tag;
      return out;
    }
    return { kind: 'scalar', value: null, style: 'plain', prov };
  };
  try {
    const root = doc.contents ? convert(doc.contents as Node, 0) : null;
    return { root, errors, comments };
  } catch (e) {
    if (e instanceof ExpansionLimit) {
      return { root: null, errors: [{ message: `alias expansion exceeds ${MAX_EXPANDED_NODES} nodes (YAML alias bomb?)` }], comments };
    }
    throw e;
  }
}

/** Whether a UTF-16 code unit is matched by the regular expression `\s` (WhiteSpace and LineTerminator). */
function isSpace(c: number): boolean {
  if (c <= 0x20) return c === 0x20 || (c >= 0x09 && c <= 0x0d);
  if (c < 0xa0) return false;
  return (
    c === 0xa0 ||
    c === 0x1680 ||
    (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 ||
    c === 0x2029 ||
    c === 0x202f ||
    c === 0x205f ||
    c === 0x3000 ||
    c === 0xfeff
  );
}

/** The text of a mapping key written at `offset` (plain or quoted), for messages; null when unclear. */
function keyAt(text: string, offset: number): string | null {
  const m = /^(?:"((?:[^"\\\n]|\\.)*)"|'((?:[^'\n]|'')*)'|([^:,{}[\]\n#]*?))\s*:/.exec(text.slice(offset, offset + 1024));
  if (!m) return null;
  const key = m[1] ?? m[2]?.replace(/''/g, "'") ?? m[3]?.trim();
  return key ? key : null;
}

function styleOf(t: Scalar['type']): PScalar['style'] {
  switch (t) {
    case 'QUOTE_SINGLE':
      return 'single';
    case 'QUOTE_DOUBLE':
      return 'double';
    case 'BLOCK_LITERAL':
      return 'literal';
    case 'BLOCK_FOLDED':
      return 'folded';
    default:
      return 'plain';
  }
}

/** `#` comments with their ranges (for inline ignores and fixture markers). */
function collectComments(text: string, lc: LineCounter): YamlComment[] {
  const out: YamlComment[] = [];
  // Only lines with a `#` can hold a comment: jump from one `#` to the next instead of splitting
  // the file into lines.
  let from = 0;
  for (;;) {
    const hash = text.indexOf('#', from);
    if (hash < 0) break;
    const offset = text.lastIndexOf('\n', hash) + 1;
    const nl = text.indexOf('\n', hash);
    const line = text.slice(offset, nl < 0 ? text.length : nl);
    const i = commentStart(line);
    if (i >= 0) {
      const p = lc.linePos(offset + i);
      out.push({ text: line.slice(i + 1).replace(/\r$/, '').trim(), range: { line: p.line, column: p.col, endLine: p.line, endColumn: p.col + line.length - i } });
    }
    if (nl < 0) break;
    from = nl + 1;
  }
  return out;
}

/** Index of a `#` that starts a comment (at line start or after whitespace, outside quotes), or -1. */
function commentStart(line: string): number {
  let q: string | null = null;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (q) {
      if (c === q) q = null;
      continue;
    }
    if (c === '"' || c === "'") {
      if (i === 0 || /[\s:[{,-]/.test(line[i - 1])) q = c;
      continue;
    }
    if (c === '#' && (i === 0 || line[i - 1] === ' ' || line[i - 1] === '\t')) return i;
  }
  return -1;
}

// ---- helpers to read PNodes ----

export function get(n: PNode | undefined | null, key: string): PNode | undefined {
  if (n?.kind !== 'map') return undefined;
  for (let i = n.entries.length - 1; i >= 0; i--) if (n.entries[i].key === key) return n.entries[i].value;
  return undefined;
}

export function entry(n: PNode | undefined | null, key: string): PEntry | undefined {
  if (n?.kind !== 'map') return undefined;
  for (let i = n.entries.length - 1; i >= 0; i--) if (n.entries[i].key === key) return n.entries[i];
  return undefined;
}

/** Follow a dotted path of map keys. */
export function at(n: PNode | undefined | null, ...path: string[]): PNode | undefined {
  let cur: PNode | undefined = n ?? undefined;
  for (const k of path) {
    cur = get(cur, k);
    if (!cur) return undefined;
  }
  return cur;
}

export function str(n: PNode | undefined | null): string | undefined {
  if (n?.kind !== 'scalar' || n.value === null) return undefined;
  return String(n.value);
}

/**
 * File position of character `index` of a scalar's value. Exact for single-line plain and quoted
 * scalars (escape sequences aside); line-accurate for block scalars.
 */
export function posInScalar(s: PScalar, index: number, sourceLines?: string[]): { line: number; column: number } {
  const r = s.prov.range;
  if (s.style === 'plain') return { line: r.line, column: r.column + index };
  if (s.style === 'single' || s.style === 'double') {
    if (r.line === r.endLine) return { line: r.line, column: r.column + 1 + index };
    return { line: r.line, column: r.column + 1 };
  }
  // Block scalars: the range starts at the indicator; content starts on the next line.
  const value = String(s.value ?? '');
  const before = value.slice(0, index);
  const lineNo = before.split('\n').length - 1;
  const col = index - (before.lastIndexOf('\n') + 1);
  const line = r.line + 1 + (s.style === 'literal' ? lineNo : 0);
  const src = sourceLines?.[line - 1];
  const indent = src ? src.length - src.trimStart().length : 0;
  return { line, column: indent + 1 + (s.style === 'literal' ? col : 0) };
}
