/**
 * Arguments of a compose `command`, `entrypoint` or `healthcheck.test`, as words with exact
 * positions, for the prod/ and secrets/ rules that look for flags (`--reload`, `--requirepass x`).
 *
 * Forms: a list is one word per item (the exec form); a string is split the way compose splits it
 * (shell-style words and quotes; compose does not run a shell for `command: "a b"`). A shell script
 * is split into commands at `&&`, `||`, `;`, `|`, `&`: the script of `healthcheck.test` as a string
 * or `["CMD-SHELL", "..."]`, and the script of `["sh", "-c", "..."]` (also bash/ash/dash, `-ec`...).
 * This is a word splitter, not a shell parser: expansions stay as written (`$$VAR`, `${VAR}`).
 * Pure: no I/O.
 */
import type { PNode, PScalar } from '../parse/yaml.js';
import { posInScalar } from '../parse/yaml.js';
import type { Location } from '../types.js';

export interface ArgWord {
  /** The word with quotes removed. */
  value: string;
  /** The scalar the word stands in. */
  scalar: PScalar;
  /** Offsets of the word in the scalar's value: [start, end). */
  start: number;
  end: number;
  location: Location;
}

/** Location of the characters [start, end) of a scalar's value (exact on single-line scalars). */
export function scalarSpan(s: PScalar, start: number, end: number): Location {
  const a = posInScalar(s, start);
  const b = posInScalar(s, end);
  const sameLine = a.line === b.line;
  return { file: s.prov.file, line: a.line, column: a.column, endLine: b.line, endColumn: sameLine ? b.column : a.column + (end - start) };
}

/** Location from the start of one word to the end of another (same file). */
export function spanWords(a: ArgWord, b: ArgWord): Location {
  return { ...a.location, endLine: b.location.endLine, endColumn: b.location.endColumn };
}

const SHELLS = new Set(['sh', 'bash', 'ash', 'dash', 'zsh']);

/** The program name of a word (`/usr/local/bin/uvicorn` → `uvicorn`). */
export function progName(w: ArgWord | undefined): string {
  if (!w) return '';
  return w.value.slice(w.value.lastIndexOf('/') + 1);
}

/**
 * The commands of a compose `command`/`entrypoint` (`kind: 'command'`) or `healthcheck.test`
 * (`kind: 'healthcheck'`): a list of commands, each a list of words.
 */
export function commandWords(n: PNode | undefined, kind: 'command' | 'healthcheck' = 'command'): ArgWord[][] {
  if (!n) return [];
  if (n.kind === 'scalar') {
    if (typeof n.value !== 'string' && typeof n.value !== 'number') return [];
    // A healthcheck string is CMD-SHELL; a command string is split into words (no shell).
    if (kind === 'healthcheck') return splitScript(n);
    const words = splitWords(n);
    // `command: sh -c "a && b"`: the script is one quoted word; split it where it stands.
    if (words.length >= 3 && SHELLS.has(progName(words[0])) && /^-[a-z]*c[a-z]*$/.test(words[1].value)) {
      const text = String(n.value);
      const w = words[2];
      const quoted = text[w.start] === "'" || text[w.start] === '"' ? 1 : 0;
      return [words.slice(0, 2), ...splitScript(n, w.value, w.start + quoted)];
    }
    return [words];
  }
  if (n.kind !== 'seq') return [];
  const items = n.items.filter((i): i is PScalar => i.kind === 'scalar' && i.value !== null);
  let words = items.map((s) => wholeScalar(s));
  if (kind === 'healthcheck') {
    const head = words[0]?.value;
    if (head === 'NONE') return [];
    if (head === 'CMD-SHELL') return words[1] ? splitScript(words[1].scalar) : [];
    if (head === 'CMD') words = words.slice(1);
  }
  return expandShellC(words);
}

/** `["sh", "-c", "script", ...]` → the commands of the script (the words before it are kept as a command of their own). */
function expandShellC(words: ArgWord[]): ArgWord[][] {
  if (words.length >= 3 && SHELLS.has(progName(words[0])) && /^-[a-z]*c[a-z]*$/.test(words[1].value)) {
    return [words.slice(0, 2), ...splitScript(words[2].scalar)];
  }
  return [words];
}

function wholeScalar(s: PScalar): ArgWord {
  const value = String(s.value);
  return { value, scalar: s, start: 0, end: value.length, location: scalarSpan(s, 0, value.length) };
}

interface RawWord {
  value: string;
  start: number;
  end: number;
  op: boolean;
}

/** Shell-style words of a string: quotes group and are removed; operators are separate words. */
function lex(text: string): RawWord[] {
  const out: RawWord[] = [];
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text[i];
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      i++;
      continue;
    }
    if (c === '\\' && text[i + 1] === '\n') {
      i += 2;
      continue;
    }
    if (c === '#' && (i === 0 || /\s/.test(text[i - 1]))) {
      while (i < n && text[i] !== '\n') i++;
      continue;
    }
    if (c === '&' || c === '|' || c === ';' || c === '(' || c === ')') {
      const two = text.slice(i, i + 2);
      const op = two === '&&' || two === '||' ? two : c;
      out.push({ value: op, start: i, end: i + op.length, op: true });
      i += op.length;
      continue;
    }
    const start = i;
    let value = '';
    while (i < n) {
      const ch = text[i];
      if (/\s/.test(ch) || ch === '&' || ch === '|' || ch === ';' || ch === '(' || ch === ')') {
        // `$(`, `${` stay inside the word.
        if (ch === '(' && text[i - 1] === '$') {
          const close = text.indexOf(')', i);
          const stop = close < 0 ? n : close + 1;
          value += text.slice(i, stop);
          i = stop;
          continue;
        }
        break;
      }
      if (ch === "'") {
        const close = text.indexOf("'", i + 1);
        const stop = close < 0 ? n : close;
        value += text.slice(i + 1, stop);
        i = stop + 1;
        continue;
      }
      if (ch === '"') {
        i++;
        while (i < n && text[i] !== '"') {
          if (text[i] === '\\' && i + 1 < n && '"\\$`'.includes(text[i + 1])) {
            value += text[i + 1];
            i += 2;
            continue;
          }
          value += text[i];
          i++;
        }
        i++;
        continue;
      }
      if (ch === '\\' && i + 1 < n) {
        value += text[i + 1];
        i += 2;
        continue;
      }
      value += ch;
      i++;
    }
    out.push({ value, start, end: Math.min(i, n), op: false });
  }
  return out;
}

function toWord(s: PScalar, w: RawWord): ArgWord {
  return { value: w.value, scalar: s, start: w.start, end: w.end, location: scalarSpan(s, w.start, w.end) };
}

/** Words of a string split without a shell (compose `command: "a b c"`). */
function splitWords(s: PScalar): ArgWord[] {
  return lex(String(s.value))
    .filter((w) => !w.op)
    .map((w) => toWord(s, w));
}

/** Commands of a shell script held in a scalar (from offset `base` of its value when the script is a quoted word inside it). */
function splitScript(s: PScalar, text = String(s.value), base = 0): ArgWord[][] {
  const out: ArgWord[][] = [];
  let cur: RawWord[] = [];
  const flush = () => {
    if (!cur.length) return;
    const c = cur;
    cur = [];
    // `sh -c '...'` inside a script: split the inner script too.
    if (c.length >= 3 && SHELLS.has(c[0].value.slice(c[0].value.lastIndexOf('/') + 1)) && /^-[a-z]*c[a-z]*$/.test(c[1].value)) {
      const inner = c[2];
      const quoted = text[inner.start] === "'" || text[inner.start] === '"';
      out.push(c.slice(0, 2).map((w) => toWord(s, shift(w, base))));
      out.push(...splitScript(s, inner.value, base + inner.start + (quoted ? 1 : 0)));
      return;
    }
    out.push(c.map((w) => toWord(s, shift(w, base))));
  };
  for (const w of lex(text)) {
    if (w.op) flush();
    else cur.push(w);
  }
  flush();
  return out;
}

function shift(w: RawWord, by: number): RawWord {
  return by ? { ...w, start: w.start + by, end: w.end + by } : w;
}

/** Every command of a service's `entrypoint` + `command` (each on its own: compose replaces them separately). */
export function serviceCommands(svcNode: PNode): readonly ServiceCommand[] {
  let out = commandsOf.get(svcNode);
  if (out === undefined) {
    out = readServiceCommands(svcNode);
    commandsOf.set(svcNode, out);
  }
  return out;
}

export interface ServiceCommand {
  key: 'command' | 'entrypoint';
  words: ArgWord[];
}

// secrets/no-hardcoded, secrets/weak-values (through the literal secrets) and prod/no-dev-mode split
// the same services' commands: split once per (immutable) service node; callers only read them.
const commandsOf = new WeakMap<PNode, ServiceCommand[]>();

function readServiceCommands(svcNode: PNode): ServiceCommand[] {
  const out: ServiceCommand[] = [];
  if (svcNode.kind !== 'map') return out;
  for (const key of ['entrypoint', 'command'] as const) {
    const e = svcNode.entries.find((x) => x.key === key);
    if (!e) continue;
    for (const words of commandWords(e.value, 'command')) if (words.length) out.push({ key, words });
  }
  return out;
}
