import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { buildConclusionPrompt, conclusionPromptInput } from '../../generation/conclusionPrompt.ts';
import { readEmbeddedModel } from '../../generation/embeddedModel.ts';
import type { ConclusionEngine, EngineSettings, LoraAdapterSetting } from '../../generation/engine.ts';
import { parseReport } from '../../report/parseReport.ts';
import { checkGeneratedConclusion } from '../../rules/checkGeneratedConclusion.ts';
import { createConfigResolver } from '../../service/configResolver.ts';
import { nodeWorkspace } from '../../service/reportWorkspace.ts';
import { ENDPOINT_FLAGS, ENDPOINT_USAGE, endpointFlags, gpuFlag, loraFlags } from '../engineFlags.ts';
import { intFlag, parseArgs, stringFlag, UsageError, type CliCommand } from '../command.ts';

const USAGE = `Usage: radreport conclude FILE [--model PATH] [--lora PATH[:SCALE]]... [--json]
                          [--threads N] [--max-tokens N] [--gpu auto|cuda|vulkan|metal|cpu]
                          [--endpoint URL [--endpoint-model NAME]]

Writes the conclusion of a report from its findings with a local model (nothing leaves this machine).
With no --model it uses the embedded default model and its adapter (models/default-model.json).

  --model PATH          base model GGUF
  --lora PATH[:SCALE]   LoRA adapter GGUF, scale 1 by default; repeatable
  --json                print {conclusion, model, promptTokens, completionTokens, ms, flagged}
  --threads N           CPU threads (default 1)
  --max-tokens N        most tokens to generate (default 256)
  --gpu VALUE           GPU backend (default auto; cpu or false forces the CPU)
${ENDPOINT_USAGE}

The conclusion is checked like a written one; problems it has are printed to stderr as warnings.`;

export interface ConcludeDeps {
  createEngine(settings: EngineSettings): ConclusionEngine;
  packageRoot: string;
}

export function createConcludeCommand(deps: ConcludeDeps): CliCommand {
  return {
    name: 'conclude',
    summary: 'write the conclusion of a report from its findings with the local model',
    usage: USAGE,
    async run(args, io) {
      const parsed = parseArgs(args, { values: ['model', 'threads', 'max-tokens', 'gpu', ...ENDPOINT_FLAGS], repeatable: ['lora'], booleans: ['json'] });
      const endpoint = endpointFlags(parsed);
      if (parsed.positionals.length !== 1) throw new UsageError('name exactly one report file');
      const file = resolve(io.cwd, parsed.positionals[0]!);
      let text: string;
      try {
        text = await readFile(file, 'utf8');
      } catch (error) {
        io.stderr.write(`radreport conclude: cannot read ${parsed.positionals[0]}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}\n`);
        return 2;
      }
      const loras: LoraAdapterSetting[] = loraFlags(parsed, io.cwd);
      const modelFlag = stringFlag(parsed, 'model');
      let modelPath: string;
      if (modelFlag) modelPath = resolve(io.cwd, modelFlag);
      else if (endpoint) modelPath = ''; // the server holds the model
      else {
        const embedded = readEmbeddedModel(deps.packageRoot);
        if (!embedded) {
          io.stderr.write(`radreport conclude: no --model given and no embedded default model in ${deps.packageRoot}/models\n`);
          return 2;
        }
        modelPath = embedded.modelPath;
        loras.unshift(...embedded.loras);
      }
      const settings: EngineSettings = {
        modelPath,
        loras,
        gpu: gpuFlag(parsed),
        gpuLayers: 'auto',
        contextSize: 2048,
        threads: intFlag(parsed, 'threads', 0) ?? 1,
        temperature: 0,
        maxTokens: intFlag(parsed, 'max-tokens', 1) ?? 256,
        seed: 42,
        ...(endpoint ? { endpoint } : {}),
      };

      const config = (await createConfigResolver(await nodeWorkspace()).forDocument(file)).config;
      const report = parseReport(text);
      const input = conclusionPromptInput(report);
      if (!input.findings.trim()) {
        io.stderr.write(`radreport conclude: ${parsed.positionals[0]} has no findings to write a conclusion from\n`);
        return 1;
      }
      const engine = deps.createEngine(settings);
      const json = parsed.flags.has('json');
      try {
        const result = await engine.generate(buildConclusionPrompt(input), {
          signal: io.signal,
          ...(json ? {} : { onToken: (piece: string) => void io.stdout.write(piece) }),
        });
        const conclusion = result.text.trim();
        const problems = checkGeneratedConclusion(report, conclusion, config).problems.filter((p) => p.severity === 'error' || p.severity === 'warning');
        const flagged = [...new Set(problems.map((p) => p.ruleId))];
        if (json) {
          const state = engine.state;
          const model = state.state === 'ready' && state.server ? `${state.model} on ${state.server}` : modelPath;
          io.stdout.write(JSON.stringify({ conclusion, model, loras: loras.map((l) => `${l.path}:${l.scale}`), promptTokens: result.promptTokens, completionTokens: result.completionTokens, ms: Math.round(result.ms), flagged }) + '\n');
        } else io.stdout.write('\n');
        for (const p of problems) io.stderr.write(`warning: the generated conclusion fails ${p.ruleId}: ${p.message}\n`);
        return 0;
      } catch (error) {
        io.stderr.write(`radreport conclude: ${(error as Error).message}\n`);
        return 1;
      } finally {
        await engine.dispose();
      }
    },
  };
}
