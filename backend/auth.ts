// Passwords (scrypt, salted) and session tokens (random; only their SHA-256 is stored).
import { createHash, randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import type { Role } from '../common/model.js';
import type { SessionInfo } from '../common/protocol.js';
import type { SessionEnd, UsersRepo } from './store/users.js';

const KEY_LEN = 32;
const DEFAULT_TTL_SEC = 12 * 3600;

function scryptAsync(password: string, salt: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scrypt(password, salt, KEY_LEN, (err, key) => (err ? reject(err) : resolve(key))),
  );
}

export async function hashPassword(password: string): Promise<{ hash: string; salt: string }> {
  const salt = randomBytes(16);
  const key = await scryptAsync(password, salt);
  return { hash: key.toString('base64'), salt: salt.toString('base64') };
}

export async function verifyPassword(password: string, hash: string, salt: string): Promise<boolean> {
  const key = await scryptAsync(password, Buffer.from(salt, 'base64'));
  const expected = Buffer.from(hash, 'base64');
  return expected.length === key.length && timingSafeEqual(key, expected);
}

export const hashToken = (token: string): string => createHash('sha256').update(token).digest('base64url');

export interface Authenticated extends SessionInfo {
  token: string;
}

export class Auth {
  /** A fixed salt/hash pair so an unknown username costs the same scrypt work as a known one. */
  private readonly dummy = { hash: randomBytes(KEY_LEN).toString('base64'), salt: randomBytes(16).toString('base64') };

  constructor(
    private readonly users: UsersRepo,
    private readonly ttlSec = DEFAULT_TTL_SEC,
  ) {}

  async setUser(username: string, role: Role, password: string): Promise<void> {
    const { hash, salt } = await hashPassword(password);
    this.users.upsert(username, role, hash, salt);
  }

  /** Disables a user and revokes all their sessions (see UsersRepo.disable). */
  disable(username: string): boolean {
    return this.users.disable(username);
  }

  /** Why a token's session is over ('expired', 'revoked', 'disabled', 'unknown'), or null while it is live. */
  sessionEnd(token: string): SessionEnd {
    return this.users.sessionEnd(hashToken(token));
  }

  /** A new session for good credentials; null otherwise (never says which part was wrong). */
  async login(username: string, password: string): Promise<Authenticated | null> {
    const user = this.users.get(username);
    const ok = await verifyPassword(
      password,
      user?.password_hash ?? this.dummy.hash,
      user?.password_salt ?? this.dummy.salt,
    );
    if (!user || !ok) return null;
    const token = randomBytes(32).toString('base64url');
    const expiresAt = new Date(Date.now() + this.ttlSec * 1000).toISOString();
    this.users.createSession(hashToken(token), user.username, expiresAt);
    return { token, username: user.username, role: user.role, expiresAt };
  }

  /** The session a token stands for, or null when unknown, expired or revoked. */
  session(token: string): SessionInfo | null {
    const s = this.users.session(hashToken(token));
    return s ? { username: s.username, role: s.role, expiresAt: s.expires_at } : null;
  }

  revoke(token: string): boolean {
    return this.users.revoke(hashToken(token));
  }
}
