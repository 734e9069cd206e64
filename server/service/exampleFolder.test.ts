import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createExampleFolder, exampleSource } from './exampleFolder.ts';
import { memoryWorkspace, RefusedFileError } from './reportWorkspace.ts';

const report = (findings: string, impression: string) => `# XR chest\n\n## Findings\n${findings}\n\n## Impression\n${impression}\n`;

test('a folder means every *.md under it; a glob the files it matches; relative to the workspace folder', () => {
  const folder = exampleSource('signed', '/ws');
  assert.equal(folder.folder, '/ws/signed');
  assert.equal(folder.matches('/ws/signed/2024/a.report.md'), true);
  assert.equal(folder.matches('/ws/signed/notes.txt'), false);
  const glob = exampleSource('/home/me/reports/**/*.report.md', '/ws');
  assert.equal(glob.folder, '/home/me/reports');
  assert.equal(glob.matches('/home/me/reports/ct/a.report.md'), true);
  assert.equal(glob.matches('/home/me/reports/ct/a.md'), false);
  assert.equal(exampleSource('', '/ws').folder, undefined);
  assert.match(exampleSource('signed', undefined).problem!, /no workspace folder/);
  assert.match(exampleSource('/r/*/+(a|b).md', undefined).problem!, /not accepted/);
});

test('reads only what changed: a new file is added, a changed one read again, a deleted one dropped', async () => {
  const workspace = memoryWorkspace({
    '/ws/signed/a.md': report('Small left pleural effusion.', 'Small left pleural effusion.'),
    '/ws/signed/b.md': report('A 6 mm nodule in the right upper lobe.', 'Right upper lobe nodule.'),
    '/ws/signed/.trash/c.md': report('Pneumothorax.', 'Pneumothorax.'),
    '/ws/other/d.md': report('Cardiomegaly.', 'Cardiomegaly.'),
  });
  const reads: string[] = [];
  const readFile = workspace.readFile;
  workspace.readFile = async (path) => (reads.push(path), readFile(path));
  const folder = createExampleFolder(workspace, { minIntervalMs: 0 });
  let library = await folder.refresh('signed', '/ws');
  assert.deepEqual(library.keys(), ['/ws/signed/a.md', '/ws/signed/b.md']);
  assert.deepEqual(reads, ['/ws/signed/a.md', '/ws/signed/b.md']);

  reads.length = 0;
  await workspace.writeFile('/ws/signed/b.md', report('A 6 mm nodule in the right upper lobe.', 'Stable 6 mm right upper lobe nodule.'));
  workspace.files.delete('/ws/signed/a.md');
  await workspace.writeFile('/ws/signed/e.md', report('Mild cardiomegaly.', 'Mild cardiomegaly.'));
  library = await folder.refresh('signed', '/ws');
  assert.deepEqual(reads, ['/ws/signed/b.md', '/ws/signed/e.md']);
  assert.deepEqual(library.keys().sort(), ['/ws/signed/b.md', '/ws/signed/e.md']);
  assert.equal(library.nearest('right upper lobe nodule', 1)[0]!.conclusion, 'Stable 6 mm right upper lobe nodule.');
  assert.deepEqual([folder.state.files, folder.state.pairs], [2, 2]);

  // Another setting starts again; an empty one empties the library.
  assert.deepEqual((await folder.refresh('/ws/other', '/ws')).keys(), ['/ws/other/d.md']);
  assert.deepEqual((await folder.refresh('', '/ws')).keys(), []);
});

test('the caps: at most maxFiles files; a file the workspace refuses is named, not indexed', async () => {
  const workspace = memoryWorkspace({
    '/r/a.md': report('Clear lungs.', 'Normal chest.'),
    '/r/b.md': report('Cardiomegaly.', 'Cardiomegaly.'),
    '/r/c.md': report('Pneumothorax.', 'Pneumothorax.'),
  });
  const capped = createExampleFolder(workspace, { maxFiles: 2 });
  assert.deepEqual((await capped.refresh('/r', undefined)).keys(), ['/r/a.md', '/r/b.md']);
  const readFile = workspace.readFile;
  workspace.readFile = async (path) => {
    if (path === '/r/b.md') throw new RefusedFileError('is a link that leads out of the workspace; it was not read');
    return readFile(path);
  };
  const folder = createExampleFolder(workspace);
  assert.deepEqual((await folder.refresh('/r', undefined)).keys(), ['/r/a.md', '/r/c.md']);
  assert.deepEqual(folder.state.problems, ['/r/b.md is a link that leads out of the workspace; it was not read']);
  const byBytes = createExampleFolder(workspace, { maxBytes: 100 });
  await byBytes.refresh('/r', undefined);
  assert.equal(byBytes.state.pairs, 1);
  assert.equal(byBytes.state.refused, 1);
});

test('a refresh soon after the last one reuses it', async () => {
  const workspace = memoryWorkspace({ '/r/a.md': report('Clear lungs.', 'Normal chest.') });
  let clock = 0;
  const folder = createExampleFolder(workspace, { now: () => clock });
  await folder.refresh('/r', undefined);
  await workspace.writeFile('/r/b.md', report('Cardiomegaly.', 'Cardiomegaly.'));
  assert.equal((await folder.refresh('/r', undefined)).keys().length, 1);
  clock = 2_000;
  assert.equal((await folder.refresh('/r', undefined)).keys().length, 2);
});
