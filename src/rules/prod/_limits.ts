/** Reading limit values (`cpus`, `memory`, `pids`, log sizes) as written, for the prod/ rules. No I/O. */
import { type PNode, str } from '../../parse/yaml.js';

/** A scalar as written (numbers as YAML read them: `2.0` → `2`, so quote to keep the form); maps and lists as `…`. */
export function asWritten(n: PNode): string {
  return str(n) ?? '…';
}

/** True when a limit value means "no limit": `0` (and `-1` where `negative` is allowed to mean unlimited). Interpolated values are not judged. */
export function isUnlimited(n: PNode, negative = true): boolean {
  const v = str(n);
  if (v === undefined || v.includes('$')) return false;
  const t = v.trim();
  if (/^0+(?:\.0*)?[a-z]*$/i.test(t)) return true;
  return negative && /^-1$/.test(t);
}
