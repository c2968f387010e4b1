/**
 * One finding per line to change: a value shared by several services through a YAML anchor or
 * `extends` stands at one place in the file, so a rule reports it once per environment and names the
 * other services it reaches. No I/O.
 */
import type { RawResult } from '../types.js';

export interface SharedFails {
  /** Add a fail of `service`; a fail at the same place in the same environment is merged into the first. */
  add(r: RawResult, service: string): void;
  /** Append "also ..." to merged findings. Call once, after the last add. */
  finish(): void;
}

export function sharedFails(out: RawResult[]): SharedFails {
  const groups = new Map<string, { r: RawResult; services: string[] }>();
  return {
    add(r, service) {
      const l = r.location;
      const k = `${r.environment ?? ''}\0${l.file}:${l.line}:${l.column}:${l.endLine}:${l.endColumn}`;
      const g = groups.get(k);
      if (g) {
        if (!g.services.includes(service)) g.services.push(service);
        return;
      }
      groups.set(k, { r, services: [service] });
      out.push(r);
    },
    finish() {
      for (const g of groups.values()) {
        if (g.services.length < 2) continue;
        const others = g.services.slice(1).map((s) => `\`${s}\``);
        g.r.message += ` The same line also applies to ${others.join(', ')} (a shared anchor or \`extends\`).`;
      }
    },
  };
}
