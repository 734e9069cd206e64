import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
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
  markedProcesses,
  REPO,
  requireSystemPackages,
  type CodeServerOptions,
} from './codeServer.ts';

/**
 * The first run of the packaged extension in code-server: in a folder of ordinary markdown it stays asleep (it
 * activates for report workspaces, its commands and its walkthrough only); the walkthrough "Radiology Report
 * Assistant: first report" opens from the Welcome page, and its first step opens the example report, whose problem
 * reaches the Problems panel; "New report from template" opens a report from the RSNA RadReport library shipped in the
 * .vsix.
 */

const RESULTS_DIR = join(REPO, 'test-results');
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('first run in VS Code (code-server): activation and the walkthrough', { timeout: 20 * 60_000 }, () => {
  const marker = randomBytes(8).toString('hex');
  let root: string;
  let server: CodeServer | undefined;
  let browser: Browser | undefined;
  let page: Page;
  let workspace: string;
  const killOnExit = () => server?.kill();

  /** The language server of this run, when one is running. */
  const languageServers = () => markedProcesses(marker).filter((p) => p.command.includes('dist/server.mjs'));
  const statusItem = () => page.locator('.statusbar-item', { hasText: 'Report model' });

  async function palette(command: string): Promise<void> {
    await page.keyboard.press('F1');
    const input = page.locator('.quick-input-widget .quick-input-box input');
    await input.waitFor({ state: 'visible', timeout: 10_000 });
    await input.fill(`>${command}`);
    await page.locator('.quick-input-list .monaco-list-row', { hasText: command }).first().waitFor({ timeout: 10_000 });
    await page.keyboard.press('Enter');
  }

  async function failWith(message: string): Promise<never> {
    mkdirSync(RESULTS_DIR, { recursive: true });
    await page.screenshot({ path: join(RESULTS_DIR, 'e2e-first-run-failure.png') }).catch(() => undefined);
    assert.fail(`${message}\n${server?.logTail() ?? ''}`);
  }

  before(async () => {
    requireSystemPackages();
    process.once('exit', killOnExit);
    const entry = installCodeServer();
    root = mkdtempSync(join(tmpdir(), 'radreport-e2e-first-'));
    const vsix = join(root, 'radiology-report-assistant.vsix');
    execFileSync('npm', ['run', '--silent', 'package', '--', '--out', vsix], { cwd: REPO, stdio: ['ignore', 'ignore', 'pipe'], timeout: 10 * 60_000 });
    for (const dir of ['home', 'browser-home', 'data/User', 'extensions', 'workspace']) mkdirSync(join(root, dir), { recursive: true });
    workspace = join(root, 'workspace');
    // Ordinary markdown: no *.report.md, no .radreportrc.json.
    writeFileSync(join(workspace, 'notes.md'), '# Meeting notes\n\nThe lungs of the budget are clear. Left or right, nothing here is a report.\n');
    writeFileSync(
      join(root, 'data', 'User', 'settings.json'),
      JSON.stringify({
        'radiologyReport.diagnosticsDelayMs': 100,
        'radiologyReport.inlineCompletion.enabled': false,
        'workbench.startupEditor': 'none',
        'workbench.tips.enabled': false,
        'security.workspace.trust.enabled': false,
        'extensions.autoCheckUpdates': false,
        'extensions.autoUpdate': false,
        'telemetry.telemetryLevel': 'off',
        'update.mode': 'none',
      }),
    );
    const options: CodeServerOptions = {
      entry,
      home: join(root, 'home'),
      userDataDir: join(root, 'data'),
      extensionsDir: join(root, 'extensions'),
      env: {},
      marker,
    };
    installExtension(options, vsix);
    server = await CodeServer.start(options);
    browser = await launchChromium(join(root, 'browser-home'), marker);
    page = await browser.newPage({ viewport: { width: 1400, height: 860 } });
  });

  after(async () => {
    try {
      await browser?.close();
    } catch {
      // killed below
    }
    await server?.stop();
    await killMarked(marker);
    process.removeListener('exit', killOnExit);
    if (root) rmSync(root, { recursive: true, force: true });
  });

  test('ordinary markdown does not start the extension', async () => {
    await page.goto(`${server!.url}/?folder=${encodeURIComponent(workspace)}`, { timeout: 60_000 });
    await page.locator('.monaco-workbench').waitFor({ timeout: 90_000 });
    await page.locator('.explorer-folders-view, .explorer-viewlet').first().waitFor({ timeout: 60_000 });
    await page.keyboard.press('Control+P');
    await page.locator('.quick-input-widget .quick-input-box input').fill('notes.md');
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'notes.md' }).first().waitFor({ timeout: 10_000 });
    await page.keyboard.press('Enter');
    await page.locator('.tab.active', { hasText: 'notes.md' }).waitFor({ timeout: 10_000 });
    // The markdown extension is up (its language mode shows) well before ours would have started with onLanguage.
    await page.locator('.statusbar-item', { hasText: 'Markdown' }).first().waitFor({ timeout: 60_000 });
    await sleep(10_000);
    assert.equal(await statusItem().count(), 0, 'no Radiology Report status bar item: the extension did not activate');
    assert.deepEqual(languageServers(), [], 'no language server was started');
  });

  test('the walkthrough opens from the Welcome page and its first step opens the example report with its problem', async () => {
    await palette('Welcome: Open Walkthrough...');
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Radiology Report Assistant: first report' }).first().click({ timeout: 15_000 });
    const step = page.locator('.getting-started-step', { hasText: 'Open an example report' }).first();
    await step.waitFor({ timeout: 30_000 }).catch(() => failWith('the walkthrough did not open'));
    for (const title of ['See a problem', 'Fix it', 'Generate a conclusion', 'Choose a model or a server']) {
      assert.equal(await page.locator('.getting-started-step', { hasText: title }).count(), 1, `step "${title}"`);
    }
    await page.locator('a', { hasText: 'Open the example report' }).first().click({ timeout: 15_000 });
    // The command (or the walkthrough itself) activates the extension: its status bar item and language server appear.
    await statusItem()
      .first()
      .waitFor({ timeout: 90_000 })
      .catch(() => failWith('the extension did not activate from the walkthrough'));
    await page.locator('.tab.active', { hasText: 'Untitled-1' }).waitFor({ timeout: 30_000 });
    assert.equal(languageServers().length, 1, 'one language server, from the installed extension');
    await page.keyboard.press('Control+Shift+M');
    const problem = page.locator('.markers-panel .monaco-list-row', { hasText: 'laterality-mismatch' }).first();
    await problem.waitFor({ timeout: 60_000 }).catch(() => failWith("the example report's laterality-mismatch problem never reached the Problems panel"));
    assert.match(await problem.innerText(), /“right” medial meniscus, but the exam is of the left side/);
  });

  test('"New report from template" picks an RSNA RadReport template by modality and body part and opens it as a report', async () => {
    await page.locator('.monaco-editor .view-lines').first().click();
    await palette('Radiology Report: New report from template');
    const input = page.locator('.quick-input-widget .quick-input-box input');
    const choose = async (step: string, label: string) => {
      await page
        .locator('.quick-input-widget', { hasText: step })
        .waitFor({ timeout: 30_000 })
        .catch(() => failWith(`the quick pick "${step}" did not open`));
      await input.fill(label);
      const row = page.locator('.quick-input-list .monaco-list-row', { hasText: label }).first();
      await row.waitFor({ timeout: 10_000 }).catch(() => failWith(`no "${label}" in the quick pick "${step}"`));
      await row.click();
    };
    await choose('modality', 'CT');
    await choose('body part', 'head');
    await choose('New report from template', 'CT Brain');
    await page.locator('.tab.active', { hasText: 'Untitled-2' }).waitFor({ timeout: 30_000 });
    // The active editor's visible lines (Monaco writes spaces as no-break spaces).
    const text = (await page.locator('.editor-group-container.active .monaco-editor .view-lines').first().innerText()).replace(/\u00a0/g, ' ');
    assert.match(text, /type: radiology-report\n/, `a report, not a template:\n${text}`);
    assert.match(text, /CT Brain/);
    assert.match(text, /RSNA RadReport/, 'credited to RSNA RadReport and its creator');
  });
});
