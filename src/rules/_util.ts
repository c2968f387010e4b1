/** Small helpers shared by rules: locations and result constructors. No I/O. */
import { loc } from '../model/location.js';
import type { Image } from '../model/project.js';
import type { ShellCommand } from '../model/shell.js';
import { baseName } from '../parse/shell.js';
import type { Location, RawResult, Severity } from '../types.js';

export { loc };

/** Location of the image's FROM line (where absence findings point). */
export function fromLoc(image: Image): Location {
  return loc(image.dockerfile.path, image.stage.from.instr.range);
}

// The three constructors build results of one object shape (every key present, absent ones
// undefined): the engine reads tens of thousands of results, and reading them is cheaper when they
// share a shape than when each rule's mix of shapes makes every read a megamorphic lookup.

export function pass(target: string, location: Location, message: string, evidence?: string): RawResult {
  return { status: 'pass', target, location, message, evidence, severity: undefined };
}

export function fail(target: string, location: Location, message: string, severity?: Severity): RawResult {
  return { status: 'fail', target, location, message, evidence: undefined, severity: severity || undefined };
}

export function unknown(target: string, location: Location, message: string): RawResult {
  return { status: 'unknown', target, location, message, evidence: undefined, severity: undefined };
}

/** Command name without its directory (`/usr/bin/curl` → `curl`). */
export function cmdName(cmd: ShellCommand): string {
  return baseName(cmd.name);
}

/** Whether a command has a flag (`-k`, `--insecure`), including combined short flags (`-fsSLk`). */
export function hasFlag(cmd: ShellCommand, short: string | null, long: string | null): boolean {
  return cmd.args.some((a) => {
    const v = a.value;
    if (long && (v === long || v.startsWith(`${long}=`))) return true;
    if (short && v.length > 1 && v[0] === '-' && v[1] !== '-') return v.slice(1).includes(short);
    return false;
  });
}
