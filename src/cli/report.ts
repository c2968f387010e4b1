/**
 * `seaworthy report`: runs the check pipeline and renders the security document
 * (src/format/markdown-report.ts). With `--verify`, the live checks of `seaworthy verify` are run
 * too and their results and date go into the document (and into its Status line).
 */
import { check, localDate } from '../check.js';
import { type MarkdownReportInput, type ReportVerification, renderMarkdownReport } from '../format/markdown-report.js';
import type { FileError } from '../types.js';

export interface ReportCommandOptions {
  config?: string;
  exclude?: string[];
  /** `YYYY-MM-DD` for "Last Updated" and waiver expiry (default: today, local time). */
  date?: string;
  allowOutsideRoot?: boolean;
  /** Run the live checks (`seaworthy verify`) and include them. */
  verify?: boolean;
  /** Compose project name for `--verify`. */
  project?: string;
  /** Environment for `--verify` (`DOCKER_HOST`, ...); default: the process environment. */
  env?: NodeJS.ProcessEnv;
}

export interface ReportCommandResult {
  markdown: string;
  errors: FileError[];
  notices: FileError[];
}

export async function reportCommand(path: string, opts: ReportCommandOptions = {}): Promise<ReportCommandResult> {
  const date = opts.date ?? localDate();
  const outcome = await check(path, {
    config: opts.config,
    exclude: opts.exclude,
    today: date,
    allowOutsideRoot: opts.allowOutsideRoot,
  });
  const input: MarkdownReportInput = { report: outcome.report, project: outcome.project, config: outcome.config };
  const errors = [...outcome.report.errors];
  let verification: ReportVerification | undefined;
  if (opts.verify) {
    try {
      const { verify } = await import('../verify.js');
      const live = await verify(path, {
        project: opts.project,
        config: opts.config,
        exclude: opts.exclude,
        today: date,
        allowOutsideRoot: opts.allowOutsideRoot,
        env: opts.env,
      });
      const results = live.report.results;
      const problems = live.report.errors.map((e) => e.message);
      verification = {
        date: live.snapshot.takenAt.slice(0, 10),
        passed: problems.length === 0 && results.length > 0 && !results.some((r) => r.status === 'fail' || r.status === 'unknown'),
        results,
        ...(problems.length ? { error: problems.join('; ') } : {}),
      };
      errors.push(...live.report.errors);
    } catch (e) {
      // The document is still written: it says the live verification could not run, and why.
      const message = (e as Error).message;
      verification = { date, passed: false, results: [], error: message };
      errors.push({ file: '', message });
    }
  }
  return {
    markdown: renderMarkdownReport(input, { date, verification }),
    errors,
    notices: outcome.report.notices ?? [],
  };
}
