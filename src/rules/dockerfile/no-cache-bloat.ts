import type { RunInstr, Stage } from '../../model/dockerfile.js';
import type { Image } from '../../model/project.js';
import type { RawResult, Rule } from '../../types.js';
import { fail, loc } from '../_util.js';
import {
  addOnce,
  type Call,
  cacheMountTargets,
  calls,
  covers,
  installCall,
  isPipName,
  longOpt,
  type PkgCall,
  type PkgTool,
  pkgCall,
  positionals,
  shippedStages,
  showCall,
  varFor,
} from './_commands.js';
import { imageVerdict } from './_shared.js';

interface Ctx {
  image: Image;
  stage: Stage;
  run: RunInstr;
  p: PkgCall;
  /** Commands of the RUN after the install. */
  after: Call[];
  mounts: string[];
}

/** Evidence of a clean install, or the failure message. */
type Verdict = { clean: string } | { message: string };

const RPM_FAMILY = new Set(['yum', 'dnf', 'dnf5', 'microdnf', 'tdnf']);

/** A later `rm` of a path matching `re`; returns the path as written. */
function rmLater(c: Ctx, re: RegExp): string | null {
  for (const call of c.after) {
    if (call.name !== 'rm') continue;
    const w = positionals(call.args).find((a) => re.test(a.value));
    if (w) return w.value;
  }
  return null;
}

/** A later command `<name> <sub...>` (e.g. `npm cache clean`). */
function laterSub(c: Ctx, names: (n: string) => boolean, subs: string[]): Call | null {
  for (const call of c.after) {
    if (!names(call.name)) continue;
    const p = pkgCall(call);
    const pos = (p?.args ?? call.args).filter((a) => !a.value.startsWith('-')).map((a) => a.value);
    if (subs.every((s, i) => pos[i] === s)) return call;
  }
  return null;
}

function mountOn(c: Ctx, test: (target: string) => boolean): string | null {
  return c.mounts.find(test) ?? null;
}

const mounted = (t: string) => `cache mount on \`${t}\``;
const removed = (path: string) => `\`rm -rf ${path}\``;

const JUDGES: Partial<Record<PkgTool, (c: Ctx) => Verdict>> = {
  apt(c) {
    const m = mountOn(c, (t) => covers(t, '/var/lib/apt/lists'));
    if (m) return { clean: mounted(m) };
    if (rmLater(c, /^\/var\/lib\/apt\/lists(\/|$)/)) return { clean: '`rm -rf /var/lib/apt/lists/*`' };
    // apt >= 2.7.8: `dist-clean` is `clean` plus removing the lists.
    const dist = laterSub(c, (n) => n === 'apt-get' || n === 'apt', ['dist-clean']);
    if (dist) return { clean: `\`${dist.name} dist-clean\`` };
    return {
      message: `${showCall(c.p)} leaves the package lists in /var/lib/apt/lists in this layer (\`apt-get clean\` does not remove them). End the same RUN with \`&& rm -rf /var/lib/apt/lists/*\`.`,
    };
  },
  apk(c) {
    if (longOpt(c.p.args, '--no-cache')) return { clean: '`apk add --no-cache`' };
    // `--no-network` installs from what is already there: nothing is downloaded or cached.
    if (longOpt(c.p.args, '--no-network')) return { clean: '`apk add --no-network`' };
    const m = mountOn(c, (t) => covers(t, '/var/cache/apk') || covers(t, '/etc/apk/cache'));
    if (m) return { clean: mounted(m) };
    if (rmLater(c, /^\/var\/cache\/apk(\/|$)/)) return { clean: '`rm -rf /var/cache/apk/*`' };
    return {
      message: '`apk add` without `--no-cache` leaves the package index in /var/cache/apk in this layer. Use `apk add --no-cache`.',
    };
  },
  rpm(c) {
    const clean = laterSub(c, (n) => RPM_FAMILY.has(n), ['clean', 'all']);
    if (clean) return { clean: `\`${clean.name} clean all\`` };
    const m = mountOn(c, (t) => ['yum', 'dnf', 'libdnf5'].some((d) => covers(t, `/var/cache/${d}`)));
    if (m) return { clean: mounted(m) };
    const rm = rmLater(c, /^\/var\/cache\/(yum|dnf|libdnf5)(\/|$)/);
    if (rm) return { clean: removed(rm) };
    return {
      message: `${showCall(c.p)} leaves its metadata and package cache in /var/cache in this layer. End the same RUN with \`&& ${c.p.program} clean all\`.`,
    };
  },
  zypper(c) {
    const clean = laterSub(c, (n) => n === 'zypper', ['clean']) ?? laterSub(c, (n) => n === 'zypper', ['cc']);
    if (clean) return { clean: '`zypper clean`' };
    const m = mountOn(c, (t) => covers(t, '/var/cache/zypp'));
    if (m) return { clean: mounted(m) };
    const rm = rmLater(c, /^\/var\/cache\/zypp(\/|$)/);
    if (rm) return { clean: removed(rm) };
    return {
      message: '`zypper install` leaves its package cache in /var/cache/zypp in this layer. End the same RUN with `&& zypper clean --all`.',
    };
  },
  pip(c) {
    if (longOpt(c.p.args, '--no-cache-dir')) return { clean: `\`${c.p.program} install --no-cache-dir\`` };
    const env = varFor(c.image.dockerfile, c.stage, c.run, c.p.call, 'PIP_NO_CACHE_DIR');
    // pip disables its cache for any boolean value of PIP_NO_CACHE_DIR, even `0`/`false` (kept for backward compatibility).
    if (env !== null && env !== '') return { clean: `\`PIP_NO_CACHE_DIR=${env}\`` };
    const dir = varFor(c.image.dockerfile, c.stage, c.run, c.p.call, 'PIP_CACHE_DIR');
    const m = mountOn(c, (t) => covers(t, '/root/.cache/pip') || /(^|\/)\.cache(\/pip)?$/.test(t) || (dir !== null && covers(t, dir)));
    if (m) return { clean: mounted(m) };
    const purge = laterSub(c, (n) => isPipName(n) || /^(python|pypy)/.test(n), ['cache', 'purge']);
    if (purge) return { clean: '`pip cache purge`' };
    const rm = rmLater(c, /(^|\/)\.cache(\/pip)?\/?(\*)?$/);
    if (rm) return { clean: removed(rm) };
    return {
      message: `${showCall(c.p)} keeps the downloaded wheels in ~/.cache/pip in this layer. Add \`--no-cache-dir\` (or set \`ENV PIP_NO_CACHE_DIR=1\`).`,
    };
  },
  uv(c) {
    if (longOpt(c.p.args, '--no-cache') || c.p.args.some((a) => a.value === '-n'))
      return { clean: `${showCall(c.p).slice(0, -1)} --no-cache\`` };
    const env = varFor(c.image.dockerfile, c.stage, c.run, c.p.call, 'UV_NO_CACHE');
    if (env !== null && /^(1|true|yes|on)$/i.test(env)) return { clean: `\`UV_NO_CACHE=${env}\`` };
    const dir = varFor(c.image.dockerfile, c.stage, c.run, c.p.call, 'UV_CACHE_DIR');
    const m = mountOn(c, (t) => covers(t, '/root/.cache/uv') || /(^|\/)\.cache(\/uv)?$/.test(t) || (dir !== null && covers(t, dir)));
    if (m) return { clean: mounted(m) };
    const cleaned = laterSub(c, (n) => n === 'uv', ['cache', 'clean']) ?? laterSub(c, (n) => n === 'uv', ['cache', 'prune']);
    if (cleaned) return { clean: '`uv cache clean`' };
    const rm = rmLater(c, /(^|\/)\.cache(\/uv)?\/?(\*)?$/);
    if (rm) return { clean: removed(rm) };
    return {
      message: `${showCall(c.p)} keeps its cache in ~/.cache/uv in this layer. Add \`--no-cache\` (or set \`ENV UV_NO_CACHE=1\`), or use a cache mount.`,
    };
  },
  npm(c) {
    // `clear` and `rm` are npm's aliases of `cache clean`.
    for (const sub of ['clean', 'clear', 'rm']) {
      const call = laterSub(c, (n) => n === 'npm', ['cache', sub]);
      if (call)
        return {
          clean: `\`npm cache ${sub}${longOpt(call.args, '--force') || call.args.some((a) => a.value === '-f') ? ' --force' : ''}\``,
        };
    }
    const dir =
      varFor(c.image.dockerfile, c.stage, c.run, c.p.call, 'npm_config_cache') ??
      varFor(c.image.dockerfile, c.stage, c.run, c.p.call, 'NPM_CONFIG_CACHE');
    const m = mountOn(c, (t) => /(^|\/)\.npm$/.test(t) || covers(t, '/root/.npm') || (dir !== null && covers(t, dir)));
    if (m) return { clean: mounted(m) };
    const rm = rmLater(c, /(^|\/)\.npm(\/|$)/);
    if (rm) return { clean: removed(rm) };
    return {
      message: `${showCall(c.p)} leaves its download cache in ~/.npm in this layer. End the same RUN with \`&& npm cache clean --force\`.`,
    };
  },
  yarn(c) {
    if (laterSub(c, (n) => n === 'yarn' || n === 'yarnpkg', ['cache', 'clean'])) return { clean: '`yarn cache clean`' };
    const m = mountOn(c, (t) => /yarn/.test(t));
    if (m) return { clean: mounted(m) };
    const rm = rmLater(c, /yarn.*cache|cache.*yarn/);
    if (rm) return { clean: removed(rm) };
    return {
      message: `${showCall(c.p)} leaves its package cache (/usr/local/share/.cache/yarn) in this layer. End the same RUN with \`&& yarn cache clean\`.`,
    };
  },
};

const rule: Rule = {
  meta: {
    id: 'dockerfile/no-cache-bloat',
    title: 'Package caches are removed in the layer that creates them',
    severity: 'low',
    family: 'dockerfile',
    target: 'image',
    env: 'all',
    aliases: ['DL3042', 'DL3009', 'DL3019', 'DL3032', 'DL3040', 'DL3060', 'DS-0025', 'DS-0015', 'DS-0019', 'DKL-DI-0004', 'DKL-DI-0005'],
    rationale:
      "Package managers keep what they download: apt its package lists in /var/lib/apt/lists, apk its index in /var/cache/apk, yum/dnf metadata in /var/cache, pip wheels in ~/.cache/pip, npm tarballs in ~/.npm, yarn in its global cache. A file written in one RUN stays in that layer forever, even if a later RUN deletes it, so the cache has to go in the same RUN that fills it (or never be written, with `--no-cache-dir`/`--no-cache`, or live in a BuildKit cache mount). Otherwise every pull carries tens to hundreds of megabytes of dead weight, and stale package indexes ship to production. Only the stages whose layers ship are judged: the final stage and the stages it is built `FROM`. `apt-get clean` alone is not enough: it empties /var/cache/apt/archives but leaves the lists. `pip install` inside a virtualenv still uses the cache. `npm cache clear` and `npm cache rm` are npm's own aliases of `npm cache clean` and count alike.",
    fix: 'Clean up in the same RUN: `apt-get install ... && rm -rf /var/lib/apt/lists/*`, `apk add --no-cache`, `pip install --no-cache-dir`, `npm ci && npm cache clean --force`, `dnf install ... && dnf clean all`; or put the cache in a `RUN --mount=type=cache` mount.',
    examples: {
      bad: {
        file: 'Dockerfile',
        content: 'FROM python:3.12-slim\nRUN apt-get update && apt-get install -y --no-install-recommends libpq5\nRUN pip install flask\n',
      },
      good: {
        file: 'Dockerfile',
        content:
          'FROM python:3.12-slim\nRUN apt-get update \\\n    && apt-get install -y --no-install-recommends libpq5 \\\n    && rm -rf /var/lib/apt/lists/*\nRUN pip install --no-cache-dir flask\n',
      },
    },
  },
  check(project) {
    const out: RawResult[] = [];
    for (const image of project.images) {
      const file = image.dockerfile.path;
      const fails: RawResult[] = [];
      const evidence: string[] = [];
      for (const stage of shippedStages(image)) {
        for (const run of stage.runs) {
          const cs = calls(run.script);
          const mounts = cacheMountTargets(run);
          cs.forEach((call, i) => {
            const p = installCall(call);
            const judge = p ? JUDGES[p.tool] : undefined;
            if (!p || !judge) return;
            const v = judge({ image, stage, run, p, after: cs.slice(i + 1), mounts });
            if ('clean' in v) addOnce(evidence, v.clean);
            else fails.push(fail(image.name, loc(file, call.cmd.range), v.message));
          });
        }
      }
      out.push(...imageVerdict(image, fails, evidence, 'package caches are removed', 'no package installs'));
    }
    return out;
  },
};

export default rule;
