import { isWeakValue, MIN_SECRET_LENGTH, WEAK_VALUES } from '../../knowledge/secrets.js';
import type { RawResult, Rule } from '../../types.js';
import { prodAbsenceLoc, services } from '../_compose.js';
import { sharedFails } from '../_shared-lines.js';
import { fail, pass } from '../_util.js';
import { defaultSecrets, literalSecrets, type SecretValue } from './_values.js';

/**
 * secrets/weak-values: every secret value production can run with is strong. The values judged
 * are the literal secrets of the merged production configuration and the literal fallbacks of
 * secret variables (`${REDIS_PASSWORD:-dev_only_password}` runs with `dev_only_password` when the
 * variable is unset); see `_values.ts`. Weak: a known weak or placeholder value (WEAK_VALUES,
 * case-insensitive) or fewer than 12 characters (an empty fallback included). Messages say
 * "a known weak value" or the length, never the value.
 */
const WEAK = new Set(WEAK_VALUES);

function why(v: SecretValue): string {
  if (WEAK.has(v.value.toLowerCase())) return 'a known weak value, the kind attackers try first';
  if (v.value.length === 0) return 'empty, so the service would run with no secret at all';
  return `only ${v.value.length} character${v.value.length === 1 ? '' : 's'} long, short enough to brute-force`;
}

const rule: Rule = {
  meta: {
    id: 'secrets/weak-values',
    title: 'No weak secret values reachable in production',
    severity: 'high',
    family: 'secrets',
    target: 'service',
    env: 'prod',
    aliases: [],
    rationale:
      'Default and placeholder passwords (`password`, `changeme`, `postgres`, `dev_only_password`) are the first ones an attacker ' +
      'tries, and short ones fall to brute force. A weak value is reachable in production when it is written literally in the ' +
      `merged production configuration, or when it is the fallback of a \`\${SECRET:-default}\` that the production overlay does not ` +
      'replace: the day the variable is missing, the service starts with the development password instead of failing. Flags and file ' +
      'paths are not secret values, literal or fallback (`ALLOW_EMPTY_PASSWORD: ${ALLOW_EMPTY_PASSWORD:-yes}`).',
    fix: `Remove the fallback (\`\${SECRET:?SECRET is required}\`) or the literal, and deploy a random value of at least 32 characters (e.g. \`openssl rand -hex 32\`).`,
    examples: {
      bad: {
        file: 'docker-compose.yml',
        content: `services:\n  cache:\n    image: redis:7-alpine\n    command: ["redis-server", "--requirepass", "\${REDIS_PASSWORD:-changeme}"]\n`,
      },
      good: {
        file: 'docker-compose.yml',
        content: `services:\n  cache:\n    image: redis:7-alpine\n    command: ["redis-server", "--requirepass", "\${REDIS_PASSWORD:?REDIS_PASSWORD is required}"]\n`,
      },
    },
  },
  check(project) {
    const out: RawResult[] = [];
    const fails = sharedFails(out);
    for (const { env, svc, target } of services(project, true)) {
      const values = [...literalSecrets(svc), ...defaultSecrets(env, svc)];
      const weak = values.filter((v) => isWeakValue(v.value, MIN_SECRET_LENGTH));
      if (weak.length === 0) {
        const evidence = values.length
          ? `${values.length} secret value${values.length > 1 ? 's' : ''} of ${MIN_SECRET_LENGTH}+ characters`
          : 'no literal or fallback secret values';
        out.push({ ...pass(target, values[0]?.location ?? prodAbsenceLoc(env, svc), evidence, evidence), environment: env.name });
        continue;
      }
      for (const v of weak) {
        const subject =
          v.kind === 'default'
            ? `The fallback of \`\${${v.name}}\` in service \`${svc.name}\` (used in ${env.name} whenever ${v.name} is unset)`
            : v.url
              ? `The password in ${v.name === 'URL' ? `a URL in ${v.where}` : `the URL in \`${v.name}\``} of service \`${svc.name}\``
              : `\`${v.name}\` in ${v.where} of service \`${svc.name}\``;
        fails.add(
          {
            ...fail(
              target,
              v.location,
              `${subject} is ${why(v)}; remove it (require the variable with \`:?\`) and deploy a random value of at least 32 characters.`,
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
