/** How loud a problem is: the LSP's diagnostic severities, set per rule in the configuration (`"rules": { id: … }`). */
export type Severity = 'error' | 'warning' | 'information' | 'hint';
export const SEVERITIES: readonly Severity[] = ['error', 'warning', 'information', 'hint'];
