// Users and their sign-in sessions. Only hashes are stored: scrypt for passwords, SHA-256 for tokens.
import type { Role } from '../../common/model.js';
import type { Db, Stmt } from './db.js';
import { nowIso } from './changes.js';

export interface UserRow {
  username: string;
  role: Role;
  password_hash: string;
  password_salt: string;
}

export interface SessionRow {
  username: string;
  role: Role;
  expires_at: string;
}

/** A user as `user list` shows it (never the hash). */
export interface UserListing {
  username: string;
  role: Role;
  created_at: string;
  disabled_at: string | null;
  /** Sessions neither expired nor revoked. */
  live_sessions: number;
}

/** Why a token no longer stands for a live session (null: it still does). */
export type SessionEnd = 'unknown' | 'expired' | 'revoked' | 'disabled' | null;

export class UsersRepo {
  private readonly s: {
    get: Stmt<UserRow>;
    upsert: Stmt;
    count: Stmt<{ n: number }>;
    createSession: Stmt;
    session: Stmt<SessionRow>;
    revoke: Stmt;
    purge: Stmt;
    list: Stmt<UserListing>;
    disable: Stmt;
    enable: Stmt;
    revokeUser: Stmt;
    end: Stmt<{ expires_at: string; revoked_at: string | null; disabled_at: string | null }>;
  };

  constructor(private readonly db: Db) {
    this.s = {
      // A disabled user cannot sign in: to the login it is as if the user did not exist.
      get: db.prepare(
        'user get',
        'SELECT username, role, password_hash, password_salt FROM users WHERE username = ? AND disabled_at IS NULL',
      ),
      upsert: db.prepare(
        'user upsert',
        `INSERT INTO users (username, role, password_hash, password_salt, created_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (username) DO UPDATE SET role = excluded.role, password_hash = excluded.password_hash,
           password_salt = excluded.password_salt`,
      ),
      count: db.prepare('users count', 'SELECT COUNT(*) AS n FROM users'),
      createSession: db.prepare(
        'session create',
        'INSERT INTO auth_sessions (token_hash, username, created_at, expires_at) VALUES (?, ?, ?, ?)',
      ),
      session: db.prepare(
        'session get',
        `SELECT u.username, u.role, a.expires_at FROM auth_sessions a JOIN users u ON u.username = a.username
         WHERE a.token_hash = ? AND a.revoked_at IS NULL AND a.expires_at > ? AND u.disabled_at IS NULL`,
      ),
      revoke: db.prepare(
        'session revoke',
        'UPDATE auth_sessions SET revoked_at = ? WHERE token_hash = ? AND revoked_at IS NULL',
      ),
      purge: db.prepare('sessions purge', 'DELETE FROM auth_sessions WHERE expires_at < ?'),
      list: db.prepare(
        'users list',
        `SELECT u.username, u.role, u.created_at, u.disabled_at,
           (SELECT COUNT(*) FROM auth_sessions a WHERE a.username = u.username AND a.revoked_at IS NULL AND a.expires_at > ?)
             AS live_sessions
         FROM users u ORDER BY u.username`,
      ),
      disable: db.prepare(
        'user disable',
        'UPDATE users SET disabled_at = ? WHERE username = ? AND disabled_at IS NULL',
      ),
      enable: db.prepare(
        'user enable',
        'UPDATE users SET disabled_at = NULL WHERE username = ? AND disabled_at IS NOT NULL',
      ),
      revokeUser: db.prepare(
        'sessions revoke user',
        'UPDATE auth_sessions SET revoked_at = ? WHERE username = ? AND revoked_at IS NULL',
      ),
      end: db.prepare(
        'session end',
        `SELECT a.expires_at, a.revoked_at, u.disabled_at FROM auth_sessions a JOIN users u ON u.username = a.username
         WHERE a.token_hash = ?`,
      ),
    };
  }

  get(username: string): UserRow | null {
    return this.s.get.get(username) ?? null;
  }

  upsert(username: string, role: Role, passwordHash: string, salt: string): void {
    this.s.upsert.run(username, role, passwordHash, salt, nowIso());
  }

  count(): number {
    return this.s.count.get()?.n ?? 0;
  }

  createSession(tokenHash: string, username: string, expiresAt: string): void {
    this.s.createSession.run(tokenHash, username, nowIso(), expiresAt);
  }

  /** The live session of a token hash: null when unknown, expired or revoked. */
  session(tokenHash: string): SessionRow | null {
    return this.s.session.get(tokenHash, nowIso()) ?? null;
  }

  revoke(tokenHash: string): boolean {
    return this.s.revoke.run(nowIso(), tokenHash).changes > 0;
  }

  /** Whether a user of that name exists at all (disabled or not). */
  exists(username: string): boolean {
    return this.list().some((u) => u.username === username);
  }

  list(): UserListing[] {
    return this.s.list.all(nowIso());
  }

  /**
   * Disables a user and revokes every session of theirs, in one transaction. Consoles connected with one of
   * those sessions are dropped by the running backend's session sweep. False when already disabled or unknown.
   */
  disable(username: string): boolean {
    return this.db.tx('user disable', () => {
      const now = nowIso();
      const changed = this.s.disable.run(now, username).changes > 0;
      this.s.revokeUser.run(now, username);
      return changed;
    });
  }

  enable(username: string): boolean {
    return this.s.enable.run(username).changes > 0;
  }

  /** Why a token hash no longer stands for a live session, or null when it still does. */
  sessionEnd(tokenHash: string): SessionEnd {
    const row = this.s.end.get(tokenHash);
    if (!row) return 'unknown';
    if (row.disabled_at) return 'disabled';
    if (row.revoked_at) return 'revoked';
    if (row.expires_at <= nowIso()) return 'expired';
    return null;
  }

  /** Forgets sessions that expired more than a day ago. */
  purgeExpired(): void {
    this.s.purge.run(new Date(Date.now() - 86_400_000).toISOString());
  }
}
