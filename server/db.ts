/** The SQLite database: one file in the data directory, WAL mode, migrated on open. */
import Database from 'better-sqlite3';
import { join } from 'node:path';

export type Db = Database.Database;

const MIGRATIONS: string[] = [
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
];

/** Opens (creating when needed) `convene.db` in `dataDir` and brings it to the latest schema. */
export function openDb(dataDir: string): Db {
  const db = new Database(join(dataDir, 'convene.db'));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  const version = db.pragma('user_version', { simple: true }) as number;
  for (let v = version; v < MIGRATIONS.length; v++) {
    db.transaction(() => {
      db.exec(MIGRATIONS[v]);
      db.pragma(`user_version = ${v + 1}`);
    })();
  }
  return db;
}
