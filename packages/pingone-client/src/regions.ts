/**
 * PingOne regions and their domains (pingone-api.md §1: Ping's Go SDK `region.go`, the Terraform provider's
 * `region_code`): the management API is `https://api.pingone.<tld>/v1`, the auth server `https://auth.pingone.<tld>`.
 */
export type PingOneRegion = 'NA' | 'EU' | 'CA' | 'AP' | 'AU' | 'SG';

export const REGIONS: Readonly<Record<PingOneRegion, { readonly tld: string; readonly description: string }>> = Object.freeze({
  NA: { tld: 'com', description: 'North America (excluding Canada)' },
  EU: { tld: 'eu', description: 'Europe' },
  CA: { tld: 'ca', description: 'Canada' },
  AP: { tld: 'asia', description: 'Asia-Pacific (.asia)' },
  AU: { tld: 'com.au', description: 'Australia (.com.au)' },
  SG: { tld: 'sg', description: 'Singapore' },
});

/** Other spellings seen in the wild (the seed connector documents `Region=US`). */
const ALIASES: Readonly<Record<string, PingOneRegion>> = {
  US: 'NA',
  COM: 'NA',
  ASIA: 'AP',
  EUROPE: 'EU',
  CANADA: 'CA',
  AUSTRALIA: 'AU',
  SINGAPORE: 'SG',
};

export function parseRegion(value: string): PingOneRegion | undefined {
  const upper = value.trim().toUpperCase();
  if (upper in REGIONS) return upper as PingOneRegion;
  return ALIASES[upper];
}

export function regionApiUrl(region: PingOneRegion): string {
  return `https://api.pingone.${REGIONS[region].tld}/v1`;
}

export function regionAuthUrl(region: PingOneRegion): string {
  return `https://auth.pingone.${REGIONS[region].tld}`;
}
