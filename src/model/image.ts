/**
 * Derived facts about an image (a stage of a Dockerfile and everything it inherits): its external
 * base, effective user, reachable stages, installed packages and available programs. Pure functions
 * over the Dockerfile model, computed once per image by the project builder or memoized.
 */
import { type BaseImageFacts, lookupBaseImage, type Tool } from '../knowledge/base-images.js';
import { baseName } from '../parse/shell.js';
import type { DockerfileModel, EffectiveUser, FromRef, Stage } from './dockerfile.js';
import type { ShellWord } from './shell.js';

/** The stage and its ancestors through `FROM <stage>`, the stage itself first. */
export function stageChain(df: DockerfileModel, stage: Stage): Stage[] {
  const out: Stage[] = [stage];
  let s = stage;
  // Chains are a few stages long: the cycle guard searches the chain itself (no Set per call).
  while (s.parent !== null && !includesIndex(out, s.parent)) {
    s = df.stages[s.parent];
    out.push(s);
  }
  return out;
}

function includesIndex(stages: Stage[], index: number): boolean {
  for (let i = 0; i < stages.length; i++) if (stages[i].index === index) return true;
  return false;
}

/** The external image at the root of a stage chain. */
export function rootFrom(df: DockerfileModel, stage: Stage): FromRef {
  const chain = stageChain(df, stage);
  return chain[chain.length - 1].from;
}

/** Facts per stage: rules ask for them many times per image (every tool a probe or script needs); the model does not change. */
const factsOfStage = new WeakMap<Stage, BaseImageFacts | null | 'unresolved'>();

/** Knowledge about the external base, `null` when unknown, `'unresolved'` when the FROM could not be resolved. */
export function baseFacts(df: DockerfileModel, stage: Stage): BaseImageFacts | null | 'unresolved' {
  let facts = factsOfStage.get(stage);
  if (facts === undefined) {
    const from = rootFrom(df, stage);
    if (from.scratch) facts = lookupBaseImage('scratch', null);
    else if (from.resolved === null || from.name === null) facts = 'unresolved';
    else facts = lookupBaseImage(from.name, from.tag, from.digest !== null);
    factsOfStage.set(stage, facts);
  }
  return facts;
}

/**
 * Why `baseFacts` knows nothing about an external base: pinned by digest alone, its variant (slim,
 * alpine, full) cannot be read from the reference; otherwise the image is not in the knowledge.
 */
export function unknownBaseWhy(from: FromRef): string {
  const full = from.resolved ?? from.raw;
  const ref = full.includes('@') ? full.slice(0, full.indexOf('@')) : full;
  if (from.tag === null && from.digest !== null) {
    return `\`${ref}@…\` is pinned by digest alone, which does not tell its variant (slim, alpine or full)`;
  }
  return `\`${ref}\` is not in seaworthy's base-image knowledge`;
}

/** Stages the image needs: itself, its ancestors and every `COPY --from` source, transitively. */
export function reachableStages(df: DockerfileModel, stage: Stage): Stage[] {
  const seen = new Set<number>();
  const todo = [stage.index];
  while (todo.length) {
    const i = todo.pop() as number;
    if (seen.has(i)) continue;
    seen.add(i);
    const s = df.stages[i];
    if (s.parent !== null) todo.push(s.parent);
    for (const c of s.copies) if (c.fromStage !== null) todo.push(c.fromStage);
  }
  return df.stages.filter((s) => seen.has(s.index));
}

export function effectiveUser(df: DockerfileModel, stage: Stage): EffectiveUser {
  const chain = stageChain(df, stage);
  const facts = baseFacts(df, stage);
  const knownUsers = facts && facts !== 'unresolved' ? facts.users : {};
  for (const s of chain) {
    const ui = s.users[s.users.length - 1];
    if (!ui) continue;
    if (ui.user === null) {
      return { source: 'unknown', user: null, uid: null, isRoot: null, userInstr: ui, stageIndex: s.index, uidSource: null };
    }
    const user = ui.user;
    let uid: number | null = null;
    let uidSource: string | null = null;
    if (/^\d+$/.test(user)) {
      uid = Number(user);
      uidSource = 'numeric USER';
    } else if (user === 'root') {
      uid = 0;
      uidSource = 'root';
    } else {
      for (const c of chain) {
        const created = c.createdUsers.get(user);
        if (created) {
          uid = created.uid;
          uidSource = created.uid !== null ? `created with UID ${created.uid} (line ${created.range.line})` : null;
          break;
        }
      }
      if (uid === null && knownUsers[user] !== undefined) {
        uid = knownUsers[user];
        uidSource = `\`${user}\` user of the base image`;
      }
    }
    const isRoot = user === 'root' || uid === 0;
    return { source: 'instruction', user, uid, isRoot, userInstr: ui, stageIndex: s.index, uidSource };
  }
  if (facts === 'unresolved') {
    return { source: 'unknown', user: null, uid: null, isRoot: null, userInstr: null, stageIndex: null, uidSource: null };
  }
  if (facts?.defaultUser) {
    return {
      source: 'base',
      user: facts.defaultUser.name,
      uid: facts.defaultUser.uid,
      isRoot: false,
      userInstr: null,
      stageIndex: null,
      uidSource: 'default user of the base image',
    };
  }
  return {
    source: 'default-root',
    user: 'root',
    uid: 0,
    isRoot: true,
    userInstr: null,
    stageIndex: null,
    uidSource: facts ? 'the base image runs as root' : "Docker's default (the base image is not in seaworthy's knowledge)",
  };
}

const INSTALLERS: Record<string, { sub: string[]; skipOpts: Set<string> }> = {
  'apt-get': { sub: ['install'], skipOpts: new Set(['-t', '--target-release', '-o']) },
  apt: { sub: ['install'], skipOpts: new Set(['-t', '-o']) },
  apk: { sub: ['add'], skipOpts: new Set(['-X', '--repository', '-t', '--virtual', '-p', '--root']) },
  yum: { sub: ['install'], skipOpts: new Set() },
  dnf: { sub: ['install'], skipOpts: new Set() },
  microdnf: { sub: ['install'], skipOpts: new Set() },
  zypper: { sub: ['install', 'in'], skipOpts: new Set() },
};

/** Packages installed by OS package managers in the given stages (names as written, version pins removed). */
export function installedPackages(stages: Stage[]): Set<string> {
  const out = new Set<string>();
  for (const s of stages) {
    for (const r of s.runs) {
      for (const c of r.script?.commands ?? []) addInstalledPackages(c, out);
    }
  }
  return out;
}

/**
 * Packages one command installs with an OS package manager, as `installedPackages` reads them, into `out`
 * (a ShellCommand, or a command with its wrappers peeled off: its program and arguments).
 */
export function addInstalledPackages(c: { name: string; args: readonly ShellWord[] }, out: Set<string>): void {
  const bn = baseName(c.name);
  const inst = Object.hasOwn(INSTALLERS, bn) ? INSTALLERS[bn] : undefined;
  if (!inst) return;
  const subIdx = c.args.findIndex((a) => inst.sub.includes(a.value));
  if (subIdx < 0) return;
  for (let i = subIdx + 1; i < c.args.length; i++) {
    const v = c.args[i].value;
    if (inst.skipOpts.has(v)) {
      i++;
      continue;
    }
    if (v.startsWith('-')) continue;
    out.add(pkgName(v));
  }
}

/** A package argument's name without its version or architecture (`gcc=4:12.2.0-3`, `libssl-dev:amd64`, `py3-pip>=23`). */
export function pkgName(v: string): string {
  return v.replace(/[=<>~].*$/, '').replace(/:.*$/, '');
}

/** Whether `addInstalledPackages` reads a command of this name (basename): an OS package manager. */
export function isPackageInstaller(name: string): boolean {
  // The same lookup as addInstalledPackages (inherited properties included), so both agree on every name.
  return Object.hasOwn(INSTALLERS, name);
}

// hasTool is asked about every program of every healthcheck and start command of an image: a stage's
// chain and the packages it installs are read once per (immutable) stage, and only read after.
const chainFactsOf = new WeakMap<Stage, { df: DockerfileModel; chain: Stage[]; pkgs: Set<string> }>();

function chainFacts(df: DockerfileModel, stage: Stage): { chain: Stage[]; pkgs: Set<string> } {
  let facts = chainFactsOf.get(stage);
  if (facts === undefined || facts.df !== df) {
    const chain = stageChain(df, stage);
    facts = { df, chain, pkgs: installedPackages(chain) };
    chainFactsOf.set(stage, facts);
  }
  return facts;
}

/** Packages that provide a program, per program. */
const PROVIDERS: Record<Tool, string[]> = {
  sh: ['bash', 'dash', 'busybox', 'busybox-static'],
  bash: ['bash'],
  curl: ['curl', 'curl-minimal'],
  wget: ['wget', 'busybox', 'busybox-static'],
  nc: ['netcat', 'netcat-openbsd', 'netcat-traditional', 'nmap-ncat', 'ncat', 'busybox', 'busybox-static'],
  python: ['python3', 'python', 'python3-minimal'],
  node: ['nodejs'],
  busybox: ['busybox', 'busybox-static'],
};

export interface ToolPresence {
  /** true/false when known, null when unknown. */
  present: boolean | null;
  /** How it was decided. */
  reason: string;
}

/**
 * Whether the image (stage + ancestors) has a program: from the base knowledge, packages its RUNs
 * install, or a COPY that puts a file of that name in place. A program the base image ships is
 * credited to the base image, even when a package that can provide it is installed too: Alpine's
 * `/bin/sh` is busybox's whatever `apk add bash` adds (nginx-wsgi-flask said "installed by `bash`").
 */
export function hasTool(df: DockerfileModel, stage: Stage, tool: Tool | string): ToolPresence {
  const facts = baseFacts(df, stage);
  const { chain, pkgs } = chainFacts(df, stage);
  const from = chain[chain.length - 1].from;
  const v = facts && facts !== 'unresolved' ? facts.tools[tool as Tool] : undefined;
  if (v === true) return { present: true, reason: `\`${from.resolved}\` ships \`${tool}\`` };
  const providers = (Object.hasOwn(PROVIDERS, tool) ? PROVIDERS[tool as Tool] : undefined) ?? [tool];
  const pkg = providers.find((p) => pkgs.has(p));
  if (pkg) return { present: true, reason: `installed by \`${pkg}\`` };
  for (const s of chain) {
    for (const c of s.copies) {
      const dest = c.dest?.value ?? '';
      const srcs = c.sources.map((w) => baseName(w.value));
      if (baseName(dest) === tool || (dest.endsWith('/') && srcs.includes(tool))) {
        return { present: true, reason: `copied in at line ${c.instr.range.line}` };
      }
    }
  }
  if (facts === 'unresolved') return { present: null, reason: `the base image \`${from.raw}\` is not resolved` };
  if (!facts) return { present: null, reason: unknownBaseWhy(from) };
  if (v === undefined) return { present: null, reason: `not known whether \`${from.resolved}\` ships \`${tool}\`` };
  // (v is false: a base that ships the tool returned at the top.)
  return { present: false, reason: `\`${from.resolved}\` (${facts.variant}) has no \`${tool}\`` };
}
