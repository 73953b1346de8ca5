// Reading a /metrics scrape (Prometheus text format) back into numbers, for tests and benches that compare two scrapes.

/** Each series line whose name starts with `prefix`, keyed by its name and labels as written (`x_bucket{le="0.5"}`). */
export function parsePrometheusText(text: string, prefix: string): Map<string, number> {
  const series = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (!line.startsWith(prefix)) continue;
    const match = /^([a-zA-Z_:][\w:]*(?:\{[^}]*\})?) (\S+)$/.exec(line);
    if (match?.[1] !== undefined) series.set(match[1], Number(match[2]));
  }
  return series;
}
