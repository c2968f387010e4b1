import { findUrlCredentials, isNotASecret, isSecretName } from '../../knowledge/secrets.js';
import type { VarRef } from '../../model/compose.js';
import type { RawResult, Rule } from '../../types.js';
import { prodAbsenceLoc, provLoc, serviceVariables, services } from '../_compose.js';
import { sharedFails } from '../_shared-lines.js';
import { fail, pass } from '../_util.js';

/**
 * secrets/no-default-in-prod: in the merged production configuration, no secret variable has a
 * fallback. Judged on every variable use of the environment (`env.variables`, so uses inside URLs,
 * command arguments and nested defaults count), at the use's exact range. A use is about a secret
 * when the variable name is secret-like, when the use is the password of a URL
 * (`redis://:${CACHE_PW:-x}@cache`), or when its fallback embeds URL credentials
 * (`${DATABASE_URL:-postgres://app:pw@db/app}`). A secret-like name whose fallback is a flag or a file
 * path (`${ALLOW_EMPTY_PASSWORD:-yes}`) is a switch or a path, not a secret (`isNotASecret`), as the
 * literal `ALLOW_EMPTY_PASSWORD: "yes"` is not one for secrets/no-hardcoded.
 *
 * Pass, per service: the secret variables it uses, e.g. "`${REDIS_PASSWORD:?…}` (required)",
 * "`${REDIS_PASSWORD}` (no fallback)", joined by ", "; "no secret variables" when it uses none.
 * A use shared through a YAML anchor is reported once per environment.
 */

function isSecretUse(ref: VarRef): boolean {
  const u = ref.use;
  const raw = String(ref.scalar.value ?? '');
  if (findUrlCredentials(raw).some((c) => c.index === u.start)) return true;
  if (isSecretName(u.name) && !(u.hasDefault && u.word !== null && isNotASecret(u.word))) return true;
  // A fallback that writes a password into a URL (a password that is itself a variable is judged as that variable's use).
  return u.hasDefault && u.word !== null && findUrlCredentials(u.word).some((c) => !c.password.includes('$'));
}

function shown(ref: VarRef): string {
  const u = ref.use;
  if (u.required) return `\`\${${u.name}${u.op}…}\` (required)`;
  return `\`\${${u.name}}\` (no fallback)`;
}

const rule: Rule = {
  meta: {
    id: 'secrets/no-default-in-prod',
    title: 'No fallback values for secrets in production',
    severity: 'high',
    family: 'secrets',
    target: 'service',
    env: 'prod',
    aliases: [],
    rationale:
      `\`\${REDIS_PASSWORD:-dev_only_password}\` is convenient for local development, but in production it means that a deployment ` +
      'that forgets the variable starts anyway, silently, with a password that is written in the repository. Because compose ' +
      'merges overlays, a fallback in the base file reaches production in every service the production overlay does not override. ' +
      `In production a secret must be required: \`\${REDIS_PASSWORD:?REDIS_PASSWORD is required}\` makes compose refuse to start ` +
      'without it. A fallback that is a flag or a file path (`${ALLOW_EMPTY_PASSWORD:-yes}`) makes the variable a switch, not a secret.',
    fix: `Write the secret as \`\${NAME:?NAME is required}\` in the production configuration (override it in the production overlay when the base file keeps a development fallback).`,
    examples: {
      bad: {
        file: 'docker-compose.yml',
        content: `services:\n  cache:\n    image: redis:7-alpine\n    environment:\n      REDIS_PASSWORD: \${REDIS_PASSWORD:-dev_only_password}\n`,
      },
      good: {
        file: 'docker-compose.yml',
        content: `services:\n  cache:\n    image: redis:7-alpine\n    environment:\n      REDIS_PASSWORD: \${REDIS_PASSWORD:?REDIS_PASSWORD is required}\n`,
      },
    },
  },
  check(project) {
    const out: RawResult[] = [];
    const fails = sharedFails(out);
    const report = (envName: string, target: string, ref: VarRef, where: string, service: string) => {
      const loc = provLoc(ref.prov);
      const u = ref.use;
      fails.add(
        {
          ...fail(
            target,
            loc,
            `\`\${${u.name}${u.op}…}\` ${where} gives ${isSecretName(u.name) ? 'the secret' : 'a credential'} a fallback in ${envName}, so a deployment without ${u.name} starts silently with the value written in the repository; write \`\${${u.name}:?${u.name} is required}\` in the production configuration.`,
          ),
          environment: envName,
        },
        service,
      );
    };
    for (const { env, svc, target } of services(project, true)) {
      const refs = serviceVariables(env, svc.name).filter(isSecretUse);
      const bad = refs.filter((r) => r.use.hasDefault);
      for (const r of bad) report(env.name, target, r, `in service \`${svc.name}\``, svc.name);
      if (bad.length) continue;
      const listed: string[] = [];
      for (const r of refs) {
        if (r.use.op === ':+' || r.use.op === '+') continue;
        const s = shown(r);
        if (!listed.includes(s)) listed.push(s);
      }
      if (listed.length === 0) {
        out.push({ ...pass(target, prodAbsenceLoc(env, svc), 'uses no secret variables', 'no secret variables'), environment: env.name });
      } else {
        out.push({
          ...pass(target, provLoc(refs[0].prov), `secrets without fallback: ${listed.join(', ')}`, listed.join(', ')),
          environment: env.name,
        });
      }
    }
    // Uses outside services (top-level `secrets:`, `configs:`, `networks:`...): judged per environment.
    for (const compose of project.compose) {
      for (const env of compose.environments) {
        if (!env.isProd) continue;
        for (const r of env.variables) {
          if (r.service === null && isSecretUse(r) && r.use.hasDefault)
            report(env.name, env.files[0] ?? env.dir, r, `in \`${r.path.slice(0, 2).join('.')}\``, r.path.slice(0, 2).join('.'));
        }
      }
    }
    fails.finish();
    return out;
  },
};

export default rule;
