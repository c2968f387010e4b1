/** Dockerfile variable substitution: `$VAR`, `${VAR}`, `${VAR:-default}`, `${VAR-default}`, `${VAR:+alt}`, `${VAR+alt}`. */
import type { Resolved, VarValue } from '../model/dockerfile.js';

const RE = /\\\$|\$(?:\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-+])((?:[^{}]|\{[^{}]*\})*))?\}|([A-Za-z_][A-Za-z0-9_]*))/g;

/**
 * Substitute variables from `vars`. A variable that is unknown or declared without a value makes
 * the result unknown (value null), unless a default form supplies one.
 */
export function substitute(text: string, vars: ReadonlyMap<string, VarValue>): Resolved {
  if (!text.includes('$')) return { value: text, unresolved: [] };
  const unresolved: string[] = [];
  const value = text.replace(RE, (m, braced: string | undefined, op: string | undefined, word: string | undefined, bare: string | undefined) => {
    if (m === '\\$') return '$';
    const name = (braced ?? bare) as string;
    const v = vars.get(name);
    const val = v ? v.value : null;
    const known = v !== undefined && val !== null;
    if (op === ':-' || op === '-') {
      const useDefault = op === ':-' ? !known || val === '' : v === undefined;
      if (useDefault) {
        const inner = substitute(word ?? '', vars);
        unresolved.push(...inner.unresolved);
        return inner.value ?? '';
      }
    } else if (op === ':+' || op === '+') {
      if (!known) {
        if (v === undefined || val === '') return '';
        unresolved.push(name);
        return '';
      }
      const inner = substitute(word ?? '', vars);
      unresolved.push(...inner.unresolved);
      return inner.value ?? '';
    }
    if (!known) {
      unresolved.push(name);
      return '';
    }
    return val as string;
  });
  return unresolved.length ? { value: null, unresolved } : { value, unresolved };
}
