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

export class UsersRepo {
  private readonly s: {
    get: Stmt<UserRow>;
    upsert: Stmt;
    count: Stmt<{ n: number }>;
    createSession: Stmt;
    session: Stmt<SessionRow>;
    revoke: Stmt;
    purge: Stmt;
  };

  constructor(private readonly db: Db) {
    this.s = {
      get: db.prepare('user get', 'SELECT username, role, password_hash, password_salt FROM users WHERE username = ?'),
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
         WHERE a.token_hash = ? AND a.revoked_at IS NULL AND a.expires_at > ?`,
      ),
      revoke: db.prepare('session revoke', 'UPDATE auth_sessions SET revoked_at = ? WHERE token_hash = ? AND revoked_at IS NULL'),
      purge: db.prepare('sessions purge', 'DELETE FROM auth_sessions WHERE expires_at < ?'),
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

  /** Forgets sessions that expired more than a day ago. */
  purgeExpired(): void {
    this.s.purge.run(new Date(Date.now() - 86_400_000).toISOString());
  }
}
