/** Whether to colour output, and the colour functions. */
import pc from 'picocolors';
import type { Colors } from 'picocolors/types.js';

export type { Colors };

/**
 * NO_COLOR set and non-empty → off; otherwise FORCE_COLOR set and not `0` → on; otherwise colour
 * when the stream is a terminal.
 */
export function shouldColor(stream: { isTTY?: boolean }, env: Record<string, string | undefined> = process.env): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0') return true;
  return stream.isTTY === true;
}

export function colors(enabled: boolean): Colors {
  return pc.createColors(enabled);
}
