/**
 * Deterministic hashing for the synthetic population: every attribute of a resident is a
 * pure function of (seed, index, attribute), so nothing needs to be stored or generated ahead.
 */

// Bound once: inside jest's vm sandbox every `Math.` lookup is a slow global access, and
// these run millions of times in population tests.
const imul = Math.imul;
const floor = Math.floor;

function mix32(value: number): number {
  // MurmurHash3's finaliser: cheap, and every input bit affects every output bit.
  let h = value >>> 0;
  h ^= h >>> 16;
  h = imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

const TWO_POW_32 = 2 ** 32;

/** An unsigned 32-bit hash of non-negative integers below 2^53. */
export function hash32(...parts: number[]): number {
  let h = 0x811c9dc5;
  for (const part of parts) {
    const low = part >>> 0;
    const high = floor(part / TWO_POW_32) >>> 0;
    h = mix32(h ^ low);
    h = mix32((h + high + 0x9e3779b9) >>> 0);
  }
  return h;
}

/** A uniform number in [0, 1) derived from the parts. */
export function hashFraction(...parts: number[]): number {
  return hash32(...parts) / TWO_POW_32;
}

/**
 * A keyed bijection of [0, domainSize): a four-round Feistel network over the next even
 * power of two, with cycle walking to stay inside the domain. It lets the population map a
 * resident's index to a NIK that looks random, and a NIK back to the index, both in O(1).
 */
export class KeyedPermutation {
  private readonly halfSize: number;

  private static readonly ROUNDS = 4;
  private static readonly MAX_BITS = 52;

  constructor(
    private readonly domainSize: number,
    private readonly key: number,
  ) {
    const bits = Math.max(2, Math.ceil(Math.log2(domainSize)));
    if (!Number.isSafeInteger(domainSize) || domainSize < 1 || bits > KeyedPermutation.MAX_BITS) {
      throw new Error(`KeyedPermutation domain must be an integer in 1..2^${KeyedPermutation.MAX_BITS}`);
    }
    this.halfSize = 2 ** Math.ceil(bits / 2);
  }

  forward(value: number): number {
    this.assertInDomain(value);
    let current = value;
    do {
      current = this.encryptOnce(current);
    } while (current >= this.domainSize);
    return current;
  }

  inverse(value: number): number {
    this.assertInDomain(value);
    let current = value;
    do {
      current = this.decryptOnce(current);
    } while (current >= this.domainSize);
    return current;
  }

  private roundFunction(round: number, half: number): number {
    return hash32(this.key, round, half) % this.halfSize;
  }

  private encryptOnce(value: number): number {
    let left = floor(value / this.halfSize);
    let right = value % this.halfSize;
    for (let round = 0; round < KeyedPermutation.ROUNDS; round += 1) {
      [left, right] = [right, (left ^ this.roundFunction(round, right)) >>> 0];
    }
    return left * this.halfSize + right;
  }

  private decryptOnce(value: number): number {
    let left = floor(value / this.halfSize);
    let right = value % this.halfSize;
    for (let round = KeyedPermutation.ROUNDS - 1; round >= 0; round -= 1) {
      [left, right] = [(right ^ this.roundFunction(round, left)) >>> 0, left];
    }
    return left * this.halfSize + right;
  }

  private assertInDomain(value: number): void {
    if (!Number.isSafeInteger(value) || value < 0 || value >= this.domainSize) {
      throw new RangeError('value outside the permutation domain');
    }
  }
}
