/**
 * Shell parsing with tree-sitter-bash (web-tree-sitter + the grammar's wasm). One parser for RUN
 * bodies, healthcheck commands, entrypoint scripts and workflow `run:` steps.
 *
 * `initShell()` must be awaited once before `parseShell()`; the rest is synchronous.
 */
import { createRequire } from 'node:module';
import type { Node as TSNode, Parser as TSParser } from 'web-tree-sitter';
import type { Range } from '../model/dockerfile.js';
import type { ShellCommand, ShellScript, ShellWord, Stmt } from '../model/shell.js';

let parser: TSParser | null = null;
let initPromise: Promise<void> | null = null;

export function initShell(): Promise<void> {
  if (!initPromise) {
    initPromise = (async () => {
      const { Parser, Language } = await import('web-tree-sitter');
      const require = createRequire(import.meta.url);
      await Parser.init();
      const lang = await Language.load(require.resolve('tree-sitter-bash/tree-sitter-bash.wasm'));
      const p = new Parser();
      p.setLanguage(lang);
      parser = p;
    })();
  }
  return initPromise;
}

/** Where the script text starts in its file (1-based line and column). */
export interface Origin {
  line: number;
  column: number;
  /** Column where lines after the first start (a YAML block scalar's indentation + 1); default 1. */
  restColumn?: number;
}

const ORIGIN_1_1: Origin = { line: 1, column: 1 };

/** Parse a shell script; positions are mapped into the file through `origin`. `tree` adds the statement tree. */
export function parseShell(text: string, origin: Origin = ORIGIN_1_1, opts: { tree?: boolean } = {}): ShellScript {
  if (!parser) throw new Error('shell parser not initialised: await initShell() first');
  const tree = parser.parse(text);
  if (!tree) throw new Error('tree-sitter returned no tree');
  const b = new Builder(text, origin);
  let stmts: Stmt[] | undefined;
  let comments: { text: string; range: Range }[] | undefined;
  try {
    b.visit(tree.rootNode, { nested: false, inSubstitution: false });
    if (opts.tree) {
      stmts = b.stmts(tree.rootNode);
      comments = tree.rootNode.descendantsOfType('comment').flatMap((c) => (c ? [{ text: c.text.replace(/^#\s?/, ''), range: b.range(c) }] : []));
    }
  } finally {
    tree.delete();
  }
  return {
    commands: b.commands,
    pipelines: b.pipelines,
    assignments: b.assignments,
    hasErrors: b.errorRange !== null,
    errorRange: b.errorRange,
    text,
    ...(stmts ? { stmts } : {}),
    ...(comments ? { comments } : {}),
  };
}

interface Ctx {
  nested: boolean;
  inSubstitution: boolean;
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
  /** tree-sitter node id → index in `commands`. */
  readonly byNode = new Map<number, number>();

  constructor(
    private readonly text: string,
    private readonly origin: Origin,
  ) {}

  range(n: TSNode): Range {
    const s = n.startPosition;
    const e = n.endPosition;
    return {
      line: this.origin.line + s.row,
      column: s.row === 0 ? this.origin.column + s.column : s.column + (this.origin.restColumn ?? 1),
      endLine: this.origin.line + e.row,
      endColumn: e.row === 0 ? this.origin.column + e.column : e.column + (this.origin.restColumn ?? 1),
    };
  }

  visit(n: TSNode, ctx: Ctx): void {
    if ((n.type === 'ERROR' || n.isMissing) && !this.errorRange) this.errorRange = this.range(n);
    switch (n.type) {
      case 'command':
        this.command(n, ctx, null, 0);
        return;
      case 'pipeline': {
        const members = n.namedChildren.filter((c): c is TSNode => c !== null);
        const pipeIdx = this.pipelines.length;
        const indices: number[] = [];
        this.pipelines.push(indices);
        let pos = 0;
        for (const m of members) {
          const cmd = unwrapRedirected(m);
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
        for (const c of n.namedChildren) {
          if (c?.type === 'variable_assignment' && !ctx.nested && !ctx.inSubstitution) {
            this.assignments.push(this.assignment(c));
          }
        }
        this.visitChildren(n, ctx);
        return;
      }
      case 'command_substitution':
      case 'process_substitution':
        this.visitChildren(n, { ...ctx, inSubstitution: true });
        return;
      default:
        if (NESTING.has(n.type)) {
          this.visitChildren(n, { ...ctx, nested: true });
          return;
        }
        this.visitChildren(n, ctx);
    }
  }

  /** The statements among a node's children (a `&` after a statement marks it as background). */
  stmts(n: TSNode): Stmt[] {
    const out: Stmt[] = [];
    for (const c of n.children) {
      if (!c) continue;
      if (c.type === '&') {
        markBackground(out);
        continue;
      }
      if (!c.isNamed || c.type === 'comment' || c.type === 'heredoc_body') continue;
      const s = this.stmt(c);
      if (s) out.push(s);
    }
    return out;
  }

  stmt(n: TSNode): Stmt | null {
    switch (n.type) {
      case 'command': {
        const idx = this.byNode.get(n.id);
        return idx === undefined ? null : { kind: 'cmd', cmd: idx, background: false };
      }
      case 'redirected_statement': {
        const body = n.childForFieldName('body');
        return body ? this.stmt(body) : null;
      }
      case 'negated_command': {
        const inner = n.namedChildren.find((c) => c !== null);
        return inner ? this.stmt(inner) : null;
      }
      case 'pipeline': {
        const cmds: number[] = [];
        for (const m of n.namedChildren) {
          const c = m ? unwrapRedirected(m) : null;
          const idx = c ? this.byNode.get(c.id) : undefined;
          if (idx !== undefined) cmds.push(idx);
        }
        return { kind: 'pipeline', cmds, background: false };
      }
      case 'list': {
        const parts = n.children.filter((c): c is TSNode => c !== null);
        const opNode = parts.find((c) => c.type === '&&' || c.type === '||');
        const named = parts.filter((c) => c.isNamed && c.type !== 'comment');
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
          if (!c) continue;
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
              if (!x) continue;
              if (x.type === 'then') {
                eIn = true;
                continue;
              }
              if (x.type === '&') {
                markBackground(eIn ? eb : ec);
                continue;
              }
              if (!x.isNamed || x.type === 'comment') continue;
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
          if (!c.isNamed || c.type === 'comment') continue;
          const s = this.stmt(c);
          if (s) (inBody ? body : cond).push(s);
        }
        if (inBody || cond.length) branches.unshift({ cond, body });
        return { kind: 'if', branches, orelse, range: this.range(n) };
      }
      case 'case_statement': {
        const arms: { patterns: string[]; body: Stmt[] }[] = [];
        for (const item of n.namedChildren) {
          if (!item || item.type !== 'case_item') continue;
          const patterns = item.childrenForFieldName('value').map((v) => (v ? v.text : ''));
          const body: Stmt[] = [];
          let afterParen = false;
          for (const c of item.children) {
            if (!c) continue;
            if (c.type === ')') {
              afterParen = true;
              continue;
            }
            if (afterParen && c.type === '&') {
              markBackground(body);
              continue;
            }
            if (!afterParen || !c.isNamed || c.type === 'comment') continue;
            const s = this.stmt(c);
            if (s) body.push(s);
          }
          arms.push({ patterns, body });
        }
        return { kind: 'case', arms, range: this.range(n) };
      }
      case 'function_definition': {
        const name = n.childForFieldName('name')?.text ?? '';
        const body = n.childForFieldName('body');
        return { kind: 'func', name, body: body ? this.stmts(body) : [], range: this.range(n) };
      }
      case 'while_statement':
      case 'for_statement':
      case 'c_style_for_statement': {
        const body = n.childForFieldName('body');
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

  visitChildren(n: TSNode, ctx: Ctx): void {
    for (const c of n.children) if (c) this.visit(c, ctx);
  }

  visitRedirects(n: TSNode, ctx: Ctx): void {
    for (const c of n.children) if (c && c !== n.childForFieldName('body')) this.visit(c, ctx);
  }

  assignment(n: TSNode): { name: string; value: string; range: Range } {
    const name = n.childForFieldName('name')?.text ?? '';
    const v = n.childForFieldName('value');
    return { name, value: v ? wordValue(v) : '', range: this.range(n) };
  }

  command(n: TSNode, ctx: Ctx, pipeline: number | null, pipelineIndex: number): number {
    const nameNode = n.childForFieldName('name');
    const args: ShellWord[] = [];
    const assignments: ShellCommand['assignments'] = [];
    const redirects: string[] = [];
    for (const c of n.namedChildren) {
      if (!c) continue;
      if (c.type === 'variable_assignment') assignments.push(this.assignment(c));
    }
    for (const a of n.childrenForFieldName('argument')) {
      if (a) args.push(this.word(a));
    }
    const parent = n.parent;
    if (parent?.type === 'redirected_statement') {
      for (const r of parent.childrenForFieldName('redirect')) {
        const dest = r?.childForFieldName('destination');
        if (dest) redirects.push(wordValue(dest));
      }
    }
    const nameWord = nameNode ? this.word(nameNode.namedChild(0) ?? nameNode) : null;
    const idx = this.commands.length;
    this.byNode.set(n.id, idx);
    this.commands.push({
      name: nameWord && !nameWord.dynamic ? nameWord.value : '',
      nameWord,
      args,
      assignments,
      range: this.range(n),
      text: n.text,
      pipeline,
      pipelineIndex,
      inSubstitution: ctx.inSubstitution,
      nested: ctx.nested,
      redirects,
    });
    // Commands inside substitutions in the arguments ($(curl ...)), and errors.
    for (const c of n.children) {
      if (c && c !== nameNode) this.visitInWord(c, ctx);
    }
    return idx;
  }

  /** Descend into a word looking for substitutions (which hold commands) and errors. */
  visitInWord(n: TSNode, ctx: Ctx): void {
    if ((n.type === 'ERROR' || n.isMissing) && !this.errorRange) this.errorRange = this.range(n);
    if (n.type === 'command_substitution' || n.type === 'process_substitution') {
      this.visitChildren(n, { ...ctx, inSubstitution: true });
      return;
    }
    for (const c of n.children) if (c) this.visitInWord(c, ctx);
  }

  word(n: TSNode): ShellWord {
    return { value: wordValue(n), raw: n.text, range: this.range(n), dynamic: isDynamic(n) };
  }
}

/** A `&` after a statement: the last statement of the list runs in the background. */
function markBackground(list: Stmt[]): void {
  const last = list[list.length - 1];
  if (last && 'background' in last) last.background = true;
}

function unwrapRedirected(n: TSNode): TSNode | null {
  if (n.type === 'redirected_statement') return n.childForFieldName('body');
  return n;
}

const DYNAMIC = new Set(['simple_expansion', 'expansion', 'command_substitution', 'process_substitution', 'arithmetic_expansion']);

function isDynamic(n: TSNode): boolean {
  if (DYNAMIC.has(n.type)) return true;
  for (const c of n.namedChildren) if (c && isDynamic(c)) return true;
  return false;
}

/** The literal value of a word: quotes removed, escapes resolved; expansions kept as written. */
export function wordValue(n: TSNode): string {
  switch (n.type) {
    case 'raw_string':
      return n.text.slice(1, -1);
    case 'ansi_c_string':
      return n.text.slice(2, -1);
    case 'string': {
      // "..." : content between the quotes, with \" \\ \$ \` unescaped
      return n.text.slice(1, -1).replace(/\\(["\\$`])/g, '$1');
    }
    case 'concatenation': {
      let out = '';
      for (const c of n.children) if (c) out += wordValue(c);
      return out;
    }
    case 'word':
    case 'number':
      return unescapeWord(n.text);
    case 'command_name': {
      const c = n.namedChild(0);
      return c ? wordValue(c) : n.text;
    }
    default:
      return n.text;
  }
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
