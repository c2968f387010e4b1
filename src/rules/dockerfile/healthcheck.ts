import type { Image } from '../../model/project.js';
import type { RawResult, Rule } from '../../types.js';
import { describeProbe, effectiveHealthcheck, probeOf } from '../_probe.js';
import { fail, fromLoc, loc, pass, unknown } from '../_util.js';

function check(image: Image): RawResult[] {
  const df = image.dockerfile;
  const target = image.name;
  const hc = effectiveHealthcheck(df, image.stage);
  const probe = hc ? probeOf(hc) : null;
  if (hc && probe) {
    const words = describeProbe(probe, df, image.stage);
    const interval = hc.options.interval ? `, every ${hc.options.interval}` : '';
    return [pass(target, loc(df.path, hc.instr.range), `HEALTHCHECK probes the container: ${words}${interval}`, words)];
  }
  const services = image.services;
  if (services.length > 0 && services.every((s) => s.hasHealthcheck)) {
    const names = [...new Set(services.map((s) => s.service))].map((n) => `\`${n}\``).join(', ');
    return [
      pass(
        target,
        hc ? loc(df.path, hc.instr.range) : fromLoc(image),
        `every compose service running this image defines a healthcheck (${names})`,
        'healthcheck in compose',
      ),
    ];
  }
  if (hc && !hc.none) {
    return [
      unknown(target, loc(df.path, hc.instr.range), 'HEALTHCHECK has no `CMD`, so what it probes is unknown; write `HEALTHCHECK CMD ...`.'),
    ];
  }
  const missingIn = [...new Set(services.filter((s) => !s.hasHealthcheck).map((s) => `\`${s.service}\``))];
  const compose = missingIn.length
    ? ` and compose service${missingIn.length > 1 ? 's' : ''} ${missingIn.join(', ')} ${missingIn.length > 1 ? 'define' : 'defines'} none`
    : '';
  if (hc?.none) {
    return [
      fail(
        target,
        loc(df.path, hc.instr.range),
        `\`HEALTHCHECK NONE\` disables health checking${compose}, so Docker cannot tell a hung app from a healthy one and \`depends_on: service_healthy\` cannot wait for it; replace it with a probe such as \`HEALTHCHECK CMD ["python", "-c", "..."]\`.`,
      ),
    ];
  }
  return [
    fail(
      target,
      fromLoc(image),
      `The image has no HEALTHCHECK${compose}, so Docker cannot tell a hung app from a healthy one and \`depends_on: service_healthy\` cannot wait for it; add a HEALTHCHECK in the final stage with a program the image has (or a compose \`healthcheck:\`).`,
    ),
  ];
}

const rule: Rule = {
  meta: {
    id: 'dockerfile/healthcheck',
    title: 'The image defines a HEALTHCHECK',
    severity: 'medium',
    family: 'dockerfile',
    target: 'image',
    env: 'all',
    aliases: ['DL3057', 'DS-0026', 'CKV_DOCKER_2', 'CIS-DI-0006', 'CIS-4.6'],
    rationale:
      'Without a healthcheck Docker only knows whether the main process is alive, not whether it serves: a deadlocked app or one that lost its ' +
      'database stays "running". A HEALTHCHECK lets `docker ps`, orchestrators and compose `depends_on: condition: service_healthy` see the real ' +
      'state, so dependants start only when the service answers and restart policies can act on it. The check can live in the Dockerfile or in ' +
      'every compose service that runs the image.',
    fix: 'Add `HEALTHCHECK --interval=30s --timeout=5s CMD [...]` to the final stage, probing the app with a program the image has (e.g. Python urllib or Node.js http instead of curl on slim images), or define `healthcheck:` on every compose service that runs it.',
    examples: {
      bad: {
        file: 'Dockerfile',
        content: 'FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nCMD ["python", "-m", "http.server", "8000"]\n',
      },
      good: {
        file: 'Dockerfile',
        content:
          'FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nHEALTHCHECK --interval=30s --timeout=5s \\\n  CMD python -c "import urllib.request; urllib.request.urlopen(\'http://localhost:8000/health\')" || exit 1\nCMD ["python", "-m", "http.server", "8000"]\n',
      },
    },
  },
  check(project) {
    return project.images.flatMap(check);
  },
};

export default rule;
