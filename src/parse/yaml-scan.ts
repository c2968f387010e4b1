/**
 * A single-pass scanner for the block YAML that compose files are written in, in front of yaml's
 * lexer and parser (parseYaml: scanYaml ?? parseDirect ?? parseComposed). It reads the text line by
 * line, on char codes, and builds the PNodes, their ranges and the comments itself; it is held to
 * yaml's composer (parseComposed): for every document it reads, it gives exactly the YamlFile the
 * composer path gives (test/parse/yaml-scan.test.ts), and it returns null for everything else.
 *
 * The subset it reads:
 * - one document, its root a block mapping or block sequence at column 0, perhaps after a `---`
 *   line; no directives, no other `---` or `...` lines, no carriage return or byte order mark
 *   anywhere in the text, tabs only inside comments;
 * - block mappings of `key: value`, `key:` (an empty value, or a nested block on the next lines, or
 *   a sequence at the key's own column), keys plain or quoted on one line; duplicate keys are left
 *   to the composer; after `key:` (and no comment), a flow sequence or a quoted scalar alone on the
 *   next line(s), indented deeper than the key;
 * - block sequences of `- value` and `- key: value` (a compact mapping); `-` alone or `- - x` is
 *   not;
 * - values: plain, single- or double-quoted scalars on one line (double-quoted escapes as yaml
 *   reads them); double-quoted values over lines, their lines after the first deeper than the
 *   collection or blank (folded and unescaped by yaml's own resolveAsScalar); flow sequences of
 *   such scalars (`[a, "b"]`), on one line or over several: a line break after `[`, after a `,` or
 *   after an item before the `]`, blank and comment lines (at any indent) between, the items' lines
 *   deeper than the collection, the `]`'s at least as deep (yaml's lexer ends the sequence with an
 *   error otherwise), a trailing comma; `{}`, block scalars `|` `>` with an optional chomping
 *   indicator but no indentation indicator;
 * - `#` comments on their own lines and after values;
 * - anchors (`&name`, of letters, digits and `_-.`) on values: `key: &name value`, `key: &name` and
 *   a nested block, `- &name value`, `[&name x]`; aliases as values (`key: *name`, `- *name`,
 *   `[*name]`) of an anchor before them, read as the composer path reads them: a fresh copy of the
 *   last node anchored with the name, its ranges and all; merge keys `<<: *name`, `<<: [*a, *b]`
 *   (sources that are maps, or an alias of a sequence of maps), as the composer path's convert()
 *   merges: the entries of the sources, the first of each key, after the map's own entries that do
 *   not have the key. The composer path's alias-bomb budget is counted as parseDirect counts it
 *   (convert() calls, alias nesting), with the same margins: past half the budget or 16 nested
 *   aliases, yaml decides.
 * Tags, explicit keys, flow mappings, multi-line plain or single-quoted scalars, double-quoted ones
 * over lines as keys or inside a flow sequence, a comment after an item or after `[` on its line, a
 * plain scalar alone on a line (it may go on over the next lines), a comment between a key and its
 * value on the next line (an implicit key over lines to yaml), anchors on keys (`&a key:`, `- &a
 * key: v`), on an empty value or on an alias, aliases as keys, an alias before any anchor of its
 * name (a null) or inside its own anchor (endless), merge sources that are not maps, and anything
 * the composer reports as an error are left to yaml.
 *
 * The ranges are the composer's: a node's range is `[start, end)` of yaml's offsets, trimmed of
 * trailing whitespace (rangeMaker), where a collection ends where its last item's value ends, and
 * yaml's parser counts into a value's end what follows it on its line (for a value over lines:
 * the line it ends on) and, for a scalar or flow collection, the comment lines after it
 * indented deeper than its collection; into a key left empty the comment lines up to the next
 * content; and into a collection the comment lines that follow its last item at least as deep as
 * the collection itself (when it is not at column 0). Those are mirrored here with a little state
 * per open collection.
 */
import { CST, LineCounter } from 'yaml';
import type { PEntry, PMap, PNode, PScalar, PSeq, YamlFile } from './yaml.js';
import { commentsAt, copyNode, corePlain, DIRECT_OK, keepSource, MAX_EXPANDED_NODES, NOT_CORE, rangeMaker, styleOf } from './yaml-core.js';

/** Thrown inside scanYaml when the document is outside its subset. */
const BAIL: unique symbol = Symbol('yaml scan bail');

function bail(): never {
  throw BAIL;
}

// What follows the last item of an open collection, as yaml's parser keeps it.
/** A key with `:` and nothing after it yet (its value may still be a nested block). */
const OPEN = 0;
/** A scalar or flow collection on the item's line: indented comment lines after it join its end. */
const FLOW = 1;
/** A block scalar, an empty value, or a nested collection (closed). */
const OTHER = 2;
/** A nested collection that is still open (on the stack above). */
const NESTED = 3;

interface Frame {
  map: PMap | null;
  seq: PSeq | null;
  indent: number;
  /** Offset of the first key or `-`. */
  start: number;
  /** Map: the resolved keys so far (the composer's duplicate-key test compares these). */
  keys: unknown[];
  tail: number;
  /** OPEN: the entry whose value is still to come, where an empty value would be, whether a comment followed, and where the lines taken end. */
  entry: PEntry | null;
  openPos: number;
  openComment: boolean;
  openEnd: number;
  /** Where the last item's value ends, with what yaml counts into it (range[2]). */
  lastEnd: number;
  /** FLOW: comment lines indented deeper than the collection still join the value's end. */
  attach: boolean;
  /** The comment lines after the last item that did not join it: the deepest one's indent (-1: none), and their end. */
  trailIndent: number;
  trailEnd: number;
  /** The anchor on the collection (filled in when it closes), the key's anchor waiting for a nested block (OPEN). */
  slot: Slot | null;
  openSlot: Slot | null;
  /** `count` before the collection was counted, and the deepest alias nesting in it. */
  countStart: number;
  depth: number;
  /** The entries of the `<<` merge sources, in order, first of each key only (null: no `<<`). */
  merged: PEntry[] | null;
}

/** An anchored node, as parseDirect keeps it: null while it is still being read. */
interface Slot {
  node: PNode | null;
  /** The composer path's convert() calls for it (the alias-bomb budget). */
  count: number;
  /** Alias hops nested in it. */
  depth: number;
}

const C_SPACE = 0x20;
const C_HASH = 0x23;
const C_COLON = 0x3a;
const C_DASH = 0x2d;
const C_DQUOTE = 0x22;
const C_SQUOTE = 0x27;
const C_LBRACKET = 0x5b;
const C_RBRACKET = 0x5d;
const C_COMMA = 0x2c;
const C_NL = 0x0a;

/** `,[]{}` */
function isFlowIndicator(c: number): boolean {
  return c === C_COMMA || c === C_LBRACKET || c === C_RBRACKET || c === 0x7b || c === 0x7d;
}

/** First characters the scanner does not read as the start of a plain scalar (indicators, reserved, errors). */
function badPlainStart(c: number): boolean {
  switch (c) {
    case 0x21: // ! tag
    case 0x26: // & anchor
    case 0x2a: // * alias
    case C_HASH:
    case 0x7b: // {
    case 0x7d: // }
    case C_LBRACKET:
    case C_RBRACKET:
    case C_COMMA:
    case 0x25: // %
    case 0x40: // @
    case 0x60: // `
    case 0x7c: // |
    case 0x3e: // >
    case C_DQUOTE:
    case C_SQUOTE:
    case 0x3f: // ?
    case C_COLON:
      return true;
    default:
      return false;
  }
}

/** The text of a double-quoted escape with a fixed text (resolve-flow-scalar.js), by the escaped character's code; undefined for the others. */
function dqEscape(c: number): string | undefined {
  switch (c) {
    case 0x30: // 0
      return '\0';
    case 0x61: // a
      return '\x07';
    case 0x62: // b
      return '\b';
    case 0x65: // e
      return '\x1b';
    case 0x66: // f
      return '\f';
    case 0x6e: // n
      return '\n';
    case 0x72: // r
      return '\r';
    case 0x74: // t
      return '\t';
    case 0x76: // v
      return '\v';
    case 0x4e: // N
      return '\u0085';
    case 0x5f: // _
      return '\u00a0';
    case 0x4c: // L
      return '\u2028';
    case 0x50: // P
      return '\u2029';
    case 0x20:
      return ' ';
    case 0x22:
      return '"';
    case 0x2f:
      return '/';
    case 0x5c:
      return '\\';
    default:
      return undefined;
  }
}

/** The characters of the anchor and alias names read here (yaml's take every character but spaces and `,[]{}`). */
function isNameChar(c: number): boolean {
  return (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || (c >= 0x30 && c <= 0x39) || c === 0x5f || c === C_DASH || c === 0x2e;
}

function isHex(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66);
}

/** The YamlFile of `text` if it is in the scanner's subset (the composer's answer, exactly), else null. */
export function scanYaml(file: string, text: string): YamlFile | null {
  if (!DIRECT_OK) return null;
  const len = text.length;
  // A tab is read only inside a comment (checked once the comments are known).
  const firstTab = text.indexOf('\t');
  if (text.indexOf('\r') >= 0 || text.indexOf('\uFEFF') >= 0) return null;
  const lc = new LineCounter();
  const starts = lc.lineStarts;
  starts.push(0);
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  const rangeOf = rangeMaker(text, lc);
  const r: [number, number, number] = [0, 0, 0];
  const range = (a: number, b: number) => {
    r[0] = a;
    r[1] = b;
    r[2] = b;
    return rangeOf(r);
  };
  const hashes: number[] = [];
  const stack: Frame[] = [];
  let root: PNode | null = null;
  let docStart = false;

  // The scalar token read last by scalarAt: its end, the `:` after it that makes it a key (-1: none),
  // its value and style.
  let tokEnd = 0;
  let tokColon = -1;
  let tokValue: PScalar['value'] = null;
  let tokStyle: PScalar['style'] = 'plain';

  // Anchors by name: the last one before an alias is its target, as in the composer path. `count` is
  // the composer path's convert() calls so far (its alias-bomb budget), as parseDirect counts them;
  // `valueDepth` the alias nesting of the value read last (0, or its target's + 1 for an alias).
  const anchors = new Map<string, Slot>();
  let count = 0;
  let valueDepth = 0;

  /** The end of the anchor or alias name after the `&` or `*` at `p`. */
  const nameEnd = (p: number, le: number): number => {
    let j = p + 1;
    while (j < le && isNameChar(text.charCodeAt(j))) j++;
    if (j === p + 1) bail();
    return j;
  };

  /** The anchor `&name` at `p`, followed by a space or the line's end: its new slot; sets tokEnd. */
  const anchorAt = (p: number, le: number): Slot => {
    const j = nameEnd(p, le);
    if (j < le && text.charCodeAt(j) !== C_SPACE) bail();
    const slot: Slot = { node: null, count: 0, depth: 0 };
    anchors.set(text.slice(p + 1, j), slot);
    tokEnd = j;
    return slot;
  };

  /** The alias `*name` at `p`: a copy of its target (the composer path converts it again); sets tokEnd and valueDepth. */
  const aliasAt = (p: number, le: number, inFlow: boolean): PNode => {
    const j = nameEnd(p, le);
    if (j < le) {
      const d = text.charCodeAt(j);
      if (d !== C_SPACE && !(inFlow && (d === C_COMMA || d === C_RBRACKET))) bail();
    }
    const slot = anchors.get(text.slice(p + 1, j));
    // An alias before any anchor of its name (a null in the composer path), one inside its own
    // anchor (endless), or expansions near the composer path's bounds are left to yaml.
    if (slot === undefined || slot.node === null || slot.depth >= 16) bail();
    count += 1 + slot.count;
    if (count > MAX_EXPANDED_NODES / 2) bail();
    valueDepth = slot.depth + 1;
    tokEnd = j;
    return copyNode(slot.node);
  };

  /** A quoted scalar at `p` on the line ending at `le`, closed on that line: sets tokEnd, tokValue, tokStyle. */
  const quoted = (p: number, le: number): void => {
    const q = text.charCodeAt(p);
    let j = p + 1;
    if (q === C_SQUOTE) {
      let doubled = false;
      for (;;) {
        if (j >= le) bail();
        if (text.charCodeAt(j) === C_SQUOTE) {
          if (text.charCodeAt(j + 1) === C_SQUOTE) {
            doubled = true;
            j += 2;
            continue;
          }
          break;
        }
        j++;
      }
      const inner = text.slice(p + 1, j);
      tokValue = doubled ? inner.replace(/''/g, "'") : inner;
      tokStyle = 'single';
    } else {
      let out = '';
      let from = j;
      for (;;) {
        if (j >= le) bail();
        const c = text.charCodeAt(j);
        if (c === C_DQUOTE) break;
        if (c === 0x5c) {
          out += text.slice(from, j);
          const e = text.charCodeAt(j + 1);
          if (j + 1 >= le) bail();
          const fixed = dqEscape(e);
          if (fixed !== undefined) {
            out += fixed;
            j += 2;
          } else if (e === 0x78 || e === 0x75 || e === 0x55) {
            const n = e === 0x78 ? 2 : e === 0x75 ? 4 : 8;
            if (j + 2 + n > le) bail();
            for (let k = j + 2; k < j + 2 + n; k++) if (!isHex(text.charCodeAt(k))) bail();
            const code = Number.parseInt(text.slice(j + 2, j + 2 + n), 16);
            if (code > 0x10ffff) bail();
            out += String.fromCodePoint(code);
            j += 2 + n;
          } else bail();
          from = j;
          continue;
        }
        j++;
      }
      tokValue = from === p + 1 ? text.slice(from, j) : out + text.slice(from, j);
      tokStyle = 'double';
    }
    tokEnd = j + 1;
  };

  /**
   * The plain or quoted scalar at `p` (block context) on the line ending at `le`: sets tokEnd,
   * tokValue (the source, for plain scalars), tokStyle, and tokColon when a `: ` (or a `:` ending the
   * line) follows it, which makes it a key.
   */
  const scalarAt = (p: number, le: number): void => {
    const c = text.charCodeAt(p);
    tokColon = -1;
    if (c === C_DQUOTE || c === C_SQUOTE) {
      quoted(p, le);
      let j = tokEnd;
      while (j < le && text.charCodeAt(j) === C_SPACE) j++;
      if (j < le && text.charCodeAt(j) === C_COLON && (j + 1 >= le || text.charCodeAt(j + 1) === C_SPACE)) tokColon = j;
      return;
    }
    if (badPlainStart(c)) bail();
    if (c === C_DASH && (p + 1 >= le || text.charCodeAt(p + 1) === C_SPACE)) bail();
    let end = p + 1;
    for (let j = p + 1; j < le; j++) {
      const ch = text.charCodeAt(j);
      if (ch === C_COLON) {
        if (j + 1 >= le || text.charCodeAt(j + 1) === C_SPACE) {
          tokColon = j;
          break;
        }
        end = j + 1;
      } else if (ch === C_SPACE) {
        if (text.charCodeAt(j + 1) === C_HASH) break;
      } else end = j + 1;
    }
    // A plain scalar's first character cannot end it (`:` was refused above).
    tokEnd = end;
    tokValue = text.slice(p, end);
    tokStyle = 'plain';
  };

  /** Whether the quoted scalar at `p` is not a key (no `: ` after it on its line); reads it (tok*). */
  const quotedNotKey = (p: number, le: number): boolean => {
    scalarAt(p, le);
    return tokColon < 0;
  };

  const scalarNode = (p: number): PScalar => {
    count++;
    let value = tokValue;
    if (tokStyle === 'plain') {
      const v = corePlain(value as string);
      if (v === NOT_CORE) bail();
      value = v;
    }
    return keepSource({ kind: 'scalar', value, style: tokStyle, prov: { file, range: range(p, tokEnd) } }, text, p, tokEnd);
  };

  /** Where the line holding the `]` read last by flowSeq ends. */
  let flowLe = 0;

  /**
   * A flow sequence of scalars and aliases, `[` at `p` on the line ending at `le`, in a collection at
   * `indent`: sets tokEnd after `]`, flowLe, and valueDepth. It may span lines: a line break after `[`,
   * after a `,`, or after an item before the `]`; lines between blank or comment lines (at any
   * indent); the items' lines indented deeper than the collection, the `]`'s at least as deep (yaml's
   * lexer ends the flow sequence with an error otherwise).
   */
  const flowSeq = (p: number, le: number, indent: number): PSeq => {
    const items: PNode[] = [];
    count++;
    let depth = 0;
    let j = p + 1;
    /** At the end of line `le`: the first content of the next lines that are neither blank nor comments. */
    const nextLine = (): number => {
      for (;;) {
        if (le >= len) bail();
        const ls = le + 1;
        const nl = text.indexOf('\n', ls);
        le = nl < 0 ? len : nl;
        let q = ls;
        while (q < le && text.charCodeAt(q) === C_SPACE) q++;
        if (q === le) continue;
        if (text.charCodeAt(q) === C_HASH) {
          hashes.push(q);
          continue;
        }
        const n = q - ls;
        if (n < indent || (n === indent && text.charCodeAt(q) !== C_RBRACKET)) bail();
        return q;
      }
    };
    while (j < le && text.charCodeAt(j) === C_SPACE) j++;
    if (j >= le) j = nextLine();
    if (text.charCodeAt(j) === C_RBRACKET) j++;
    else
      for (;;) {
        if (j >= le) bail();
        let c = text.charCodeAt(j);
        let slot: Slot | null = null;
        if (c === 0x26) {
          slot = anchorAt(j, le);
          j = tokEnd;
          while (j < le && text.charCodeAt(j) === C_SPACE) j++;
          if (j === tokEnd || j >= le) bail();
          c = text.charCodeAt(j);
        }
        if (c === 0x2a) {
          if (slot !== null) bail();
          items.push(aliasAt(j, le, true));
          if (valueDepth > depth) depth = valueDepth;
          j = tokEnd;
        } else if (c === C_DQUOTE || c === C_SQUOTE) {
          quoted(j, le);
          items.push(scalarNode(j));
          j = tokEnd;
        } else {
          if (badPlainStart(c)) bail();
          if (c === C_DASH) {
            const d = text.charCodeAt(j + 1);
            if (j + 1 >= le || d === C_SPACE || isFlowIndicator(d)) bail();
          }
          let end = j + 1;
          let k = j + 1;
          for (; ; k++) {
            // A plain item ending its line ends there if a `]` follows (below), else it would go on.
            if (k >= le) break;
            const ch = text.charCodeAt(k);
            if (isFlowIndicator(ch)) break;
            if (ch === C_COLON) {
              const d = text.charCodeAt(k + 1);
              if (k + 1 >= le || d === C_SPACE || isFlowIndicator(d)) bail();
              end = k + 1;
            } else if (ch === C_SPACE) {
              if (text.charCodeAt(k + 1) === C_HASH) bail();
            } else end = k + 1;
          }
          tokValue = text.slice(j, end);
          tokStyle = 'plain';
          tokEnd = end;
          items.push(scalarNode(j));
          j = k;
        }
        if (slot !== null) {
          slot.node = items[items.length - 1];
          slot.count = 1;
        }
        while (j < le && text.charCodeAt(j) === C_SPACE) j++;
        if (j >= le) {
          // An item ending its line: only a `]` may follow.
          j = nextLine();
          if (text.charCodeAt(j) !== C_RBRACKET) bail();
        }
        const d = text.charCodeAt(j);
        if (d === C_COMMA) {
          j++;
          while (j < le && text.charCodeAt(j) === C_SPACE) j++;
          if (j >= le) j = nextLine();
          if (text.charCodeAt(j) === C_RBRACKET) {
            j++;
            break;
          }
          continue;
        }
        if (d === C_RBRACKET) {
          j++;
          break;
        }
        bail();
      }
    tokEnd = j;
    flowLe = le;
    valueDepth = depth;
    return { kind: 'seq', items, prov: { file, range: range(p, j) } };
  };

  /** The offset of the `"` closing the double-quoted scalar at `p` (a `\\` escapes the character after it). */
  const dqClose = (p: number): number => {
    let j = p + 1;
    for (;;) {
      if (j >= len) bail();
      const c = text.charCodeAt(j);
      if (c === C_DQUOTE) return j;
      j += c === 0x5c ? 2 : 1;
    }
  };

  /**
   * A double-quoted scalar at `p` over several lines, a value in frame `t`: its lines after the
   * first indented deeper than the collection (or blank), as yaml's lexer keeps it whole; folded and
   * unescaped by yaml itself. Sets tokEnd after the closing `"`.
   */
  const dqOverLines = (t: Frame, p: number): PScalar => {
    const close = dqClose(p);
    for (let nl = text.indexOf('\n', p); nl >= 0 && nl < close; nl = text.indexOf('\n', nl + 1)) {
      let q = nl + 1;
      while (text.charCodeAt(q) === C_SPACE) q++;
      if (q - nl - 1 <= t.indent && text.charCodeAt(q) !== C_NL) bail();
    }
    const token: CST.FlowScalar = { type: 'double-quoted-scalar', offset: p, indent: t.indent, source: text.slice(p, close + 1) };
    let failed = false;
    const res = CST.resolveAsScalar(token, false, () => {
      failed = true;
    });
    if (failed || res === null || typeof res.value !== 'string' || res.type !== 'QUOTE_DOUBLE') bail();
    count++;
    tokEnd = close + 1;
    return keepSource({ kind: 'scalar', value: res.value, style: 'double', prov: { file, range: range(p, tokEnd) } }, text, p, tokEnd);
  };

  /**
   * A block scalar whose header is at `p` in frame `t`, on the line ending at `le`: the lines yaml's
   * lexer gives it (Lexer.parseBlockScalar), resolved by yaml itself. Sets tokEnd to where the lines
   * after it start.
   */
  const blockScalar = (t: Frame, p: number, le: number): PScalar => {
    let j = p + 1;
    const chomp = text.charCodeAt(j);
    if (chomp === C_DASH || chomp === 0x2b) j++;
    if (j < le && text.charCodeAt(j) !== C_SPACE) bail();
    const props: CST.SourceToken[] = [{ type: 'block-scalar-header', offset: p, indent: t.indent, source: text.slice(p, j) }];
    let k = j;
    while (k < le && text.charCodeAt(k) === C_SPACE) k++;
    if (k > j) props.push({ type: 'space', offset: j, indent: t.indent, source: text.slice(j, k) });
    if (k < le) {
      if (text.charCodeAt(k) !== C_HASH) bail();
      hashes.push(k);
      props.push({ type: 'comment', offset: k, indent: t.indent, source: text.slice(k, le) });
    }
    if (le < len) props.push({ type: 'newline', offset: le, indent: t.indent, source: '\n' });
    const pos = le < len ? le + 1 : len;
    // Lexer.parseBlockScalar, with no indentation indicator, no tabs and no carriage returns.
    let indentNext = t.indent + 1;
    let nl = pos - 1;
    let indent = 0;
    for (let i = pos; i < len; i++) {
      const ch = text.charCodeAt(i);
      if (ch === C_SPACE) indent++;
      else if (ch === C_NL) {
        nl = i;
        indent = 0;
      } else break;
    }
    if (indent >= indentNext) {
      indentNext = indent;
      do {
        // Lexer.continueScalar
        const offset = nl + 1;
        let n = 0;
        while (text.charCodeAt(offset + n) === C_SPACE) n++;
        const ch = text.charCodeAt(offset + n);
        if (!(ch === C_NL || n >= indentNext)) break;
        nl = text.indexOf('\n', offset + n);
      } while (nl !== -1);
      if (nl === -1) nl = len;
    }
    if (chomp !== 0x2b) {
      for (;;) {
        let i = nl - 1;
        let ch = text.charCodeAt(i);
        const lastChar = i;
        while (ch === C_SPACE) ch = text.charCodeAt(--i);
        if (ch === C_NL && i >= pos && i + 1 + indent > lastChar) nl = i;
        else break;
      }
    }
    const source = text.slice(pos, nl + 1);
    const token: CST.BlockScalar = { type: 'block-scalar', offset: p, indent: t.indent, props, source };
    let failed = false;
    const res = CST.resolveAsScalar(token, false, () => {
      failed = true;
    });
    if (failed || res === null || typeof res.value !== 'string' || (res.type !== 'BLOCK_LITERAL' && res.type !== 'BLOCK_FOLDED')) bail();
    tokEnd = res.range[2];
    count++;
    const node: PScalar = { kind: 'scalar', value: res.value, style: styleOf(res.type), prov: { file, range: range(res.range[0], res.range[1]) } };
    return keepSource(node, text, res.range[0], res.range[1]);
  };

  /**
   * The value starting at `p` on a line of frame `t` (after `key: ` or `- `), up to the end of the
   * line, its anchor's `slot` (the anchor before `p`) filled in; returns the node and leaves `t` after
   * it. A block scalar also takes the lines after it: `resume` is then the offset where the lines left
   * to read start.
   */
  let resume = -1;
  const value = (t: Frame, p: number, le: number, next: number, slot: Slot | null): PNode => {
    const c = text.charCodeAt(p);
    const before = count;
    valueDepth = 0;
    let node: PNode;
    if (c === 0x7c || c === 0x3e) {
      node = blockScalar(t, p, le);
      if (slot !== null) {
        slot.node = node;
        slot.count = 1;
      }
      resume = tokEnd;
      t.tail = OTHER;
      t.lastEnd = tokEnd;
      t.attach = false;
      t.trailIndent = -1;
      return node;
    }
    if (c === 0x2a) {
      // An anchor on an alias is left to yaml.
      if (slot !== null) bail();
      node = aliasAt(p, le, false);
    } else if (c === C_LBRACKET) {
      node = flowSeq(p, le, t.indent);
      if (flowLe !== le) {
        // A flow sequence over several lines: the rest of the line of its `]` is read here.
        le = flowLe;
        next = le < len ? le + 1 : len;
        resume = next;
      }
    } else if (c === 0x7b) {
      // `{}`: the only flow mapping read here.
      let j = p + 1;
      while (j < le && text.charCodeAt(j) === C_SPACE) j++;
      if (j >= le || text.charCodeAt(j) !== 0x7d) bail();
      tokEnd = j + 1;
      count++;
      node = { kind: 'map', entries: [], prov: { file, range: range(p, tokEnd) } };
    } else if (c === C_DQUOTE && dqClose(p) > le) {
      node = dqOverLines(t, p);
      le = text.indexOf('\n', tokEnd);
      if (le < 0) le = len;
      next = le < len ? le + 1 : len;
      resume = next;
    } else {
      scalarAt(p, le);
      if (tokColon >= 0) bail(); // a mapping on the line of a key, or a compact mapping where not read
      node = scalarNode(p);
    }
    let j = tokEnd;
    while (j < le && text.charCodeAt(j) === C_SPACE) j++;
    if (j < le) {
      if (j === tokEnd || text.charCodeAt(j) !== C_HASH) bail();
      hashes.push(j);
    }
    if (slot !== null) {
      slot.node = node;
      slot.count = count - before;
      slot.depth = valueDepth;
    }
    if (valueDepth > t.depth) t.depth = valueDepth;
    t.tail = FLOW;
    t.lastEnd = next;
    t.attach = true;
    t.trailIndent = -1;
    return node;
  };

  const newFrame = (isMap: boolean, indent: number, start: number): Frame => {
    count++;
    const f: Frame = {
      map: isMap ? { kind: 'map', entries: [], prov: { file, range: { line: 0, column: 0, endLine: 0, endColumn: 0 } } } : null,
      seq: isMap ? null : { kind: 'seq', items: [], prov: { file, range: { line: 0, column: 0, endLine: 0, endColumn: 0 } } },
      indent,
      start,
      keys: [],
      tail: OTHER,
      entry: null,
      openPos: 0,
      openComment: false,
      openEnd: 0,
      lastEnd: start,
      attach: false,
      trailIndent: -1,
      trailEnd: 0,
      slot: null,
      openSlot: null,
      countStart: count - 1,
      depth: 0,
      merged: null,
    };
    stack.push(f);
    return f;
  };

  /** A `key: ...` line of map frame `m`, the key at `p` (scalarAt already read it). */
  const keyLine = (m: Frame, p: number, le: number, next: number): void => {
    const map = m.map;
    if (map === null) bail();
    const colon = tokColon;
    let key: unknown = tokValue;
    const merge = tokStyle === 'plain' && tokValue === '<<';
    if (tokStyle === 'plain') {
      key = corePlain(tokValue as string);
      if (key === NOT_CORE) bail();
    }
    const keys = m.keys;
    for (let i = 0; i < keys.length; i++) if (keys[i] === key) bail();
    keys.push(key);
    const keyEnd = tokEnd;
    m.trailIndent = -1;
    let j = colon + 1;
    while (j < le && text.charCodeAt(j) === C_SPACE) j++;
    if (merge) {
      // A merge key, `<<: *a` or `<<: [*a, *b]`, as the composer path's convert() reads it: the
      // entries of the maps merged in, the first of each key, go after the map's own (pop()).
      const c = j < le ? text.charCodeAt(j) : -1;
      if (c !== 0x2a && c !== C_LBRACKET) bail();
      const v = value(m, j, le, next, null);
      const sources = v.kind === 'seq' ? v.items : [v];
      m.merged ??= [];
      const merged = m.merged;
      for (const src of sources) {
        // Sources that are not maps (the composer path skips them) are left to yaml.
        if (src.kind !== 'map') bail();
        const es = src.entries;
        for (let i = 0; i < es.length; i++) {
          const e = es[i];
          let found = false;
          for (let x = 0; x < merged.length; x++)
            if (merged[x].key === e.key) {
              found = true;
              break;
            }
          if (!found) merged.push(e);
        }
      }
      return;
    }
    const entry: PEntry = { key: String(key), keyProv: { file, range: range(p, keyEnd) }, value: null as unknown as PNode };
    map.entries.push(entry);
    let slot: Slot | null = null;
    if (j < le && text.charCodeAt(j) === 0x26) {
      slot = anchorAt(j, le);
      j = tokEnd;
      while (j < le && text.charCodeAt(j) === C_SPACE) j++;
    }
    if (j >= le || text.charCodeAt(j) === C_HASH) {
      m.tail = OPEN;
      m.openSlot = slot;
      m.entry = entry;
      m.openPos = j;
      m.openComment = j < le;
      if (j < le) hashes.push(j);
      m.openEnd = next;
      return;
    }
    entry.value = value(m, j, le, next, slot);
  };

  /** A `- ...` line of sequence frame `s`, the `-` at `p`. */
  const seqLine = (s: Frame, p: number, le: number, next: number, lineStart: number): void => {
    const seq = s.seq;
    if (seq === null) bail();
    s.trailIndent = -1;
    let q = p + 1;
    while (q < le && text.charCodeAt(q) === C_SPACE) q++;
    if (q >= le) bail(); // `-` alone: an empty item or one on the next lines
    const c = text.charCodeAt(q);
    if (c === C_HASH) bail();
    if (c === 0x26) {
      // `- &a value`; `- &a key: value` anchors the key, and is left to yaml (value() refuses a key).
      const slot = anchorAt(q, le);
      q = tokEnd;
      while (q < le && text.charCodeAt(q) === C_SPACE) q++;
      if (q >= le) bail();
      seq.items.push(value(s, q, le, next, slot));
      return;
    }
    if (c !== 0x7c && c !== 0x3e && c !== C_LBRACKET && c !== 0x7b && c !== 0x2a && !(c === C_DQUOTE && dqClose(q) > le)) {
      scalarAt(q, le);
      if (tokColon >= 0) {
        // A compact mapping: its column is its indent.
        const m = newFrame(true, q - lineStart, q);
        seq.items.push(m.map as PMap);
        s.tail = NESTED;
        keyLine(m, q, le, next);
        return;
      }
    }
    seq.items.push(value(s, q, le, next, null));
  };

  /** Closes the key of `t` left without a value: an empty scalar where yaml puts it. */
  const closeOpen = (t: Frame): void => {
    // An anchor on an empty value is left to yaml.
    if (t.openSlot !== null) bail();
    count++;
    const pos = t.openPos;
    (t.entry as PEntry).value = { kind: 'scalar', value: null, style: 'plain', prov: { file, range: range(pos, pos) } };
    t.entry = null;
    t.lastEnd = t.openComment ? t.openEnd : pos;
    t.tail = OTHER;
    t.attach = false;
  };

  /** Closes the innermost collection, as Parser.pop does: its range, and where its trailing comment lines go. */
  const pop = (): void => {
    const f = stack.pop() as Frame;
    const node = (f.map ?? f.seq) as PMap | PSeq;
    if (f.merged !== null) {
      const entries = (f.map as PMap).entries;
      const own = entries.length;
      for (const m of f.merged) {
        let found = false;
        for (let x = 0; x < own; x++)
          if (entries[x].key === m.key) {
            found = true;
            break;
          }
        if (!found) entries.push(m);
      }
    }
    node.prov.range = range(f.start, f.lastEnd);
    if (f.slot !== null) {
      f.slot.node = node;
      f.slot.count = count - f.countStart;
      f.slot.depth = f.depth;
    }
    const stays = f.indent > 0 && f.trailIndent >= f.indent;
    const end = stays ? f.trailEnd : f.lastEnd;
    const parent = stack[stack.length - 1];
    if (parent === undefined) {
      root = node;
      return;
    }
    if (f.depth > parent.depth) parent.depth = f.depth;
    parent.tail = OTHER;
    parent.attach = false;
    parent.lastEnd = end;
    if (!stays && f.trailIndent >= 0) {
      parent.trailIndent = f.trailIndent;
      parent.trailEnd = f.trailEnd;
    } else parent.trailIndent = -1;
  };

  try {
    const lines = starts.length;
    for (let k = 0; k < lines; k++) {
      const ls = starts[k];
      const next = k + 1 < lines ? starts[k + 1] : len;
      const le = k + 1 < lines ? next - 1 : len;
      let i = ls;
      while (i < le && text.charCodeAt(i) === C_SPACE) i++;
      if (i === le) continue; // a blank line: what yaml counts into an end is trimmed off the ranges
      const n = i - ls;
      const c = text.charCodeAt(i);
      const t = stack[stack.length - 1];
      if (c === C_HASH) {
        hashes.push(i);
        if (t === undefined) continue;
        if (t.tail === OPEN) {
          t.openComment = true;
          t.openEnd = next;
        } else if (t.tail === FLOW && t.attach && n > t.indent) t.lastEnd = next;
        else {
          t.attach = false;
          if (n > t.trailIndent) t.trailIndent = n;
          t.trailEnd = next;
        }
        continue;
      }
      if (n === 0 && (c === C_DASH || c === 0x2e) && text.startsWith(c === C_DASH ? '---' : '...', i)) {
        // A `---` line (perhaps with a comment) before the content starts the one document; any other marker is left to yaml.
        if (c !== C_DASH || t !== undefined || root !== null || docStart) bail();
        let j = i + 3;
        while (j < le && text.charCodeAt(j) === C_SPACE) j++;
        if (j === i + 3 && j < le) bail();
        if (j < le) {
          if (text.charCodeAt(j) !== C_HASH) bail();
          hashes.push(j);
        }
        docStart = true;
        continue;
      }
      const isSeq = c === C_DASH && (i + 1 >= le || text.charCodeAt(i + 1) === C_SPACE);
      resume = -1;
      if (t === undefined) {
        if (root !== null || n !== 0) bail();
        if (isSeq) seqLine(newFrame(false, 0, i), i, le, next, ls);
        else {
          scalarAt(i, le);
          if (tokColon < 0) bail();
          keyLine(newFrame(true, 0, i), i, le, next);
        }
      } else {
        let top = t;
        let nested = false;
        let done = false;
        if (top.tail === OPEN) {
          if (
            n > top.indent &&
            !top.openComment &&
            (c === C_LBRACKET ||
              (c === C_DQUOTE && dqClose(i) > le) ||
              ((c === C_DQUOTE || c === C_SQUOTE) && quotedNotKey(i, le)))
          ) {
            // A flow sequence or a quoted scalar (perhaps over lines) alone on the line after its key,
            // no comment between (a plain one may go on over the lines after it).
            const slot = top.openSlot;
            top.openSlot = null;
            const entry = top.entry as PEntry;
            top.entry = null;
            entry.value = value(top, i, le, next, slot);
            done = true;
          } else if (n > top.indent || (n === top.indent && isSeq)) {
            const f = newFrame(!isSeq, n, i);
            f.slot = top.openSlot;
            top.openSlot = null;
            (top.entry as PEntry).value = (f.map ?? f.seq) as PNode;
            top.entry = null;
            top.tail = NESTED;
            top = f;
            nested = true;
          } else closeOpen(top);
        }
        if (done) {
          // read above
        } else if (!nested) {
          while (n < top.indent || (n === top.indent && top.seq !== null && !isSeq)) {
            pop();
            top = stack[stack.length - 1];
            if (top === undefined) bail();
          }
          if (n !== top.indent) bail();
        }
        if (done) {
          // read above
        } else if (top.seq !== null) {
          if (!isSeq) bail();
          seqLine(top, i, le, next, ls);
        } else {
          if (isSeq) bail();
          scalarAt(i, le);
          if (tokColon < 0) bail();
          keyLine(top, i, le, next);
        }
      }
      if (resume >= 0) {
        // A block scalar took the lines before `resume`.
        while (k + 1 < lines && starts[k + 1] < resume) k++;
      }
    }
    const t = stack[stack.length - 1];
    // `---` and nothing after it: yaml's root is an empty scalar there, not null.
    if (t === undefined && docStart) bail();
    if (t !== undefined && t.tail === OPEN) closeOpen(t);
    while (stack.length > 0) pop();
    // The composer path's convert() calls, aliases or not, as parseDirect bounds them.
    if (count > MAX_EXPANDED_NODES / 2) bail();
    // Every tab must be in a comment: after a `#` read as one on its line (the offsets are sorted).
    for (let tab = firstTab, h = 0; tab >= 0; tab = text.indexOf('\t', tab + 1)) {
      while (h + 1 < hashes.length && hashes[h + 1] < tab) h++;
      if (h >= hashes.length || hashes[h] > tab || text.lastIndexOf('\n', tab) > hashes[h]) bail();
    }
  } catch (e) {
    if (e === BAIL) return null;
    throw e;
  }
  return { root, errors: [], comments: commentsAt(text, lc, hashes) };
}
