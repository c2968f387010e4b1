import { coversDataDir } from '../../knowledge/datastores.js';
import type { Environment, Service } from '../../model/compose.js';
import type { Location, RawResult, Rule } from '../../types.js';
import { absenceLoc, items, nodeLoc, services, sget } from '../_compose.js';
import { type Mount, mounts } from '../_compose-mounts.js';
import { resolve } from '../_compose-values.js';
import { fail, pass, unknown } from '../_util.js';
import { commandWords, envValue, firstEnv, flagValue, type ServiceDatastore, serviceDatastore } from './_datastore.js';

/**
 * Severities: data kept in the container layer, an anonymous volume or a tmpfs is lost when the
 * container is removed (`docker compose down`, a recreate without the old container) → medium, as
 * RULES.md says; a bind mount persists the data but outside Docker's management (host UIDs and
 * permissions, a folder in the checkout that can leak into build contexts or backups are forgotten)
 * → low, the rule's default.
 */

/** Where the service keeps its data: the image's default, or where `PGDATA`/`--dir`/`server /path` move it. */
function dataDirs(env: Environment, svc: Service, sd: ServiceDatastore): string[] {
  const { ds } = sd;
  if (ds.dataDirEnv) {
    const e = firstEnv(svc, [ds.dataDirEnv]);
    const v = e ? envValue(env, e.e).value : null;
    if (v?.startsWith('/')) return [v];
  }
  const words = commandWords(svc);
  if (ds.dataDirFlag) {
    const f = flagValue(words, ds.dataDirFlag);
    if (f?.value.startsWith('/')) return [f.value];
  }
  if (ds.dataDirAfterWord) {
    const i = words.findIndex((w) => w.text === ds.dataDirAfterWord);
    const dirs =
      i < 0
        ? []
        : words
            .slice(i + 1)
            .filter((w) => w.text.startsWith('/'))
            .map((w) => w.text.replace(/\{.*$/, ''));
    if (dirs.length) return dirs;
  }
  return ds.dataDirs;
}

/** Redis started with `--save ""` and without `--appendonly yes` keeps nothing on disk (a cache). */
function redisWithoutPersistence(svc: Service): boolean {
  const words = commandWords(svc);
  const save = flagValue(words, '--save');
  const aof = flagValue(words, '--appendonly');
  return save !== undefined && (save.value === '' || save.value === '""' || save.value === "''") && aof?.value.toLowerCase() !== 'yes';
}

/** `tmpfs:` entries (short syntax) as mounts. */
function tmpfsMounts(env: Environment, svc: Service): Mount[] {
  const t = sget(svc, 'tmpfs');
  const out: Mount[] = [];
  for (const n of t?.kind === 'seq' ? items(t) : t ? [t] : []) {
    const v = resolve(env, n);
    const target = (v?.value ?? null)?.split(':')[0] ?? null;
    out.push({ node: n, loc: nodeLoc(n), type: 'tmpfs', source: null, rawSource: null, target, readOnly: false });
  }
  return out;
}

const rule: Rule = {
  meta: {
    id: 'compose/named-volumes',
    title: 'Datastore data lives in a named volume',
    severity: 'low',
    family: 'compose',
    target: 'service',
    env: 'all',
    aliases: [],
    rationale:
      "A database, broker or search engine whose data directory has no volume keeps its data in the container's writable layer " +
      'or in an anonymous volume: `docker compose down`, a `docker rm`, or moving to a new host starts it with an empty database, ' +
      "and backups have nothing stable to point at (medium). A bind mount keeps the data but outside Docker's management: it " +
      'depends on host paths, UIDs and permissions, and a data folder inside the checkout is easily sent in a build context or ' +
      'deleted by a `git clean` (low). A named volume declared under top-level `volumes:` survives recreation and is easy to back up.',
    fix: 'Mount a named volume on the data directory (`postgres_data:/var/lib/postgresql/data`) and declare it under the top-level `volumes:`.',
    examples: {
      bad: { file: 'docker-compose.yml', content: 'services:\n  db:\n    image: postgres:16\n' },
      good: {
        file: 'docker-compose.yml',
        content:
          'services:\n  db:\n    image: postgres:16\n    volumes:\n      - postgres_data:/var/lib/postgresql/data\nvolumes:\n  postgres_data:\n',
      },
    },
  },
  check(project) {
    const out: RawResult[] = [];
    for (const { env, svc, target } of services(project)) {
      const sd = serviceDatastore(env, svc);
      if (!sd) continue;
      const dirs = dataDirs(env, svc, sd);
      if (dirs.length === 0) continue;
      const who = `${sd.ds.product} (\`${svc.name}\`)`;
      const dirText = dirs.map((d) => `\`${d}\``).join(' or ');
      const volumesNode = sget(svc, 'volumes');
      const mountAt = dirs === sd.ds.dataDirs && sd.ds.volumeTarget ? sd.ds.volumeTarget : dirs[0];
      const fixHint = `mount a named volume on it (\`${svc.name}_data:${mountAt}\`) and declare it under the top-level \`volumes:\``;
      let r: RawResult;
      if (sd.ds.kind === 'redis' && redisWithoutPersistence(svc)) {
        r = pass(
          target,
          nodeLoc(sget(svc, 'command') ?? svc.node),
          `${who} runs without persistence (\`--save ""\`), so it keeps no data on disk`,
          'no persistence (`--save ""`, cache only)',
        );
        out.push({ ...r, environment: env.name });
        continue;
      }
      // The deepest mount that holds a data directory is where the data goes.
      const all = [...mounts(env, svc), ...tmpfsMounts(env, svc)];
      const unresolved = all.find((m) => m.target === null);
      const covering = all
        .filter((m) => m.target !== null && dirs.some((d) => coversDataDir(m.target as string, d)))
        .sort((a, b) => (b.target as string).length - (a.target as string).length)[0];
      const loc: Location = covering ? covering.loc : volumesNode ? nodeLoc(volumesNode) : absenceLoc(env, svc);
      const former = covering
        ? undefined
        : all.find(
            (m) =>
              m.target !== null &&
              (sd.ds.formerDataDirs ?? []).some((f) => coversDataDir(m.target as string, f) || coversDataDir(f, m.target as string)),
          );
      const cacheHint = sd.ds.kind === 'redis' ? ' (if it is only a cache, say so with `--save ""` in its command)' : '';
      if (former) {
        r = fail(
          target,
          former.loc,
          `${sd.ds.product}${sd.ds.tag ? ` \`${sd.ds.tag}\`` : ''} (\`${svc.name}\`) keeps its data in ${dirText}, not in \`${former.target}\` where this volume is mounted (older versions used that path), so the data is not persisted by it; ` +
            `mount it on \`${mountAt}\` instead.`,
          'medium',
        );
      } else if (!covering) {
        r = unresolved
          ? unknown(
              target,
              unresolved.loc,
              `A volume of ${who} has a target from a variable without a default, so whether it holds the data directory ${dirText} is unknown.`,
            )
          : fail(
              target,
              loc,
              `${who} has no volume on its data directory ${dirText}, so its data lives in the container or an anonymous volume and is lost on \`docker compose down\` or when the container is recreated elsewhere; ${fixHint}${cacheHint}.`,
              'medium',
            );
      } else if (covering.type === 'tmpfs') {
        r = fail(
          target,
          loc,
          `${who} keeps its data directory ${dirText} on a tmpfs, so the data is in memory and lost on every restart; ${fixHint}.`,
          'medium',
        );
      } else if (covering.type === 'volume' && covering.source === null) {
        r = fail(
          target,
          loc,
          `${who} keeps its data in an anonymous volume, which \`docker compose down\` detaches and the next \`up\` replaces with an empty one; give it a name (\`${svc.name}_data:${covering.target}\`) and declare it under the top-level \`volumes:\`.`,
          'medium',
        );
      } else if (covering.type === 'volume' || covering.viaVolume) {
        const name = covering.viaVolume ?? covering.source ?? '';
        r = pass(target, loc, `${who} keeps its data in the named volume \`${name}\``, `\`${name}\` named volume`);
      } else if (covering.type === 'bind') {
        r = fail(
          target,
          loc,
          `${who} keeps its data in the bind mount \`${covering.rawSource ?? covering.source}\`, which depends on host paths and permissions and is easily lost or leaked with the folder; ` +
            `use a named volume (\`${svc.name}_data:${covering.target}\`) declared under the top-level \`volumes:\`.`,
        );
      } else {
        r = unknown(
          target,
          loc,
          `The volume on the data directory of ${who} takes its source from a variable without a default, so whether it is a named volume or a bind mount is unknown.`,
        );
      }
      out.push({ ...r, environment: env.name });
    }
    return out;
  },
};

export default rule;
