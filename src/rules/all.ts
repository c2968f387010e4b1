/**
 * Every rule seaworthy knows: the static rules `check` runs (src/rules/index.ts) and the live rules
 * `verify` runs (src/rules/runtime/index.ts). The config validates rule ids against this union, and
 * the catalogue (`rules`, `explain`, docs/rules) lists it. Running rules always picks one registry.
 */
import type { RuleMeta } from '../types.js';
import { RULES } from './index.js';
import { RUNTIME_RULES } from './runtime/index.js';

/** What every registry entry has in common: its metadata. */
export interface AnyRule {
  meta: RuleMeta;
}

export const ALL_RULES: readonly AnyRule[] = [...RULES, ...RUNTIME_RULES];

export const ALL_RULES_BY_ID: ReadonlyMap<string, AnyRule> = new Map(ALL_RULES.map((r) => [r.meta.id, r]));
