import { stageChain } from '../../model/image.js';
import type { Image } from '../../model/project.js';
import type { RawResult, Rule } from '../../types.js';
import { fail, fromLoc, loc, pass } from '../_util.js';

/** Whether an EXPOSE value (`22`, `22/tcp`, `20-25/tcp`) covers port 22. */
function coversSsh(value: string): boolean {
  const m = /^(\d+)(?:-(\d+))?(?:\/(tcp|udp|sctp))?$/i.exec(value.trim().replace(/^["']|["']$/g, ''));
  if (!m) return false;
  const lo = Number(m[1]);
  const hi = m[2] !== undefined ? Number(m[2]) : lo;
  return lo <= 22 && 22 <= hi && (m[3] === undefined || m[3].toLowerCase() === 'tcp');
}

function judge(image: Image): RawResult[] {
  const df = image.dockerfile;
  const out: RawResult[] = [];
  for (const s of stageChain(df, image.stage).reverse()) {
    for (const w of s.exposes) {
      if (!coversSsh(w.value)) continue;
      out.push(
        fail(
          image.name,
          loc(df.path, w.range),
          `\`EXPOSE ${w.value}\` advertises SSH, which suggests an SSH server in the container: another long-lived credential and ` +
            'attack surface to patch; remove it and use `docker exec` (or `docker compose exec`) for access.',
        ),
      );
    }
  }
  if (out.length > 0) return out;
  return [pass(image.name, fromLoc(image), 'port 22 is not exposed', 'no `EXPOSE 22`')];
}

const rule: Rule = {
  meta: {
    id: 'dockerfile/no-ssh-port',
    title: 'Do not expose SSH',
    severity: 'medium',
    family: 'dockerfile',
    target: 'image',
    env: 'all',
    aliases: ['DS-0004', 'CKV_DOCKER_1'],
    rationale:
      'A container should run one service and be reached for maintenance through the Docker API (`docker exec`), which is ' +
      'authenticated and audited by the host. Exposing port 22 means running an SSH daemon inside the container: one more ' +
      'process to keep alive, keys or passwords baked into or mounted into the image, and a network-reachable login that ' +
      'scanners probe constantly.',
    fix: 'Remove `EXPOSE 22` and the SSH server; use `docker exec -it <container> sh` for interactive access.',
    examples: {
      bad: { file: 'Dockerfile', content: 'FROM alpine:3.20\nEXPOSE 22 8080\nCMD ["sleep", "infinity"]\n' },
      good: { file: 'Dockerfile', content: 'FROM alpine:3.20\nEXPOSE 8080\nCMD ["sleep", "infinity"]\n' },
    },
  },
  check(project) {
    return project.images.flatMap(judge);
  },
};

export default rule;
