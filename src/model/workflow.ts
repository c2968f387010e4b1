/**
 * CI workflows (GitHub Actions, GitLab CI) and what they do about security. Plain data, built once:
 * src/parse/workflow.ts reads the files (triggers, permissions, jobs, steps, matrices expanded into
 * job instances, `run:`/`script:` parsed as shell), src/model/ci.ts recognises the tools they run
 * (src/knowledge/scanners.ts) and links builds and scans to the repository's Dockerfiles and
 * lockfiles. Rules and the report read `Project.workflows` and `Project.ci`.
 */
import type { PNode, Prov, YamlFile } from '../parse/yaml.js';
import type { Location } from '../types.js';
import type { FromRef } from './dockerfile.js';
import type { ShellCommand, ShellScript, ShellWord } from './shell.js';

export type CiPlatform = 'github' | 'gitlab';

/**
 * What starts a run, normalised across platforms: `push` (branch pushes), `pr` (pull/merge
 * requests), `schedule`, `manual` (workflow_dispatch, GitLab web/API), `tag` (tag pushes, releases),
 * `call` (a reusable workflow, triggered by its callers), `other`.
 */
export type TriggerKind = 'push' | 'pr' | 'schedule' | 'manual' | 'tag' | 'call' | 'other';

export interface Trigger {
  /** Event as written: `push`, `pull_request`, `schedule`, `workflow_dispatch`; GitLab: `push`, `merge_request_event`, `schedule`, `web`. */
  event: string;
  kind: TriggerKind;
  /** Branch filters (`branches:`), null when any branch. */
  branches: string[] | null;
  /** Cron expressions of a `schedule` trigger. */
  crons: string[];
  /** Where it is written (the event key, the `rules:` entry, or the workflow's first line for defaults). */
  prov: Prov;
  /** GitLab: a pipeline source the job may run in but that is configured outside the file (pipeline schedules). */
  unconfirmed?: boolean;
}

export type PermissionLevel = 'read' | 'write' | 'none';

export interface Permissions {
  /** `read-all`, `write-all`, `{}` (none), a map of scopes, or an expression. */
  kind: 'read-all' | 'write-all' | 'none' | 'map' | 'expression';
  scopes: Record<string, PermissionLevel>;
  prov: Prov;
}

/** A boolean setting such as `continue-on-error` or `allow_failure`, as written. */
export interface FlagSetting {
  /** The literal value; null when it is an expression (resolved per instance in `StepInstance`). */
  value: boolean | null;
  raw: string;
  prov: Prov;
  /** Where the key stands (for pointing at `continue-on-error: true`). */
  keyProv: Prov;
}

/** `uses:` of a step (an action) or of a job (a reusable workflow). */
export interface ActionRef {
  raw: string;
  kind: 'repo' | 'docker' | 'local';
  /** `owner/repo[/path]`, lower-case (repo kind); the image for `docker://`; the path for local. */
  name: string;
  owner: string | null;
  /** The part after `@` (repo kind), the tag/digest (docker kind); null when absent. */
  ref: string | null;
  /** How the ref pins the code: a full 40-hex commit, a short commit, a version tag, a branch-like name, a digest. */
  refKind: 'sha' | 'short-sha' | 'version-tag' | 'branch' | 'digest' | 'tag' | 'none';
  prov: Prov;
}

/** A shell script of a step (`run:`) or a GitLab `script:` line, parsed once. */
export interface RunScript {
  /** The text as written (with `${{ ... }}` expressions). */
  text: string;
  /**
   * Parsed with every `${{ ... }}` replaced by a same-length placeholder token (positions stay exact);
   * null when the shell is neither a POSIX shell nor PowerShell (python, cmd).
   */
  script: ShellScript | null;
  /** Placeholder token → the expression it stands for (`${{ matrix.context }}`). */
  exprs: Map<string, string>;
  /** `bash`, `sh`, `pwsh`, ... */
  shell: string;
  /** The shell stops at the first failing command (`bash -e`, GitLab's runner). */
  errexit: boolean;
  /** A failing command anywhere in a pipeline fails it (`shell: bash` is `-eo pipefail`; the default `bash -e {0}` is not). */
  pipefail: boolean;
  /** The scalar. */
  prov: Prov;
}

export interface Step {
  index: number;
  id: string | null;
  name: string | null;
  /** The step's mapping (GitHub) or the script line (GitLab). */
  prov: Prov;
  uses: ActionRef | null;
  /** `with:` inputs as written. */
  with: Map<string, PNode>;
  /** Where each `with:` key stands (findings such as `exit-code: '0'` span key and value). */
  withKeys: Map<string, Prov>;
  run: RunScript | null;
  /** Step `env:` (literal values; expressions kept as written). */
  env: Map<string, string>;
  /** `working-directory` of the step, or the job's / workflow's `defaults.run.working-directory`, as written. */
  workingDirectory: string | null;
  continueOnError: FlagSetting | null;
  if: string | null;
  /** Where the `if:` key stands (GitHub). */
  ifProv?: Prov | null;
  /** GitLab: the section the line comes from (`before_script`, `script`, `after_script`). */
  section?: string;
}

/** One value of a matrix dimension (scalars, or objects/lists from `include`). */
export type MatrixValue = string | number | boolean | null | MatrixValue[] | { [k: string]: MatrixValue };

export interface Matrix {
  /** `none`: no matrix; `known`: expanded; `unknown`: computed at run time (`fromJSON(...)`, an expression). */
  status: 'none' | 'known' | 'unknown';
  /** Why it is unknown. */
  reason?: string;
  /** The `matrix:` node (or the dimension that is an expression). */
  prov: Prov | null;
  /** The combinations after `include`/`exclude` (one empty combination without a matrix; none when unknown). */
  combinations: Record<string, MatrixValue>[];
}

export interface Job {
  id: string;
  name: string | null;
  /** Where the job's key stands. */
  keyProv: Prov;
  prov: Prov;
  permissions: Permissions | null;
  /** GitHub `continue-on-error` of the job. */
  continueOnError: FlagSetting | null;
  /** GitLab `allow_failure`. */
  allowFailure: FlagSetting | null;
  if: string | null;
  /** Where the `if:` key stands (GitHub). */
  ifProv?: Prov | null;
  needs: string[];
  env: Map<string, string>;
  matrix: Matrix;
  steps: Step[];
  /** GitHub: a reusable workflow call (`jobs.<id>.uses`). */
  uses: ActionRef | null;
  /** The triggers the job runs on (workflow triggers narrowed by `if: github.event_name`, GitLab `rules`/`only`, callers of a reusable workflow). */
  triggers: Trigger[];
  /** Matrix combinations with values substituted into `with`, `run` and `working-directory` (one instance without a matrix; none when the matrix is unknown). */
  instances: JobInstance[];
  /** GitLab: `extends` names, resolved. */
  extends: string[];
  /** GitLab: the job's `image:` as written. */
  image: string | null;
  /** GitLab: the official template (`Security/SAST.gitlab-ci.yml`) or CI/CD component that defines this job, when it comes from one. */
  template: string | null;
  /** GitLab: job `variables` (literal values). */
  variables: Map<string, string>;
}

export interface JobInstance {
  /** `context=backend` (`''` without a matrix). */
  label: string;
  matrix: Record<string, MatrixValue>;
  steps: StepInstance[];
}

/** A value after substituting `${{ matrix.x }}`, `${{ env.X }}` and (in shell words) `$VAR` from `env:`. */
export interface Resolved {
  value: string;
  /** False when it still holds an expression or variable that is not known before the run (`${{ github.sha }}` stays as written and is still comparable). */
  literal: boolean;
  /** It depends on a matrix that is unknown. */
  unknown: boolean;
}

export interface StepInstance {
  step: Step;
  with: Map<string, { resolved: Resolved; node: PNode }>;
  /** Commands of `run:` with their words substituted; empty without `run:`. */
  commands: CmdInstance[];
  /** Working directory relative to the repository root ('' for the root), or null when unknown. */
  workingDirectory: string | null;
  /** `continue-on-error` after substitution (null when absent or undecidable). */
  continueOnError: boolean | null;
  /** The environment the step sees (workflow, job and step `env:`, GitLab variables), substituted. */
  env: Map<string, string>;
}

export interface CmdInstance {
  /** The parsed command (positions in the workflow file). */
  cmd: ShellCommand;
  run: RunScript;
  /** Command name and argument values after substitution. */
  name: string;
  args: string[];
  words: ShellWord[];
  /** Working directory at this command (after `cd`), relative to the root; null when unknown. */
  cwd: string | null;
  /** Why a failure of this command cannot fail the step, when it cannot. */
  swallowed: Disabler | null;
}

/** Something that stops a failing tool from failing the build. */
export interface Disabler {
  /** `continue-on-error: true`, `|| true`, `exit-code: '0'`, `--exit-zero`, `allow_failure: true`, a default that never fails ... */
  what: string;
  location: Location;
  /** How to turn the gate back on (`set \`exit-code: '1'\``, `remove \`|| true\``). */
  fix: string;
}

export type ToolCategory = 'image' | 'dependencies' | 'sast' | 'secrets' | 'iac' | 'signing' | 'build' | 'setup';
/** Dependency managers, as lockfiles tell them apart. */
export type Manager =
  | 'npm'
  | 'yarn'
  | 'pnpm'
  | 'pip'
  | 'poetry'
  | 'pipenv'
  | 'uv'
  | 'go'
  | 'cargo'
  | 'bundler'
  | 'composer'
  | 'maven'
  | 'gradle';

export interface Gate {
  /**
   * `can-fail`: findings fail the build; `cannot-fail`: nothing the tool finds can fail it (see
   * `disabledBy`); `reported`: findings go to the platform's review surface (GitHub code scanning,
   * GitLab security reports) instead of an exit code; `unknown`: decided at run time.
   */
  status: 'can-fail' | 'cannot-fail' | 'reported' | 'unknown';
  disabledBy: Disabler[];
  /** What makes it gate, for evidence (`exit-code: '1'`, `--error`, "exits non-zero on findings"). */
  note: string;
}

/** One recognised tool run: a scanner, an image build, a signing step, a setup action. One per job instance. */
export interface ToolUse {
  /** Knowledge id (`trivy`, `pip-audit`, `docker-build`). */
  id: string;
  /** As the report shows it: `Trivy`, `pip-audit`, `npm audit`, `Docker Scout`. */
  tool: string;
  category: ToolCategory;
  via: 'action' | 'command' | 'template';
  workflow: Workflow;
  job: Job;
  instance: JobInstance;
  step: Step | null;
  command: CmdInstance | null;
  /** The `uses:` value, the command in the script, or the `include:` entry. */
  location: Location;
  /** Image references scanned (image category), substituted and normalised. */
  imageRefs: Resolved[];
  /** Folders scanned, relative to the root ('' = root); `recursive` tells whether sub-folders count. */
  paths: { path: string; recursive: boolean }[];
  /** Files named explicitly (`pip-audit -r backend/requirements.txt`). */
  files: string[];
  /** Managers the tool audits (dependencies category), or 'all'. */
  managers: Manager[] | 'all';
  /** Languages (sast), as written in the tool's inputs or known for the tool. */
  languages: string[];
  /** Scope in words for the report (`container images`, `filesystem`, `Python dependencies`). */
  scope: string;
  gate: Gate;
  triggers: Trigger[];
  /** The `if:` (of the job or the step) that narrows the workflow's triggers to `triggers`, when one does (GitHub). */
  narrowedBy: { what: string; location: Location } | null;
  /** Why the scope cannot be decided (unknown matrix, a path from a run-time value), when it cannot. */
  unknown: string | null;
}

/** An image build in CI and the Dockerfile it builds. */
export interface ImageBuild {
  use: ToolUse;
  /** Repository path of the Dockerfile; null when it cannot be decided. */
  dockerfile: string | null;
  context: string | null;
  tags: Resolved[];
  platforms: string[];
  push: boolean | null;
  /** `docker compose build`: the service. */
  service?: string;
  /** Step id (`steps.<id>.outputs.digest` refers to it). */
  stepId: string | null;
  unknown: string | null;
}

/** Per Dockerfile of the repository: the CI steps that build, scan and sign it. */
/** What the CI facts keep of a Dockerfile (one with at least one stage): its path and its final stage's FROM. */
export interface CiDockerfile {
  path: string;
  /** The final stage's FROM (where per-image findings point, and the base image a bot keeps current). */
  from: FromRef;
}

/** What the CI facts need of a compose project: its name and, per environment, its files and the services' images and builds. */
export interface CiCompose {
  name: string;
  environments: {
    name: string;
    files: string[];
    services: {
      name: string;
      image: string | null;
      build: { context: string | null; dockerfile: string | null; problem?: string } | null;
    }[];
  }[];
}

export interface ImageCoverage {
  dockerfile: CiDockerfile;
  /** Short display name (`backend`, `backend/Dockerfile.worker`). */
  name: string;
  builds: ImageBuild[];
  scans: ToolUse[];
  signatures: ToolUse[];
  /** Why a signature might cover it without seaworthy being able to tell (a signed reference only known at run time). */
  signingUnknown: string | null;
  /** Union of the platforms of its builds. */
  platforms: string[];
  /** `scanned`; `built` (built in CI, never scanned); `missing` (neither); `unknown` (a run-time matrix or reference might cover it). */
  status: 'scanned' | 'built' | 'missing' | 'unknown';
  unknownReason: string | null;
  /** Dependency update bots that keep its base images current. */
  /** `partial`: a Renovate `packageRules` entry disables some Docker images (which ones is not matched). */
  updates: { tool: 'Dependabot' | 'Renovate'; file: string; detail: string; partial?: boolean }[];
}

/** Per lockfile/manifest: the dependency audits that cover it. */
export interface ManifestCoverage {
  path: string;
  manager: Manager;
  /** `Node.js`, `Python`, `Go`, ... */
  ecosystem: string;
  scans: ToolUse[];
  unknownReason: string | null;
}

/** A row of the report's "Tool / Scope / Trigger" table. */
export interface ScanRow {
  tool: string;
  categories: ToolCategory[];
  /** Scope parts: `container images backend, frontend`, `filesystem`, `Python dependencies`. */
  scope: string[];
  /** `push`, `PR`, `weekly`, `manual`, ... */
  triggers: string[];
  uses: ToolUse[];
  /** `Trivy · container images backend, frontend; filesystem · push, PR, weekly` (pass evidence). */
  text: string;
}

/** A dependency update bot's configuration. */
export interface UpdateConfig {
  tool: 'Dependabot' | 'Renovate';
  path: string;
  /** Dependabot `updates` entries (ecosystem and directories as written). */
  entries: { ecosystem: string; directories: string[]; prov: Prov }[];
  /** Renovate: whether its Dockerfile manager is on (null when undecidable); `ignorePaths`. */
  dockerEnabled: boolean | null;
  /** Renovate: the match conditions of `packageRules` that disable Docker updates for some images only (null when none do). */
  dockerPartial?: string | null;
  ignorePaths: string[];
}

export interface CiFacts {
  /** Every recognised tool run (scanners, builds, signing, setup), one per job instance. */
  tools: ToolUse[];
  /** The scanners among them (image, dependencies, sast, secrets, iac). */
  scans: ToolUse[];
  builds: ImageBuild[];
  /** One per Dockerfile of the repository (not `.devcontainer/`). */
  images: ImageCoverage[];
  /** One per lockfile/manifest. */
  manifests: ManifestCoverage[];
  /** The "Tool / Scope / Trigger" table, one row per tool. */
  table: ScanRow[];
  updates: UpdateConfig[];
  /** Workflow files that could not be parsed (their errors are in Project.errors). */
  unreadable: string[];
}

export interface Include {
  kind: 'template' | 'local' | 'remote' | 'project' | 'component';
  value: string;
  /** `ref:` of a project include; the version after `@` of a component. */
  ref: string | null;
  prov: Prov;
}

export interface Workflow {
  platform: CiPlatform;
  path: string;
  name: string | null;
  yaml: YamlFile;
  /** The `on:` key (GitHub) or `workflow:` (GitLab), when written. */
  onProv: Prov | null;
  /** The `jobs:` key (GitHub), or the first job's key (GitLab). */
  jobsProv: Prov | null;
  triggers: Trigger[];
  permissions: Permissions | null;
  env: Map<string, string>;
  defaults: { shell: string | null; workingDirectory: string | null };
  jobs: Job[];
  /** GitLab `include:` entries. */
  includes: Include[];
  /** GitHub: `on: workflow_call`. */
  reusable: boolean;
  /** Where the file starts (line 1), for results about the whole file. */
  fileProv: Prov;
}
