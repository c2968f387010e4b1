/**
 * Runs the official SARIF validator (`@microsoft/sarif-multitool`, `validate`) on a SARIF text and
 * returns its findings. The validator exits 0 even when the file is invalid, so its own SARIF output
 * is read instead of the exit code.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

export interface ValidatorFinding {
  level: string;
  ruleId: string;
  text: string;
}

const require = createRequire(import.meta.url);

/** The validator binary, made executable (npm 11 skips the package's `chmod` install script). */
export function validatorPath(): string | null {
  if (process.platform !== 'linux') return null;
  let pkg: string;
  try {
    pkg = require.resolve('@microsoft/sarif-multitool-linux/package.json');
  } catch {
    return null;
  }
  const bin = join(dirname(pkg), 'Sarif.Multitool');
  if (!existsSync(bin)) return null;
  const mode = statSync(bin).mode;
  if ((mode & 0o111) !== 0o111) chmodSync(bin, mode | 0o111);
  return bin;
}

function render(r: { message?: { text?: string; id?: string; arguments?: string[] } }): string {
  return r.message?.text ?? `${r.message?.id ?? ''} ${(r.message?.arguments ?? []).join(' | ')}`.trim();
}

/** Validates with the SARIF schema and spec rules plus GitHub's ingestion rules (`--rule-kind Sarif;Gh`). */
export function validateSarif(sarif: string): ValidatorFinding[] {
  const bin = validatorPath();
  if (!bin) throw new Error('SARIF validator binary not found');
  const dir = mkdtempSync(join(tmpdir(), 'seaworthy-sarif-'));
  try {
    const input = join(dir, 'input.sarif');
    const output = join(dir, 'validation.sarif');
    writeFileSync(input, sarif);
    const run = spawnSync(
      bin,
      ['validate', input, '-o', output, '--log', 'ForceOverwrite', '--rule-kind', 'Sarif;Gh', '--level', 'Error;Warning;Note'],
      // Offline: the schema is bundled; DOTNET_* keeps the .NET host quiet and portable.
      {
        encoding: 'utf8',
        env: { ...process.env, DOTNET_CLI_TELEMETRY_OPTOUT: '1', DOTNET_SYSTEM_GLOBALIZATION_INVARIANT: '1' },
        timeout: 60_000,
      },
    );
    if (run.status !== 0 || !existsSync(output)) {
      throw new Error(`validator failed (exit ${run.status}): ${run.stderr || run.stdout}`);
    }
    const log = JSON.parse(readFileSync(output, 'utf8'));
    const findings: ValidatorFinding[] = [];
    for (const r of log.runs?.[0]?.results ?? []) {
      findings.push({ level: r.level ?? 'warning', ruleId: r.ruleId ?? '', text: render(r) });
    }
    // A file the validator could not even read shows up as an execution notification.
    for (const inv of log.runs?.[0]?.invocations ?? []) {
      for (const n of [...(inv.toolExecutionNotifications ?? []), ...(inv.toolConfigurationNotifications ?? [])]) {
        if ((n.level ?? 'warning') === 'error') findings.push({ level: 'error', ruleId: n.descriptor?.id ?? 'tool', text: render(n) });
      }
      if (inv.executionSuccessful === false) findings.push({ level: 'error', ruleId: 'tool', text: 'validator execution failed' });
    }
    return findings;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
