import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { createTemplateLibraryStore } from './templateLibraryStore.ts';

const work = mkdtempSync(join(tmpdir(), 'radreport-store-'));
after(() => rmSync(work, { recursive: true, force: true }));

const TEMPLATE = (title: string) =>
  `---\ntype: radiology-report-template\ntitle: ${title}\n---\n# ${title}\n\n## Findings\nLungs: Clear.\n\n## Impression\nNormal.\n`;

test('the store lists the department folders first, then the shipped library; a missing library or folder is no error', async () => {
  const packageRoot = join(work, 'pkg');
  const shipped = join(packageRoot, 'dist', 'templates', 'rsna');
  mkdirSync(shipped, { recursive: true });
  writeFileSync(
    join(shipped, 'index.json'),
    JSON.stringify({
      templates: [
        { id: '99', title: 'CT Chest', modality: 'CT', bodyPart: 'chest', credit: 'RSNA RadReport', source: 'RSNA RadReport' },
        { id: 'gone', title: 'Gone', source: 'RSNA RadReport' },
      ],
    }),
  );
  writeFileSync(join(shipped, '99.report-template.md'), TEMPLATE('CT Chest'));
  const folder = join(work, 'department');
  mkdirSync(folder);
  writeFileSync(join(folder, 'xr-chest.md'), TEMPLATE('XR chest'));
  writeFileSync(join(folder, 'empty.md'), 'no sections here\n');
  writeFileSync(join(folder, 'big.md'), 'x'.repeat((1 << 20) + 1));
  const folders = [folder, join(work, 'missing')];
  const store = createTemplateLibraryStore({ packageRoot, departmentFolders: () => folders });
  const listed = await store.templates();
  assert.deepEqual(
    listed.map((t) => [t.source, t.id, t.title, t.bodyPart]),
    [
      ['department', 'xr-chest.md', 'XR chest', 'chest'],
      ['RSNA RadReport', '99', 'CT Chest', 'chest'],
    ],
  );
  assert.match(listed[1]!.report, /^---\ntype: radiology-report\nexam: "CT Chest"\n/);
  // An edited department template is read again.
  writeFileSync(join(folder, 'xr-chest.md'), TEMPLATE('XR chest two views'));
  utimesSync(join(folder, 'xr-chest.md'), new Date(), new Date(Date.now() + 5000));
  assert.equal((await store.templates())[0]!.title, 'XR chest two views');
  const none = createTemplateLibraryStore({ packageRoot: join(work, 'nothing'), departmentFolders: () => [] });
  assert.deepEqual(await none.templates(), []);
});
