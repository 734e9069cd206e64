import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createExampleLibrary, pairOf } from './exampleLibrary.ts';
import { parseReport } from '../report/parseReport.ts';

const report = (findings: string, impression: string) => `# XR chest\n\n## Findings\n${findings}\n\n## Impression\n${impression}\n`;

const EFFUSION = report('Small left pleural effusion. The heart is normal in size.', 'Small left pleural effusion.');
const NODULE = report('A 6 mm nodule in the right upper lobe. No effusion.', 'Right upper lobe nodule, 6 mm.');
const NORMAL = report('The lungs are clear. The heart is normal in size. No effusion or pneumothorax.', 'No acute cardiopulmonary disease.');

test('a report is read as its findings and its conclusion; one without either is kept out of the prompts', () => {
  assert.deepEqual(pairOf(parseReport(EFFUSION)), {
    findings: 'Small left pleural effusion. The heart is normal in size.',
    conclusion: 'Small left pleural effusion.',
  });
  assert.equal(pairOf(parseReport('# XR chest\n\n## Findings\nClear lungs.\n')), undefined);
  const library = createExampleLibrary();
  library.setReport('/r/a.md', EFFUSION);
  const draft = '# XR chest\n\n## Findings\nClear lungs.\n';
  library.setReport('/r/draft.md', draft);
  assert.deepEqual(library.stats(), { pairs: 1, unusable: 1, refused: 0, chars: EFFUSION.length + draft.length });
  assert.deepEqual(library.nearest('Clear lungs.', 3), [
    { findings: 'Small left pleural effusion. The heart is normal in size.', conclusion: 'Small left pleural effusion.' },
  ]);
});

test('the k nearest by TF-IDF over the findings, the most similar last (right before the report)', () => {
  const library = createExampleLibrary();
  library.setReport('/r/effusion.md', EFFUSION);
  library.setReport('/r/nodule.md', NODULE);
  library.setReport('/r/normal.md', NORMAL);
  const nearest = library.nearest('Right upper lobe nodule measuring 8 mm.', 2).map((e) => e.conclusion);
  assert.equal(nearest.length, 2);
  assert.equal(nearest[1], 'Right upper lobe nodule, 6 mm.');
  assert.deepEqual(
    library.nearest('Moderate left pleural effusion.', 1).map((e) => e.conclusion),
    ['Small left pleural effusion.'],
  );
  assert.deepEqual(library.nearest('anything', 0), []);
});

test('a report is never its own example: its key and the very same findings are left out', () => {
  const library = createExampleLibrary();
  library.setReport('/r/effusion.md', EFFUSION);
  library.setReport('/r/nodule.md', NODULE);
  assert.deepEqual(
    library.nearest('Small left pleural effusion.', 1, '/r/effusion.md').map((e) => e.conclusion),
    ['Right upper lobe nodule, 6 mm.'],
  );
  assert.deepEqual(
    library.nearest('Small left  pleural effusion.\nThe heart is normal in size.', 1).map((e) => e.conclusion),
    ['Right upper lobe nodule, 6 mm.'],
  );
});

test('incremental: a changed file replaces its pair, a deleted one leaves, and the weights follow', () => {
  const library = createExampleLibrary();
  library.setReport('/r/a.md', EFFUSION);
  library.setReport('/r/b.md', NORMAL);
  assert.equal(library.nearest('left pleural effusion', 1)[0]!.conclusion, 'Small left pleural effusion.');
  library.setReport('/r/a.md', NODULE);
  assert.equal(library.stats().pairs, 2);
  assert.equal(library.nearest('right upper lobe nodule', 1)[0]!.conclusion, 'Right upper lobe nodule, 6 mm.');
  library.delete('/r/a.md');
  assert.deepEqual(library.keys(), ['/r/b.md']);
  assert.equal(library.stats().chars, NORMAL.length);
  assert.equal(library.nearest('right upper lobe nodule', 1)[0]!.conclusion, 'No acute cardiopulmonary disease.');
});

test('the size cap: reports past the count or the characters are refused and counted; a replacement fits in its own room', () => {
  const byCount = createExampleLibrary({ maxReports: 2 });
  assert.equal(byCount.setReport('/r/a.md', EFFUSION), true);
  assert.equal(byCount.setReport('/r/b.md', NODULE), true);
  assert.equal(byCount.setReport('/r/c.md', NORMAL), false);
  assert.equal(byCount.setReport('/r/a.md', NORMAL), true);
  assert.deepEqual(byCount.keys(), ['/r/a.md', '/r/b.md']);
  assert.equal(byCount.stats().refused, 1);

  const byChars = createExampleLibrary({ maxChars: EFFUSION.length + NODULE.length });
  assert.equal(byChars.setReport('/r/a.md', EFFUSION), true);
  assert.equal(byChars.setReport('/r/b.md', NODULE), true);
  assert.equal(byChars.setReport('/r/c.md', NORMAL), false);
  assert.equal(byChars.stats().chars, EFFUSION.length + NODULE.length);
});

test('an example too long for the prompt is passed over for the next nearest', () => {
  const long = report(`Small left pleural effusion. ${'Unremarkable mediastinal contour. '.repeat(60)}`, 'Small left pleural effusion.');
  const library = createExampleLibrary({ maxExampleChars: 500 });
  library.setReport('/r/long.md', long);
  library.setReport('/r/nodule.md', NODULE);
  assert.deepEqual(
    library.nearest('Small left pleural effusion.', 2).map((e) => e.conclusion),
    ['Right upper lobe nodule, 6 mm.'],
  );
});

test('pairs given directly (evaluation data): empty sides are unusable', () => {
  const library = createExampleLibrary();
  library.setPair('iu-1', { findings: ' Clear lungs. ', conclusion: 'Normal chest.' });
  library.setPair('iu-2', { findings: 'Clear lungs.', conclusion: '' });
  assert.deepEqual(library.stats(), { pairs: 1, unusable: 1, refused: 0, chars: 39 });
  assert.deepEqual(library.nearest('The lungs are clear.', 3), [{ findings: 'Clear lungs.', conclusion: 'Normal chest.' }]);
});

test('the examples of one prompt fit a character budget: the nearest first, then none past it', () => {
  const library = createExampleLibrary({ maxPromptChars: 120 });
  library.setReport('/r/effusion.md', EFFUSION);
  library.setReport('/r/nodule.md', NODULE);
  library.setReport('/r/normal.md', NORMAL);
  // Effusion (85 characters) fits; the next nearest would pass 120.
  assert.deepEqual(
    library.nearest('Small left pleural effusion. Heart normal in size.', 3).map((e) => e.conclusion),
    ['Small left pleural effusion.'],
  );
});
