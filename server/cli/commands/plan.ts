import { vocabularyFor } from '../../clinical/vocabulary.ts';
import { buildConclusionPlan } from '../../plan/conclusionPlan.ts';
import { planData, planLines } from '../../plan/planText.ts';
import { sectionsOf } from '../../report/parseReport.ts';
import { parseArgs, UsageError, type CliCommand } from '../command.ts';
import { readReportFile } from '../reportFile.ts';

const USAGE = `Usage: radreport plan FILE [--json] [--no-config]

Shows what the conclusion of a report must say, decided from its findings before any model writes: the significant
findings ranked (critical, acute or new, other significant, incidentals that need follow-up) with side, site, size,
count, change, acuity and certainty; what may be mentioned (chronic, stable, benign, slight); the exam's normal
statement when nothing significant is present; and the clinical question with the findings' answer.

  --json        print the plan as JSON {exam, statements, normal?, items, questions}
  --no-config   ignore repository configuration (.radreportrc.json): built-in vocabulary and section names`;

export const planCommand: CliCommand = {
  name: 'plan',
  summary: 'show what the conclusion of a report must say, from its findings',
  usage: USAGE,
  async run(args, io) {
    const parsed = parseArgs(args, { booleans: ['json', 'no-config'] });
    if (parsed.positionals.length !== 1) throw new UsageError('name exactly one report file');
    const read = await readReportFile(parsed.positionals[0]!, io, 'plan', { ignoreConfig: parsed.flags.get('no-config') === true });
    if (read === 2) return 2;
    const { report, config } = read;
    if (!sectionsOf(report, 'findings').some((section) => section.text.trim())) {
      io.stderr.write(`radreport plan: ${parsed.positionals[0]} has no findings to plan a conclusion from\n`);
      return 1;
    }
    const plan = buildConclusionPlan(report, vocabularyFor(config.vocabulary));
    if (parsed.flags.has('json')) io.stdout.write(`${JSON.stringify(planData(plan), null, 2)}\n`);
    else io.stdout.write(`${planLines(plan).join('\n')}\n`);
    return 0;
  },
};
