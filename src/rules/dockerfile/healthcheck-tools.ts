import type { Image } from '../../model/project.js';
import type { RawResult, Rule } from '../../types.js';
import { effectiveHealthcheck, judgeProbe, probeOf } from '../_probe.js';
import { fail, loc, pass, unknown } from '../_util.js';

/**
 * Judges the image's own HEALTHCHECK. Compose `healthcheck.test` probes of services that run the
 * image are judged with the same `judgeProbe` once the compose model links services to images.
 * An image without a probe gets no result here (`dockerfile/healthcheck` reports the absence).
 */
function check(image: Image): RawResult[] {
  const df = image.dockerfile;
  const hc = effectiveHealthcheck(df, image.stage);
  const probe = hc ? probeOf(hc) : null;
  if (!probe) return [];
  const j = judgeProbe(df, image.stage, probe);
  const where = loc(df.path, j.range);
  if (j.status === 'fail') return [fail(image.name, where, j.message)];
  if (j.status === 'unknown') return [unknown(image.name, where, j.message)];
  return [pass(image.name, where, j.message, j.evidence ?? undefined)];
}

const rule: Rule = {
  meta: {
    id: 'dockerfile/healthcheck-tools',
    title: 'The healthcheck only uses programs the image has',
    severity: 'high',
    family: 'dockerfile',
    target: 'image',
    env: 'all',
    aliases: [],
    rationale:
      'A healthcheck that calls a program the image lacks fails on every probe: `curl` and `wget` are not in `*-slim` Debian images, alpine has ' +
      'busybox `wget` but no `curl` or `bash`, and distroless or scratch images have no shell at all, so a shell-form check cannot even start. ' +
      'The container is then reported unhealthy forever, dependants waiting on `service_healthy` never start, and orchestrators restart a working ' +
      "service. The mistake is invisible in review because the same command works on the developer's machine.",
    fix: 'Probe with what the final stage already has (e.g. `python -c "import urllib.request; ..."` or `node -e "fetch(...)"`, busybox `wget` on alpine, an exec-form static binary on distroless), or install the program in the final stage.',
    examples: {
      bad: {
        file: 'Dockerfile',
        content:
          'FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nHEALTHCHECK CMD curl -f http://localhost:8000/health || exit 1\nCMD ["python", "-m", "http.server", "8000"]\n',
      },
      good: {
        file: 'Dockerfile',
        content:
          'FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nHEALTHCHECK CMD python -c "import urllib.request; urllib.request.urlopen(\'http://localhost:8000/health\')" || exit 1\nCMD ["python", "-m", "http.server", "8000"]\n',
      },
    },
  },
  check(project) {
    return project.images.flatMap(check);
  },
};

export default rule;
