/** Shell scripts as parsed by tree-sitter-bash, flattened into what rules need. Plain data. */
import type { Range } from './dockerfile.js';

export interface ShellWord {
  /** Literal value with quotes removed; expansions kept as written (`$HOME`). */
  value: string;
  raw: string;
  range: Range;
  /** True when the word contains an expansion or substitution. */
  dynamic: boolean;
  /**
   * When the word is the literal script of a `sh -c 'script'` call in a RUN (`bash -ec "..."`, also
   * behind `sudo`/`xargs`...): that script, parsed, its ranges in the Dockerfile (the whole word's range
   * where quoting makes a position inside it unsure). Its commands' `pipeline`, `nested` and `subshell`
   * describe them within that script.
   */
  script?: ShellScript;
}

export interface ShellCommand {
  /** Command name (basename not applied), '' when dynamic. */
  name: string;
  nameWord: ShellWord | null;
  args: ShellWord[];
  /** `VAR=value` prefixes. */
  assignments: { name: string; value: string; range: Range }[];
  range: Range;
  text: string;
  /** Index into ShellScript.pipelines when part of a pipeline of 2+ commands. */
  pipeline: number | null;
  /** Position inside the pipeline. */
  pipelineIndex: number;
  /** Inside `$(...)`, backticks or `<(...)`. */
  inSubstitution: boolean;
  /** Inside a function body, a subshell, a loop body, an if/case branch (not top-level sequential). */
  nested: boolean;
  /**
   * The innermost `( ... )` subshell or `$(...)`/backtick/`<(...)` substitution the command runs in (its
   * range), null when it runs in the script's own shell: what it changes there (`set`, `cd`) ends with it.
   */
  subshell: Range | null;
  /** Redirections' targets (e.g. `> /dev/null`). */
  redirects: string[];
}

export interface ShellScript {
  commands: ShellCommand[];
  /** Each pipeline (2+ commands): indices into commands. */
  pipelines: number[][];
  /** Top-level variable assignments (`export X=1`, `X=1`). */
  assignments: { name: string; value: string; range: Range }[];
  /** True when tree-sitter found syntax errors. */
  hasErrors: boolean;
  /** First error range, when any. */
  errorRange: Range | null;
  text: string;
  /** Statement tree; present when parsed with `{ tree: true }`. */
  stmts?: Stmt[];
  /** `#` comments (text after `# `); present when parsed with `{ tree: true }` (inline ignores in scripts). */
  comments?: { text: string; range: Range }[];
}

/**
 * A script's statements as a tree (built on request for entrypoint scripts): enough control flow to
 * follow every path through `if`/`case`/`&&`/`||`, functions and `exit`.
 */
export type Stmt =
  | { kind: 'cmd'; cmd: number; background: boolean }
  | { kind: 'pipeline'; cmds: number[]; background: boolean }
  | { kind: 'andor'; op: '&&' | '||'; left: Stmt; right: Stmt }
  | { kind: 'if'; branches: { cond: Stmt[]; body: Stmt[] }[]; orelse: Stmt[] | null; range: Range }
  | { kind: 'case'; arms: { patterns: string[]; body: Stmt[] }[]; range: Range }
  | { kind: 'func'; name: string; body: Stmt[]; range: Range }
  | { kind: 'loop'; body: Stmt[]; range: Range }
  | { kind: 'group'; body: Stmt[]; subshell: boolean; background: boolean }
  | { kind: 'other'; type: string; range: Range; background: boolean };
