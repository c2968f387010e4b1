/**
 * Base-image knowledge: what an image variant is (slim, alpine, distroless, ...), which programs it
 * ships, and which user it runs as. One data table; extend it by adding an entry.
 *
 * A fact that is not known is left out (undefined) so that rules answer "unknown" instead of guessing.
 */

export type Tool = 'sh' | 'bash' | 'curl' | 'wget' | 'nc' | 'python' | 'node' | 'busybox';

export type Variant =
  /** Full distribution or full language image (buildpack-deps based). */
  | 'full'
  /** Debian/Ubuntu `-slim` style images. */
  | 'slim'
  | 'alpine'
  | 'distroless'
  | 'scratch'
  | 'chainguard'
  /** Other deliberately small images (ubi-minimal, busybox, chiseled). */
  | 'minimal';

export interface BaseImageFacts {
  /** The entry that matched (for evidence and debugging). */
  entry: string;
  variant: Variant;
  /** Whether this is considered a minimal base for `dockerfile/minimal-base`. */
  minimal: boolean;
  tools: Partial<Record<Tool, boolean>>;
  /** Set when the image runs as a non-root user by default. */
  defaultUser?: { name: string; uid: number };
  /** Known users of the image (name → uid), e.g. `node` → 1000 in the node images. */
  users: Record<string, number>;
  packageManager?: 'apt' | 'apk' | 'dnf' | 'microdnf' | 'yum' | null;
}

const DEBIAN_FULL_LANG = { sh: true, bash: true, curl: true, wget: true } as const;
const DEBIAN_SLIM = { sh: true, bash: true, curl: false, wget: false, nc: false, busybox: false } as const;
const DEBIAN_BASE = { sh: true, bash: true, curl: false, wget: false, nc: false, busybox: false } as const;
const ALPINE = { sh: true, bash: false, curl: false, wget: true, nc: true, busybox: true } as const;
const NO_SHELL = { sh: false, bash: false, curl: false, wget: false, nc: false, busybox: false } as const;

interface Entry {
  /** Image names (after removing docker.io/ and library/); `*` at the end matches a prefix. */
  names: string[];
  /** Variants by tag: first match wins. `tag` is a regex tested on the tag (`latest` when absent). */
  variants: { tag: RegExp; facts: Omit<BaseImageFacts, 'entry' | 'users'> & { users?: Record<string, number> } }[];
  users?: Record<string, number>;
}

const slimAlpineFull = (lang: Partial<Record<Tool, boolean>>, extra: { users?: Record<string, number> } = {}): Entry['variants'] => [
  { tag: /alpine/, facts: { variant: 'alpine', minimal: true, tools: { ...ALPINE, ...lang }, packageManager: 'apk', ...extra } },
  { tag: /slim/, facts: { variant: 'slim', minimal: true, tools: { ...DEBIAN_SLIM, ...lang }, packageManager: 'apt', ...extra } },
  { tag: /windowsservercore|nanoserver/, facts: { variant: 'full', minimal: false, tools: { sh: false, bash: false, ...lang } } },
  { tag: /.*/, facts: { variant: 'full', minimal: false, tools: { ...DEBIAN_FULL_LANG, ...lang }, packageManager: 'apt', ...extra } },
];

/** The node images: the alpine and slim variants have no python (the full one, on buildpack-deps, has python3). */
const nodeVariants = (): Entry['variants'] =>
  slimAlpineFull({ node: true }).map((v) =>
    v.facts.variant === 'alpine' || v.facts.variant === 'slim'
      ? { ...v, facts: { ...v.facts, tools: { ...v.facts.tools, python: false } } }
      : v,
  );

// biome-ignore format: one line per image variant, so the table reads as a table
export const BASE_IMAGES: Entry[] = [
  { names: ['scratch'], variants: [{ tag: /.*/, facts: { variant: 'scratch', minimal: true, tools: { ...NO_SHELL, python: false, node: false }, packageManager: null } }] },
  { names: ['python', 'pypy'], variants: slimAlpineFull({ python: true }) },
  { names: ['node'], variants: nodeVariants(), users: { node: 1000 } },
  { names: ['ruby', 'golang', 'rust', 'perl', 'php', 'elixir', 'erlang', 'haskell', 'buildpack-deps', 'gcc', 'julia'], variants: slimAlpineFull({}) },
  { names: ['openjdk', 'maven', 'gradle', 'eclipse-temurin', 'amazoncorretto', 'ibm-semeru-runtimes', 'sapmachine', 'tomcat'],
    variants: [
      { tag: /alpine/, facts: { variant: 'alpine', minimal: true, tools: { ...ALPINE }, packageManager: 'apk' } },
      { tag: /slim/, facts: { variant: 'slim', minimal: true, tools: { ...DEBIAN_SLIM }, packageManager: 'apt' } },
      { tag: /.*/, facts: { variant: 'full', minimal: false, tools: { sh: true }, packageManager: null } },
    ] },
  { names: ['oven/bun'], variants: [
      { tag: /alpine/, facts: { variant: 'alpine', minimal: true, tools: { ...ALPINE }, packageManager: 'apk' } },
      { tag: /slim/, facts: { variant: 'slim', minimal: true, tools: { ...DEBIAN_SLIM }, packageManager: 'apt' } },
      { tag: /distroless/, facts: { variant: 'distroless', minimal: true, tools: { ...NO_SHELL }, packageManager: null } },
      { tag: /.*/, facts: { variant: 'full', minimal: false, tools: { sh: true, bash: true, curl: false, wget: false }, packageManager: 'apt' } },
    ], users: { bun: 1000 } },
  { names: ['debian', 'ubuntu'], variants: [
      { tag: /slim/, facts: { variant: 'slim', minimal: true, tools: { ...DEBIAN_SLIM }, packageManager: 'apt' } },
      { tag: /.*/, facts: { variant: 'full', minimal: false, tools: { ...DEBIAN_BASE }, packageManager: 'apt' } },
    ] },
  // The RHEL rebuilds' small variants, built like ubi-minimal (microdnf): `rockylinux:9-minimal`,
  // `almalinux:9-minimal`, `oraclelinux:9-slim`.
  { names: ['rockylinux', 'almalinux', 'oraclelinux'], variants: [
      { tag: /(^|-)(minimal|slim)($|-)/, facts: { variant: 'minimal', minimal: true, tools: { sh: true, bash: true }, packageManager: 'microdnf' } },
      { tag: /.*/, facts: { variant: 'full', minimal: false, tools: { sh: true, bash: true }, packageManager: null } },
    ] },
  { names: ['fedora', 'centos', 'amazonlinux', 'opensuse/leap', 'opensuse/tumbleweed', 'archlinux'],
    variants: [{ tag: /.*/, facts: { variant: 'full', minimal: false, tools: { sh: true, bash: true }, packageManager: null } }] },
  { names: ['alpine'], variants: [{ tag: /.*/, facts: { variant: 'alpine', minimal: true, tools: { ...ALPINE, python: false, node: false }, packageManager: 'apk' } }] },
  { names: ['busybox'], variants: [{ tag: /.*/, facts: { variant: 'minimal', minimal: true, tools: { sh: true, bash: false, curl: false, wget: true, nc: true, busybox: true }, packageManager: null } }] },
  { names: ['registry.access.redhat.com/ubi8/ubi-minimal', 'registry.access.redhat.com/ubi9/ubi-minimal', 'redhat/ubi8-minimal', 'redhat/ubi9-minimal'],
    variants: [{ tag: /.*/, facts: { variant: 'minimal', minimal: true, tools: { sh: true, bash: true, curl: true, wget: false }, packageManager: 'microdnf' } }] },
  { names: ['registry.access.redhat.com/ubi8/ubi-micro', 'registry.access.redhat.com/ubi9/ubi-micro'],
    variants: [{ tag: /.*/, facts: { variant: 'minimal', minimal: true, tools: { sh: true, bash: true, curl: false, wget: false }, packageManager: null } }] },
  { names: ['registry.access.redhat.com/ubi8/ubi', 'registry.access.redhat.com/ubi9/ubi', 'registry.access.redhat.com/ubi8', 'registry.access.redhat.com/ubi9'],
    variants: [{ tag: /.*/, facts: { variant: 'full', minimal: false, tools: { sh: true, bash: true, curl: true }, packageManager: 'dnf' } }] },
  // Distroless: no shell, no package manager; `:debug` adds busybox; `:nonroot` runs as 65532.
  { names: ['gcr.io/distroless/*'], variants: [
      { tag: /debug-nonroot|nonroot-debug/, facts: { variant: 'distroless', minimal: true, tools: { sh: true, bash: false, curl: false, wget: true, nc: true, busybox: true }, defaultUser: { name: 'nonroot', uid: 65532 }, packageManager: null } },
      { tag: /debug/, facts: { variant: 'distroless', minimal: true, tools: { sh: true, bash: false, curl: false, wget: true, nc: true, busybox: true }, packageManager: null } },
      { tag: /nonroot/, facts: { variant: 'distroless', minimal: true, tools: { ...NO_SHELL }, defaultUser: { name: 'nonroot', uid: 65532 }, packageManager: null } },
      { tag: /.*/, facts: { variant: 'distroless', minimal: true, tools: { ...NO_SHELL }, packageManager: null } },
    ], users: { nonroot: 65532 } },
  // Chainguard: non-root (65532) by default; `-dev` variants have a shell and apk.
  { names: ['cgr.dev/chainguard/*'], variants: [
      { tag: /-dev$|^latest-dev$/, facts: { variant: 'chainguard', minimal: true, tools: { sh: true, bash: true, curl: false, wget: true, busybox: true }, defaultUser: { name: 'nonroot', uid: 65532 }, packageManager: 'apk' } },
      { tag: /.*/, facts: { variant: 'chainguard', minimal: true, tools: { ...NO_SHELL }, defaultUser: { name: 'nonroot', uid: 65532 }, packageManager: null } },
    ], users: { nonroot: 65532 } },
  { names: ['nginxinc/nginx-unprivileged'], variants: [
      { tag: /alpine/, facts: { variant: 'alpine', minimal: true, tools: { ...ALPINE, curl: true }, defaultUser: { name: 'nginx', uid: 101 }, packageManager: 'apk' } },
      { tag: /.*/, facts: { variant: 'full', minimal: false, tools: { ...DEBIAN_BASE, curl: true }, defaultUser: { name: 'nginx', uid: 101 }, packageManager: 'apt' } },
    ], users: { nginx: 101 } },
  { names: ['nginx'], variants: [
      { tag: /alpine-slim/, facts: { variant: 'alpine', minimal: true, tools: { ...ALPINE }, packageManager: 'apk' } },
      { tag: /alpine/, facts: { variant: 'alpine', minimal: true, tools: { ...ALPINE, curl: true }, packageManager: 'apk' } },
      { tag: /.*/, facts: { variant: 'full', minimal: false, tools: { ...DEBIAN_BASE, curl: true }, packageManager: 'apt' } },
    ], users: { nginx: 101 } },
  // Caddy's and Traefik's official Linux images are Alpine-based whatever the tag (`caddy:2.8`, `traefik:v3.1`).
  { names: ['caddy', 'traefik'], variants: [
      { tag: /windowsservercore|nanoserver/, facts: { variant: 'full', minimal: false, tools: { sh: false, bash: false }, packageManager: null } },
      { tag: /.*/, facts: { variant: 'alpine', minimal: true, tools: { ...ALPINE }, packageManager: 'apk' } },
    ] },
  { names: ['httpd', 'haproxy'], variants: [
      { tag: /alpine/, facts: { variant: 'alpine', minimal: true, tools: { ...ALPINE }, packageManager: 'apk' } },
      { tag: /.*/, facts: { variant: 'full', minimal: false, tools: { sh: true }, packageManager: null } },
    ] },
  { names: ['postgres', 'redis', 'mysql', 'mariadb', 'mongo', 'memcached', 'rabbitmq', 'elasticsearch', 'opensearchproject/opensearch'],
    variants: [
      { tag: /alpine/, facts: { variant: 'alpine', minimal: true, tools: { ...ALPINE }, packageManager: 'apk' } },
      { tag: /.*/, facts: { variant: 'full', minimal: false, tools: { sh: true, bash: true }, packageManager: null } },
    ], users: { postgres: 999, redis: 999, mysql: 999, memcache: 11211 } },
  // minideb is Bitnami's minimal Debian (the base of its images), root by default.
  { names: ['bitnami/minideb', 'docker.io/bitnami/minideb'], variants: [
      { tag: /.*/, facts: { variant: 'slim', minimal: true, tools: { ...DEBIAN_SLIM }, packageManager: 'apt' } },
    ] },
  { names: ['bitnami/*', 'docker.io/bitnami/*'], variants: [
      { tag: /.*/, facts: { variant: 'full', minimal: false, tools: { sh: true, bash: true }, defaultUser: { name: '1001', uid: 1001 }, packageManager: 'apt' } },
    ] },
  { names: ['mcr.microsoft.com/dotnet/*'], variants: [
      { tag: /chiseled|distroless/, facts: { variant: 'distroless', minimal: true, tools: { ...NO_SHELL }, defaultUser: { name: 'app', uid: 1654 }, packageManager: null } },
      { tag: /alpine/, facts: { variant: 'alpine', minimal: true, tools: { ...ALPINE }, packageManager: 'apk' } },
      { tag: /.*/, facts: { variant: 'full', minimal: false, tools: { ...DEBIAN_BASE }, packageManager: 'apt' } },
    ], users: { app: 1654 } },
];

/** Variant facts readable from the tag alone, for images not in the table. */
const GENERIC_BY_TAG: { tag: RegExp; facts: Omit<BaseImageFacts, 'entry' | 'users'> }[] = [
  {
    tag: /(^|[-.])alpine/,
    facts: { variant: 'alpine', minimal: true, tools: { ...ALPINE, bash: undefined, curl: undefined }, packageManager: 'apk' },
  },
  { tag: /(^|[-.])slim/, facts: { variant: 'slim', minimal: true, tools: {}, packageManager: 'apt' } },
  { tag: /(^|[-.])distroless/, facts: { variant: 'distroless', minimal: true, tools: {}, packageManager: null } },
];

const cache = new Map<string, BaseImageFacts | null>();

function nameMatches(pattern: string, name: string): boolean {
  return pattern.endsWith('*') ? name.startsWith(pattern.slice(0, -1)) : pattern === name;
}

/**
 * Facts about an external base image, or null when seaworthy knows nothing about it.
 * `name` is as produced by parseImageRef (lower-case, without docker.io/library). `tag` null: the
 * reference has none, which means `latest` unless it is pinned by digest alone (`python@sha256:…`):
 * then the variant is unknown, and only an image whose every tag is alike (`alpine`, distroless) is known.
 */
export function lookupBaseImage(name: string, tag: string | null, digestOnly = false): BaseImageFacts | null {
  const key = `${name}:${tag ?? (digestOnly ? '@' : '')}`;
  const hit = cache.get(key);
  if (hit !== undefined) return hit;
  const t = tag ?? 'latest';
  const anyTag = tag === null && digestOnly;
  let out: BaseImageFacts | null = null;
  for (const e of BASE_IMAGES) {
    const pat = e.names.find((n) => nameMatches(n, name));
    if (!pat) continue;
    if (anyTag && e.variants.length > 1) break;
    const v = e.variants.find((x) => x.tag.test(t));
    if (v) {
      out = { entry: `${pat}:${v.tag.source}`, ...v.facts, users: { ...(e.users ?? {}), ...(v.facts.users ?? {}) } };
      if (out.defaultUser) out.users[out.defaultUser.name] = out.defaultUser.uid;
    }
    break;
  }
  if (!out && !anyTag) {
    const g = GENERIC_BY_TAG.find((x) => x.tag.test(t));
    if (g) out = { entry: `*:${g.tag.source}`, ...g.facts, users: {} };
  }
  cache.set(key, out);
  return out;
}
