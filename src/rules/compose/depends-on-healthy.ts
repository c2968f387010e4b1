import { composeBool } from '../../compose/values.js';
import { entry, get, type PNode, str } from '../../parse/yaml.js';
import type { Location, RawResult, Rule } from '../../types.js';
import { nodeLoc, provLoc, services, sget } from '../_compose.js';
import { serviceHealthcheck } from '../_compose-health.js';
import { fail, pass, unknown } from '../_util.js';

const CONDITIONS = new Set(['service_started', 'service_healthy', 'service_completed_successfully']);

const rule: Rule = {
  meta: {
    id: 'compose/depends-on-healthy',
    title: '`depends_on` waits for dependencies to be healthy',
    severity: 'medium',
    family: 'compose',
    target: 'service',
    env: 'all',
    aliases: [],
    rationale:
      'The short form `depends_on: [db]` (and `condition: service_started`) only orders container starts: the app starts as soon as the ' +
      'database container exists, not when it accepts connections, so the first requests or migrations fail and the app crash-loops or, ' +
      'worse, starts half-configured. When the dependency has a healthcheck, `condition: service_healthy` makes compose wait until it ' +
      'passes. The opposite mistake is as bad: asking `service_healthy` of a service with no healthcheck (none in compose, none in the ' +
      'Dockerfile it builds, or one turned off) makes `docker compose up` fail. An `image:` dependency without a compose ' +
      'healthcheck whose image seaworthy cannot see (not built here, not a known official image) may define its own HEALTHCHECK, ' +
      'so `service_healthy` on it is reported as unknown. Services without `depends_on` get no result; ' +
      '`service_completed_successfully` (one-shot jobs such as migrations) is fine.',
    fix: 'Write `depends_on: { db: { condition: service_healthy } }` for dependencies that have a healthcheck, and give every dependency you wait on a healthcheck.',
    examples: {
      bad: {
        file: 'docker-compose.yml',
        content:
          'services:\n  app:\n    image: ghcr.io/example/app:1.4.2\n    depends_on:\n      - db\n' +
          '  db:\n    image: postgres:16\n    healthcheck:\n      test: ["CMD", "pg_isready", "-U", "postgres"]\n      interval: 10s\n',
      },
      good: {
        file: 'docker-compose.yml',
        content:
          'services:\n  app:\n    image: ghcr.io/example/app:1.4.2\n    depends_on:\n      db:\n        condition: service_healthy\n' +
          '  db:\n    image: postgres:16\n    healthcheck:\n      test: ["CMD", "pg_isready", "-U", "postgres"]\n      interval: 10s\n',
      },
    },
  },
  check(project) {
    const out: RawResult[] = [];
    for (const { env, svc, target } of services(project)) {
      const deps = sget(svc, 'depends_on');
      if (deps?.kind !== 'map' || deps.entries.length === 0) continue;
      const bad: RawResult[] = [];
      const ok: { name: string; cond: string; note?: string }[] = [];
      for (const e of deps.entries) {
        const name = e.key;
        const v: PNode = e.value;
        const condNode = get(v, 'condition');
        const implicit = !condNode || condNode.tag === '!implicit';
        const cond = str(condNode) ?? 'service_started';
        const short = v.tag === '!short-syntax';
        // Where to point: the condition as written, else the list item (short syntax) or the dependency's key.
        const where: Location = condNode && !implicit ? nodeLoc(condNode) : provLoc(e.keyProv);
        const written = !implicit
          ? `\`condition: ${cond}\` on \`${name}\``
          : short
            ? `\`depends_on: [${name}]\` (short syntax)`
            : `\`depends_on: ${name}\` without a \`condition\``;
        const r = (x: RawResult) => bad.push({ ...x, environment: env.name });

        const dep = env.services.find((s) => s.name === name);
        if (!dep) {
          if (composeBool(str(get(v, 'required'))) === false) {
            ok.push({ name, cond, note: 'optional, not defined' });
            continue;
          }
          r(
            fail(
              target,
              provLoc(e.keyProv),
              `\`${svc.name}\` depends on \`${name}\`, which is not a service of this configuration, so \`docker compose\` refuses it ("depends on undefined service"); define \`${name}\`, remove the entry, or mark it \`required: false\`.`,
            ),
          );
          continue;
        }
        if (cond.includes('$')) {
          r(
            unknown(
              target,
              where,
              `The \`depends_on\` condition for \`${name}\` is interpolated (\`${cond}\`), so what \`${svc.name}\` waits for is unknown.`,
            ),
          );
          continue;
        }
        if (!CONDITIONS.has(cond)) {
          r(
            fail(
              target,
              where,
              `\`condition: ${cond}\` on \`${name}\` is not a compose condition, so \`docker compose\` refuses the file; use \`service_healthy\`, \`service_started\` or \`service_completed_successfully\`.`,
            ),
          );
          continue;
        }
        if (cond === 'service_completed_successfully') {
          ok.push({ name, cond });
          continue;
        }
        const h = serviceHealthcheck(project, env, dep);
        if (cond === 'service_healthy') {
          if (h.state === 'present') ok.push({ name, cond });
          else if (h.imageUnseen)
            r(
              unknown(
                target,
                where,
                `\`${svc.name}\` waits for \`${name}\` to be healthy, and compose gives \`${name}\` no healthcheck: whether its image \`${dep.image ?? '?'}\` defines a HEALTHCHECK of its own is unknown (this repository cannot show it); if it does not, \`docker compose up\` fails, so give \`${name}\` a \`healthcheck:\` to be sure.`,
              ),
            );
          else if (h.state === 'unknown')
            r(
              unknown(
                target,
                where,
                `\`${svc.name}\` waits for \`${name}\` to be healthy, but whether \`${name}\` has a healthcheck is unknown: ${h.reason}.`,
              ),
            );
          else
            r(
              fail(
                target,
                where,
                `\`${svc.name}\` waits for \`${name}\` to be healthy, but \`${name}\` has no healthcheck: ${h.reason}; \`docker compose up\` then fails ("has no healthcheck configured"), so ` +
                  `give \`${name}\` a \`healthcheck:\` or wait with \`condition: service_started\`.`,
              ),
            );
          continue;
        }
        // service_started
        if (h.state === 'present') {
          r(
            fail(
              target,
              where,
              `${written} only waits for \`${name}\` to start, not to be ready, although \`${name}\` has a healthcheck (${(h.words ?? '').replace(/ \(.*\)$/, '')}), so \`${svc.name}\` may start before \`${name}\` accepts connections; ` +
                `write \`depends_on: { ${name}: { condition: service_healthy } }\`.`,
            ),
          );
        } else if (h.state === 'unknown') {
          r(
            unknown(
              target,
              where,
              `${written} only waits for \`${name}\` to start; whether \`${name}\` has a healthcheck to wait for is unknown: ${h.reason}.`,
            ),
          );
        } else {
          ok.push({ name, cond, note: h.imageUnseen ? 'no compose healthcheck' : 'no healthcheck' });
        }
      }
      if (bad.length) {
        out.push(...bad);
        continue;
      }
      const key = entry(svc.node, 'depends_on');
      const allHealthy = ok.every((o) => o.cond === 'service_healthy');
      const evidence = allHealthy
        ? '`depends_on: condition: service_healthy`'
        : `\`depends_on\`: ${ok.map((o) => `${o.name} (\`${o.cond}\`${o.note ? `, ${o.note}` : ''})`).join(', ')}`;
      out.push({
        ...pass(
          target,
          key ? provLoc(key.keyProv) : nodeLoc(deps),
          `every dependency is waited for appropriately: ${ok.map((o) => `\`${o.name}\`: ${o.cond}`).join(', ')}`,
          evidence,
        ),
        environment: env.name,
      });
    }
    return out;
  },
};

export default rule;
