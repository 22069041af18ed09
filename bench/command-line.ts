// The benchmarks' flags: `--name value` and bare `--name`, read from process.argv.

/** The value after `--name`, or the fallback. */
export function argument(name: string, fallback: string): string {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 && process.argv[index + 1] !== undefined ? process.argv[index + 1]! : fallback;
}

/** True when `--name` was given. */
export const flag = (name: string) => process.argv.includes(`--${name}`);

/** A positive number (fractions allowed), e.g. seconds. */
export function positiveNumber(name: string, fallback: number): number {
  const value = Number(argument(name, String(fallback)));
  if (!Number.isFinite(value) || value <= 0) throw new Error(`--${name} needs a positive number`);
  return value;
}

/** A positive whole number, e.g. a count. */
export function wholeNumber(name: string, fallback: number): number {
  const value = Number(argument(name, String(fallback)));
  if (!Number.isInteger(value) || value <= 0) throw new Error(`--${name} needs a positive whole number`);
  return value;
}
