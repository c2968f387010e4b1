import type { DockerfileModel, ExecSpec, RunInstr, Stage, VarDecl } from '../../model/dockerfile.js';
import { rootFrom, stageChain } from '../../model/image.js';
import type { Image } from '../../model/project.js';
import type { ShellCommand } from '../../model/shell.js';
import { baseName } from '../../parse/shell.js';
import type { RawResult, Rule } from '../../types.js';
import { fail, loc, pass } from '../_util.js';
import { effectiveExec } from './_exec.js';

interface JsFramework {
  label: string;
  deps: string[];
  /** CLI names that run the framework. */
  cli: string[];
  env: string;
  ok: RegExp;
  /** COPY sources that are the framework's server build (the image serves it at run time). */
  artifacts: RegExp | null;
}

const TRUTHY = /^(?:1|true)$/i;

const JS_FRAMEWORKS: JsFramework[] = [
  { label: 'Next.js', deps: ['next'], cli: ['next'], env: 'NEXT_TELEMETRY_DISABLED', ok: TRUTHY, artifacts: /(?:^|\/)\.next(?:\/|$)/ },
  {
    label: 'Nuxt',
    deps: ['nuxt', 'nuxt3'],
    cli: ['nuxt', 'nuxi'],
    env: 'NUXT_TELEMETRY_DISABLED',
    ok: TRUTHY,
    artifacts: /(?:^|\/)\.nuxt(?:\/|$)/,
  },
  { label: 'Gatsby', deps: ['gatsby'], cli: ['gatsby'], env: 'GATSBY_TELEMETRY_DISABLED', ok: TRUTHY, artifacts: null },
  { label: 'Astro', deps: ['astro'], cli: ['astro'], env: 'ASTRO_TELEMETRY_DISABLED', ok: TRUTHY, artifacts: null },
  { label: 'Angular CLI', deps: ['@angular/cli'], cli: ['ng'], env: 'NG_CLI_ANALYTICS', ok: /^(?:false|0)$/i, artifacts: null },
];

const DOTNET = { label: '.NET SDK', env: 'DOTNET_CLI_TELEMETRY_OPTOUT', ok: /^(?:1|true|yes)$/i };

type Scripts = Record<string, string>;

/** Whether a package.json script runs one of the CLIs (`next build && ...`). */
function scriptRuns(scripts: Scripts, name: string | undefined, cli: string[]): boolean {
  const text = name ? scripts[name] : undefined;
  if (!text) return false;
  return cli.some((c) => cliPattern(c).test(text));
}

/** The pattern of a CLI name in a script, compiled once per name (asked for every `npm run` of every image). */
const cliPatterns = new Map<string, RegExp>();

function cliPattern(c: string): RegExp {
  let re = cliPatterns.get(c);
  if (re === undefined) {
    re = new RegExp(`(?:^|[\\s;&|(])${c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?:\\s|$)`);
    cliPatterns.set(c, re);
  }
  return re;
}

/** Whether a command runs the framework: its CLI directly, through npx/yarn/pnpm/bun, or through a package.json script. */
function invokes(name: string, args: string[], fw: JsFramework, scripts: Scripts): boolean {
  const n = baseName(name);
  if (fw.cli.includes(n)) return true;
  const pos = args.filter((a) => !a.startsWith('-'));
  if (['npx', 'pnpx', 'bunx'].includes(n))
    return fw.cli.includes(pos[0] ?? '') || (fw.label === 'Angular CLI' && pos[0] === '@angular/cli');
  if (n === 'npm') {
    if (pos[0] === 'run' || pos[0] === 'run-script') return scriptRuns(scripts, pos[1], fw.cli);
    if (pos[0] === 'start' || pos[0] === 'test') return scriptRuns(scripts, pos[0], fw.cli);
    if (pos[0] === 'exec') return fw.cli.includes(pos[1] ?? '');
    return false;
  }
  if (['yarn', 'pnpm', 'bun'].includes(n)) {
    if (pos[0] === 'run') return scriptRuns(scripts, pos[1], fw.cli);
    if (pos[0] === 'exec' || pos[0] === 'dlx') return fw.cli.includes(pos[1] ?? '');
    return fw.cli.includes(pos[0] ?? '') || scriptRuns(scripts, pos[0], fw.cli);
  }
  return false;
}

/** Commands through which `invokes` can reach a framework's CLI (besides the CLI itself). */
const LAUNCHERS = new Set(['npx', 'pnpx', 'bunx', 'npm', 'yarn', 'pnpm', 'bun']);

/** Every framework's CLI names. */
const FRAMEWORK_CLIS: ReadonlySet<string> = new Set(JS_FRAMEWORKS.flatMap((fw) => fw.cli));

function commandInvokes(c: ShellCommand, fw: JsFramework, scripts: Scripts): boolean {
  if (!c.name) return false;
  // What `invokes` answers for any other command name, without building its argument list.
  const n = baseName(c.name);
  if (!LAUNCHERS.has(n) && !fw.cli.includes(n)) return false;
  return invokes(
    c.name,
    c.args.map((a) => a.value),
    fw,
    scripts,
  );
}

function specInvokes(spec: ExecSpec | null, fw: JsFramework, scripts: Scripts): boolean {
  if (!spec) return false;
  if (spec.form === 'exec') return spec.argv.length > 0 && invokes(spec.argv[0], spec.argv.slice(1), fw, scripts);
  return (spec.script?.commands ?? []).some((c) => commandInvokes(c, fw, scripts));
}

/**
 * The declaration of `name` in effect in `stage` (before line `before`, when given): declared in the
 * stage itself (ARG or ENV, unless `envOnly`), or an ENV of a stage it is built FROM.
 */
function declAt(df: DockerfileModel, stage: Stage, name: string, before: number | null, envOnly: boolean): VarDecl | null {
  const ancestors = new Set(stageChain(df, stage).map((s) => s.index));
  for (let i = df.declarations.length - 1; i >= 0; i--) {
    const d = df.declarations[i];
    if (d.name !== name || !ancestors.has(d.stage)) continue;
    if (d.stage === stage.index) {
      if (before !== null && d.range.line >= before) continue;
      if (envOnly && d.keyword !== 'ENV') continue;
      return d;
    }
    if (d.keyword === 'ENV') return d;
  }
  return null;
}

interface Need {
  stage: Stage;
  /** What runs the tool there, for the message. */
  why: string;
  /** The first line that needs it (a RUN), null for run time. */
  before: number | null;
  envOnly: boolean;
}

function stageLabel(df: DockerfileModel, s: Stage): string {
  return df.stages.length === 1 ? 'the image' : `stage \`${s.name ?? s.index}\``;
}

function judge(image: Image, label: string, env: string, ok: RegExp, needs: Need[]): RawResult {
  const df = image.dockerfile;
  let last: VarDecl | null = null;
  for (const n of needs) {
    const d = declAt(df, n.stage, env, n.before, n.envOnly);
    if (!d || d.value === null || !ok.test(d.value.trim())) {
      const value = env === 'NG_CLI_ANALYTICS' ? 'false' : '1';
      const wrong = d ? ` (\`${env}\` is ${d.value === null ? 'not resolved' : `\`${d.value}\``})` : '';
      return fail(
        image.name,
        loc(df.path, n.stage.from.instr.range),
        `${label} telemetry is not disabled in ${stageLabel(df, n.stage)}, which ${n.why}${wrong}: it reports usage data to the vendor from builds and servers; add \`ENV ${env}=${value}\` to that stage.`,
      );
    }
    if (n.stage === image.stage || !last) last = d;
  }
  const d = last as VarDecl;
  return pass(image.name, loc(df.path, d.range), `${label} telemetry is disabled where it runs`, `\`${env}=${d.value}\``);
}

function check(image: Image): RawResult[] {
  const df = image.dockerfile;
  const pkg = image.context.packageJson;
  const scripts = pkg?.scripts ?? {};
  const deps = new Set([...(pkg?.dependencies ?? []), ...(pkg?.devDependencies ?? [])]);
  const finalChain = stageChain(df, image.stage);
  const { entrypoint, cmd } = effectiveExec(df, image.stage);
  const out: RawResult[] = [];

  // The RUNs' commands that can run a framework at all (a launcher or a framework's CLI), in stage
  // and RUN order; most images have none, and each framework below searches only these.
  const candidates: { stage: Stage; run: RunInstr; cmds: ShellCommand[] }[] = [];
  for (const s of image.reachableStages) {
    for (const r of s.runs) {
      let cmds: ShellCommand[] | null = null;
      for (const c of r.script?.commands ?? []) {
        if (!c.name) continue;
        const n = baseName(c.name);
        if (!LAUNCHERS.has(n) && !FRAMEWORK_CLIS.has(n)) continue;
        if (cmds === null) cmds = [c];
        else cmds.push(c);
      }
      if (cmds) candidates.push({ stage: s, run: r, cmds });
    }
  }

  for (const fw of JS_FRAMEWORKS) {
    const needs: Need[] = [];
    // The first RUN of each stage with a command that runs the framework.
    let found: Stage | null = null;
    for (const { stage: s, run: r, cmds } of candidates) {
      if (s === found) continue;
      const c = cmds.find((x) => commandInvokes(x, fw, scripts));
      if (c) {
        found = s;
        needs.push({
          stage: s,
          why: `runs \`${c.text.length > 40 ? `${c.text.slice(0, 39)}…` : c.text}\` (line ${r.instr.range.line})`,
          before: r.instr.range.line,
          envOnly: false,
        });
      }
    }
    const serves =
      specInvokes(entrypoint, fw, scripts) ||
      specInvokes(cmd, fw, scripts) ||
      (fw.artifacts !== null && finalChain.some((s) => s.copies.some((c) => c.sources.some((w) => fw.artifacts?.test(w.value)))));
    const byDeps = fw.deps.some((d) => deps.has(d));
    if (!needs.length && !serves && !byDeps) continue;
    // Run time: when the final stage serves the framework, or nothing else tells where it runs.
    if (serves || !needs.length) needs.push({ stage: image.stage, why: `runs the ${fw.label} app`, before: null, envOnly: true });
    // The final stage first: that is where a user looks.
    needs.sort((a, b) => (a.stage === image.stage ? -1 : 0) - (b.stage === image.stage ? -1 : 0));
    out.push(judge(image, fw.label, fw.env, fw.ok, needs));
  }

  const sdkNeeds: Need[] = [];
  for (const s of image.reachableStages) {
    const root = rootFrom(df, s);
    if (!root.name?.startsWith('mcr.microsoft.com/dotnet/sdk')) continue;
    const run = s.runs.find((r) => (r.script?.commands ?? []).some((c) => baseName(c.name) === 'dotnet'));
    sdkNeeds.push({
      stage: s,
      why: run ? `runs \`dotnet\` (line ${run.instr.range.line})` : 'is based on the .NET SDK',
      before: run?.instr.range.line ?? null,
      envOnly: false,
    });
  }
  if (sdkNeeds.length) out.push(judge(image, DOTNET.label, DOTNET.env, DOTNET.ok, sdkNeeds));
  return out;
}

const rule: Rule = {
  meta: {
    id: 'dockerfile/telemetry-disabled',
    title: 'Framework telemetry is disabled',
    severity: 'low',
    family: 'dockerfile',
    target: 'image',
    env: 'all',
    aliases: [],
    rationale:
      'Next.js, Nuxt, Gatsby, Astro, the Angular CLI and the .NET SDK send usage telemetry to their vendors by default, from CI builds and from ' +
      'servers. In a container that is an unexpected outbound connection from build and production networks, data leaving the organisation ' +
      'without review, and a build step that may hang or fail where egress is blocked. Each tool has an environment variable that opts out; it ' +
      'must be set in every stage where the tool runs (the build stage and, for servers such as `next start`, the runtime stage). Images that use ' +
      'none of these tools get no result.',
    fix: 'Add the opt-out to each stage that runs the tool, e.g. `ENV NEXT_TELEMETRY_DISABLED=1` in the builder and runtime stages (`DOTNET_CLI_TELEMETRY_OPTOUT=1`, `NG_CLI_ANALYTICS=false`, ...).',
    examples: {
      bad: {
        file: 'Dockerfile',
        content:
          'FROM node:22-alpine AS builder\nWORKDIR /app\nCOPY . .\nRUN npm ci && npm run build\n\nFROM node:22-alpine\nWORKDIR /app\nCOPY --from=builder /app/.next/standalone ./\nUSER node\nCMD ["node", "server.js"]\n',
        extraFiles: { 'package.json': '{"scripts":{"build":"next build"},"dependencies":{"next":"15.0.0"}}\n' },
      },
      good: {
        file: 'Dockerfile',
        content:
          'FROM node:22-alpine AS builder\nENV NEXT_TELEMETRY_DISABLED=1\nWORKDIR /app\nCOPY . .\nRUN npm ci && npm run build\n\nFROM node:22-alpine\nENV NEXT_TELEMETRY_DISABLED=1\nWORKDIR /app\nCOPY --from=builder /app/.next/standalone ./\nUSER node\nCMD ["node", "server.js"]\n',
        extraFiles: { 'package.json': '{"scripts":{"build":"next build"},"dependencies":{"next":"15.0.0"}}\n' },
      },
    },
  },
  check(project) {
    return project.images.flatMap(check);
  },
};

export default rule;
