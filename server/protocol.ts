/**
 * Names and payloads shared by the language server and its clients (the VS Code extension, tests, other editors).
 * Plain data only, so the client can import it without pulling in the server.
 */

export const COMMANDS = {
  /** Server command: generate the conclusion of a report and write it into its conclusion section. */
  generateConclusion: 'radiologyReport.generateConclusion',
  /** Server command: turn a rule off in the nearest `.radreportrc.json`. */
  disableRule: 'radiologyReport.disableRule',
  /** Server command: unload the model (frees memory; the next generation loads it again). */
  unloadModel: 'radiologyReport.unloadModel',
  /** Server command: load the model now. */
  loadModel: 'radiologyReport.loadModel',
  /** Server command: the conclusion plan of a report (arguments `ConclusionPlanParams`, returns `ConclusionPlanResult`). */
  conclusionPlan: 'radiologyReport.conclusionPlan',
  /**
   * Server command, for teaching: the report's own conclusion beside a generated one and the plan, with what each
   * leaves out (arguments `CompareConclusionParams`, returns `CompareConclusionResult`). Nothing is written.
   */
  compareConclusion: 'radiologyReport.compareConclusion',
} as const;

export const SERVER_COMMANDS: readonly string[] = Object.values(COMMANDS);

export interface GenerateConclusionArgs {
  uri: string;
  /** The version the request was made for; the server re-reads the document and never edits another version blindly. */
  version?: number;
  /** What to do with a conclusion that already has text: ask (default), replace it, or append below it. */
  mode?: 'ask' | 'replace' | 'append';
}

export interface GenerateConclusionResult {
  status: 'written' | 'cancelled' | 'document-changed' | 'failed' | 'declined';
  /** The generated conclusion text (as far as it got). */
  text: string;
  /** Checks the written conclusion still fails (empty when it passed): shown flagged, never as if it were fine. */
  flagged: string[];
  /**
   * Where the text came from: the model's own (it passed the check against the plan and the findings), the model's
   * corrected (failing statements removed, left-out findings added), or composed from the plan.
   */
  source?: 'model' | 'model-corrected' | 'composed';
  /** What was wrong with the model's text, in words ("left out small left pleural effusion"). */
  corrections?: string[];
  message?: string;
}

/** Arguments of `radiologyReport.showPlan`. */
export interface ConclusionPlanParams {
  uri: string;
}

export interface ConclusionPlanResult {
  /** The plan as markdown, or why there is none. */
  markdown: string;
  /** The plan's statements: what a composed conclusion would say. */
  statements: string[];
}

export interface CompareConclusionParams {
  uri: string;
}

export interface CompareConclusionResult {
  status: 'compared' | 'cancelled' | 'failed';
  /** The comparison as a markdown document, or why there is none. */
  markdown: string;
  /** The report's own conclusion (the resident's). */
  resident: string;
  generated: string;
  source?: 'model' | 'model-corrected' | 'composed';
  /** The plan's required items each leaves out, as the plan words them. */
  residentLeftOut: string[];
  generatedLeftOut: string[];
}

export interface DisableRuleArgs {
  uri: string;
  ruleId: string;
}

/** Server → client notification after a conclusion was generated: where its text came from, for a status line. */
export const CONCLUSION_WRITTEN_NOTIFICATION = 'radiologyReport/conclusionWritten';

export interface ConclusionWrittenPayload {
  uri: string;
  source: NonNullable<GenerateConclusionResult['source']>;
  corrections: string[];
  flagged: string[];
}

/** Server → client notification with the model state, for a status bar. */
export const MODEL_STATE_NOTIFICATION = 'radiologyReport/modelState';

export type ModelStatePayload =
  /** `server`: the department server the settings name, not yet connected to. */
  | { state: 'unloaded'; model: string; server?: string }
  | { state: 'loading'; model: string; progress: number }
  /** `server`: the department server's name (host and port) when an OpenAI-compatible server writes the conclusions. */
  /** `notice`: something to know about the model's recent past (the watchdog restarted its process). */
  | { state: 'ready'; model: string; device: string; server?: string; notice?: string }
  | { state: 'error'; model: string; message: string };

/** Diagnostic `source` of every problem the server reports. */
export const DIAGNOSTIC_SOURCE = 'radreport';

/**
 * `initializationOptions` the server understands. `ignoreWorkspaceConfig: true` (an untrusted workspace): no
 * `.radreportrc.json` is read and the settings that load a file, a pattern or an endpoint keep their defaults; the
 * built-in rules still run. VS Code's client sends it while the workspace is not trusted.
 */
export interface ServerInitializationOptions {
  settings?: unknown;
  ignoreWorkspaceConfig?: boolean;
}

/** Client → server notification: repository configuration is now to be ignored or honoured (the workspace became trusted). */
export const WORKSPACE_CONFIG_NOTIFICATION = 'radiologyReport/workspaceConfig';

export interface WorkspaceConfigParams {
  ignoreWorkspaceConfig: boolean;
}

/**
 * Key the VS Code client adds to the `radiologyReport` settings it hands the server: the names of the settings whose
 * value comes from the workspace (`.vscode/settings.json`, a folder's settings) rather than the user's own settings.
 * A model or LoRA file the workspace names must lie inside the workspace; the user's own settings may name any file.
 */
export const WORKSPACE_SCOPED_SETTINGS_KEY = 'workspaceScopedSettings';

/** Client → server request: the report templates on offer (the shipped RSNA RadReport library and the department's). */
export const TEMPLATE_LIST_REQUEST = 'radiologyReport/templates';

export interface TemplateListItem {
  /** Unique within its source. */
  id: string;
  title: string;
  modality?: string;
  bodyPart?: string;
  creator?: string;
  /** The credit line the licence asks for (RSNA RadReport and the template's creator). */
  credit?: string;
  /** `RSNA RadReport`, or `department` for the folders of the `radiologyReport.templates` setting. */
  source: string;
}

export interface TemplateListResult {
  templates: TemplateListItem[];
}

/** Client → server request: the text of a new report from one template (`null` when it is gone). */
export const REPORT_FROM_TEMPLATE_REQUEST = 'radiologyReport/reportFromTemplate';

export interface ReportFromTemplateParams {
  source: string;
  id: string;
}

export interface ReportFromTemplateResult {
  text: string;
}
