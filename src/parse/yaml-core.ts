/**
 * What the YAML readers in yaml.ts (the composer path and the direct path over yaml's CST) and
 * yaml-scan.ts (the scanner) share so that they give the same answers: the core schema's scalar
 * tags, the conversion of yaml's offset ranges to line/column ranges, and comment ranges.
 */
import { Document, isScalar, type LineCounter, type Scalar, type ScalarTag } from 'yaml';
import type { Range } from '../model/dockerfile.js';
import type { PNode, Prov, PScalar, YamlComment } from './yaml.js';
import { scalarSource } from './yaml-pos.js';

/** Nodes an alias expansion may add to one document before it is refused as an alias bomb. */
export const MAX_EXPANDED_NODES = 100_000;

/** The composer's schema (YAML 1.2 core, the parseDocument options parseComposed uses) and its tags. */
const SCHEMA_DOC = new Document(undefined, { uniqueKeys: true, merge: false, prettyErrors: false, strict: false });
const SCALAR_TAGS = SCHEMA_DOC.schema.tags.filter((t) => t.default === true && t.test !== undefined) as ScalarTag[];
const STRING_TAG = (SCHEMA_DOC.schema as unknown as Record<symbol, ScalarTag>)[Symbol.for('yaml.scalar')];
/** The direct path knows the core schema's plain-scalar tags (a yaml upgrade that changes them turns it off). */
export const DIRECT_OK =
  STRING_TAG !== undefined &&
  SCHEMA_DOC.schema.tags.every((t) => t.default !== 'key') &&
  SCALAR_TAGS.map((t) => t.tag).join(' ') ===
    'tag:yaml.org,2002:null tag:yaml.org,2002:bool tag:yaml.org,2002:int tag:yaml.org,2002:int tag:yaml.org,2002:int tag:yaml.org,2002:float tag:yaml.org,2002:float tag:yaml.org,2002:float';

/**
 * Ranges of yaml offsets (`[start, valueEnd, end]`): the same answers as `lc.linePos`, without an
 * object per call. Nodes are converted in document order, so the line of the previous position is
 * tried before a binary search.
 */
export function rangeMaker(text: string, lc: Pick<LineCounter, 'lineStarts'>): (r: [number, number, number] | null | undefined) => Range {
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
  return (r: [number, number, number] | null | undefined): Range => {
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

export function styleOf(t: Scalar['type']): PScalar['style'] {
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

/** Give a scalar read from offsets [start, end) of `text` the source text posInScalar needs (see scalarSource). */
export function keepSource(node: PScalar, text: string, start: number, end: number): PScalar {
  const src = scalarSource(text, start, end, node.style, node.value);
  if (src !== undefined) node.src = src;
  return node;
}

/** Comments at the sorted offsets of their `#`: the text after it (trimmed) and the rest of its line as range. */
export function commentsAt(text: string, lc: Pick<LineCounter, 'linePos'>, offsets: readonly number[]): YamlComment[] {
  const out: YamlComment[] = [];
  for (const hash of offsets) {
    const offset = text.lastIndexOf('\n', hash) + 1;
    const nl = text.indexOf('\n', hash);
    const line = text.slice(offset, nl < 0 ? text.length : nl);
    const i = hash - offset;
    const p = lc.linePos(hash);
    out.push({
      text: line
        .slice(i + 1)
        .replace(/\r$/, '')
        .trim(),
      range: { line: p.line, column: p.col, endLine: p.line, endColumn: p.col + line.length - i },
    });
  }
  return out;
}

/** corePlain's answer for a plain scalar the core schema cannot resolve without an error. */
export const NOT_CORE: unique symbol = Symbol('not a core scalar');

/**
 * The value of a plain scalar under the core schema, as the composer resolves it (the first default
 * tag whose test matches, else a string), or NOT_CORE where resolving it reports an error or gives a
 * value that is not a string, number, boolean or null.
 */
export function corePlain(source: string): string | number | boolean | null | typeof NOT_CORE {
  if (source.length > 0) {
    const c = source.charCodeAt(0);
    // Only '' and scalars starting with one of ~ n N t T f F 0-9 + - . can match a tag other than string.
    if (
      !(
        c === 0x7e ||
        c === 0x6e ||
        c === 0x4e ||
        c === 0x74 ||
        c === 0x54 ||
        c === 0x66 ||
        c === 0x46 ||
        (c >= 0x30 && c <= 0x39) ||
        c === 0x2b ||
        c === 0x2d ||
        c === 0x2e
      )
    )
      return source;
  }
  let tag: ScalarTag | undefined;
  for (let i = 0; i < SCALAR_TAGS.length; i++)
    if (SCALAR_TAGS[i].test?.test(source)) {
      tag = SCALAR_TAGS[i];
      break;
    }
  tag ??= STRING_TAG;
  let failed = false;
  let res: unknown;
  try {
    res = tag.resolve(
      source,
      () => {
        failed = true;
      },
      SCHEMA_DOC.options,
    );
  } catch {
    return NOT_CORE;
  }
  if (failed) return NOT_CORE;
  const value = isScalar(res) ? res.value : res;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' || value === null) return value;
  return NOT_CORE;
}

/** A fresh copy of converted PNodes (what converting an alias's target again gives). */
export function copyNode(n: PNode): PNode {
  const prov: Prov = { file: n.prov.file, range: { ...n.prov.range } };
  let out: PNode;
  if (n.kind === 'scalar') {
    out = { kind: 'scalar', value: n.value, style: n.style, prov };
    if (n.src !== undefined) out.src = n.src;
  } else if (n.kind === 'map') {
    out = {
      kind: 'map',
      entries: n.entries.map((e) => ({
        key: e.key,
        keyProv: { file: e.keyProv.file, range: { ...e.keyProv.range } },
        value: copyNode(e.value),
      })),
      prov,
    };
  } else out = { kind: 'seq', items: n.items.map(copyNode), prov };
  if (n.tag !== undefined) out.tag = n.tag;
  return out;
}
