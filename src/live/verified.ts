/**
 * What `seaworthy report --verify` needs from a `verify` run: for every runtime result, the practice
 * it confirms (or contradicts) on which container and service, with the evidence and the date. The
 * report marks a practice of its tables "verified <date>" when a live result confirms it. Pure.
 */
import type { Result } from '../types.js';
import type { LiveSnapshot } from './model.js';

/**
 * The static rules whose practice each runtime rule observes on the running system: a passing
 * `runtime/non-root` confirms what `dockerfile/non-root-user` and `compose/service-user` read in the
 * files. Empty when the live check has no static counterpart.
 */
export const RUNTIME_CONFIRMS: Readonly<Record<string, readonly string[]>> = {
  'runtime/non-root': ['dockerfile/non-root-user', 'compose/service-user'],
  'runtime/pid1-app': ['dockerfile/exec-form', 'dockerfile/init-process', 'entrypoint/exec-main-process'],
  'runtime/healthy': ['compose/healthcheck', 'dockerfile/healthcheck', 'dockerfile/healthcheck-tools'],
  'runtime/restarting': [],
  'runtime/no-privileged': ['compose/no-privileged'],
  'runtime/no-new-privileges': ['compose/no-new-privileges'],
  'runtime/capabilities': ['compose/no-dangerous-capabilities', 'compose/cap-drop-all'],
  'runtime/read-only-rootfs': ['compose/read-only-rootfs'],
  'runtime/resource-limits': ['prod/resource-limits', 'prod/pids-limit'],
  'runtime/log-rotation': ['prod/log-rotation'],
  'runtime/host-namespaces': ['compose/no-host-namespaces'],
  'runtime/sensitive-mounts': ['compose/no-docker-socket', 'compose/no-sensitive-mounts'],
  'runtime/ports-bound': ['compose/internal-ports', 'prod/published-ports'],
  'runtime/prod-overlay-applied': [],
  'runtime/graceful-stop': ['dockerfile/exec-form', 'dockerfile/init-process', 'entrypoint/exec-main-process'],
};

export interface VerifiedPractice {
  /** The runtime rule. */
  ruleId: string;
  /** Static rules whose practice this result confirms or contradicts (`RUNTIME_CONFIRMS`). */
  practices: readonly string[];
  container: string;
  /** Compose service of the container, when compose started it. */
  service: string | null;
  /** `verified`: the live run confirms it; `contradicted`: it fails on the running system. */
  status: 'verified' | 'contradicted' | 'waived' | 'unknown';
  evidence: string | null;
  message: string;
  /** When the snapshot was taken (ISO) and its day (`YYYY-MM-DD`, UTC), for "verified on". */
  verifiedAt: string;
  verifiedOn: string;
}

const STATUS: Record<Result['status'], VerifiedPractice['status']> = {
  pass: 'verified',
  fail: 'contradicted',
  waived: 'waived',
  unknown: 'unknown',
};

/** The live results of a `verify` run as practices per container (runtime results only, in result order). */
export function verifiedPractices(results: readonly Result[], snapshot: Pick<LiveSnapshot, 'takenAt' | 'containers'>): VerifiedPractice[] {
  const serviceOf = new Map(snapshot.containers.map((c) => [c.name, c.service]));
  return results
    .filter((r) => r.ruleId.startsWith('runtime/'))
    .map((r) => ({
      ruleId: r.ruleId,
      practices: RUNTIME_CONFIRMS[r.ruleId] ?? [],
      container: r.target,
      service: serviceOf.get(r.target) ?? null,
      status: STATUS[r.status],
      evidence: r.evidence ?? null,
      message: r.message,
      verifiedAt: snapshot.takenAt,
      verifiedOn: snapshot.takenAt.slice(0, 10),
    }));
}
