// Summarises a V8 .cpuprofile (node --cpu-prof): self time by function and by package, so a bench run
// can say where the hub's time goes. Usage: tsx bench/ingest/profile-summary.ts FILE.cpuprofile
import { readFileSync } from 'node:fs';
import { z } from 'zod';

const ProfileSchema = z.object({
  nodes: z.array(z.object({ id: z.number(), callFrame: z.object({ functionName: z.string(), url: z.string(), lineNumber: z.number() }) })),
  samples: z.array(z.number()),
  timeDeltas: z.array(z.number()),
});

function area(url: string): string {
  const modules = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (modules?.[1] !== undefined) return modules[1];
  if (url.startsWith('node:')) return url;
  const ours = /\/work\/[^/]+\/(.+)$/.exec(url) ?? /\/(server|shared)\/.+$/.exec(url);
  if (ours !== null) return (ours[1] ?? url).split('/').slice(0, 2).join('/');
  return url === '' ? '(native / idle / gc)' : url;
}

export function summarise(file: string, top = 25): string {
  const profile = ProfileSchema.parse(JSON.parse(readFileSync(file, 'utf8')));
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const selfByFunction = new Map<string, number>();
  const selfByArea = new Map<string, number>();
  let total = 0;
  profile.samples.forEach((id, index) => {
    const node = byId.get(id);
    const delta = profile.timeDeltas[index] ?? 0;
    if (node === undefined) return;
    total += delta;
    const { functionName, url, lineNumber } = node.callFrame;
    const name = `${functionName || '(anonymous)'} ${url.replace(/^.*\/(node_modules|work\/main)\//, '')}:${lineNumber + 1}`;
    selfByFunction.set(name, (selfByFunction.get(name) ?? 0) + delta);
    const where = functionName === '(idle)' ? '(idle)' : functionName === '(garbage collector)' ? '(gc)' : functionName === '(program)' ? '(program)' : area(url);
    selfByArea.set(where, (selfByArea.get(where) ?? 0) + delta);
  });
  const line = ([name, micros]: [string, number]) => `${((micros / total) * 100).toFixed(1).padStart(5)}%  ${name}`;
  const sorted = (map: Map<string, number>) => [...map.entries()].sort((a, b) => b[1] - a[1]);
  return [`total ${(total / 1e6).toFixed(1)} s sampled`, '', 'by area:', ...sorted(selfByArea).slice(0, 20).map(line), '', 'by function (self):', ...sorted(selfByFunction).slice(0, top).map(line)].join('\n');
}

const target = process.argv[2];
if (target !== undefined) process.stdout.write(`${summarise(target)}\n`);
