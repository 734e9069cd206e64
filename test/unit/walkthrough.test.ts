import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { test } from 'node:test';
import { parseReport } from '../../server/report/parseReport.ts';
import { lintReport } from '../../server/rules/lintReport.ts';
import { ALL_RULES } from '../../server/rules/registry.ts';

/** The first-run walkthrough (`contributes.walkthroughs`): what it shows exists, what it runs is there, what it says is true. */

const root = new URL('../../', import.meta.url);
const manifest = JSON.parse(readFileSync(new URL('package.json', root), 'utf8'));
interface Step {
  id: string;
  title: string;
  description: string;
  media: { markdown?: string; image?: string | Record<string, string>; svg?: string; altText?: string };
  completionEvents?: string[];
}
const walkthroughs: Array<{ id: string; title: string; description: string; steps: Step[] }> = manifest.contributes.walkthroughs;
const contributedCommands: string[] = manifest.contributes.commands.map((c: { command: string }) => c.command);
const settings = Object.keys(manifest.contributes.configuration.properties);
/** VS Code's own commands and views the steps use; anything else must be the extension's. */
const BUILT_IN_COMMANDS = ['workbench.actions.view.problems', 'editor.action.quickFix', 'editor.action.fixAll', 'workbench.action.openSettings'];
const BUILT_IN_VIEWS = ['workbench.panel.markers.view'];

/** `[label](command:id?ENCODED_JSON_ARGS)` links: the command and its arguments. */
function commandLinks(markdown: string): Array<{ command: string; args: unknown[] }> {
  return [...markdown.matchAll(/\]\(command:([\w.]+)(?:\?([^)\s]+))?\)/g)].map((m) => ({
    command: m[1]!,
    args: m[2] ? [JSON.parse(decodeURIComponent(m[2]))].flat() : [],
  }));
}

const assertCommandExists = (command: string, where: string) =>
  assert.ok(contributedCommands.includes(command) || BUILT_IN_COMMANDS.includes(command), `${where}: ${command} is contributed or VS Code's own`);

test('one walkthrough: open an example, see a problem, fix it, generate a conclusion, choose a model or a server', () => {
  assert.equal(walkthroughs.length, 1);
  const [walkthrough] = walkthroughs;
  assert.deepEqual(
    walkthrough!.steps.map((s) => s.id),
    ['openExample', 'seeProblem', 'fixProblem', 'generateConclusion', 'chooseModel'],
  );
  assert.ok(manifest.activationEvents.includes(`onWalkthrough:${walkthrough!.id}`), 'opening the walkthrough activates the extension, so its links work');
  for (const step of walkthrough!.steps) {
    assert.ok(step.title && step.description.length > 40, `${step.id} says what to do`);
  }
});

test("every step's media exists, and the commands, views and settings it names are there", () => {
  for (const step of walkthroughs.flatMap((w) => w.steps)) {
    const media = [
      step.media.markdown,
      step.media.svg,
      ...(typeof step.media.image === 'string' ? [step.media.image] : Object.values(step.media.image ?? {})),
    ].filter((path): path is string => typeof path === 'string');
    assert.ok(media.length > 0, `${step.id} has media`);
    if (step.media.image || step.media.svg) assert.ok(step.media.altText, `${step.id}: an image has alt text`);
    for (const path of media) {
      assert.ok(path.startsWith('walkthrough/') && existsSync(new URL(path, root)), `${step.id}: ${path} exists under walkthrough/ (packaged into the .vsix)`);
      if (path.endsWith('.md')) for (const { command } of commandLinks(readFileSync(new URL(path, root), 'utf8'))) assertCommandExists(command, path);
    }
    for (const { command } of commandLinks(step.description)) assertCommandExists(command, step.id);
    for (const event of step.completionEvents ?? []) {
      const [kind, name = ''] = event.split(/:(.*)/s);
      if (kind === 'onCommand') assertCommandExists(name, `${step.id} completion`);
      else if (kind === 'onSettingChanged') assert.ok(settings.includes(name), `${step.id}: ${name} is a contributed setting`);
      else if (kind === 'onView') assert.ok(BUILT_IN_VIEWS.includes(name), `${step.id}: ${name} is a known view`);
      else assert.fail(`${step.id}: unexpected completion event ${event}`);
    }
  }
  const packaging = readFileSync(new URL('scripts/package-vsix.mjs', root), 'utf8');
  for (const folder of ["'walkthrough'", "'examples'"]) assert.ok(packaging.includes(folder), `the .vsix ships ${folder}`);
});

test('the example reports the steps open show the problem the walkthrough describes', () => {
  const lint = (name: string) => {
    const path = new URL(`examples/${name}`, root);
    assert.ok(existsSync(path), `examples/${name} exists`);
    return lintReport(parseReport(readFileSync(path, 'utf8')), {}, ALL_RULES);
  };
  const steps = walkthroughs.flatMap((w) => w.steps);
  const opened = steps.flatMap((s) => commandLinks(s.description)).filter((l) => l.command === 'radiologyReport.openExampleReport');
  // Without an argument the command opens the MR knee dictation (client/exampleReport.ts).
  const client = readFileSync(new URL('client/exampleReport.ts', root), 'utf8');
  assert.match(client, /EXAMPLE_REPORTS = \['mr-knee-dictation\.report\.md'/);
  for (const name of opened.flatMap((l) => l.args)) assert.ok(client.includes(`'${name}'`), `the command accepts ${name}`);

  // "See a problem" and "Fix it": the knee report says right, the exam is of the left knee; the fix writes left.
  const knee = lint('mr-knee-dictation.report.md').find((p) => p.ruleId === 'laterality-mismatch');
  assert.ok(knee, 'the knee example has a laterality mismatch');
  assert.match(knee.fixes?.[0]?.title ?? '', /left/);
  assert.match(readFileSync(new URL('walkthrough/fix-problem.md', root), 'utf8'), new RegExp(knee.fixes![0]!.title.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
  // "Generate a conclusion": the chest radiograph example it opens has an empty impression.
  assert.deepEqual(
    opened.flatMap((l) => l.args),
    ['xr-chest.report.md'],
  );
  assert.ok(lint('xr-chest.report.md').some((p) => p.ruleId === 'empty-conclusion'));
});
