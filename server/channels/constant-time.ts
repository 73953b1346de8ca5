// Comparisons of secrets and signatures that take the same time whatever the first differing byte.
import { createHash, timingSafeEqual } from 'node:crypto';

/** For signatures, whose length is fixed by the algorithm and therefore not secret. */
export function constantTimeEqualBytes(received: Buffer, expected: Buffer): boolean {
  return received.length === expected.length && timingSafeEqual(received, expected);
}

/**
 * For shared tokens (bearer tokens, verify tokens), whose length is part of the secret: comparing
 * fixed-size digests keeps the length check from leaking it.
 */
export function constantTimeEqualText(received: string, expected: string): boolean {
  const receivedDigest = createHash('sha256').update(received, 'utf8').digest();
  const expectedDigest = createHash('sha256').update(expected, 'utf8').digest();
  return timingSafeEqual(receivedDigest, expectedDigest);
}
