/** Types of system-packages.mjs (plain JavaScript: it runs before `npm ci`, with no TypeScript loader). */
export declare const TIER_PACKAGES: Readonly<Record<string, readonly string[]>>;
export declare function packagesFor(tiers: readonly string[]): string[];
export declare function ensureSystemPackages(tiers: readonly string[], options?: { check?: boolean; log?: (line: string) => void }): boolean;
