/**
 * Golden test per section of the security document, on a small stack with a bit of everything
 * (test/fixtures/report/full: two built images, one with an entrypoint script; a public datastore;
 * base + prod overlay; a CI workflow; a waiver and a rule turned off; gaps of several severities).
 * `UPDATE_GOLDEN=1 npx vitest run test/report` rewrites the golden files.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanup, golden, render, SECTION_TITLES, type Section, sections } from './helpers.js';

let md = '';
let parts: Section[] = [];

beforeAll(async () => {
  md = await render('full');
  parts = sections(md);
});
afterAll(cleanup);

describe('report of test/fixtures/report/full', () => {
  it('has every section of the reference document, in order', () => {
    expect(parts.map((p) => p.title)).toEqual(SECTION_TITLES);
  });

  for (const [i, title] of SECTION_TITLES.entries()) {
    it(`section: ${title}`, () => {
      const p = parts[i];
      expect(p?.title).toBe(title);
      golden(`full/${p.slug}.md`, p.text);
    });
  }

  it('is deterministic', async () => {
    expect(await render('full')).toBe(md);
  });

  it('names secret variables but never prints their values or defaults', () => {
    expect(md).toContain('${DB_PASSWORD:-…}');
    expect(md).toContain('${DB_PASSWORD:?…}');
    expect(md).not.toContain('dev_only_password');
    expect(md).not.toContain('DB_PASSWORD is required');
  });

  it('gives a true Status line', () => {
    expect(md).toMatch(/^> \*\*Status:\*\* Partially implemented — \d+ gaps open \(1 high\)/m);
  });

  it('has a Mermaid topology with networks, depends_on conditions and published ports', () => {
    const topo = /```mermaid\n([\s\S]*?)```/.exec(md)?.[1] ?? '';
    expect(topo).toContain('subgraph net_backend["network: backend"]');
    expect(topo).toContain('svc_api -->|service_healthy| svc_db');
    expect(topo).toContain('svc_web -->|service_started| svc_api');
    expect(topo).toContain('published 8080→3000');
  });
});
