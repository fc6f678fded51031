import argon2 from 'argon2';

export interface Argon2Params {
  memoryCost: number;
  timeCost: number;
  parallelism: number;
}

/**
 * argon2id hashing (SPEC §3.4, OWASP: at least m=19 MiB, t=2, p=1).
 * `verify` always does the work of one hash, also for unknown users, so timing reveals nothing.
 */
export function createPasswordHasher(params: Argon2Params) {
  const options = { type: argon2.argon2id, ...params };
  // A real hash of a random string: verifying against it costs what a real verify costs.
  const dummyHash = argon2.hash(`no-such-user-${Math.random()}`, options);

  return {
    hash(password: string): Promise<string> {
      return argon2.hash(password, options);
    },
    /** Verifies against `hash`, or against a dummy hash when there is no user (enumeration/timing). */
    async verify(hash: string | undefined, password: string): Promise<boolean> {
      try {
        return await argon2.verify(hash ?? (await dummyHash), password);
      } catch {
        return false; // a corrupt stored hash is a failed sign-in, never a 500
      }
    },
    /** True when the stored hash was made with weaker parameters than configured. */
    needsRehash(hash: string): boolean {
      return argon2.needsRehash(hash, options);
    },
  };
}

export type PasswordHasher = ReturnType<typeof createPasswordHasher>;
