import type { RawResult, Rule } from '../../types.js';
import { fail, loc } from '../_util.js';
import { addOnce, deepCalls, type PkgCall, type PkgTool, pkgCall, shippedStages } from './_commands.js';
import { imageVerdict } from './_shared.js';

/** Subcommands that refresh the package index without installing anything, per tool. */
const UPDATE: Partial<Record<PkgTool, ReadonlySet<string>>> = {
  apt: new Set(['update']),
  apk: new Set(['update']),
  rpm: new Set(['makecache']),
  zypper: new Set(['refresh', 'ref']),
};

/** Subcommands that use the index (install, upgrade, download), per tool. */
const USE: Partial<Record<PkgTool, ReadonlySet<string>>> = {
  apt: new Set(['install', 'upgrade', 'dist-upgrade', 'full-upgrade', 'reinstall', 'build-dep', 'source', 'download', 'satisfy']),
  apk: new Set(['add', 'upgrade', 'fix', 'fetch']),
  rpm: new Set([
    'install',
    'groupinstall',
    'localinstall',
    'reinstall',
    'group install',
    'module install',
    'update',
    'upgrade',
    'distro-sync',
    'downgrade',
    'download',
  ]),
  zypper: new Set(['install', 'in', 'update', 'up', 'dist-upgrade', 'dup', 'patch', 'source-install', 'si']),
};

function isUpdate(p: PkgCall): boolean {
  return UPDATE[p.tool]?.has(p.sub) ?? false;
}

function isUse(p: PkgCall): boolean {
  return USE[p.tool]?.has(p.sub) ?? false;
}

const rule: Rule = {
  meta: {
    id: 'dockerfile/update-with-install',
    title: 'Package index updates run in the same RUN as the install',
    severity: 'medium',
    family: 'dockerfile',
    target: 'image',
    env: 'all',
    aliases: ['DS-0017', 'CKV_DOCKER_5', 'CIS-DI-0007'],
    rationale:
      "Docker caches each RUN as a layer. A `RUN apt-get update` on its own is built once and then reused from the cache, so a later `RUN apt-get install` works from an index that can be months old: it installs outdated, unpatched versions, or fails when the mirror has dropped them. The same holds for `apk update`, `dnf makecache` and `zypper refresh`. Refreshing the index in the RUN that installs ties the two together: whenever the package list changes, the index is fetched again. `yum/dnf update` and `apt-get upgrade` install packages themselves, so they are not flagged. Commands run by a `sh -c '...'` in a RUN count as part of that RUN. Only the stages whose layers ship are judged: the final stage and the stages it is built `FROM`.",
    fix: 'Chain the update and the install in one RUN: `RUN apt-get update && apt-get install -y --no-install-recommends pkg && rm -rf /var/lib/apt/lists/*` (on Alpine, `apk add --no-cache pkg` needs no update at all).',
    examples: {
      bad: {
        file: 'Dockerfile',
        content:
          'FROM debian:bookworm-slim\nRUN apt-get update\nRUN apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*\n',
      },
      good: {
        file: 'Dockerfile',
        content:
          'FROM debian:bookworm-slim\nRUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*\n',
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
          const pcs = deepCalls(run.script)
            .map(pkgCall)
            .filter((p): p is PkgCall => p !== null);
          pcs.forEach((p, i) => {
            if (!isUpdate(p)) return;
            const used = pcs.slice(i + 1).some((q) => q.tool === p.tool && isUse(q));
            if (used) {
              addOnce(evidence, `\`${p.program} ${p.sub}\` and install in one RUN`);
              return;
            }
            fails.push(
              fail(
                image.name,
                loc(file, p.call.cmd.range),
                `\`${p.program} ${p.sub}\` has no install after it in the same RUN, so its layer is cached and later installs use a stale package index. Run the update and the install in one RUN (\`${p.program} ${p.sub} && ${p.program} ${p.tool === 'apk' ? 'add' : 'install'} ...\`).`,
              ),
            );
          });
        }
      }
      out.push(...imageVerdict(image, fails, evidence, 'index updates are chained with installs', 'no package-index update'));
    }
    return out;
  },
};

export default rule;
