/** The SQLite database: one file in the data directory, WAL mode, migrated on open. */
import Database from 'better-sqlite3';
import { join } from 'node:path';

export type Db = Database.Database;

/** A step of the schema: SQL, or a function for steps that need the time of the migration. */
type Migration = string | ((db: Database.Database, now: number) => void);

const DAY = 24 * 60 * 60 * 1000;

const MIGRATIONS: Migration[] = [
  `
  CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
  CREATE TABLE initiatives (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    issue TEXT NOT NULL,
    stage TEXT NOT NULL DEFAULT 'readiness',
    created_at TEXT NOT NULL
  );
  CREATE TABLE members (
    id TEXT PRIMARY KEY,
    initiative_id TEXT NOT NULL REFERENCES initiatives(id) ON DELETE CASCADE,
    role TEXT NOT NULL,
    label TEXT,
    name TEXT,
    token_hash TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL
  );
  CREATE INDEX members_initiative ON members(initiative_id);
  CREATE TABLE sessions (id_hash TEXT PRIMARY KEY, created_at TEXT NOT NULL);
  CREATE TABLE session_members (
    session_hash TEXT NOT NULL REFERENCES sessions(id_hash) ON DELETE CASCADE,
    member_id TEXT NOT NULL REFERENCES members(id) ON DELETE CASCADE,
    PRIMARY KEY (session_hash, member_id)
  );
  CREATE TABLE doc_updates (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    room TEXT NOT NULL,
    data BLOB NOT NULL
  );
  CREATE INDEX doc_updates_room ON doc_updates(room, seq);
  CREATE TABLE workflows (
    initiative_id TEXT PRIMARY KEY REFERENCES initiatives(id) ON DELETE CASCADE,
    snapshot TEXT NOT NULL,
    updated_at TEXT NOT NULL
  );
  `,
  peopleAndAccess,
  // Workshop mode (issue #11): each workshop's statechart snapshot, and what the
  // revealed private cards became; members say which sector and organisation
  // they speak for (attendance by sector).
  `
  CREATE TABLE workshops (
    id TEXT PRIMARY KEY,
    initiative_id TEXT NOT NULL REFERENCES initiatives(id) ON DELETE CASCADE,
    title TEXT NOT NULL,
    date TEXT,
    status TEXT NOT NULL,
    snapshot TEXT NOT NULL,
    cards TEXT NOT NULL DEFAULT '[]',
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
  );
  CREATE INDEX workshops_by_initiative ON workshops(initiative_id, created_at);
  ALTER TABLE members ADD COLUMN sector TEXT;
  ALTER TABLE members ADD COLUMN organisation TEXT;
  `,
  // Shared measurement (issue #12, server/measures/sqlite.ts): each indicator's
  // server-side settings, its measurements (replaced ones kept with current = 0,
  // at most one current value per indicator, period and subgroup; a null
  // subgroup is the whole population, '' never is one), and the public report links.
  `
  CREATE TABLE measure_settings (
    initiative_id TEXT NOT NULL REFERENCES initiatives(id) ON DELETE CASCADE,
    indicator TEXT NOT NULL,
    access TEXT NOT NULL,
    stewards TEXT NOT NULL DEFAULT '[]',
    baseline TEXT,
    target TEXT,
    PRIMARY KEY (initiative_id, indicator)
  );
  CREATE TABLE measurements (
    id TEXT PRIMARY KEY,
    initiative_id TEXT NOT NULL REFERENCES initiatives(id) ON DELETE CASCADE,
    indicator TEXT NOT NULL,
    date TEXT NOT NULL,
    period TEXT NOT NULL,
    value REAL NOT NULL,
    subgroup TEXT,
    note TEXT,
    entered_by_id TEXT,
    entered_by_name TEXT NOT NULL,
    entered_at TEXT NOT NULL,
    status TEXT NOT NULL,
    reviewed_by_id TEXT,
    reviewed_by_name TEXT,
    reviewed_at TEXT,
    review_reason TEXT,
    current INTEGER NOT NULL DEFAULT 1
  );
  CREATE UNIQUE INDEX measurements_current ON measurements(initiative_id, indicator, period, IFNULL(subgroup, '')) WHERE current = 1;
  CREATE INDEX measurements_by_initiative ON measurements(initiative_id, indicator, period);
  CREATE TABLE report_links (
    id TEXT PRIMARY KEY,
    initiative_id TEXT NOT NULL REFERENCES initiatives(id) ON DELETE CASCADE,
    token TEXT NOT NULL UNIQUE,
    created_by_id TEXT,
    created_by_name TEXT NOT NULL,
    created_at TEXT NOT NULL
  );
  CREATE INDEX report_links_by_initiative ON report_links(initiative_id, created_at);
  `,
  // The backbone's view (issue #13, docs/portfolio.md): an initiative may sit
  // under a parent; each initiative's portfolio figures, kept up to date as it
  // changes so the portfolio never loads every document (JSON of
  // server/portfolio/); the framework's saved versions, copied out of the
  // document (JSON of machines/framework/types.ts FrameworkSnapshot).
  `
  ALTER TABLE initiatives ADD COLUMN parent_id TEXT REFERENCES initiatives(id) ON DELETE SET NULL;
  CREATE INDEX initiatives_by_parent ON initiatives(parent_id);
  CREATE TABLE initiative_status (
    initiative_id TEXT PRIMARY KEY REFERENCES initiatives(id) ON DELETE CASCADE,
    status TEXT NOT NULL,
    updated_at TEXT NOT NULL
  );
  CREATE TABLE framework_versions (
    id TEXT PRIMARY KEY,
    initiative_id TEXT NOT NULL REFERENCES initiatives(id) ON DELETE CASCADE,
    number INTEGER NOT NULL,
    name TEXT NOT NULL,
    note TEXT NOT NULL,
    kind TEXT NOT NULL,
    content TEXT NOT NULL,
    created_by_id TEXT,
    created_by_name TEXT NOT NULL,
    created_at TEXT NOT NULL,
    UNIQUE (initiative_id, number)
  );
  `,
  // The document log keyed by (room, seq), WITHOUT ROWID (issue #14, point 8):
  // an append writes one B-tree, where the old table wrote three pages (its
  // rows, the (room, seq) index, and sqlite_sequence for AUTOINCREMENT). Each
  // room now numbers its own entries on from its largest number
  // (server/storage/sqlite.ts); the entries keep the numbers they had.
  `
  CREATE TABLE doc_log (
    room TEXT NOT NULL,
    seq INTEGER NOT NULL,
    data BLOB NOT NULL,
    PRIMARY KEY (room, seq)
  ) WITHOUT ROWID;
  INSERT INTO doc_log (room, seq, data) SELECT room, seq, data FROM doc_updates;
  DROP TABLE doc_updates;
  ALTER TABLE doc_log RENAME TO doc_updates;
  `,
  // The log number the portfolio figures were computed from, in a column of its
  // own (issue #14): kept inside the figures' JSON before, where a process of
  // an older release, which does not know to strip it, served it to browsers.
  `
  ALTER TABLE initiative_status ADD COLUMN doc_seq INTEGER;
  `,
];

/**
 * People and access (issue #10): invites become their own single-use,
 * expiring records; members lose their tokens; sessions get an admin flag and
 * a last use; the audit record starts. Members never named become unused
 * invites (their links keep working until 7 days after the migration); named
 * members keep their ids and sessions, and their old tokens stop working.
 */
function peopleAndAccess(db: Database.Database, now: number): void {
  db.exec(`
  ALTER TABLE session_members RENAME TO old_session_members;
  ALTER TABLE sessions RENAME TO old_sessions;
  ALTER TABLE members RENAME TO old_members;
  CREATE TABLE members (
    id TEXT PRIMARY KEY,
    initiative_id TEXT NOT NULL REFERENCES initiatives(id) ON DELETE CASCADE,
    role TEXT NOT NULL,
    label TEXT,
    name TEXT,
    joined_at TEXT NOT NULL,
    last_seen_at TEXT
  );
  CREATE INDEX members_by_initiative ON members(initiative_id);
  CREATE TABLE invites (
    id TEXT PRIMARY KEY,
    initiative_id TEXT NOT NULL REFERENCES initiatives(id) ON DELETE CASCADE,
    role TEXT NOT NULL,
    label TEXT,
    member_id TEXT,
    token_hash TEXT NOT NULL UNIQUE,
    created_by_id TEXT,
    created_by_name TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    used_at TEXT,
    used_by TEXT,
    revoked_at TEXT,
    expired_recorded INTEGER NOT NULL DEFAULT 0
  );
  CREATE INDEX invites_by_initiative ON invites(initiative_id);
  CREATE TABLE sessions (
    id_hash TEXT PRIMARY KEY,
    admin INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    last_used_at TEXT NOT NULL
  );
  CREATE TABLE session_members (
    session_hash TEXT NOT NULL REFERENCES sessions(id_hash) ON DELETE CASCADE,
    member_id TEXT NOT NULL REFERENCES members(id) ON DELETE CASCADE,
    PRIMARY KEY (session_hash, member_id)
  );
  CREATE INDEX session_members_by_member ON session_members(member_id);
  CREATE TABLE admin_sign_ins (
    token_hash TEXT PRIMARY KEY,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    used_at TEXT
  );
  CREATE TABLE audit (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    initiative_id TEXT NOT NULL REFERENCES initiatives(id) ON DELETE CASCADE,
    at TEXT NOT NULL,
    action TEXT NOT NULL,
    actor_id TEXT,
    actor_name TEXT NOT NULL,
    subject_kind TEXT NOT NULL,
    subject_id TEXT NOT NULL,
    subject_name TEXT,
    detail TEXT NOT NULL
  );
  CREATE INDEX audit_by_initiative ON audit(initiative_id, at);
  `);
  const at = new Date(now).toISOString();
  db.prepare(
    `INSERT INTO members (id, initiative_id, role, label, name, joined_at, last_seen_at)
     SELECT id, initiative_id, role, label, name, created_at, NULL FROM old_members WHERE name IS NOT NULL`,
  ).run();
  db.prepare(
    `INSERT INTO invites (id, initiative_id, role, label, member_id, token_hash, created_by_id, created_by_name, created_at, expires_at)
     SELECT id, initiative_id, role, label, NULL, token_hash, NULL, 'Administrator', created_at, ? FROM old_members WHERE name IS NULL`,
  ).run(new Date(now + 7 * DAY).toISOString());
  db.prepare('INSERT INTO sessions (id_hash, admin, created_at, last_used_at) SELECT id_hash, 0, created_at, ? FROM old_sessions').run(at);
  db.prepare(
    `INSERT INTO session_members (session_hash, member_id)
     SELECT session_hash, member_id FROM old_session_members WHERE member_id IN (SELECT id FROM members)`,
  ).run();
  db.exec('DROP TABLE old_session_members; DROP TABLE old_sessions; DROP TABLE old_members;');
}

/**
 * Opens (creating when needed) `convene.db` in `dataDir` and brings it to the
 * latest schema (or to `version`, for tests of a migration); `now` (ms) is the
 * time migrations that set expiries go by.
 */
export function openDb(dataDir: string, now: number = Date.now(), version: number = MIGRATIONS.length): Db {
  const db = new Database(join(dataDir, 'convene.db'));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  const current = db.pragma('user_version', { simple: true }) as number;
  for (let v = current; v < version; v++) {
    db.transaction(() => {
      const migration = MIGRATIONS[v];
      if (typeof migration === 'string') db.exec(migration);
      else migration(db, now);
      db.pragma(`user_version = ${v + 1}`);
    })();
  }
  return db;
}
