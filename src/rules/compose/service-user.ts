import type { RawResult, Rule } from '../../types.js';
import { absenceLoc, nodeLoc, services, sget } from '../_compose.js';
import { resolve } from '../_compose-values.js';
import { fail, pass, unknown } from '../_util.js';
import { isRootSpec } from '../dockerfile/_user.js';

/**
 * Judges the `user:` a service forces. A service without `user:` runs as its image's user, which
 * `dockerfile/non-root-user` judges (for built images) — this rule then passes with evidence saying
 * so, so that every service has a result and the report can show where the user comes from.
 */
const rule: Rule = {
  meta: {
    id: 'compose/service-user',
    title: 'Compose does not force root',
    severity: 'high',
    family: 'compose',
    target: 'service',
    env: 'all',
    aliases: [],
    rationale:
      "`user:` in compose overrides the image's USER. `user: root` (or `0`, `0:0`) undoes the non-root user a Dockerfile " +
      'carefully sets up, usually to work around a permission problem on a volume, and the service then runs as root: any ' +
      'compromise of the application is root in the container, one kernel or runtime bug from the host. Without `user:`, the ' +
      "image's own user applies (see `dockerfile/non-root-user`).",
    fix: 'Remove `user: root` (the image\'s non-root user then applies) or set a non-root UID such as `user: "1000:1000"`, and fix volume ownership instead (`chown` in the image or an init step).',
    examples: {
      bad: { file: 'docker-compose.yml', content: 'services:\n  app:\n    image: alpine:3.20\n    user: root\n' },
      good: { file: 'docker-compose.yml', content: 'services:\n  app:\n    image: alpine:3.20\n    user: "1000:1000"\n' },
    },
  },
  check(project) {
    const out: RawResult[] = [];
    for (const { env, svc, target } of services(project)) {
      const n = sget(svc, 'user');
      const v = resolve(env, n);
      let r: RawResult;
      if (!n || !v) {
        r = pass(
          target,
          absenceLoc(env, svc),
          `no \`user:\` override: \`${svc.name}\` runs as its image's user`,
          'no `user:` override (image default)',
        );
      } else if (v.value === null) {
        r = unknown(
          target,
          nodeLoc(n),
          `\`user: ${v.raw}\` comes from a variable without a default, so whether \`${svc.name}\` runs as root is unknown; give it a non-root default (\`\${UID:-1000}\`).`,
        );
      } else if (v.value.trim() === '') {
        r = pass(target, nodeLoc(n), `empty \`user:\`: \`${svc.name}\` runs as its image's user`, 'no `user:` override (image default)');
      } else if (isRootSpec(v.value)) {
        const via = v.interpolated ? ` (\`${v.raw}\` with its default)` : '';
        r = fail(
          target,
          nodeLoc(n),
          `\`user: ${v.value}\`${via} makes \`${svc.name}\` run as root, overriding any non-root USER of the image, so a compromise of the service is root in the container; ` +
            'remove it or set a non-root UID (`user: "1000:1000"`) and fix volume ownership instead.',
        );
      } else {
        r = pass(target, nodeLoc(n), `\`${svc.name}\` runs as \`${v.value}\``, `\`user: ${v.raw}\``);
      }
      out.push({ ...r, environment: env.name });
    }
    return out;
  },
};

export default rule;
