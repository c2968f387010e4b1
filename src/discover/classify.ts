/** File classification by name. All patterns are compiled once, at module load. */
import type { DiscoveredFiles } from '../model/project.js';

export type FileKind = keyof DiscoveredFiles;

/** `Dockerfile`, `Dockerfile.*`, `*.Dockerfile`, `Containerfile`, `Containerfile.*` (any case). */
const DOCKERFILE = /^(?:(?:docker|container)file(?:\..+)?|.+\.dockerfile)$/i;
/**
 * `compose.yaml`, `docker-compose.yml`, `compose.prod.yaml`, `docker-compose.override.yml`, and the
 * dashed variants `docker-compose-prod.yml`, `docker-compose_v4.yml`, ... (src/compose/load.ts groups them).
 */
const COMPOSE = /^(?:docker-)?compose(?:[._-].+)?\.ya?ml$/i;
/** `.env`, `.env.*`, `*.env`. */
const ENV_FILE = /^(?:\.env(?:\..+)?|.+\.env)$/i;
const WORKFLOW = /^\.github\/workflows\/[^/]+\.ya?ml$/;
/** Same names the engine's config loader accepts. */
const CONFIGS = new Set(['seaworthy.yml', '.seaworthy.yml', 'seaworthy.yaml', '.seaworthy.yaml']);
const YAML = /\.ya?ml$/i;
/** Lockfiles and manifests that tell which dependency ecosystems the repository uses (for `ci/dependency-audit`). */
const MANIFEST =
  /^(?:package-lock\.json|npm-shrinkwrap\.json|yarn\.lock|pnpm-lock\.yaml|requirements[\w.-]*\.txt|poetry\.lock|Pipfile\.lock|uv\.lock|go\.sum|Cargo\.lock|Gemfile\.lock|composer\.lock|pom\.xml|build\.gradle(?:\.kts)?)$/;
/** `requirements/base.txt` and the like. */
const REQUIREMENTS_DIR = /(?:^|\/)requirements\/[^/]+\.txt$/;
/** Dependency update bots' configuration files, where the bots look for them (root-relative). */
const UPDATE_CONFIGS = new Set([
  '.github/dependabot.yml',
  '.github/dependabot.yaml',
  'renovate.json',
  'renovate.json5',
  '.github/renovate.json',
  '.github/renovate.json5',
  '.gitlab/renovate.json',
  '.gitlab/renovate.json5',
  '.renovaterc',
  '.renovaterc.json',
  '.renovaterc.json5',
]);

/**
 * The kind of a file from its root-relative path and base name, or null when discovery has no use
 * for it. Workflows and configs are recognised only where their tools look for them (root-relative).
 */
export function classify(rel: string, name: string): FileKind | null {
  if (rel.startsWith('.github/workflows/') ? WORKFLOW.test(rel) : rel === '.gitlab-ci.yml') return 'workflows';
  if (CONFIGS.has(rel)) return 'configs';
  if (name === '.gitignore') return 'gitignores';
  if (name.endsWith('.dockerignore')) return 'dockerignores';
  if (ENV_FILE.test(name)) return 'envFiles';
  if (DOCKERFILE.test(name)) return 'dockerfiles';
  if (COMPOSE.test(name)) return 'compose';
  if (UPDATE_CONFIGS.has(rel)) return 'updateConfigs';
  if (MANIFEST.test(name) || REQUIREMENTS_DIR.test(rel)) return 'manifests';
  return null;
}

/** Classification for a file the user passed explicitly: anything unknown is a Dockerfile or a compose file. */
export function classifyExplicit(name: string): FileKind {
  return classify(name, name) ?? (YAML.test(name) ? 'compose' : 'dockerfiles');
}

/** `.env.example`, `.env.sample`, `.env.template`, `.env.dist`, `.env.defaults`, `example.env`, `.env.local.example`, ... (one definition, in knowledge). */
export { isExampleEnvName as isExampleEnvFile } from '../knowledge/secrets.js';

export function emptyFiles(): DiscoveredFiles {
  return { dockerfiles: [], compose: [], dockerignores: [], gitignores: [], envFiles: [], workflows: [], configs: [], manifests: [], updateConfigs: [] };
}
