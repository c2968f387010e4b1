/**
 * Dockerfile syntax: directives, comments and instructions with their arguments, flags, ARG/ENV
 * properties and JSON strings, scanned from the text into plain data. It gives exactly what
 * dockerfile-ast 0.7.1 gives for the accessors src/parse/dockerfile.ts reads (test/model/dockerfile-syntax.test.ts
 * compares them on the repository's Dockerfiles, the shared corpus and thousands of random ones),
 * quirks included: the model's ranges and values must not move. dockerfile-ast builds a document
 * object per file, an object per instruction, and recomputes an instruction's arguments on each
 * getter call, one string concatenation per character; that was most of the Dockerfile load time.
 *
 * Each function below is dockerfile-ast's algorithm of the same name, step for step, on character
 * codes and text offsets instead of characters and LSP positions. dockerfile-ast turns offsets into
 * positions (`positionAt`) and back (`offsetAt`); the round trip maps an offset between the `\r` and
 * the `\n` of a CRLF onto the `\r`, so every offset that it would turn into a position goes through
 * `at()` here, which does the same. Ranges are converted to 1-based ranges last.
 */
import type { Flag, Range, Word } from '../model/dockerfile.js';

export interface DirectiveSyntax {
  /** As written (`escape`, `Syntax`…). */
  name: string;
  value: string;
  /** The directive's line, from its `#`. */
  range: Range;
}

export interface CommentSyntax {
  /** Without the `#` and surrounding whitespace. */
  content: string;
  range: Range;
}

export interface PropertySyntax {
  name: string;
  /** Quotes and escapes removed; null when there is no value (`ARG NAME`). */
  value: string | null;
  range: Range;
  nameRange: Range;
  valueRange: Range | null;
}

export interface FromSyntax {
  /** The first argument after the flags, as an argument value; null without one. */
  image: string | null;
  imageRange: Range | null;
  /** The text of the stage name of `FROM image AS name`, as written; else null. */
  buildStage: string | null;
  /** The value of a `--platform` flag when it is the only flag (as dockerfile-ast's getPlatformFlag). */
  platform: string | null;
}

export interface InstructionSyntax {
  /** The keyword as written, upper-cased (escape characters in it are kept). */
  keyword: string;
  /** From the keyword to the end of the instruction (heredoc bodies included). */
  range: Range;
  keywordRange: Range;
  /**
   * Leading `--name[=value]` arguments of the instructions that take flags in dockerfile-ast (ADD,
   * COPY, RUN, FROM, HEALTHCHECK); names as written. Empty for the others.
   */
  flags: Flag[];
  /** The arguments after the flags, escapes resolved and continuation lines joined. */
  args: Word[];
  /** The text from the first argument to the end of the last one, as written; null without arguments. */
  argsText: string | null;
  /**
   * USER and WORKDIR (the model reads it for no other instruction; elsewhere null): as `argsText`, with
   * the leading whitespace of continuation lines and comment lines left out (getArgumentsContent).
   */
  argsContent: string | null;
  /** ARG and ENV: the properties (getProperties); [] for the other keywords. */
  properties: PropertySyntax[];
  /** ARG: the one property of an ARG with exactly one argument (Arg.getProperty); else null. */
  property: PropertySyntax | null;
  /** ADD, COPY, RUN, CMD, ENTRYPOINT, SHELL, VOLUME: the ranges of the strings of a JSON array argument, quotes included. */
  jsonStrings: Range[];
  /** FROM only. */
  from: FromSyntax | null;
}

export interface DockerfileSyntax {
  escapeChar: string;
  directives: DirectiveSyntax[];
  comments: CommentSyntax[];
  instructions: InstructionSyntax[];
}

/** An argument with offsets (both already through `at()`). */
interface Arg {
  value: string;
  start: number;
  end: number;
}

interface RawFlag {
  name: string;
  value: string | null;
  start: number;
  end: number;
}

const NO_FLAGS: RawFlag[] = [];

const SP = 32;
const TAB = 9;
const CR = 13;
const LF = 10;
const HASH = 35;
/** Runs of characters that are not whitespace or the escape character (sticky: tested from `lastIndex`; always matches). */
const RUN_BACKSLASH = /[^ \t\r\n\\]*/y;
const RUN_BACKTICK = /[^ \t\r\n`]*/y;
const isWs = (c: number) => c === SP || c === TAB || c === CR || c === LF;

// Instruction classes of dockerfile-ast, by upper-cased keyword.
const JSON_INSTRUCTIONS = new Set(['ADD', 'CMD', 'COPY', 'ENTRYPOINT', 'RUN', 'SHELL', 'VOLUME']);
/** ModifiableInstructions that stop looking for flags at the first argument without `--`. */
const DASH_FLAGS = new Set(['ADD', 'COPY', 'RUN', 'FROM']);

export function parseDockerfileSyntax(text: string): DockerfileSyntax {
  return new Scanner(text).parse();
}

class Scanner {
  private readonly text: string;
  private readonly n: number;
  /** Line start offsets as vscode-languageserver-textdocument counts lines: `\r\n`, `\r` and `\n` end a line. */
  private readonly lineStarts: number[];
  private readonly hasCr: boolean;
  private esc = '\\';
  private escCode = 92;
  /** Offsets of the next `<<` and `<` + escape character at or after the current keyword's end, -1 for none (see heredocsEnd). */
  private nextLtLt = -2;
  private nextLtEsc = -2;
  /** Offsets of the next `\n`, `\r` and escape character at or after the scan position, -1 for none (see nextStop). */
  private nextLf = -2;
  private nextCr = -2;
  private nextEsc = -2;
  /** The line of the last `lineOf` answer: positions mostly come in increasing order. */
  private hint = 0;
  /** The offsets of the arguments of the last `rawArguments` answer (reused, not to be kept). */
  private readonly starts: number[] = [];
  private readonly ends: number[] = [];
  private readonly comments: CommentSyntax[] = [];
  private readonly instructions: InstructionSyntax[] = [];

  constructor(text: string) {
    this.text = text;
    this.n = text.length;
    const starts = [0];
    const cr = text.indexOf('\r');
    if (cr === -1) {
      for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
    } else {
      for (let i = 0; i < text.length; i++) {
        const c = text.charCodeAt(i);
        if (c === LF) starts.push(i + 1);
        else if (c === CR) {
          if (text.charCodeAt(i + 1) === LF) i++;
          starts.push(i + 1);
        }
      }
    }
    this.nextCr = cr;
    this.hasCr = cr !== -1;
    this.lineStarts = starts;
  }

  /** `offsetAt(positionAt(o))`: clamped, and the `\n` of a `\r\n` taken back to its `\r`. */
  private at(o: number): number {
    if (o <= 0) return 0;
    if (o >= this.n) return this.n;
    return this.text.charCodeAt(o) === LF && this.text.charCodeAt(o - 1) === CR ? o - 1 : o;
  }

  private lineOf(o: number): number {
    const s = this.lineStarts;
    let l = this.hint;
    if (s[l] <= o) {
      // forward from the last answer, a few lines at most
      for (let k = 0; k < 8; k++) {
        if (l + 1 === s.length || s[l + 1] > o) {
          this.hint = l;
          return l;
        }
        l++;
      }
    }
    let lo = 0;
    let hi = s.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (s[mid] > o) hi = mid;
      else lo = mid + 1;
    }
    this.hint = lo - 1;
    return lo - 1;
  }

  /**
   * The first offset at or after `i` of a `\n`, a `\r` or the escape character, else the text's
   * length: the characters in between change no state of the line-end scans. Searched natively and
   * remembered (the scans only move forward).
   */
  private nextStop(i: number): number {
    const text = this.text;
    if (this.nextLf !== -1 && this.nextLf < i) this.nextLf = text.indexOf('\n', i);
    if (this.nextCr !== -1 && this.nextCr < i) this.nextCr = text.indexOf('\r', i);
    if (this.nextEsc !== -1 && this.nextEsc < i) this.nextEsc = text.indexOf(this.esc, i);
    let stop = this.n;
    if (this.nextLf !== -1 && this.nextLf < stop) stop = this.nextLf;
    if (this.nextCr !== -1 && this.nextCr < stop) stop = this.nextCr;
    if (this.nextEsc !== -1 && this.nextEsc < stop) stop = this.nextEsc;
    return stop;
  }

  /** 1-based range of offsets that went through `at()`. */
  private range(start: number, end: number): Range {
    const l = this.lineOf(start);
    const el = end === start ? l : this.lineOf(end);
    return { line: l + 1, column: start - this.lineStarts[l] + 1, endLine: el + 1, endColumn: end - this.lineStarts[el] + 1 };
  }

  private code(i: number): number {
    return i < this.n ? this.text.charCodeAt(i) : -1;
  }

  parse(): DockerfileSyntax {
    const text = this.text;
    const n = this.n;
    const directives = this.directives();
    let offset = 0;
    if (directives.length > 0) {
      // Dockerfile.getEscapeCharacter: the first `escape` directive with a valid value.
      for (const d of directives) {
        if (d.name.toLowerCase() === 'escape' && (d.value === '\\' || d.value === '`')) {
          this.esc = d.value;
          break;
        }
      }
      // Instructions start on the line after as many lines as there are directives.
      offset = directives.length < this.lineStarts.length ? this.lineStarts[directives.length] : n;
    } else if (text.charCodeAt(0) === 0xfeff) {
      offset = 1;
    }
    this.escCode = this.esc.charCodeAt(0);
    for (let i = offset; i < n; i++) {
      const c = text.charCodeAt(i);
      if (isWs(c)) continue;
      if (c === HASH) i = this.comment(i);
      else i = this.instruction(i);
    }
    return { escapeChar: this.esc, directives, comments: this.comments, instructions: this.instructions };
  }

  /** Parser.getParserDirectives. */
  private directives(): DirectiveSyntax[] {
    const text = this.text;
    const n = this.n;
    const out: DirectiveSyntax[] = [];
    directiveCheck: for (let i = text.charCodeAt(0) === 0xfeff ? 1 : 0; i < n; i++) {
      const c = text.charCodeAt(i);
      if (c === SP || c === TAB) continue;
      if (c !== HASH) break; // a blank line or anything but a comment ends the directives
      let directiveStart = -1;
      let directiveEnd = -1;
      for (let j = i + 1; j < n; j++) {
        const ch = text.charCodeAt(j);
        if (ch === SP || ch === TAB) {
          if (directiveStart !== -1 && directiveEnd === -1) directiveEnd = j;
        } else if (ch === CR || ch === LF) {
          break directiveCheck;
        } else if (ch === 61 /* = */) {
          let valueStart = -1;
          let valueEnd = -1;
          if (directiveEnd === -1) directiveEnd = j;
          let lineEnd = n;
          for (let k = j + 1; k < n; k++) {
            const v = text.charCodeAt(k);
            if (v === CR || v === LF) {
              if (valueStart !== -1 && valueEnd === -1) valueEnd = k;
              lineEnd = k;
              break;
            }
            if (v === TAB || v === SP) {
              if (valueStart !== -1 && valueEnd === -1) valueEnd = k;
            } else if (valueStart === -1) {
              valueStart = k;
            }
          }
          // no name: a regular comment
          if (directiveStart === -1) break directiveCheck;
          if (valueStart === -1) {
            valueStart = j + 1;
            valueEnd = lineEnd;
          } else if (valueEnd === -1) {
            valueEnd = n;
          }
          const ns = this.at(directiveStart);
          const ne = this.at(directiveEnd);
          const vs = this.at(valueStart);
          const ve = this.at(valueEnd);
          out.push({ name: text.substring(ns, ne), value: text.substring(vs, ve), range: this.range(this.at(i), this.at(lineEnd)) });
          // The scan resumes right after the value (as dockerfile-ast's does): when whitespace follows
          // the value, it meets the rest of this line, which ends the directives unless it starts with
          // `#` — then that is read as another directive (`# a=b #escape=\``). Docker reads such a line
          // as one directive; the oracle test holds this to dockerfile-ast, quirk included.
          i = text.charCodeAt(valueEnd) === CR ? valueEnd + 1 : valueEnd;
          continue directiveCheck;
        } else if (directiveStart === -1) {
          directiveStart = j;
        }
      }
    }
    return out;
  }

  /** Parser.processComment: a comment from `start` (a `#`) to the line end; returns the line end. */
  private comment(start: number): number {
    const text = this.text;
    const n = this.n;
    let end = this.nextStop(start + 1);
    while (end < n && text.charCodeAt(end) !== CR && text.charCodeAt(end) !== LF) end = this.nextStop(end + 1);
    const s = this.at(start);
    const e = this.at(end);
    // Comment.getContent: after the `#`, without surrounding whitespace.
    let cs = -1;
    for (let i = s + 1; i < e; i++) {
      if (!isWs(text.charCodeAt(i))) {
        cs = i;
        break;
      }
    }
    let content = '';
    if (cs !== -1) {
      let ce = cs + 1;
      for (let i = e - 1; i > s; i--) {
        if (!isWs(text.charCodeAt(i))) {
          ce = i + 1;
          break;
        }
      }
      content = text.substring(this.at(cs), this.at(ce));
    }
    this.comments.push({ content, range: this.range(s, e) });
    return end;
  }

  /** Parser.processInstruction: the keyword from `start`, then its arguments; returns where the instruction ends. */
  private instruction(start: number): number {
    const text = this.text;
    const n = this.n;
    const esc = this.escCode;
    // Most keywords are a run of letters ended by a space or a line end: the general loop below gives
    // that run as the keyword; it is needed only when an escape character comes first.
    let k = start + 1;
    for (; k < n; k++) {
      const c = text.charCodeAt(k);
      if (c === SP || c === TAB || c === CR || c === LF || c === esc) break;
    }
    const first = k < n ? text.charCodeAt(k) : -1;
    if (first !== esc) {
      const kw = text.substring(start, k);
      const end = first === SP || first === TAB ? this.argumentsEnd(kw, k, k) : k;
      this.add(kw, start, k, end);
      return end;
    }
    let keyword = text[start];
    let keywordEnd = -1;
    let escaped = false;
    instructionCheck: for (let i = start + 1; i < n; i++) {
      const c = text.charCodeAt(i);
      if (c === esc) {
        escaped = true;
        const next = this.code(i + 1);
        if (next === CR || next === LF) {
          if (keywordEnd === -1) keywordEnd = i;
          i++;
        } else if (next === SP || next === TAB) {
          for (let j = i + 2; j < n; j++) {
            const d = text.charCodeAt(j);
            if (d === SP || d === TAB) continue;
            if (d === CR || d === LF) {
              i = j;
              continue instructionCheck;
            }
            // an argument follows: the keyword ends with the escape character
            keywordEnd = i + 1;
            keyword += this.esc;
            i = j - 2;
            continue instructionCheck;
          }
          keywordEnd = i + 1;
          keyword += this.esc;
          break;
        } else {
          keywordEnd = i + 1;
          keyword += this.esc;
          escaped = false;
        }
      } else if (c === SP || c === TAB) {
        if (escaped) {
          // after an escaped newline: whitespace up to another newline does not end the keyword
          for (let j = i + 1; j < n; j++) {
            const d = text.charCodeAt(j);
            if (d === SP || d === TAB) continue;
            if (d === CR || d === LF) {
              i = j;
              continue instructionCheck;
            }
            break;
          }
          escaped = false;
        }
        if (keywordEnd === -1) keywordEnd = i;
        const end = this.argumentsEnd(keyword, keywordEnd, i);
        this.add(keyword, start, keywordEnd, end);
        return end;
      } else if (c === CR || c === LF) {
        if (escaped) continue;
        this.add(keyword, start, i, i);
        return i;
      } else {
        if (c === HASH && escaped) continue;
        keywordEnd = i + 1;
        keyword += text[i];
        escaped = false;
      }
    }
    if (keywordEnd === -1) keywordEnd = n;
    this.add(keyword, start, keywordEnd, n);
    return n;
  }

  /**
   * Parser.processArguments: from the whitespace after the keyword to the first line end that is not
   * escaped (comment lines inside continuations are comments), then past any heredoc bodies.
   */
  private argumentsEnd(keyword: string, keywordEnd: number, offset: number): number {
    const text = this.text;
    const n = this.n;
    const esc = this.escCode;
    let escaped = false;
    argumentsCheck: for (let i = offset + 1; i < n; i++) {
      const c = text.charCodeAt(i);
      if (c === CR || c === LF) {
        if (escaped) continue;
        return this.heredocsEnd(keyword, keywordEnd, i);
      }
      if (c === esc) {
        const next = this.code(i + 1);
        if (next === LF || next === CR) {
          escaped = true;
          i++;
        } else if (next === SP || next === TAB) {
          for (let j = i + 2; j < n; j++) {
            const d = text.charCodeAt(j);
            if (d === SP || d === TAB) continue;
            if (d === CR || d === LF) escaped = true;
            // (dockerfile-ast also steps over the first character after `\ ` that is not a line end)
            i = j;
            continue argumentsCheck;
          }
          return n;
        }
      } else if (c === HASH) {
        if (escaped) i = this.comment(i);
      } else if (c !== SP && c !== TAB) {
        escaped = false;
      }
      // Not after an escaped newline, only line ends and escape characters matter.
      if (!escaped) i = this.nextStop(i + 1) - 1;
    }
    return n;
  }

  /**
   * Parser.processHeredocs: the instruction as it stands at its first line end (`end`); when it is a
   * RUN, COPY or ADD (or an ONBUILD of one) whose arguments open heredocs, the offset of the line
   * end after the last heredoc's delimiter, else `end`.
   */
  private heredocsEnd(keyword: string, keywordEnd: number, end: number): number {
    // An argument's value can only start with `<<` if the text has a `<` followed by `<` or by an
    // escape character (escaped `<`, escaped newline) in the instruction. The next ones are remembered:
    // instructions come in order, so the text is searched once.
    if (this.nextLtLt !== -1 && this.nextLtLt < keywordEnd) this.nextLtLt = this.text.indexOf('<<', keywordEnd);
    if (this.nextLtEsc !== -1 && this.nextLtEsc < keywordEnd) this.nextLtEsc = this.text.indexOf(`<${this.esc}`, keywordEnd);
    if ((this.nextLtLt === -1 || this.nextLtLt >= end) && (this.nextLtEsc === -1 || this.nextLtEsc >= end)) return end;
    let kw = keyword.toUpperCase();
    let from = this.at(keywordEnd);
    const to = this.at(end);
    if (kw === 'ONBUILD') {
      // Onbuild.getTriggerInstruction: its first argument, as written, is the trigger's keyword.
      if (this.rawArguments(from, to).length === 0) return end;
      kw = this.text.substring(this.starts[0], this.ends[0]).toUpperCase();
      from = this.ends[0];
    }
    if (kw !== 'ADD' && kw !== 'COPY' && kw !== 'RUN') return end;
    const raw = this.rawArguments(from, to);
    const names: string[] = [];
    let tabbed = false;
    for (let i = this.flags(kw, raw).length; i < raw.length; i++) {
      const v = raw[i].value;
      if (v.length > 2 && v.startsWith('<<')) {
        if (v.startsWith('<<-')) tabbed = true;
        const name = heredocName(v);
        if (name !== null) names.push(name);
      }
    }
    let offset = end;
    for (const name of names) offset = this.heredocEnd(name, offset, tabbed);
    return offset;
  }

  /** Parser.parseHeredoc: the line end after a line that is `name` (after tabs when `tabbed`), else the end of the text. */
  private heredocEnd(name: string, offset: number, tabbed: boolean): number {
    const text = this.text;
    const n = this.n;
    let startWord = -1;
    let lineStart = true;
    for (let i = offset; i < n; i++) {
      const c = text.charCodeAt(i);
      if (c === SP) {
        lineStart = false;
      } else if (c === TAB) {
        if (!tabbed) lineStart = false;
      } else if (c === CR || c === LF) {
        if (startWord !== -1 && i - startWord === name.length && text.startsWith(name, startWord)) return i;
        startWord = -1;
        lineStart = true;
      } else if (lineStart) {
        startWord = i;
        lineStart = false;
      }
    }
    return n;
  }

  /** The instruction from `start` to `end`, keyword up to `keywordEnd`, with everything the model reads. */
  private add(keyword: string, start: number, keywordEnd: number, end: number): void {
    const text = this.text;
    const kw = keyword.toUpperCase();
    const s = this.at(start);
    const ke = this.at(keywordEnd);
    const e = this.at(end);
    const raw = this.rawArguments(ke, e);
    const count = raw.length;
    const rawFlags = this.flags(kw, raw);
    // the arguments after the flags: raw/starts/ends[a, count)
    const a = rawFlags.length;
    const { starts, ends } = this;
    const args = a === 0 ? raw : raw.slice(a);
    const argsStart = a < count ? starts[a] : -1;
    const argsEnd = a < count ? ends[count - 1] : -1;
    const argsText = a < count ? text.substring(argsStart, argsEnd) : null;
    let properties: PropertySyntax[] = [];
    let property: PropertySyntax | null = null;
    if (kw === 'ARG' || kw === 'ENV') {
      const pargs = this.propertyArguments(s, ke, e);
      properties = this.properties(pargs);
      if (kw === 'ARG' && pargs.length === 1) property = properties[0];
    }
    let from: FromSyntax | null = null;
    if (kw === 'FROM') {
      from = {
        image: args.length > 0 ? args[0].value : null,
        imageRange: args.length > 0 ? args[0].range : null,
        buildStage: args.length > 2 && args[1].value.toUpperCase() === 'AS' ? text.substring(starts[a + 2], ends[a + 2]) : null,
        platform: rawFlags.length === 1 && rawFlags[0].name === 'platform' ? rawFlags[0].value : null,
      };
    }
    this.instructions.push({
      keyword: kw,
      range: this.range(s, e),
      keywordRange: this.range(s, ke),
      flags: rawFlags.length === 0 ? [] : rawFlags.map((f) => ({ name: f.name, value: f.value, range: this.range(f.start, f.end) })),
      args,
      argsText,
      argsContent: argsText !== null && (kw === 'USER' || kw === 'WORKDIR') ? this.argumentsContent(argsStart, argsEnd, argsText) : null,
      properties,
      property,
      jsonStrings: argsText !== null && JSON_INSTRUCTIONS.has(kw) ? this.jsonStrings(args, argsStart, argsText) : [],
      from,
    });
  }

  /**
   * Instruction.getRawArguments over [from, to) (the keyword's end to the instruction's end): words
   * split at unescaped whitespace, escapes resolved (`\$` kept), escaped newlines and the comment
   * lines after them skipped. An argument's value is taken as slices of the text (every character it
   * gets is a character of the text, and runs of consecutive ones are joined).
   */
  private rawArguments(from: number, to: number): Word[] {
    const text = this.text;
    const escCode = this.escCode;
    const run = escCode === 96 ? RUN_BACKTICK : RUN_BACKSLASH;
    const { starts, ends, lineStarts } = this;
    // Without a CR in the text, `at()` of an offset in [0, to] is the offset itself.
    const crlf = this.hasCr;
    const words: Word[] = [];
    // The line of the last position, moved forward as arguments come in order.
    let line = this.lineOf(from);
    let start = false;
    let comment = false;
    let found = -1;
    let escapedWhitespaceDetected = false;
    let escaping = false;
    let escapeMarker = -1;
    // The argument's value so far: `done` + text[segStart, segEnd).
    let done = '';
    let segStart = -1;
    let segEnd = -1;
    const append = (s: number, e: number) => {
      if (segStart !== -1 && segEnd === s) {
        segEnd = e;
        return;
      }
      if (segStart !== -1) done += text.slice(segStart, segEnd);
      segStart = s;
      segEnd = e;
    };
    // `found` may still be -1 here (an escaped whitespace run before any character): dockerfile-ast,
    // counting from `from`, then starts the argument one character before `from`.
    const push = (s: number, e: number) => {
      const value = segStart === -1 ? done : done + text.slice(segStart, segEnd);
      const so = s === -1 ? this.at(from - 1) : crlf ? this.at(s) : s;
      const eo = crlf ? this.at(e) : e;
      starts[words.length] = so;
      ends[words.length] = eo;
      if (so < lineStarts[line]) line = this.lineOf(so);
      while (line + 1 < lineStarts.length && lineStarts[line + 1] <= so) line++;
      const sl = line;
      while (line + 1 < lineStarts.length && lineStarts[line + 1] <= eo) line++;
      words.push({
        value,
        range: { line: sl + 1, column: so - lineStarts[sl] + 1, endLine: line + 1, endColumn: eo - lineStarts[line] + 1 },
      });
      done = '';
      segStart = -1;
    };
    for (let i = from; i < to; i++) {
      const c = text.charCodeAt(i);
      if (c === SP || c === TAB || c === CR || c === LF) {
        if (escaping) {
          escapedWhitespaceDetected = true;
          if (c === CR || c === LF) {
            // reached a newline, any previously detected whitespace should be ignored
            escapedWhitespaceDetected = false;
            if (comment) {
              comment = false;
              start = true;
            }
          } else {
            while (i + 1 < to && (text.charCodeAt(i + 1) === SP || text.charCodeAt(i + 1) === TAB)) i++;
          }
          continue;
        }
        if (found !== -1) {
          push(found, escapeMarker === -1 ? i : escapeMarker);
          escapeMarker = -1;
          found = -1;
        }
        // more spaces and tabs change nothing now
        while (i + 1 < to && (text.charCodeAt(i + 1) === SP || text.charCodeAt(i + 1) === TAB)) i++;
      } else if (c === escCode) {
        const next = i + 1 < to ? text.charCodeAt(i + 1) : -1;
        if (next === SP || next === TAB) {
          for (let j = i + 2; j < to; j++) {
            const d = text.charCodeAt(j);
            if (d === SP || d === TAB) continue;
            if (d === CR || d === LF) {
              if (d === CR) j++; // as dockerfile-ast: a \r is taken as \r\n
              comment = false;
              escaping = true;
              start = true;
              if (found !== -1) escapeMarker = i;
              i = j;
              break;
            }
            escapeMarker = i;
            if (found === -1) i = j - 1;
            break;
          }
        } else if (next === CR) {
          comment = false;
          escaping = true;
          start = true;
          if (found !== -1 && escapeMarker === -1) escapeMarker = i;
          i += 2;
        } else if (next === LF) {
          comment = false;
          escaping = true;
          start = true;
          if (found !== -1 && escapeMarker === -1) escapeMarker = i;
          i++;
        } else {
          if (escapedWhitespaceDetected && escapeMarker !== -1) {
            push(found, escapeMarker);
            found = -1;
          }
          escapeMarker = -1;
          escapedWhitespaceDetected = false;
          escaping = false;
          if (next === 36 /* $ */) append(i, i + 2);
          else if (next === -1) break;
          else append(i + 1, i + 2);
          if (found === -1) found = i;
          i++;
        }
      } else if (!comment) {
        if (start && c === HASH) {
          comment = true;
        } else {
          if (escapedWhitespaceDetected && escapeMarker !== -1) {
            push(found, escapeMarker);
            found = -1;
          }
          escapedWhitespaceDetected = false;
          escaping = false;
          escapeMarker = -1;
          if (found === -1) found = i;
          // The ordinary characters that follow go the same way (the state is reset now, `start`
          // too): taken as one run, found natively.
          run.lastIndex = i + 1;
          run.test(text);
          let j = run.lastIndex;
          if (j > to) j = to;
          // append(i, j), inline: this is once per word
          if (segStart !== -1 && segEnd === i) segEnd = j;
          else {
            if (segStart !== -1) done += text.slice(segStart, segEnd);
            segStart = i;
            segEnd = j;
          }
          i = j - 1;
        }
        // non-whitespace character detected, reset
        start = false;
      }
    }
    if (found !== -1) push(found, escapeMarker === -1 ? to : escapeMarker);
    return words;
  }

  /** ModifiableInstruction.getFlags, for the keywords whose dockerfile-ast class has it; [] for the others. */
  private flags(kw: string, raw: Word[]): RawFlag[] {
    const dash = DASH_FLAGS.has(kw);
    if (!dash && kw !== 'HEALTHCHECK') return NO_FLAGS;
    const flags: RawFlag[] = [];
    for (let i = 0; i < raw.length; i++) {
      const value = raw[i].value;
      const start = this.starts[i];
      const end = this.ends[i];
      if (dash) {
        if (value.indexOf('--') === -1) break;
      } else {
        const u = value.toUpperCase();
        if (u === 'CMD' || u === 'NONE') break;
      }
      // An argument with `--` inside is neither a flag nor the end of the flags (yet the arguments
      // lose as many leading words as there are flags).
      if (!value.startsWith('--')) continue;
      const index = this.text.substring(start, end).indexOf('=');
      const nameIndex = value.indexOf('=');
      // (`substring`, not `slice`: dockerfile-ast's arguments, with its quirks for a `=` that only the raw text has)
      if (index === -1) flags.push({ name: value.substring(2), value: null, start, end });
      else if (index === value.length - 1) flags.push({ name: value.substring(2, index), value: '', start, end });
      else flags.push({ name: value.substring(2, nameIndex), value: value.substring(nameIndex + 1), start, end });
    }
    return flags;
  }

  /** Instruction.getArgumentsContent: the arguments' text without continuation-line indentation and comment lines. */
  private argumentsContent(first: number, last: number, argsText: string): string {
    if (this.lineOf(first) === this.lineOf(last)) return argsText;
    const text = this.text;
    const esc = this.escCode;
    // getArgumentsRanges: one range per line, from the line start (or the first argument) to its last
    // character that is not whitespace; `-1` for no range start yet.
    let content = '';
    let end = -1;
    let startPosition = first;
    let comment = false;
    const n = last - first;
    const flush = () => {
      if (startPosition !== -1) content += text.substring(startPosition, this.at(first + end + 1));
    };
    for (let i = 0; i < n; i++) {
      const c = text.charCodeAt(first + i);
      if (c === esc) {
        const next = i + 1 < n ? text.charCodeAt(first + i + 1) : -1;
        if (next === SP || next === TAB) {
          for (let j = i + 2; j < n; j++) {
            let d = text.charCodeAt(first + j);
            if (d === SP || d === TAB) continue;
            if (d === CR) {
              j++;
              d = LF;
            }
            if (d === LF) {
              flush();
              startPosition = -1;
              comment = false;
              i = j;
            }
            break;
          }
        } else if (next === CR) {
          if (startPosition !== -1) {
            flush();
            startPosition = -1;
          }
          comment = false;
          i += 2;
        } else if (next === LF) {
          flush();
          startPosition = -1;
          comment = false;
          i++;
        } else {
          i++;
        }
      } else if (c === CR || c === LF) {
        if (comment) {
          startPosition = -1;
          comment = false;
        }
      } else if (!comment) {
        if (startPosition === -1) {
          if (c === HASH) {
            comment = true;
            continue;
          }
          const o = this.at(first + i);
          const line = this.lineOf(o);
          if (o !== this.lineStarts[line]) startPosition = this.lineStarts[line];
        }
        end = i;
      }
    }
    if (startPosition === -1) {
      // only when the last argument is on its own line with no leading whitespace
      content += text.substring(this.at(first + end), this.at(first + end + 1));
    } else {
      flush();
    }
    return content;
  }

  /** JSONInstruction's constructor: the ranges of the JSON strings of `["a", "b"]` arguments. */
  private jsonStrings(args: Word[], base: number, content: string): Range[] {
    const out: Range[] = [];
    if (args.length === 1 && args[0].value === '[]') return out;
    if (args.length === 2 && args[0].value === '[' && args[1].value === ']') return out;
    const n = content.length;
    let start = -1;
    let last = 0; // 0: nothing yet, else the code of the last structural character
    let quoted = false;
    argsCheck: for (let i = 0; i < n; i++) {
      const c = content.charCodeAt(i);
      switch (c) {
        case 91 /* [ */:
          if (last === 0) last = 91;
          else if (!quoted) break argsCheck;
          break;
        case 34 /* " */:
          if (last === 91 || last === 44) {
            start = i;
            quoted = true;
            last = 34;
            continue;
          }
          if (last === 34 && quoted) {
            quoted = false;
            out.push(this.range(this.at(base + start), this.at(base + i + 1)));
            break;
          }
          break argsCheck;
        case 44 /* , */:
          if (!quoted) {
            if (last === 34) last = 44;
            else break argsCheck;
          }
          break;
        case 93 /* ] */:
          if (!quoted && last !== 0) break argsCheck;
          break;
        case SP:
        case TAB:
          break;
        case 92 /* \ */:
          if (quoted) {
            const next = i + 1 < n ? content.charCodeAt(i + 1) : -1;
            if (next === 34 || next === 92) {
              i++;
              continue;
            }
            if (next === SP || next === TAB) {
              const at = continuationEnd(content, i + 2, n);
              if (at < 0) break argsCheck;
              i = at;
              continue;
            }
            i += next === CR ? 2 : 1;
            continue;
          }
          {
            const at = continuationEnd(content, i + 1, n);
            if (at < 0) break argsCheck;
            i = at;
            continue;
          }
        default:
          if (!quoted) break argsCheck;
      }
    }
    return out;
  }

  /**
   * PropertyInstruction.getPropertyArguments: ARG/ENV arguments as written (quotes and escapes kept),
   * split at unquoted whitespace; `s`, `ke`, `e`: instruction start, keyword end, instruction end.
   */
  private propertyArguments(s: number, ke: number, e: number): Arg[] {
    const text = this.text;
    const esc = this.esc;
    const escCode = this.escCode;
    const args: Arg[] = [];
    const fullArgs = text.substring(ke, e);
    const start = leadingNonWhitespace(fullArgs, esc);
    if (start === -1) return args;
    const base = ke + start;
    // On a continuation line already when the first argument is not on the keyword's line.
    let escaped = this.lineOf(s) !== this.lineOf(this.at(base));
    let endingEscape = false;
    let mark = -1;
    const end = this.trailingNonWhitespace(fullArgs);
    const content = fullArgs.substring(start, end + 1);
    const len = content.length;
    const arg = (a: number, b: number, value = content.substring(a, b)) => {
      args.push({ value, start: this.at(base + a), end: this.at(base + b) });
    };
    const spacedArgument = (argStart: number) => {
      if (argStart !== -1) arg(argStart, mark);
    };
    let argStart = escaped ? -1 : 0;
    let spaced = false;
    argumentLoop: for (let i = 0; i < len; i++) {
      const char = content[i];
      switch (char) {
        case esc: {
          if (i + 1 === len) {
            endingEscape = true;
            break argumentLoop;
          }
          if (!escaped) mark = i;
          const next = content[i + 1];
          switch (next) {
            case ' ':
            case '\t':
              if (!isWsChar(content.charAt(i + 2))) {
                // space was escaped, continue as normal
                i = i + 1;
                continue argumentLoop;
              }
              // whitespace encountered, need to figure out if it extends to EOL
              whitespaceCheck: for (let j = i + 2; j < len; j++) {
                switch (content[j]) {
                  case '\r':
                  case '\n':
                    escaped = true;
                    i = content[j] === '\r' ? j + 1 : j;
                    continue argumentLoop;
                  case ' ':
                  case '\t':
                    break;
                  default:
                    // whitespace doesn't extend to EOL, create an argument
                    args.push({ value: content.substring(argStart, i), start: this.at(base + argStart), end: this.at(base + i + 2) });
                    argStart = j;
                    break whitespaceCheck;
                }
              }
              // go back and start processing the encountered non-whitespace character
              i = argStart - 1;
              continue argumentLoop;
            case '\r':
            case '\n':
              // immediately followed by a newline, skip the newline
              escaped = true;
              i = next === '\r' ? i + 2 : i + 1;
              continue argumentLoop;
            case esc:
              // double escape found, skip it and move on
              if (argStart === -1) argStart = i;
              i = i + 1;
              continue argumentLoop;
            default:
              if (argStart === -1) argStart = i;
              // non-whitespace encountered, skip the escape and process the character normally
              continue argumentLoop;
          }
        }
        case "'":
        case '"': {
          if (spaced) {
            spacedArgument(argStart);
            argStart = i;
            spaced = false;
          }
          if (argStart === -1) argStart = i;
          for (let j = i + 1; j < len; j++) {
            const d = content[j];
            if (d === char) {
              if (content.charAt(j + 1) !== ' ' && content.charAt(j + 1) !== '') {
                // more content after the quote: all one argument
                i = j;
                continue argumentLoop;
              }
              arg(argStart, j + 1);
              i = j;
              argStart = -1;
              continue argumentLoop;
            }
            if (d === esc) j++;
          }
          break argumentLoop;
        }
        case ' ':
        case '\t':
          if (escaped) {
            // a space only counts if the argument does not span lines
            if (argStart !== -1) spaced = true;
          } else if (argStart !== -1) {
            arg(argStart, i);
            argStart = -1;
          }
          break;
        case '\r':
          i++;
          spaced = false;
          break;
        case '\n':
          spaced = false;
          break;
        case '#':
          if (escaped) {
            // a newline was escaped and now there's a comment
            for (let j = i + 1; j < len; j++) {
              const d = content[j];
              if (d === '\r' || d === '\n') {
                i = d === '\r' ? j + 1 : j;
                spaced = false;
                continue argumentLoop;
              }
            }
            // the comment was the instruction's last line
            if (argStart !== -1) {
              arg(argStart, mark);
              argStart = -1;
            }
            break argumentLoop;
          }
          if (argStart === -1) argStart = i;
          break;
        default:
          if (spaced) {
            spacedArgument(argStart);
            argStart = i;
            spaced = false;
          }
          escaped = false;
          if (argStart === -1) argStart = i;
          // a variable: `${…}` is one word, whitespace in it included when quoted or escaped
          if (char === '$' && content[i + 1] === '{') {
            let singleQuotes = false;
            let doubleQuotes = false;
            let esc2 = false;
            for (let j = i + 1; j < len; j++) {
              switch (content[j]) {
                case esc:
                  esc2 = true;
                  break;
                case '\r':
                case '\n':
                  break;
                case "'":
                  singleQuotes = !singleQuotes;
                  esc2 = false;
                  break;
                case '"':
                  doubleQuotes = !doubleQuotes;
                  esc2 = false;
                  break;
                case ' ':
                case '\t':
                  if (esc2 || singleQuotes || doubleQuotes) break;
                  i = j - 1;
                  continue argumentLoop;
                case '}':
                  i = j;
                  continue argumentLoop;
                default:
                  esc2 = false;
                  break;
              }
            }
            break argumentLoop;
          }
          // The ordinary characters that follow change no state now (`spaced` and `escaped` are
          // false, the argument has started; a `#` is ordinary when not escaped): taken as one run.
          while (i + 1 < len) {
            const d = content.charCodeAt(i + 1);
            if (d === SP || d === TAB || d === CR || d === LF || d === 34 || d === 39 || d === 36 /* $ */ || d === escCode) break;
            i++;
          }
          break;
      }
    }
    if (argStart !== -1 && argStart !== len) {
      const stop = endingEscape ? len - 1 : len;
      arg(argStart, stop);
    }
    return args;
  }

  /** PropertyInstruction.findTrailingNonWhitespace. */
  private trailingNonWhitespace(content: string): number {
    let index = content.length;
    for (let i = content.length - 1; i >= 0; i--) {
      const c = content.charCodeAt(i);
      if (c === SP || c === TAB) continue;
      if (c === LF || c === CR) {
        if (c === LF && content.charCodeAt(i - 1) === CR) i--;
        for (let j = i - 1; j >= 0; j--) {
          const d = content.charCodeAt(j);
          if (d === SP || d === TAB || d === CR || d === LF || d === this.escCode) continue;
          index = j;
          break;
        }
        break;
      }
      index = i;
      break;
    }
    return index;
  }

  /** PropertyInstruction.getProperties. */
  private properties(args: Arg[]): PropertySyntax[] {
    if (args.length === 0) return [];
    if (args.length === 1) return [this.property(args[0])];
    if (args.length === 2) {
      if (args[0].value.indexOf('=') === -1) return [this.property(args[0], args[1])];
      return [this.property(args[0]), this.property(args[1])];
    }
    if (args[0].value.indexOf('=') === -1) {
      // `ENV NAME a b c`: the rest is the value
      const rest = { value: '', start: args[1].start, end: args[args.length - 1].end };
      return [this.property(args[0], rest)];
    }
    return args.map((a) => this.property(a));
  }

  /** Property's constructor: `name=value`, or `name` and the value `arg2`, or `name` alone. */
  private property(arg: Arg, arg2?: Arg): PropertySyntax {
    const text = this.text;
    const esc = this.esc;
    // Property.getNameRange: up to the `=`, unless a quote opens before it and does not close right before it
    let nameEnd = arg.end;
    const value = arg.value;
    const index = value.indexOf('=');
    if (index !== -1) {
      const initial = value.charAt(0);
      const before = value.charAt(index - 1);
      if ((initial === '"' && before === '"') || (initial === "'" && before === "'") || (initial !== '"' && initial !== "'")) {
        nameEnd = this.at(arg.start + index);
      }
    }
    const nameRange = this.range(arg.start, nameEnd);
    const name = propertyValue(text.substring(arg.start, nameEnd), esc);
    if (arg2) {
      return {
        name,
        value: propertyValue(text.substring(arg2.start, arg2.end), esc),
        range: this.range(arg.start, arg2.end),
        nameRange,
        valueRange: this.range(arg2.start, arg2.end),
      };
    }
    const range = this.range(arg.start, arg.end);
    if (nameEnd === arg.end) return { name, value: null, range, nameRange, valueRange: null };
    const vs = this.at(arg.start + value.indexOf('=') + 1);
    return { name, value: propertyValue(text.substring(vs, arg.end), esc), range, nameRange, valueRange: this.range(vs, arg.end) };
  }
}

const isWsChar = (c: string) => c === ' ' || c === '\t' || c === '\r' || c === '\n';

/** Util.parseHeredocName: `<<EOF`, `<<-EOF`, `<<"EOF"`, `<<-'EOF'` → `EOF`; null when a quote is not closed or a `<` follows. */
function heredocName(arg: string): string | null {
  let value = arg.substring(2);
  if (value.charAt(0) === '-') value = value.substring(1);
  if (value.charAt(0) === '"') {
    if (value.charAt(value.length - 1) !== '"') return null;
    value = value.substring(1, value.length - 1);
  }
  if (value.charAt(0) === "'") {
    if (value.charAt(value.length - 1) !== "'") return null;
    value = value.substring(1, value.length - 1);
  }
  if (value.charAt(0) === '<') return null;
  return value;
}

/** Util.findLeadingNonWhitespace: the first character that is not whitespace or an escaped newline; -1 for none. */
function leadingNonWhitespace(content: string, esc: string): number {
  const escCode = esc.charCodeAt(0);
  whitespaceCheck: for (let i = 0; i < content.length; i++) {
    const c = content.charCodeAt(i);
    if (c === SP || c === TAB) continue;
    if (c !== escCode) return i;
    for (let j = i + 1; j < content.length; j++) {
      const d = content.charCodeAt(j);
      if (d === SP || d === TAB) continue;
      if (d === CR) {
        // offset one more for \r\n
        i = j + 1;
        continue whitespaceCheck;
      }
      if (d === LF) {
        i = j;
        continue whitespaceCheck;
      }
      break;
    }
    // an escape character, then no newline
    return -1;
  }
  return -1;
}

const SPECIAL_IN_VALUE = /[\r\n#]/;

/**
 * Property.getValue: the value of a property as written in `value`, enclosing quotes removed,
 * escapes resolved, escaped newlines and the comment lines after them dropped.
 */
function propertyValue(input: string, escapeChar: string): string {
  let escaped = false;
  const skip = leadingNonWhitespace(input, escapeChar);
  if (skip !== 0 && input.charAt(skip) === '#') {
    // need to skip over comments
    escaped = true;
  }
  let value = input.substring(skip);
  const first = value.charAt(0);
  const last = value.charAt(value.length - 1);
  const literal = first === "'" || first === '"';
  const inSingle = first === "'" && last === "'";
  let inDouble = false;
  if (first === '"') {
    for (let i = 1; i < value.length; i++) {
      if (value.charAt(i) === escapeChar) i++;
      else if (value.charAt(i) === '"' && i === value.length - 1) inDouble = true;
    }
  }
  if (inSingle || inDouble) value = value.substring(1, value.length - 1);
  // Without escape characters, line ends and `#`, every character is kept as it is (the loop below
  // appends each one; `escaped` can only start true on a `#`).
  if (value.indexOf(escapeChar) === -1 && !SPECIAL_IN_VALUE.test(value)) return value;
  let commentCheck = -1;
  let escapedValue = '';
  parseValue: for (let i = 0; i < value.length; i++) {
    let char = value.charAt(i);
    switch (char) {
      case escapeChar:
        if (i + 1 === value.length) {
          escapedValue = escapedValue + escapeChar;
          break parseValue;
        }
        char = value.charAt(i + 1);
        if (char === ' ' || char === '\t') {
          whitespaceCheck: for (let j = i + 2; j < value.length; j++) {
            const char2 = value.charAt(j);
            switch (char2) {
              case ' ':
              case '\t':
                break;
              case '\r':
              case '\n':
                escaped = true;
                i = char2 === '\r' ? j + 1 : j;
                continue parseValue;
              default:
                if (!inDouble && !inSingle && !literal) {
                  if (char2 === escapeChar) {
                    // add the escaped character, then parse from the next escape character
                    escapedValue = escapedValue + char;
                    i = i + 1;
                  } else {
                    escapedValue = escapedValue + char + char2;
                    i = j;
                  }
                  continue parseValue;
                }
                break whitespaceCheck;
            }
          }
        }
        if (inDouble) {
          if (char === '\r') {
            escaped = true;
            i = i + 2;
          } else if (char === '\n') {
            escaped = true;
            i++;
          } else if (char !== '"') {
            if (char === escapeChar) i++;
            escapedValue = escapedValue + escapeChar;
          }
          continue parseValue;
        }
        if (inSingle || literal) {
          if (char === '\r') {
            escaped = true;
            i = i + 2;
          } else if (char === '\n') {
            escaped = true;
            i++;
          } else {
            escapedValue = escapedValue + escapeChar;
          }
          continue parseValue;
        }
        if (char === escapeChar) {
          // double escape, append one and move on
          escapedValue = escapedValue + escapeChar;
          i++;
        } else if (char === '\r') {
          escaped = true;
          // offset one more for \r\n
          i = i + 2;
        } else if (char === '\n') {
          escaped = true;
          i++;
        } else {
          // any other escapes are simply ignored
          escapedValue = escapedValue + char;
          i++;
        }
        break;
      case ' ':
      case '\t':
        if (escaped && commentCheck === -1) commentCheck = i;
        escapedValue = escapedValue + char;
        break;
      case '\r':
      case '\n':
        if (char === '\r') i++;
        if (escaped && commentCheck !== -1) {
          // rollback and remove the whitespace that was previously appended
          escapedValue = escapedValue.substring(0, escapedValue.length - (i - commentCheck - 1));
          commentCheck = -1;
        }
        break;
      case '#':
        // a newline was escaped and now there's a comment
        if (escaped) {
          if (commentCheck !== -1) {
            // rollback and remove the whitespace that was previously appended
            escapedValue = escapedValue.substring(0, escapedValue.length - (i - commentCheck));
            commentCheck = -1;
          }
          for (let j = i + 1; j < value.length; j++) {
            const d = value.charAt(j);
            if (d === '\r' || d === '\n') {
              i = d === '\r' ? j + 1 : j;
              break;
            }
          }
          continue parseValue;
        }
        escapedValue = escapedValue + char;
        break;
      default:
        if (escaped) {
          escaped = false;
          commentCheck = -1;
        }
        escapedValue = escapedValue + char;
        break;
    }
  }
  return escapedValue;
}

/**
 * After an escape character: when only spaces or tabs lead from `from` to the line's end, the index
 * the scan goes on from (the `\n`, or past the `\r` of `\r\n`); else -1.
 */
function continuationEnd(content: string, from: number, n: number): number {
  for (let j = from; j < n; j++) {
    const d = content.charCodeAt(j);
    if (d === CR || d === LF) return d === CR ? j + 1 : j;
    if (d !== SP && d !== TAB) return -1;
  }
  return -1;
}
