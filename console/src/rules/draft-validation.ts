// The draft editor's check as you type: the API's own validation (rules/validate.ts, bundled into
// the console), plus the one rule the API adds for an edit: a draft keeps its name.
import { validateRuleSet, type RuleSetError } from '../../../rules/validate';

export interface DraftCheck {
  problems: RuleSetError[];
  /** The text parsed, even when it is not a valid rule set; undefined when it is not JSON. */
  document: unknown;
}

export function checkDraft(text: string, draftName: string, nameMustStay: (name: string) => string): DraftCheck {
  const validation = validateRuleSet(text);
  const problems = validation.ok ? [] : [...validation.errors];
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch {
    document = undefined;
  }
  const name = typeof document === 'object' && document !== null && 'name' in document ? document.name : undefined;
  if (typeof name === 'string' && name !== '' && name !== draftName) {
    problems.unshift({ path: 'name', code: 'SCHEMA_VIOLATION', message: `name: ${nameMustStay(draftName)}` });
  }
  return { problems, document };
}

/** The API's INVALID_RULE_SET fields ({ path: "CODE (rule …): problem" }) as problems at their paths. */
export function problemsFromApiFields(fields: Readonly<Record<string, string>>): RuleSetError[] {
  return Object.entries(fields).map(([path, message]) => ({ path: path === 'body' ? '' : path, code: 'SCHEMA_VIOLATION', message }));
}

/**
 * The document a draft's rules are edited as. Its test cases are kept apart (the Test cases tab and
 * Try it manage them): a save that leaves them out keeps the stored ones.
 */
export function ruleSetText(ruleSet: { name: string; description: string; rules: unknown }): string {
  return `${JSON.stringify({ name: ruleSet.name, description: ruleSet.description, rules: ruleSet.rules }, null, 2)}\n`;
}
