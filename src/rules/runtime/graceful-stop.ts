import type { Rule } from '../../types.js';
import type { LiveContext, SignalProbe } from '../../live/model.js';
import { composeExample, containerLoc, fail, NO_LOCATION, pass, unknown } from './_live.js';

/**
 * runtime/graceful-stop (opt-in, `verify --probe-signals`): a throwaway copy of one container per
 * service, sent its stop signal (SIGTERM unless STOPSIGNAL says otherwise), exits within its stop
 * timeout. Killed after the timeout, or exit code 137, fails; a copy that stopped before the signal
 * or a probe that could not run is unknown. Without probes the rule reports nothing.
 */
function seconds(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s`;
}

function exitText(code: number | null): string {
  if (code === null) return 'exit code unknown';
  if (code > 128 && code < 160) {
    const sig: Record<number, string> = { 1: 'SIGHUP', 2: 'SIGINT', 3: 'SIGQUIT', 9: 'SIGKILL', 15: 'SIGTERM' };
    return `exit ${code}: ended by ${sig[code - 128] ?? `signal ${code - 128}`}`;
  }
  return `exit ${code}`;
}

const rule: Rule<LiveContext> = {
  meta: {
    id: 'runtime/graceful-stop',
    title: 'Containers stop gracefully on SIGTERM',
    severity: 'high',
    family: 'runtime',
    target: 'container',
    env: 'all',
    aliases: [],
    rationale:
      '`docker stop`, `docker compose down` and every rolling deploy send SIGTERM and wait (10 s by default) before SIGKILL. An app ' +
      'that never sees the signal (behind `sh -c`, or a PID 1 with no handler: the kernel ignores SIGTERM for PID 1 unless it installs ' +
      'one) is killed mid-request, loses buffered writes and makes every deploy wait out the timeout. This is observable only by ' +
      'stopping a copy of the container, which `verify --probe-signals` does without touching the running one.',
    fix: 'Make the app PID 1 in exec form (`CMD ["app"]`, `exec "$@"` in entrypoint scripts) or add an init (`init: true`), and handle SIGTERM in the app; set `stop_grace_period` if it needs longer to drain.',
    examples: {
      bad: composeExample('services:\n  worker:\n    image: example/worker:2.0\n    entrypoint: ["sh", "-c", "python worker.py"]\n'),
      good: composeExample(
        'services:\n  worker:\n    image: example/worker:2.0\n    init: true\n    entrypoint: ["python", "worker.py"]\n    stop_grace_period: 30s\n',
      ),
    },
  },
  check(ctx) {
    const probes: SignalProbe[] = ctx.snapshot.probes ?? [];
    return probes.map((p) => {
      const c = ctx.snapshot.containers.find((x) => x.name === p.container);
      const at = { target: p.container, location: c ? containerLoc(ctx, c) : { ...NO_LOCATION } };
      const copy = `A copy of ${p.container}`;
      if (p.outcome === 'error' || p.outcome === 'exited-early')
        return unknown(at, `${copy} could not be probed: ${p.message ?? p.outcome}.`);
      if (p.outcome === 'killed' || p.exitCode === 137) {
        return fail(
          at,
          `${copy} did not stop within ${p.stopTimeout} s of ${p.signal} and had to be killed (${exitText(p.exitCode)}): PID 1 ignores the signal or does not pass it on, so every stop and deploy waits out the timeout and the app dies mid-work. Run the app in exec form or with \`init: true\`, and handle ${p.signal}.`,
        );
      }
      const ms = p.elapsedMs ?? 0;
      const ev = `stopped ${seconds(ms)} after ${p.signal} (${exitText(p.exitCode)})`;
      return pass(at, `${copy} ${ev}, within its ${p.stopTimeout} s stop timeout.`, ev);
    });
  },
};

export default rule;
