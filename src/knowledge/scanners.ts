/**
 * What CI tools do, as data: GitHub actions, command lines, GitLab templates and CI/CD components →
 * the tool's name as the report shows it, its category, what it scans (an image reference, a folder,
 * lockfiles of some managers) and how its gate works (does it fail the build on findings by
 * default, which option or input turns that on or off). src/model/ci.ts interprets it.
 */
import type { Manager, ToolCategory } from '../model/workflow.js';

/** How a command-line tool's exit status reacts to findings. */
export interface CommandGate {
  /** Findings make it exit non-zero without any option. */
  failsByDefault: boolean;
  /** Options setting the exit code on findings (`--exit-code 1`); the value `0` means it never fails. */
  exitCodeFlags?: string[];
  /** Options that make it fail on findings (`--error`, `--fail`, `--fail-on high`, Scout's boolean `--exit-code`). */
  onFlags?: string[];
  /** Options that stop it failing (`--exit-zero`, `-no-fail`); with `values`, only those values of the option. */
  offFlags?: { flag: string; values?: string[] }[];
  /** Findings go to a review surface instead of an exit code (CodeQL → code scanning). */
  reported?: string;
  /** Said in evidence when it can fail by default (`exits non-zero on findings`). */
  note?: string;
}

export interface CommandForm {
  /** Subcommand words after the program (options skipped), e.g. `['container', 'test']`; `[]` for the bare program. */
  sub: string[];
  /** The word after `sub` must not be one of these (`npm audit signatures`, `npm audit fix`). */
  notNext?: string[];
  category: ToolCategory;
  /** What positional arguments name: image references, folders/files, or nothing scanned. */
  target: 'image' | 'path' | 'none';
  /** Scanned folder when no positional or folder option names one: the working directory, or null (the installed environment). */
  defaultPath: 'cwd' | null;
  recursive: boolean;
  /** Option that makes a folder scan recursive (`osv-scanner -r`). */
  recursiveFlags?: string[];
  /** Options naming files scanned (`-r requirements.txt`). */
  fileFlags?: string[];
  /** Options naming folders scanned (`--prefix`, `-C`). */
  dirFlags?: string[];
  managers?: Manager[] | 'all';
  languages?: string[];
  /** Scope in words for the report. */
  scope: string;
  gate: CommandGate;
  /** Trivy's `--scanners`: which categories the run covers instead of `category` (`secret` → secrets). */
  scannersFlag?: { flags: string[]; default: string[]; values: Record<string, ToolCategory | null> };
  /** Prefixed targets (`grype dir:.`): prefix → what the rest names. */
  schemes?: Record<string, 'image' | 'path' | 'none'>;
}

export interface CommandTool {
  id: string;
  /** As the report shows it. */
  tool: string;
  /** Program basenames. */
  programs: string[];
  /** `python -m <module>`. */
  modules?: string[];
  /** Images that run it (`docker run aquasec/trivy image x`, `uses: docker://aquasec/trivy`). */
  images?: string[];
  /** Options that take a value (so that value is not taken for a target or a subcommand). */
  valueFlags: string[];
  forms: CommandForm[];
}

const ALL: 'all' = 'all';
const PYTHON: Manager[] = ['pip', 'poetry', 'pipenv', 'uv'];

const FAILS: CommandGate = { failsByDefault: true, note: 'exits non-zero on findings' };

const TRIVY_VALUE_FLAGS = [
  '--exit-code',
  '--severity',
  '-s',
  '--format',
  '-f',
  '--output',
  '-o',
  '--cache-dir',
  '--timeout',
  '--ignorefile',
  '--scanners',
  '--security-checks',
  '--vuln-type',
  '--pkg-types',
  '--template',
  '-t',
  '--skip-dirs',
  '--skip-files',
  '--input',
  '-i',
  '--platform',
  '--ignore-policy',
  '--db-repository',
  '--java-db-repository',
  '--config',
  '-c',
  '--secret-config',
  '--image-src',
  '--server',
  '--token',
  '--username',
  '--password',
  '--registry-token',
  '--file-patterns',
  '--misconfig-scanners',
  '--config-policy',
  '--policy',
  '--namespaces',
  '--tf-vars',
  '--helm-values',
  '--cache-backend',
  '--redis-ca',
  '--checks-bundle-repository',
  '--sbom-sources',
  '--rekor-url',
  '--compliance',
  '--report',
  '--license-confidence-level',
  '--branch',
  '--tag',
  '--commit',
];

const TRIVY_FS_SCANNERS = {
  flags: ['--scanners', '--security-checks'],
  // trivy's own default also has `secret`; seaworthy counts a secret scan only when it is asked for explicitly.
  default: ['vuln'],
  values: { vuln: 'dependencies', secret: 'secrets', misconfig: 'iac', config: 'iac', license: null } as Record<
    string,
    ToolCategory | null
  >,
};

const TRIVY_GATE: CommandGate = { failsByDefault: false, exitCodeFlags: ['--exit-code'] };

const DOCKER_BUILD_VALUE_FLAGS = [
  '-f',
  '--file',
  '-t',
  '--tag',
  '--platform',
  '--build-arg',
  '--target',
  '--cache-from',
  '--cache-to',
  '-o',
  '--output',
  '--label',
  '--secret',
  '--ssh',
  '--network',
  '--iidfile',
  '--metadata-file',
  '--progress',
  '--build-context',
  '--add-host',
  '--shm-size',
  '--ulimit',
  '--builder',
  '--annotation',
  '--attest',
  '--allow',
  '--cgroup-parent',
  '--isolation',
  '--memory',
  '-m',
  '--cpu-shares',
  '--cpuset-cpus',
  '--call',
];

/** Command-line tools. Order matters only among forms of one tool (first match wins). */
/** Docker Scout's image commands (`docker scout cves`, `docker-scout cves`, ...). */
const SCOUT_FORM: Omit<CommandForm, 'sub'> = {
  category: 'image',
  target: 'image',
  defaultPath: null,
  recursive: false,
  scope: 'container images',
  gate: { failsByDefault: false, onFlags: ['--exit-code', '-e'] },
};

export const COMMAND_TOOLS: CommandTool[] = [
  {
    id: 'trivy',
    tool: 'Trivy',
    programs: ['trivy'],
    images: ['aquasec/trivy', 'ghcr.io/aquasecurity/trivy', 'public.ecr.aws/aquasecurity/trivy'],
    valueFlags: TRIVY_VALUE_FLAGS,
    forms: [
      {
        sub: ['image'],
        category: 'image',
        target: 'image',
        defaultPath: null,
        recursive: false,
        scope: 'container images',
        gate: TRIVY_GATE,
      },
      { sub: ['i'], category: 'image', target: 'image', defaultPath: null, recursive: false, scope: 'container images', gate: TRIVY_GATE },
      {
        sub: ['fs'],
        category: 'dependencies',
        target: 'path',
        defaultPath: null,
        recursive: true,
        managers: ALL,
        scope: 'filesystem',
        gate: TRIVY_GATE,
        scannersFlag: TRIVY_FS_SCANNERS,
      },
      {
        sub: ['filesystem'],
        category: 'dependencies',
        target: 'path',
        defaultPath: null,
        recursive: true,
        managers: ALL,
        scope: 'filesystem',
        gate: TRIVY_GATE,
        scannersFlag: TRIVY_FS_SCANNERS,
      },
      {
        sub: ['rootfs'],
        category: 'dependencies',
        target: 'path',
        defaultPath: null,
        recursive: true,
        managers: ALL,
        scope: 'filesystem',
        gate: TRIVY_GATE,
        scannersFlag: TRIVY_FS_SCANNERS,
      },
      {
        sub: ['repo'],
        category: 'dependencies',
        target: 'path',
        defaultPath: null,
        recursive: true,
        managers: ALL,
        scope: 'repository',
        gate: TRIVY_GATE,
        scannersFlag: TRIVY_FS_SCANNERS,
      },
      {
        sub: ['repository'],
        category: 'dependencies',
        target: 'path',
        defaultPath: null,
        recursive: true,
        managers: ALL,
        scope: 'repository',
        gate: TRIVY_GATE,
        scannersFlag: TRIVY_FS_SCANNERS,
      },
      {
        sub: ['config'],
        category: 'iac',
        target: 'path',
        defaultPath: null,
        recursive: true,
        scope: 'IaC configuration',
        gate: TRIVY_GATE,
      },
      { sub: ['conf'], category: 'iac', target: 'path', defaultPath: null, recursive: true, scope: 'IaC configuration', gate: TRIVY_GATE },
    ],
  },
  {
    id: 'grype',
    tool: 'Grype',
    programs: ['grype'],
    images: ['anchore/grype'],
    valueFlags: [
      '-o',
      '--output',
      '-f',
      '--fail-on',
      '-c',
      '--config',
      '--scope',
      '-s',
      '--exclude',
      '--platform',
      '--file',
      '--distro',
      '--name',
      '-t',
      '--template',
    ],
    forms: [
      {
        sub: [],
        category: 'image',
        target: 'image',
        defaultPath: null,
        recursive: true,
        managers: ALL,
        scope: 'container images',
        gate: { failsByDefault: false, onFlags: ['--fail-on', '-f'] },
        schemes: {
          'dir:': 'path',
          'file:': 'path',
          'sbom:': 'none',
          'docker:': 'image',
          'podman:': 'image',
          'registry:': 'image',
          'docker-archive:': 'none',
          'oci-archive:': 'none',
          'oci-dir:': 'none',
          'singularity:': 'none',
        },
      },
    ],
  },
  {
    id: 'docker-scout',
    tool: 'Docker Scout',
    programs: ['docker', 'docker-scout'],
    images: ['docker/scout-cli'],
    valueFlags: [
      '--only-severity',
      '--format',
      '--output',
      '-o',
      '--platform',
      '--only-package-type',
      '--ignore-base',
      '--org',
      '--env',
      '--to',
      '--to-env',
      '--ref',
      '--type',
      '--multi-stage',
      '--vex-location',
    ],
    forms: [
      ...['cves', 'quickview', 'qv', 'compare'].map(
        (c): CommandForm => ({
          sub: ['scout', c],
          ...SCOUT_FORM,
          schemes: {
            'fs://': 'path',
            'image://': 'image',
            'local://': 'image',
            'registry://': 'image',
            'archive://': 'none',
            'oci-dir://': 'none',
            'sbom://': 'none',
          },
        }),
      ),
      // The standalone `docker-scout` binary takes the same subcommands without `scout`.
      ...['cves', 'quickview', 'qv', 'compare'].map((c): CommandForm => ({ sub: [c], ...SCOUT_FORM })),
    ],
  },
  {
    id: 'snyk',
    tool: 'Snyk',
    programs: ['snyk'],
    images: ['snyk/snyk'],
    valueFlags: [
      '--file',
      '--severity-threshold',
      '--org',
      '--policy-path',
      '--exclude',
      '--detection-depth',
      '--sarif-file-output',
      '--json-file-output',
      '--project-name',
      '--target-reference',
      '--platform',
      '--username',
      '--password',
      '--fail-on',
    ],
    forms: [
      {
        sub: ['container', 'test'],
        category: 'image',
        target: 'image',
        defaultPath: null,
        recursive: false,
        scope: 'container images',
        gate: FAILS,
      },
      {
        sub: ['container', 'monitor'],
        category: 'image',
        target: 'image',
        defaultPath: null,
        recursive: false,
        scope: 'container images',
        gate: { failsByDefault: false, note: '`snyk container monitor` only records a snapshot' },
      },
      {
        sub: ['code', 'test'],
        category: 'sast',
        target: 'path',
        defaultPath: 'cwd',
        recursive: true,
        languages: ['all languages'],
        scope: 'code',
        gate: FAILS,
      },
      {
        sub: ['iac', 'test'],
        category: 'iac',
        target: 'path',
        defaultPath: 'cwd',
        recursive: true,
        scope: 'IaC configuration',
        gate: FAILS,
      },
      {
        sub: ['test'],
        category: 'dependencies',
        target: 'path',
        defaultPath: 'cwd',
        recursive: false,
        recursiveFlags: ['--all-projects'],
        fileFlags: ['--file'],
        managers: ALL,
        scope: 'dependencies',
        gate: FAILS,
      },
      {
        sub: ['monitor'],
        category: 'dependencies',
        target: 'path',
        defaultPath: 'cwd',
        recursive: false,
        recursiveFlags: ['--all-projects'],
        fileFlags: ['--file'],
        managers: ALL,
        scope: 'dependencies',
        gate: { failsByDefault: false, note: '`snyk monitor` only records a snapshot' },
      },
    ],
  },
  {
    id: 'npm-audit',
    tool: 'npm audit',
    programs: ['npm'],
    valueFlags: ['--audit-level', '--omit', '--include', '--prefix', '-C', '--registry', '--workspace', '-w'],
    forms: [
      {
        sub: ['audit'],
        notNext: ['signatures', 'fix'],
        category: 'dependencies',
        target: 'none',
        defaultPath: 'cwd',
        recursive: false,
        dirFlags: ['--prefix', '-C'],
        managers: ['npm'],
        scope: 'Node.js dependencies',
        gate: FAILS,
      },
    ],
  },
  {
    id: 'yarn-audit',
    tool: 'yarn audit',
    programs: ['yarn'],
    valueFlags: ['--level', '--groups', '--cwd', '--severity', '--environment'],
    forms: [
      {
        sub: ['audit'],
        category: 'dependencies',
        target: 'none',
        defaultPath: 'cwd',
        recursive: false,
        dirFlags: ['--cwd'],
        managers: ['yarn'],
        scope: 'Node.js dependencies',
        gate: FAILS,
      },
      {
        sub: ['npm', 'audit'],
        category: 'dependencies',
        target: 'none',
        defaultPath: 'cwd',
        recursive: false,
        managers: ['yarn'],
        scope: 'Node.js dependencies',
        gate: FAILS,
      },
    ],
  },
  {
    id: 'pnpm-audit',
    tool: 'pnpm audit',
    programs: ['pnpm'],
    valueFlags: ['--audit-level', '--dir', '-C', '--filter', '--ignore'],
    forms: [
      {
        sub: ['audit'],
        notNext: ['fix'],
        category: 'dependencies',
        target: 'none',
        defaultPath: 'cwd',
        recursive: false,
        dirFlags: ['--dir', '-C'],
        managers: ['pnpm'],
        scope: 'Node.js dependencies',
        gate: FAILS,
      },
    ],
  },
  {
    id: 'pip-audit',
    tool: 'pip-audit',
    programs: ['pip-audit'],
    modules: ['pip_audit'],
    valueFlags: [
      '-r',
      '--requirement',
      '-f',
      '--format',
      '-s',
      '--vulnerability-service',
      '--ignore-vuln',
      '-o',
      '--output',
      '--cache-dir',
      '--index-url',
      '-i',
      '--extra-index-url',
      '--path',
      '--timeout',
    ],
    forms: [
      {
        sub: [],
        category: 'dependencies',
        target: 'path',
        defaultPath: null,
        recursive: false,
        fileFlags: ['-r', '--requirement'],
        managers: PYTHON,
        scope: 'Python dependencies',
        gate: FAILS,
      },
    ],
  },
  {
    id: 'safety',
    tool: 'Safety',
    programs: ['safety'],
    modules: ['safety'],
    valueFlags: [
      '-r',
      '--file',
      '--key',
      '--db',
      '--output',
      '-o',
      '--policy-file',
      '--ignore',
      '-i',
      '--target',
      '--apply-fixes-to',
      '--save-as',
      '--proxy-host',
      '--proxy-port',
    ],
    forms: [
      {
        sub: ['check'],
        category: 'dependencies',
        target: 'none',
        defaultPath: null,
        recursive: false,
        fileFlags: ['-r', '--file'],
        managers: PYTHON,
        scope: 'Python dependencies',
        gate: { failsByDefault: true, note: 'exits non-zero on findings', offFlags: [{ flag: '--continue-on-error' }] },
      },
      {
        sub: ['scan'],
        category: 'dependencies',
        target: 'none',
        defaultPath: 'cwd',
        recursive: true,
        dirFlags: ['--target'],
        managers: PYTHON,
        scope: 'Python dependencies',
        gate: FAILS,
      },
    ],
  },
  {
    id: 'osv-scanner',
    tool: 'OSV-Scanner',
    programs: ['osv-scanner'],
    images: ['ghcr.io/google/osv-scanner'],
    valueFlags: [
      '-L',
      '--lockfile',
      '-M',
      '--sbom',
      '--config',
      '--format',
      '-f',
      '--output',
      '--call-analysis',
      '--no-call-analysis',
      '--experimental-exclude',
    ],
    forms: [
      ...[['scan', 'source'], ['scan'], []].map(
        (sub): CommandForm => ({
          sub,
          notNext: sub.length === 1 ? ['image'] : undefined,
          category: 'dependencies',
          target: 'path',
          defaultPath: 'cwd',
          recursive: false,
          recursiveFlags: ['-r', '--recursive'],
          fileFlags: ['-L', '--lockfile'],
          managers: ALL,
          scope: 'dependencies',
          gate: FAILS,
        }),
      ),
      {
        sub: ['scan', 'image'],
        category: 'image',
        target: 'image',
        defaultPath: null,
        recursive: false,
        scope: 'container images',
        gate: FAILS,
      },
    ],
  },
  {
    id: 'govulncheck',
    tool: 'govulncheck',
    programs: ['govulncheck'],
    valueFlags: ['-C', '-format', '--format', '-mode', '-scan', '-tags', '-test', '-db'],
    forms: [
      {
        sub: [],
        category: 'dependencies',
        target: 'none',
        defaultPath: 'cwd',
        recursive: true,
        dirFlags: ['-C'],
        managers: ['go'],
        scope: 'Go dependencies',
        gate: {
          failsByDefault: true,
          note: 'exits non-zero on findings',
          offFlags: [
            { flag: '-json' },
            { flag: '--json' },
            { flag: '-format', values: ['json', 'sarif', 'openvex'] },
            { flag: '--format', values: ['json', 'sarif', 'openvex'] },
          ],
        },
      },
    ],
  },
  {
    id: 'cargo-audit',
    tool: 'cargo audit',
    programs: ['cargo', 'cargo-audit'],
    valueFlags: ['-f', '--file', '--ignore', '--db', '-c', '--color', '--target-arch', '--target-os'],
    forms: [
      {
        sub: ['audit'],
        category: 'dependencies',
        target: 'none',
        defaultPath: 'cwd',
        recursive: false,
        fileFlags: ['-f', '--file'],
        managers: ['cargo'],
        scope: 'Rust dependencies',
        gate: FAILS,
      },
      {
        sub: ['deny', 'check'],
        category: 'dependencies',
        target: 'none',
        defaultPath: 'cwd',
        recursive: false,
        managers: ['cargo'],
        scope: 'Rust dependencies',
        gate: FAILS,
      },
    ],
  },
  {
    id: 'bundler-audit',
    tool: 'bundler-audit',
    programs: ['bundle', 'bundle-audit', 'bundler-audit'],
    valueFlags: ['--gemfile-lock', '-G', '--ignore', '-i', '--database', '-D', '--format', '-F', '--output', '-o', '--config', '-c'],
    forms: [
      {
        sub: ['audit'],
        category: 'dependencies',
        target: 'path',
        defaultPath: 'cwd',
        recursive: false,
        fileFlags: ['--gemfile-lock', '-G'],
        managers: ['bundler'],
        scope: 'Ruby dependencies',
        gate: FAILS,
      },
      {
        sub: ['check'],
        category: 'dependencies',
        target: 'path',
        defaultPath: 'cwd',
        recursive: false,
        fileFlags: ['--gemfile-lock', '-G'],
        managers: ['bundler'],
        scope: 'Ruby dependencies',
        gate: FAILS,
      },
      {
        sub: [],
        notNext: ['install', 'exec', 'update', 'config'],
        category: 'dependencies',
        target: 'none',
        defaultPath: 'cwd',
        recursive: false,
        managers: ['bundler'],
        scope: 'Ruby dependencies',
        gate: FAILS,
      },
    ],
  },
  {
    id: 'composer-audit',
    tool: 'composer audit',
    programs: ['composer'],
    valueFlags: ['-d', '--working-dir', '-f', '--format', '--abandoned'],
    forms: [
      {
        sub: ['audit'],
        category: 'dependencies',
        target: 'none',
        defaultPath: 'cwd',
        recursive: false,
        dirFlags: ['-d', '--working-dir'],
        managers: ['composer'],
        scope: 'PHP dependencies',
        gate: FAILS,
      },
    ],
  },
  {
    id: 'dependency-check',
    tool: 'OWASP Dependency-Check',
    programs: ['dependency-check', 'dependency-check.sh', 'dependency-check.bat'],
    images: ['owasp/dependency-check'],
    valueFlags: [
      '--scan',
      '-s',
      '--project',
      '--out',
      '-o',
      '--format',
      '-f',
      '--failOnCVSS',
      '--suppression',
      '--exclude',
      '--nvdApiKey',
      '--data',
      '-d',
      '--log',
      '-l',
    ],
    forms: [
      {
        sub: [],
        category: 'dependencies',
        target: 'none',
        defaultPath: null,
        recursive: true,
        dirFlags: ['--scan', '-s'],
        managers: ALL,
        scope: 'dependencies',
        gate: { failsByDefault: false, onFlags: ['--failOnCVSS'] },
      },
    ],
  },
  {
    id: 'semgrep',
    tool: 'Semgrep',
    programs: ['semgrep'],
    modules: ['semgrep'],
    images: ['semgrep/semgrep', 'returntocorp/semgrep'],
    valueFlags: [
      '--config',
      '-c',
      '-f',
      '--metrics',
      '--output',
      '-o',
      '--sarif-output',
      '--json-output',
      '--exclude',
      '--include',
      '--severity',
      '--timeout',
      '--jobs',
      '-j',
      '--baseline-commit',
      '--exclude-rule',
      '--max-target-bytes',
    ],
    forms: [
      {
        sub: ['ci'],
        category: 'sast',
        target: 'none',
        defaultPath: 'cwd',
        recursive: true,
        languages: ['all languages'],
        scope: 'security rules',
        gate: { failsByDefault: true, note: '`semgrep ci` fails on blocking findings' },
      },
      {
        sub: ['scan'],
        category: 'sast',
        target: 'path',
        defaultPath: 'cwd',
        recursive: true,
        languages: ['all languages'],
        scope: 'security rules',
        gate: { failsByDefault: false, onFlags: ['--error'] },
      },
      {
        sub: [],
        notNext: ['login', 'logout', 'install-semgrep-pro', 'lsp', 'publish', 'show', 'test', 'validate'],
        category: 'sast',
        target: 'path',
        defaultPath: 'cwd',
        recursive: true,
        languages: ['all languages'],
        scope: 'security rules',
        gate: { failsByDefault: false, onFlags: ['--error'] },
      },
    ],
  },
  {
    id: 'bandit',
    tool: 'Bandit',
    programs: ['bandit'],
    modules: ['bandit'],
    valueFlags: [
      '-c',
      '--configfile',
      '-p',
      '--profile',
      '-t',
      '--tests',
      '-s',
      '--skip',
      '-f',
      '--format',
      '-o',
      '--output',
      '-x',
      '--exclude',
      '-b',
      '--baseline',
      '--ini',
      '-a',
      '--aggregate',
      '-n',
      '--number',
      '--severity-level',
      '--confidence-level',
      '--msg-template',
    ],
    forms: [
      {
        sub: [],
        category: 'sast',
        target: 'path',
        defaultPath: 'cwd',
        recursive: false,
        recursiveFlags: ['-r', '--recursive'],
        languages: ['Python'],
        scope: 'Python security',
        gate: { failsByDefault: true, note: 'exits non-zero on findings', offFlags: [{ flag: '--exit-zero' }] },
      },
    ],
  },
  {
    id: 'gosec',
    tool: 'gosec',
    programs: ['gosec'],
    images: ['securego/gosec'],
    valueFlags: [
      '-fmt',
      '-out',
      '-conf',
      '-exclude',
      '-include',
      '-severity',
      '-confidence',
      '-exclude-dir',
      '-tags',
      '-stdout',
      '-exclude-generated',
    ],
    forms: [
      {
        sub: [],
        category: 'sast',
        target: 'path',
        defaultPath: 'cwd',
        recursive: true,
        languages: ['Go'],
        scope: 'Go security',
        gate: { failsByDefault: true, note: 'exits non-zero on findings', offFlags: [{ flag: '-no-fail' }, { flag: '--no-fail' }] },
      },
    ],
  },
  {
    id: 'codeql',
    tool: 'CodeQL',
    programs: ['codeql'],
    valueFlags: [
      '--format',
      '--output',
      '--language',
      '-l',
      '--sarif-category',
      '--ram',
      '--threads',
      '-j',
      '--source-root',
      '-s',
      '--command',
      '-c',
    ],
    forms: [
      {
        sub: ['database', 'analyze'],
        category: 'sast',
        target: 'none',
        defaultPath: 'cwd',
        recursive: true,
        scope: 'static analysis',
        gate: { failsByDefault: false, reported: 'alerts go to code scanning' },
      },
    ],
  },
  {
    id: 'gitleaks',
    tool: 'Gitleaks',
    programs: ['gitleaks'],
    images: ['zricethezav/gitleaks', 'ghcr.io/gitleaks/gitleaks'],
    valueFlags: [
      '--exit-code',
      '-c',
      '--config',
      '-s',
      '--source',
      '-r',
      '--report-path',
      '-f',
      '--report-format',
      '--log-opts',
      '-b',
      '--baseline-path',
      '--log-level',
      '-l',
      '--max-target-megabytes',
      '--gitleaks-ignore-path',
      '-i',
      '--enable-rule',
    ],
    forms: [
      ...['detect', 'git', 'dir', 'directory', 'protect', 'stdin'].map(
        (c): CommandForm => ({
          sub: [c],
          category: 'secrets',
          target: 'path',
          defaultPath: 'cwd',
          recursive: true,
          scope: c === 'protect' ? 'staged changes' : 'secrets in the repository',
          gate: { failsByDefault: true, note: 'exits non-zero on leaks', exitCodeFlags: ['--exit-code'] },
        }),
      ),
    ],
  },
  {
    id: 'trufflehog',
    tool: 'TruffleHog',
    programs: ['trufflehog'],
    images: ['trufflesecurity/trufflehog', 'ghcr.io/trufflesecurity/trufflehog'],
    valueFlags: [
      '--since-commit',
      '--branch',
      '--max-depth',
      '--exclude-paths',
      '--include-paths',
      '--concurrency',
      '--results',
      '--org',
      '--repo',
      '--token',
      '--config',
    ],
    forms: [
      ...['git', 'filesystem', 'github', 'gitlab', 'docker', 's3'].map(
        (c): CommandForm => ({
          sub: [c],
          category: 'secrets',
          target: 'none',
          defaultPath: 'cwd',
          recursive: true,
          scope: 'secrets in the repository',
          gate: { failsByDefault: false, onFlags: ['--fail'] },
        }),
      ),
    ],
  },
  {
    id: 'detect-secrets',
    tool: 'detect-secrets',
    programs: ['detect-secrets', 'detect-secrets-hook'],
    modules: ['detect_secrets'],
    valueFlags: ['--baseline', '--exclude-files', '--exclude-lines', '--exclude-secrets', '-c', '--cores', '--word-list'],
    forms: [
      {
        sub: ['scan'],
        category: 'secrets',
        target: 'path',
        defaultPath: 'cwd',
        recursive: true,
        scope: 'secrets in the repository',
        gate: { failsByDefault: false, note: '`detect-secrets scan` writes a baseline and exits 0' },
      },
      {
        sub: [],
        notNext: ['audit'],
        category: 'secrets',
        target: 'path',
        defaultPath: 'cwd',
        recursive: true,
        scope: 'secrets in the repository',
        gate: FAILS,
      },
    ],
  },
  {
    id: 'ggshield',
    tool: 'GitGuardian',
    programs: ['ggshield'],
    valueFlags: ['--exit-zero', '--minimum-severity'],
    forms: [
      {
        sub: ['secret', 'scan'],
        category: 'secrets',
        target: 'none',
        defaultPath: 'cwd',
        recursive: true,
        scope: 'secrets in the repository',
        gate: { failsByDefault: true, note: 'exits non-zero on leaks', offFlags: [{ flag: '--exit-zero' }] },
      },
    ],
  },
  {
    id: 'hadolint',
    tool: 'Hadolint',
    programs: ['hadolint'],
    images: ['hadolint/hadolint', 'ghcr.io/hadolint/hadolint'],
    valueFlags: [
      '-c',
      '--config',
      '-f',
      '--format',
      '-t',
      '--failure-threshold',
      '--ignore',
      '--trusted-registry',
      '--error',
      '--warning',
      '--info',
      '--style',
    ],
    forms: [
      {
        sub: [],
        category: 'iac',
        target: 'path',
        defaultPath: null,
        recursive: false,
        scope: 'Dockerfile lint',
        gate: {
          failsByDefault: true,
          note: 'exits non-zero on findings',
          offFlags: [{ flag: '--no-fail' }, { flag: '-t', values: ['none'] }, { flag: '--failure-threshold', values: ['none'] }],
        },
      },
    ],
  },
  {
    id: 'checkov',
    tool: 'Checkov',
    programs: ['checkov'],
    images: ['bridgecrew/checkov'],
    valueFlags: [
      '-d',
      '--directory',
      '-f',
      '--file',
      '--framework',
      '-o',
      '--output',
      '--check',
      '--skip-check',
      '--config-file',
      '--soft-fail-on',
      '--hard-fail-on',
    ],
    forms: [
      {
        sub: [],
        category: 'iac',
        target: 'none',
        defaultPath: null,
        recursive: true,
        dirFlags: ['-d', '--directory'],
        scope: 'IaC configuration',
        gate: { failsByDefault: true, note: 'exits non-zero on findings', offFlags: [{ flag: '--soft-fail' }] },
      },
    ],
  },
  {
    id: 'seaworthy',
    tool: 'seaworthy',
    programs: ['seaworthy'],
    valueFlags: ['--format', '--fail-on', '--config', '--exclude', '-o', '--output'],
    forms: [{ sub: ['check'], category: 'iac', target: 'path', defaultPath: 'cwd', recursive: true, scope: 'Docker setup', gate: FAILS }],
  },
  {
    id: 'cosign',
    tool: 'Cosign',
    programs: ['cosign'],
    valueFlags: [
      '--key',
      '-a',
      '--annotations',
      '--certificate',
      '--certificate-chain',
      '--identity-token',
      '--oidc-issuer',
      '--fulcio-url',
      '--rekor-url',
      '--output-signature',
      '--output-certificate',
      '--registry-username',
      '--registry-password',
      '--tlog-upload',
      '--sk',
      '--slot',
    ],
    forms: [
      { sub: ['sign'], category: 'signing', target: 'image', defaultPath: null, recursive: false, scope: 'image signatures', gate: FAILS },
    ],
  },
  {
    id: 'notation',
    tool: 'Notation',
    programs: ['notation'],
    valueFlags: [
      '--key',
      '-k',
      '--signature-format',
      '--plugin',
      '--id',
      '--plugin-config',
      '-u',
      '--username',
      '-p',
      '--password',
      '--expiry',
      '-e',
      '--user-metadata',
      '-m',
    ],
    forms: [
      { sub: ['sign'], category: 'signing', target: 'image', defaultPath: null, recursive: false, scope: 'image signatures', gate: FAILS },
    ],
  },
];

/** `docker build` and its spellings; builders are interpreted by the model (tags, Dockerfile, context, platforms, push). */
export const BUILD_COMMANDS = {
  /** Program → subcommand spellings that build one Dockerfile. */
  programs: {
    docker: [['build'], ['buildx', 'build'], ['buildx', 'b'], ['image', 'build'], ['builder', 'build']],
    podman: [['build'], ['image', 'build']],
    buildah: [['bud'], ['build'], ['build-using-dockerfile']],
  } as Record<string, string[][]>,
  valueFlags: DOCKER_BUILD_VALUE_FLAGS,
  fileFlags: ['-f', '--file'],
  tagFlags: ['-t', '--tag'],
  platformFlags: ['--platform'],
  targetFlags: ['--target'],
  pushFlags: ['--push'],
  /** `docker compose` global options with a value (before the subcommand). */
  composeValueFlags: [
    '-f',
    '--file',
    '-p',
    '--project-name',
    '--project-directory',
    '--env-file',
    '--profile',
    '--ansi',
    '--progress',
    '--parallel',
  ],
};

/** How an action's gate works: an input whose value decides, with the action's default. */
export interface ActionGate {
  failsByDefault: boolean;
  /** The input deciding it (`exit-code`, `fail-build`, `warn-only`). */
  input?: string;
  /** The input's default when absent. */
  default?: string;
  /** Values of `input` with which findings cannot fail the step (`'0'`, `'false'`). */
  passValues?: string[];
  /** Findings go to a review surface instead (CodeQL → code scanning). */
  reported?: string;
  note?: string;
}

export interface ActionKnowledge {
  /** `owner/repo[/path]`, lower-case; the `uses:` name must equal it or start with it followed by `/` when `prefix`. */
  uses: string;
  prefix?: boolean;
  id: string;
  tool: string;
  category: ToolCategory;
  /** Category chosen by an input (`scan-type`), with the input's default. */
  categoryInput?: { input: string; default: string; values: Record<string, ToolCategory | null> };
  /** Inputs naming the image scanned, built or signed. */
  imageInputs?: string[];
  /** Inputs naming folders scanned (with a default when absent). */
  pathInputs?: string[];
  defaultPath?: string | null;
  recursive?: boolean;
  /** Inputs naming files scanned (space/newline separated). */
  fileInputs?: string[];
  managers?: Manager[] | 'all';
  languages?: string[];
  /** Input listing languages (`languages: python, javascript`). */
  languagesInput?: string;
  scope: string;
  gate: ActionGate;
  /** An input holding extra command-line arguments for a command tool (`args: -no-fail ./...` → gosec). */
  argsInput?: { input: string; tool: string };
  /** Trivy's `scanners` input (see CommandForm.scannersFlag). */
  scannersInput?: { input: string; default: string[]; values: Record<string, ToolCategory | null> };
  /** Runs only on pull requests whatever the workflow triggers say. */
  pullRequestOnly?: boolean;
  /** docker/build-push-action's inputs. */
  build?: { context: string; file: string; tags: string; platforms: string; push: string; target: string };
  /**
   * Where the action writes SARIF (code scanning gates only the scan whose file is uploaded): the input
   * choosing the format and its default, a template input (`format: template` + a SARIF template), the
   * input naming the file and the file written without it (none: the report goes to the log).
   */
  sarif?: { formatInput: string; formatDefault: string; templateInput?: string; fileInput?: string; fileDefault?: string };
  /** Command input of actions that run one of several commands (`docker/scout-action` `command: cves`, `snyk/actions/* command: test`). */
  commandInput?: { input: string; default: string; scanCommands: string[]; categories?: Record<string, ToolCategory> };
}

const SNYK_MANAGERS: Record<string, Manager[] | 'all'> = {
  node: ['npm', 'yarn', 'pnpm'],
  python: PYTHON,
  'python-3.8': PYTHON,
  'python-3.9': PYTHON,
  'python-3.10': PYTHON,
  golang: ['go'],
  ruby: ['bundler'],
  php: ['composer'],
  maven: ['maven'],
  'maven-3-jdk-11': ['maven'],
  'maven-3-jdk-17': ['maven'],
  gradle: ['gradle'],
  'gradle-jdk11': ['gradle'],
  'gradle-jdk17': ['gradle'],
  dotnet: 'all',
  scala: 'all',
  sbt: 'all',
  swift: 'all',
  cocoapods: 'all',
};

/** GitHub actions. */
export const ACTIONS: ActionKnowledge[] = [
  {
    uses: 'aquasecurity/trivy-action',
    id: 'trivy',
    tool: 'Trivy',
    category: 'image',
    categoryInput: {
      input: 'scan-type',
      default: 'image',
      values: { image: 'image', fs: 'dependencies', rootfs: 'dependencies', repo: 'dependencies', config: 'iac', sbom: 'dependencies' },
    },
    imageInputs: ['image-ref'],
    pathInputs: ['scan-ref'],
    defaultPath: '.',
    recursive: true,
    managers: ALL,
    scope: 'container images',
    // trivy-action's `exit-code` defaults to '0': without `exit-code: '1'` nothing it finds fails the build.
    gate: { failsByDefault: false, input: 'exit-code', default: '0', passValues: ['0'] },
    sarif: { formatInput: 'format', formatDefault: 'table', templateInput: 'template', fileInput: 'output' },
    scannersInput: {
      input: 'scanners',
      default: ['vuln'],
      values: { vuln: 'dependencies', secret: 'secrets', misconfig: 'iac', license: null },
    },
  },
  {
    uses: 'anchore/scan-action',
    id: 'grype',
    tool: 'Grype',
    category: 'image',
    imageInputs: ['image'],
    pathInputs: ['path'],
    defaultPath: null,
    recursive: true,
    managers: ALL,
    scope: 'container images',
    gate: { failsByDefault: true, input: 'fail-build', default: 'true', passValues: ['false'] },
    // Without `output-file` the report is `results.sarif` (v3) or a temporary file named by `steps.<id>.outputs.sarif`.
    sarif: { formatInput: 'output-format', formatDefault: 'sarif', fileInput: 'output-file', fileDefault: 'results.sarif' },
  },
  {
    uses: 'docker/scout-action',
    id: 'docker-scout',
    tool: 'Docker Scout',
    category: 'image',
    imageInputs: ['image'],
    scope: 'container images',
    gate: { failsByDefault: false, input: 'exit-code', default: 'false', passValues: ['false'] },
    commandInput: { input: 'command', default: '', scanCommands: ['cves', 'quickview', 'compare'] },
  },
  {
    uses: 'snyk/actions/docker',
    id: 'snyk',
    tool: 'Snyk',
    category: 'image',
    imageInputs: ['image'],
    scope: 'container images',
    gate: FAILS_ACTION(),
    argsInput: { input: 'args', tool: 'snyk' },
    commandInput: { input: 'command', default: 'test', scanCommands: ['test'] },
  },
  ...Object.entries(SNYK_MANAGERS).map(
    ([lang, managers]): ActionKnowledge => ({
      uses: `snyk/actions/${lang}`,
      id: 'snyk',
      tool: 'Snyk',
      category: 'dependencies',
      pathInputs: [],
      defaultPath: '.',
      recursive: false,
      managers,
      scope: 'dependencies',
      gate: FAILS_ACTION(),
      argsInput: { input: 'args', tool: 'snyk' },
      commandInput: {
        input: 'command',
        default: 'test',
        scanCommands: ['test', 'code test'],
        categories: { 'code test': 'sast', 'iac test': 'iac' },
      },
    }),
  ),
  { uses: 'snyk/actions/setup', id: 'snyk-setup', tool: 'Snyk', category: 'setup', scope: 'installs the Snyk CLI', gate: FAILS_ACTION() },
  {
    uses: 'github/codeql-action/analyze',
    id: 'codeql',
    tool: 'CodeQL',
    category: 'sast',
    languagesInput: 'languages',
    scope: 'static analysis',
    gate: { failsByDefault: false, reported: 'alerts go to code scanning' },
  },
  {
    uses: 'github/codeql-action/init',
    id: 'codeql-init',
    tool: 'CodeQL',
    category: 'setup',
    languagesInput: 'languages',
    scope: 'CodeQL setup',
    gate: FAILS_ACTION(),
  },
  {
    uses: 'github/codeql-action/autobuild',
    id: 'codeql-autobuild',
    tool: 'CodeQL',
    category: 'setup',
    scope: 'CodeQL build',
    gate: FAILS_ACTION(),
  },
  {
    uses: 'github/codeql-action/upload-sarif',
    id: 'upload-sarif',
    tool: 'code scanning upload',
    category: 'setup',
    scope: 'SARIF upload',
    gate: FAILS_ACTION(),
  },
  ...['returntocorp/semgrep-action', 'semgrep/semgrep-action'].map(
    (uses): ActionKnowledge => ({
      uses,
      id: 'semgrep',
      tool: 'Semgrep',
      category: 'sast',
      languages: ['all languages'],
      scope: 'security rules',
      gate: { failsByDefault: true, note: 'fails on blocking findings' },
    }),
  ),
  ...['gitleaks/gitleaks-action', 'zricethezav/gitleaks-action'].map(
    (uses): ActionKnowledge => ({
      uses,
      id: 'gitleaks',
      tool: 'Gitleaks',
      category: 'secrets',
      scope: 'secrets in the repository',
      gate: { failsByDefault: true, note: 'fails on leaks' },
    }),
  ),
  {
    uses: 'trufflesecurity/trufflehog',
    id: 'trufflehog',
    tool: 'TruffleHog',
    category: 'secrets',
    scope: 'secrets in the repository',
    // The action passes `--fail` itself.
    gate: { failsByDefault: true, note: 'fails on verified secrets' },
  },
  {
    uses: 'pypa/gh-action-pip-audit',
    id: 'pip-audit',
    tool: 'pip-audit',
    category: 'dependencies',
    fileInputs: ['inputs'],
    defaultPath: null,
    managers: PYTHON,
    scope: 'Python dependencies',
    gate: FAILS_ACTION(),
  },
  {
    uses: 'google/osv-scanner-action',
    prefix: true,
    id: 'osv-scanner',
    tool: 'OSV-Scanner',
    category: 'dependencies',
    defaultPath: '.',
    recursive: true,
    managers: ALL,
    scope: 'dependencies',
    gate: { failsByDefault: true, input: 'fail-on-vuln', default: 'true', passValues: ['false'] },
    argsInput: { input: 'scan-args', tool: 'osv-scanner' },
  },
  {
    uses: 'actions/dependency-review-action',
    id: 'dependency-review',
    tool: 'Dependency Review',
    category: 'dependencies',
    defaultPath: '.',
    recursive: true,
    managers: ALL,
    scope: 'dependency changes in pull requests',
    pullRequestOnly: true,
    gate: { failsByDefault: true, input: 'warn-only', default: 'false', passValues: ['true'] },
  },
  {
    // rustsec/audit-check and its predecessor actions-rs/audit-check run `cargo audit` on the Cargo.lock of the checkout.
    uses: 'rustsec/audit-check',
    id: 'cargo-audit',
    tool: 'cargo audit',
    category: 'dependencies',
    pathInputs: ['working-directory'],
    defaultPath: '.',
    recursive: false,
    managers: ['cargo'],
    scope: 'Rust dependencies',
    gate: FAILS_ACTION(),
  },
  {
    uses: 'actions-rs/audit-check',
    id: 'cargo-audit',
    tool: 'cargo audit',
    category: 'dependencies',
    defaultPath: '.',
    recursive: false,
    managers: ['cargo'],
    scope: 'Rust dependencies',
    gate: FAILS_ACTION(),
  },
  {
    uses: 'golang/govulncheck-action',
    id: 'govulncheck',
    tool: 'govulncheck',
    category: 'dependencies',
    pathInputs: ['work-dir'],
    defaultPath: '.',
    recursive: true,
    managers: ['go'],
    scope: 'Go dependencies',
    gate: FAILS_ACTION(),
  },
  {
    uses: 'securego/gosec',
    id: 'gosec',
    tool: 'gosec',
    category: 'sast',
    languages: ['Go'],
    scope: 'Go security',
    gate: FAILS_ACTION(),
    argsInput: { input: 'args', tool: 'gosec' },
  },
  {
    uses: 'pycqa/bandit-action',
    id: 'bandit',
    tool: 'Bandit',
    category: 'sast',
    languages: ['Python'],
    scope: 'Python security',
    gate: FAILS_ACTION(),
    argsInput: { input: 'args', tool: 'bandit' },
  },
  {
    uses: 'tj-actions/bandit',
    id: 'bandit',
    tool: 'Bandit',
    category: 'sast',
    languages: ['Python'],
    scope: 'Python security',
    gate: FAILS_ACTION(),
    argsInput: { input: 'options', tool: 'bandit' },
  },
  {
    uses: 'shundor/python-bandit-scan',
    id: 'bandit',
    tool: 'Bandit',
    category: 'sast',
    languages: ['Python'],
    scope: 'Python security',
    gate: { failsByDefault: true, input: 'exit_zero', default: 'false', passValues: ['true'] },
  },
  {
    uses: 'dependency-check/dependency-check_action',
    id: 'dependency-check',
    tool: 'OWASP Dependency-Check',
    category: 'dependencies',
    pathInputs: ['path'],
    defaultPath: '.',
    recursive: true,
    managers: ALL,
    scope: 'dependencies',
    gate: { failsByDefault: false, note: 'fails only with `--failOnCVSS` in `args`' },
    argsInput: { input: 'args', tool: 'dependency-check' },
  },
  {
    uses: 'hadolint/hadolint-action',
    id: 'hadolint',
    tool: 'Hadolint',
    category: 'iac',
    scope: 'Dockerfile lint',
    gate: { failsByDefault: true, input: 'no-fail', default: 'false', passValues: ['true'] },
    sarif: { formatInput: 'format', formatDefault: 'tty', fileInput: 'output-file' },
  },
  {
    uses: 'bridgecrewio/checkov-action',
    id: 'checkov',
    tool: 'Checkov',
    category: 'iac',
    scope: 'IaC configuration',
    gate: { failsByDefault: true, input: 'soft_fail', default: 'false', passValues: ['true'] },
  },
  {
    uses: 'sigstore/cosign-installer',
    id: 'cosign-installer',
    tool: 'Cosign',
    category: 'setup',
    scope: 'installs cosign',
    gate: FAILS_ACTION(),
  },
  {
    uses: 'notaryproject/notation-action/sign',
    id: 'notation',
    tool: 'Notation',
    category: 'signing',
    imageInputs: ['target_artifact_reference'],
    scope: 'image signatures',
    gate: FAILS_ACTION(),
  },
  {
    uses: 'docker/setup-qemu-action',
    id: 'setup-qemu',
    tool: 'QEMU',
    category: 'setup',
    scope: 'emulation for multi-platform builds',
    gate: FAILS_ACTION(),
  },
  {
    uses: 'docker/setup-buildx-action',
    id: 'setup-buildx',
    tool: 'Buildx',
    category: 'setup',
    scope: 'BuildKit builder',
    gate: FAILS_ACTION(),
  },
  {
    uses: 'docker/build-push-action',
    id: 'docker-build',
    tool: 'docker/build-push-action',
    category: 'build',
    scope: 'image build',
    gate: FAILS_ACTION(),
    build: { context: 'context', file: 'file', tags: 'tags', platforms: 'platforms', push: 'push', target: 'target' },
  },
  {
    uses: 'docker/metadata-action',
    id: 'docker-metadata',
    tool: 'docker/metadata-action',
    category: 'setup',
    // Its `tags` output names the images of `images:` (`ghcr.io/acme/app:<version>`); builds that use it are matched through it.
    imageInputs: ['images'],
    scope: 'image tags',
    gate: FAILS_ACTION(),
  },
  {
    uses: 'docker/bake-action',
    id: 'docker-bake',
    tool: 'docker/bake-action',
    category: 'build',
    scope: 'image build (bake)',
    gate: FAILS_ACTION(),
  },
];

function FAILS_ACTION(): ActionGate {
  return { failsByDefault: true, note: 'fails on findings' };
}

/** GitLab's official templates (`include: template:`) and CI/CD catalog components. */
export interface GitlabScanner {
  /** Template file names (`Security/SAST.gitlab-ci.yml`) and component paths (`components/sast/sast`), lower-case. */
  templates: string[];
  components: string[];
  /** The job names the template defines (a job of that name in the file overrides it). */
  jobs: string[];
  id: string;
  tool: string;
  category: ToolCategory;
  managers?: Manager[] | 'all';
  languages?: string[];
  scope: string;
  /** The variable naming the image scanned (Container Scanning). */
  imageVariable?: string;
  imageDefault?: string;
}

/** Managers GitLab Dependency Scanning understands. */
const GITLAB_DS: Manager[] = ['npm', 'yarn', 'pnpm', 'pip', 'poetry', 'pipenv', 'uv', 'go', 'bundler', 'composer', 'maven', 'gradle'];

export const GITLAB_SCANNERS: GitlabScanner[] = [
  {
    templates: [
      'security/container-scanning.gitlab-ci.yml',
      'jobs/container-scanning.gitlab-ci.yml',
      'jobs/container-scanning.latest.gitlab-ci.yml',
      'security/container-scanning.latest.gitlab-ci.yml',
    ],
    components: ['components/container-scanning/container-scanning'],
    jobs: ['container_scanning'],
    id: 'gitlab-container-scanning',
    tool: 'GitLab Container Scanning',
    category: 'image',
    scope: 'container images',
    imageVariable: 'CS_IMAGE',
    imageDefault: '$CI_REGISTRY_IMAGE/$CI_COMMIT_REF_SLUG:$CI_COMMIT_SHA',
  },
  {
    templates: [
      'security/sast.gitlab-ci.yml',
      'jobs/sast.gitlab-ci.yml',
      'jobs/sast.latest.gitlab-ci.yml',
      'security/sast.latest.gitlab-ci.yml',
    ],
    components: ['components/sast/sast'],
    jobs: ['semgrep-sast', 'sast', 'gitlab-advanced-sast'],
    id: 'gitlab-sast',
    tool: 'GitLab SAST',
    category: 'sast',
    languages: ['all languages'],
    scope: 'static analysis',
  },
  {
    templates: [
      'security/secret-detection.gitlab-ci.yml',
      'jobs/secret-detection.gitlab-ci.yml',
      'jobs/secret-detection.latest.gitlab-ci.yml',
      'security/secret-detection.latest.gitlab-ci.yml',
    ],
    components: ['components/secret-detection/secret-detection'],
    jobs: ['secret_detection'],
    id: 'gitlab-secret-detection',
    tool: 'GitLab Secret Detection',
    category: 'secrets',
    scope: 'secrets in the repository',
  },
  {
    templates: [
      'security/dependency-scanning.gitlab-ci.yml',
      'jobs/dependency-scanning.gitlab-ci.yml',
      'jobs/dependency-scanning.latest.gitlab-ci.yml',
      'security/dependency-scanning.latest.gitlab-ci.yml',
      'jobs/dependency-scanning.v2.gitlab-ci.yml',
    ],
    components: ['components/dependency-scanning/dependency-scanning', 'components/dependency-scanning/main'],
    jobs: [
      'gemnasium-dependency_scanning',
      'gemnasium-python-dependency_scanning',
      'gemnasium-maven-dependency_scanning',
      'dependency-scanning',
    ],
    id: 'gitlab-dependency-scanning',
    tool: 'GitLab Dependency Scanning',
    category: 'dependencies',
    managers: GITLAB_DS,
    scope: 'dependencies',
  },
];

/** `Auto-DevOps.gitlab-ci.yml` includes every scanner above. */
export const GITLAB_AUTO_DEVOPS = ['auto-devops.gitlab-ci.yml'];

/** Lockfile/manifest name → manager. */
export function managerOf(path: string): Manager | null {
  const name = path.slice(path.lastIndexOf('/') + 1);
  if (name === 'package-lock.json' || name === 'npm-shrinkwrap.json') return 'npm';
  if (name === 'yarn.lock') return 'yarn';
  if (name === 'pnpm-lock.yaml') return 'pnpm';
  if (/^requirements[\w.-]*\.txt$/.test(name) || /(?:^|\/)requirements\/[^/]+\.txt$/.test(path)) return 'pip';
  if (name === 'poetry.lock') return 'poetry';
  if (name === 'Pipfile.lock') return 'pipenv';
  if (name === 'uv.lock') return 'uv';
  if (name === 'go.sum') return 'go';
  if (name === 'Cargo.lock') return 'cargo';
  if (name === 'Gemfile.lock') return 'bundler';
  if (name === 'composer.lock') return 'composer';
  if (name === 'pom.xml') return 'maven';
  if (/^build\.gradle(?:\.kts)?$/.test(name)) return 'gradle';
  return null;
}

export const ECOSYSTEM_OF: Record<Manager, string> = {
  npm: 'Node.js',
  yarn: 'Node.js',
  pnpm: 'Node.js',
  pip: 'Python',
  poetry: 'Python',
  pipenv: 'Python',
  uv: 'Python',
  go: 'Go',
  cargo: 'Rust',
  bundler: 'Ruby',
  composer: 'PHP',
  maven: 'Java',
  gradle: 'Java',
};

/** The audit command to suggest per manager. */
export const AUDIT_HINT: Record<Manager, string> = {
  npm: '`npm audit --audit-level=high`',
  yarn: '`yarn audit` (`yarn npm audit` on Yarn 2+)',
  pnpm: '`pnpm audit`',
  pip: '`pip-audit -r <file>`',
  poetry: '`pip-audit` (after `poetry export`) or `osv-scanner -L poetry.lock`',
  pipenv: '`pip-audit` or `osv-scanner -L Pipfile.lock`',
  uv: '`osv-scanner -L uv.lock` or `trivy fs`',
  go: '`govulncheck ./...`',
  cargo: '`cargo audit`',
  bundler: '`bundle audit check --update`',
  composer: '`composer audit`',
  maven: '`osv-scanner -L pom.xml` or OWASP dependency-check with `--failOnCVSS`',
  gradle: 'OWASP dependency-check with `--failOnCVSS` or `trivy fs`',
};

/** Commands that install dependencies into the job's environment (so an environment audit such as bare `pip-audit` covers them). */
export const INSTALLS: { program: string; sub: string[]; fileFlags: string[]; lockfile?: string }[] = [
  { program: 'pip', sub: ['install'], fileFlags: ['-r', '--requirement'] },
  { program: 'pip3', sub: ['install'], fileFlags: ['-r', '--requirement'] },
  { program: 'uv', sub: ['pip', 'install'], fileFlags: ['-r', '--requirement'] },
  { program: 'uv', sub: ['sync'], fileFlags: [], lockfile: 'uv.lock' },
  { program: 'poetry', sub: ['install'], fileFlags: [], lockfile: 'poetry.lock' },
  { program: 'pipenv', sub: ['install'], fileFlags: [], lockfile: 'Pipfile.lock' },
  { program: 'pipenv', sub: ['sync'], fileFlags: [], lockfile: 'Pipfile.lock' },
];

/** Programs that run another program given as their next argument(s): `sub` lists the subcommand words that do it (`poetry run X`); none: the program itself wraps (`sudo X`). */
export const WRAPPERS: Record<string, { skipValueFlags?: string[]; sub?: string[] }> = {
  sudo: { skipValueFlags: ['-u', '-g', '-C', '-D'] },
  env: {},
  time: {},
  nice: { skipValueFlags: ['-n'] },
  nohup: {},
  npx: { skipValueFlags: ['-p', '--package'] },
  bunx: {},
  uvx: { skipValueFlags: ['--from', '--with', '--python', '-p'] },
  pipx: { sub: ['run'], skipValueFlags: ['--spec'] },
  poetry: { sub: ['run'] },
  pipenv: { sub: ['run'] },
  pdm: { sub: ['run'] },
  hatch: { sub: ['run'] },
  uv: { sub: ['run'], skipValueFlags: ['--with', '--python', '-p', '--from', '--project', '--directory'] },
  npm: { sub: ['exec'], skipValueFlags: ['-p', '--package'] },
  pnpm: { sub: ['exec', 'dlx'] },
  yarn: { sub: ['dlx', 'exec'] },
  bundle: { sub: ['exec'] },
};

/** `go run golang.org/x/vuln/cmd/govulncheck@latest` and the like: module path → program. */
export const GO_RUN: Record<string, string> = {
  'golang.org/x/vuln/cmd/govulncheck': 'govulncheck',
  'github.com/securego/gosec/v2/cmd/gosec': 'gosec',
  'github.com/google/osv-scanner/cmd/osv-scanner': 'osv-scanner',
  'github.com/google/osv-scanner/v2/cmd/osv-scanner': 'osv-scanner',
  'github.com/zricethezav/gitleaks/v8': 'gitleaks',
};

/** Action owners whose tags are low severity in `ci/pinned-actions` (GitHub's and Docker's own). */
export const FIRST_PARTY_OWNERS = new Set(['actions', 'github', 'docker']);
