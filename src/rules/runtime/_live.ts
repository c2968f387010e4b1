/** Helpers shared by runtime/ rules: iterating containers, locating them in the static model. Pure. */
import type { Environment, Service } from '../../model/compose.js';
import { type ContainerFacts, composeProjectOf, type LiveContext, type ProcessFacts, sameFile } from '../../live/model.js';
import type { Location, RawResult, RuleExample } from '../../types.js';

/** Where a result points when the static model does not know the container's service. */
export const NO_LOCATION: Location = { file: '', line: 1, column: 1, endLine: 1, endColumn: 1 };

/**
 * The environment a container was started from: among those holding every file of the container's
 * `config_files` label, the one with the fewest other files (an `include`d file is in the
 * environment but not in the label); else the production environment; else the first.
 */
function environmentOf(ctx: LiveContext, c: ContainerFacts): Environment | null {
  const compose = composeProjectOf(ctx);
  if (!compose || compose.environments.length === 0) return null;
  const files = c.configFiles;
  if (files && files.length > 0) {
    let best: { env: Environment; extra: number } | null = null;
    for (const env of compose.environments) {
      if (!files.every((f) => env.files.some((r) => sameFile(f, r)))) continue;
      const extra = env.files.filter((r) => !files.some((f) => sameFile(f, r))).length;
      if (!best || extra < best.extra) best = { env, extra };
    }
    if (best) return best.env;
  }
  return compose.environments.find((e) => e.isProd) ?? compose.environments[0];
}

/** The static model's service for a container (by its `com.docker.compose.service` label). */
function serviceOf(ctx: LiveContext, c: ContainerFacts): Service | null {
  if (!c.service) return null;
  const env = environmentOf(ctx, c);
  const inEnv = env?.services.find((s) => s.name === c.service);
  if (inEnv) return inEnv;
  for (const e of composeProjectOf(ctx)?.environments ?? []) {
    const s = e.services.find((x) => x.name === c.service);
    if (s) return s;
  }
  return null;
}

/** The service's line in the compose file when the static model maps the container, else NO_LOCATION. */
export function containerLoc(ctx: LiveContext, c: ContainerFacts): Location {
  const svc = serviceOf(ctx, c);
  if (!svc) return { ...NO_LOCATION };
  const p = svc.keyProv;
  return { file: p.file, line: p.range.line, column: p.range.column, endLine: p.range.endLine, endColumn: p.range.endColumn };
}

/** Runs `judge` for every container, with the target (the container's name) and location filled in. */
export function eachContainer(
  ctx: LiveContext,
  judge: (c: ContainerFacts, at: Pick<RawResult, 'target' | 'location'>) => RawResult | RawResult[] | null,
): RawResult[] {
  const out: RawResult[] = [];
  for (const c of ctx.snapshot.containers) {
    const r = judge(c, { target: c.name, location: containerLoc(ctx, c) });
    if (r === null) continue;
    if (Array.isArray(r)) out.push(...r);
    else out.push(r);
  }
  return out;
}

export function pass(at: Pick<RawResult, 'target' | 'location'>, message: string, evidence: string): RawResult {
  return { status: 'pass', ...at, message, evidence };
}

export function fail(at: Pick<RawResult, 'target' | 'location'>, message: string, severity?: RawResult['severity']): RawResult {
  return severity ? { status: 'fail', ...at, message, severity } : { status: 'fail', ...at, message };
}

export function unknown(at: Pick<RawResult, 'target' | 'location'>, message: string): RawResult {
  return { status: 'unknown', ...at, message };
}

/** Inline code for evidence and messages (backticks in the text are dropped). */
export function code(text: string, max = 80): string {
  const t = text.replace(/`/g, "'").replace(/\s+/g, ' ').trim();
  return `\`${t.length > max ? `${t.slice(0, max - 1)}…` : t}\``;
}

/** `appuser` (UID 1001), as `whoami` would name the process's user; `UID 1001` when the container has no name for it. */
export function whoami(p: ProcessFacts, c: ContainerFacts): string {
  if (p.uid === null) return p.hostUser ? `user \`${p.hostUser}\` (UID not reported)` : 'an unknown user';
  const name = p.user ?? configUserName(c, p.uid);
  return name ? `\`${name}\` (UID ${p.uid})` : `UID ${p.uid}`;
}

/**
 * `Config.User` as a name, when it is one and the container has no `/etc/passwd` to ask and every
 * process runs as one UID (then that is the user `USER` named).
 */
function configUserName(c: ContainerFacts, uid: number): string | null {
  if (c.passwd !== null) return null;
  const u = c.user.split(':')[0];
  if (!u || /^\d+$/.test(u)) return uid === 0 ? 'root' : null;
  const uids = new Set((c.processes ?? []).map((p) => p.uid));
  return uids.size === 1 && uids.has(uid) ? u : uid === 0 ? 'root' : null;
}

/** A compose-snippet example for runtime rules. */
export function composeExample(content: string): RuleExample {
  return { file: 'docker-compose.yml', content };
}
