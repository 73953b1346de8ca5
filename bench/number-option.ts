// A bench's numeric command-line option: `--name 123`, or the fallback when it is not given.
export function numberOption(name: string, fallback: number): number {
  const index = process.argv.indexOf(`--${name}`);
  if (index === -1) return fallback;
  const value = Number(process.argv[index + 1]);
  if (!Number.isFinite(value)) throw new Error(`--${name} needs a number, not ${JSON.stringify(process.argv[index + 1])}`);
  return value;
}
