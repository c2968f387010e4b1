/**
 * Compose variable interpolation (Compose Specification "Interpolation", as compose-go implements
 * it): `$VAR`, `${VAR}`, `${VAR:-default}`, `${VAR-default}`, `${VAR:?error}`, `${VAR?error}`,
 * `${VAR:+alt}`, `${VAR+alt}`, nesting inside the default/alt word, and `$$` for a literal dollar.
 */

export type InterpOp = '' | ':-' | '-' | ':?' | '?' | ':+' | '+';

export interface VarUse {
  name: string;
  op: InterpOp;
  /** The word after the operator as written (default, alternative, or error message); null for none. */
  word: string | null;
  /** True for `:?`/`?` (the variable is required). */
  required: boolean;
  /** True when the use supplies a fallback (`:-`/`-`). */
  hasDefault: boolean;
  /** Offsets in the string: [start, end) of the whole `${...}` / `$VAR`. */
  start: number;
  end: number;
  /** Nesting depth: 0 for top-level uses, 1 inside another use's word, ... */
  depth: number;
}

export interface InterpError {
  message: string;
  /** Offset in the string. */
  index: number;
}

export interface Interpolation {
  uses: VarUse[];
  errors: InterpError[];
}

const NAME = /[A-Za-z_][A-Za-z0-9_]*/y;

/** Parse every variable use in a string. Uses inside a default are listed too, with depth + 1. */
export function parseInterpolation(s: string): Interpolation {
  const out: Interpolation = { uses: [], errors: [] };
  scan(s, 0, s.length, 0, out);
  return out;
}

/** Scan s[from, to) for uses. Returns nothing; pushes into out. */
function scan(s: string, from: number, to: number, depth: number, out: Interpolation): void {
  let i = from;
  while (i < to) {
    const d = s.indexOf('$', i);
    if (d < 0 || d >= to) return;
    const next = s[d + 1];
    if (next === '$') {
      i = d + 2;
      continue;
    }
    if (next === '{') {
      const close = findClose(s, d + 2, to);
      if (close < 0) {
        out.errors.push({ message: 'unterminated `${`: missing `}`', index: d });
        return;
      }
      NAME.lastIndex = d + 2;
      const m = NAME.exec(s);
      if (!m || m.index !== d + 2) {
        out.errors.push({ message: `invalid variable name in \`${s.slice(d, close + 1)}\``, index: d });
        i = close + 1;
        continue;
      }
      const name = m[0];
      let p = d + 2 + name.length;
      let op: InterpOp = '';
      if (p < close) {
        const two = s.slice(p, p + 2);
        if (two === ':-' || two === ':?' || two === ':+') op = two;
        else if (s[p] === '-' || s[p] === '?' || s[p] === '+') op = s[p] as InterpOp;
        else {
          out.errors.push({ message: `invalid interpolation format \`${s.slice(d, close + 1)}\``, index: d });
          i = close + 1;
          continue;
        }
        p += op.length;
      }
      const word = op ? s.slice(p, close) : null;
      out.uses.push({
        name,
        op,
        word,
        required: op === ':?' || op === '?',
        hasDefault: op === ':-' || op === '-',
        start: d,
        end: close + 1,
        depth,
      });
      // compose-go interpolates the word of every operator, the error message of `:?`/`?` included.
      if (word !== null) scan(s, p, close, depth + 1, out);
      i = close + 1;
      continue;
    }
    NAME.lastIndex = d + 1;
    const m = NAME.exec(s);
    if (m && m.index === d + 1 && d + 1 + m[0].length <= to) {
      out.uses.push({ name: m[0], op: '', word: null, required: false, hasDefault: false, start: d, end: d + 1 + m[0].length, depth });
      i = d + 1 + m[0].length;
      continue;
    }
    // compose-go leaves a `$` that starts no variable (`$(`, `$'`, a trailing `$`) as it is.
    i = d + 1;
  }
}

/** Index of the `}` matching a `${` whose content starts at `from`, honouring nesting. */
function findClose(s: string, from: number, to: number): number {
  let depth = 0;
  for (let i = from; i < to; i++) {
    const c = s[i];
    if (c === '$' && s[i + 1] === '$') {
      i++;
      continue;
    }
    if (c === '$' && s[i + 1] === '{') {
      depth++;
      i++;
      continue;
    }
    if (c === '}') {
      if (depth === 0) return i;
      depth--;
    }
  }
  return -1;
}

/**
 * Resolve a string against variables. Missing required variables and variables with no value are
 * listed in `missing`; their text becomes ''. Errors make the value null.
 */
export function interpolate(s: string, vars: ReadonlyMap<string, string>): { value: string | null; missing: string[] } {
  const parsed = parseInterpolation(s);
  if (parsed.errors.length) return { value: null, missing: [] };
  const missing: string[] = [];
  const value = render(s, 0, s.length, vars, missing);
  return { value, missing };
}

function render(s: string, from: number, to: number, vars: ReadonlyMap<string, string>, missing: string[]): string {
  let out = '';
  let i = from;
  while (i < to) {
    const d = s.indexOf('$', i);
    if (d < 0 || d >= to) {
      out += s.slice(i, to);
      break;
    }
    out += s.slice(i, d);
    if (s[d + 1] === '$') {
      out += '$';
      i = d + 2;
      continue;
    }
    if (s[d + 1] === '{') {
      const close = findClose(s, d + 2, to);
      NAME.lastIndex = d + 2;
      const m = NAME.exec(s) as RegExpExecArray;
      const name = m[0];
      let p = d + 2 + name.length;
      let op = '';
      if (p < close) {
        const two = s.slice(p, p + 2);
        op = two === ':-' || two === ':?' || two === ':+' ? two : s[p];
        p += op.length;
      }
      const set = vars.has(name);
      const val = vars.get(name) ?? '';
      const word = () => render(s, p, close, vars, missing);
      switch (op) {
        case ':-':
          out += set && val !== '' ? val : word();
          break;
        case '-':
          out += set ? val : word();
          break;
        case ':+':
          out += set && val !== '' ? word() : '';
          break;
        case '+':
          out += set ? word() : '';
          break;
        case ':?':
          if (!set || val === '') missing.push(name);
          out += val;
          break;
        case '?':
          if (!set) missing.push(name);
          out += val;
          break;
        default:
          if (!set) missing.push(name);
          out += val;
      }
      i = close + 1;
      continue;
    }
    NAME.lastIndex = d + 1;
    const m = NAME.exec(s);
    if (!m || m.index !== d + 1) {
      out += '$';
      i = d + 1;
      continue;
    }
    if (!vars.has(m[0])) missing.push(m[0]);
    out += vars.get(m[0]) ?? '';
    i = d + 1 + m[0].length;
  }
  return out;
}
