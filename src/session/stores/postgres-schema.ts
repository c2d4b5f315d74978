/**
 * The table `PostgresStore` keeps sessions in, and its migrations: numbered steps, each applied
 * once, recorded in a table of their own beside the sessions table. `migrate()` runs them; the same
 * SQL, from `postgresMigrationSql()`, can be reviewed and run by hand (`psql -f`) instead.
 */
import { SessionConfigError } from '../errors.ts';

/** The schema version this release of `PostgresStore` needs; `migrate()` brings a table up to it. */
export const POSTGRES_SCHEMA_VERSION = 1;

/** Where the sessions table is. */
export interface PostgresTableOptions {
  /** The sessions table. Letters, digits and `_`, at most 48 characters. Default `'sessions'`. */
  table?: string;
  /** The schema that holds it. Default: none, so the connection's `search_path` decides (usually `public`). */
  schema?: string;
}

/** The quoted names one store's SQL uses. Internal. */
export interface PostgresNames {
  /** The sessions table, quoted and qualified when a schema was given: `"app"."sessions"`. */
  readonly table: string;
  /** The table that records applied migrations. */
  readonly migrations: string;
  /** The table's name, unquoted and qualified, for messages: `app.sessions`. */
  readonly display: string;
  /** An index name (indexes live in their table's schema, so it is never qualified). */
  index(column: string): string;
}

/** A lower-case-safe identifier: no quoting surprises, and room for the `_migrations` and index suffixes within PostgreSQL's 63 bytes. */
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]{0,47}$/;

/** Checks the table and schema names and quotes them; a bad name is a configuration error, thrown at once. */
export function postgresNames(options: PostgresTableOptions = {}): PostgresNames {
  const table = options.table ?? 'sessions';
  const schema = options.schema;
  for (const [what, name] of [['table', table], ['schema', schema]] as const) {
    if (name === undefined && what === 'schema') continue;
    if (typeof name !== 'string' || !IDENTIFIER.test(name)) {
      throw new SessionConfigError(
        `PostgresStore ${what} name ${JSON.stringify(name)} is not allowed.`,
        'Use letters, digits and _ (not starting with a digit, at most 48 characters), e.g. "sessions".',
      );
    }
  }
  const qualify = (name: string): string => (schema === undefined ? `"${name}"` : `"${schema}"."${name}"`);
  return {
    table: qualify(table),
    migrations: qualify(`${table}_migrations`),
    display: schema === undefined ? table : `${schema}.${table}`,
    index: (column) => `"${table}_${column}"`,
  };
}

interface Migration {
  version: number;
  description: string;
  /** Plain DDL: it runs inside a PL/pgSQL block, once. */
  sql(names: PostgresNames): string;
}

const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: 'sessions table, with its expiry and user indexes',
    // - record is `json`, not `jsonb`: `json` keeps the text exactly as written (key order, and the
    //   \u0000 and lone surrogates JSON.stringify may write, which `jsonb` refuses), and still lets
    //   an operator query it (record->'data').
    // - expires_at is the record's expires as an instant; '-infinity' when it cannot be read, so such
    //   a record counts as long expired (never returned, removed by the next clean()).
    // - COLLATE "C": ids are ASCII tokens and user ids opaque keys; byte order compares fastest, and
    //   matches the order of a JavaScript sort.
    sql: (names) => `
    CREATE TABLE ${names.table} (
      session_id text COLLATE "C" PRIMARY KEY,
      user_id text COLLATE "C" NOT NULL,
      expires_at timestamptz NOT NULL,
      version bigint NOT NULL,
      record json NOT NULL
    );
    CREATE INDEX ${names.index('expires_at')} ON ${names.table} (expires_at);
    CREATE INDEX ${names.index('user_id')} ON ${names.table} (user_id);`,
  },
];

/**
 * The migration as one multi-statement text: take a lock on this table's migrations (so two
 * servers starting at once do not race), create the migrations table when missing, read the
 * version, apply each migration not yet recorded, read the version again. Sent as one simple
 * query it runs as one transaction: all of it or none of it, and the lock is released at the end.
 */
export function migrationStatements(names: PostgresNames): string {
  const steps = MIGRATIONS.map(
    (migration) => `
  IF NOT EXISTS (SELECT FROM ${names.migrations} WHERE version = ${migration.version}) THEN${migration.sql(names)}
    INSERT INTO ${names.migrations} (version, description) VALUES (${migration.version}, '${migration.description.replaceAll("'", "''")}');
  END IF;`,
  ).join('');
  return `SELECT pg_advisory_xact_lock(hashtextextended('sessionlab.migrate:${names.table}', 0));
CREATE TABLE IF NOT EXISTS ${names.migrations} (
  version integer PRIMARY KEY,
  description text NOT NULL,
  applied_at timestamptz NOT NULL DEFAULT now()
);
SELECT coalesce(max(version), 0) AS version FROM ${names.migrations};
DO $migrate$
BEGIN${steps}
END
$migrate$;
SELECT coalesce(max(version), 0) AS version FROM ${names.migrations};`;
}

/**
 * The SQL that creates, or brings up to date, the sessions table, for those who review schema
 * changes or run them with their own migration tool rather than calling `migrate()`. It is what
 * `migrate()` runs, wrapped in a transaction; safe to run again.
 *
 * @example
 * // node -e "import('sessionlab/postgres').then((m) => console.log(m.postgresMigrationSql()))" > sessions.sql
 * // psql "$DATABASE_URL" -v ON_ERROR_STOP=1 -f sessions.sql
 */
export function postgresMigrationSql(options: PostgresTableOptions = {}): string {
  return `-- sessionlab/postgres: sessions table, schema version ${POSTGRES_SCHEMA_VERSION}. Safe to run again.
BEGIN;
${migrationStatements(postgresNames(options))}
COMMIT;
`;
}
