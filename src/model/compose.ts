/** Compose projects and environments: merged, uninterpolated, with provenance on every value. */
import type { PMap, PNode, PScalar, Prov } from '../parse/yaml.js';
import type { DockerfileModel, Range, Stage } from './dockerfile.js';
import type { ShellScript } from './shell.js';
import type { VarUse } from '../parse/interpolate.js';
import type { Image } from './project.js';

export interface ComposeProject {
  /** Project name as docker compose derives it (top-level `name:` or the folder name). */
  name: string;
  /** Folder of the first file (relative to the scanned root; '' for the root). */
  dir: string;
  environments: Environment[];
}

export interface Environment {
  /** `dev`, `prod`, or a name from the config or the overlay file (`docker-compose.test.yml` → `test`). */
  name: string;
  /** Judged as production (prod/* rules and prod-only secrets rules). */
  isProd: boolean;
  project: string;
  /** Project directory (relative): relative paths in the files resolve against it. */
  dir: string;
  /** Files merged, in order (relative paths), including `include`d files. */
  files: string[];
  /** The merged document. */
  root: PMap;
  services: Service[];
  /** Every `${VAR}` use in the merged configuration, with where it stands. */
  variables: VarRef[];
  /** Top-level networks (merged), by name. */
  networks: Map<string, PNode>;
  /** Top-level volumes (merged), by name. */
  volumes: Map<string, PNode>;
  /** Variables of the project's `.env` (names only are ever printed). */
  dotenv: Map<string, string>;
}

export interface BuildRef {
  /** Build context relative to the scanned root ('' for the root); null when remote or outside the root. */
  context: string | null;
  /** Dockerfile path relative to the scanned root; null when unknown. */
  dockerfile: string | null;
  target: string | null;
  prov: Prov;
  /** Why the link could not be made, when it could not. */
  problem?: string;
}

export interface Service {
  name: string;
  environment: string;
  /** The merged service mapping. */
  node: PMap;
  /** Where the service's key stands in the first file that defines it. */
  keyProv: Prov;
  /** Where the service's key stands in every file that defines it, in merge order (base first). */
  keyProvs: Prov[];
  build: BuildRef | null;
  /** `image:` as written (uninterpolated), and its scalar. */
  image: string | null;
  imageNode: PScalar | null;
  /** The image model this service builds (from `build:`), when linked. */
  imageModel: Image | null;
  /** The merged `healthcheck.test`, parsed (null when the service has none). */
  healthTest: HealthTest | null;
  /** For `image:` services (no build): a model of `FROM <image>`, so image knowledge can be asked the same questions. */
  externalImage: { dockerfile: DockerfileModel; stage: Stage } | null;
}

/** A compose `healthcheck.test`: `["CMD", ...]` (exec), `["CMD-SHELL", "..."]` or a string (shell), `["NONE"]`. */
export interface HealthTest {
  form: 'exec' | 'shell' | 'none';
  /** exec form: the program and its arguments (after `CMD`). */
  argv: string[];
  argvRanges: Range[];
  /** shell form: the parsed command (positions in `prov.file`). */
  script: ShellScript | null;
  /** The `test` node (its file is where the value came from after merging). */
  prov: Prov;
}

export interface VarRef {
  use: VarUse;
  /** The scalar the use stands in. */
  scalar: PScalar;
  /** Key path from the document root, e.g. ['services', 'web', 'environment', 'REDIS_PASSWORD']. */
  path: string[];
  /** Service name when inside `services.<name>`. */
  service: string | null;
  /** Exact location of the use in its file. */
  prov: Prov;
}
