/**
 * The blinded reader study end to end, as readers use it: the real `radreport study` command in its own process, two
 * invited readers in real (headless) Chromium, one on the keyboard and one with the mouse. Mid-study the server is
 * killed with SIGKILL and started again; one reader keeps answering (and changes an answer) on the open page, the
 * other closes the browser and comes back; both finish. A second person then types the first reader's name: it opens
 * nothing, and with their own invitation the same name is only their label. `study results --json` must match the
 * answers given, each reader's last, and list the changed ones.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, test } from 'node:test';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { CHROMIUM, OFFLINE_CHROMIUM_ARGS } from '../e2e/codeServer.ts';

const REPO = fileURLToPath(new URL('../../', import.meta.url));
const CLI = fileURLToPath(new URL('./studyCli.ts', import.meta.url));
const BROWSER_ARGS = ['--headless', ...OFFLINE_CHROMIUM_ARGS];

let work: string;
let studyDir: string;
let server: ChildProcess | undefined;
let port = 0;
/** Invitation tokens printed by `study create --readers 3`: Ada's, Ben's and the second person's. */
let invitations: string[] = [];
const contexts: BrowserContext[] = [];
/** Every JSON body the pages received from the study API. */
const apiBodies: string[] = [];

function cli(...args: string[]) {
  const result = spawnSync(process.execPath, ['--import', 'tsx', CLI, ...args], { cwd: REPO, encoding: 'utf8' });
  assert.equal(result.status, 0, `radreport study ${args.join(' ')} failed:\n${result.stdout}\n${result.stderr}`);
  return result.stdout;
}

async function startServer(atPort: number): Promise<void> {
  const child = spawn(process.execPath, ['--import', 'tsx', CLI, 'serve', studyDir, '--port', String(atPort)], {
    cwd: REPO,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  server = child;
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    let stdout = '';
    const timer = setTimeout(() => reject(new Error(`the study server did not start in 30 s:\n${stdout}\n${stderr}`)), 30_000);
    child.stdout!.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const match = /Reader study: (http:\/\/127\.0\.0\.1:(\d+)\/)/.exec(stdout);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the study server exited with ${code}:\n${stdout}\n${stderr}`));
    });
  });
  port = Number(new URL(url).port);
}

async function killServer(): Promise<void> {
  const child = server;
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGKILL');
  await exited;
}

/** Opens the study in a browser profile, with an invitation link or (to resume, or as someone without one) without. */
async function openReader(userDataDir: string, invitation?: string): Promise<Page> {
  const context = await chromium.launchPersistentContext(userDataDir, { executablePath: CHROMIUM, headless: true, args: BROWSER_ARGS });
  contexts.push(context);
  const page = context.pages()[0] ?? (await context.newPage());
  page.on('response', async (response) => {
    if (new URL(response.url()).pathname.startsWith('/api/')) apiBodies.push(await response.text().catch(() => ''));
  });
  await page.goto(`http://127.0.0.1:${port}/${invitation ? `#invite=${invitation}` : ''}`);
  return page;
}

async function closeReader(page: Page): Promise<void> {
  const context = page.context();
  await context.close();
  contexts.splice(contexts.indexOf(context), 1);
}

const status = (page: Page) => page.locator('#status');
const progress = (page: Page) => page.locator('#progress');

async function expectText(page: Page, selector: string, pattern: RegExp): Promise<void> {
  await page
    .waitForFunction(([sel, source]) => new RegExp(source).test(document.querySelector(sel)?.textContent ?? ''), [selector, pattern.source] as const, {
      timeout: 15_000,
    })
    .catch(async () => {
      assert.fail(`${selector} should match ${pattern}, shows "${await page.locator(selector).textContent()}"`);
    });
}

/** Answers the open case with the keyboard: rating of A, rating of B, preference key. */
async function answerByKeys(page: Page, ratingA: number, ratingB: number, preferenceKey: 'a' | 'b' | 'e'): Promise<void> {
  await page.keyboard.press(String(ratingA));
  await page.keyboard.press(String(ratingB));
  await page.keyboard.press(preferenceKey);
  await expectText(page, '#status', /^Saved\. Press n/);
}

/** Answers the open case with the mouse. */
async function answerByClicks(page: Page, ratingA: number, ratingB: number, preference: 'A' | 'B' | 'equivalent'): Promise<void> {
  await page.click(`[data-side="A"][data-rating="${ratingA}"]`);
  await page.click(`[data-side="B"][data-rating="${ratingB}"]`);
  await page.click(`[data-preference="${preference}"]`);
  await expectText(page, '#status', /^Saved\. Press n/);
}

/** The first visit with an invitation: the page asks for a name (a label only), then shows the first case. */
async function enter(page: Page, name: string): Promise<void> {
  await page.waitForSelector('#naming:not([hidden])');
  assert.doesNotMatch(page.url(), /invite=/, 'the invitation token stays in the address bar');
  await page.fill('#name', name);
  await page.keyboard.press('Enter');
  await page.waitForSelector('#case:not([hidden])');
}

before(async () => {
  assert.ok(
    existsSync(CHROMIUM),
    `Chromium is missing at ${CHROMIUM}: the reader study test drives a real browser. Install it with \`apt-get install chromium\`.`,
  );
  work = await mkdtemp(join(tmpdir(), 'reader-study-'));
  studyDir = join(work, 'study');
  const rows = [
    ['iu-11', 'Heart size normal. Lungs clear.', 'Normal chest.', 'No acute cardiopulmonary abnormality.'],
    ['iu-12', 'Right lower lobe airspace opacity.', 'Right lower lobe pneumonia.', 'Right basilar consolidation, likely pneumonia.'],
    ['iu-13', 'Small left pleural effusion. Cardiomegaly.', 'Cardiomegaly with a small left effusion.', 'Small left pleural effusion.'],
    ['iu-14', 'Hyperinflated lungs. Flattened diaphragms.', 'Emphysema.', 'Hyperinflation consistent with COPD.'],
  ].map(([id, findings, reference, prediction]) => JSON.stringify({ id, exam: 'Xray Chest PA and Lateral', findings, reference, prediction }));
  await writeFile(join(work, 'predictions.jsonl'), rows.join('\n') + '\n');
  const created = cli('create', '--from', join(work, 'predictions.jsonl'), '--out', studyDir, '--cases', '4', '--seed', '11', '--readers', '3');
  assert.match(created, /reader study of 4 cases/);
  invitations = [...created.matchAll(/http:\/\/127\.0\.0\.1:8437\/#invite=([A-Za-z0-9_-]{43})$/gm)].map((m) => m[1]!);
  assert.equal(invitations.length, 3, created);
  await startServer(0);
});

after(async () => {
  for (const context of contexts.splice(0)) await context.close().catch(() => {});
  await killServer();
  if (work) await rm(work, { recursive: true, force: true });
});

test(
  'two invited readers, a killed and restarted server, a reader who comes back, a second person typing the same name: results match the last answers',
  { timeout: 180_000 },
  async () => {
    const adaProfile = await mkdtemp(join(work, 'ada-'));
    const benProfile = await mkdtemp(join(work, 'ben-'));

    // Ada uses the keyboard.
    const ada = await openReader(adaProfile, invitations[0]);
    await enter(ada, 'Dr Ada Lovelace');
    await expectText(ada, '#progress', /^Case 1 of 4 · 0 complete$/);
    await answerByKeys(ada, 4, 2, 'a');
    await ada.keyboard.press('n');
    await expectText(ada, '#progress', /^Case 2 of 4 · 1 complete$/);
    await answerByKeys(ada, 3, 5, 'e');
    await ada.keyboard.press('Enter');
    await expectText(ada, '#progress', /^Case 3 of 4 · 2 complete$/);
    await ada.keyboard.press('5');
    await expectText(ada, '#status', /^Saved\.$/);

    // Ben, at the same time, uses the mouse.
    const ben = await openReader(benProfile, invitations[1]);
    await enter(ben, 'Dr Ben Felson');
    await answerByClicks(ben, 2, 4, 'B');
    await ben.click('#next');
    await expectText(ben, '#progress', /^Case 2 of 4 · 1 complete$/);
    await ben.click('[data-side="A"][data-rating="3"]');
    await expectText(ben, '#status', /^Saved\.$/);

    // The server dies mid-study.
    await killServer();
    // Ada keeps answering on her open page: the answer cannot be saved yet, and the page says so.
    await ada.keyboard.press('1');
    await expectText(ada, '#status', /^Not saved: the study server cannot be reached/);
    assert.equal(await ada.locator('#next').isDisabled(), true);
    // Ben closes his browser.
    await closeReader(ben);

    await startServer(port);

    // Ada's page saves the pending answer by itself once the server is back.
    await expectText(ada, '#status', /^Saved\.$/);
    // Ada changes her rating of B twice (1 → 5 → 1): two changes in the audit trail.
    await answerByKeys(ada, 5, 1, 'b');
    await ada.keyboard.press('n');
    await expectText(ada, '#progress', /^Case 4 of 4 · 3 complete$/);
    await answerByKeys(ada, 2, 2, 'e');
    await ada.keyboard.press('n');
    await ada.waitForSelector('#done:not([hidden])');

    // Ben comes back in a new browser with the same profile: he resumes at case 2 with his rating of A there.
    const benAgain = await openReader(benProfile);
    await benAgain.waitForSelector('#case:not([hidden])');
    await expectText(benAgain, '#progress', /^Case 2 of 4 · 1 complete$/);
    assert.equal(await benAgain.locator('[data-side="A"][data-rating="3"]').getAttribute('aria-pressed'), 'true');
    assert.equal(await benAgain.locator('[data-side="B"][aria-pressed="true"]').count(), 0);
    await benAgain.click('[data-side="B"][data-rating="4"]');
    await benAgain.click('[data-preference="A"]');
    await expectText(benAgain, '#status', /^Saved\. Press n/);
    await benAgain.click('#next');
    await answerByClicks(benAgain, 4, 4, 'equivalent');
    await benAgain.click('#next');
    await answerByClicks(benAgain, 1, 5, 'B');
    await benAgain.click('#next');
    await benAgain.waitForSelector('#done:not([hidden])');
    assert.equal(await progress(benAgain).textContent(), 'Case 4 of 4 · 4 complete');
    assert.equal(await status(ada).count(), 1);

    // A second person, in another browser, types Ada's name where the study asks for an invitation: nothing opens.
    const other = await openReader(await mkdtemp(join(work, 'other-')));
    await other.waitForSelector('#enter:not([hidden])');
    await other.fill('#invite', ' dr ADA lovelace');
    await other.keyboard.press('Enter');
    await expectText(other, '#error', /not an invitation link or code: a name does not open the study/);
    assert.equal(await other.locator('#case').isHidden(), true);
    // A made-up code of the right shape is refused by the server.
    await other.fill('#invite', `http://127.0.0.1:8437/#invite=${'A'.repeat(43)}`);
    await other.keyboard.press('Enter');
    await expectText(other, '#error', /This invitation is not valid for this study/);
    assert.equal(await other.locator('#case').isHidden(), true);
    // With their own invitation, pasted into the page, the same name is their own label: none of Ada's answers.
    await other.fill('#invite', `http://127.0.0.1:8437/#invite=${invitations[2]}`);
    await other.keyboard.press('Enter');
    await enter(other, ' dr ADA lovelace');
    await expectText(other, '#progress', /^Case 1 of 4 · 0 complete$/);
    assert.equal(await other.locator('[aria-pressed="true"]').count(), 0);
    assert.equal(await other.locator('#readerName').textContent(), 'dr ADA lovelace');
    await answerByKeys(other, 1, 3, 'e');

    // The pages never learnt which conclusion was generated, nor any invitation token.
    assert.ok(apiBodies.length > 10);
    for (const body of apiBodies) {
      assert.doesNotMatch(body, /generated|original|iu-1\d|"key"/);
      for (const token of invitations) assert.equal(body.includes(token), false);
    }

    // Another kill, then the results from the database alone.
    await killServer();
    const results = JSON.parse(cli('results', studyDir, '--json'));
    const study = JSON.parse(await readFile(join(studyDir, 'study.json'), 'utf8')) as { key: Array<{ number: number; A: string; B: string }> };
    // Each reader's last answers; the second person typed Ada's name, so the results tell the two apart by number.
    const given = {
      'Dr Ada Lovelace (#1)': [
        [4, 2, 'A'],
        [3, 5, 'equivalent'],
        [5, 1, 'B'],
        [2, 2, 'equivalent'],
      ],
      'Dr Ben Felson': [
        [2, 4, 'B'],
        [3, 4, 'A'],
        [4, 4, 'equivalent'],
        [1, 5, 'B'],
      ],
      'dr ADA lovelace (#3)': [[1, 3, 'equivalent']],
    } as const;
    const expected = Object.entries(given).map(([reader, answers]) => {
      const tally = { generated: 0, original: 0, equivalent: 0 };
      const ratings = { generated: [] as number[], original: [] as number[] };
      answers.forEach(([ratingA, ratingB, preference], i) => {
        const key = study.key[i]!;
        ratings[key.A as 'generated' | 'original'].push(ratingA);
        ratings[key.B as 'generated' | 'original'].push(ratingB);
        tally[preference === 'equivalent' ? 'equivalent' : (key[preference] as 'generated' | 'original')]++;
      });
      return { reader, tally, ratings, complete: answers.length };
    });
    const mean = (values: number[]) => values.reduce((s, v) => s + v, 0) / values.length;

    assert.equal(results.cases, 4);
    assert.deepEqual(
      results.readers.map((r: { reader: string }) => r.reader),
      Object.keys(given),
    );
    expected.forEach((e, i) => {
      const r = results.readers[i];
      assert.equal(r.casesComplete, e.complete);
      assert.deepEqual({ generated: r.preference.generated, original: r.preference.original, equivalent: r.preference.equivalent }, e.tally, e.reader);
      assert.equal(r.preference.generatedShare, e.tally.generated / e.complete);
      assert.equal(r.ratings.generated.mean, mean(e.ratings.generated));
      assert.equal(r.ratings.original.mean, mean(e.ratings.original));
      assert.equal(r.ratings.generated.n, e.complete);
    });
    const all = { generated: expected.flatMap((e) => e.ratings.generated), original: expected.flatMap((e) => e.ratings.original) };
    assert.equal(results.overall.casesComplete, 9);
    assert.equal(results.overall.preference.n, 9);
    assert.equal(
      results.overall.preference.generated,
      expected.reduce((s, e) => s + e.tally.generated, 0),
    );
    assert.equal(results.overall.ratings.generated.mean, mean(all.generated));
    assert.equal(results.overall.ratings.original.mean, mean(all.original));
    // Only case 1 has a preference from all three readers.
    assert.equal(results.agreement.preference.fleissCases, 1);
    // Pairwise agreement: over every pair of readers' preferences for the same case, compared by source.
    let pairs = 0;
    let agreeing = 0;
    for (let i = 0; i < 4; i++) {
      const source = (p: string) => (p === 'equivalent' ? p : study.key[i]![p as 'A' | 'B']);
      const choices = Object.values(given).flatMap((answers) => (answers[i] ? [source(answers[i]![2])] : []));
      for (let a = 0; a < choices.length; a++)
        for (let b = a + 1; b < choices.length; b++) {
          pairs++;
          if (choices[a] === choices[b]) agreeing++;
        }
    }
    assert.equal(results.agreement.preference.pairwiseAgreement, agreeing / pairs);

    // The audit trail: Ada's rating of B in case 3 went 1 → 5 → 1; nobody else changed an answer.
    assert.equal(results.changes.changed, 2);
    assert.deepEqual(
      results.changes.byReader.map((r: { reader: string; changed: number }) => [r.reader, r.changed]),
      [
        ['Dr Ada Lovelace (#1)', 2],
        ['Dr Ben Felson', 0],
        ['dr ADA lovelace (#3)', 0],
      ],
    );
    assert.deepEqual(
      results.changes.changes.map((c: { reader: string; case: number; field: string; from: number; to: number }) => [c.reader, c.case, c.field, c.from, c.to]),
      [
        ['Dr Ada Lovelace (#1)', 3, 'ratingB', 1, 5],
        ['Dr Ada Lovelace (#1)', 3, 'ratingB', 5, 1],
      ],
    );

    const table = cli('results', studyDir);
    assert.match(table, /Reader study: 4 cases, 3 reader\(s\)/);
    assert.match(table, /^Dr Ada Lovelace \(#1\)\s+4\s/m);
    assert.match(table, /^Changed answers: 2 \(of \d+ answers saved\)$/m);
  },
);
