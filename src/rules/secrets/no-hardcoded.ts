import type { RawResult, Rule } from '../../types.js';
import { prodAbsenceLoc, services } from '../_compose.js';
import { sharedFails } from '../_shared-lines.js';
import { fail, pass } from '../_util.js';
import { literalSecrets } from './_values.js';

/**
 * secrets/no-hardcoded: no literal secret in the merged production configuration (see `_values.ts`
 * for what counts: secret-like `environment`/`build.args` keys, passwords in URLs, secret options of
 * `command`/`entrypoint`/`healthcheck.test`). A fallback `${X:-literal}` is secrets/no-default-in-prod's
 * finding, not this one's; `*_FILE` variables that point at mounted secrets are not secret-like.
 * Each finding points at the value; messages name the key, never the value.
 */
const rule: Rule = {
  meta: {
    id: 'secrets/no-hardcoded',
    title: 'No hardcoded secrets in the production configuration',
    severity: 'critical',
    family: 'secrets',
    target: 'service',
    env: 'prod',
    aliases: ['KICS passwords_and_secrets'],
    rationale:
      'A password written into a compose file is in the repository: every clone, fork, CI log and backup has it, it cannot be ' +
      'rotated without a commit, and it is the same in every deployment of the project. Compose files should name secrets, not hold ' +
      `them: \`\${DB_PASSWORD:?DB_PASSWORD is required}\` takes the value from the deployment environment, and compose \`secrets:\` with ` +
      'a `*_FILE` variable keeps it out of the environment altogether. A secret-like variable whose value is the path of a file ' +
      '(`DATABASE_PASSWORD=/run/secrets/db-password`, `./certs/tls.key`, `%kernel.project_dir%/config/jwt/private.pem`) holds no ' +
      'secret: the application reads the file. A path is relative (`./`, `../`, `~/`, `%param%/`), under a usual top folder ' +
      '(`/run/`, `/etc/`, `/var/`, `/app/`, `/data/`, `/certs/`, ...) or names a key or certificate file (`.pem`, `.key`, `.crt`, ...); ' +
      'a value that only starts with `/` can be a generated password and still counts.',
    fix: `Replace the literal with \`\${NAME:?NAME is required}\` and set it at deployment (or use a compose secret and the \`*_FILE\` variant), then rotate the exposed value.`,
    examples: {
      bad: {
        file: 'docker-compose.yml',
        content: 'services:\n  db:\n    image: postgres:16-alpine\n    environment:\n      POSTGRES_PASSWORD: not-a-real-secret\n',
      },
      good: {
        file: 'docker-compose.yml',
        content: `services:\n  db:\n    image: postgres:16-alpine\n    environment:\n      POSTGRES_PASSWORD: \${POSTGRES_PASSWORD:?POSTGRES_PASSWORD is required}\n`,
      },
    },
  },
  check(project) {
    const out: RawResult[] = [];
    const fails = sharedFails(out);
    for (const { env, svc, target } of services(project, true)) {
      const found = literalSecrets(svc);
      if (found.length === 0) {
        out.push({ ...pass(target, prodAbsenceLoc(env, svc), 'no literal secrets', 'no literal secrets'), environment: env.name });
        continue;
      }
      for (const v of found) {
        // A value shared through a YAML anchor is one line to change: report it once per environment.
        const what = v.url
          ? `${v.name === 'URL' ? `A URL in ${v.where}` : `The URL in \`${v.name}\``} of service \`${svc.name}\` embeds a literal password (\`****\`)`
          : `\`${v.name}\` in ${v.where} of service \`${svc.name}\` is a literal secret (\`****\`)`;
        const plain = /^[A-Za-z_][A-Za-z0-9_]*$/.test(v.name) && !v.url;
        const instead = plain
          ? `\`\${${v.name}:?${v.name} is required}\``
          : v.url
            ? `a required variable (\`\${DB_PASSWORD:?…}\`)`
            : `a required variable (\`\${NAME:?…}\`)`;
        fails.add(
          {
            ...fail(
              target,
              v.location,
              `${what} in the ${env.name} configuration, so it is in the repository for everyone with access and the same in every deployment; replace it with ${instead} or a compose secret, and rotate it.`,
            ),
            environment: env.name,
          },
          svc.name,
        );
      }
    }
    fails.finish();
    return out;
  },
};

export default rule;
