import parsePrometheusTextFormat, { type ParsedFamily, type ParsedSample } from 'parse-prometheus-text-format';

/** A parsed `/metrics` answer: families by name. */
export type Scrape = Map<string, ParsedFamily>;

/**
 * GET /metrics, parsed with a Prometheus text parser (so the format itself is
 * checked too). The parser folds every series of a labelled histogram into
 * one, so histograms are read as plain series: `<name>_count`, `<name>_sum`
 * and `<name>_bucket`, each with its labels.
 */
export async function scrape(proxyUrl: string, headers: Record<string, string> = {}): Promise<Scrape> {
  const response = await fetch(`${proxyUrl}/metrics`, { headers });
  if (response.status !== 200) throw new Error(`/metrics answered ${response.status}: ${await response.text()}`);
  const text = (await response.text()).replace(/^# TYPE (\S+) histogram$/gm, '# TYPE $1 untyped');
  const families: Scrape = new Map();
  for (const family of parsePrometheusTextFormat(text)) {
    const seen = families.get(family.name);
    if (seen) seen.metrics.push(...family.metrics);
    else families.set(family.name, family);
  }
  return families;
}

/** The samples of a family whose labels include `labels`. */
export function samples(scraped: Scrape, name: string, labels: Record<string, string> = {}): ParsedSample[] {
  const family = scraped.get(name);
  if (!family) throw new Error(`no metric ${name} in /metrics`);
  return family.metrics.filter((sample) => Object.entries(labels).every(([key, value]) => sample.labels?.[key] === value));
}

/** A counter's or gauge's value summed over the matching samples. */
export function total(scraped: Scrape, name: string, labels: Record<string, string> = {}): number {
  return samples(scraped, name, labels).reduce((sum, sample) => sum + Number(sample.value ?? 0), 0);
}

/** How much each matching series moved between two scrapes. */
export function moved(before: Scrape, after: Scrape, name: string, labels: Record<string, string> = {}): number {
  return total(after, name, labels) - (before.has(name) ? total(before, name, labels) : 0);
}
