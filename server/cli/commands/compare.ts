import { vocabularyFor } from '../../clinical/vocabulary.ts';
import { ConclusionCancelled, groundedConclusion } from '../../generation/groundedConclusion.ts';
import { compareConclusions, comparisonMarkdown } from '../../plan/conclusionComparison.ts';
import { sectionOf } from '../../report/parseReport.ts';
import { ENDPOINT_USAGE } from '../engineFlags.ts';
import type { CliCommand } from '../command.ts';
import { prepareConclusion, type ConcludeDeps } from './conclude.ts';

const USAGE = `Usage: radreport compare FILE [--model PATH] [--lora PATH[:SCALE]]... [--json] [--no-config]
                          [--examples DIR|GLOB [--example-count N]]
                          [--threads N] [--max-tokens N] [--gpu auto|cuda|vulkan|metal|cpu]
                          [--endpoint URL [--endpoint-model NAME]]

For teaching: the report's own conclusion (the resident's) beside the one the model writes from the findings
(grounded as in radreport conclude), and the plan of what the conclusion must say, item by item, with what each
conclusion leaves out and what the check finds in each (a finding, side or size the findings lack, a study called
normal that is not). Prints markdown; the report is not changed. Exit status 1 when the report has no conclusion.

  --json                print {resident, generated, source, residentLeftOut, generatedLeftOut, residentProblems,
                        generatedProblems, markdown}
  The other options are radreport conclude's.
${ENDPOINT_USAGE}`;

export function createCompareCommand(deps: ConcludeDeps): CliCommand {
  return {
    name: 'compare',
    summary: "for teaching: the report's own conclusion beside the generated one and the plan, with what each leaves out",
    usage: USAGE,
    async run(args, io) {
      const prepared = await prepareConclusion(args, io, deps, 'compare');
      if (typeof prepared === 'number') return prepared;
      const { parsed, report, config, settings, examples } = prepared;
      const resident = sectionOf(report, 'conclusion')?.text.trim() ?? '';
      if (!resident) {
        io.stderr.write(`radreport compare: ${parsed.positionals[0]} has no conclusion of its own to compare; write it first\n`);
        return 1;
      }
      const engine = deps.createEngine(settings);
      try {
        const generated = await groundedConclusion(report, { engine, config, signal: io.signal, maxTokens: settings.maxTokens, examples });
        const comparison = compareConclusions(report, generated.plan, { resident, generated: generated.text }, config, vocabularyFor(config.vocabulary));
        const markdown = comparisonMarkdown(comparison, `source: ${generated.source}`);
        if (parsed.flags.has('json')) {
          io.stdout.write(
            JSON.stringify({
              resident: comparison.resident.text,
              generated: comparison.generated.text,
              source: generated.source,
              residentLeftOut: comparison.resident.leftOut,
              generatedLeftOut: comparison.generated.leftOut,
              residentProblems: comparison.resident.problems,
              generatedProblems: comparison.generated.problems,
              markdown,
            }) + '\n',
          );
        } else io.stdout.write(markdown);
        return 0;
      } catch (error) {
        io.stderr.write(error instanceof ConclusionCancelled ? 'radreport compare: cancelled.\n' : `radreport compare: ${(error as Error).message}\n`);
        return 1;
      } finally {
        await engine.dispose();
      }
    },
  };
}
