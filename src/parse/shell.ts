/**
 * Shell parsing with tree-sitter-bash (web-tree-sitter + the grammar's wasm). One parser for RUN
 * bodies, healthcheck commands, entrypoint scripts and workflow `run:` steps.
 *
 * Most scripts are read by our own parser (src/parse/shell-fast.ts), which needs no initialisation;
 * tree-sitter, for the rest, needs `initShell()` awaited once. `parseShell()` is synchronous: given a
 * script only tree-sitter reads before that, it throws `ShellParserNeeded`, and the caller (the model
 * build, src/model/build.ts) awaits `initShell()` and starts again. So a small repository whose
 * scripts are all in the fast parser's subset never loads tree-sitter (16–20 ms); a larger one, or one
 * with workflows, loads it up front (`likelyNeedsTreeSitter`).
 */
import { createRequire } from 'node:module';
import type { Language, Tree, TreeCursor, Parser as TSParser } from 'web-tree-sitter';
import type { Range } from '../model/dockerfile.js';
import type { ShellCommand, ShellScript, ShellWord, Stmt } from '../model/shell.js';
import { lineIndexAt, lineStarts } from './lines.js';
import { type FastFields, fastShell, type SNode } from './shell-fast.js';

let parser: TSParser | null = null;
let initPromise: Promise<void> | null = null;
/** The grammar's tables, read once: node type names, which are named, the field ids the builder asks for. */
let grammar: Grammar | null = null;
/** web-tree-sitter's own cursor functions, called directly (null: not available, the public API is used). */
let direct: DirectCursor | null = null;

interface Grammar {
  types: string[];
  named: boolean[];
  field: FastFields;
}

/**
 * The grammar's field ids the fast parser records (tree-sitter-bash 0.25.1, the pinned version).
 * `initShell` checks them against the grammar it loads, and a test does too.
 */
const FAST_FIELDS: FastFields = {
  body: 3,
  name: 12,
  value: 18,
  argument: 2,
  redirect: 14,
  destination: 7,
  descriptor: 6,
  termination: 16,
  variable: 19,
  condition: 4,
};

/** Thrown by `parseShell` for a script only tree-sitter reads, before `initShell()` has finished. */
export class ShellParserNeeded extends Error {
  constructor() {
    super('shell parser not initialised: await initShell() first');
    this.name = 'ShellParserNeeded';
  }
}

/** Whether tree-sitter is loaded (`initShell()` has finished). */
export function shellReady(): boolean {
  return parser !== null;
}

export function initShell(): Promise<void> {
  if (!initPromise) {
    initPromise = (async () => {
      const { Parser, Language } = await import('web-tree-sitter');
      const require = createRequire(import.meta.url);
      // The options object becomes web-tree-sitter's Emscripten module, exports included (`direct`).
      const wasm: Record<string, unknown> = {};
      await Parser.init(wasm);
      const lang = await Language.load(require.resolve('tree-sitter-bash/tree-sitter-bash.wasm'));
      const p = new Parser();
      p.setLanguage(lang);
      grammar = readGrammar(lang);
      for (const [k, id] of Object.entries(FAST_FIELDS)) {
        if (grammar.field[k as keyof FastFields] !== id)
          throw new Error(
            `tree-sitter-bash's field \`${k}\` has id ${grammar.field[k as keyof FastFields]}, not ${id}: update FAST_FIELDS in src/parse/shell.ts`,
          );
      }
      direct = directCursor(wasm);
      parser = p;
    })();
  }
  return initPromise;
}

function readGrammar(lang: Language): Grammar {
  const types: string[] = [];
  const named: boolean[] = [];
  for (let id = 0; id < lang.types.length; id++) {
    // `Node.type` of web-tree-sitter: the name, or "ERROR" for an id without one.
    types.push(lang.types[id] || 'ERROR');
    named.push(lang.nodeTypeIsNamed(id));
  }
  const f = (name: string) => lang.fieldIdForName(name) ?? -1;
  return {
    types,
    named,
    field: {
      body: f('body'),
      name: f('name'),
      value: f('value'),
      argument: f('argument'),
      redirect: f('redirect'),
      destination: f('destination'),
      descriptor: f('descriptor'),
      termination: f('termination'),
      variable: f('variable'),
      condition: f('condition'),
    },
  };
}

/**
 * What to say when parsing a shell script threw: scripts nested thousands of levels deep (`$( $( …`)
 * exhaust the stack of the recursive tree walks; the caller reports the file and goes on.
 */
export function shellFailure(e: unknown): string {
  // Not a failure of the script: the model build awaits tree-sitter and starts again.
  if (e instanceof ShellParserNeeded) throw e;
  return e instanceof RangeError
    ? 'a shell script nests too deeply (or chains too many && and ||) to analyse'
    : ((e as Error)?.message ?? String(e));
}

/** Where the script text starts in its file (1-based line and column). */
export interface Origin {
  line: number;
  column: number;
  /**
   * Where the character at an offset of the script is, when the script is laid out other than line
   * for line from `line`/`column` (a YAML scalar: indented block lines, folded lines, escapes); the
   * offset of the script's length is just after its end.
   */
  at?: (offset: number) => { line: number; column: number };
}

const ORIGIN_1_1: Origin = { line: 1, column: 1 };

/**
 * For tests and benchmarks: `record` sees every text parseShell is given (and whether it asked for
 * the statement tree); `treeSitterOnly` turns the fast parser off.
 */
export const shellHooks: { record: ((text: string, tree: boolean) => void) | null; treeSitterOnly: boolean } = {
  record: null,
  treeSitterOnly: false,
};

/** Parse a shell script; positions are mapped into the file through `origin`. `tree` adds the statement tree. */
export function parseShell(text: string, origin: Origin = ORIGIN_1_1, opts: { tree?: boolean } = {}): ShellScript {
  if (shellHooks.record) shellHooks.record(text, opts.tree === true);
  // The common subset is read by our own parser, which builds the same tree (src/parse/shell-fast.ts).
  const comments: SNode[] = [];
  let root = shellHooks.treeSitterOnly ? null : fastShell(text, FAST_FIELDS, comments);
  if (!root) {
    if (!parser || !grammar) throw new ShellParserNeeded();
    const tree = parser.parse(text);
    if (!tree) throw new Error('tree-sitter returned no tree');
    try {
      root = mirror(tree, grammar, comments);
    } finally {
      tree.delete();
    }
  }
  const b = new Builder(text, origin);
  b.visit(root, { nested: false, inSubstitution: false, subshell: null });
  let stmts: Stmt[] | undefined;
  let commentList: { text: string; range: Range }[] | undefined;
  if (opts.tree) {
    stmts = b.stmts(root);
    commentList = comments.map((c) => ({ text: b.text(c).replace(/^#\s?/, ''), range: b.range(c) }));
  }
  return {
    commands: b.commands,
    pipelines: b.pipelines,
    assignments: b.assignments,
    hasErrors: b.errorRange !== null,
    errorRange: b.errorRange,
    text,
    ...(stmts ? { stmts } : {}),
    ...(commentList ? { comments: commentList } : {}),
  };
}

/*
 * A syntax node copied out of tree-sitter (`SNode`, declared in shell-fast.ts). Every property of a web-tree-sitter `Node` (its type, its
 * end, its children, a field lookup) is a call into wasm that copies data across and allocates a new
 * `Node`; the builder below asks for each several times. So the tree is copied once, by one
 * TreeCursor walk that reads each node's type id, start and end (and, under the node types whose
 * fields the builder reads, its field id), and the builder works on plain objects. Positions are not
 * read from tree-sitter: for a JS string it parses UTF-16 and its offsets and columns are UTF-16 code
 * units, its rows count `\n`, so a node's line and column follow from its offset (`Builder.pos`).
 */

/** Node types whose children's field ids the builder reads (`name`, `argument`, `body`, `value`, `redirect`). */
const FIELD_PARENTS = new Set([
  'command',
  'redirected_statement',
  'variable_assignment',
  'case_item',
  'function_definition',
  'while_statement',
  'for_statement',
  'c_style_for_statement',
]);

/** What the walk reads at the cursor's node, and how it moves. */
interface Cursor {
  typeId(): number;
  isNamed(): boolean;
  isMissing(): boolean;
  startIndex(): number;
  endIndex(): number;
  fieldId(): number;
  gotoFirstChild(): boolean;
  gotoNextSibling(): boolean;
  gotoParent(): void;
}

function mirror(tree: Tree, g: Grammar, comments: SNode[], useDirect = true): SNode {
  // Without errors in the tree (its root's hasError: an ERROR or MISSING node anywhere), no node is MISSING.
  const mayMiss = tree.rootNode.hasError;
  const tc = tree.walk();
  const d = useDirect ? direct : null;
  const c: Cursor = d ? d.open(tree, tc) : publicCursor(tc);
  try {
    const make = (parent: SNode | null, field: number): SNode => {
      const id = c.typeId();
      const n: SNode = {
        type: g.types[id] ?? 'ERROR',
        named: g.named[id] ?? c.isNamed(),
        missing: mayMiss ? c.isMissing() : false,
        start: c.startIndex(),
        end: c.endIndex(),
        field,
        parent,
        children: [],
      };
      if (n.type === 'comment') comments.push(n);
      return n;
    };
    const root = make(null, 0);
    if (!c.gotoFirstChild()) return root;
    let cur = root;
    let fields = FIELD_PARENTS.has(root.type);
    for (;;) {
      const n = make(cur, fields ? c.fieldId() : 0);
      cur.children.push(n);
      if (c.gotoFirstChild()) {
        cur = n;
        fields = FIELD_PARENTS.has(n.type) || (n.field !== 0 && n.field === g.field.redirect);
        continue;
      }
      while (!c.gotoNextSibling()) {
        if (cur === root) return root;
        c.gotoParent();
        cur = cur.parent as SNode;
        fields = FIELD_PARENTS.has(cur.type) || (cur.field !== 0 && cur.field === g.field.redirect);
      }
    }
  } finally {
    if (d) d.close(tc);
    tc.delete();
  }
}

function publicCursor(tc: TreeCursor): Cursor {
  return {
    typeId: () => tc.nodeTypeId,
    isNamed: () => tc.nodeIsNamed,
    isMissing: () => tc.nodeIsMissing,
    startIndex: () => tc.startIndex,
    endIndex: () => tc.endIndex,
    fieldId: () => tc.currentFieldId,
    gotoFirstChild: () => tc.gotoFirstChild(),
    gotoNextSibling: () => tc.gotoNextSibling(),
    gotoParent: () => {
      tc.gotoParent();
    },
  };
}

/**
 * The same walk without web-tree-sitter's JavaScript wrappers. Each `TreeCursor` property copies the
 * cursor's four words into the module's transfer buffer (four `setValue` calls through a DataView),
 * calls the C function, and each move copies them back: most of the cost of copying a tree out.
 * The C functions (web-tree-sitter's lib/tree-sitter.c) read the cursor from the transfer buffer,
 * and the moves write it back there; the getters leave it as it is. So the cursor is put in the
 * buffer once, the C functions are called directly, and the cursor is taken back before it is
 * deleted through the public API. Nothing else runs in between (the walk is synchronous).
 * Little-endian hosts only (the wrappers write little-endian words; `Int32Array` writes native ones).
 */
interface DirectCursor {
  open(tree: Tree, tc: TreeCursor): Cursor;
  close(tc: TreeCursor): void;
}

const CURSOR_FUNCTIONS = [
  '_ts_tree_cursor_current_node_type_id_wasm',
  '_ts_tree_cursor_current_node_is_named_wasm',
  '_ts_tree_cursor_current_node_is_missing_wasm',
  '_ts_tree_cursor_start_index_wasm',
  '_ts_tree_cursor_end_index_wasm',
  '_ts_tree_cursor_current_field_id_wasm',
  '_ts_tree_cursor_goto_first_child_wasm',
  '_ts_tree_cursor_goto_next_sibling_wasm',
  '_ts_tree_cursor_goto_parent_wasm',
] as const;

type WasmFn = (tree: number) => number;

function directCursor(wasm: Record<string, unknown>): DirectCursor | null {
  const littleEndian = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
  if (!littleEndian || typeof wasm._ts_init !== 'function' || !(wasm.HEAP32 instanceof Int32Array)) return null;
  if (CURSOR_FUNCTIONS.some((f) => typeof wasm[f] !== 'function')) return null;
  const fn = (name: (typeof CURSOR_FUNCTIONS)[number]) => wasm[name] as WasmFn;
  const typeId = fn('_ts_tree_cursor_current_node_type_id_wasm');
  const isNamed = fn('_ts_tree_cursor_current_node_is_named_wasm');
  const isMissing = fn('_ts_tree_cursor_current_node_is_missing_wasm');
  const startIndex = fn('_ts_tree_cursor_start_index_wasm');
  const endIndex = fn('_ts_tree_cursor_end_index_wasm');
  const fieldId = fn('_ts_tree_cursor_current_field_id_wasm');
  const firstChild = fn('_ts_tree_cursor_goto_first_child_wasm');
  const nextSibling = fn('_ts_tree_cursor_goto_next_sibling_wasm');
  const parent = fn('_ts_tree_cursor_goto_parent_wasm');
  // `ts_init` returns the transfer buffer's address (and only rewrites its first two words).
  const tb = (wasm._ts_init as () => number)() >> 2;
  // The memory may grow (and HEAP32 be replaced) while the tree is walked: read it when used.
  const heap = () => wasm.HEAP32 as Int32Array;
  return {
    open(tree, tc) {
      const t = (tree as unknown as { 0: number })[0];
      const h = (tc as unknown as { handles: number[] }).handles;
      const m = heap();
      m[tb] = h[0];
      m[tb + 1] = h[1];
      m[tb + 2] = h[2];
      m[tb + 3] = h[3];
      return {
        typeId: () => typeId(t),
        isNamed: () => isNamed(t) !== 0,
        isMissing: () => isMissing(t) !== 0,
        startIndex: () => startIndex(t),
        endIndex: () => endIndex(t),
        fieldId: () => fieldId(t),
        gotoFirstChild: () => firstChild(t) !== 0,
        gotoNextSibling: () => nextSibling(t) !== 0,
        gotoParent: () => {
          parent(t);
        },
      };
    },
    close(tc) {
      // The moves may have reallocated the cursor's stack: its words as they are now.
      const h = (tc as unknown as { handles: number[] }).handles;
      const m = heap();
      h[0] = m[tb];
      h[1] = m[tb + 1];
      h[2] = m[tb + 2];
      h[3] = m[tb + 3];
    },
  };
}

/**
 * For tests: whether the direct walk is in use, and whether it copies exactly the tree the public
 * TreeCursor API sees for `text` (types, flags, offsets, fields, shape).
 */
export function directWalkAgrees(text: string): { direct: boolean; same: boolean } {
  if (!parser || !grammar) throw new Error('shell parser not initialised: await initShell() first');
  const g = grammar;
  const copy = (useDirect: boolean) => {
    const tree = parser?.parse(text);
    if (!tree) throw new Error('tree-sitter returned no tree');
    try {
      const comments: SNode[] = [];
      const root = mirror(tree, g, comments, useDirect);
      const plain = (n: SNode): unknown => [n.type, n.named, n.missing, n.start, n.end, n.field, n.children.map(plain)];
      return JSON.stringify([plain(root), comments.map((c) => c.start)]);
    } finally {
      tree.delete();
    }
  };
  return { direct: direct !== null, same: copy(true) === copy(false) };
}

/** For tests and the parse floor (bench/parse-floor.mjs): the field ids the fast parser is given. */
export function shellFields(): FastFields {
  return FAST_FIELDS;
}

/** For tests and the parse floor: the tree tree-sitter gives for `text`, as the builder sees it, and its comments. */
export function treeSitterTree(text: string): { root: SNode; comments: SNode[] } {
  if (!parser || !grammar) throw new Error('shell parser not initialised: await initShell() first');
  const tree = parser.parse(text);
  if (!tree) throw new Error('tree-sitter returned no tree');
  try {
    const comments: SNode[] = [];
    return { root: mirror(tree, grammar, comments), comments };
  } finally {
    tree.delete();
  }
}

function namedChildren(n: SNode): SNode[] {
  return n.children.filter((c) => c.named);
}

function childForField(n: SNode, field: number): SNode | null {
  for (let i = 0, xs = n.children; i < xs.length; i++) {
    const c = xs[i];
    if (c.field === field) return c;
  }
  return null;
}

function childrenForField(n: SNode, field: number): SNode[] {
  return n.children.filter((c) => c.field === field);
}

interface Ctx {
  nested: boolean;
  inSubstitution: boolean;
  /** The innermost subshell or substitution around, null in the script's own shell. */
  subshell: Range | null;
}

const NESTING = new Set([
  'subshell',
  'compound_statement',
  'if_statement',
  'elif_clause',
  'else_clause',
  'case_statement',
  'case_item',
  'for_statement',
  'c_style_for_statement',
  'while_statement',
  'function_definition',
  'do_group',
]);

class Builder {
  commands: ShellCommand[] = [];
  pipelines: number[][] = [];
  assignments: ShellScript['assignments'] = [];
  errorRange: Range | null = null;
  /** node → index in `commands`. */
  readonly byNode = new Map<SNode, number>();
  /** Offsets where each line of the script starts (computed on first use). */
  private lineStarts: number[] | null = null;
  private readonly f = FAST_FIELDS;

  constructor(
    private readonly source: string,
    private readonly origin: Origin,
  ) {}

  text(n: SNode): string {
    return this.source.slice(n.start, n.end);
  }

  /** 0-based row and column (UTF-16 units) of an offset, as tree-sitter counts them. */
  private pos(offset: number): { row: number; column: number } {
    if (this.lineStarts === null) this.lineStarts = lineStarts(this.source);
    const row = lineIndexAt(this.lineStarts, offset);
    return { row, column: offset - this.lineStarts[row] };
  }

  range(n: SNode): Range {
    const at = this.origin.at;
    if (at) {
      const a = at(n.start);
      const b = at(n.end);
      return { line: a.line, column: a.column, endLine: b.line, endColumn: b.column };
    }
    const s = this.pos(n.start);
    const e = this.pos(n.end);
    return {
      line: this.origin.line + s.row,
      column: s.row === 0 ? this.origin.column + s.column : s.column + 1,
      endLine: this.origin.line + e.row,
      endColumn: e.row === 0 ? this.origin.column + e.column : e.column + 1,
    };
  }

  visit(n: SNode, ctx: Ctx): void {
    if ((n.type === 'ERROR' || n.missing) && !this.errorRange) this.errorRange = this.range(n);
    switch (n.type) {
      case 'command':
        this.command(n, ctx, null, 0);
        return;
      case 'pipeline': {
        const members = namedChildren(n);
        const pipeIdx = this.pipelines.length;
        const indices: number[] = [];
        this.pipelines.push(indices);
        let pos = 0;
        for (let i = 0, xs = members; i < xs.length; i++) {
          const m = xs[i];
          const cmd = this.unwrapRedirected(m);
          if (cmd && cmd.type === 'command') {
            indices.push(this.command(cmd, ctx, pipeIdx, pos));
            if (m !== cmd) this.visitRedirects(m, ctx);
          } else {
            this.visit(m, ctx);
          }
          pos++;
        }
        return;
      }
      case 'variable_assignment':
        if (!ctx.nested && !ctx.inSubstitution) this.assignments.push(this.assignment(n));
        this.visitChildren(n, ctx);
        return;
      case 'declaration_command': {
        // export X=1 / local / declare / readonly
        for (let i = 0, xs = n.children; i < xs.length; i++) {
          const c = xs[i];
          if (c.named && c.type === 'variable_assignment' && !ctx.nested && !ctx.inSubstitution) {
            this.assignments.push(this.assignment(c));
          }
        }
        this.visitChildren(n, ctx);
        return;
      }
      case 'command_substitution':
      case 'process_substitution':
        this.visitChildren(n, { ...ctx, inSubstitution: true, subshell: this.range(n) });
        return;
      default:
        if (NESTING.has(n.type)) {
          this.visitChildren(n, { ...ctx, nested: true, subshell: n.type === 'subshell' ? this.range(n) : ctx.subshell });
          return;
        }
        this.visitChildren(n, ctx);
    }
  }

  /** The statements among a node's children (a `&` after a statement marks it as background). */
  stmts(n: SNode): Stmt[] {
    const out: Stmt[] = [];
    for (const c of n.children) {
      if (c.type === '&') {
        markBackground(out);
        continue;
      }
      if (!c.named || c.type === 'comment' || c.type === 'heredoc_body') continue;
      const s = this.stmt(c);
      if (s) out.push(s);
    }
    return out;
  }

  stmt(n: SNode): Stmt | null {
    switch (n.type) {
      case 'command': {
        const idx = this.byNode.get(n);
        return idx === undefined ? null : { kind: 'cmd', cmd: idx, background: false };
      }
      case 'redirected_statement': {
        const body = childForField(n, this.f.body);
        return body ? this.stmt(body) : null;
      }
      case 'negated_command': {
        const inner = n.children.find((c) => c.named);
        return inner ? this.stmt(inner) : null;
      }
      case 'pipeline': {
        const cmds: number[] = [];
        for (const m of n.children) {
          if (!m.named) continue;
          const c = this.unwrapRedirected(m);
          const idx = c ? this.byNode.get(c) : undefined;
          if (idx !== undefined) cmds.push(idx);
        }
        return { kind: 'pipeline', cmds, background: false };
      }
      case 'list': {
        const parts = n.children;
        const opNode = parts.find((c) => c.type === '&&' || c.type === '||');
        const named = parts.filter((c) => c.named && c.type !== 'comment');
        if (!opNode || named.length < 2) return null;
        const left = this.stmt(named[0]);
        const right = this.stmt(named[named.length - 1]);
        if (!left || !right) return left ?? right;
        return { kind: 'andor', op: opNode.type as '&&' | '||', left, right };
      }
      case 'if_statement': {
        const branches: { cond: Stmt[]; body: Stmt[] }[] = [];
        let orelse: Stmt[] | null = null;
        let cond: Stmt[] = [];
        let body: Stmt[] = [];
        let inBody = false;
        const flush = () => {
          branches.push({ cond, body });
          cond = [];
          body = [];
          inBody = false;
        };
        for (const c of n.children) {
          if (c.type === 'then') {
            inBody = true;
            continue;
          }
          if (c.type === 'elif_clause') {
            // the `if` branch is pending only before the first elif
            if (inBody || cond.length) flush();
            let ec: Stmt[] = [];
            let eb: Stmt[] = [];
            let eIn = false;
            for (const x of c.children) {
              if (x.type === 'then') {
                eIn = true;
                continue;
              }
              if (x.type === '&') {
                markBackground(eIn ? eb : ec);
                continue;
              }
              if (!x.named || x.type === 'comment') continue;
              const s = this.stmt(x);
              if (s) (eIn ? eb : ec).push(s);
            }
            branches.push({ cond: ec, body: eb });
            ec = [];
            eb = [];
            continue;
          }
          if (c.type === 'else_clause') {
            if (inBody || cond.length) flush();
            orelse = this.stmts(c);
            continue;
          }
          if (c.type === '&') {
            markBackground(inBody ? body : cond);
            continue;
          }
          if (!c.named || c.type === 'comment') continue;
          const s = this.stmt(c);
          if (s) (inBody ? body : cond).push(s);
        }
        if (inBody || cond.length) branches.unshift({ cond, body });
        return { kind: 'if', branches, orelse, range: this.range(n) };
      }
      case 'case_statement': {
        const arms: { patterns: string[]; body: Stmt[] }[] = [];
        for (const item of n.children) {
          if (!item.named || item.type !== 'case_item') continue;
          const patterns = childrenForField(item, this.f.value).map((v) => this.text(v));
          const body: Stmt[] = [];
          let afterParen = false;
          for (const c of item.children) {
            if (c.type === ')') {
              afterParen = true;
              continue;
            }
            if (afterParen && c.type === '&') {
              markBackground(body);
              continue;
            }
            if (!afterParen || !c.named || c.type === 'comment') continue;
            const s = this.stmt(c);
            if (s) body.push(s);
          }
          arms.push({ patterns, body });
        }
        return { kind: 'case', arms, range: this.range(n) };
      }
      case 'function_definition': {
        const nameNode = childForField(n, this.f.name);
        const name = nameNode ? this.text(nameNode) : '';
        const body = childForField(n, this.f.body);
        return { kind: 'func', name, body: body ? this.stmts(body) : [], range: this.range(n) };
      }
      case 'while_statement':
      case 'for_statement':
      case 'c_style_for_statement': {
        const body = childForField(n, this.f.body);
        return { kind: 'loop', body: body ? this.stmts(body) : [], range: this.range(n) };
      }
      case 'compound_statement':
        return { kind: 'group', body: this.stmts(n), subshell: false, background: false };
      case 'subshell':
        return { kind: 'group', body: this.stmts(n), subshell: true, background: false };
      default:
        return { kind: 'other', type: n.type, range: this.range(n), background: false };
    }
  }

  visitChildren(n: SNode, ctx: Ctx): void {
    for (let i = 0, xs = n.children; i < xs.length; i++) {
      const c = xs[i];
      this.visit(c, ctx);
    }
  }

  /** A redirected statement in a pipeline, after its body command: its redirects (substitutions, errors), not the body again. */
  visitRedirects(n: SNode, ctx: Ctx): void {
    const body = childForField(n, this.f.body);
    for (let i = 0, xs = n.children; i < xs.length; i++) {
      const c = xs[i];
      if (c !== body) this.visit(c, ctx);
    }
  }

  assignment(n: SNode): { name: string; value: string; range: Range } {
    const nameNode = childForField(n, this.f.name);
    const name = nameNode ? this.text(nameNode) : '';
    const v = childForField(n, this.f.value);
    return { name, value: v ? this.wordValue(v) : '', range: this.range(n) };
  }

  command(n: SNode, ctx: Ctx, pipeline: number | null, pipelineIndex: number): number {
    const nameNode = childForField(n, this.f.name);
    const args: ShellWord[] = [];
    const assignments: ShellCommand['assignments'] = [];
    const redirects: string[] = [];
    for (let i = 0, xs = n.children; i < xs.length; i++) {
      const c = xs[i];
      if (c.named && c.type === 'variable_assignment') assignments.push(this.assignment(c));
    }
    for (let i = 0, xs = n.children; i < xs.length; i++) {
      const a = xs[i];
      if (a.field === this.f.argument) args.push(this.word(a));
    }
    // `cmd > f` wraps the command; in `a | b > f` the grammar wraps the whole pipeline, and the
    // redirect belongs to its last command.
    let holder = n.parent;
    if (holder?.type === 'pipeline') {
      // Whether `n` is the pipeline's last member: its last named child, found from the end (a
      // filter of every member for every command was quadratic in the pipeline's length).
      const xs = holder.children;
      let last = xs.length - 1;
      while (last >= 0 && !xs[last].named) last--;
      holder = last >= 0 && xs[last] === n ? holder.parent : null;
    }
    if (holder?.type === 'redirected_statement') {
      for (let i = 0, xs = holder.children; i < xs.length; i++) {
        const r = xs[i];
        if (r.field !== this.f.redirect) continue;
        const dest = childForField(r, this.f.destination);
        if (dest) redirects.push(this.wordValue(dest));
      }
    }
    const nameWord = nameNode ? this.word(nameNode.children.find((c) => c.named) ?? nameNode) : null;
    const idx = this.commands.length;
    this.byNode.set(n, idx);
    this.commands.push({
      name: nameWord && !nameWord.dynamic ? nameWord.value : '',
      nameWord,
      args,
      assignments,
      range: this.range(n),
      text: this.text(n),
      pipeline,
      pipelineIndex,
      inSubstitution: ctx.inSubstitution,
      nested: ctx.nested,
      subshell: ctx.subshell,
      redirects,
    });
    // Commands inside substitutions in the arguments ($(curl ...)), and errors. (All children: the
    // name too, as the builder has always done.)
    for (let i = 0, xs = n.children; i < xs.length; i++) {
      const c = xs[i];
      this.visitInWord(c, ctx);
    }
    return idx;
  }

  /** Descend into a word looking for substitutions (which hold commands) and errors. */
  visitInWord(n: SNode, ctx: Ctx): void {
    if ((n.type === 'ERROR' || n.missing) && !this.errorRange) this.errorRange = this.range(n);
    if (n.type === 'command_substitution' || n.type === 'process_substitution') {
      this.visitChildren(n, { ...ctx, inSubstitution: true, subshell: this.range(n) });
      return;
    }
    for (let i = 0, xs = n.children; i < xs.length; i++) {
      const c = xs[i];
      this.visitInWord(c, ctx);
    }
  }

  word(n: SNode): ShellWord {
    return { value: this.wordValue(n), raw: this.text(n), range: this.range(n), dynamic: isDynamic(n) };
  }

  unwrapRedirected(n: SNode): SNode | null {
    if (n.type === 'redirected_statement') return childForField(n, this.f.body);
    return n;
  }

  /** The literal value of a word: quotes removed, escapes resolved; expansions kept as written. */
  wordValue(n: SNode): string {
    switch (n.type) {
      case 'raw_string':
        return this.text(n).slice(1, -1);
      case 'ansi_c_string':
        return this.text(n).slice(2, -1);
      case 'string': {
        // "..." : content between the quotes, with \" \\ \$ \` unescaped
        return this.text(n)
          .slice(1, -1)
          .replace(/\\(["\\$`])/g, '$1');
      }
      case 'concatenation': {
        let out = '';
        for (let i = 0, xs = n.children; i < xs.length; i++) {
          const c = xs[i];
          out += this.wordValue(c);
        }
        return out;
      }
      case 'word':
      case 'number':
        return unescapeWord(this.text(n));
      case 'command_name': {
        const c = n.children.find((x) => x.named);
        return c ? this.wordValue(c) : this.text(n);
      }
      default:
        return this.text(n);
    }
  }
}

/** A `&` after a statement: the last statement of the list runs in the background. */
function markBackground(list: Stmt[]): void {
  const last = list[list.length - 1];
  if (last && 'background' in last) last.background = true;
}

const DYNAMIC = new Set(['simple_expansion', 'expansion', 'command_substitution', 'process_substitution', 'arithmetic_expansion']);

function isDynamic(n: SNode): boolean {
  if (DYNAMIC.has(n.type)) return true;
  for (let i = 0, xs = n.children; i < xs.length; i++) {
    const c = xs[i];
    if (c.named && isDynamic(c)) return true;
  }
  return false;
}

function unescapeWord(s: string): string {
  if (!s.includes('\\')) return s;
  return s.replace(/\\\r?\n/g, '').replace(/\\(.)/g, '$1');
}

/** Basename of a command path (`/usr/bin/curl` → `curl`). */
export function baseName(cmd: string): string {
  const i = cmd.lastIndexOf('/');
  return i >= 0 ? cmd.slice(i + 1) : cmd;
}
