/** Helpers shared by the dockerfile/ rules about FROM lines and stages. Pure. */
import type { DockerfileModel, FromRef, Stage } from '../../model/dockerfile.js';
import { rootFrom } from '../../model/image.js';
import type { Image } from '../../model/project.js';
import type { RawResult } from '../../types.js';
import { fail, fromLoc, loc, pass, unknown } from '../_util.js';

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
function externalFroms(df: DockerfileModel): FromRef[] {
  return df.stages.map((s) => s.from).filter((f) => f.stageRef === null && !f.scratch);
}

/** How a pinning rule words its findings. */
export interface PinPolicy {
  /** Ends the unknown message after `…, so whether the base is pinned`. */
  unresolved: string;
  /** The fail message for a resolved external FROM that is not pinned enough, or null when it is. */
  problem(from: FromRef, name: string): string | null;
  /** Ends the pass message after `every external FROM is pinned`. */
  pinnedBy: string;
}

/** Judges every external FROM of the image against a pinning policy: unknown/fail per offending FROM, else one pass at the root FROM. */
export function judgePins(image: Image, policy: PinPolicy): RawResult[] {
  const df = image.dockerfile;
  const target = image.name;
  const out: RawResult[] = [];
  const pinned: string[] = [];
  for (const from of externalFroms(df)) {
    const where = loc(df.path, from.imageRange);
    if (from.resolved === null || from.name === null) {
      out.push(unknown(target, where, `${unresolvedReason(from)}, so whether the base is pinned${policy.unresolved}`));
      continue;
    }
    const problem = policy.problem(from, from.name);
    if (problem === null) {
      const ref = showRef(from);
      if (!pinned.includes(ref)) pinned.push(ref);
      continue;
    }
    out.push(fail(target, where, problem));
  }
  if (out.length > 0) return out;
  const root = rootFrom(df, image.stage);
  const where = root.scratch || root.stageRef !== null ? fromLoc(image) : loc(df.path, root.imageRange);
  if (pinned.length === 0) return [pass(target, where, 'no external base image to pin', '`scratch`')];
  const evidence = pinned.map((r) => `\`${r}\``).join(', ');
  return [pass(target, where, `every external FROM is pinned${policy.pinnedBy}: ${evidence}`, evidence)];
}
