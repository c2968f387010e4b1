/** `security_opt:` items read as options (`no-new-privileges:true`, `seccomp=unconfined`, `label:disable`). No I/O. */
import type { Environment, Service } from '../../model/compose.js';
import type { PNode } from '../../parse/yaml.js';
import { items, sget } from '../_compose.js';
import { resolve } from '../_compose-values.js';

export interface SecurityOpt {
  node: PNode;
  /** As written. */
  raw: string;
  /** Option name, lower-case (`no-new-privileges`, `seccomp`, `apparmor`, `label`, `systempaths`); null when it comes from a variable without default. */
  name: string | null;
  /** The value after `:`/`=`; null when the option is bare (`no-new-privileges`). */
  value: string | null;
}

/** The service's `security_opt` items (interpolation resolved with defaults). */
export function securityOpts(env: Environment, svc: Service): SecurityOpt[] {
  const out: SecurityOpt[] = [];
  for (const node of items(sget(svc, 'security_opt'))) {
    const r = resolve(env, node);
    if (!r) continue;
    if (r.value === null) {
      out.push({ node, raw: r.raw, name: null, value: null });
      continue;
    }
    const m = /^([^:=]+)(?:[:=](.*))?$/.exec(r.value.trim());
    out.push({ node, raw: r.raw, name: m ? m[1].trim().toLowerCase() : r.value, value: m?.[2] !== undefined ? m[2].trim() : null });
  }
  return out;
}

/** Go's strconv.ParseBool, which dockerd uses for `no-new-privileges:<bool>`; null when not a boolean. */
export function parseBool(v: string): boolean | null {
  if (/^(1|t|true)$/i.test(v)) return true;
  if (/^(0|f|false)$/i.test(v)) return false;
  return null;
}
