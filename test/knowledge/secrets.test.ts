import { describe, expect, it } from 'vitest';
import {
  embedsCredentials,
  findUrlCredentials,
  isLiteralValue,
  isSecretFile,
  isSecretName,
  isWeakValue,
  maskSecret,
  maskUrlCredentials,
  matchSecretFile,
  nameWords,
  WEAK_VALUES,
} from '../../src/knowledge/secrets.js';

describe('nameWords', () => {
  it('splits on separators, digits and camelCase', () => {
    expect(nameWords('DB_PASSWORD')).toEqual(['db', 'password']);
    expect(nameWords('dbPassword')).toEqual(['db', 'password']);
    expect(nameWords('APIKey')).toEqual(['api', 'key']);
    expect(nameWords('aws.secret-access_key')).toEqual(['aws', 'secret', 'access', 'key']);
    expect(nameWords('OAUTH2_SECRET')).toEqual(['oauth', '2', 'secret']);
  });
});

describe('isSecretName', () => {
  it.each([
    'PASSWORD',
    'POSTGRES_PASSWORD',
    'MYSQL_ROOT_PASSWD',
    'DB_PWD',
    'SMTP_PASS',
    'SECRET_KEY',
    'JWT_SECRET',
    'SECRETS',
    'GITHUB_TOKEN',
    'NODE_AUTH_TOKEN',
    'API_KEY',
    'apiKey',
    'STRIPE_APIKEY',
    'AWS_SECRET_ACCESS_KEY',
    'PRIVATE_KEY',
    'GOOGLE_CREDENTIALS',
    'BASIC_AUTH',
    'SENTRY_DSN',
    'PASSWORD_SALT',
    'SESSION_COOKIE',
    'redis.password',
    'x-api-key',
    'SECRET_KEY_BASE',
    'PASSPHRASE',
    'DB_PASSWORD_2',
  ])('%s is secret-like', (n) => {
    expect(isSecretName(n)).toBe(true);
  });

  it.each([
    // no secret word
    'DATABASE_URL',
    'POSTGRES_USER',
    'NODE_ENV',
    'KEYBOARD_LAYOUT',
    'MONKEY',
    'PASSENGER_COUNT',
    'BYPASS_CACHE',
    'AUTHOR',
    'KEYCLOAK_REALM',
    'TOKENIZER',
    'OAUTH_ISSUER',
    // public keys are public
    'PUBLIC_KEY',
    'NEXT_PUBLIC_MAPS_KEY',
    'STRIPE_PUBLISHABLE_KEY',
    'GPG_KEY',
    // describes a secret, does not hold it
    'POSTGRES_PASSWORD_FILE',
    'SECRETS_DIR',
    'KEY_PREFIX',
    'CACHE_KEY_PREFIX',
    'AUTH_URL',
    'TOKEN_TTL',
    'ACCESS_TOKEN_EXPIRE_MINUTES',
    'POSTGRES_HOST_AUTH_METHOD',
    'SESSION_COOKIE_SECURE',
    'PASSWORD_MIN_LENGTH',
    'AUTH_ENABLED',
    'AWS_ACCESS_KEY_ID',
    'JWT_SECRET_ALGORITHM',
    'BASIC_AUTH_USERNAME',
    'SMTP_AUTH_USER',
    // settings of an app whose prefix is a secret word (hemmelig's `SECRET_*`)
    'SECRET_FORCED_LANGUAGE',
    'SECRET_DEFAULT_LOCALE',
    'TOKEN_LANG',
    // the shell's working directory
    'PWD',
    'OLDPWD',
  ])('%s is not secret-like', (n) => {
    expect(isSecretName(n)).toBe(false);
  });
});

describe('URL credentials', () => {
  it('finds literal passwords in URLs', () => {
    expect(embedsCredentials('postgres://app:s3cret@db:5432/app')).toBe(true);
    expect(embedsCredentials('redis://:s3cret@redis:6379/0')).toBe(true);
    expect(embedsCredentials('amqp://guest:${RABBIT_PASSWORD:-guest}@mq')).toBe(true);
  });
  it('accepts variable references and URLs without a password', () => {
    expect(embedsCredentials('postgres://app:${DB_PASSWORD}@db/app')).toBe(false);
    expect(embedsCredentials('redis://:$REDIS_PASSWORD@redis')).toBe(false);
    expect(embedsCredentials('postgres://app:${DB_PASSWORD:?required}@db/app')).toBe(false);
    expect(embedsCredentials('https://user@example.com/x')).toBe(false);
    expect(embedsCredentials('http://localhost:8000/health')).toBe(false);
  });
  it('locates the password', () => {
    const v = 'x=postgres://app:pw@db';
    const [c] = findUrlCredentials(v);
    expect(c).toMatchObject({ scheme: 'postgres', user: 'app', password: 'pw' });
    expect(v.slice(c.index, c.index + 2)).toBe('pw');
  });
  it('masks', () => {
    expect(maskSecret('hunter2')).toBe('****');
    expect(maskSecret('')).toBe('****');
    expect(maskUrlCredentials('postgres://app:s3cret@db/app')).toBe('postgres://app:****@db/app');
    expect(maskUrlCredentials('redis://:${REDIS_PASSWORD}@redis')).toBe('redis://:${REDIS_PASSWORD}@redis');
  });
});

describe('isLiteralValue', () => {
  it.each([
    ['s3cret', true],
    ['${X:-dev_only_password}', true],
    ['${X-fallback}', true],
    ['$X', false],
    ['${X}', false],
    ['${X:?must be set}', false],
    ['Bearer $TOKEN', false],
    ['', false],
    ['  ', false],
    ['true', false],
    ['0', false],
    ['${X:-}', false],
    ['${X:-$Y}', false],
    // file paths, not secrets
    ['/run/secrets/db-password', false],
    ['%kernel.project_dir%/config/jwt/private.pem', false],
    ['./certs/server.key', false],
    ['~/.ssh/id_ed25519', false],
    ['/keys/jwt/private.pem', false],
    ['${JWT_KEY:-/etc/jwt/private.pem}', false],
    // a leading slash alone is no path: generated passwords may start with one
    ['/Xk9aQ2b/pQ7zLmW8', true],
    ['/s3cr3t', true],
    ['/s3cr3t.key', true],
    ['/run/secrets/db password', true],
  ])('%j → %s', (v, want) => {
    expect(isLiteralValue(v)).toBe(want);
  });
});

describe('weak values', () => {
  it('lists the reference defaults', () => {
    for (const v of ['password', 'changeme', 'secret', 'admin', 'root', 'example', 'dev_only_password', 'postgres']) {
      expect(WEAK_VALUES).toContain(v);
    }
  });
  it('is weak when known or short', () => {
    expect(isWeakValue('ChangeMe')).toBe(true);
    expect(isWeakValue('short')).toBe(true);
    expect(isWeakValue('a-long-random-value-4f9c2e')).toBe(false);
    expect(isWeakValue('dev_only_password', 8)).toBe(true);
  });
});

describe('secret files', () => {
  it.each([
    '.env',
    'backend/.env',
    '.env.local',
    '.env.production',
    'prod.env',
    'id_rsa',
    'home/.ssh/id_ed25519',
    'server.pem',
    'certs/tls.key',
    'credentials.json',
    'client_secret_123.apps.json',
    '.npmrc',
    '.pypirc',
    '.git-credentials',
    '.netrc',
    '.aws/credentials',
    'root/.aws/credentials',
    '.docker/config.json',
    'keystore.jks',
  ])('%s is a secret file', (p) => {
    expect(isSecretFile(p)).toBe(true);
  });
  it.each([
    '.env.example',
    '.env.sample',
    '.env.template',
    'example.env',
    '.env.local.example',
    'id_rsa.pub',
    'README.md',
    'credentials.py',
    'config.json',
    'aws/credentials.md',
    'keys.txt',
    '.envrc',
  ])('%s is not a secret file', (p) => {
    expect(isSecretFile(p)).toBe(false);
  });
  it('says what matched', () => {
    expect(matchSecretFile('deploy/id_rsa')).toEqual({ pattern: 'id_rsa', description: 'SSH private key' });
  });
});
