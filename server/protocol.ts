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
  /** Rule ids of the checks the generated conclusion failed (empty when it passed). */
  flagged: string[];
  message?: string;
}

export interface DisableRuleArgs {
  uri: string;
  ruleId: string;
}

/** Server → client notification with the model state, for a status bar. */
export const MODEL_STATE_NOTIFICATION = 'radiologyReport/modelState';

export type ModelStatePayload =
  /** `server`: the department server the settings name, not yet connected to. */
  | { state: 'unloaded'; model: string; server?: string }
  | { state: 'loading'; model: string; progress: number }
  /** `server`: the department server's name (host and port) when an OpenAI-compatible server writes the conclusions. */
  | { state: 'ready'; model: string; device: string; server?: string }
  | { state: 'error'; model: string; message: string };

/** Diagnostic `source` of every problem the server reports. */
export const DIAGNOSTIC_SOURCE = 'radreport';
