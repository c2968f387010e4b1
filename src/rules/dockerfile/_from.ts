/** Helpers shared by the dockerfile/ rules about FROM lines and stages. Pure. */
import type { DockerfileModel, FromRef, Stage } from '../../model/dockerfile.js';

/** How a stage is named in messages and evidence: its `AS` name, or `stage N` when unnamed. */
export function stageLabel(stage: Stage): string {
  return stage.name ?? `stage ${stage.index}`;
}

/** An image reference for messages and evidence: as resolved, with a long digest shortened. */
export function showRef(from: FromRef): string {
  const ref = from.resolved ?? from.raw;
  return ref.replace(/@(sha256:[0-9a-f]{12})[0-9a-f]{20,}$/i, '@$1…');
}

/** The resolved reference without its digest (`python:3.12-slim@sha256:…` → `python:3.12-slim`). */
export function refWithoutDigest(from: FromRef): string {
  const ref = from.resolved ?? from.raw;
  const at = ref.indexOf('@');
  return at < 0 ? ref : ref.slice(0, at);
}

/** When the FROM went through ARG substitution: ` (written \`node:${TAG}\`)`, else ''. */
export function writtenAs(from: FromRef): string {
  return from.resolved !== null && from.raw !== from.resolved ? ` (written \`${from.raw}\`, resolved from ARG defaults)` : '';
}

/** Why a FROM could not be resolved, for unknown results. */
export function unresolvedReason(from: FromRef): string {
  const vars = [...new Set(from.unresolved)];
  if (vars.length === 0) return `\`FROM ${from.raw}\` cannot be resolved`;
  const names = vars.map((v) => `\`${v}\``).join(', ');
  return `\`FROM ${from.raw}\` cannot be resolved: ${names} ${vars.length === 1 ? 'has' : 'have'} no default and ${vars.length === 1 ? 'is' : 'are'} only known at build time`;
}

/** FROMs of the Dockerfile that pull an external image (not a stage, not scratch), in order. */
export function externalFroms(df: DockerfileModel): FromRef[] {
  return df.stages.map((s) => s.from).filter((f) => f.stageRef === null && !f.scratch);
}
