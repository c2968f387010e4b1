import type { RunInstr, Stage } from '../../model/dockerfile.js';
import { addInstalledPackages, isPackageInstaller, pkgName, stageChain } from '../../model/image.js';
import type { Image } from '../../model/project.js';
import type { RawResult, Rule } from '../../types.js';
import { fail, fromLoc, loc, pass } from '../_util.js';
import { type Call, calls } from './_commands.js';
import { stageLabel } from './_from.js';

/** OS packages that are a build toolchain (plus every `*-dev` / `*-devel` header package). */
const TOOLCHAIN_PACKAGES = new Set([
  'gcc',
  'g++',
  'gcc-c++',
  'cpp',
  'clang',
  'llvm',
  'build-essential',
  'build-base',
  'alpine-sdk',
  'make',
  'cmake',
  'ninja-build',
  'autoconf',
  'automake',
  'libtool',
  'linux-headers',
  'golang',
  'go',
  'rustc',
  'cargo',
  'maven',
  'gradle',
]);

function isToolchainPackage(pkg: string): boolean {
  return TOOLCHAIN_PACKAGES.has(pkg) || /-dev$/.test(pkg) || /-devel$/.test(pkg) || /^golang-\d/.test(pkg);
}

/** Packages one command (its wrappers peeled off) installs, as installedPackages() reads them. */
function packagesOf(cmd: Call): string[] {
  const out = new Set<string>();
  addInstalledPackages(cmd, out);
  return [...out];
}

const REMOVERS: Record<string, string[]> = {
  'apt-get': ['purge', 'remove', 'autoremove'],
  apt: ['purge', 'remove', 'autoremove'],
  apk: ['del'],
  yum: ['remove', 'erase'],
  dnf: ['remove', 'erase'],
  microdnf: ['remove'],
  zypper: ['remove', 'rm'],
};

const APT_GETS = new Set(['apt-get', 'apt']);

/** An `apt-mark auto` word that marks every package (`'.*'`, `*`). */
const MARK_ALL = /^\^?\.?\*\$?$/;

/** A package name as written, version pin and architecture removed (`gcc=4:12`, `gcc:amd64` → `gcc`). */

interface RunPackages {
  /** Packages the RUN installs that are still installed when it ends. */
  kept: ReadonlySet<string>;
  /** Each package the RUN installs: the index (in the script's commands) of its first install. */
  installedAt: ReadonlyMap<string, number>;
}

/**
 * The packages of a RUN's OS package installs that are still installed when the RUN ends: the RUN is
 * played in order. A removal (`apt-get purge NAME`, `apk del NAME` or the `--virtual` group) drops
 * what was installed before it; `apt-mark auto` marks packages automatic (`'.*'`: all of them), and
 * `apt-mark manual NAME` marks them manual again (as `apt-get install` does); `apt-get purge
 * --auto-remove` / `apt-get autoremove` then drops every apt package this RUN installed that is still
 * automatic. An `apt-mark manual` whose names are dynamic (`$savedAptMark`, `... | xargs apt-mark
 * manual`) keeps nothing this rule can name: the first re-marks what was manual before the RUN, the
 * second the libraries that `ldd` finds linked, not a compiler.
 */
function packagesIn(run: RunInstr): RunPackages {
  const kept = new Set<string>();
  const installedAt = new Map<string, number>();
  /** apt packages this RUN installed that are marked automatic. */
  const auto = new Set<string>();
  const groups = new Map<string, string[]>();
  const commands = calls(run.script);
  for (let at = 0; at < commands.length; at++) {
    const c = commands[at];
    const name = c.name;
    if (isPackageInstaller(name)) {
      const pkgs = packagesOf(c);
      for (const p of pkgs) {
        if (!installedAt.has(p)) installedAt.set(p, at);
        kept.add(p);
        auto.delete(p);
      }
      const group = virtualGroup(c);
      if (group) groups.set(group, [...(groups.get(group) ?? []), ...pkgs]);
    }
    if (name === 'apt-mark') {
      const [sub, ...names] = c.args.filter((a) => !a.value.startsWith('-'));
      if (sub?.value === 'auto' || sub?.value === 'markauto') {
        for (const w of names) {
          if (MARK_ALL.test(w.value)) for (const p of kept) auto.add(p);
          else if (!w.dynamic && kept.has(w.value)) auto.add(w.value);
        }
      } else if (sub?.value === 'manual' || sub?.value === 'unmarkauto') {
        for (const w of names) if (!w.dynamic) auto.delete(w.value);
      }
    }
    const subs = Object.hasOwn(REMOVERS, name) ? REMOVERS[name] : undefined;
    if (!subs) continue;
    const args = c.args;
    const i = args.findIndex((a) => subs.includes(a.value));
    if (i < 0) continue;
    for (let k = i + 1; k < args.length; k++) {
      const v = args[k].value;
      if (v.startsWith('-')) continue;
      for (const p of groups.get(v) ?? [pkgName(v)]) {
        kept.delete(p);
        auto.delete(p);
      }
    }
    const autoRemove = args[i].value === 'autoremove' || args.some((a) => a.value === '--auto-remove' || a.value === '--autoremove');
    if (APT_GETS.has(name) && autoRemove) {
      for (const p of auto) kept.delete(p);
      auto.clear();
    }
  }
  return { kept, installedAt };
}

/** The apk `--virtual NAME` / `-t NAME` group of an `apk add`, if any. */
function virtualGroup(cmd: Call): string | null {
  if (cmd.name !== 'apk') return null;
  for (let i = 0; i < cmd.args.length; i++) {
    const v = cmd.args[i].value;
    if (v === '--virtual' || v === '-t') return cmd.args[i + 1]?.value ?? null;
    if (v.startsWith('--virtual=')) return v.slice('--virtual='.length);
  }
  return null;
}

const firstSub = (cmd: Call): string | undefined => cmd.args.find((a) => !a.value.startsWith('-'))?.value;
const argValues = (cmd: Call): string[] => cmd.args.map((a) => a.value);

/** Command names `buildCommand` answers for (besides python*, pip*). */
const BUILD_NAMES = new Set([
  'go',
  'cargo',
  'mvn',
  'mvnw',
  'gradle',
  'gradlew',
  'dotnet',
  'gcc',
  'g++',
  'cc',
  'c++',
  'clang',
  'clang++',
  'make',
  'cmake',
  'javac',
]);

/**
 * The OS packages that bring the program of a build command (`buildCommand`'s first word): a RUN that
 * installs one of them and removes it again built with a toolchain the image does not keep.
 */
const BUILD_PROVIDERS: Record<string, readonly string[] | undefined> = {
  make: ['make', 'build-essential', 'build-base', 'alpine-sdk'],
  cmake: ['cmake'],
  gcc: ['gcc', 'build-essential', 'build-base', 'alpine-sdk'],
  cc: ['gcc', 'clang', 'build-essential', 'build-base', 'alpine-sdk'],
  'g++': ['g++', 'gcc-c++', 'build-essential', 'build-base', 'alpine-sdk'],
  'c++': ['g++', 'gcc-c++', 'clang', 'build-essential', 'build-base', 'alpine-sdk'],
  clang: ['clang'],
  'clang++': ['clang'],
  go: ['golang', 'go'],
  cargo: ['cargo'],
  mvn: ['maven'],
  gradle: ['gradle'],
};

/** Whether the RUN installed a package that brings `build`'s program before command `at`, and removes it again. */
function builtWithPurged(build: string, installedAt: ReadonlyMap<string, number>, kept: ReadonlySet<string>, at: number): boolean {
  const prog = build.split(' ')[0];
  const providers = Object.hasOwn(BUILD_PROVIDERS, prog) ? BUILD_PROVIDERS[prog] : undefined;
  if (!providers) return false;
  for (const [p, i] of installedAt) {
    if (i < at && !kept.has(p) && (providers.includes(p) || (prog === 'go' && /^golang-\d/.test(p)))) return true;
  }
  return false;
}

/** A build command (not a package install): what it is in words, or null. */
function buildCommand(cmd: Call): string | null {
  const name = cmd.name;
  if (!BUILD_NAMES.has(name) && !name.startsWith('python') && !name.startsWith('pip')) return null;
  const sub = firstSub(cmd);
  const args = argValues(cmd);
  if (name === 'go' && (sub === 'build' || sub === 'install')) return `go ${sub}`;
  if (name === 'cargo' && (sub === 'build' || sub === 'install')) return `cargo ${sub}`;
  if (name === 'mvn' || name === 'mvnw') {
    const goal = args.find((a) => a === 'package' || a === 'install' || a === 'verify');
    if (goal) return `mvn ${goal}`;
  }
  if (name === 'gradle' || name === 'gradlew') {
    const task = args.find((a) => ['build', 'assemble', 'jar', 'bootJar', 'installDist', 'shadowJar'].includes(a));
    if (task) return `gradle ${task}`;
  }
  if (name === 'dotnet' && (sub === 'build' || sub === 'publish')) return `dotnet ${sub}`;
  if (/^python(\d+(\.\d+)?)?$/.test(name)) {
    const m = args.indexOf('-m');
    if (m >= 0 && args[m + 1] === 'build') return 'python -m build';
    if (m >= 0 && /^pip\d?$/.test(args[m + 1] ?? '') && args[m + 2] === 'wheel') return 'pip wheel';
  }
  if (/^pip\d?(\.\d+)?$/.test(name) && sub === 'wheel') return 'pip wheel';
  if (['gcc', 'g++', 'cc', 'c++', 'clang', 'clang++', 'make', 'cmake', 'javac'].includes(name)) return name;
  return null;
}

/** `npm ci` / `npm install` (from package.json, dev dependencies included), yarn and pnpm alike. */
function isDevInstall(cmd: Call): boolean {
  const name = cmd.name;
  if (name !== 'npm' && name !== 'yarn' && name !== 'pnpm') return false;
  const args = argValues(cmd);
  const positional = args.filter((a) => !a.startsWith('-'));
  const prodOnly = args.some((a) => /^--(omit=dev|production|prod|only=prod(uction)?)$/.test(a) || a === '-P');
  if (prodOnly) return false;
  if (name === 'npm') return (positional[0] === 'ci' || positional[0] === 'install' || positional[0] === 'i') && positional.length === 1;
  if (name === 'yarn') return positional.length === 0 || (positional[0] === 'install' && positional.length === 1);
  if (name === 'pnpm') return (positional[0] === 'install' || positional[0] === 'i') && positional.length === 1;
  return false;
}

/** `npm run build`, `yarn build`, `pnpm run build` (and `build:*` scripts). */
function jsBuild(cmd: Call): string | null {
  const name = cmd.name;
  if (name !== 'npm' && name !== 'yarn' && name !== 'pnpm') return null;
  const positional = argValues(cmd).filter((a) => !a.startsWith('-'));
  const script = positional[0] === 'run' || positional[0] === 'run-script' ? positional[1] : name === 'npm' ? undefined : positional[0];
  if (script && /^build(:|$)/.test(script))
    return `${name}${positional[0] === 'run' || positional[0] === 'run-script' ? ` ${positional[0]}` : ''} ${script}`;
  return null;
}

function judge(image: Image): RawResult[] {
  const df = image.dockerfile;
  const target = image.name;
  const chain = stageChain(df, image.stage).reverse(); // root first, final stage last
  const finalName = stageLabel(image.stage);
  const inStage = (s: Stage) =>
    s.index !== image.stage.index
      ? `stage \`${stageLabel(s)}\`, which the final stage \`${finalName}\` inherits`
      : df.stages.length > 1
        ? `the final stage \`${finalName}\``
        : 'the only stage';
  const advice = 'build in an earlier stage (`FROM ... AS builder`) and `COPY --from=builder` only the artifacts into the final stage.';
  const out: RawResult[] = [];
  let devInstall = false;
  for (const s of chain) {
    for (const run of s.runs) {
      const { kept, installedAt } = packagesIn(run);
      const commands = calls(run.script);
      for (let at = 0; at < commands.length; at++) {
        const cmd = commands[at];
        const where = () => loc(df.path, cmd.cmd.range);
        const tools = isPackageInstaller(cmd.name) ? packagesOf(cmd).filter((p) => isToolchainPackage(p) && kept.has(p)) : [];
        if (tools.length > 0) {
          out.push(
            fail(
              target,
              where(),
              `This installs build tools (${tools.map((p) => `\`${p}\``).join(', ')}) in ${inStage(s)}, so compilers and headers ship in the ` +
                `image and hand an attacker a toolchain; ${advice}`,
            ),
          );
          continue;
        }
        const build = buildCommand(cmd);
        // Built with a toolchain this RUN installed before and removes again: it is gone from the image.
        if (build && builtWithPurged(build, installedAt, kept, at)) continue;
        if (build) {
          out.push(
            fail(target, where(), `\`${build}\` runs in ${inStage(s)}, so the build toolchain and sources ship in the image; ${advice}`),
          );
          continue;
        }
        if (isDevInstall(cmd)) {
          devInstall = true;
          continue;
        }
        const js = devInstall ? jsBuild(cmd) : null;
        if (js) {
          out.push(
            fail(
              target,
              where(),
              `\`${js}\` runs in ${inStage(s)} after installing dev dependencies, so build tooling and \`node_modules\` dev packages ship in the image; ${advice}`,
            ),
          );
        }
      }
    }
  }
  if (out.length > 0) return out;

  const sources: Stage[] = [];
  for (const s of chain) {
    for (const c of s.copies) {
      if (c.fromStage === null) continue;
      const src = df.stages[c.fromStage];
      if (!chain.includes(src) && !sources.includes(src)) sources.push(src);
    }
  }
  const names = (stages: Stage[]) => stages.map((s) => `\`${stageLabel(s)}\``).join(', ');
  if (sources.length > 0) {
    const evidence = `${names(sources)} → \`${finalName}\` stages`;
    return [
      pass(target, fromLoc(image), `the final stage copies its artifacts from ${names(sources)} and installs no build tools`, evidence),
    ];
  }
  if (chain.length > 1) {
    const evidence = `${names(chain.slice(0, -1))} → \`${finalName}\` stages`;
    return [pass(target, fromLoc(image), `the final stage and the stages it inherits install no build tools`, evidence)];
  }
  return [pass(target, fromLoc(image), 'a single stage that installs and runs no build tools', 'single stage, no build tools')];
}

const rule: Rule = {
  meta: {
    id: 'dockerfile/multi-stage',
    title: 'Build tools stay out of the final image',
    severity: 'medium',
    family: 'dockerfile',
    target: 'image',
    env: 'all',
    aliases: [],
    rationale:
      'Compilers, `-dev` header packages and language build tools are needed to build an application, not to run it. Left in the ' +
      'final image they add hundreds of megabytes and many packages to patch, and they hand anyone who gets code execution in the ' +
      'container a ready toolchain to compile exploits. A multi-stage build compiles in a `builder` stage and copies only the ' +
      'artifacts (wheels, a virtualenv, a binary, a `dist/` folder) into a clean runtime stage. Commands are read with their ' +
      'wrappers (`sudo`, `env X=1`, `xargs`...) peeled off. Build packages that the same RUN ' +
      'removes again do not stay in a layer and are not reported: `apt-get purge NAME`, `apk del` of the `--virtual` group, and ' +
      "the docker-library pattern `apt-mark auto '.*'` followed by `apt-get purge --auto-remove` (or `apt-get autoremove`), which " +
      'removes what the RUN installed before the marking except the packages `apt-mark manual` names again. The RUN is read in ' +
      'order: a removal before the install, or an install after the marking, removes nothing. An `apt-mark manual` with dynamic ' +
      'names keeps none of them: `$savedAptMark` re-marks what was manual before the RUN, and the `ldd ... | dpkg-query --search ' +
      '| xargs apt-mark manual` lists re-mark the runtime libraries the build links, not a compiler. A build command (`make`, ' +
      '`cmake`, `gcc`, `go build`...) passes when the same RUN installed, before it, a package that brings its program ' +
      '(`make`, `build-essential`, `build-base`, `golang`...) and removes that package again: the toolchain that ran is gone from ' +
      'the image and only the build output stays, which is the single-RUN build-and-purge technique of the official images ' +
      '(whether the RUN also deletes its sources is not checked). When the program comes from the base image or an earlier RUN ' +
      'it still ships, and the command fails.',
    fix: 'Move the build into an earlier stage (`FROM python:3.12-slim AS builder`) and `COPY --from=builder` only the built artifacts into the final stage.',
    examples: {
      bad: {
        file: 'Dockerfile',
        content:
          'FROM python:3.12-slim\nRUN apt-get update && apt-get install -y --no-install-recommends gcc libpq-dev \\\n    && rm -rf /var/lib/apt/lists/*\nCOPY . /app\nRUN pip install --no-cache-dir /app\nCMD ["python", "-m", "app"]\n',
      },
      good: {
        file: 'Dockerfile',
        content:
          'FROM python:3.12-slim AS builder\nRUN apt-get update && apt-get install -y --no-install-recommends gcc libpq-dev \\\n    && rm -rf /var/lib/apt/lists/*\nCOPY . /src\nRUN pip wheel --no-cache-dir --wheel-dir /wheels /src\n\n' +
          'FROM python:3.12-slim AS runtime\nCOPY --from=builder /wheels /wheels\nRUN pip install --no-cache-dir /wheels/*.whl\nCMD ["python", "-m", "app"]\n',
      },
    },
  },
  check(project) {
    return project.images.flatMap(judge);
  },
};

export default rule;
