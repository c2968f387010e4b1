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
  /** Variables that move the cache. */
  envDirs?: string[];
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
  go: {
    dirs: ['/go/pkg/mod', '/root/go/pkg/mod', '/root/.cache/go-build'],
    re: /(pkg\/mod|go-build)$/,
    envDirs: ['GOMODCACHE', 'GOCACHE', 'GOPATH'],
  },
  cargo: {
    dirs: ['/usr/local/cargo/registry', '/usr/local/cargo/git', '/root/.cargo/registry'],
    re: /(^|\/)\.?cargo(\/(registry|git))?$|(^|\/)target$/,
    envDirs: ['CARGO_HOME', 'CARGO_TARGET_DIR'],
  },
  bundle: { dirs: ['/usr/local/bundle/cache', '/root/.bundle/cache'], re: /bundle/, envDirs: ['BUNDLE_PATH', 'BUNDLE_USER_CACHE'] },
  composer: {
    dirs: ['/root/.composer/cache', '/root/.cache/composer', '/tmp/cache'],
    re: /composer/,
    envDirs: ['COMPOSER_CACHE_DIR', 'COMPOSER_HOME'],
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
      "A `RUN --mount=type=cache,target=<cache dir>` keeps a package manager's download cache between builds without putting it in any layer: rebuilds after a dependency change fetch only what changed, and the image stays as small as with `--no-cache-dir`. Without it every change to a lockfile downloads everything again. This is a build-speed suggestion (info), judged on the stages whose layers ship: the final stage and the stages it is built `FROM`. A cache mount is counted only when its target holds that tool's cache (e.g. `/root/.cache/pip` for pip, `/var/cache/apt` or `/var/lib/apt` for apt, `/go/pkg/mod` for go); one combined with `--no-cache-dir`/`--no-cache`/`PIP_NO_CACHE_DIR` is reported, since the tool then never uses it. On Debian images, apt keeps downloaded packages only after /etc/apt/apt.conf.d/docker-clean is removed.",
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
            const envDirs = (spec.envDirs ?? []).map((n) => varFor(df, stage, run, c, n)).filter((v): v is string => !!v);
            const target = mounts.find(
              (t) => spec.dirs.some((d) => covers(t, d)) || spec.re?.test(t) || envDirs.some((d) => covers(t, d) || covers(d, t)),
            );
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
