import { resolve } from 'node:path';
import { conclusionPromptInput, type ConclusionExample } from '../../generation/conclusionPrompt.ts';
import { DEFAULT_EXAMPLE_COUNT } from '../../generation/exampleLibrary.ts';
import { createExampleFolder, exampleSource } from '../../service/exampleFolder.ts';
import { nodeWorkspace } from '../../service/reportWorkspace.ts';
import { readEmbeddedModel } from '../../generation/embeddedModel.ts';
import { DEFAULT_ENGINE_SETTINGS, type ConclusionEngine, type EngineSettings, type LoraAdapterSetting } from '../../generation/engine.ts';
import { ConclusionCancelled, groundedConclusion, type ConclusionSource } from '../../generation/groundedConclusion.ts';
import { planData } from '../../plan/planText.ts';
import { ENDPOINT_FLAGS, ENDPOINT_USAGE, endpointFlags, gpuFlag, loraFlags } from '../engineFlags.ts';
import { intFlag, parseArgs, stringFlag, UsageError, type CliCommand, type CliIo } from '../command.ts';
import { readReportFile } from '../reportFile.ts';
import type { ReportConfig } from '../../config/reportConfig.ts';
import type { Report } from '../../report/types.ts';

const USAGE = `Usage: radreport conclude FILE [--model PATH] [--lora PATH[:SCALE]]... [--json] [--no-config]
                          [--examples DIR|GLOB [--example-count N]]
                          [--threads N] [--max-tokens N] [--gpu auto|cuda|vulkan|metal|cpu]
                          [--endpoint URL [--endpoint-model NAME]]

Writes the conclusion of a report from its findings with a local model (nothing leaves this machine).
With no --model it uses the embedded default model and its adapter (models/default-model.json).

The conclusion is grounded: a plan of what it must say is made from the findings first (radreport plan), the model
writes from the findings and the plan, and its text is checked against both. A text that leaves out a planned finding,
contradicts the findings or adds what they lack is corrected (source "model-corrected") or, failing that, replaced by
a conclusion composed from the plan (source "composed"). The source and the corrections are printed to stderr.

  --model PATH          base model GGUF
  --lora PATH[:SCALE]   LoRA adapter GGUF, scale 1 by default; repeatable
  --json                print {conclusion, source, corrections, modelText (the model's first answer), flagged,
                        plan, model, loras, examples (how many), promptTokens, completionTokens, ms}
  --examples DIR|GLOB   your own signed reports (every *.md under DIR, or the files a glob matches): the nearest
                        to this report's findings (TF-IDF) go in the prompt as examples of your wording, as the
                        radiologyReport.examples setting does; what the conclusion says is still checked against
                        this report's findings
  --example-count N     how many examples (default ${DEFAULT_EXAMPLE_COUNT})
  --no-config           ignore repository configuration (.radreportrc.json): built-in vocabulary and section names
  --threads N           CPU threads (default 1)
  --max-tokens N        most tokens to generate (default 256)
  --gpu VALUE           GPU backend (default auto; cpu or false forces the CPU)
${ENDPOINT_USAGE}`;

export interface ConcludeDeps {
  createEngine(settings: EngineSettings): ConclusionEngine;
  packageRoot: string;
}

export function createConcludeCommand(deps: ConcludeDeps): CliCommand {
  return {
    name: 'conclude',
    summary: 'write the conclusion of a report from its findings with the local model, checked against a plan',
    usage: USAGE,
    async run(args, io) {
      const prepared = await prepareConclusion(args, io, deps, 'conclude');
      if (typeof prepared === 'number') return prepared;
      const { parsed, report, config, settings, examples, modelPath, loras } = prepared;
      const engine = deps.createEngine(settings);
      const json = parsed.flags.has('json');
      try {
        const result = await groundedConclusion(report, { engine, config, signal: io.signal, maxTokens: settings.maxTokens, examples });
        const flagged = [...new Set(result.check.problems.map((p) => p.ruleId ?? p.kind))];
        if (json) {
          io.stdout.write(
            JSON.stringify({
              conclusion: result.text,
              source: result.source,
              corrections: result.corrections,
              modelText: result.attempts[0]?.text ?? '',
              flagged,
              plan: planData(result.plan),
              model: servedModel(engine, modelPath),
              loras: loras.map((l) => `${l.path}:${l.scale}`),
              examples: examples.length,
              promptTokens: result.promptTokens,
              completionTokens: result.completionTokens,
              ms: Math.round(result.ms),
            }) + '\n',
          );
        } else io.stdout.write(`${result.text}\n`);
        io.stderr.write(
          `source: ${result.source}: ${SOURCE_WORDS[result.source]}${result.corrections.length ? `; the model's text ${result.corrections.join('; ')}` : ''}\n`,
        );
        for (const p of result.check.problems) io.stderr.write(`warning: the conclusion fails ${p.ruleId ?? p.kind}: ${p.message}\n`);
        return 0;
      } catch (error) {
        if (error instanceof ConclusionCancelled) {
          io.stderr.write('radreport conclude: cancelled; nothing written.\n');
          return 1;
        }
        io.stderr.write(`radreport conclude: ${(error as Error).message}\n`);
        return 1;
      } finally {
        await engine.dispose();
      }
    },
  };
}

/** What `conclude` and `compare` share: the report, its configuration, the engine settings and the examples. */
export interface PreparedConclusion {
  parsed: ReturnType<typeof parseArgs>;
  report: Report;
  config: ReportConfig;
  settings: EngineSettings;
  examples: ConclusionExample[];
  modelPath: string;
  loras: LoraAdapterSetting[];
}

/** Reads the flags and the report for `conclude` or `compare`; an exit status when it cannot go on (said on stderr). */
export async function prepareConclusion(args: string[], io: CliIo, deps: ConcludeDeps, command: string): Promise<PreparedConclusion | number> {
  const parsed = parseArgs(args, {
    values: ['model', 'threads', 'max-tokens', 'gpu', 'examples', 'example-count', ...ENDPOINT_FLAGS],
    repeatable: ['lora'],
    booleans: ['json', 'no-config'],
  });
  const endpoint = endpointFlags(parsed);
  if (parsed.positionals.length !== 1) throw new UsageError('name exactly one report file');
  const read = await readReportFile(parsed.positionals[0]!, io, command, { ignoreConfig: parsed.flags.get('no-config') === true });
  if (read === 2) return 2;
  const { report, config } = read;
  const loras: LoraAdapterSetting[] = loraFlags(parsed, io.cwd);
  const modelFlag = stringFlag(parsed, 'model');
  let modelPath: string;
  if (modelFlag) modelPath = resolve(io.cwd, modelFlag);
  else if (endpoint)
    modelPath = ''; // the server holds the model
  else {
    const embedded = readEmbeddedModel(deps.packageRoot);
    if (!embedded) {
      io.stderr.write(`radreport ${command}: no --model given and no embedded default model in ${deps.packageRoot}/models\n`);
      return 2;
    }
    modelPath = embedded.modelPath;
    loras.unshift(...embedded.loras);
  }
  const settings: EngineSettings = {
    ...DEFAULT_ENGINE_SETTINGS,
    modelPath,
    loras,
    gpu: gpuFlag(parsed),
    threads: intFlag(parsed, 'threads', 0) ?? 1,
    maxTokens: intFlag(parsed, 'max-tokens', 1) ?? 256,
    ...(endpoint ? { endpoint } : {}),
  };
  if (!conclusionPromptInput(report).findings.trim()) {
    io.stderr.write(`radreport ${command}: ${parsed.positionals[0]} has no findings to write a conclusion from\n`);
    return 1;
  }
  const examplesFlag = stringFlag(parsed, 'examples');
  const examples = examplesFlag
    ? await nearestExamples(
        io,
        command,
        examplesFlag,
        resolve(io.cwd, parsed.positionals[0]!),
        conclusionPromptInput(report).findings,
        intFlag(parsed, 'example-count', 0) ?? DEFAULT_EXAMPLE_COUNT,
      )
    : [];
  if (examples === undefined) return 2;
  return { parsed, report, config, settings, examples, modelPath, loras };
}

/** The nearest of the user's reports to these findings (the report itself left out), or undefined when none can be read. */
async function nearestExamples(
  io: CliIo,
  command: string,
  setting: string,
  reportPath: string,
  findings: string,
  count: number,
): Promise<ConclusionExample[] | undefined> {
  const source = exampleSource(setting, io.cwd);
  const workspace = await nodeWorkspace({ roots: () => (source.folder ? [source.folder] : []) });
  const folder = createExampleFolder(workspace);
  const library = await folder.refresh(setting, io.cwd);
  const { pairs, files, refused, problems } = folder.state;
  for (const problem of problems) io.stderr.write(`radreport ${command}: --examples: ${problem}\n`);
  if (pairs === 0) {
    io.stderr.write(`radreport ${command}: --examples ${setting}: no report with both findings and a conclusion (${files} files)\n`);
    return undefined;
  }
  if (refused) io.stderr.write(`radreport ${command}: --examples: ${refused} files over the size cap were left out\n`);
  return library.nearest(findings, count, reportPath);
}

/** The model as the engine names it: the GGUF path, or the server's model and the server. */
export function servedModel(engine: ConclusionEngine, modelPath: string): string {
  const state = engine.state;
  return state.state === 'ready' && state.server ? `${state.model} on ${state.server}` : modelPath;
}

const SOURCE_WORDS: Record<ConclusionSource, string> = {
  model: "the model's text, which passed the check against the plan and the findings",
  'model-corrected': "the model's text with what failed the check removed and what it left out added",
  composed: "written from the plan, because the model's text failed the check",
};
