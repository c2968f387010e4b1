import type { Rule } from '../../types.js';
import type { ContainerFacts, LiveContext } from '../../live/model.js';
import { code, composeExample, eachContainer, fail, pass, unknown } from './_live.js';

/**
 * runtime/healthy: `.State.Health.Status` is `healthy`. No healthcheck, a disabled one (`NONE`),
 * `unhealthy` and a container that is not running fail; `starting` is unknown. A failure shows the
 * last probe's exit code and output (e.g. `curl: not found`).
 */

function testText(c: ContainerFacts): string {
  const t = c.healthcheckTest ?? [];
  return (t[0] === 'CMD-SHELL' || t[0] === 'CMD' ? t.slice(1) : t).join(' ');
}

function lastProbe(c: ContainerFacts): string {
  const last = c.health?.log[c.health.log.length - 1];
  if (!last) return '';
  const out = last.output.trim().split(/\r?\n/).slice(-3).join(' / ');
  return `the last probe (${code(testText(c), 60)}) exited ${last.exitCode}${out ? `: ${code(out, 120)}` : ' without output'}`;
}

function hint(c: ContainerFacts): string {
  const last = c.health?.log[c.health.log.length - 1];
  if (last && (/not found|no such file|executable file not found/i.test(last.output) || last.exitCode === 127)) {
    return ' The probe runs a program the image does not have: use one it ships (or a tiny static probe binary), not curl/wget on a slim image.';
  }
  return ' Fix what the probe reports, or the probe itself.';
}

const rule: Rule<LiveContext> = {
  meta: {
    id: 'runtime/healthy',
    title: 'Containers are healthy',
    severity: 'high',
    family: 'runtime',
    target: 'container',
    env: 'all',
    aliases: [],
    rationale:
      'A healthcheck only helps if it passes when the app works and fails when it does not. `docker compose ps` showing `unhealthy` ' +
      'means dependants waiting on `service_healthy` never start, orchestrators restart or drain the container, and alerts fire; a ' +
      'probe that calls a tool the image lacks (`curl: not found` on a slim or distroless image) is unhealthy forever while the app ' +
      'is fine. A container without a healthcheck gives no signal at all. This rule reads the health state and the last probe output ' +
      'from the engine.',
    fix: 'Give every service a healthcheck that uses a program the image contains (`["CMD", "python", "-c", "..."]`, the app\'s own `healthcheck` subcommand, or wget on busybox images), and fix whatever makes it fail.',
    examples: {
      bad: composeExample(
        'services:\n  backend:\n    image: python:3.12-slim\n    healthcheck:\n      test: ["CMD-SHELL", "curl -fsS http://localhost:8000/health"]\n',
      ),
      good: composeExample(
        'services:\n  backend:\n    image: python:3.12-slim\n    healthcheck:\n      test: ["CMD", "python", "-c", "import urllib.request; urllib.request.urlopen(\'http://localhost:8000/health\')"]\n      interval: 30s\n      timeout: 5s\n      retries: 3\n',
      ),
    },
  },
  check(ctx) {
    return eachContainer(ctx, (c, at) => {
      if (!c.running) {
        const code_ = c.exitCode !== null ? `, exit code ${c.exitCode}${c.oomKilled ? ', killed for lack of memory' : ''}` : '';
        return fail(at, `${c.name} is not running (${c.status}${code_}): it cannot be healthy. See \`docker logs ${c.name}\`.`);
      }
      const t = c.healthcheckTest;
      if (t && t[0] === 'NONE') {
        return fail(
          at,
          `${c.name} has its healthcheck disabled (\`NONE\`): nothing tells a hung app from a working one. Add a healthcheck that exercises the app.`,
        );
      }
      if (!c.health || !t) {
        return fail(
          at,
          `${c.name} has no healthcheck: docker, compose \`depends_on: service_healthy\` and orchestrators cannot tell a hung app from a working one. Add HEALTHCHECK to the image or \`healthcheck:\` to the service.`,
        );
      }
      const s = c.health.status;
      if (s === 'healthy') return pass(at, `${c.name} is healthy.`, `healthy (${code(testText(c), 60)})`);
      if (s === 'starting') {
        const last = lastProbe(c);
        return unknown(at, `${c.name} is still starting its healthcheck${last ? `; ${last}` : ''}. Verify again after its start period.`);
      }
      const last = lastProbe(c);
      return fail(
        at,
        `${c.name} is ${s}${c.health.failingStreak ? ` (${c.health.failingStreak} failing probes in a row)` : ''}${last ? `: ${last}` : ''}.${hint(c)}`,
      );
    });
  },
};

export default rule;
