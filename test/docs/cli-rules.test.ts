import { describe, expect, it } from 'vitest';
import { explainCommand, findRule } from '../../src/cli/explain.js';
import { rulesCommand } from '../../src/cli/rules.js';
import { renderRuleDoc } from '../../src/docs/rule-doc.js';
import { META_NON_ROOT, METAS } from '../format/fixtures.js';

describe('rulesCommand', () => {
  it('prints an aligned table of id, severity, title and aliases', () => {
    expect(rulesCommand({}, METAS)).toBe(
      [
        'ID                          SEVERITY  TITLE                                         ALIASES',
        'dockerfile/non-root-user    high      Run the image as a non-root user              DL3002, CKV_DOCKER_8',
        'dockerfile/pinned-base      medium    Pin base images to a version                  DL3006, DL3007',
        'secrets/no-default-in-prod  high      No fallback values for secrets in production',
        '3 rules. `seaworthy explain <id>` shows one.',
        '',
      ].join('\n'),
    );
  });

  it('prints JSON', () => {
    const rows = JSON.parse(rulesCommand({ format: 'json' }, METAS));
    expect(rows[0]).toEqual({
      id: 'dockerfile/non-root-user',
      severity: 'high',
      family: 'dockerfile',
      target: 'image',
      env: 'all',
      title: 'Run the image as a non-root user',
      aliases: ['DL3002', 'CKV_DOCKER_8'],
    });
    expect(rows).toHaveLength(3);
  });

  it('lists the registry by default', () => {
    expect(rulesCommand()).toContain('dockerfile/non-root-user');
  });
});

describe('explainCommand', () => {
  it('returns the rule page, without the generated-file notice', () => {
    const out = explainCommand('dockerfile/non-root-user', METAS);
    expect(out).not.toBeNull();
    expect(out?.startsWith('# dockerfile/non-root-user: Run the image as a non-root user\n')).toBe(true);
    expect(renderRuleDoc(META_NON_ROOT).endsWith(out ?? '')).toBe(true);
  });

  it('finds a rule by a unique alias or bare name', () => {
    expect(findRule('dl3002', METAS)?.id).toBe('dockerfile/non-root-user');
    expect(findRule('pinned-base', METAS)?.id).toBe('dockerfile/pinned-base');
  });

  it('returns null for an unknown id', () => {
    expect(explainCommand('dockerfile/nope', METAS)).toBeNull();
    expect(explainCommand('', METAS)).toBeNull();
  });

  it('explains registry rules by default', () => {
    expect(explainCommand('dockerfile/non-root-user')).toContain('`dockerfile/non-root-user`');
  });
});
