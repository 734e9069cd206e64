import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { nodeWorkspace } from './reportWorkspace.ts';

test('listFiles: regular files under a folder, sorted, links and dot folders passed over, at most max; the stamp follows changes', async () => {
  const root = mkdtempSync(join(tmpdir(), 'radreport-list-'));
  const outside = mkdtempSync(join(tmpdir(), 'radreport-outside-'));
  writeFileSync(join(outside, 'secret.md'), 'outside');
  mkdirSync(join(root, 'ct'));
  mkdirSync(join(root, '.git'));
  writeFileSync(join(root, 'b.md'), 'b');
  writeFileSync(join(root, 'ct', 'a.md'), 'a');
  writeFileSync(join(root, '.git', 'c.md'), 'c');
  symlinkSync(outside, join(root, 'linked'));
  symlinkSync(join(outside, 'secret.md'), join(root, 'link.md'));
  const workspace = await nodeWorkspace({ roots: () => [root] });
  const files = await workspace.listFiles(root, 10);
  assert.deepEqual(
    files!.map((f) => f.path),
    [join(root, 'b.md'), join(root, 'ct', 'a.md')],
  );
  assert.equal((await workspace.listFiles(root, 1))!.length, 1);
  assert.equal(await workspace.listFiles(join(root, 'missing'), 10), undefined);
  assert.equal(await workspace.listFiles(join(root, 'b.md'), 10), undefined);
  const before = files![0]!.stamp;
  writeFileSync(join(root, 'b.md'), 'bb');
  utimesSync(join(root, 'b.md'), new Date(2030, 0, 1), new Date(2030, 0, 1));
  assert.notEqual((await workspace.listFiles(root, 10))![0]!.stamp, before);
});
