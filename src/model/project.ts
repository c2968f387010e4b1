/** The Project: everything the rules look at, built once from discovery + parsing. Plain data. */
import type { FileError } from '../types.js';
import type { YamlFile } from '../parse/yaml.js';
import type { ComposeProject } from './compose.js';
import type { ScriptModel, ScriptUse, UnresolvedStart } from './script.js';
import type { DockerfileModel, EffectiveUser, Stage } from './dockerfile.js';
import type { CiFacts, Workflow } from './workflow.js';

/** A build context: the folder a Dockerfile is built from and what is in it. */
export interface BuildContext {
  /** Relative to the scanned root, POSIX, '' or '.' for the root. */
  dir: string;
  /** Files in the context relative to `dir` (names only, not read), capped; includes gitignored files, since `docker build` sends them. */
  files: string[];
  /** True when the listing was cut at the cap. */
  truncated: boolean;
  /** The `.dockerignore` that applies (`<Dockerfile>.dockerignore` wins over `<context>/.dockerignore`). */
  dockerignore: { path: string; patterns: string[] } | null;
  /** Returns true when a context-relative path is excluded by the dockerignore (false when there is none). */
  isIgnored(path: string): boolean;
  /** Parsed `package.json` at the context root, when present and valid: dependency names of all kinds. */
  packageJson: { dependencies: string[]; devDependencies: string[]; scripts: Record<string, string> } | null;
}

/** One image a rule judges: a Dockerfile's final stage, or the stage a compose `build.target` names. */
export interface Image {
  /** Display name: the Dockerfile path, plus `#target` when a target stage is chosen. */
  name: string;
  dockerfile: DockerfileModel;
  /** The stage that becomes the image. */
  stage: Stage;
  /** Stages the final image depends on (itself, its parents and every `COPY --from` source, transitively). */
  reachableStages: Stage[];
  user: EffectiveUser;
  context: BuildContext;
  /** Compose services that run this image (filled by the compose model; empty until then). */
  services: ImageServiceRef[];
  /** Entrypoint scripts the image runs (from its ENTRYPOINT/CMD and compose overrides). */
  scripts: ScriptUse[];
  /** Starts seaworthy followed but could not resolve to a file or program (for honest unknowns). */
  unresolvedStarts: UnresolvedStart[];
}

/** Filled by the compose layer: a service in an environment that builds or runs an image. */
export interface ImageServiceRef {
  environment: string;
  service: string;
  /** non-root `user:` set on the service, when present. */
  user: string | null;
  hasHealthcheck: boolean;
  init: boolean | null;
}

export interface EnvFileInfo {
  /** Relative path of a `.env*` file. */
  path: string;
  /** `.env.example`, `.env.sample`, `.env.template`, `.env.dist` ... */
  isExample: boolean;
  /** Tracked by git (null when the root is not a git checkout). */
  tracked: boolean | null;
  /** Covered by a .gitignore. */
  gitignored: boolean;
}

export interface EnvExample {
  /** Relative path of the example file. */
  path: string;
  /** Variable names it assigns (`KEY=...`, `export KEY=...`), in file order, without duplicates; commented-out lines do not count. */
  names: string[];
}

export interface Project {
  /** Display name of the scanned root (folder name). */
  name: string;
  dockerfiles: DockerfileModel[];
  images: Image[];
  envFiles: EnvFileInfo[];
  /**
   * Variable names listed by each example env file (`.env.example`, `.env.sample`, ...: `isExample`).
   * Names only: values are never kept, even though they are meant to be placeholders.
   */
  envExamples: EnvExample[];
  /** Entrypoint scripts, each read and parsed once. */
  scripts: ScriptModel[];
  /** Compose projects with their merged environments. */
  compose: ComposeProject[];
  /** Every compose file read, parsed once (comments feed inline ignores). */
  composeFiles: Map<string, YamlFile>;
  /** CI workflows (GitHub Actions, GitLab CI), each read and parsed once; malformed ones are in `errors` instead. */
  workflows: Workflow[];
  /** What CI does about security, computed once from the workflows: scans, builds, image and dependency coverage. */
  ci: CiFacts;
  /** Whether the root is inside a git checkout. */
  git: boolean;
  /** Relative paths of every discovered file by kind. */
  files: DiscoveredFiles;
  errors: FileError[];
}

export interface DiscoveredFiles {
  dockerfiles: string[];
  compose: string[];
  dockerignores: string[];
  gitignores: string[];
  envFiles: string[];
  workflows: string[];
  configs: string[];
  /** Dependency lockfiles and manifests (`package-lock.json`, `requirements*.txt`, `go.sum`, `pom.xml`, ...). */
  manifests: string[];
  /** Dependabot (`.github/dependabot.yml`) and Renovate (`renovate.json`, `.renovaterc*`, ...) configuration files. */
  updateConfigs: string[];
}
