import type { Environment } from '../../model/compose.js';
import type { Rule } from '../../types.js';
import { composeProjectOf, type LiveContext, sameFile } from '../../live/model.js';
import { eachContainer, fail, pass, unknown } from './_live.js';

/**
 * runtime/prod-overlay-applied: the container's `com.docker.compose.project.config_files` label names
 * the production overlay the static model expects. The expected overlays are the files of the
 * production environment that no other environment uses (`docker-compose.prod.yml` beside
 * `docker-compose.yml`; the files of an environment the config names). With no overlay in the
 * repository (the base file alone is production) there is nothing to miss. Files are matched by path
 * suffix: the label holds absolute paths on the machine where compose ran.
 */
export function expectedOverlays(envs: readonly Environment[]): { prod: Environment; overlays: string[] } | null {
  const prod = envs.find((e) => e.isProd);
  if (!prod) return null;
  const others = envs.filter((e) => e !== prod);
  const overlays = prod.files.filter((f, i) => i > 0 && !others.some((e) => e.files.includes(f)));
  return { prod, overlays };
}

const rule: Rule<LiveContext> = {
  meta: {
    id: 'runtime/prod-overlay-applied',
    title: 'Production containers were started with the production overlay',
    severity: 'medium',
    family: 'runtime',
    target: 'container',
    env: 'prod',
    aliases: [],
    rationale:
      'Limits, restart policies, read-only file systems and loopback-only ports often live in `docker-compose.prod.yml`. They exist ' +
      'only if the stack was started with `-f docker-compose.yml -f docker-compose.prod.yml`; a plain `docker compose up` on the ' +
      'server silently runs the development configuration. Compose records the files it used in a label on every container.',
    fix: "Start production with every file: `docker compose -f docker-compose.yml -f docker-compose.prod.yml up -d` (or set `COMPOSE_FILE=docker-compose.yml:docker-compose.prod.yml` in the server's environment).",
    examples: {
      bad: {
        file: 'docker-compose.yml',
        content: '# started with `docker compose up -d` only\nservices:\n  backend:\n    image: example/backend:1.4\n',
        extraFiles: { 'docker-compose.prod.yml': 'services:\n  backend:\n    read_only: true\n    mem_limit: 512m\n' },
      },
      good: {
        file: 'docker-compose.yml',
        content:
          '# started with `docker compose -f docker-compose.yml -f docker-compose.prod.yml up -d`\nservices:\n  backend:\n    image: example/backend:1.4\n',
        extraFiles: { 'docker-compose.prod.yml': 'services:\n  backend:\n    read_only: true\n    mem_limit: 512m\n' },
      },
    },
  },
  check(ctx) {
    const compose = composeProjectOf(ctx);
    const expected = compose ? expectedOverlays(compose.environments) : null;
    return eachContainer(ctx, (c, at) => {
      if (!c.configFiles)
        return unknown(at, `${c.name} has no \`com.docker.compose.project.config_files\` label: it was not started by docker compose.`);
      if (!compose)
        return unknown(at, `The scanned path has no compose project named \`${ctx.snapshot.project}\` to compare ${c.name} with.`);
      if (!expected) return unknown(at, `The compose project \`${compose.name}\` has no production environment to compare ${c.name} with.`);
      const used = c.configFiles.map((f) => f.slice(f.lastIndexOf('/') + 1));
      if (expected.overlays.length === 0) {
        return pass(
          at,
          `The repository has no production overlay; ${c.name} runs \`${used.join('`, `')}\`.`,
          `no production overlay (\`${expected.prod.files[0]}\` is production)`,
        );
      }
      const missing = expected.overlays.filter((f) => !c.configFiles?.some((l) => sameFile(l, f)));
      if (missing.length > 0) {
        const all = [...expected.prod.files.filter((f) => !expected.overlays.includes(f)).slice(0, 1), ...expected.overlays];
        return fail(
          at,
          `${c.name} was started from \`${used.join('`, `')}\` without the production overlay ${missing.map((m) => `\`${m}\``).join(', ')}: the production settings in it are not applied. Start it with \`docker compose ${all.map((f) => `-f ${f}`).join(' ')} up -d\`.`,
        );
      }
      return pass(
        at,
        `${c.name} was started with the production overlay.`,
        `${expected.overlays.map((o) => `\`${o}\``).join(', ')} applied`,
      );
    });
  },
};

export default rule;
