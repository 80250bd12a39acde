/**
 * Password hashing: argon2id with OWASP's recommended minimum (19 MiB, 2 passes, 1 lane),
 * encoded as a PHC string that carries its own parameters, so they can be raised later
 * without breaking stored hashes (`needsRehash`).
 */
import { hash, parseOptions, verify } from "@node-rs/argon2";

// Numeric values of @node-rs/argon2's `const enum` (ambient const enums cannot be imported
// under isolatedModules): Algorithm.Argon2id = 2.
const ARGON2ID = 2;

/** The cost parameters every new hash uses. */
export const PASSWORD_HASH_OPTIONS = { algorithm: ARGON2ID, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

/** An argon2id PHC string for `password`, with a fresh random salt. */
export async function hashPassword(password: string): Promise<string> {
  return hash(password, PASSWORD_HASH_OPTIONS);
}

/** True when `password` matches `passwordHash`; false (never a throw) for a malformed hash. */
export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

/** True when a stored hash was made with weaker parameters than today's. */
export function needsRehash(passwordHash: string): boolean {
  try {
    const o = parseOptions(passwordHash);
    return (
      (o.algorithm as number) !== ARGON2ID ||
      o.memoryCost < PASSWORD_HASH_OPTIONS.memoryCost ||
      o.timeCost < PASSWORD_HASH_OPTIONS.timeCost
    );
  } catch {
    return true;
  }
}

// A real hash of a random string, computed once: verifying against it when the email is
// unknown makes "no such user" take as long as "wrong password", so timing reveals nothing.
let dummyHash: Promise<string> | undefined;

/** Spends the same time as a real verification, for an unknown account. */
export async function verifyAgainstDummy(password: string): Promise<false> {
  dummyHash ??= hash(crypto.randomUUID(), PASSWORD_HASH_OPTIONS);
  await verifyPassword(await dummyHash, password);
  return false;
}
