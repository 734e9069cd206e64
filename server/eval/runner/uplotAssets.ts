import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

/** uPlot's browser build and stylesheet, as report.html inlines them (the page loads nothing). */
export interface UplotAssets {
  /** `uPlot.iife.min.js`: defines the global `uPlot`. */
  script: string;
  /** `uPlot.min.css`. */
  style: string;
  /** The version and licence, said in a comment beside the inlined code. */
  notice: string;
}

/** The files report.html takes from the uplot package, by their path in it. */
export const UPLOT_FILES = ['dist/uPlot.iife.min.js', 'dist/uPlot.min.css', 'package.json'] as const;
type UplotFiles = Record<(typeof UPLOT_FILES)[number], string>;

/**
 * Set by esbuild.mjs (`define`) to the JSON of `UPLOT_FILES`' text when it bundles the CLI: the .vsix ships
 * dist/cli.mjs without node_modules/uplot, so the bundle must not read it at run time. Unset when running from source
 * (tests, tsx).
 */
declare const RADREPORT_UPLOT_FILES: string | undefined;

let cached: UplotAssets | undefined;

export function uplotAssets(): UplotAssets {
  if (cached) return cached;
  const files: UplotFiles = typeof RADREPORT_UPLOT_FILES !== 'undefined' ? JSON.parse(RADREPORT_UPLOT_FILES) : readUplotFiles();
  const { version, license } = JSON.parse(files['package.json']) as { version: string; license: string };
  cached = {
    // The build's banner comment is a URL; the page holds none, so the notice names the library instead.
    script: files['dist/uPlot.iife.min.js'].replace(/^\/\*![^*]*\*\/\s*/, ''),
    style: files['dist/uPlot.min.css'],
    notice: `uPlot ${version}, copyright Leon Sorokin, ${license} licence`,
  };
  return cached;
}

/** The files from node_modules: what esbuild.mjs embeds, and what the source reads. */
export function readUplotFiles(): UplotFiles {
  const require = createRequire(import.meta.url);
  return Object.fromEntries(UPLOT_FILES.map((path) => [path, readFileSync(require.resolve(`uplot/${path}`), 'utf8')])) as UplotFiles;
}
