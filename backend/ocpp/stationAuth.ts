// Station passwords (OCPP security profile 1: HTTP Basic on the WebSocket upgrade). Stored as salted scrypt hashes
// with their cost; checked with a bounded number of hashes in flight, and remembered per station once verified so
// a station that reconnects costs no second hash while its stored password is unchanged.
import { createHash, randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import type { StationCredential } from '../store/stations.js';

/**
 * scrypt cost (N) for station passwords: 4,096, a quarter of the users' (~8 ms a hash here instead of ~40). Station
 * passwords are at least 16 characters (OCPP's minimum for BasicAuthPassword) and `station password` makes 192
 * random bits, so the hash guards against a leaked store, not against short guessable words; and after a backend
 * restart every station reconnects at once: 10,000 stations cost ~85 s of one core at this cost, ~7 min at the users'.
 */
export const STATION_PASSWORD_COST = 4096;
/** OCPP 2.0.1 BasicAuthPassword: at least 16, at most 40 characters. */
export const MIN_STATION_PASSWORD = 16;
export const MAX_STATION_PASSWORD = 40;
const KEY_LEN = 32;

function scryptAsync(password: string | Buffer, salt: Buffer, cost: number): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scrypt(password, salt, KEY_LEN, { N: cost, r: 8, p: 1, maxmem: 256 * cost * 8 * 2 }, (err, key) =>
      err ? reject(err) : resolve(key),
    ),
  );
}

/** Why a password cannot be a station's password, or null. */
export function stationPasswordProblem(password: string | Buffer): string | null {
  const n = typeof password === 'string' ? password.length : password.byteLength;
  if (n < MIN_STATION_PASSWORD) return `a station password needs at least ${MIN_STATION_PASSWORD} characters`;
  if (n > MAX_STATION_PASSWORD) return `a station password has at most ${MAX_STATION_PASSWORD} characters (OCPP)`;
  return null;
}

/** 24 random bytes as 32 URL-safe characters (fits OCPP's 16–40). */
export function generateStationPassword(): string {
  return randomBytes(24).toString('base64url');
}

export async function hashStationPassword(
  password: string | Buffer,
  cost = STATION_PASSWORD_COST,
): Promise<StationCredential> {
  const salt = randomBytes(16);
  const key = await scryptAsync(password, salt, cost);
  return { hash: key.toString('base64'), salt: salt.toString('base64'), cost };
}

export async function verifyStationPassword(
  password: string | Buffer,
  credential: StationCredential,
): Promise<boolean> {
  const key = await scryptAsync(password, Buffer.from(credential.salt, 'base64'), credential.cost);
  const expected = Buffer.from(credential.hash, 'base64');
  return expected.length === key.length && timingSafeEqual(key, expected);
}

export interface VerifierLimits {
  /** Hashes computed at the same time (each takes a libuv thread). Default 2. */
  concurrent: number;
  /** Checks waiting for a slot; beyond this a connection is refused as busy (503). Default 1,000. */
  queued: number;
}

/**
 * Checks station passwords with at most `concurrent` scrypt hashes at a time, so a flood of upgrade requests with
 * wrong passwords costs a bounded share of the machine; a station whose password was verified before (same stored
 * hash, same password) is let in at once.
 */
export class StationVerifier {
  private readonly limits: VerifierLimits;
  private running = 0;
  private readonly waiting: (() => void)[] = [];
  /** stationId → [stored hash, fingerprint of the password that matched it]. */
  private readonly verified = new Map<string, [string, string]>();

  constructor(limits: Partial<VerifierLimits> = {}) {
    this.limits = { concurrent: 2, queued: 1000, ...limits };
  }

  async verify(stationId: string, password: Buffer, credential: StationCredential): Promise<boolean | 'busy'> {
    const fingerprint = createHash('sha256').update(credential.salt).update(password).digest('base64');
    const known = this.verified.get(stationId);
    if (known && known[0] === credential.hash && known[1] === fingerprint) return true;
    return this.withSlot(async () => {
      const ok = await verifyStationPassword(password, credential);
      if (ok) this.verified.set(stationId, [credential.hash, fingerprint]);
      else if (known?.[0] !== credential.hash) this.verified.delete(stationId);
      return ok;
    });
  }

  /** Hashes a password offered at first registration (--accept-unknown-stations), within the same bounds. */
  hash(password: Buffer): Promise<StationCredential | 'busy'> {
    return this.withSlot(() => hashStationPassword(password));
  }

  private async withSlot<T>(work: () => Promise<T>): Promise<T | 'busy'> {
    if (this.running >= this.limits.concurrent) {
      if (this.waiting.length >= this.limits.queued) return 'busy';
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    }
    this.running++;
    try {
      return await work();
    } finally {
      this.running--;
      this.waiting.shift()?.();
    }
  }
}
