import type { Image, Project } from '../../model/project.js';
import type { RawResult, Rule } from '../../types.js';
import { services } from '../_compose.js';
import { effectiveHealthcheck, judgeProbe, type Probe, type ProbeJudgement, probeOf } from '../_probe.js';
import { fail, loc, pass, unknown } from '../_util.js';

/** A probe judgement as the result for `target`, pointing into `file`. */
function probeResult(target: string, file: string, j: ProbeJudgement): RawResult {
  const where = loc(file, j.range);
  if (j.status === 'fail') return fail(target, where, j.message);
  if (j.status === 'unknown') return unknown(target, where, j.message);
  return pass(target, where, j.message, j.evidence ?? undefined);
}

/**
 * Judges the image's own HEALTHCHECK, and the merged compose `healthcheck.test` of every service
 * in every environment against the image that service runs (built from a Dockerfile here, or an
 * `image:` judged from base-image knowledge). An image without a probe gets no result here
 * (`dockerfile/healthcheck` reports the absence).
 */
function checkCompose(project: Project): RawResult[] {
  const out: RawResult[] = [];
  for (const { env, svc, target } of services(project)) {
    const t = svc.healthTest;
    if (!t || t.form === 'none') continue;
    const img = svc.imageModel ? { dockerfile: svc.imageModel.dockerfile, stage: svc.imageModel.stage } : svc.externalImage;
    const probe: Probe = { form: t.form, argv: t.argv, argvRanges: t.argvRanges, script: t.script, range: t.prov.range };
    const file = t.prov.file;
    if (!img) {
      out.push({ ...unknown(target, loc(file, t.prov.range), `The image service \`${svc.name}\` runs is not known (a variable or an unlinked build), so the healthcheck's programs cannot be checked.`), environment: env.name });
      continue;
    }
    out.push({ ...probeResult(target, file, judgeProbe(img.dockerfile, img.stage, probe)), environment: env.name });
  }
  return out;
}

function check(image: Image): RawResult[] {
  const df = image.dockerfile;
  const hc = effectiveHealthcheck(df, image.stage);
  const probe = hc ? probeOf(hc) : null;
  if (!probe) return [];
  return [probeResult(image.name, df.path, judgeProbe(df, image.stage, probe))];
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
    return [...project.images.flatMap(check), ...checkCompose(project)];
  },
};

export default rule;
