/**
 * Where the characters of a scalar's value are in its file. A plain or quoted scalar on one line
 * without escapes is its value, one character for one; otherwise (block scalars, scalars over
 * several lines, escapes) the readers keep the scalar's source text (`PScalar.src`) and this module
 * reads it again the way yaml resolves it (resolve-block-scalar.js, resolve-flow-scalar.js), noting
 * for each character of the value the offset in the source it comes from. A value that does not come
 * out the same (yaml changed, or the value was replaced after parsing) gives null: no positions.
 */
import type { PScalar } from './yaml.js';

/**
 * The source text a reader keeps for a scalar found at offsets [start, end) of `text`, when its value
 * is not laid out one character for one on one line; undefined otherwise (and for values that are not
 * strings: nothing is located inside them).
 */
export function scalarSource(text: string, start: number, end: number, style: PScalar['style'], value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  if (style === 'literal' || style === 'folded') return text.slice(start, end);
  const nl = text.indexOf('\n', start);
  if (nl >= 0 && nl < end) return text.slice(start, end);
  if (style !== 'plain' && end - start !== value.length + 2) return text.slice(start, end);
  return undefined;
}

/**
 * Offsets in `src` of the characters of `value` (one per character, plus one for its end: just after
 * the last source character read); a line break or space that folding makes of a line end is placed
 * just after the text before it. Null when reading `src` does not give `value`.
 */
export function valueOffsets(src: string, style: PScalar['style'], value: string): number[] | null {
  const out = new Reader();
  if (style === 'literal' || style === 'folded') block(src, style === 'folded', value, out);
  else if (style === 'double') doubleQuoted(src, out);
  else if (style === 'single') singleQuoted(src, out);
  else unfold(src, 0, src.length, out);
  if (out.text !== value) return null;
  out.at.push(out.after);
  return out.at;
}

/** The value being rebuilt and where each of its characters comes from. */
class Reader {
  text = '';
  at: number[] = [];
  /** Just after the last source character read. */
  after = 0;
  /** A character read from the source at `offset`. */
  char(ch: string, offset: number, width = 1): void {
    this.text += ch;
    for (let k = 0; k < ch.length; k++) this.at.push(offset);
    this.after = offset + width;
  }
  /** Characters read from src[from, to). */
  span(src: string, from: number, to: number): void {
    for (let i = from; i < to; i++) this.char(src[i], i);
  }
  /** Characters made of line ends (folds, separators): placed after the text read before them. */
  made(s: string): void {
    this.text += s;
    for (let k = 0; k < s.length; k++) this.at.push(this.after);
  }
}

interface Line {
  /** Offset of the line's first character and of its first non-space; end before `\r\n` or `\n`. */
  start: number;
  content: number;
  end: number;
  /** The line has a `\r` before its `\n` (yaml keeps it in the line's content). */
  cr: boolean;
}

/** resolve-block-scalar.js over `src` (the header line, then the lines yaml gives the scalar). */
function block(src: string, folded: boolean, value: string, out: Reader): void {
  const nl = src.indexOf('\n');
  if (nl < 0) return;
  const header = src
    .slice(0, nl)
    .replace(/\s+#.*$/, '')
    .trimEnd();
  const chomp = header.includes('-') ? '-' : header.includes('+') ? '+' : '';
  const lines: Line[] = [];
  for (let p = nl + 1; ; ) {
    const e = src.indexOf('\n', p);
    const end = e < 0 ? src.length : e;
    let q = p;
    while (q < end && src.charCodeAt(q) === 0x20) q++;
    const cr = end > q && src.charCodeAt(end - 1) === 0x0d;
    lines.push({ start: p, content: q, end: cr ? end - 1 : end, cr });
    if (e < 0) break;
    p = e + 1;
  }
  const empty = (l: Line) => l.content === l.end;
  const indent = (l: Line) => l.content - l.start;
  let chompStart = lines.length;
  for (let i = lines.length - 1; i >= 0 && empty(lines[i]); i--) chompStart = i;
  if (chompStart === 0) return;
  let contentStart = 0;
  while (contentStart < chompStart && empty(lines[contentStart])) contentStart++;
  // The indentation removed: the first text line's, less the spaces it keeps in the value (an
  // explicit indentation indicator counts from the parent's indentation, which src does not show).
  const valueLine = value.split('\n')[contentStart] ?? '';
  const trim = indent(lines[contentStart]) - (valueLine.length - valueLine.trimStart().length);
  if (trim < 0) return;
  for (let i = lines.length - 1; i >= chompStart; i--) if (indent(lines[i]) > trim) chompStart = i + 1;
  for (let i = 0; i < contentStart; i++) {
    out.span(src, lines[i].start + Math.min(trim, indent(lines[i])), lines[i].content);
    out.made('\n');
  }
  let sep = '';
  let prevMoreIndented = false;
  const text = (l: Line) => {
    out.made(sep);
    out.span(src, l.start + Math.min(trim, indent(l)), l.end);
  };
  for (let i = contentStart; i < chompStart; i++) {
    const l = lines[i];
    if (!folded) {
      text(l);
      sep = '\n';
    } else if (indent(l) > trim || src[l.content] === '\t') {
      if (sep === ' ') sep = '\n';
      else if (!prevMoreIndented && sep === '\n') sep = '\n\n';
      text(l);
      sep = '\n';
      prevMoreIndented = true;
    } else if (empty(l)) {
      if (sep === '\n') out.made('\n');
      else sep = '\n';
    } else {
      text(l);
      sep = ' ';
      prevMoreIndented = false;
    }
  }
  if (chomp === '+') {
    for (let i = chompStart; i < lines.length; i++) {
      out.made('\n');
      out.span(src, lines[i].start + Math.min(trim, indent(lines[i])), lines[i].content);
    }
    if (!out.text.endsWith('\n')) out.made('\n');
  } else if (chomp === '') out.made('\n');
}

/** unfoldLines of resolve-flow-scalar.js over src[from, to): plain scalars and single-quoted contents. */
function unfold(src: string, from: number, to: number, out: Reader): void {
  const isWhite = (i: number) => src[i] === ' ' || src[i] === '\t';
  let nl = src.indexOf('\n', from);
  if (nl < 0 || nl >= to) {
    out.span(src, from, to);
    return;
  }
  const lineEnd = (n: number) => (n > from && src[n - 1] === '\r' ? n - 1 : n);
  let e = lineEnd(nl);
  while (e > from && isWhite(e - 1)) e--;
  out.span(src, from, e);
  let sep = ' ';
  let p = nl + 1;
  for (nl = src.indexOf('\n', p); nl >= 0 && nl < to; nl = src.indexOf('\n', p)) {
    let s = p;
    let t = lineEnd(nl);
    while (s < t && isWhite(s)) s++;
    while (t > s && isWhite(t - 1)) t--;
    if (s === t) {
      if (sep === '\n') out.made(sep);
      else sep = '\n';
    } else {
      out.made(sep);
      out.span(src, s, t);
      sep = ' ';
    }
    p = nl + 1;
  }
  while (p < to && isWhite(p)) p++;
  out.made(sep);
  out.span(src, p, to);
}

function singleQuoted(src: string, out: Reader): void {
  const inner = new Reader();
  unfold(src, 1, src.length - 1, inner);
  for (let i = 0; i < inner.text.length; i++) {
    out.char(inner.text[i], inner.at[i], inner.text[i] === "'" && inner.text[i + 1] === "'" ? 2 : 1);
    if (inner.text[i] === "'" && inner.text[i + 1] === "'") i++;
  }
  out.after = src.length - 1;
}

const ESCAPES: Record<string, string> = {
  '0': '\0',
  a: '\x07',
  b: '\b',
  e: '\x1b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
  N: '\u0085',
  _: '\u00a0',
  L: '\u2028',
  P: '\u2029',
  ' ': ' ',
  '"': '"',
  '/': '/',
  '\\': '\\',
  '\t': '\t',
};

/** doubleQuotedValue of resolve-flow-scalar.js. */
function doubleQuoted(source: string, out: Reader): void {
  for (let i = 1; i < source.length - 1; ++i) {
    const ch = source[i];
    if (ch === '\r' && source[i + 1] === '\n') continue;
    if (ch === '\n') {
      let fold = '';
      let next = source[i + 1];
      while (next === ' ' || next === '\t' || next === '\n' || next === '\r') {
        if (next === '\r' && source[i + 2] !== '\n') break;
        if (next === '\n') fold += '\n';
        i += 1;
        next = source[i + 1];
      }
      out.made(fold || ' ');
    } else if (ch === '\\') {
      const at = i;
      let next = source[++i];
      const cc = ESCAPES[next];
      if (cc) out.char(cc, at, 2);
      else if (next === '\n' || (next === '\r' && source[i + 1] === '\n')) {
        if (next === '\r') i++;
        next = source[i + 1];
        while (next === ' ' || next === '\t') next = source[++i + 1];
      } else if (next === 'x' || next === 'u' || next === 'U') {
        const length = next === 'x' ? 2 : next === 'u' ? 4 : 8;
        const cc = source.substr(i + 1, length);
        const code = cc.length === length && /^[0-9a-fA-F]+$/.test(cc) ? Number.parseInt(cc, 16) : Number.NaN;
        let s: string;
        try {
          s = String.fromCodePoint(code);
        } catch {
          s = source.substr(i - 1, length + 2);
        }
        out.char(s, at, length + 2);
        i += length;
      } else out.char(source.substr(i - 1, 2), at, 2);
    } else if (ch === ' ' || ch === '\t') {
      const wsStart = i;
      let next = source[i + 1];
      while (next === ' ' || next === '\t') next = source[++i + 1];
      if (next !== '\n' && !(next === '\r' && source[i + 2] === '\n')) out.span(source, wsStart, i + 1);
    } else out.char(ch, i);
  }
  out.after = Math.max(out.after, source.length - 1);
}
