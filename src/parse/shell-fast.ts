/**
 * A hand-written parser for the common subset of shell that Dockerfile bodies use, in front of
 * tree-sitter-bash. It builds exactly the `SNode` tree that `mirror` (src/parse/shell.ts) copies out of
 * tree-sitter-bash for the same text — the same node types, named flags, offsets, field ids and
 * children — so the builder cannot tell the two apart. For anything outside the subset, or anything
 * whose tree-sitter shape is not certain, it returns null and the caller asks tree-sitter.
 *
 * The subset: statements separated by `;`, `&` and newlines; `&&` / `||` lists and `|` pipelines of
 * simple commands (prefix assignments, a name, arguments); trailing redirects `>`, `>>`, `<`, `>&`,
 * `<&`, `&>` with an optional file descriptor; assignment-only statements; `export`-style declarations
 * and `unset` (a word that starts with a "string" read as in a command, `export "$var"="$val"`); `( … )` subshells, `{ …; }` groups and `case` with plain patterns; `for NAME in WORDS…;
 * do …; done`; `while …; do …; done` and `until …` (the condition's statements and their `;`/`&` at
 * the `condition` field); function definitions `NAME() { …; }` and `function NAME { …; }` as a
 * statement of their own (`local` is a declaration like `export`); `if …; then …; [elif …; then …;]…
 * [else …;] fi`; test commands `[ EXPR ]` where EXPR is
 * a word, `-op WORD` (`-n`, `-s`, `-e`…), `! EXPR`, or one of those, `=`, `!=` or `-eq`… (`-ne`, `-lt`,
 * `-le`, `-gt`, `-ge`, `-nt`, `-ot`, `-ef`) and a word; words made of bare text (with `\` escapes),
 * "double-quoted" and 'single-quoted' strings, `$NAME`, `${NAME}`, `${NAME:-word}`, `${NAME%%pattern}`
 * (NAME digits too, `${1}`, `${2:-}`; `${!NAME…}` indirect, a `!` token before the name), `$( … )`,
 * `$(< WORD)` (a bare `file_redirect` in the substitution, with no fields), and `$$NAME` / `$${NAME}` as compose healthchecks write them (`$$` and words: `{`, NAME, `}`);
 * comments (`#` to the end of the line, a shebang too) between statements, after one, after `&&`, `|`,
 * `then`, `do`, `{`, `(`, `$(` — placed as tree-sitter places extras (`attachComments`). Not in it
 * (null): comments after a line continuation, against a word or in case patterns, other control flow (`select`, `for NAME;
 * do`, `for ((…))`), functions written `NAME()` and a newline before `{`, `function NAME()`, other
 * bodies than `{ … }`, or followed by a redirect (the function's own) or more than a terminator,
 * `[[ … ]]`, `test`, `-a` / `-o` / `(`…`)` / `<` / `>` / `==` / `=~` in tests
 * and globs in their words, heredocs and herestrings, arithmetic, backticks, other `${…}` operators
 * (`${!x*}`, `${!_}`, `${1a}`…), `$(<` with more than one word or anything after the word,
 * other brace/bracket characters, process substitution, `!` before a command, carriage returns,
 * keywords used as command names, and the shapes the tests found tree-sitter reads in a way of its own
 * (in tests: `-s 1 -ne 0` is `-s (1 -ne 0)` while `-n x = y` is `(-n x) = y`; a bare word after `!=`
 * may be an `extglob_pattern`; a redirect after `]` and a later `]` may make one test command around a
 * redirected command, unless the `;` or `&` that ends the first test's statement comes between; a
 * pipeline of three or more commands with a redirect may be `a | (b | c > f)` in a compound statement
 * or before a later `&&` / `||`).
 *
 * In compound statements each statement needs a terminator before the closing keyword (`done`, `then`,
 * `elif`, `else`, `fi`), which is one only in command position (`echo done` is a word); an `elif` or
 * `else` clause ended by a newline ends after it and the newlines right after it.
 *
 * Shapes follow the grammar (tree-sitter-bash 0.25): pipelines bind tighter than lists, lists nest to
 * the left, and a redirect after a command wraps everything the statement has so far (`a && b > f` is
 * a redirected list), which then acts as one operand.
 *
 * Character codes are scanned directly (no regular expressions, no per-character strings); positions
 * are UTF-16 offsets, as tree-sitter gives them for a JavaScript string.
 */

/** A syntax node as the builder sees it (see `mirror` in shell.ts). */
export interface SNode {
  type: string;
  named: boolean;
  missing: boolean;
  /** UTF-16 offsets into the script text. */
  start: number;
  end: number;
  /** Field id in the parent (0: none or not read). */
  field: number;
  parent: SNode | null;
  children: SNode[];
}

/** The grammar's field ids that `mirror` records in the subset's nodes. */
export interface FastFields {
  body: number;
  name: number;
  value: number;
  argument: number;
  redirect: number;
  destination: number;
  descriptor: number;
  termination: number;
  variable: number;
  condition: number;
}

/** Thrown (never escapes `fastShell`) when the text leaves the subset. */
const BAIL = { bail: true };

// Character codes.
const TAB = 9;
const NL = 10;
const CR = 13;
const SPACE = 32;
const BANG = 33;
const DQUOTE = 34;
const HASH = 35;
const DOLLAR = 36;
const AMP = 38;
const SQUOTE = 39;
const LPAREN = 40;
const RPAREN = 41;
const SEMI = 59;
const LBRACKET = 91;
const LT = 60;
const EQ = 61;
const GT = 62;
const BACKSLASH = 92;
const BACKTICK = 96;
const LBRACE = 123;
const PIPE = 124;
const RBRACE = 125;
const RBRACKET = 93;

/**
 * Characters that end a bare word (the grammar's SPECIAL_CHARACTERS and whitespace); 1 for those,
 * 2 for whitespace. Only ASCII is special.
 */
const SPECIAL = new Uint8Array(128);
for (const ch of '\'"<>{}[]()`$|&;\\') SPECIAL[ch.charCodeAt(0)] = 1;
for (const ch of ' \t\n\v\f\r') SPECIAL[ch.charCodeAt(0)] = 2;

/** `\w`: ASCII letters, digits, `_`. */
function isWordChar(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95;
}

/** Letters, digits, `_`, `.`, `/`: a default value the subset reads as one word. */
function plainExpansionChar(c: number): boolean {
  return isWordChar(c) || c === 46 || c === 47;
}

/** Those, `-`, `*`, `[`, `]`: a pattern the subset reads as one regex token. */
function plainPatternChar(c: number): boolean {
  return isWordChar(c) || c === 46 || c === 45 || c === 42 || c === 91 || c === 93;
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/** Words tree-sitter-bash reads as keywords (or as statements of their own) in some position. */
const KEYWORDS = new Set([
  'if',
  'then',
  'else',
  'elif',
  'fi',
  'case',
  'esac',
  'for',
  'select',
  'while',
  'until',
  'do',
  'done',
  'in',
  'function',
  'declare',
  'typeset',
  'export',
  'readonly',
  'local',
  'unset',
  'unsetenv',
]);

/** Unary and binary test operators (`-a` and `-o` are `and` / `or` too: not in the subset). */
const UNARY_TESTS = new Set(['b', 'c', 'd', 'e', 'f', 'g', 'h', 'k', 'n', 'p', 'r', 's', 't', 'u', 'w', 'x', 'z', 'L', 'S', 'G', 'O', 'N']);
const BINARY_TESTS = new Set(['eq', 'ne', 'lt', 'le', 'gt', 'ge', 'nt', 'ot', 'ef']);

const DECLARATIONS = new Set(['declare', 'typeset', 'export', 'readonly', 'local']);

function node(type: string, named: boolean, start: number, end: number, field: number): SNode {
  return { type, named, missing: false, start, end, field, parent: null, children: [] };
}

/**
 * Tokens and other leaves (about half of a tree's nodes) share one empty children array rather than
 * each allocating one. Nothing adds children to a leaf, and the builder only reads `children`.
 */
const NO_CHILDREN: SNode[] = [];

function leaf(type: string, named: boolean, start: number, end: number, field: number): SNode {
  return { type, named, missing: false, start, end, field, parent: null, children: NO_CHILDREN };
}

function add(parent: SNode, child: SNode): void {
  child.parent = parent;
  parent.children.push(child);
}

/** A node over `children` (their span), at `field`. */
function wrap(type: string, children: SNode[], field: number): SNode {
  const n = node(type, true, children[0].start, children[children.length - 1].end, field);
  for (let i = 0; i < children.length; i++) add(n, children[i]);
  return n;
}

/** Whether a statement has a pipeline of three or more commands at its top (in its lists, under its redirects). */
function hasLongPipeline(n: SNode): boolean {
  if (n.type === 'pipeline' && n.children.length >= 5) return true;
  if (n.type !== 'list' && n.type !== 'redirected_statement' && n.type !== 'pipeline') return false;
  for (let i = 0; i < n.children.length; i++) if (hasLongPipeline(n.children[i])) return true;
  return false;
}

/** Whether a test expression has a unary `-op` in it. */
function hasTestOperator(e: SNode): boolean {
  if (e.type !== 'unary_expression') return false;
  return e.children[0].type === 'test_operator' || hasTestOperator(e.children[1]);
}

class FastParser {
  pos = 0;
  readonly len: number;

  constructor(
    readonly s: string,
    readonly f: FastFields,
  ) {
    this.len = s.length;
  }

  at(i: number): number {
    return i < this.len ? this.s.charCodeAt(i) : -1;
  }

  tok(type: string, len: number): SNode {
    const n = leaf(type, false, this.pos, this.pos + len, 0);
    this.pos += len;
    return n;
  }

  /**
   * Skips blanks and line continuations; newlines too if `nl`, and then comments too unless
   * `comments` is false (where a case pattern may follow).
   */
  skip(nl: boolean, comments = nl): void {
    const s = this.s;
    const n = this.len;
    let p = this.pos;
    while (p < n) {
      const c = s.charCodeAt(p);
      if (c === SPACE || c === TAB || (nl && c === NL)) p++;
      else if (c === BACKSLASH && p + 1 < n && s.charCodeAt(p + 1) === NL) {
        // Right after a newline, tree-sitter reads the next line as more of the command before it.
        if (p > 0 && s.charCodeAt(p - 1) === NL) throw BAIL;
        p += 2;
      } else if (c === HASH && comments) {
        this.pos = p;
        this.comment();
        p = this.pos;
      } else break;
    }
    this.pos = p;
  }

  /** Comments read so far, in order; `attachComments` puts them into the tree. */
  readonly comments: SNode[] = [];

  /**
   * A comment at the cursor (`#`), up to the end of the line. Only after a blank, a newline or an
   * operator (`;`, `&`, `|`, `(`), and not after a line continuation (blanks between).
   */
  comment(): void {
    const s = this.s;
    const start = this.pos;
    if (start > 0) {
      const b = s.charCodeAt(start - 1);
      if (!(b === SPACE || b === TAB || b === NL || b === SEMI || b === AMP || b === PIPE || b === LPAREN)) throw BAIL;
      let i = start - 1;
      while (i >= 0 && (s.charCodeAt(i) === SPACE || s.charCodeAt(i) === TAB)) i--;
      if (i >= 1 && s.charCodeAt(i) === NL && s.charCodeAt(i - 1) === BACKSLASH) throw BAIL;
    }
    let p = start + 1;
    const n = this.len;
    while (p < n) {
      const c = s.charCodeAt(p);
      if (c === NL) break;
      if (c === CR) throw BAIL;
      p++;
    }
    this.comments.push(leaf('comment', true, start, p, 0));
    this.pos = p;
  }

  /** A comment after a statement, before its terminator: after a blank only. */
  trailingComment(): void {
    if (this.at(this.pos) !== HASH) return;
    const b = this.at(this.pos - 1);
    if (!(b === SPACE || b === TAB)) throw BAIL;
    this.comment();
  }

  program(): SNode {
    this.skip(true, false);
    if (this.pos >= this.len) throw BAIL;
    // The program starts at its first statement or comment.
    const root = node('program', true, this.pos, this.len, 0);
    this.skip(true);
    if (this.pos < this.len) this.statements(root, -1);
    if (this.pos !== this.len) throw BAIL;
    // A line continuation with nothing but blanks after it is an error for tree-sitter.
    let k = this.len;
    while (k > 0 && (this.s.charCodeAt(k - 1) === SPACE || this.s.charCodeAt(k - 1) === TAB || this.s.charCodeAt(k - 1) === NL)) k--;
    if (k > 0 && k < this.len && this.s.charCodeAt(k - 1) === BACKSLASH && this.s.charCodeAt(k) === NL) throw BAIL;
    return root;
  }

  /**
   * Statements and their terminators, into `parent`, up to the end or to `close`: `)` (which may
   * follow a statement directly) or `}` (only after a terminator, as a word of its own).
   */
  statements(parent: SNode, close: number): void {
    for (;;) {
      const c = this.statementAndTerminator(parent);
      if (c === NL) this.pos++;
      else if (c !== SEMI && c !== AMP) {
        if (c === -1 || (close === RPAREN && c === RPAREN)) return;
        throw BAIL;
      }
      this.skip(true);
      const e = this.at(this.pos);
      if (e === -1 || (close === RPAREN && e === RPAREN)) return;
      if (close === RBRACE && e === RBRACE) {
        const d = this.at(this.pos + 1);
        if (d === -1 || d === SPACE || d === TAB || d === NL || d === SEMI || d === AMP || d === PIPE || d === RPAREN) return;
        throw BAIL;
      }
    }
  }

  /**
   * After a statement with a pipeline of three or more commands ended by a newline (`a | b | c`),
   * tree-sitter may read the next lines as more words of its last command, up to an `&&`, `||` or a
   * redirect (`a | b | c\nd\ne || f` is `a | (b | c d e || f)`): a later one of those is left to it.
   */
  afterLongPipeline = false;

  noteNewlineAfter(st: SNode): void {
    if (!this.afterLongPipeline && hasLongPipeline(st)) this.afterLongPipeline = true;
  }

  /** A list of pipelines of commands, with redirects wrapping what precedes them. */
  statement(): SNode {
    const outer = this.stmt;
    this.stmt = ++this.stmts;
    let left: SNode | null = null;
    let op: SNode | null = null;
    let pipe: SNode[] = [];
    // `( a | b | c > f )`, `a | b | c > f ;;` and such a pipeline in an if-statement's body before a
    // newline are read as `a | (b | c > f)`: left to tree-sitter unless the statement is the program's own.
    let longRedirect = false;
    for (;;) {
      pipe.push(this.element(left === null && pipe.length === 0));
      this.skip(false);
      if (this.atRedirect()) {
        if (this.afterLongPipeline) throw BAIL;
        if (left === null && pipe.length >= 5) longRedirect = true;
        const body = this.finish(left, op, pipe);
        body.field = this.f.body;
        const r = node('redirected_statement', true, body.start, body.end, 0);
        add(r, body);
        do {
          const fr = this.redirect();
          add(r, fr);
          r.end = fr.end;
          this.skip(false);
        } while (this.atRedirect());
        left = null;
        op = null;
        pipe = [r];
      }
      const c = this.at(this.pos);
      const d = this.at(this.pos + 1);
      if (c === PIPE && d !== PIPE) {
        if (d === AMP) throw BAIL;
        pipe.push(this.tok('|', 1));
      } else if ((c === AMP && d === AMP) || (c === PIPE && d === PIPE)) {
        // `a | b | c && d` is read as `a | (b | c && d)`: left to tree-sitter.
        // So are `a | b | c > f | d && e` and `a | b | c | d > f && e`: after a redirected one of three
        // or more commands, a later `&&` or `||` is left to tree-sitter.
        if ((left === null && pipe.length >= 5) || this.afterLongPipeline || longRedirect) throw BAIL;
        const p = pipe.length === 1 ? pipe[0] : wrap('pipeline', pipe, 0);
        left = left && op ? wrap('list', [left, op, p], 0) : p;
        op = this.tok(c === AMP ? '&&' : '||', 2);
        pipe = [];
      } else {
        if (longRedirect && outer !== 0) throw BAIL;
        this.lastStmt = this.stmt;
        this.stmt = outer;
        return this.finish(left, op, pipe);
      }
      this.skip(true);
    }
  }

  /** The word `kw` at the cursor, followed by a blank, newline, `;` or the end. */
  atKeyword(kw: string): boolean {
    if (!this.s.startsWith(kw, this.pos)) return false;
    const c = this.at(this.pos + kw.length);
    return c === -1 || c === SPACE || c === TAB || c === NL || c === SEMI;
  }

  /**
   * `case WORD in … esac` with items `P|P…) statements ;;`, each pattern `*` or letters, digits and
   * `_` starting with a letter. The grammar's scanner reads a pattern as an `extglob_pattern` or
   * leaves it to be a `word`; `casePattern` follows its rules for these patterns.
   */
  caseStatement(): SNode {
    const f = this.f;
    const cs = node('case_statement', true, this.pos, 0, 0);
    add(cs, this.tok('case', 4));
    this.skipBlanks();
    if (!this.atLiteral() || this.atRedirect()) throw BAIL;
    add(cs, this.literal(0));
    this.skipBlanks();
    if (!this.atKeyword('in') || this.at(this.pos + 2) === SEMI) throw BAIL;
    add(cs, this.tok('in', 2));
    this.skip(true, false);
    let last: SNode | null = null;
    while (!this.atKeyword('esac')) {
      const item = node('case_item', true, this.pos, 0, 0);
      for (;;) {
        add(item, this.casePattern(f.value));
        const c = this.at(this.pos);
        if (c === PIPE) {
          add(item, this.tok('|', 1));
          continue;
        }
        if (c !== RPAREN) throw BAIL;
        add(item, this.tok(')', 1));
        const d = this.at(this.pos);
        if (!(d === SPACE || d === TAB || d === NL)) throw BAIL;
        break;
      }
      this.skip(true);
      while (!(this.at(this.pos) === SEMI && this.at(this.pos + 1) === SEMI)) {
        if (this.atKeyword('esac')) throw BAIL;
        const st = this.statement();
        add(item, st);
        this.skip(false);
        this.trailingComment();
        const c = this.at(this.pos);
        const d = this.at(this.pos + 1);
        if (c === NL) this.noteNewlineAfter(st);
        if (c === SEMI && d === SEMI) break;
        if (c === SEMI && d !== AMP) add(item, this.tok(';', 1));
        else if (c === AMP) add(item, this.tok('&', 1));
        else if (c === NL) this.pos++;
        else throw BAIL;
        this.skip(true);
      }
      const d = this.at(this.pos + 2);
      if (d === SEMI || d === AMP) throw BAIL;
      last = leaf(';;', false, this.pos, this.pos + 2, f.termination);
      this.pos += 2;
      add(item, last);
      item.end = this.pos;
      add(cs, item);
      this.skip(true, false);
    }
    // The last item is the grammar's `last_case_item`, whose `;;` has no field.
    if (last === null) throw BAIL;
    last.field = 0;
    add(cs, this.tok('esac', 4));
    cs.end = this.pos;
    return cs;
  }

  /** One element of a pipeline: a compound statement, a test command or a simple command. */
  element(first: boolean): SNode {
    if (first && this.atKeyword('case')) return this.caseStatement();
    if (this.atKeyword('for')) return this.forStatement();
    if (this.atKeyword('if')) return this.ifStatement();
    if (this.atKeyword('while') || this.atKeyword('until')) return this.whileStatement();
    if (first) {
      const fn = this.functionDefinition();
      if (fn) return fn;
    }
    if (this.at(this.pos) === LBRACKET) {
      const d = this.at(this.pos + 1);
      if (d === SPACE || d === TAB) return this.testCommand();
    }
    return this.command();
  }

  /**
   * The keyword `kw` at the cursor where it closes (or goes on with) a compound statement: followed by
   * a blank, a newline, the end, or a character that ends a command.
   */
  atCloser(kw: string): boolean {
    if (!this.s.startsWith(kw, this.pos)) return false;
    const c = this.at(this.pos + kw.length);
    return (
      c === -1 || c === SPACE || c === TAB || c === NL || c === SEMI || c === AMP || c === PIPE || c === RPAREN || c === LT || c === GT
    );
  }

  /**
   * The test commands read that a later `]` may still close in tree-sitter's reading (see
   * `testCommand`): each with the statement it is an element of (its number), and whether a redirect
   * came after it. The `;` or `&` that ends that statement ends its chance: tree-sitter's test command
   * would be an element of the same statement, from its `[` to that `]`, and its one redirected
   * statement holds a `;` or `&` only inside a compound statement of its own, opened after the `[`.
   */
  openTests: { stmt: number; redirected: boolean }[] = [];

  /** Statements (`statement`) are numbered as they start: the one being read, the last one read. */
  stmts = 0;
  stmt = 0;
  lastStmt = 0;

  /** A redirect was read: after each test command still open. */
  noteRedirect(): void {
    for (let i = 0; i < this.openTests.length; i++) this.openTests[i].redirected = true;
  }

  /** A `;` or `&` ends statement `stmt`: its test commands are closed for good. */
  closeTests(stmt: number): void {
    if (this.openTests.length) this.openTests = this.openTests.filter((t) => t.stmt !== stmt);
  }

  /** Where the last terminator `terminated` read ends. */
  termEnd = 0;

  /**
   * A statement into `parent`, then its trailing comment, and its `;` or `&` when one follows (added
   * to `parent`): returns the character that ended it (a newline is left for the caller).
   */
  statementAndTerminator(parent: SNode): number {
    const st = this.statement();
    add(parent, st);
    this.skip(false);
    this.trailingComment();
    const c = this.at(this.pos);
    if (c === NL) this.noteNewlineAfter(st);
    if (c === SEMI) {
      const d = this.at(this.pos + 1);
      if (d === SEMI || d === AMP) throw BAIL;
      add(parent, this.tok(';', 1));
      this.closeTests(this.lastStmt);
    } else if (c === AMP) {
      add(parent, this.tok('&', 1));
      this.closeTests(this.lastStmt);
    }
    return c;
  }

  /**
   * Terminated statements into `parent` until one of `closers` (a keyword in command position): each
   * statement needs a terminator (`;`, `&` or a newline). Returns the closer found.
   */
  terminated(parent: SNode, closers: readonly string[]): string {
    for (;;) {
      const c = this.statementAndTerminator(parent);
      if (c === NL) {
        // The newlines right after it are all part of it (an `elif` or `else` clause ends after them).
        do this.pos++;
        while (this.at(this.pos) === NL);
      } else if (c !== SEMI && c !== AMP) {
        throw BAIL;
      }
      this.termEnd = this.pos;
      this.skip(true);
      for (let i = 0; i < closers.length; i++) if (this.atCloser(closers[i])) return closers[i];
      if (this.pos >= this.len) throw BAIL;
    }
  }

  /** `for NAME in WORDS…; do STATEMENTS; done` (a newline for the `;`). */
  forStatement(): SNode {
    const f = this.f;
    const fs = node('for_statement', true, this.pos, 0, 0);
    add(fs, this.tok('for', 3));
    this.skip(false);
    const n0 = this.pos;
    let c = this.at(n0);
    if (!(isWordChar(c) && !isDigit(c))) throw BAIL;
    while (isWordChar(c)) c = this.at(++this.pos);
    if (!(c === SPACE || c === TAB)) throw BAIL;
    add(fs, leaf('variable_name', true, n0, this.pos, f.variable));
    this.skip(false);
    // `for NAME; do` and `for NAME do` are left to tree-sitter.
    if (!(this.s.startsWith('in', this.pos) && (this.at(this.pos + 2) === SPACE || this.at(this.pos + 2) === TAB))) throw BAIL;
    add(fs, this.tok('in', 2));
    let n = 0;
    for (;;) {
      this.skip(false);
      if (!this.atLiteral() || this.atRedirect()) break;
      add(fs, this.literal(f.value));
      n++;
    }
    if (n === 0) throw BAIL;
    this.trailingComment();
    c = this.at(this.pos);
    if (c === SEMI) {
      const d = this.at(this.pos + 1);
      if (d === SEMI || d === AMP) throw BAIL;
      add(fs, this.tok(';', 1));
    } else if (c === NL) {
      this.pos++;
    } else {
      throw BAIL;
    }
    this.skip(true);
    if (!this.atKeyword('do')) throw BAIL;
    add(fs, this.doGroup());
    fs.end = this.pos;
    return fs;
  }

  /** `do LIST; done` at the cursor: a loop's body (its `body` field). */
  doGroup(): SNode {
    const body = node('do_group', true, this.pos, 0, this.f.body);
    add(body, this.tok('do', 2));
    this.skip(true);
    this.terminated(body, ['done']);
    add(body, this.tok('done', 4));
    body.end = this.pos;
    return body;
  }

  /**
   * `while LIST; do LIST; done` and `until …` (a newline for the `;`): the condition's statements and
   * their `;` / `&` tokens are at the `condition` field.
   */
  whileStatement(): SNode {
    const f = this.f;
    const ws = node('while_statement', true, this.pos, 0, 0);
    const kw = this.s.charCodeAt(this.pos) === 119 ? 'while' : 'until';
    add(ws, this.tok(kw, kw.length));
    this.skip(true);
    const k = ws.children.length;
    this.terminated(ws, ['do']);
    for (let i = k; i < ws.children.length; i++) ws.children[i].field = f.condition;
    add(ws, this.doGroup());
    ws.end = this.pos;
    return ws;
  }

  /**
   * `NAME() { LIST; }` (blanks only between `)` and `{`) and `function NAME { LIST; }`, as the first
   * element of a statement; null when the cursor is at neither. A redirect or anything but the end of
   * the statement after the `}` is left to tree-sitter (a redirect there is the function's own).
   */
  functionDefinition(): SNode | null {
    const f = this.f;
    const s = this.s;
    const start = this.pos;
    let i = start;
    const keyword = this.atKeyword('function');
    if (keyword) {
      i += 8;
      while (this.at(i) === SPACE || this.at(i) === TAB) i++;
    }
    const n0 = i;
    let c = this.at(i);
    if (!(isWordChar(c) && !isDigit(c))) {
      if (keyword) throw BAIL;
      return null;
    }
    while (isWordChar(c)) c = this.at(++i);
    const n1 = i;
    if (keyword) {
      if (!(c === SPACE || c === TAB)) throw BAIL;
    } else if (!(c === LPAREN && this.at(i + 1) === RPAREN)) {
      return null;
    }
    if (KEYWORDS.has(s.slice(n0, n1))) throw BAIL;
    const fn = node('function_definition', true, start, 0, 0);
    if (keyword) add(fn, this.tok('function', 8));
    add(fn, leaf('word', true, n0, n1, f.name));
    this.pos = n1;
    if (!keyword) {
      add(fn, this.tok('(', 1));
      add(fn, this.tok(')', 1));
    }
    while (this.at(this.pos) === SPACE || this.at(this.pos) === TAB) this.pos++;
    const d = this.at(this.pos + 1);
    if (this.at(this.pos) !== LBRACE || !(d === SPACE || d === TAB || d === NL)) throw BAIL;
    const body = this.group('compound_statement', RBRACE);
    body.field = f.body;
    add(fn, body);
    fn.end = body.end;
    this.skip(false);
    const e = this.at(this.pos);
    const b = this.at(this.pos - 1);
    if (!(e === -1 || e === NL || (e === SEMI && this.at(this.pos + 1) !== SEMI) || (e === HASH && (b === SPACE || b === TAB)))) throw BAIL;
    return fn;
  }

  /** `if LIST; then LIST; [elif LIST; then LIST;]… [else LIST;] fi`. */
  ifStatement(): SNode {
    const is = node('if_statement', true, this.pos, 0, 0);
    add(is, this.tok('if', 2));
    this.skip(true);
    if (this.terminated(is, ['then']) !== 'then') throw BAIL;
    add(is, this.tok('then', 4));
    this.skip(true);
    let kw = this.terminated(is, ['fi', 'elif', 'else']);
    while (kw === 'elif') {
      const clause = node('elif_clause', true, this.pos, 0, 0);
      add(clause, this.tok('elif', 4));
      this.skip(true);
      this.terminated(clause, ['then']);
      add(clause, this.tok('then', 4));
      this.skip(true);
      kw = this.terminated(clause, ['fi', 'elif', 'else']);
      clause.end = this.termEnd;
      add(is, clause);
    }
    if (kw === 'else') {
      const clause = node('else_clause', true, this.pos, 0, 0);
      add(clause, this.tok('else', 4));
      this.skip(true);
      this.terminated(clause, ['fi']);
      clause.end = this.termEnd;
      add(is, clause);
    }
    add(is, this.tok('fi', 2));
    is.end = this.pos;
    return is;
  }

  /**
   * `[ EXPR ]` with EXPR a word; `-op WORD`; `! EXPR`; or one of those, `=`, `!=` or `-eq`… and a
   * word. `!` and `-op` bind tighter than the binary operators (`! a = b` is `(! a) = b`).
   */
  testCommand(): SNode {
    const tc = node('test_command', true, this.pos, 0, 0);
    add(tc, this.tok('[', 1));
    this.skip(false);
    let e = this.testUnary();
    this.skip(false);
    const op = this.testBinaryOperator();
    if (op) {
      // `-s 1 -ne 0` is `-s (1 -ne 0)`, but `-n x = y` is `(-n x) = y`: the first is left to tree-sitter.
      if (op.type === 'test_operator' && hasTestOperator(e)) throw BAIL;
      this.skip(false);
      const right = this.testOperand();
      // After `!=`, tree-sitter's scanner reads some bare words as an `extglob_pattern`.
      if (
        op.type === '!=' &&
        (right.type === 'concatenation' ? right.children : [right]).some((p) => p.type === 'word' || p.type === 'number')
      )
        throw BAIL;
      e = wrap('binary_expression', [e, op, right], 0);
      this.skip(false);
    }
    add(tc, e);
    // `]` against the last word, or followed by more than the end of the command: left to tree-sitter.
    const b = this.s.charCodeAt(this.pos - 1);
    if (this.at(this.pos) !== RBRACKET || !(b === SPACE || b === TAB)) throw BAIL;
    const d = this.at(this.pos + 1);
    if (!(d === -1 || d === SPACE || d === TAB || d === NL || d === SEMI || d === AMP || d === PIPE || d === RPAREN)) throw BAIL;
    // `[ a -gt "" ] > f` and a newline, `[ x ]`: tree-sitter may read all of it as one test command
    // around a redirected command `a -gt "" ] [ x` (newlines are blanks there). Left to tree-sitter:
    // a `]` after a redirect after a `]`, unless the `;` or `&` that ends the earlier test command's
    // statement came between (`if [ a ]; then b >&2; fi` and `[ c ]`; see `openTests`).
    for (let i = 0; i < this.openTests.length; i++) if (this.openTests[i].redirected) throw BAIL;
    this.openTests.push({ stmt: this.stmt, redirected: false });
    add(tc, this.tok(']', 1));
    tc.end = this.pos;
    return tc;
  }

  /** `! EXPR`, `-op WORD` or a word. */
  testUnary(): SNode {
    const c = this.at(this.pos);
    const d = this.at(this.pos + 1);
    if (c === BANG && (d === SPACE || d === TAB)) {
      const bang = this.tok('!', 1);
      this.skip(false);
      return wrap('unary_expression', [bang, this.testUnary()], 0);
    }
    if (c === 45) {
      const e = this.testOperatorEnd(UNARY_TESTS);
      if (e < 0) throw BAIL;
      const op = leaf('test_operator', true, this.pos, e, 0);
      this.pos = e;
      this.skip(false);
      return wrap('unary_expression', [op, this.testOperand()], 0);
    }
    return this.testOperand();
  }

  /** `=`, `!=` or a binary test operator followed by a blank, as its token; null before `]`. */
  testBinaryOperator(): SNode | null {
    const c = this.at(this.pos);
    if (c === RBRACKET) return null;
    const blank = (i: number) => this.at(i) === SPACE || this.at(i) === TAB;
    if (c === EQ && blank(this.pos + 1)) return this.tok('=', 1);
    if (c === BANG && this.at(this.pos + 1) === EQ && blank(this.pos + 2)) return this.tok('!=', 2);
    if (c === 45) {
      const e = this.testOperatorEnd(BINARY_TESTS);
      if (e < 0) throw BAIL;
      const op = leaf('test_operator', true, this.pos, e, 0);
      this.pos = e;
      return op;
    }
    throw BAIL;
  }

  /** After `-` at the cursor: the end of one of `ops` followed by a blank, or -1. */
  testOperatorEnd(ops: ReadonlySet<string>): number {
    let i = this.pos + 1;
    while ((this.at(i) >= 97 && this.at(i) <= 122) || (this.at(i) >= 65 && this.at(i) <= 90)) i++;
    if (!ops.has(this.s.slice(this.pos + 1, i))) return -1;
    const c = this.at(i);
    return c === SPACE || c === TAB ? i : -1;
  }

  /** An operand: a word the subset reads, without `-`, `!` or `=` in front and without glob characters. */
  testOperand(): SNode {
    const c = this.at(this.pos);
    if (!this.atLiteral() || this.atRedirect() || c === 45 || c === BANG || c === EQ) throw BAIL;
    const w = this.literal(0);
    // `[ if … ]` is an error for tree-sitter.
    if (w.type === 'word' && KEYWORDS.has(this.s.slice(w.start, w.end))) throw BAIL;
    const pieces = w.type === 'concatenation' ? w.children : [w];
    for (let k = 0; k < pieces.length; k++) {
      const p = pieces[k];
      if (p.type !== 'word' && p.type !== 'number') continue;
      for (let i = p.start; i < p.end; i++) {
        const ch = this.s.charCodeAt(i);
        if (ch === 42 || ch === 63 || ch === EQ || ch === 126 || ch === BANG || ch === BACKSLASH || ch === HASH || ch >= 128) throw BAIL;
      }
    }
    return w;
  }

  /** Spaces, tabs and line continuations only. */
  skipBlanks(): void {
    this.skip(false);
  }

  /**
   * A case pattern: `*` or `[A-Za-z][A-Za-z0-9_]*` (not starting with `e`, the scanner's `esac` check).
   * Right after a line continuation the scanner gives up and the pattern is a `word`; otherwise it
   * is an `extglob_pattern` when a `|` follows, and before `)` when it is `*` or has a character
   * other than a letter (a one-letter pattern before `)` is a `word`).
   */
  casePattern(field: number): SNode {
    const start = this.pos;
    let c = this.at(this.pos);
    let plainAlpha = true;
    if (c === 42) {
      plainAlpha = false;
      this.pos++;
    } else {
      if (!((c >= 97 && c <= 122) || (c >= 65 && c <= 90)) || c === 101) throw BAIL;
      while (isWordChar(c)) {
        if (!((c >= 97 && c <= 122) || (c >= 65 && c <= 90))) plainAlpha = false;
        c = this.at(++this.pos);
      }
    }
    const next = this.at(this.pos);
    if (next !== PIPE && next !== RPAREN) throw BAIL;
    // Before the pattern: blanks after a line continuation?
    let i = start - 1;
    while (i >= 0 && (this.s.charCodeAt(i) === SPACE || this.s.charCodeAt(i) === TAB)) i--;
    const afterContinuation = i >= 1 && this.s.charCodeAt(i) === NL && this.s.charCodeAt(i - 1) === BACKSLASH;
    const glob = !afterContinuation && (next === PIPE || !plainAlpha);
    return leaf(glob ? 'extglob_pattern' : 'word', true, start, this.pos, field);
  }

  finish(left: SNode | null, op: SNode | null, pipe: SNode[]): SNode {
    const p = pipe.length === 1 ? pipe[0] : wrap('pipeline', pipe, 0);
    return left && op ? wrap('list', [left, op, p], 0) : p;
  }

  /** At a file redirect: `>`, `<`, `&>` or a file descriptor written against one. */
  atRedirect(): boolean {
    let i = this.pos;
    let c = this.at(i);
    if (c === GT || c === LT) return true;
    if (c === AMP) return this.at(i + 1) === GT;
    if (!isDigit(c)) return false;
    const zero = c === 48;
    while (isDigit(c)) c = this.at(++i);
    if (!(c === GT || c === LT)) return false;
    // `0>f`: tree-sitter reads the 0 as an argument, not a descriptor.
    if (zero) throw BAIL;
    // `a - 2>&1`: tree-sitter drops the `-`.
    let j = this.pos - 1;
    for (;;) {
      const b = j >= 0 ? this.s.charCodeAt(j) : -1;
      if (b === SPACE || b === TAB || b === NL || (b === BACKSLASH && this.s.charCodeAt(j + 1) === NL)) j--;
      else break;
    }
    if (j >= 0 && this.s.charCodeAt(j) === 45 && (j === 0 || SPECIAL[this.s.charCodeAt(j - 1)] === 2)) throw BAIL;
    return true;
  }

  redirect(): SNode {
    const f = this.f;
    this.noteRedirect();
    const r = node('file_redirect', true, this.pos, this.pos, f.redirect);
    if (isDigit(this.at(this.pos))) {
      const start = this.pos;
      while (isDigit(this.at(this.pos))) this.pos++;
      add(r, leaf('file_descriptor', true, start, this.pos, f.descriptor));
    }
    const c = this.at(this.pos);
    const d = this.at(this.pos + 1);
    let op: SNode;
    if (c === GT) {
      if (d === GT) op = this.tok('>>', 2);
      else if (d === AMP) {
        if (this.at(this.pos + 2) === 45) throw BAIL; // >&-
        op = this.tok('>&', 2);
      } else if (d === PIPE || d === LPAREN) throw BAIL;
      else op = this.tok('>', 1);
    } else if (c === LT) {
      if (d === AMP) {
        if (this.at(this.pos + 2) === 45) throw BAIL; // <&-
        op = this.tok('<&', 2);
      } else if (d === LT || d === GT || d === LPAREN) throw BAIL;
      else op = this.tok('<', 1);
    } else {
      // `&>`; `&>>` is left to tree-sitter.
      if (this.at(this.pos + 2) === GT) throw BAIL;
      op = this.tok('&>', 2);
    }
    add(r, op);
    this.skip(false);
    // The destination: one or more words (`> f g` writes to f with g as a second destination word).
    let n = 0;
    while (this.atLiteral() && !this.atRedirect()) {
      const w = this.literal(f.destination);
      add(r, w);
      n++;
      this.skip(false);
    }
    if (n === 0) throw BAIL;
    r.end = r.children[r.children.length - 1].end;
    return r;
  }

  /** Whether a word starts here (and is one the subset reads). */
  atLiteral(): boolean {
    const c = this.at(this.pos);
    if (c < 0) return false;
    if (c === DQUOTE || c === SQUOTE || c === DOLLAR) return true;
    if (c === BACKSLASH) {
      const d = this.at(this.pos + 1);
      return d >= 0 && !(d < 128 && SPECIAL[d] === 2);
    }
    if (c === HASH) return false;
    return c >= 128 || SPECIAL[c] === 0;
  }

  /** `NAME=` at the cursor: the name's end, or -1. */
  assignmentName(): number {
    let i = this.pos;
    let c = this.at(i);
    if (!(isWordChar(c) && !isDigit(c))) return -1;
    while (isWordChar(c)) c = this.at(++i);
    if (c === EQ) return i;
    if (c === 43 && this.at(i + 1) === EQ) throw BAIL; // NAME+=
    return -1;
  }

  /**
   * Where the grammar accepts a variable name, its scanner takes a run of letters, digits and `_`
   * (non-ASCII letters too; after one of `*@?-`) followed by one of `=[:%#@+?` as one: true there.
   */
  nameAhead(): boolean {
    let i = this.pos;
    let c = this.at(i);
    if (c === 42 || c === 64 || c === 63 || c === 45) c = this.at(++i);
    const start = i;
    while (isWordChar(c) || c >= 128) c = this.at(++i);
    if (i === start) return false;
    return c === EQ || c === 91 || c === 58 || c === 37 || c === HASH || c === 64 || c === 43 || c === 63;
  }

  assignment(nameEnd: number): SNode {
    const f = this.f;
    const a = node('variable_assignment', true, this.pos, 0, 0);
    add(a, leaf('variable_name', true, this.pos, nameEnd, f.name));
    this.pos = nameEnd;
    add(a, this.tok('=', 1));
    const c = this.at(this.pos);
    // `A=|b`: an error for tree-sitter.
    if (c === HASH || c === LPAREN || c === PIPE) throw BAIL;
    if (this.atLiteral()) {
      if (this.atRedirect()) throw BAIL;
      add(a, this.literal(f.value));
    } else if (!(c === -1 || c === SPACE || c === TAB || c === NL || c === SEMI || c === PIPE || c === AMP)) {
      throw BAIL;
    }
    a.end = this.pos;
    return a;
  }

  /** A simple command, an assignment-only statement, or a declaration. */
  command(): SNode {
    const f = this.f;
    const assigns: SNode[] = [];
    for (;;) {
      const e = this.assignmentName();
      if (e < 0) break;
      assigns.push(this.assignment(e));
      this.skip(false);
    }
    // A redirect before the name, or after assignments only (`A=1 > f`, a command without a name).
    if (this.atRedirect()) throw BAIL;
    if (!this.atLiteral()) {
      const c = this.at(this.pos);
      if (assigns.length === 0) {
        // `((` opens an arithmetic command (`(( a ))`), not two subshells.
        if (c === LPAREN) {
          if (this.at(this.pos + 1) === LPAREN) throw BAIL;
          return this.group('subshell', RPAREN);
        }
        if (c === LBRACE && (this.at(this.pos + 1) === SPACE || this.at(this.pos + 1) === TAB || this.at(this.pos + 1) === NL))
          return this.group('compound_statement', RBRACE);
        throw BAIL;
      }
      const comment = c === HASH && (this.at(this.pos - 1) === SPACE || this.at(this.pos - 1) === TAB);
      if (!(c === -1 || c === NL || c === SEMI || c === AMP || c === PIPE || c === RPAREN || comment)) throw BAIL;
      // `A=1 B=2` and a newline: tree-sitter reads the next line's command as theirs.
      if (assigns.length > 1 && (c === NL || comment)) throw BAIL;
      return assigns.length === 1 ? assigns[0] : wrap('variable_assignments', assigns, 0);
    }
    if (this.at(this.pos) === BANG || this.nameAhead()) throw BAIL;
    const start = this.pos;
    const name = this.literal(0);
    const head = name.type === 'concatenation' ? name.children[0] : name;
    if (head.type === 'word' && KEYWORDS.has(this.s.slice(head.start, head.end)) && head !== name) throw BAIL;
    // `-`, `-x` as a name: not checked.
    if (this.at(start) === 45) throw BAIL;
    const word = name.type === 'word' ? this.s.slice(name.start, name.end) : '';
    // `a#b` as a name: tree-sitter reads `a` as a variable name and the rest as a comment.
    for (let i = name.start; i < name.end; i++) if (this.s.charCodeAt(i) === HASH) throw BAIL;
    if (word !== '' && KEYWORDS.has(word)) {
      if (assigns.length === 0 && DECLARATIONS.has(word)) return this.declaration(name, 'declaration_command');
      if (assigns.length === 0 && word === 'unset') return this.declaration(name, 'unset_command');
      throw BAIL;
    }
    // `a=b` where no assignment was read (a non-ASCII name, say): not sure how the scanner reads it.
    if (name.type !== 'concatenation') for (let i = start; i < name.end; i++) if (this.s.charCodeAt(i) === EQ) throw BAIL;
    const cmd = node('command', true, assigns.length ? assigns[0].start : start, 0, 0);
    for (let i = 0; i < assigns.length; i++) add(cmd, assigns[i]);
    const cn = node('command_name', true, name.start, name.end, f.name);
    add(cn, name);
    add(cmd, cn);
    for (;;) {
      this.skip(false);
      if (!this.atLiteral() || this.atRedirect()) break;
      add(cmd, this.literal(f.argument));
    }
    cmd.end = cmd.children[cmd.children.length - 1].end;
    return cmd;
  }

  /** `( … )` or `{ …; }`. */
  group(type: string, close: number): SNode {
    const g = node(type, true, this.pos, 0, 0);
    add(g, this.tok(close === RPAREN ? '(' : '{', 1));
    this.skip(true);
    if (this.at(this.pos) === close) throw BAIL;
    this.statements(g, close);
    if (this.at(this.pos) !== close) throw BAIL;
    add(g, this.tok(close === RPAREN ? ')' : '}', 1));
    g.end = this.pos;
    return g;
  }

  /** `export A=1 B c`, `unset A`: the keyword, then assignments, names and words. */
  declaration(kw: SNode, type: string): SNode {
    const d = node(type, true, kw.start, kw.end, 0);
    add(d, leaf(this.s.slice(kw.start, kw.end), false, kw.start, kw.end, 0));
    for (;;) {
      this.skip(false);
      if (!this.atLiteral() || this.atRedirect()) break;
      const e = type === 'declaration_command' ? this.assignmentName() : -1;
      if (e >= 0) {
        add(d, this.assignment(e));
        continue;
      }
      if (this.nameAhead()) throw BAIL;
      const w = this.literal(0);
      // `export x"y"` is a name and a string there; a word that starts with a "string" is read as a
      // command's argument is (`export "$var"="$val"`: a string, a word `=`, a string).
      if (w.type === 'concatenation') {
        if (w.children[0].type !== 'string') throw BAIL;
        add(d, w);
        continue;
      }
      for (let i = w.start; i < w.end; i++) if (this.s.charCodeAt(i) === EQ) throw BAIL;
      if (w.type === 'word') {
        for (let i = w.start; i < w.end; i++) if (this.s.charCodeAt(i) >= 128) throw BAIL;
        let name = true;
        for (let i = w.start; i < w.end && name; i++) name = isWordChar(this.s.charCodeAt(i));
        if (name) w.type = 'variable_name';
        else if (KEYWORDS.has(this.s.slice(w.start, w.end))) throw BAIL;
      }
      add(d, w);
    }
    // A declaration followed by a redirect or in a pipeline: not checked.
    const c = this.at(this.pos);
    if (
      !(
        c === -1 ||
        c === NL ||
        (c === HASH && (this.at(this.pos - 1) === SPACE || this.at(this.pos - 1) === TAB)) ||
        c === SEMI ||
        (c === AMP && this.at(this.pos + 1) === AMP) ||
        (c === PIPE && this.at(this.pos + 1) === PIPE)
      )
    )
      throw BAIL;
    d.end = d.children[d.children.length - 1].end;
    // `export A=1 \<NL><NL>B=1`: after a line continuation and blank lines, tree-sitter reads an
    // assignment on a later line as more of the declaration. Left to it.
    if (c === NL || c === HASH) for (let i = d.end; i < this.pos; i++) if (this.s.charCodeAt(i) === BACKSLASH) throw BAIL;
    return d;
  }

  /** One word: its pieces, or a `concatenation` of them. */
  literal(field: number): SNode {
    // `==` and `=~` are operators in arguments.
    if (this.at(this.pos) === EQ) throw BAIL;
    const first = this.piece(true);
    if (first.type === 'simple_expansion' && this.at(this.pos) === LBRACE && this.s.charCodeAt(first.start + 1) === DOLLAR)
      return this.dollarBraces(first, field);
    if (!this.atPiece()) {
      this.noRedirectAfter();
      first.field = field;
      return first;
    }
    const cat = node('concatenation', true, first.start, 0, field);
    add(cat, first);
    return this.morePieces(cat);
  }

  /**
   * `$${NAME}` (compose's escape of `${NAME}`, as written in healthchecks): `$$`, then `{`, the name
   * and `}` as three words, and what follows as more pieces.
   */
  dollarBraces(first: SNode, field: number): SNode {
    const cat = node('concatenation', true, first.start, 0, field);
    add(cat, first);
    add(cat, leaf('word', true, this.pos, this.pos + 1, 0));
    const n0 = ++this.pos;
    const c = this.at(n0);
    if (!(isWordChar(c) && !isDigit(c))) throw BAIL;
    while (isWordChar(this.at(this.pos))) this.pos++;
    if (this.at(this.pos) !== RBRACE) throw BAIL;
    add(cat, leaf('word', true, n0, this.pos, 0));
    add(cat, leaf('word', true, this.pos, this.pos + 1, 0));
    this.pos++;
    if (!this.atPiece()) {
      this.noRedirectAfter();
      cat.end = this.pos;
      return cat;
    }
    return this.morePieces(cat);
  }

  /** The rest of a word after its first pieces, into `cat`. */
  morePieces(cat: SNode): SNode {
    do {
      // `x$$` (a `$$` token) and `a$X$1` (the grammar ends the word at the second `$`) are left to tree-sitter.
      if (this.at(this.pos) === DOLLAR) {
        const d = this.at(this.pos + 1);
        if (d === DOLLAR || (isDigit(d) && cat.children.length >= 2)) throw BAIL;
      }
      const piece = this.piece(false);
      add(cat, piece);
      // `$N-$V.tgz`: the grammar ends the word at the `$` of a later `$NAME` that more follows.
      if (piece.type === 'simple_expansion' && cat.children.length >= 3 && this.atPiece()) throw BAIL;
    } while (this.atPiece());
    this.noRedirectAfter();
    cat.end = this.pos;
    return cat;
  }

  /** `a>f`, `-x1>f`: the scanner may read the word as a file descriptor; left to tree-sitter. */
  noRedirectAfter(): void {
    const c = this.at(this.pos);
    if (c === GT || c === LT) throw BAIL;
  }

  /** Whether the word goes on here (no blank between). */
  atPiece(): boolean {
    const c = this.at(this.pos);
    if (c < 0) return false;
    if (c === DQUOTE || c === SQUOTE || c === DOLLAR) return true;
    if (c === BACKSLASH) {
      // An escape right after a string or expansion: tree-sitter joins it to the word or starts
      // another one, depending on both.
      throw BAIL;
    }
    if (c < 128 && SPECIAL[c] === 1) {
      if (c === LT || c === GT || c === SEMI || c === PIPE || c === AMP || c === RPAREN) return false;
      throw BAIL;
    }
    return c >= 128 || SPECIAL[c] === 0;
  }

  piece(first: boolean): SNode {
    const c = this.at(this.pos);
    if (c === DQUOTE) return this.string();
    if (c === SQUOTE) {
      const end = this.s.indexOf("'", this.pos + 1);
      if (end < 0) throw BAIL;
      const n = leaf('raw_string', true, this.pos, end + 1, 0);
      this.pos = end + 1;
      return n;
    }
    if (c === DOLLAR) return this.dollar(-1);
    if (c === HASH && !first) throw BAIL;
    return this.bare();
  }

  /** Bare text up to a special character or blank; `\x` escapes included. A number if it reads as one. */
  bare(): SNode {
    const start = this.pos;
    // An escape first thing on a line: tree-sitter starts the word at the newline.
    if (this.at(start) === BACKSLASH && start > 0 && this.s.charCodeAt(start - 1) === NL) throw BAIL;
    // The hot loop: locals and `charCodeAt` only (it runs in the interpreter for most of a check).
    const s = this.s;
    const n = this.len;
    let p = start;
    while (p < n) {
      const c = s.charCodeAt(p);
      if (c < 128 && SPECIAL[c] !== 0) {
        if (c !== BACKSLASH) break;
        const d = p + 1 < n ? s.charCodeAt(p + 1) : -1;
        if (d < 0 || d === NL || d === CR) break;
        if (d < 128 && SPECIAL[d] === 2 && (d !== SPACE || p === start)) throw BAIL;
        p += 2;
      } else {
        p++;
      }
    }
    this.pos = p;
    if (p === start) throw BAIL;
    // -?(0x)?[0-9]+ as a whole (a `#base` suffix is left to tree-sitter).
    let i = start;
    if (this.s.charCodeAt(i) === 45) i++;
    if (this.s.charCodeAt(i) === 48 && this.s.charCodeAt(i + 1) === 120) i += 2;
    const digits = i;
    while (i < this.pos && isDigit(this.s.charCodeAt(i))) i++;
    const number = i === this.pos && i > digits;
    if (!number && i > digits && i < this.pos && this.s.charCodeAt(i) === HASH) throw BAIL;
    return leaf(number ? 'number' : 'word', true, start, this.pos, 0);
  }

  /**
   * `$NAME`, `$?`…, `${NAME}`, `$( … )`, from the cursor. In a string (`from` ≥ 0) the node and its
   * first token start at `from`, before the blanks that precede it there, and a lone `$` before the
   * closing quote is a token of its own.
   */
  dollar(from: number): SNode {
    const start = from >= 0 ? from : this.pos;
    const c = this.at(this.pos + 1);
    if (isWordChar(c)) {
      const e = node('simple_expansion', true, start, 0, 0);
      add(e, this.tokFrom(start, '$', 1));
      let i = this.pos;
      while (isWordChar(this.at(i))) i++;
      // `$_` alone is special (the grammar has `_` both ways); a non-ASCII letter may extend the name.
      if ((i === this.pos + 1 && c === 95) || this.at(i) >= 128) throw BAIL;
      add(e, leaf('variable_name', true, this.pos, i, 0));
      this.pos = i;
      e.end = i;
      return e;
    }
    // `$-` is left to tree-sitter: before blanks and `NAME+=` it reads NAME as `$-`'s variable.
    if (c === 63 || c === 64 || c === 42 || c === DOLLAR || c === BANG || c === HASH) {
      // $? $@ $* $$ $! $#  (`$?a`, `$?é=` may be read as a variable name `?a`, `?é`)
      // `$$NAME` is `$$` and a word (compose's escape of `$NAME`, as written in healthchecks).
      const e2 = this.at(this.pos + 2);
      if (c !== DOLLAR && (isWordChar(e2) || e2 >= 128)) throw BAIL;
      const e = node('simple_expansion', true, start, this.pos + 2, 0);
      add(e, this.tokFrom(start, '$', 1));
      add(e, leaf('special_variable_name', true, this.pos, this.pos + 1, 0));
      this.pos++;
      return e;
    }
    if (c === LBRACE) {
      // `${!NAME…}`: indirect expansion, a `!` token before the name.
      const bang = this.at(this.pos + 2) === BANG;
      let i = this.pos + (bang ? 3 : 2);
      const n0 = i;
      if (isDigit(this.at(i))) {
        // `${1}`, `${10}`: a positional parameter, digits only (`${1a}` is left to tree-sitter).
        while (isDigit(this.at(i))) i++;
        if (isWordChar(this.at(i)) || this.at(i) >= 128) throw BAIL;
      } else {
        while (isWordChar(this.at(i))) i++;
        if (i === n0 || (i === n0 + 1 && this.at(n0) === 95)) throw BAIL;
      }
      const e = node('expansion', true, start, 0, 0);
      add(e, this.tokFrom(start, '${', 2));
      if (bang) add(e, this.tok('!', 1));
      add(e, leaf('variable_name', true, n0, i, 0));
      this.pos = i;
      if (this.at(i) !== RBRACE) this.expansionOperator(e);
      add(e, this.tok('}', 1));
      e.end = this.pos;
      return e;
    }
    if (c === LPAREN) {
      if (this.at(this.pos + 2) === LPAREN) throw BAIL;
      const e = node('command_substitution', true, start, 0, 0);
      add(e, this.tokFrom(start, '$(', 2));
      if (this.readFileSubstitution(e)) return e;
      this.skip(true);
      if (this.at(this.pos) === RPAREN || this.at(this.pos) === LT) throw BAIL;
      this.statements(e, RPAREN);
      if (this.at(this.pos) !== RPAREN) throw BAIL;
      add(e, this.tok(')', 1));
      e.end = this.pos;
      return e;
    }
    if (from >= 0 && c === DQUOTE) return this.tokFrom(start, '$', 1);
    throw BAIL;
  }

  /**
   * After `$(`: `$(< WORD)` (blanks only around, one word), which tree-sitter reads as a bare
   * `file_redirect` in the substitution — no fields on it or its word. True when read (the `)` too);
   * false when no `<` follows the blanks. Anything else after `<` (another word, a newline, a
   * descriptor, `<<`, `<&`, `<(`…) is left to tree-sitter.
   */
  readFileSubstitution(e: SNode): boolean {
    let i = this.pos;
    while (this.at(i) === SPACE || this.at(i) === TAB) i++;
    if (this.at(i) !== LT) return false;
    const d = this.at(i + 1);
    if (d === LT || d === GT || d === AMP || d === LPAREN) throw BAIL;
    this.pos = i;
    this.noteRedirect();
    const r = node('file_redirect', true, i, 0, 0);
    add(r, this.tok('<', 1));
    while (this.at(this.pos) === SPACE || this.at(this.pos) === TAB) this.pos++;
    if (!this.atLiteral() || this.atRedirect()) throw BAIL;
    const w = this.literal(0);
    add(r, w);
    r.end = w.end;
    while (this.at(this.pos) === SPACE || this.at(this.pos) === TAB) this.pos++;
    if (this.at(this.pos) !== RPAREN) throw BAIL;
    add(e, r);
    add(e, this.tok(')', 1));
    e.end = this.pos;
    return true;
  }

  /**
   * After `${NAME`: `:-`, `:+`, `:=`, `:?` with nothing or a plain word (`${X:-}`, `${X:-none}`), or
   * `%`, `%%`, `#`, `##` with a plain pattern (`${V%%[a-z]*}`, read as one `regex` token).
   */
  expansionOperator(e: SNode): void {
    const c = this.at(this.pos);
    const d = this.at(this.pos + 1);
    if (c === 58 && (d === 45 || d === 43 || d === EQ || d === 63)) {
      add(e, this.tok(this.s.slice(this.pos, this.pos + 2), 2));
      const start = this.pos;
      while (plainExpansionChar(this.at(this.pos))) this.pos++;
      if (this.at(this.pos) !== RBRACE) throw BAIL;
      if (this.pos > start) add(e, leaf('word', true, start, this.pos, 0));
      return;
    }
    if (c === 37 || c === HASH) {
      const len = d === c ? 2 : 1;
      add(e, this.tok(this.s.slice(this.pos, this.pos + len), len));
      const start = this.pos;
      // Brackets only in pairs (`${X%]}` is an error for tree-sitter).
      let open = false;
      for (let ch = this.at(this.pos); plainPatternChar(ch); ch = this.at(++this.pos)) {
        if (ch === 91) {
          if (open) throw BAIL;
          open = true;
        } else if (ch === 93) {
          if (!open) throw BAIL;
          open = false;
        }
      }
      if (open || this.pos === start || this.at(this.pos) !== RBRACE) throw BAIL;
      add(e, leaf('regex', true, start, this.pos, 0));
      return;
    }
    throw BAIL;
  }

  /** A token of `len` characters at the cursor, its range starting at `start`. */
  tokFrom(start: number, type: string, len: number): SNode {
    const n = leaf(type, false, start, this.pos + len, 0);
    this.pos += len;
    return n;
  }

  /**
   * "…": content runs and expansions. Inside quotes tree-sitter skips newlines, and blanks only when
   * a newline follows them; the blanks left before an expansion or the closing quote (with nothing
   * else before that) become part of its first token.
   */
  string(): SNode {
    const s = node('string', true, this.pos, 0, 0);
    add(s, this.tok('"', 1));
    for (;;) {
      let from = this.pos;
      let q = this.pos;
      for (;;) {
        const c = this.at(q);
        if (c === SPACE || c === TAB) q++;
        else if (c === NL) from = ++q;
        else if (c === BACKSLASH) {
          // A line continuation, or `\` and blanks before a newline, where only blanks and newlines
          // preceded it: tree-sitter may drop it or fold it into the next token; left to tree-sitter.
          const d = this.at(q + 1);
          if (d === NL || d === SPACE || d === TAB) throw BAIL;
          break;
        } else break;
      }
      const c = this.at(q);
      if (c === DQUOTE) {
        this.pos = q;
        add(s, this.tokFrom(from, '"', 1));
        break;
      }
      if (c < 0 || c === BACKTICK || c === CR || c === 11 || c === 12) throw BAIL;
      if (c === DOLLAR) {
        this.pos = q;
        add(s, this.dollar(from));
        continue;
      }
      const t = this.s;
      const n = this.len;
      let p = q;
      while (p < n) {
        const d = t.charCodeAt(p);
        if (d === DQUOTE || d === DOLLAR || d === BACKTICK || d === NL || d === CR) break;
        if (d === BACKSLASH) {
          const e = p + 1 < n ? t.charCodeAt(p + 1) : -1;
          if (e < 0 || e === CR) throw BAIL;
          p += 2;
        } else {
          p++;
        }
      }
      this.pos = p;
      add(s, leaf('string_content', true, from, p, 0));
    }
    s.end = this.pos;
    return s;
  }
}

/**
 * Puts each comment where tree-sitter does. A comment is an extra: it goes into the innermost node
 * with tokens of its own on both sides of it (invisible ones included, such as the newline that ends
 * a statement in an `else` clause), and those are the nodes whose range contains it; the root takes
 * the rest, before and after its statements.
 */
function attachComments(root: SNode, comments: SNode[]): void {
  for (let k = 0; k < comments.length; k++) {
    const cm = comments[k];
    let n = root;
    for (;;) {
      const xs = n.children;
      let inner: SNode | null = null;
      for (let i = 0; i < xs.length; i++) {
        const c = xs[i];
        if (c.start < cm.start && cm.end <= c.end && c.children.length > 0) {
          inner = c;
          break;
        }
      }
      if (!inner) break;
      n = inner;
    }
    const xs = n.children;
    let i = xs.length;
    while (i > 0 && xs[i - 1].start >= cm.end) i--;
    cm.parent = n;
    xs.splice(i, 0, cm);
  }
}

/**
 * The tree tree-sitter-bash would give for `text`, or null if `text` is outside the subset. Its
 * comments (tree-sitter's `comment` nodes, which are in the tree too) are added to `comments`, in order.
 */
export function fastShell(text: string, fields: FastFields, comments?: SNode[]): SNode | null {
  const p = new FastParser(text, fields);
  try {
    const root = p.program();
    if (p.comments.length) {
      attachComments(root, p.comments);
      if (comments) for (let i = 0; i < p.comments.length; i++) comments.push(p.comments[i]);
    }
    return root;
  } catch (e) {
    // Words nested deeper than the stack allows (`$($($(…)))`) are left to tree-sitter too.
    if (e === BAIL || e instanceof RangeError) return null;
    throw e;
  }
}
