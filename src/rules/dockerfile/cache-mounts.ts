import type { RawResult, Rule } from '../../types.js';
import { fail, fromLoc, loc, pass } from '../_util.js';
import {
  cacheMountTargets,
  calls,
  covers,
  installCall,
  longOpt,
  type PkgCall,
  type PkgTool,
  shippedStages,
  showCall,
  varFor,
} from './_commands.js';

interface CacheSpec {
  /** Default cache directories (root user, official images). */
  dirs: string[];
  /** Other mount targets that hold this cache (e.g. a non-root user's `~/.cache/pip`). */
  re?: RegExp;
  /** Variables that move the cache: the cache directory itself. */
  envDirs?: string[];
  /** Variables naming a home that holds the cache: the cache's subfolders there (`GOPATH` → `pkg/mod`). */
  envHomes?: Record<string, string[]>;
  /** The suggested mount, when it is not `dirs[0]`. */
  suggest?: string;
}

const SPECS: Record<PkgTool, CacheSpec> = {
  apt: {
    dirs: ['/var/cache/apt', '/var/lib/apt'],
    suggest: '--mount=type=cache,target=/var/cache/apt,sharing=locked --mount=type=cache,target=/var/lib/apt,sharing=locked',
  },
  apk: { dirs: ['/var/cache/apk', '/etc/apk/cache'] },
  rpm: { dirs: ['/var/cache/dnf', '/var/cache/yum', '/var/cache/libdnf5'] },
  zypper: { dirs: ['/var/cache/zypp'] },
  pip: { dirs: ['/root/.cache/pip'], re: /(^|\/)\.cache(\/pip)?$/, envDirs: ['PIP_CACHE_DIR'] },
  uv: { dirs: ['/root/.cache/uv'], re: /(^|\/)\.cache(\/uv)?$/, envDirs: ['UV_CACHE_DIR'] },
  npm: { dirs: ['/root/.npm'], re: /(^|\/)\.npm$/, envDirs: ['npm_config_cache', 'NPM_CONFIG_CACHE'] },
  yarn: { dirs: ['/usr/local/share/.cache/yarn'], re: /yarn/, envDirs: ['YARN_CACHE_FOLDER'] },
  pnpm: { dirs: ['/root/.local/share/pnpm/store', '/root/.cache/pnpm'], re: /pnpm/, envDirs: ['npm_config_store_dir'] },
  // Downloaded modules are kept in the module cache's `cache/download` (the rest is extracted from there):
  // a mount on the module cache or on its `cache` folder keeps them.
  go: {
    dirs: ['/go/pkg/mod/cache/download', '/root/go/pkg/mod/cache/download', '/root/.cache/go-build'],
    re: /(pkg\/mod(\/cache(\/download)?)?|go-build)$/,
    envDirs: ['GOCACHE'],
    envHomes: { GOPATH: ['pkg/mod/cache/download'], GOMODCACHE: ['cache/download'] },
    suggest: '--mount=type=cache,target=/go/pkg/mod',
  },
  cargo: {
    dirs: ['/usr/local/cargo/registry', '/usr/local/cargo/git', '/root/.cargo/registry'],
    re: /(^|\/)\.?cargo(\/(registry|git))?$|(^|\/)target$/,
    envDirs: ['CARGO_TARGET_DIR'],
    envHomes: { CARGO_HOME: ['registry', 'git'] },
  },
  bundle: {
    dirs: ['/usr/local/bundle/cache', '/root/.bundle/cache'],
    re: /bundle/,
    envDirs: ['BUNDLE_USER_CACHE'],
    envHomes: { BUNDLE_PATH: ['cache'] },
  },
  composer: {
    dirs: ['/root/.composer/cache', '/root/.cache/composer', '/tmp/cache'],
    re: /composer/,
    envDirs: ['COMPOSER_CACHE_DIR'],
    envHomes: { COMPOSER_HOME: ['cache'] },
  },
};

const rule: Rule = {
  meta: {
    id: 'dockerfile/cache-mounts',
    title: 'Package installs use BuildKit cache mounts',
    severity: 'info',
    family: 'dockerfile',
    target: 'image',
    env: 'all',
    aliases: [],
    rationale:
      "A `RUN --mount=type=cache,target=<cache dir>` keeps a package manager's download cache between builds without putting it in any layer: rebuilds after a dependency change fetch only what changed, and the image stays as small as with `--no-cache-dir`. Without it every change to a lockfile downloads everything again. This is a build-speed suggestion (info), judged on the stages whose layers ship: the final stage and the stages it is built `FROM`. A cache mount is counted only when its target holds that tool's cache (e.g. `/root/.cache/pip` for pip, `/var/cache/apt` or `/var/lib/apt` for apt, `/go/pkg/mod` for go, or where the environment moves it: `PIP_CACHE_DIR`, `GOMODCACHE`, `$GOPATH/pkg/mod`, `$CARGO_HOME/registry`, `$COMPOSER_HOME/cache`), that is when the target is that folder or a parent of it (go keeps downloaded modules in the module cache's `cache/download`, so a mount on `/go/pkg/mod/cache` counts too); a mount somewhere inside `GOPATH` or `CARGO_HOME` (such as the source folder) holds no cache and does not count; one combined with `--no-cache-dir`/`--no-cache`/`PIP_NO_CACHE_DIR` is reported, since the tool then never uses it. On Debian images, apt keeps downloaded packages only after /etc/apt/apt.conf.d/docker-clean is removed.",
    fix: "Add a cache mount on the tool's cache directory to the RUN, e.g. `RUN --mount=type=cache,target=/root/.cache/pip pip install -r requirements.txt`, and drop `--no-cache-dir`/`--no-cache` there.",
    examples: {
      bad: {
        file: 'Dockerfile',
        content: 'FROM python:3.12-slim\nCOPY requirements.txt .\nRUN pip install --no-cache-dir -r requirements.txt\n',
      },
      good: {
        file: 'Dockerfile',
        content:
          'FROM python:3.12-slim\nCOPY requirements.txt .\nRUN --mount=type=cache,target=/root/.cache/pip pip install -r requirements.txt\n',
      },
    },
  },
  check(project) {
    const out: RawResult[] = [];
    for (const image of project.images) {
      const df = image.dockerfile;
      const fails: RawResult[] = [];
      let installs = 0;
      for (const stage of shippedStages(image)) {
        for (const run of stage.runs) {
          const mounts = cacheMountTargets(run);
          for (const c of calls(run.script)) {
            const p = installCall(c);
            if (!p || offline(p)) continue;
            installs++;
            const spec = SPECS[p.tool];
            const envDirs = cacheDirsFromEnv(spec, (n) => varFor(df, stage, run, c, n));
            // A mount counts when it holds the cache directory (is it or a parent), not when it lies somewhere inside a home.
            const target = mounts.find((t) => spec.dirs.some((d) => covers(t, d)) || spec.re?.test(t) || envDirs.some((d) => covers(t, d)));
            if (target) {
              const off = disabled(p, (n) => varFor(df, stage, run, c, n));
              if (off) {
                fails.push(
                  fail(
                    image.name,
                    loc(df.path, c.cmd.range),
                    `${showCall(p)} runs with ${off}, so it never uses the cache mount on \`${target}\`. Drop ${off} (the mount keeps the cache out of the layer anyway).`,
                  ),
                );
              }
              continue;
            }
            fails.push(
              fail(
                image.name,
                loc(df.path, c.cmd.range),
                `${showCall(p)} runs without a BuildKit cache mount, so every rebuild downloads its packages again. Use \`RUN ${spec.suggest ?? `--mount=type=cache,target=${spec.dirs[0]}`} ...\`.`,
              ),
            );
          }
        }
      }
      if (fails.length) out.push(...fails);
      else if (installs) out.push(pass(image.name, fromLoc(image), 'package installs use BuildKit cache mounts', 'BuildKit cache mounts'));
      else out.push(pass(image.name, fromLoc(image), 'no package installs', 'no package installs'));
    }
    return out;
  },
};

/** The cache directories the environment moves the cache to: `PIP_CACHE_DIR` itself, `$GOPATH/pkg/mod`. */
function cacheDirsFromEnv(spec: CacheSpec, env: (name: string) => string | null): string[] {
  const out: string[] = [];
  for (const n of spec.envDirs ?? []) {
    const v = env(n);
    if (v) out.push(v);
  }
  for (const [n, subs] of Object.entries(spec.envHomes ?? {})) {
    const v = env(n)?.replace(/\/+$/, '');
    if (v) for (const sub of subs) out.push(`${v}/${sub}`);
  }
  return out;
}

/** Installs that download nothing (`apk add --no-network`, `pip install --no-index`, `npm ci --offline`): no cache to keep. */
function offline(p: PkgCall): boolean {
  if (p.tool === 'apk') return !!longOpt(p.args, '--no-network');
  if (p.tool === 'pip') return !!longOpt(p.args, '--no-index');
  if (p.tool === 'npm' || p.tool === 'yarn' || p.tool === 'pnpm') return !!longOpt(p.args, '--offline');
  return false;
}

/** The option or variable that keeps the tool from using its cache, if any. */
function disabled(p: PkgCall, env: (name: string) => string | null): string | null {
  if (p.tool === 'pip') {
    if (longOpt(p.args, '--no-cache-dir')) return '`--no-cache-dir`';
    const v = env('PIP_NO_CACHE_DIR');
    if (v) return '`PIP_NO_CACHE_DIR`';
  }
  if (p.tool === 'uv') {
    if (longOpt(p.args, '--no-cache') || p.args.some((a) => a.value === '-n')) return '`--no-cache`';
    const v = env('UV_NO_CACHE');
    if (v && /^(1|true|yes|on)$/i.test(v)) return '`UV_NO_CACHE`';
  }
  if (p.tool === 'apk' && longOpt(p.args, '--no-cache')) return '`--no-cache`';
  return null;
}

export default rule;
