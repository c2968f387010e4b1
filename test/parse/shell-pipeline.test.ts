import { beforeAll, describe, expect, it } from 'vitest';
import { initShell, parseShell } from '../../src/parse/shell.js';

beforeAll(() => initShell());

describe('parseShell pipelines', () => {
  it('records a redirected command inside a pipeline once', () => {
    const s = parseShell('curl -fsSL https://x 2>/dev/null | sh > /tmp/log\n');
    expect(s.commands.map((c) => c.name)).toEqual(['curl', 'sh']);
    expect(s.pipelines).toEqual([[0, 1]]);
    // the grammar puts `> /tmp/log` on the pipeline; it belongs to its last command
    expect(s.commands[1].redirects).toEqual(['/tmp/log']);
    expect(s.commands[0].redirects).toEqual(['/dev/null']);
  });
  it('still sees substitutions in a redirect target', () => {
    const s = parseShell('echo hi | tee "$(mktemp)" > /dev/null\n');
    expect(s.commands.map((c) => c.name).sort()).toEqual(['echo', 'mktemp', 'tee']);
  });
});
