import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { scriptedEngine } from '../../service/testing/scriptedEngine.ts';
import { createCompareCommand } from './compare.ts';
import { createConcludeCommand } from './conclude.ts';

const signed = (findings: string, impression: string) => `## Findings\n${findings}\n\n## Impression\n${impression}\n`;

async function conclude(args: string[], cwd: string) {
  const engine = scriptedEngine(() => ['Left lower lobe opacity.']);
  const command = createConcludeCommand({ createEngine: () => engine, packageRoot: cwd });
  let stdout = '';
  let stderr = '';
  const io = {
    stdout: { write: (t: string) => (stdout += t) },
    stderr: { write: (t: string) => (stderr += t) },
    cwd,
    env: {},
    signal: new AbortController().signal,
  };
  const code = await command.run(args, io);
  return { code, stdout, stderr, prompts: engine.prompts };
}

test('conclude --examples DIR: the nearest of the user’s reports go in the prompt, the report itself never', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'radreport-examples-'));
  mkdirSync(join(dir, 'signed'));
  writeFileSync(join(dir, 'signed', 'pneumonia.md'), signed('Opacity in the left lower lobe.', 'Left basal consolidation, in keeping with pneumonia.'));
  writeFileSync(join(dir, 'signed', 'normal.md'), signed('The heart and lungs are normal.', 'Normal chest.'));
  writeFileSync(join(dir, 'signed', 'case.report.md'), signed('Left lower lobe opacity.', ''));
  const result = await conclude(['signed/case.report.md', '--model', 'm.gguf', '--examples', 'signed', '--example-count', '1', '--json'], dir);
  assert.equal(result.code, 0, result.stderr);
  assert.match(
    result.prompts[0]!.user,
    /^Example findings: Opacity in the left lower lobe\.\nExample conclusion: Left basal consolidation, in keeping with pneumonia\.\n\nFindings: Left lower lobe opacity\./,
  );
  assert.equal(JSON.parse(result.stdout).examples, 1);

  const all = await conclude(['signed/case.report.md', '--model', 'm.gguf', '--examples', `${dir}/signed/*.md`], dir);
  assert.equal(all.prompts[0]!.user.match(/Example findings/g)!.length, 2, 'the report itself is not its own example');

  const none = await conclude(['signed/case.report.md', '--model', 'm.gguf', '--examples', 'missing'], dir);
  assert.equal(none.code, 2);
  assert.match(none.stderr, /no report files found in missing/);
  assert.deepEqual(none.prompts, []);
});

test('compare FILE: the report’s own conclusion beside the generated one, what each leaves out; no conclusion is exit 1', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'radreport-compare-'));
  writeFileSync(join(dir, 'case.report.md'), signed('Left lower lobe opacity. Small right pleural effusion.', 'Left lower lobe pneumonia.'));
  writeFileSync(join(dir, 'empty.report.md'), signed('Left lower lobe opacity.', ''));
  const engine = scriptedEngine(() => ['1. Left lower lobe opacity. 2. Small right pleural effusion.']);
  const command = createCompareCommand({ createEngine: () => engine, packageRoot: dir });
  let stdout = '';
  let stderr = '';
  const io = {
    stdout: { write: (t: string) => (stdout += t) },
    stderr: { write: (t: string) => (stderr += t) },
    cwd: dir,
    env: {},
    signal: new AbortController().signal,
  };
  assert.equal(await command.run(['case.report.md', '--model', 'm.gguf', '--json'], io), 0, stderr);
  const result = JSON.parse(stdout);
  assert.deepEqual(
    [result.resident, result.source, result.residentLeftOut, result.generatedLeftOut],
    ['Left lower lobe pneumonia.', 'model', ['Small right pleural effusion.'], []],
  );
  assert.match(result.markdown, /^# Your conclusion and the generated one\n/);
  assert.equal(await command.run(['empty.report.md', '--model', 'm.gguf'], io), 1);
  assert.match(stderr, /has no conclusion of its own to compare/);
});
