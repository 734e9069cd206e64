import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { ensureTestModels } from '../models/testModels.ts';
import { ensureServerBundle, REPO } from './serverBundle.ts';

/**
 * Neovim as a second, independent LSP client: its own document sync (changedtick versions, debounced incremental
 * changes), its own diagnostics store, code action picker and workspace/applyEdit handler. Nothing of the VS Code
 * client is involved, so this shows the server serves any editor.
 */

const REPORT = `---
exam: CT chest with contrast
---
# CT chest with contrast

## Clinical information
Cough for three weeks.

## Technique
Axial CT of the chest after intravenous contrast.

## Findings
Right upper lobe nodule measures ___ mm. No pleural effusion. No mediastinal lymphadenopathy.

`;

interface NvimResults {
  nvim: string;
  filetype: string;
  errors: string[];
  messages: Array<{ type: number; message: string }>;
  publishes: Array<{ version: number | null; codes: string[] }>;
  elapsedMs: number;
  serverExit?: { code: number; signal: number };
  steps: {
    diagnostics?: { codes: string[]; entries: Array<{ code: string; line: number; col: number; severity: number; message: string; source: string }> };
    completion?: { line: number; labels: string[] };
    codeAction?: { offered: string[]; text: string; codesAfter: string[] };
    generateConclusion?: {
      response: { err: unknown; result: { status: string; text: string; flagged: string[]; message?: string } };
      ms: number;
      text: string;
      codesAfter: string[];
    };
  };
}

const INSTALL_HINT = 'Neovim is not installed (the `nvim` command was not found). Install it with: apt-get install -y neovim';

/** Fails (never skips) when Neovim is missing, saying what to install. */
function requireNeovim(): string {
  const probe = spawnSync('nvim', ['--version'], { encoding: 'utf8' });
  if (probe.error || probe.status !== 0) assert.fail(`${INSTALL_HINT}\n(${probe.error?.message ?? probe.stderr})`);
  return probe.stdout.split('\n')[0]!;
}

/** Runs the Lua driver in a headless Neovim with a private XDG home; kills it (and its process group) on timeout. */
async function runNeovim(config: Record<string, unknown>, home: string, timeoutMs: number): Promise<{ results: NvimResults; stderr: string }> {
  const configPath = join(home, 'config.json');
  const resultsPath = join(home, 'results.json');
  writeFileSync(configPath, JSON.stringify({ ...config, results: resultsPath }));
  // A private home: no user config, plugins, shada or swap files of the machine's user take part.
  const xdg: Record<string, string> = {};
  for (const [name, dir] of [
    ['XDG_CONFIG_HOME', 'config'],
    ['XDG_DATA_HOME', 'data'],
    ['XDG_STATE_HOME', 'state'],
    ['XDG_CACHE_HOME', 'cache'],
    ['XDG_RUNTIME_DIR', 'run'],
  ]) {
    xdg[name!] = join(home, dir!);
    mkdirSync(xdg[name!]!, { recursive: true, mode: 0o700 });
  }
  const child = spawn('nvim', ['-u', 'NONE', '-i', 'NONE', '--headless', '-c', `luafile ${join(REPO, 'test', 'nvim', 'radreportClient.lua')}`], {
    cwd: home,
    env: { ...process.env, ...xdg, HOME: home, RADREPORT_NVIM_CONFIG: configPath },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const killGroup = () => {
    try {
      process.kill(-child.pid!, 'SIGKILL');
    } catch {
      // already gone
    }
  };
  const exit = await new Promise<{ code: number | null; timedOut: boolean }>((resolve) => {
    const timer = setTimeout(() => {
      killGroup();
      resolve({ code: null, timedOut: true });
    }, timeoutMs);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, timedOut: false });
    });
  });
  // The language server is Neovim's child in the same process group: make sure nothing outlives the test.
  killGroup();
  if (!existsSync(resultsPath)) {
    assert.fail(
      `Neovim ${exit.timedOut ? `did not finish within ${timeoutMs} ms` : `exited with ${exit.code}`} without writing results.\nOutput:\n${output.slice(-3000)}`,
    );
  }
  return { results: JSON.parse(readFileSync(resultsPath, 'utf8')) as NvimResults, stderr: output };
}

describe('Neovim as an LSP client of the radiology report server', () => {
  let home: string;
  let results: NvimResults;
  let output: string;
  let reportPath: string;

  before(async () => {
    const version = requireNeovim();
    const [models] = await Promise.all([ensureTestModels(), ensureServerBundle()]);
    home = mkdtempSync(join(tmpdir(), 'radreport-nvim-'));
    const workspace = join(home, 'reports');
    mkdirSync(workspace);
    reportPath = join(workspace, 'case.report.md');
    writeFileSync(reportPath, REPORT);
    const run = await runNeovim(
      {
        cmd: [process.execPath, join(REPO, 'dist', 'server.mjs'), '--stdio'],
        root: workspace,
        report: reportPath,
        settings: { model: models.model, maxTokens: 16, diagnosticsDelayMs: 0 },
        quickFix: 'Add an Impression section',
        timeoutMs: 15_000,
        generateTimeoutMs: 120_000,
      },
      home,
      180_000,
    );
    results = run.results;
    output = run.stderr;
    console.log(`# ${version}: the whole session took ${results.elapsedMs} ms (generation ${results.steps.generateConclusion?.ms ?? '-'} ms)`);
  });

  after(() => {
    if (home) rmSync(home, { recursive: true, force: true });
  });

  const context = () =>
    `\nerrors: ${results.errors.join('\n')}\nmessages: ${JSON.stringify(results.messages)}\npublished: ${JSON.stringify(results.publishes)}\nNeovim output: ${output.slice(-2000)}`;

  test('the report opens as markdown and every step ran without error', () => {
    assert.equal(results.filetype, 'markdown');
    assert.deepEqual(results.errors, [], context());
  });

  test('diagnostics arrive for a *.report.md file, with rule codes, source and positions', () => {
    const diagnostics = results.steps.diagnostics;
    assert.ok(diagnostics, `no diagnostics step${context()}`);
    assert.deepEqual(diagnostics.codes, ['missing-section', 'placeholder'], context());
    const placeholder = diagnostics.entries.find((d) => d.code === 'placeholder')!;
    assert.equal(placeholder.source, 'radreport');
    const findingsLine = REPORT.split('\n').findIndex((l) => l.includes('___'));
    assert.deepEqual([placeholder.line, placeholder.col], [findingsLine, REPORT.split('\n')[findingsLine]!.indexOf('___')]);
    const missing = diagnostics.entries.find((d) => d.code === 'missing-section')!;
    assert.match(missing.message, /no conclusion \(impression\) section/);
  });

  test('completion on an empty line offers the missing section headings first', () => {
    const completion = results.steps.completion;
    assert.ok(completion, `no completion step${context()}`);
    assert.deepEqual(completion.labels.slice(0, 3), ['## Comparison', '## Impression', '## Recommendation'], context());
    assert.ok(completion.labels.includes('## Findings'), 'present sections are offered after the missing ones');
  });

  test('the quick fix picked in vim.lsp.buf.code_action() adds the Impression heading, and the diagnostics follow', () => {
    const codeAction = results.steps.codeAction;
    assert.ok(codeAction, `no code action step${context()}`);
    assert.ok(codeAction.offered.includes('Add an Impression section'), `offered: ${JSON.stringify(codeAction.offered)}`);
    // The heading goes right after the findings' last word, keeping the report's trailing blank line.
    assert.equal(codeAction.text, `${REPORT.trimEnd()}\n\n## Impression${REPORT.slice(REPORT.trimEnd().length)}`);
    assert.deepEqual(codeAction.codesAfter, ['empty-conclusion', 'placeholder'], context());
  });

  test('"Generate conclusion" writes the tiny model’s text under ## Impression through workspace/applyEdit', () => {
    const generate = results.steps.generateConclusion;
    assert.ok(generate, `no generate step${context()}`);
    const { result } = generate.response;
    assert.equal(generate.response.err, null, context());
    assert.equal(result.status, 'written', `${result.message ?? ''}${context()}`);
    assert.ok(result.text.length > 10, `generated ${JSON.stringify(result.text)}`);
    const impression = generate.text.split('## Impression\n')[1];
    assert.ok(impression !== undefined, `no ## Impression heading in ${JSON.stringify(generate.text)}`);
    assert.equal(impression.trim(), result.text, 'the buffer holds exactly the generated conclusion under the heading');
    assert.ok(generate.text.startsWith(REPORT.trimEnd()), 'the rest of the report is untouched');
    assert.ok(!generate.codesAfter.includes('empty-conclusion'), `codes after: ${generate.codesAfter}`);
    assert.ok(generate.codesAfter.includes('placeholder'));
  });

  test('the server shuts down cleanly when Neovim stops the client', () => {
    assert.ok(results.serverExit, `the server did not exit${context()}`);
    assert.equal(results.serverExit.code, 0);
  });
});
