/** Result shapes shared by the dockerfile/ rules. Pure. */
import type { Image } from '../../model/project.js';
import type { RawResult } from '../../types.js';
import { fromLoc, pass } from '../_util.js';

/**
 * An image's results for a rule that collects failures and evidence over its RUNs: the failures if any,
 * else one pass at the FROM, `passed: <evidence>` when something was judged and `none` when nothing applied.
 */
export function imageVerdict(image: Image, fails: RawResult[], evidence: string[], passed: string, none: string): RawResult[] {
  if (fails.length) return fails;
  if (evidence.length === 0) return [pass(image.name, fromLoc(image), none, none)];
  const shown = evidence.join(', ');
  return [pass(image.name, fromLoc(image), `${passed}: ${shown}`, shown)];
}
