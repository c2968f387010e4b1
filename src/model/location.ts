/** A model range in a file as a result Location (1-based, end column exclusive). */
import type { Location } from '../types.js';
import type { Range } from './dockerfile.js';

export function loc(file: string, r: Range): Location {
  return { file, line: r.line, column: r.column, endLine: r.endLine, endColumn: r.endColumn };
}
