import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { ensureTestModels } from '../../test/models/testModels.ts';
import { buildConclusionPrompt } from './conclusionPrompt.ts';
import { EngineError, ModelFileError } from './engine.ts';
import { createLlamaEngine } from './llamaEngine.ts';

// Bad model files must never take the language server (this process) down: each gives a ModelFileError naming the
// file and the problem, and the same engine then works with a good model.

const models = await ensureTestModels();
const cpu = { gpu: false as const, threads: 1 };
const prompt = buildConclusionPrompt({ findings: 'Simple cyst in the right kidney.' });

function isModelFileError(path: string, reason: RegExp) {
  return (error: unknown) => {
    assert.ok(error instanceof ModelFileError, `expected a ModelFileError, got ${String(error)}`);
    assert.equal(error.path, path);
    assert.match(error.reason, reason);
    assert.ok(error.message.includes(path), 'the message names the file');
    return true;
  };
}

describe('bad model files', () => {
  const cases: Array<[string, string, RegExp]> = [
    ['a truncated file', models.broken.truncated, /truncated: tensor \S+ ends at byte \d+ but the file has \d+ bytes/],
    ['a file without llama.feed_forward_length', models.broken.missingFeedForwardLength, /missing llama\.feed_forward_length/],
    ['a file that is not a GGUF', models.broken.notGguf, /not a GGUF file/],
    ['an empty file', models.broken.empty, /not a GGUF file: only 0 bytes/],
    ['a path that does not exist', join(tmpdir(), 'no-such-dir', 'model.gguf'), /model file does not exist/],
    ['a LoRA adapter given as the model', models.lora, /LoRA adapter, not a base model/],
  ];

  for (const [what, path, reason] of cases) {
    test(`${what} gives a ModelFileError naming the file, and leaves no inference process running`, async () => {
      const engine = createLlamaEngine({ modelPath: path, ...cpu });
      try {
        await assert.rejects(engine.generate(prompt, { maxTokens: 4 }), isModelFileError(path, reason));
        assert.equal(engine.state.state, 'error');
        assert.ok(engine.state.state === 'error' && engine.state.message.includes(path));
        assert.equal(engine.hostPid, undefined, 'the inference process that checked the header is gone');
      } finally {
        await engine.dispose();
      }
    });
  }

  test('a good model works on the same engine after a bad one', async () => {
    const engine = createLlamaEngine({ modelPath: models.broken.truncated, ...cpu });
    try {
      await assert.rejects(engine.generate(prompt, { maxTokens: 4 }), ModelFileError);
      await engine.updateSettings({ ...engine.settings, modelPath: models.model });
      assert.equal((await engine.generate(prompt, { maxTokens: 4 })).completionTokens, 4);
      assert.equal(engine.state.state, 'ready');
    } finally {
      await engine.dispose();
    }
  });

  test('a file that makes llama.cpp abort kills only the inference process', async () => {
    // Without the header check, llama.cpp hits GGML_ASSERT and aborts the process that loaded it.
    const engine = createLlamaEngine({ modelPath: models.broken.missingFeedForwardLength, ...cpu }, { checkModelFiles: false });
    try {
      await assert.rejects(
        engine.generate(prompt, { maxTokens: 4 }),
        isModelFileError(models.broken.missingFeedForwardLength, /inference process stopped \(killed by SIGABRT\): .*GGML_ASSERT/),
      );
      await engine.updateSettings({ ...engine.settings, modelPath: models.model });
      assert.equal((await engine.generate(prompt, { maxTokens: 4 })).completionTokens, 4);
    } finally {
      await engine.dispose();
    }
  });

  test('without the header check a truncated file is still a ModelFileError with llama.cpp reason', async () => {
    const engine = createLlamaEngine({ modelPath: models.broken.truncated, ...cpu }, { checkModelFiles: false });
    try {
      await assert.rejects(engine.generate(prompt), isModelFileError(models.broken.truncated, /not within the file bounds/));
    } finally {
      await engine.dispose();
    }
  });

  test('a retry after a failed load tries again (the file may have been fixed)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'radreport-model-'));
    const path = join(dir, 'model.gguf');
    writeFileSync(path, 'not yet');
    const engine = createLlamaEngine({ modelPath: path, ...cpu });
    try {
      await assert.rejects(engine.generate(prompt), isModelFileError(path, /not a GGUF file/));
      const { readFileSync } = await import('node:fs');
      writeFileSync(path, readFileSync(models.model));
      assert.equal((await engine.generate(prompt, { maxTokens: 3 })).completionTokens, 3);
    } finally {
      await engine.dispose();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('bad adapter files', () => {
  const cases: Array<[string, string, RegExp]> = [
    ['a missing adapter', join(tmpdir(), 'no-such-dir', 'adapter.gguf'), /LoRA adapter file does not exist/],
    ['a base model given as an adapter', models.model, /not a LoRA adapter/],
    ['a file that is not a GGUF', models.broken.notGguf, /not a GGUF file/],
  ];
  for (const [what, path, reason] of cases) {
    test(`${what} gives a ModelFileError naming the adapter`, async () => {
      const engine = createLlamaEngine({
        modelPath: models.model,
        loras: [
          { path: models.lora, scale: 1 },
          { path, scale: 1 },
        ],
        ...cpu,
      });
      try {
        await assert.rejects(engine.generate(prompt), isModelFileError(path, reason));
      } finally {
        await engine.dispose();
      }
    });
  }

  test('without the header check, llama.cpp refusing an adapter still names it', async () => {
    const engine = createLlamaEngine({ modelPath: models.model, loras: [{ path: models.model, scale: 1 }], ...cpu }, { checkModelFiles: false });
    try {
      await assert.rejects(engine.generate(prompt), isModelFileError(models.model, /LoRA adapter/));
    } finally {
      await engine.dispose();
    }
  });
});

describe('the inference process', () => {
  const engines: Array<{ dispose(): Promise<void> }> = [];
  after(() => Promise.all(engines.map((engine) => engine.dispose())));

  test('when it dies during a generation, the request fails and the next one restarts it', async () => {
    const engine = createLlamaEngine({ modelPath: models.model, ...cpu });
    engines.push(engine);
    await engine.load();
    const pid = engine.hostPid!;
    let killed = false;
    const pending = engine.generate(prompt, {
      maxTokens: 1500,
      onToken: () => {
        if (!killed) {
          killed = true;
          process.kill(pid, 'SIGKILL');
        }
      },
    });
    await assert.rejects(pending, (error: Error) => {
      assert.ok(error instanceof EngineError);
      assert.match(error.message, /inference process stopped \(killed by SIGKILL\)/);
      return true;
    });
    assert.equal(engine.state.state, 'error');
    const result = await engine.generate(prompt, { maxTokens: 3 });
    assert.equal(result.completionTokens, 3);
    assert.notEqual(engine.hostPid, pid);
  });

  test('a host module that cannot start gives an EngineError with its output', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'radreport-host-'));
    const hostPath = join(dir, 'engineHost.mjs');
    writeFileSync(hostPath, "process.stderr.write('cannot find the llama.cpp binaries\\n'); process.exit(3);\n");
    const engine = createLlamaEngine({ modelPath: models.model, ...cpu }, { hostPath });
    engines.push(engine);
    try {
      await assert.rejects(engine.generate(prompt), (error: Error) => {
        assert.ok(error instanceof EngineError);
        assert.match(error.message, /failed to start: the inference process stopped \(exit code 3\): cannot find the llama\.cpp binaries/);
        return true;
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
