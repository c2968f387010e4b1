import type { ShellWord } from '../../model/shell.js';
import type { RawResult, Rule } from '../../types.js';
import { fail, loc } from '../_util.js';
import { addOnce, type Call, calls, installCall, longOpt, type OptSpec, shippedStages, tokens } from './_commands.js';
import { imageVerdict } from './_shared.js';

const OFF = /^APT::Install-Recommends=(false|0|no|off)$/i;

/** apt-get's options that take a value. */
const APT_OPTS: OptSpec = {
  shortValue: 'oct',
  longValue: new Set(['--option', '--config-file', '--target-release', '--default-release']),
};

/** `-o APT::Install-Recommends=false` (also `-oAPT::...`, `--option=APT::...`, `--option APT::...`). */
function optionOff(args: ShellWord[]): boolean {
  for (const t of tokens(args, APT_OPTS)) {
    if (t.kind === 'short' && t.letter === 'o' && t.value !== null && OFF.test(t.value)) return true;
    if (t.kind === 'long' && t.name === '--option' && t.value !== null && OFF.test(t.value)) return true;
  }
  return false;
}

const CONF_SETTING = /APT::Install-Recommends\s*"?(false|0|no|off)"?/i;

/** `echo 'APT::Install-Recommends "false";' > /etc/apt/apt.conf.d/...` (or `| tee`). */
function writesAptConf(c: Call, all: Call[]): boolean {
  if (c.name !== 'echo' && c.name !== 'printf') return false;
  if (!c.args.some((a) => CONF_SETTING.test(a.value))) return false;
  if (c.cmd.redirects.some((r) => r.startsWith('/etc/apt/apt.conf'))) return true;
  const pipe = c.cmd.pipeline;
  return (
    pipe !== null &&
    all.some((o) => o.cmd.pipeline === pipe && o.name === 'tee' && o.args.some((a) => a.value.startsWith('/etc/apt/apt.conf')))
  );
}

const rule: Rule = {
  meta: {
    id: 'dockerfile/no-install-recommends',
    title: '`apt-get install` skips recommended packages',
    severity: 'low',
    family: 'dockerfile',
    target: 'image',
    env: 'all',
    aliases: ['DL3015', 'DS-0029'],
    rationale:
      'By default `apt-get install` (and `apt install`, `aptitude install`) also installs every package the requested ones merely recommend: documentation, optional helpers, sometimes whole toolchains or daemons. They make the image larger, widen its attack surface and add CVEs to every scan, for software the application never calls. Only the stages whose layers ship are judged: the final stage and the stages it is built `FROM`. Turning recommends off globally (`APT::Install-Recommends "false";` written to /etc/apt/apt.conf.d before the install) counts as well.',
    fix: 'Add `--no-install-recommends` to every `apt-get install` (and add back explicitly any package you really need).',
    examples: {
      bad: {
        file: 'Dockerfile',
        content: 'FROM debian:bookworm-slim\nRUN apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*\n',
      },
      good: {
        file: 'Dockerfile',
        content:
          'FROM debian:bookworm-slim\nRUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*\n',
      },
    },
  },
  check(project) {
    const out: RawResult[] = [];
    for (const image of project.images) {
      const file = image.dockerfile.path;
      const fails: RawResult[] = [];
      const evidence: string[] = [];
      let globalOff = false;
      for (const stage of shippedStages(image)) {
        for (const run of stage.runs) {
          const cs = calls(run.script);
          for (const c of cs) {
            if (writesAptConf(c, cs)) globalOff = true;
            const p = installCall(c);
            if (p?.tool !== 'apt') continue;
            if (
              longOpt(p.args, '--no-install-recommends') ||
              (p.program === 'aptitude' && p.args.some((a) => a.value === '-R' || a.value === '--without-recommends'))
            ) {
              addOnce(evidence, '`--no-install-recommends`');
            } else if (optionOff(p.args)) {
              addOnce(evidence, '`-o APT::Install-Recommends=false`');
            } else if (globalOff) {
              addOnce(evidence, '`APT::Install-Recommends "false"` in apt.conf');
            } else {
              fails.push(
                fail(
                  image.name,
                  loc(file, c.cmd.range),
                  `\`${p.program} install\` without \`--no-install-recommends\` also installs every recommended package, growing the image and its attack surface. Add \`--no-install-recommends\`.`,
                ),
              );
            }
          }
        }
      }
      out.push(...imageVerdict(image, fails, evidence, 'recommended packages are not installed', 'no `apt-get install`'));
    }
    return out;
  },
};

export default rule;
