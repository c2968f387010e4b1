/** The Dockerfile model: built once by src/parse/dockerfile.ts, read by rules. Plain data. */
import type { ShellScript } from './shell.js';

/** 1-based, endColumn exclusive. */
export interface Range {
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

export interface Flag {
  name: string;
  value: string | null;
  range: Range;
}

export interface Word {
  value: string;
  range: Range;
}

export interface Instr {
  /** Upper-case keyword (`RUN`, `COPY`, ...). */
  keyword: string;
  range: Range;
  /** Range of the keyword only. */
  keywordRange: Range;
  /** The arguments as written (continuations kept). */
  argsText: string;
  flags: Flag[];
  args: Word[];
  /** Index of the stage it belongs to, -1 for instructions before the first FROM. */
  stage: number;
}

/** A variable value as resolved from ARG/ENV. `null` value means declared without a usable value (unknown). */
export interface VarValue {
  name: string;
  value: string | null;
  source: 'arg' | 'env' | 'global-arg';
  range: Range;
}

/** One ARG or ENV property as written, in document order (global ARGs have stage -1). */
export interface VarDecl {
  name: string;
  keyword: 'ARG' | 'ENV';
  /** The value as written (quotes removed, `$VAR` kept); null for `ARG NAME` without a default. */
  raw: string | null;
  /** After ARG/ENV substitution at that point; null when unknown or absent. */
  value: string | null;
  /** Index of the stage, -1 before the first FROM. */
  stage: number;
  /** The whole property (`NAME=value`). */
  range: Range;
  nameRange: Range;
  valueRange: Range | null;
  instr: Instr;
}

/** Result of substituting `$VAR`/`${VAR}`/`${VAR:-x}` in a Dockerfile word. */
export interface Resolved {
  /** null when some variable could not be resolved. */
  value: string | null;
  unresolved: string[];
}

export interface FromRef {
  /** Image text as written, e.g. `node:${NODE_VERSION}-slim`. */
  raw: string;
  /** After ARG substitution; null when unknown. */
  resolved: string | null;
  unresolved: string[];
  /** Parsed from `resolved`: registry/repo path without tag/digest, lower-case (`python`, `gcr.io/distroless/base`). */
  name: string | null;
  tag: string | null;
  digest: string | null;
  platform: string | null;
  /** When FROM names an earlier stage: its index. */
  stageRef: number | null;
  scratch: boolean;
  /** Range of the image word. */
  imageRange: Range;
  instr: Instr;
}

export interface UserInstr {
  instr: Instr;
  raw: string;
  resolved: Resolved;
  /** user part (before `:`), null when unknown. */
  user: string | null;
  group: string | null;
}

export interface ExecSpec {
  instr: Instr;
  form: 'exec' | 'shell';
  /** exec form: the JSON strings; shell form: [] */
  argv: string[];
  /** exec form: ranges of each JSON string. */
  argvRanges: Range[];
  /** shell form: the command text and its parsed script. HEALTHCHECK exec form `["sh", "-c", "..."]`: the parsed `-c` script. */
  script: ShellScript | null;
  text: string;
}

export interface HealthcheckInstr {
  instr: Instr;
  none: boolean;
  /** The CMD part; null for NONE. */
  cmd: ExecSpec | null;
  options: Record<string, string>;
}

export interface CopyInstr {
  instr: Instr;
  keyword: 'COPY' | 'ADD';
  sources: Word[];
  dest: Word | null;
  from: string | null;
  /** Index of the stage named by --from, null when external image or absent. */
  fromStage: number | null;
  chown: string | null;
  chmod: string | null;
  checksum: string | null;
  /** Inline heredoc content instead of sources. */
  heredoc: boolean;
}

export interface RunInstr {
  instr: Instr;
  execForm: boolean;
  /** The shell script of the RUN (shell form, heredoc body, or `sh -c` argument of exec form). */
  script: ShellScript | null;
  /** Parsed `--mount=` flags: key → value maps. */
  mounts: Record<string, string>[];
  heredoc: boolean;
  /**
   * The shell that runs `script`: the SHELL in effect at this RUN for shell form and heredocs
   * (`["/bin/sh", "-c"]` when none), the heredoc's shebang interpreter, or the exec-form argv before
   * the script (`["/bin/bash", "-o", "pipefail", "-c"]`); `[]` for an exec form that runs no shell.
   */
  shell: string[];
}

export interface Stage {
  index: number;
  /** Stage name as written (AS name), lower-cased; null when unnamed. */
  name: string | null;
  from: FromRef;
  /** Index of the parent stage when FROM names a stage. */
  parent: number | null;
  instructions: Instr[];
  /** ARG/ENV visible at the end of the stage (ENV inherited from parent stages). */
  vars: Map<string, VarValue>;
  users: UserInstr[];
  healthchecks: HealthcheckInstr[];
  entrypoints: ExecSpec[];
  cmds: ExecSpec[];
  copies: CopyInstr[];
  runs: RunInstr[];
  exposes: Word[];
  /** Last SHELL instruction's argv in this stage (or inherited). */
  shell: string[] | null;
  workdir: string | null;
  /** Users created in this stage's RUNs: name → uid (null when created without explicit uid). */
  createdUsers: Map<string, { uid: number | null; range: Range }>;
}

export interface EffectiveUser {
  /** `instruction`: a USER in the stage chain; `base`: the base image's default from knowledge; `default-root`: nothing sets it, Docker's default root; `unknown`: unresolved USER or unknown base. */
  source: 'instruction' | 'base' | 'default-root' | 'unknown';
  user: string | null;
  uid: number | null;
  isRoot: boolean | null;
  /** The USER instruction that decides it. */
  userInstr: UserInstr | null;
  /** The stage in which that USER stands. */
  stageIndex: number | null;
  /** Where the uid was learned (useradd line, knowledge), for evidence. */
  uidSource: string | null;
}

export interface Directive {
  name: string;
  value: string;
  range: Range;
}

export interface Comment {
  text: string;
  range: Range;
}

export interface DockerfileModel {
  /** Relative path, POSIX. */
  path: string;
  text: string;
  lines: string[];
  directives: Directive[];
  comments: Comment[];
  globalArgs: VarValue[];
  /** Every ARG/ENV property in document order (Stage.vars keeps only the last value per name). */
  declarations: VarDecl[];
  instructions: Instr[];
  stages: Stage[];
  /** Problems found while building the model (unknown instruction, bad JSON, ...). */
  problems: { message: string; range: Range }[];
}
