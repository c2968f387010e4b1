/**
 * YAML → PNode: a small tree of maps, sequences and scalars in which every node keeps the file and
 * range it came from (provenance). Aliases and `<<` merge keys are expanded here, with a bound on
 * the number of nodes an expansion may produce (alias bombs). Custom tags (`!reset`, `!override`)
 * are kept on the node.
 */
import {
  type Alias,
  CST,
  type Document,
  isAlias,
  isMap,
  isPair,
  isScalar,
  isSeq,
  LineCounter,
  type Node,
  Parser,
  parseDocument,
  type Scalar,
  visit,
} from 'yaml';
import type { Range } from '../model/dockerfile.js';
import { commentsAt, copyNode, corePlain, DIRECT_OK, keepSource, MAX_EXPANDED_NODES, NOT_CORE, rangeMaker, styleOf } from './yaml-core.js';
import { lineIndexAt, lineStarts } from './lines.js';
import { valueOffsets } from './yaml-pos.js';
import { scanYaml } from './yaml-scan.js';

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
  /**
   * The scalar's source text, from its first character (quote, block indicator) to the end of its
   * value, when the value is not that text one character for one on one line: block scalars, scalars
   * over several lines, quoted scalars with escapes. posInScalar reads positions through it.
   */
  src?: string;
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

export { MAX_EXPANDED_NODES };

class ExpansionLimit extends Error {}

export function parseYaml(file: string, text: string): YamlFile {
  return scanYaml(file, text) ?? parseDirect(file, text) ?? parseComposed(file, text);
}

// ---- Direct composition: CST tokens → PNodes ----
//
// yaml's composer builds a Document of yaml nodes (with schema, comments and checks) that parseYaml
// then converts to PNodes; building the Document is about a third of parsing a compose file. For
// the forms compose files are written in, parseDirect builds the PNodes from yaml's CST tokens
// (`Parser`) itself, following the composer's code (compose-node, resolve-props, resolve-block-map,
// resolve-block-seq, resolve-flow-collection, compose-scalar) step by step, with yaml's own scalar
// resolution (`CST.resolveAsScalar`, the core schema's tags) so that the values, styles and ranges
// are the ones the composer gives. Anything else — every place where the composer would report an
// error or a warning, tags, explicit keys, keys that are not scalars, anchors on keys, directives,
// several documents, deep or large alias expansions — returns null and parseYaml takes the composer
// path, which reads it as before.

/** Thrown inside parseDirect when the composer path must decide. */
const FALLBACK: unique symbol = Symbol('yaml fallback');

interface Slot {
  node: PNode | null;
  /** convert() calls its conversion took in the composer path (the alias-bomb budget). */
  count: number;
  /** Alias hops nested in it (the composer path's alias depth limit). */
  depth: number;
}

interface Composed {
  node: PNode;
  range: [number, number, number];
  /** The scalar's resolved value (keys: the composer's duplicate-key test compares these). */
  value?: unknown;
  /** The scalar's style as yaml names it (`PLAIN`, ...); undefined for collections and aliases. */
  type?: string;
}

interface Props {
  comma: CST.SourceToken | null;
  found: CST.SourceToken | null;
  comment: boolean;
  hasNewline: boolean;
  anchor: CST.SourceToken | null;
  newlineAfterProp: CST.SourceToken | null;
  end: number;
  start: number;
}

function fallback(): never {
  throw FALLBACK;
}

/** resolve-props.js, for tokens without tags; every error is a fallback. */
function props(
  tokens: CST.SourceToken[],
  flow: boolean,
  indicator: string,
  next: CST.Token | null | undefined,
  offset: number,
  parentIndent: number,
  startOnNewline: boolean,
): Props {
  let atNewline = startOnNewline;
  let hasSpace = startOnNewline;
  let comment = false;
  let hasNewline = false;
  let reqSpace = false;
  let tab: CST.SourceToken | null = null;
  let anchor: CST.SourceToken | null = null;
  let newlineAfterProp: CST.SourceToken | null = null;
  let comma: CST.SourceToken | null = null;
  let found: CST.SourceToken | null = null;
  let start: number | null = null;
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i];
    if (reqSpace) {
      if (token.type !== 'space' && token.type !== 'newline' && token.type !== 'comma') fallback();
      reqSpace = false;
    }
    if (tab) {
      if (atNewline && token.type !== 'comment' && token.type !== 'newline') fallback();
      tab = null;
    }
    switch (token.type) {
      case 'space':
        if (!flow && (indicator !== 'doc-start' || next?.type !== 'flow-collection') && token.source.includes('\t')) tab = token;
        hasSpace = true;
        break;
      case 'comment':
        if (!hasSpace) fallback();
        comment = true;
        atNewline = false;
        break;
      case 'newline':
        atNewline = true;
        hasNewline = true;
        if (anchor) newlineAfterProp = token;
        hasSpace = true;
        break;
      case 'anchor':
        if (anchor || token.source.endsWith(':') || token.source.length < 2) fallback();
        anchor = token;
        start ??= token.offset;
        atNewline = false;
        hasSpace = false;
        reqSpace = true;
        break;
      case 'comma':
        if (!flow || comma) fallback();
        comma = token;
        atNewline = false;
        hasSpace = false;
        break;
      default:
        // Tags, explicit keys (`? key`) and anything unexpected: the composer decides.
        if (token.type !== indicator || anchor || found || indicator === 'explicit-key-ind') fallback();
        found = token;
        atNewline = indicator === 'seq-item-ind';
        hasSpace = false;
    }
  }
  const last = tokens[tokens.length - 1];
  const end = last ? last.offset + last.source.length : offset;
  if (
    reqSpace &&
    next &&
    next.type !== 'space' &&
    next.type !== 'newline' &&
    next.type !== 'comma' &&
    (next.type !== 'scalar' || next.source !== '')
  )
    fallback();
  if (tab && ((atNewline && tab.indent <= parentIndent) || next?.type === 'block-map' || next?.type === 'block-seq')) fallback();
  return { comma, found, comment, hasNewline, anchor, newlineAfterProp, end, start: start ?? end };
}

/** resolve-end.js: where a node's trailing space and comments end. */
function endOf(end: CST.SourceToken[] | undefined, offset: number, reqSpace: boolean): number {
  if (end) {
    let hasSpace = false;
    for (let i = 0; i < end.length; i++) {
      const t = end[i];
      if (t.type === 'space' || t.type === 'newline') hasSpace = true;
      else if (t.type === 'comment') {
        if (reqSpace && !hasSpace) fallback();
      } else fallback();
      offset += t.source.length;
    }
  }
  return offset;
}

/** util-empty-scalar-position.js */
function emptyScalarPosition(offset: number, before: CST.SourceToken[] | undefined | null, pos: number | null): number {
  if (before) {
    pos ??= before.length;
    for (let i = pos - 1; i >= 0; --i) {
      let st: CST.SourceToken | undefined = before[i];
      if (st.type === 'space' || st.type === 'comment' || st.type === 'newline') {
        offset -= st.source.length;
        continue;
      }
      st = before[++i];
      while (st?.type === 'space') {
        offset += st.source.length;
        st = before[++i];
      }
      break;
    }
  }
  return offset;
}

/** util-contains-newline.js */
function containsNewline(key: CST.Token | null | undefined): boolean | null {
  if (!key) return null;
  switch (key.type) {
    case 'alias':
    case 'scalar':
    case 'double-quoted-scalar':
    case 'single-quoted-scalar':
      if (key.source.includes('\n')) return true;
      if (key.end) for (const st of key.end) if (st.type === 'newline') return true;
      return false;
    case 'flow-collection':
      for (const it of key.items) {
        for (const st of it.start) if (st.type === 'newline') return true;
        if (it.sep) for (const st of it.sep) if (st.type === 'newline') return true;
        if (containsNewline(it.key) || containsNewline(it.value)) return true;
      }
      return false;
    default:
      return true;
  }
}

/**
 * resolve-flow-scalar.js for the one-line scalars most documents hold, without its per-character
 * string building: a plain scalar without a line break is its source; a quoted one without a line
 * break (or an escape, for double quotes) is its source between the quotes. Null for the rest,
 * which CST.resolveAsScalar reads. Every case the composer reports (a plain scalar starting with a
 * reserved character, a missing closing quote) is left to it.
 */
function oneLineScalar(token: CST.FlowScalar): { value: string; type: Scalar['type']; range: [number, number, number] } | null {
  const source = token.source;
  if (source.includes('\n') || source.includes('\r')) return null;
  let value: string;
  let type: Scalar['type'];
  switch (token.type) {
    case 'scalar': {
      const c = source[0];
      if (c === '\t' || c === ',' || c === '%' || c === '|' || c === '>' || c === '@' || c === '`') return null;
      value = source;
      type = 'PLAIN';
      break;
    }
    case 'single-quoted-scalar':
      if (source.length < 2 || source[source.length - 1] !== "'") return null;
      value = source.slice(1, -1);
      if (value.includes("''")) value = value.replace(/''/g, "'");
      type = 'QUOTE_SINGLE';
      break;
    case 'double-quoted-scalar':
      if (source.length < 2 || source[source.length - 1] !== '"' || source.includes('\\')) return null;
      value = source.slice(1, -1);
      type = 'QUOTE_DOUBLE';
      break;
    default:
      return null;
  }
  const valueEnd = token.offset + source.length;
  return { value, type, range: [token.offset, valueEnd, endOf(token.end, valueEnd, false)] };
}

const onScalarError = (): void => fallback();

/** The parseYaml result of a document the direct path can compose, or null (take the composer path). */
/** Exported for its tests (test/parse/yaml-direct.test.ts): parseYaml asks the scanner first. */
export function parseDirect(file: string, text: string): YamlFile | null {
  if (!DIRECT_OK) return null;
  const lc = new LineCounter();
  let document: CST.Document | null = null;
  const tokens: CST.Token[] = [];
  try {
    for (const token of new Parser(lc.addNewLine).parse(text)) {
      tokens.push(token);
      if (token.type === 'document' && document === null) document = token;
      else if (token.type !== 'space' && token.type !== 'comment' && token.type !== 'newline') return null;
    }
  } catch {
    return null;
  }
  if (document === null) return null;
  const rangeOf = rangeMaker(text, lc);
  const anchors = new Map<string, Slot>();
  // The composer path's convert() calls, and its alias nesting within the node being composed.
  let count = 0;
  let depth = 0;
  const doc = document;

  const scalar = (token: CST.FlowScalar | CST.BlockScalar): Composed => {
    const r = token.type === 'block-scalar' ? null : oneLineScalar(token);
    const resolved = r ?? CST.resolveAsScalar(token, false, onScalarError);
    if (resolved === null) return fallback();
    const source = resolved.value;
    let value: unknown = source;
    if (token.type === 'scalar') {
      // The core schema's resolution, shared with the scanner (an error or another type: the composer decides).
      const v = corePlain(source);
      if (v === NOT_CORE) return fallback();
      value = v;
    }
    // convert() turns other values (dates, big integers) into strings: the core schema has none.
    if (typeof value !== 'string' && value !== null && typeof value !== 'number' && typeof value !== 'boolean') return fallback();
    const type = resolved.type;
    if (!type) return fallback();
    const node: PScalar = {
      kind: 'scalar',
      value: value as PScalar['value'],
      style: styleOf(type),
      prov: { file, range: rangeOf(resolved.range) },
    };
    keepSource(node, text, resolved.range[0], resolved.range[1]);
    return { node, range: resolved.range, value, type };
  };

  const empty = (offset: number, before: CST.SourceToken[] | undefined | null, p: Props): Composed => {
    const token: CST.FlowScalar = { type: 'scalar', offset: emptyScalarPosition(offset, before, null), indent: -1, source: '' };
    const c = scalar(token);
    if (p.comment) c.range = [c.range[0], c.range[1], p.end];
    return c;
  };

  /** compose-node.js (value nodes: one convert() call each, anchors registered in document order). */
  const node = (token: CST.Token, p: Props, atKey: boolean): Composed => {
    if (atKey) {
      if (p.anchor) return fallback();
      if (
        token.type === 'scalar' ||
        token.type === 'single-quoted-scalar' ||
        token.type === 'double-quoted-scalar' ||
        token.type === 'block-scalar'
      )
        return scalar(token);
      return fallback();
    }
    count++;
    if (token.type === 'alias') {
      if (p.anchor) return fallback();
      return alias(token);
    }
    let slot: Slot | null = null;
    const before = count;
    const depthBefore = depth;
    depth = 0;
    if (p.anchor) {
      slot = { node: null, count: 0, depth: 0 };
      anchors.set(p.anchor.source.substring(1), slot);
    }
    let c: Composed;
    switch (token.type) {
      case 'scalar':
      case 'single-quoted-scalar':
      case 'double-quoted-scalar':
      case 'block-scalar':
        c = scalar(token);
        break;
      case 'block-map':
        c = blockMap(token);
        break;
      case 'block-seq':
        if (p.anchor && (!p.newlineAfterProp || p.newlineAfterProp.offset < p.anchor.offset)) return fallback();
        c = blockSeq(token);
        break;
      case 'flow-collection':
        c = flow(token);
        break;
      default:
        return fallback();
    }
    if (slot !== null) {
      slot.node = c.node;
      slot.count = count - before + 1;
      slot.depth = depth;
    }
    depth = Math.max(depthBefore, depth);
    return c;
  };

  /** An alias: the composer path converts the target again, so a copy of the target's PNodes. */
  const alias = (token: CST.FlowScalar): Composed => {
    const name = token.source.substring(1);
    if (name === '' || name.endsWith(':')) return fallback();
    const valueEnd = token.offset + token.source.length;
    const range: [number, number, number] = [token.offset, valueEnd, endOf(token.end, valueEnd, false)];
    const slot = anchors.get(name);
    if (slot === undefined) return { node: { kind: 'scalar', value: null, style: 'plain', prov: { file, range: rangeOf(range) } }, range };
    // Still being composed (an alias inside its own anchor), or expansions the composer path bounds.
    if (slot.node === null || slot.depth >= 16) return fallback();
    count += slot.count;
    if (count > MAX_EXPANDED_NODES / 2) return fallback();
    depth = Math.max(depth, slot.depth + 1);
    return { node: copyNode(slot.node), range };
  };

  const blockMap = (bm: CST.BlockMap): Composed => {
    const entries: PEntry[] = [];
    const keys: unknown[] = [];
    let merged: PEntry[] | null = null;
    let offset = bm.offset;
    let commentEnd: number | null = null;
    for (const item of bm.items) {
      const { start, key, sep, value } = item;
      const kp = props(start, false, 'explicit-key-ind', key ?? sep?.[0], offset, bm.indent, true);
      if (key) {
        if (key.type === 'block-seq') return fallback();
        if ('indent' in key && key.indent !== bm.indent) return fallback();
      }
      if (!kp.anchor && !sep) {
        commentEnd = kp.end;
        continue;
      }
      if (kp.newlineAfterProp || containsNewline(key)) return fallback();
      const k = key ? node(key, kp, true) : emptyKey(kp.end, start, kp);
      for (let i = 0; i < keys.length; i++) if (keys[i] === k.value) return fallback();
      keys.push(k.value);
      const vp = props(sep ?? [], false, 'map-value-ind', value, k.range[2], bm.indent, !key || key.type === 'block-scalar');
      offset = vp.end;
      if (!vp.found) return fallback();
      if (value?.type === 'block-map' && !vp.hasNewline) return fallback();
      const v = value ? node(value, vp, false) : emptyValue(offset, sep, vp);
      offset = v.range[2];
      const keyText = String(k.value);
      if (keyText === '<<' && k.type === 'PLAIN') {
        // YAML merge key, as convert() reads it: earlier sources win, explicit keys win.
        const sources = v.node.kind === 'seq' ? v.node.items : [v.node];
        merged ??= [];
        for (const src of sources) {
          if (src.kind !== 'map') continue;
          for (const e of src.entries) if (!merged.some((m) => m.key === e.key)) merged.push(e);
        }
        continue;
      }
      entries.push({ key: keyText, keyProv: { file, range: rangeOf(k.range) }, value: v.node });
    }
    if (commentEnd !== null && commentEnd < offset) return fallback();
    if (merged !== null) for (const m of merged) if (!entries.some((e) => e.key === m.key)) entries.push(m);
    const range: [number, number, number] = [bm.offset, offset, commentEnd ?? offset];
    return { node: { kind: 'map', entries, prov: { file, range: rangeOf(range) } }, range };
  };

  /** A key left out (`: value`): an empty scalar key, not a convert() call. */
  const emptyKey = (offset: number, before: CST.SourceToken[], p: Props): Composed => {
    if (p.anchor) return fallback();
    return empty(offset, before, p);
  };

  /** A value left out (`key:`): an empty scalar, one convert() call. */
  const emptyValue = (offset: number, before: CST.SourceToken[] | undefined, p: Props): Composed => {
    if (p.anchor) return fallback();
    count++;
    return empty(offset, before, p);
  };

  const blockSeq = (bs: CST.BlockSequence): Composed => {
    const items: PNode[] = [];
    let offset = bs.offset;
    let commentEnd: number | null = null;
    for (const { start, value } of bs.items) {
      const p = props(start, false, 'seq-item-ind', value, offset, bs.indent, true);
      if (!p.found) {
        if (p.anchor || value) return fallback();
        commentEnd = p.end;
        continue;
      }
      const v = value ? node(value, p, false) : emptyValue(p.end, start, p);
      offset = v.range[2];
      items.push(v.node);
    }
    const range: [number, number, number] = [bs.offset, offset, commentEnd ?? offset];
    return { node: { kind: 'seq', items, prov: { file, range: rangeOf(range) } }, range };
  };

  const flow = (fc: CST.FlowCollection): Composed => {
    const isMap = fc.start.source === '{';
    const entries: PEntry[] = [];
    const keys: unknown[] = [];
    const items: PNode[] = [];
    let merged: PEntry[] | null = null;
    let offset = fc.offset + fc.start.source.length;
    for (let i = 0; i < fc.items.length; ++i) {
      const { start, key, sep, value } = fc.items[i];
      const p = props(start, true, 'explicit-key-ind', key ?? sep?.[0], offset, fc.indent, false);
      if (!p.found && !p.anchor && !sep && !value) {
        if ((i === 0 && p.comma) || i < fc.items.length - 1) return fallback();
        offset = p.end;
        continue;
      }
      if (i === 0 ? p.comma : !p.comma) return fallback();
      if (!isMap) {
        // Pairs in flow sequences (`[a: 1]`) are left to the composer.
        if (sep) return fallback();
        if (value?.type === 'block-map' || value?.type === 'block-seq') return fallback();
        const v = value ? node(value, p, false) : emptyValue(p.end, sep, p);
        items.push(v.node);
        offset = v.range[2];
        continue;
      }
      if (key?.type === 'block-map' || key?.type === 'block-seq' || value?.type === 'block-map' || value?.type === 'block-seq')
        return fallback();
      const k = key ? node(key, p, true) : emptyKey(p.end, start, p);
      const vp = props(sep ?? [], true, 'map-value-ind', value, k.range[2], fc.indent, false);
      if (!vp.found && value) return fallback();
      for (let j = 0; j < keys.length; j++) if (keys[j] === k.value) return fallback();
      keys.push(k.value);
      let v: Composed | null = null;
      if (value) v = node(value, vp, false);
      else if (vp.found) v = emptyValue(vp.end, sep, vp);
      else count++; // convert(null): a null scalar at 1:1
      const vNode: PNode = v ? v.node : { kind: 'scalar', value: null, style: 'plain', prov: { file, range: rangeOf(null) } };
      offset = v ? v.range[2] : vp.end;
      const keyText = String(k.value);
      if (keyText === '<<' && k.type === 'PLAIN') {
        const sources = vNode.kind === 'seq' ? vNode.items : [vNode];
        merged ??= [];
        for (const src of sources) {
          if (src.kind !== 'map') continue;
          for (const e of src.entries) if (!merged.some((m) => m.key === e.key)) merged.push(e);
        }
        continue;
      }
      entries.push({ key: keyText, keyProv: { file, range: rangeOf(k.range) }, value: vNode });
    }
    const [ce, ...ee] = fc.end;
    if (ce?.source !== (isMap ? '}' : ']')) return fallback();
    const cePos = ce.offset + ce.source.length;
    const range: [number, number, number] = [fc.offset, cePos, ee.length > 0 ? endOf(ee, cePos, false) : cePos];
    if (isMap) {
      if (merged !== null) for (const m of merged) if (!entries.some((e) => e.key === m.key)) entries.push(m);
      return { node: { kind: 'map', entries, prov: { file, range: rangeOf(range) } }, range };
    }
    return { node: { kind: 'seq', items, prov: { file, range: rangeOf(range) } }, range };
  };

  try {
    const p = props(doc.start, false, 'doc-start', doc.value ?? doc.end?.[0], doc.offset, 0, true);
    if (p.found && doc.value && (doc.value.type === 'block-map' || doc.value.type === 'block-seq') && !p.hasNewline) return null;
    const root = doc.value ? node(doc.value, p, false) : emptyValue(p.end, doc.start, p);
    endOf(doc.end, root.range[2], false);
    if (count > MAX_EXPANDED_NODES / 2) return null;
    return { root: root.node, errors: [], comments: collectComments(text, lc, tokens) };
  } catch {
    // FALLBACK, or anything unforeseen (a stack overflow on deep nesting): the composer path reads
    // the file as it always did.
    return null;
  }
}

/** parseYaml through yaml's Document (the composer): every error and form yaml knows. Exported for the tests that hold the direct path to it. */
export function parseComposed(file: string, text: string): YamlFile {
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
    // yaml's composer recursing on thousands of nested collections (`[[[[…`) runs out of stack.
    if (/Maximum call stack size exceeded/.test(message)) message = 'collections nested too deeply to read';
    if (e.code === 'DUPLICATE_KEY' && e.pos) {
      const key = keyAt(text, e.pos[0]);
      if (key !== null) message = `duplicate key \`${key}\``;
    }
    errors.push({ message, line: p?.line, column: p?.col });
  }
  let tokens: CST.Token[] = [];
  try {
    tokens = [...new Parser().parse(text)];
  } catch {
    // no comments then
  }
  const comments = collectComments(text, lc, tokens);
  if (errors.length) return { root: null, errors, comments };
  const rangeOf = rangeMaker(text, lc);
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
      if (n.range) keepSource(out, text, n.range[0], n.range[1]);
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

/** The text of a mapping key written at `offset` (plain or quoted), for messages; null when unclear. */
function keyAt(text: string, offset: number): string | null {
  const m = /^(?:"((?:[^"\\\n]|\\.)*)"|'((?:[^'\n]|'')*)'|([^:,{}[\]\n#]*?))\s*:/.exec(text.slice(offset, offset + 1024));
  if (!m) return null;
  const key = m[1] ?? m[2]?.replace(/''/g, "'") ?? m[3]?.trim();
  return key ? key : null;
}

/**
 * `#` comments with their ranges (for inline ignores and fixture markers), as yaml's parser finds
 * them: its comment tokens, so a `#` inside a quoted scalar or a block scalar (`command: |`) is text,
 * not a comment (nor an inline-ignore pragma).
 */
function collectComments(text: string, lc: LineCounter, tokens: readonly CST.Token[]): YamlComment[] {
  const offsets: number[] = [];
  if (text.indexOf('#') >= 0) for (const t of tokens) commentsOf(t, offsets);
  offsets.sort((a, b) => a - b);
  return commentsAt(text, lc, offsets);
}

/**
 * Offsets of the comment tokens in a CST token and the tokens it holds. A loop over a stack of the
 * collections still to read, not recursion: yaml's parser reads collections nested far deeper than
 * the call stack allows.
 */
function commentsOf(root: CST.Token, out: number[]): void {
  const stack: CST.Token[] = [root];
  while (stack.length > 0) {
    const t = stack.pop() as CST.Token;
    switch (t.type) {
      case 'comment':
        out.push(t.offset);
        break;
      case 'document':
        commentsIn(t.start, out, stack);
        if (t.value) stack.push(t.value);
        commentsIn(t.end, out, stack);
        break;
      case 'doc-end':
      case 'alias':
      case 'scalar':
      case 'single-quoted-scalar':
      case 'double-quoted-scalar':
        commentsIn(t.end, out, stack);
        break;
      case 'block-scalar':
        commentsIn(t.props, out, stack);
        break;
      case 'block-map':
      case 'block-seq':
      case 'flow-collection':
        if (t.type === 'flow-collection') stack.push(t.start);
        for (const it of t.items) {
          commentsIn(it.start, out, stack);
          if (it.key) stack.push(it.key);
          commentsIn(it.sep, out, stack);
          if (it.value) stack.push(it.value);
        }
        if (t.type === 'flow-collection') commentsIn(t.end, out, stack);
        break;
      default:
        break;
    }
  }
}

/** The comments of a list of tokens; the tokens that hold others are left on `stack` for commentsOf. */
function commentsIn(ts: readonly CST.Token[] | undefined, out: number[], stack: CST.Token[]): void {
  if (ts)
    for (const t of ts) {
      if (t.type === 'comment') out.push(t.offset);
      else if (t.type !== 'space' && t.type !== 'newline') stack.push(t);
    }
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
 * File position of character `index` of a scalar's value (`index` = the value's length: just after
 * its last character). Exact for every style, escapes and line folding included, through the source
 * text the readers keep (`src`); a scalar without one is a plain or quoted scalar on one line whose
 * value is its text. Without a usable `src` (a value replaced after parsing), block scalars are
 * placed at the start of their first content line.
 */
export function posInScalar(s: PScalar, index: number): { line: number; column: number } {
  const r = s.prov.range;
  if (s.src !== undefined) {
    const layout = layoutOf(s, s.src);
    if (layout !== null) {
      const o = layout.at[Math.max(0, Math.min(index, layout.at.length - 1))];
      const k = lineIndexAt(layout.lineStarts, o);
      return k === 0 ? { line: r.line, column: r.column + o } : { line: r.line + k, column: o - layout.lineStarts[k] + 1 };
    }
  }
  if (s.style === 'plain') return { line: r.line, column: r.column + index };
  if (s.style === 'single' || s.style === 'double') return { line: r.line, column: r.column + 1 + index };
  return { line: r.line + 1, column: 1 };
}

/** Where a script held in a scalar starts, and where each of its characters is (for parseShell). */
export function scalarOrigin(s: PScalar): { line: number; column: number; at: (offset: number) => { line: number; column: number } } {
  return { ...posInScalar(s, 0), at: (offset) => posInScalar(s, offset) };
}

/** Offsets of a scalar's characters in its source text, and where the source's lines start. */
interface Layout {
  at: number[];
  lineStarts: number[];
}

// Computed when a position inside the scalar is first asked for (most scalars are never asked).
const layouts = new WeakMap<PScalar, Layout | null>();

function layoutOf(s: PScalar, src: string): Layout | null {
  let l = layouts.get(s);
  if (l === undefined) {
    const at = valueOffsets(src, s.style, String(s.value ?? ''));
    if (at === null) l = null;
    else l = { at, lineStarts: lineStarts(src) };
    layouts.set(s, l);
  }
  return l;
}
