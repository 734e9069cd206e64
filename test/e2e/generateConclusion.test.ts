import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import {
  CodeServer,
  installCodeServer,
  installExtension,
  killMarked,
  launchChromium,
  logFiles,
  markedProcesses,
  REPO,
  requireSystemPackages,
  type CodeServerOptions,
} from './codeServer.ts';

/**
 * The extension as a user gets it: the packaged .vsix installed into the real VS Code (code-server 4.99.4 = VS Code
 * 1.99.3) in headless Chromium. The user opens a report, runs "Radiology Report: Generate conclusion" from the command
 * palette, and the embedded default model's conclusion (shipped inside the .vsix) appears under ## Impression; the Problems panel lists the report's
 * placeholder. The document and diagnostics are read back through the extension's test-only dump command
 * (registered when RADREPORT_E2E_DUMP is set), bound to a key in the user's keybindings.json.
 *
 * Screenshots go to test-results/; docs/images/e2e-generate-conclusion.png (used in the README) is written when it is
 * missing or when RADREPORT_E2E_SCREENSHOT=update.
 */

const REPORT = `# XR chest PA and lateral

## Clinical information
Cough for ___ days.

## Comparison
None.

## Findings
The heart size and mediastinal contours are within normal limits. The lungs are clear. No pleural effusion or pneumothorax.

## Impression

`;
const BEFORE_IMPRESSION = REPORT.slice(0, REPORT.indexOf('## Impression\n') + '## Impression\n'.length);
/** The dump command's key: in Playwright's spelling, and in keybindings.json's. */
const DUMP_KEY = 'Control+Alt+Shift+D';
const DUMP_KEYBINDING = 'ctrl+alt+shift+d';
const RESULTS_DIR = join(REPO, 'test-results');
const README_SCREENSHOT = join(REPO, 'docs', 'images', 'e2e-generate-conclusion.png');

interface DumpedState {
  uri?: string;
  text?: string;
  version?: number;
  diagnostics: Array<{ code: string; message: string; severity: number; line: number }>;
  status: string;
  /** The status bar item that says where the last generated conclusion came from. */
  conclusionSource?: string;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A failure no retry can help with, e.g. the extension reports that the model failed to load. */
class StepFailure extends Error {}

/** Retries a UI step that can race with the workbench (focus, quick input animations, late activation). */
async function retry<T>(what: string, attempts: number, step: (attempt: number) => Promise<T>, diagnose: () => Promise<string>): Promise<T> {
  let last: unknown;
  for (let attempt = 1; attempt <= attempts; attempt++) {
    try {
      return await step(attempt);
    } catch (error) {
      if (error instanceof StepFailure) throw error;
      last = error;
      console.log(`# ${what}: attempt ${attempt} of ${attempts} failed: ${(error as Error)?.message?.split('\n')[0]}`);
      await sleep(500 * attempt);
    }
  }
  assert.fail(`${what} failed ${attempts} times; last error: ${(last as Error)?.message ?? last}\n${await diagnose()}`);
}

describe('VS Code (code-server) with the packaged extension', { timeout: 30 * 60_000 }, () => {
  const marker = randomBytes(8).toString('hex');
  const phases: Record<string, number> = {};
  let started = Date.now();
  let root: string;
  let options: CodeServerOptions;
  let server: CodeServer | undefined;
  let browser: Browser | undefined;
  let page: Page;
  let workspace: string;
  let dumpPath: string;
  let vsix: string;
  /** What the VS Code test saw, for the CLI test after it. */
  let writtenConclusion: string | undefined;
  let installedExtension: string | undefined;
  // Nothing may outlive the test process, even when it is killed half-way.
  const killOnExit = () => {
    server?.kill();
    for (const { pid } of markedProcesses(marker)) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // gone
      }
    }
  };

  const onSignal = (signal: NodeJS.Signals) => {
    killOnExit();
    if (root) rmSync(root, { recursive: true, force: true });
    process.exit(signal === 'SIGINT' ? 130 : 143);
  };

  /** What a failure message shows: VS Code's notifications, code-server's output, the extension host and extension logs. */
  const diagnose = async (): Promise<string> => {
    let notifications = '';
    try {
      notifications = (
        await page.locator('.notifications-toasts .notification-list-item-message, .notifications-center .notification-list-item-message').allInnerTexts()
      ).join('\n');
    } catch {
      // no page yet
    }
    await sleep(1000); // let VS Code flush its log files
    return `--- notifications ---\n${notifications || '(none)'}\n${server?.logTail() ?? '(code-server not started)'}`;
  };
  const mark = (phase: string) => {
    phases[phase] = Date.now() - started;
  };

  before(async () => {
    started = Date.now();
    requireSystemPackages();
    process.once('exit', killOnExit);
    for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, onSignal);
    const entry = installCodeServer();
    mark('install');
    root = mkdtempSync(join(tmpdir(), 'radreport-e2e-'));
    vsix = join(root, 'radiology-report-assistant.vsix');
    // `npm run package`: the production bundles and node-llama-cpp with its linux-x64 binaries, into a .vsix.
    execFileSync('npm', ['run', '--silent', 'package', '--', '--out', vsix], { cwd: REPO, stdio: ['ignore', 'ignore', 'pipe'], timeout: 10 * 60_000 });
    mark('package');

    for (const dir of ['home', 'browser-home', 'data/User', 'extensions', 'workspace']) mkdirSync(join(root, dir), { recursive: true });
    workspace = join(root, 'workspace');
    dumpPath = join(root, 'dump.json');
    writeFileSync(join(workspace, 'case.report.md'), REPORT);
    writeFileSync(
      join(root, 'data', 'User', 'settings.json'),
      JSON.stringify(
        {
          // No model setting: the embedded default model that ships in the .vsix.
          'radiologyReport.maxTokens': 64,
          'radiologyReport.diagnosticsDelayMs': 100,
          // Ghost text would start a second generation while the command runs; this test is about the command.
          'radiologyReport.inlineCompletion.enabled': false,
          'workbench.startupEditor': 'none',
          'workbench.tips.enabled': false,
          'workbench.enableExperiments': false,
          'security.workspace.trust.enabled': false,
          'extensions.ignoreRecommendations': true,
          'extensions.autoCheckUpdates': false,
          'extensions.autoUpdate': false,
          'telemetry.telemetryLevel': 'off',
          'update.mode': 'none',
          'chat.commandCenter.enabled': false,
          'window.commandCenter': false,
          'editor.minimap.enabled': false,
          'files.autoSave': 'off',
        },
        null,
        2,
      ),
    );
    writeFileSync(
      join(root, 'data', 'User', 'keybindings.json'),
      JSON.stringify([{ key: DUMP_KEYBINDING, command: 'radiologyReport.test.dumpState' }], null, 2),
    );
    options = {
      entry,
      home: join(root, 'home'),
      userDataDir: join(root, 'data'),
      extensionsDir: join(root, 'extensions'),
      env: { RADREPORT_E2E_DUMP: dumpPath },
      marker,
    };
    installExtension(options, vsix);
    mark('install-extension');
    server = await CodeServer.start(options);
    mark('code-server');
    browser = await launchChromium(join(root, 'browser-home'), marker);
    page = await browser.newPage({ viewport: { width: 1400, height: 860 } });
    mark('browser');
  });

  after(async () => {
    try {
      await browser?.close();
    } catch {
      // killed below
    }
    await server?.stop();
    const left = await killMarked(marker);
    process.removeListener('exit', killOnExit);
    for (const signal of ['SIGINT', 'SIGTERM'] as const) process.removeListener(signal, onSignal);
    mark('total');
    console.log(`# e2e phases (ms since start): ${JSON.stringify(phases)}`);
    if (left.length) console.log(`# killed leftover processes: ${JSON.stringify(left)}`);
    // Keep the logs of a failed run next to the screenshots; remove the rest.
    if (root) {
      mkdirSync(RESULTS_DIR, { recursive: true });
      for (const file of logFiles(join(root, 'data', 'logs')).filter((f) => /exthost|Radiology Report/.test(f))) {
        copyFileSync(file, join(RESULTS_DIR, `e2e-${file.split('/').slice(-2).join('-').replaceAll(' ', '-')}`));
      }
      rmSync(root, { recursive: true, force: true });
    }
  });

  /** Presses the dump key in the editor and reads what the extension wrote. */
  async function dump(): Promise<DumpedState> {
    rmSync(dumpPath, { force: true });
    await page.keyboard.press(DUMP_KEY);
    for (let i = 0; i < 60 && !existsSync(dumpPath); i++) await sleep(50);
    if (!existsSync(dumpPath)) throw new Error('the dump command wrote nothing (is the extension active and the editor focused?)');
    return JSON.parse(readFileSync(dumpPath, 'utf8')) as DumpedState;
  }

  /** Polls the dumped state until `predicate` holds; a model error in the status bar ends the wait at once. */
  async function waitForState(what: string, timeoutMs: number, predicate: (state: DumpedState) => boolean): Promise<DumpedState> {
    const deadline = Date.now() + timeoutMs;
    let last: DumpedState | undefined;
    let error: unknown;
    while (Date.now() < deadline) {
      try {
        last = await dump();
        if (predicate(last)) return last;
      } catch (e) {
        error = e;
      }
      if (last && /Report model: error/.test(last.status)) {
        throw new StepFailure(`the extension reports a model error while waiting for ${what}; state: ${JSON.stringify(last)}\n${await diagnose()}`);
      }
      await sleep(500);
    }
    assert.fail(
      `timed out after ${timeoutMs} ms waiting for ${what}; last state: ${JSON.stringify(last)}; ${(error as Error)?.message ?? ''}\n${await diagnose()}`,
    );
  }

  async function screenshot(name: string): Promise<void> {
    mkdirSync(RESULTS_DIR, { recursive: true });
    await page.screenshot({ path: join(RESULTS_DIR, name) });
  }

  test('a user opens a report and generates its conclusion from the command palette', async () => {
    try {
      await page.goto(`${server!.url}/?folder=${encodeURIComponent(workspace)}`, { timeout: 60_000 });
      await page.locator('.monaco-workbench').waitFor({ timeout: 90_000 });
      await page.locator('.explorer-folders-view, .explorer-viewlet').first().waitFor({ timeout: 60_000 });
      mark('workbench');

      // Open the report with Quick Open (Ctrl+P), as a user would.
      await retry(
        'opening case.report.md with Quick Open',
        5,
        async () => {
          await page.keyboard.press('Control+P');
          const input = page.locator('.quick-input-widget .quick-input-box input');
          await input.waitFor({ state: 'visible', timeout: 5_000 });
          await input.fill('case.report.md');
          await page.locator('.quick-input-list .monaco-list-row', { hasText: 'case.report.md' }).first().waitFor({ timeout: 10_000 });
          await page.keyboard.press('Enter');
          await page.locator('.tab.active', { hasText: 'case.report.md' }).waitFor({ timeout: 10_000 });
          await page.locator('.monaco-editor .view-lines').first().click();
        },
        diagnose,
      );
      mark('opened');

      // The workspace holds a *.report.md file, so the extension activates (workspaceContains) and starts the language server from the installed extension folder.
      await page
        .locator('.statusbar-item', { hasText: 'Report model' })
        .first()
        .waitFor({ timeout: 90_000 })
        .catch(async () => {
          assert.fail(`the extension's status bar item never appeared: the extension did not activate\n${await diagnose()}`);
        });
      mark('activated');
      const opened = await waitForState(
        'the diagnostics of the opened report',
        60_000,
        (s) => s.uri?.endsWith('/case.report.md') === true && s.diagnostics.some((d) => d.code === 'placeholder'),
      );
      assert.equal(opened.text, REPORT);
      assert.deepEqual(opened.diagnostics.map((d) => d.code).sort(), ['empty-conclusion', 'placeholder']);
      assert.match(opened.status, /Report model: not loaded/);
      mark('diagnostics');

      // F1, "Radiology Report: Generate conclusion", Enter.
      const before = opened.version ?? 0;
      await retry(
        'running "Radiology Report: Generate conclusion" from the command palette',
        4,
        async (attempt) => {
          if (attempt > 1) {
            const current = await dump();
            if ((current.version ?? 0) > before) return; // an earlier attempt did run it
          }
          await page.keyboard.press('Escape');
          await page.locator('.monaco-editor .view-lines').first().click();
          await page.keyboard.press('F1');
          const input = page.locator('.quick-input-widget .quick-input-box input');
          await input.waitFor({ state: 'visible', timeout: 5_000 });
          await input.fill('>Radiology Report: Generate conclusion');
          // "Compare with the generated conclusion" matches the same words: pick the command by its own title, as a
          // user does, rather than whichever row the palette ranks first.
          const row = page.locator('.quick-input-list .monaco-list-row', { hasText: /Radiology Report: Generate conclusion/ }).first();
          await row.waitFor({ timeout: 10_000 });
          await row.click();
          await input.waitFor({ state: 'hidden', timeout: 5_000 });
          await page.locator('.monaco-editor .view-lines').first().click();
          // The first edit arrives once the model is loaded (a few seconds with the embedded model).
          await waitForState('the first generated text', 30_000, (s) => (s.version ?? 0) > before);
        },
        diagnose,
      );
      mark('generation-started');

      // Streaming is done when the conclusion is there and the text stops changing.
      let previous = '';
      const written = await waitForState('the whole conclusion under ## Impression', 120_000, (s) => {
        const done = s.text === previous && !s.diagnostics.some((d) => d.code === 'empty-conclusion') && /ready/.test(s.status);
        previous = s.text ?? '';
        return done;
      });
      mark('generated');
      const text = written.text!;
      assert.ok(text.startsWith(BEFORE_IMPRESSION), `the report above the impression is untouched:\n${text}`);
      const conclusion = text.slice(BEFORE_IMPRESSION.length).trim();
      assert.ok(conclusion.length > 10, `a conclusion was written under ## Impression: ${JSON.stringify(conclusion)}`);
      assert.ok(!conclusion.includes('## '), 'the conclusion stays inside its section');
      assert.ok(
        written.diagnostics.some((d) => d.code === 'placeholder'),
        'the clinical information still has its placeholder',
      );
      assert.match(written.status, /Report model: ready on /);
      // Where the text came from is shown (the guard checked it against the plan of the findings).
      const sourced = await waitForState('the conclusion source in the status bar', 30_000, (s) =>
        /Conclusion: (?:model|model-corrected|composed)/.test(s.conclusionSource ?? ''),
      );
      console.log(`# status bar: ${sourced.conclusionSource}`);

      // The language server and the inference host run from the installed extension, with its node-llama-cpp.
      const installed = readdirSync(options.extensionsDir).find((d) => d.startsWith('radreport.radiology-report-assistant'));
      assert.ok(installed, `the extension is installed in ${options.extensionsDir}`);
      const extensionDir = join(options.extensionsDir, installed);
      const commands = markedProcesses(marker).map((p) => p.command);
      assert.ok(
        commands.some((c) => c.includes(join(extensionDir, 'dist', 'server.mjs'))),
        `no language server from ${extensionDir} among\n${commands.join('\n')}`,
      );
      assert.ok(
        commands.some((c) => c.includes(join(extensionDir, 'dist', 'engineHost.mjs'))),
        `no inference host from ${extensionDir} among\n${commands.join('\n')}`,
      );
      assert.ok(existsSync(join(extensionDir, 'node_modules', 'node-llama-cpp', 'package.json')), 'node-llama-cpp ships in the .vsix');

      writtenConclusion = conclusion;
      console.log(`# VS Code wrote: ${JSON.stringify(conclusion)}`);
      installedExtension = extensionDir;

      // The Problems panel (Ctrl+Shift+M) lists the placeholder in the clinical information.
      const placeholder = written.diagnostics.find((d) => d.code === 'placeholder')!;
      await retry(
        'showing the placeholder in the Problems panel',
        4,
        async () => {
          await page.keyboard.press('Escape');
          await page.locator('.monaco-editor .view-lines').first().click();
          await page.keyboard.press('Control+Shift+M');
          await page
            .locator('.markers-panel .monaco-list-row', { hasText: placeholder.message.slice(0, 40) })
            .first()
            .waitFor({ timeout: 10_000 });
        },
        diagnose,
      );
      const problems = await page.locator('.markers-panel').innerText();
      assert.match(problems, /case\.report\.md/);
      assert.ok(problems.includes(placeholder.message.slice(0, 40)), problems);
      mark('problems-panel');

      await screenshot('e2e-generate-conclusion.png');
      if (!existsSync(README_SCREENSHOT) || process.env.RADREPORT_E2E_SCREENSHOT === 'update') {
        mkdirSync(join(REPO, 'docs', 'images'), { recursive: true });
        copyFileSync(join(RESULTS_DIR, 'e2e-generate-conclusion.png'), README_SCREENSHOT);
      }
    } catch (error) {
      await screenshot('e2e-failure.png').catch(() => {});
      throw error;
    }
  });

  test('the radreport CLI shipped in the installed extension writes the same conclusion from the same model', () => {
    assert.ok(writtenConclusion && installedExtension, 'needs the conclusion written in VS Code by the test above');
    const cli = join(installedExtension, 'bin', 'radreport.mjs');
    const reportFile = join(root, 'cli.report.md');
    writeFileSync(reportFile, REPORT);
    const run = spawnSync(process.execPath, [cli, 'conclude', reportFile, '--max-tokens', '64', '--json'], { encoding: 'utf8', timeout: 120_000 });
    assert.equal(run.status, 0, `radreport conclude from ${installedExtension} failed:\n${run.stderr.slice(-3000)}`);
    const fromCli = JSON.parse(run.stdout) as { conclusion: string };
    assert.equal(fromCli.conclusion.trim(), writtenConclusion, 'VS Code and the CLI write the same conclusion (greedy decoding)');
  });
});
