/** examples/hardened/SECURITY.md is the current `seaworthy report` of the example (`npm run examples:report` regenerates it). */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { EXAMPLE_REPORT, renderExample } from '../../scripts/gen-example-report.js';
import { SECTION_TITLES, sections } from './helpers.js';

describe('examples/hardened/SECURITY.md', () => {
  it('is up to date (run `npm run examples:report`)', async () => {
    const fresh = await renderExample();
    expect(readFileSync(EXAMPLE_REPORT, 'utf8'), 'examples/hardened/SECURITY.md is stale: run `npm run examples:report`').toBe(fresh);
  });

  it('reads like the reference document', async () => {
    const md = await renderExample();
    expect(sections(md).map((s) => s.title)).toEqual(SECTION_TITLES);
    for (const line of [
      '| Multi-stage build | `builder` → `runtime` stages | Implemented |',
      '| Minimal base image | `python:3.12-slim` | Implemented |',
      '| Non-root user | `appuser` (UID 1001) | Implemented |',
      '| No shell entrypoint | `docker-entrypoint.sh` with `exec` | Implemented |',
      '| Health check | Python urllib (no curl needed) | Implemented |',
      '| Signal handling | `exec uvicorn` for proper PID 1 | Implemented |',
      '| Non-root user | `nextjs` (UID 1001) | Implemented |',
      '| Health check | Node.js HTTP module | Implemented |',
      '| Telemetry disabled | `NEXT_TELEMETRY_DISABLED=1` | Implemented |',
      '| Security options | `no-new-privileges:true` | Implemented |',
      // Passwords from the environment, required in prod: authentication implemented.
      '| Authentication | Password (`POSTGRES_PASSWORD`) | Implemented |',
      '| Authentication | Password (`--requirepass`) | Implemented |',
      '- **Dependency ordering** with `depends_on: condition: service_healthy`',
      '- **Network isolation** via dedicated `app-network`',
      '| Network segmentation | Dedicated subnet (172.28.0.0/16) |',
      '| `backend` | 20m | 5 |',
      'docker compose exec backend whoami',
      '# Expected: appuser',
      '```mermaid',
    ]) {
      expect(md).toContain(line);
    }
    expect(md).toMatch(/^> \*\*Status:\*\* Implemented — no gaps open/m);
    // The four practices the reference does not implement, with its reasons.
    for (const reason of [
      'Adds operational overhead; only critical for public registries',
      'No ARM64 deployment target currently',
      'Marginal benefit for this project size',
      'Entrypoint script with `exec` achieves same goal',
    ]) {
      expect(md).toContain(reason);
    }
    expect(md).not.toContain('dev_only');
  });
});
