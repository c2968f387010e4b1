/**
 * The `seaworthy` command line. Exit codes: 0 clean, 1 failing results at or above `--fail-on`,
 * 2 usage, config or internal error, or a file that could not be read or parsed.
 */
import { closeSync, openSync, writeFileSync, writeSync } from 'node:fs';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { VERSION } from '../version.js';

const SEVERITY_CHOICES = ['critical', 'high', 'medium', 'low', 'info'];

function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

/** `--date`: a real calendar day written YYYY-MM-DD. */
function isoDate(v: string): string {
  const d = new Date(`${v}T00:00:00Z`);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(v) || Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== v) {
    throw new InvalidArgumentError('must be a date written YYYY-MM-DD');
  }
  return v;
}

function write(text: string | Buffer, output?: string): void {
  if (output) writeFileSync(output, text);
  else if (typeof text !== 'string') process.stdout.write(text);
  else process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
}

type CheckReport = import('../format/report.js').CheckReport;
type Notice = { file: string; line?: number; message: string };

/** Notices by file and line (whether the repository was checked whole or in parts). */
async function printNotices(notices: readonly Notice[]): Promise<void> {
  const { sortNotices } = await import('../format/report.js');
  for (const n of sortNotices(notices)) process.stderr.write(`seaworthy: ${n.file}${n.line ? `:${n.line}` : ''}: ${n.message}\n`);
}

/** Print a check or verify report in the asked format (and its notices on stderr). */
async function printReport(report: CheckReport, opts: { format?: string; output?: string; verbose?: boolean }): Promise<void> {
  let text: string | Buffer;
  // JSON as bytes: the same text, encoded in pieces (faster for large reports; ends with a newline).
  if (opts.format === 'json') text = (await import('../format/json.js')).formatJsonBytes(report);
  else if (opts.format === 'sarif') text = (await import('../format/sarif.js')).formatSarif(report);
  else {
    const { formatText } = await import('../format/text.js');
    const { shouldColor } = await import('../format/color.js');
    text = formatText(report, { color: !opts.output && shouldColor(process.stdout), verbose: opts.verbose === true });
  }
  write(text, opts.output);
  await printNotices(report.notices ?? []);
}

/**
 * `seaworthy check`. A large repository that splits into independent parts is checked part by part
 * (src/check-parts.ts): JSON is then written as each part's results come, other formats once all
 * are in; either way the output is the one a whole check prints.
 */
async function checkCommand(
  path: string,
  opts: { format?: string; output?: string; verbose?: boolean; config?: string; exclude?: string[]; failOn?: string; allowOutsideRoot?: boolean },
): Promise<number> {
  const { checkStreamed } = await import('../check-parts.js');
  const { JsonReportWriter } = await import('../format/json.js');
  const { SarifReportWriter } = await import('../format/sarif.js');
  const { TextReportWriter } = await import('../format/text.js');
  const { shouldColor } = await import('../format/color.js');
  const { Tally } = await import('../format/report.js');
  let json: InstanceType<typeof JsonReportWriter> | null = null;
  let sarif: InstanceType<typeof SarifReportWriter> | null = null;
  let text: InstanceType<typeof TextReportWriter> | null = null;
  let fd: number | null = null;
  // SARIF carries no summary: the exit code comes from counting its results here.
  const tally = new Tally();
  // Opened when a check in parts starts, so a whole check (or a failure before it) prints as before.
  const output = () => {
    if (opts.output) fd = openSync(opts.output, 'w');
    const out = fd ?? stdoutFile();
    return out === null ? (s: string) => process.stdout.write(s) : (s: string) => writeString(out, s);
  };
  // JSON and SARIF are written as the parts' results come; text renders each target's group as soon
  // as it is complete, and prints them all at the end.
  const checked = await checkStreamed(
    path,
    {
      config: opts.config,
      exclude: opts.exclude,
      failOn: opts.failOn as import('../types.js').Severity | undefined,
      allowOutsideRoot: opts.allowOutsideRoot === true,
    },
    {
      start({ root, rules }) {
        if (opts.format === 'json') json = new JsonReportWriter(output(), TOOL);
        else if (opts.format === 'sarif') sarif = new SarifReportWriter(output(), TOOL, rules);
        else {
          const color = !opts.output && shouldColor(process.stdout);
          text = new TextReportWriter(output(), { color, verbose: opts.verbose === true }, (t) => t === root || t.startsWith(`${root} (`));
        }
      },
      repositoryDone() {
        text?.repositoryDone();
      },
      spread(targets) {
        text?.spread(targets);
      },
      results(sorted) {
        if (json) json.results(sorted);
        else if (sarif) {
          tally.add(sorted);
          sarif.results(sorted);
        } else text?.results(sorted);
      },
    },
  );
  if (checked.kind === 'whole') {
    await printReport(checked.outcome.report, opts);
    return exitFor(checked.outcome.report);
  }
  const o = checked.outcome;
  if (process.env.SEAWORTHY_DEBUG)
    process.stderr.write(`seaworthy: checked in ${o.parts} parts (${o.batches} batches${o.rootTookIn === null ? '' : `; the root's took in ${o.rootTookIn}`})\n`);
  let fails: boolean;
  if (json) fails = (json as InstanceType<typeof JsonReportWriter>).end(o.errors, o.failOn, o.filesScanned, checked.durationMs());
  else if (sarif) {
    (sarif as InstanceType<typeof SarifReportWriter>).end(o.errors);
    fails = tally.summary(o.failOn, o.filesScanned, o.errors.length, 0).failsThreshold;
  } else {
    fails = (text as InstanceType<typeof TextReportWriter> | null)?.end(o.errors, o.failOn, o.filesScanned, checked.durationMs()) ?? false;
  }
  if (fd !== null) closeSync(fd);
  await printNotices(o.notices);
  return o.errors.length > 0 ? 2 : fails ? 1 : 0;
}

const TOOL = { name: 'seaworthy' as const, version: VERSION };

/**
 * stdout's file descriptor when it is a file (or /dev/null), where Node writes synchronously anyway:
 * written directly, a piece is not first copied into a Buffer by the stream (11 MB of JSON on the
 * shared corpus: ~10 ms). Pipes and terminals go through process.stdout.
 */
function stdoutFile(): number | null {
  return (process.stdout as { _type?: string })._type === 'fs' ? process.stdout.fd : null;
}

/** All of `s` to `fd` (a file: one write, unless the system writes part of it). */
function writeString(fd: number, s: string): void {
  const n = writeSync(fd, s);
  if (n < Buffer.byteLength(s)) {
    const b = Buffer.from(s);
    for (let at = n; at < b.length; ) at += writeSync(fd, b, at);
  }
}

/** 2 when a file could not be read or parsed (or the engine failed), else 0/1 by `--fail-on`. */
async function exitFor(report: CheckReport): Promise<number> {
  const { exitCode } = await import('../engine/index.js');
  return report.errors.length > 0 ? 2 : exitCode(report.results, report.failOn);
}

export async function main(argv: string[]): Promise<number> {
  let exit = 0;
  const program = new Command();
  program
    .name('seaworthy')
    .description('Implements and verifies Docker security best practices for a repository.')
    .version(VERSION, '-v, --version')
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) })
    .showHelpAfterError();

  program
    .command('check')
    .description('static audit of Dockerfiles, compose files, entrypoint scripts and CI workflows')
    .argument('[path]', 'repository folder or a single file', '.')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['text', 'json', 'sarif']).default('text'))
    .addOption(new Option('--fail-on <severity>', 'exit 1 when a failing result has this severity or higher (default: high, or failOn in the config)').choices(SEVERITY_CHOICES))
    .option('-c, --config <file>', 'config file (default: seaworthy.yml or .seaworthy.yml in the scanned root)')
    .option('-e, --exclude <glob>', 'skip files and folders matching this glob (gitignore syntax; repeatable)', collect, [])
    .option('-o, --output <file>', 'write the output to a file instead of stdout')
    .option('--verbose', 'text format: list passing and waived results with their evidence')
    .option('--allow-outside-root', 'follow symlinks and paths that leave the scanned folder')
    .action(async (path: string, opts) => {
      exit = await checkCommand(path, opts);
    });

  program
    .command('report')
    .description('write the Markdown security document (practices per container, compose, CI scanning, secrets, logging, waivers, gaps)')
    .argument('[path]', 'repository folder', '.')
    .option('-o, --output <file>', 'write the document to a file instead of stdout')
    .option('--date <YYYY-MM-DD>', '"Last Updated" date, also the day waivers expire against (default: today)', isoDate)
    .option('-c, --config <file>', 'config file (default: seaworthy.yml or .seaworthy.yml in the scanned root)')
    .option('-e, --exclude <glob>', 'skip files and folders matching this glob (gitignore syntax; repeatable)', collect, [])
    .option('--verify', 'also run the live checks of `seaworthy verify` and include their results')
    .option('-p, --project <name>', 'compose project name for --verify')
    .option('--allow-outside-root', 'follow symlinks and paths that leave the scanned folder')
    .action(async (path: string, opts) => {
      const { reportCommand } = await import('./report.js');
      const r = await reportCommand(path, {
        config: opts.config,
        exclude: opts.exclude,
        date: opts.date,
        verify: opts.verify === true,
        project: opts.project,
        allowOutsideRoot: opts.allowOutsideRoot === true,
      });
      write(r.markdown, opts.output);
      await printNotices(r.notices);
      for (const e of r.errors) {
        process.stderr.write(`seaworthy: ${e.file ? `${e.file}${e.line ? `:${e.line}` : ''}: ` : ''}${e.message}\n`);
      }
      exit = r.errors.length > 0 ? 2 : 0;
    });

  program
    .command('verify')
    .description('check the running containers of a compose project through the Docker Engine API (read-only unless --probe-signals)')
    .argument('[path]', 'repository folder: its compose files give the project name and the locations', '.')
    .option('-p, --project <name>', 'compose project name (default: the one the compose files under [path] derive)')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['text', 'json', 'sarif']).default('text'))
    .addOption(new Option('--fail-on <severity>', 'exit 1 when a failing result has this severity or higher (default: high, or failOn in the config)').choices(SEVERITY_CHOICES))
    .option('-c, --config <file>', 'config file (default: seaworthy.yml or .seaworthy.yml in [path])')
    .option('-o, --output <file>', 'write the output to a file instead of stdout')
    .option('--verbose', 'text format: list passing and waived results with their evidence')
    .option('--probe-signals', 'start a throwaway copy of each service (network none), send it SIGTERM and time its exit (runtime/graceful-stop)')
    .option('--timeout <seconds>', 'timeout of each Engine API request', (v) => {
      const n = Number(v);
      if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError('must be a positive number of seconds');
      return n;
    })
    .action(async (path: string, opts) => {
      const { verify } = await import('../verify.js');
      // Ctrl-C during the probe cancels it; its copies are still removed before exiting.
      const abort = new AbortController();
      const onSignal = () => abort.abort();
      process.once('SIGINT', onSignal);
      process.once('SIGTERM', onSignal);
      let outcome: Awaited<ReturnType<typeof verify>>;
      try {
        outcome = await verify(path, {
          project: opts.project,
          config: opts.config,
          failOn: opts.failOn,
          probeSignals: opts.probeSignals === true,
          probe: { signal: abort.signal },
          timeoutMs: opts.timeout ? Math.round(opts.timeout * 1000) : undefined,
        });
      } finally {
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
      }
      const { report } = outcome;
      await printReport(report, opts);
      // Text output lists errors itself; machine formats keep stdout clean, so say them on stderr.
      if (opts.format !== 'text') for (const e of report.errors) process.stderr.write(`seaworthy: ${e.message}\n`);
      exit = await exitFor(report);
    });

  program
    .command('rules')
    .description('list the rule catalogue')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['text', 'json']).default('text'))
    .action(async (opts) => {
      const { rulesCommand } = await import('./rules.js');
      write(rulesCommand({ format: opts.format }));
    });

  program
    .command('explain')
    .description('show what a rule checks, why, how to fix it, and examples')
    .argument('<rule>', 'rule id, e.g. dockerfile/non-root-user (a peer alias such as DL3002 works too)')
    .action(async (id: string) => {
      const { explainCommand } = await import('./explain.js');
      const text = explainCommand(id);
      if (text === null) {
        process.stderr.write(`seaworthy: unknown rule '${id}' (see \`seaworthy rules\`)\n`);
        exit = 2;
        return;
      }
      write(text);
    });

  try {
    await program.parseAsync(argv);
  } catch (e) {
    if (e instanceof CommanderError) {
      // --help and --version exit 0; usage errors exit 2.
      return e.exitCode === 0 ? 0 : 2;
    }
    if (e instanceof InvalidArgumentError) return 2;
    const err = e as Error & { name?: string };
    process.stderr.write(`seaworthy: ${err.name === 'ConfigError' ? '' : 'error: '}${err.message}\n`);
    if (process.env.SEAWORTHY_DEBUG) process.stderr.write(`${err.stack}\n`);
    return 2;
  }
  return exit;
}

// A reader that goes away (`seaworthy check -f json | head`) ends the output: exit quietly, as
// command-line tools do, instead of crashing on the write.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code !== 'EPIPE') throw e;
  process.exit(process.exitCode ?? 0);
});

main(process.argv).then(
  (code) => exitFlushed(code),
  (e) => {
    process.stderr.write(`seaworthy: internal error: ${(e as Error).stack ?? e}\n`);
    exitFlushed(2);
  },
);

/**
 * Ends the process once everything written to stdout and stderr has gone out. Left to end by
 * itself, the process would first run the garbage collections V8 has scheduled (a large check starts
 * incremental marking): measured 35–55 ms after the last result on the shared corpus, against
 * 15–20 ms to exit here. Every command has finished its work when main() resolves.
 */
function exitFlushed(code: number): void {
  process.exitCode = code;
  process.stdout.write('', () => process.stderr.write('', () => process.exit(code)));
}
