/** Helpers shared by the dockerfile/ rules about the runtime user. Pure. */
import type { EffectiveUser, UserInstr } from '../../model/dockerfile.js';

/** Whether a `user:`/USER spec (`root`, `0`, `root:root`, `0:0`) means root. */
export function isRootSpec(spec: string): boolean {
  const u = spec.trim().split(':')[0];
  return u === 'root' || /^0+$/.test(u);
}

/**
 * The evidence for a non-root user: `` `appuser` (UID 1001) ``, `UID 1001` for a numeric USER,
 * `` `nonroot` (UID 65532, base default) `` for a base image's default, `` `appuser` `` when the UID
 * is not known.
 */
export function userEvidence(u: EffectiveUser): string {
  if (u.user === null) return 'unknown user';
  if (u.source === 'base') return u.uid !== null ? `\`${u.user}\` (UID ${u.uid}, base default)` : `\`${u.user}\` (base default)`;
  if (/^\d+$/.test(u.user)) return `UID ${Number(u.user)}`;
  return u.uid !== null ? `\`${u.user}\` (UID ${u.uid})` : `\`${u.user}\``;
}

/** `USER ${APP_USER}` cannot be resolved: why, in words. */
export function unresolvedUser(ui: UserInstr): string {
  const vars = [...new Set(ui.resolved.unresolved)];
  const names = vars.map((v) => `\`${v}\``).join(', ');
  return vars.length
    ? `\`USER ${ui.raw}\` cannot be resolved: ${names} ${vars.length === 1 ? 'has' : 'have'} no default, so the user is only known at build time`
    : `\`USER ${ui.raw}\` cannot be resolved`;
}
