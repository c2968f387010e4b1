/** Reading compose scalars as compose would see them after interpolation, when that can be known. No I/O. */
import { composeBool } from '../compose/values.js';
import type { Environment } from '../model/compose.js';
import { interpolate } from '../parse/interpolate.js';
import { type PNode, str } from '../parse/yaml.js';

export interface Resolved {
  /** The value after interpolation with the project's `.env` and the defaults written in `${X:-d}`; null when a variable has neither. */
  value: string | null;
  /** As written. */
  raw: string;
  /** Whether the written value uses variables. */
  interpolated: boolean;
}

/** A scalar's value as compose would use it; undefined when the node is absent or not a scalar. */
export function resolve(env: Environment, n: PNode | undefined): Resolved | undefined {
  const raw = str(n);
  if (raw === undefined) return undefined;
  if (!raw.includes('$')) return { value: raw, raw, interpolated: false };
  const r = interpolate(raw, env.dotenv);
  return { value: r.value !== null && r.missing.length === 0 ? r.value : null, raw, interpolated: true };
}

/** Compose booleans after interpolation, as compose reads them (`true`, `yes`, `on`, ...: composeBool). null when unknown. */
export function boolOf(env: Environment, n: PNode | undefined): boolean | null | undefined {
  const r = resolve(env, n);
  if (!r) return undefined;
  if (r.value === null) return null;
  return composeBool(r.value) === true;
}

/** A capability name as Docker reads it: upper case, without the `CAP_` prefix (`cap_sys_admin` → `SYS_ADMIN`). */
export function capName(s: string): string {
  return s.trim().toUpperCase().replace(/^CAP_/, '');
}
