/**
 * The subset of SARIF 2.1.0 this reporter writes. Field names follow the OASIS specification
 * (https://docs.oasis-open.org/sarif/sarif/v2.1.0/); only what we emit is typed.
 */
export type SarifLevel = 'error' | 'warning' | 'note' | 'none';

export interface SarifMessage {
  text: string;
  markdown?: string;
}

export interface SarifLog {
  $schema: string;
  version: '2.1.0';
  runs: SarifRun[];
}

export interface SarifRun {
  tool: { driver: SarifToolComponent };
  automationDetails: { id: string; guid: string; description?: SarifMessage };
  invocations: SarifInvocation[];
  logicalLocations: SarifLogicalLocation[];
  results: SarifResult[];
  columnKind: 'utf16CodeUnits';
  properties: Record<string, unknown>;
}

export interface SarifToolComponent {
  name: string;
  semanticVersion?: string;
  version: string;
  informationUri?: string;
  rules: SarifRule[];
}

export interface SarifRule {
  id: string;
  name: string;
  shortDescription: SarifMessage;
  fullDescription: SarifMessage;
  help: { text: string; markdown: string };
  helpUri?: string;
  defaultConfiguration: { level: SarifLevel };
  properties: {
    tags: string[];
    precision: 'very-high' | 'high' | 'medium' | 'low';
    'security-severity': string;
    severity: string;
    resourceType: string;
    frameworks: Record<string, string[]>;
    [key: string]: unknown;
  };
}

export interface SarifInvocation {
  executionSuccessful: boolean;
  toolExecutionNotifications: SarifNotification[];
}

export interface SarifNotification {
  descriptor: { id: string };
  associatedRule?: { id: string; index: number };
  level: SarifLevel;
  message: SarifMessage;
  properties?: Record<string, unknown>;
}

export interface SarifLogicalLocation {
  name: string;
  fullyQualifiedName: string;
  kind: string;
  index?: number;
  parentIndex?: number;
}

export interface SarifResult {
  ruleId: string;
  ruleIndex: number;
  level: SarifLevel;
  message: SarifMessage;
  locations: SarifLocation[];
  partialFingerprints: Record<string, string>;
  suppressions?: SarifSuppression[];
  properties: Record<string, unknown>;
}

export interface SarifLocation {
  physicalLocation: {
    artifactLocation: { uri: string };
    region: { startLine: number };
  };
  logicalLocations: SarifLogicalLocation[];
}

export interface SarifSuppression {
  kind: 'external';
  status: 'accepted';
  justification: string;
  properties: Record<string, unknown>;
}
