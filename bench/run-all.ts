// `npm run bench`: every benchmark that exists, one after another (each is bounded in time and prints
// its own figures and ratios). Benchmarks live in bench/<name>/run.ts.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const BENCHES = ['ingest', 'timers', 'desk'];
let failed = 0;
for (const name of BENCHES) {
  const script = fileURLToPath(new URL(`./${name}/run.ts`, import.meta.url));
  if (!existsSync(script)) {
    process.stdout.write(`bench/${name}: not present, skipped\n`);
    continue;
  }
  process.stdout.write(`\n=== bench/${name} ===\n`);
  const result = spawnSync(process.execPath, ['--import', 'tsx', script], { stdio: 'inherit', env: process.env });
  if (result.status !== 0) failed += 1;
}
process.exit(failed === 0 ? 0 : 1);
