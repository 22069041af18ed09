// A draft's rules as forms, for program managers who do not write JSON: add, remove, reorder and
// duplicate rules; all / any / not groups; a fact from the catalog, then only the operators its
// type allows, then a value input that fits; the event with its code, points, messages and legal
// basis. Every change is a new document (rule-form-model.ts) that the JSON view shows as text, and
// the same validation checks it as you type.
import { useId } from 'react';
import { isRecord } from '../../../rules/is-record';
import type { OperatorName } from '../../../rules/operators';
import type { FactName } from '../../../rules/facts';
import { useI18n } from '../shared/i18n';
import {
  duplicateRule,
  groupKindOf,
  moveRule,
  newCondition,
  newRule,
  operatorsFor,
  removeAt,
  SELECTABLE_FACTS,
  updateAt,
  valueInputFor,
  withFact,
  withGroupKind,
  withOperator,
  type TreePath,
  type ValueInput,
} from './rule-form-model';
import type { RuleWords } from './rule-words';

type Change = (path: TreePath, change: (node: unknown) => unknown) => void;

export function RuleForm({ document, onChange }: { document: Record<string, unknown>; onChange: (document: Record<string, unknown>) => void }) {
  const { t } = useI18n();
  const rules = Array.isArray(document.rules) ? document.rules : [];
  const change: Change = (path, update) => onChange(updateAt(document, path, update) as Record<string, unknown>);
  const setRules = (next: unknown[]) => onChange({ ...document, rules: next });
  const names = rules.flatMap((rule) => (isRecord(rule) && typeof rule.name === 'string' ? [rule.name] : []));
  return (
    <div className="rule-form" data-testid="rule-form">
      {rules.map((rule, index) => (
        <RuleFields
          key={index}
          rule={rule}
          index={index}
          count={rules.length}
          change={change}
          onMove={(to) => setRules(moveRule(rules, index, to))}
          onDuplicate={() => setRules(duplicateRule(rules, index))}
          onRemove={() => setRules(removeAt(rules, index))}
        />
      ))}
      <div className="actions">
        <button type="button" onClick={() => setRules([...rules, newRule(names)])}>
          {t.form.addRule}
        </button>
      </div>
    </div>
  );
}

function RuleFields({ rule, index, count, change, onMove, onDuplicate, onRemove }: {
  rule: unknown;
  index: number;
  count: number;
  change: Change;
  onMove: (to: number) => void;
  onDuplicate: () => void;
  onRemove: () => void;
}) {
  const { t } = useI18n();
  const id = useId();
  const fields = isRecord(rule) ? rule : {};
  const event = isRecord(fields.event) ? fields.event : {};
  const params = isRecord(event.params) ? event.params : {};
  const messages = isRecord(params.messages) ? params.messages : {};
  const name = typeof fields.name === 'string' ? fields.name : '';
  const at = (...path: Array<string | number>): TreePath => ['rules', index, ...path];
  const set = (path: TreePath, value: unknown) => change(path, () => value);
  const text = (path: TreePath, label: string, value: unknown, options: { long?: boolean } = {}) => (
    <div className="field">
      <label htmlFor={`${id}-${path.join('-')}`}>{label}</label>
      {options.long ? (
        <textarea id={`${id}-${path.join('-')}`} rows={2} value={typeof value === 'string' ? value : ''} onChange={(e) => set(path, e.target.value)} />
      ) : (
        <input id={`${id}-${path.join('-')}`} type="text" value={typeof value === 'string' ? value : ''} onChange={(e) => set(path, e.target.value)} />
      )}
    </div>
  );
  return (
    <fieldset className="rule-fields" aria-label={t.ruleHeading(index, name || t.unnamedRule)}>
      <legend>{t.ruleHeading(index, name || t.unnamedRule)}</legend>
      <div className="actions">
        <button type="button" disabled={index === 0} onClick={() => onMove(index - 1)}>
          {t.form.moveUp}
        </button>
        <button type="button" disabled={index === count - 1} onClick={() => onMove(index + 1)}>
          {t.form.moveDown}
        </button>
        <button type="button" onClick={onDuplicate}>
          {t.form.duplicate}
        </button>
        <button type="button" onClick={onRemove}>
          {t.form.removeRule}
        </button>
      </div>
      {text(at('name'), t.form.ruleName, fields.name)}
      <fieldset>
        <legend>{t.form.decides}</legend>
        <div className="field">
          <label htmlFor={`${id}-type`}>{t.form.eventType}</label>
          <select
            id={`${id}-type`}
            value={event.type === 'priority' ? 'priority' : 'ineligible'}
            onChange={(e) =>
              change(at('event'), (current) => {
                const currentParams = isRecord(current) && isRecord(current.params) ? current.params : {};
                const { points: _points, ...rest } = currentParams;
                return e.target.value === 'priority' ? { type: 'priority', params: { ...rest, points: 10 } } : { type: 'ineligible', params: rest };
              })
            }
          >
            <option value="ineligible">{t.makesIneligible}</option>
            <option value="priority">{t.form.givesPriority}</option>
          </select>
        </div>
        {event.type === 'priority' && (
          <div className="field">
            <label htmlFor={`${id}-points`}>{t.form.points}</label>
            <input id={`${id}-points`} type="number" min={1} step={1} value={typeof params.points === 'number' ? params.points : ''} onChange={(e) => set(at('event', 'params', 'points'), numberOrText(e.target.value))} />
          </div>
        )}
        {text(at('event', 'params', 'code'), t.form.code, params.code)}
        {text(at('event', 'params', 'message'), t.form.staffMessage, params.message, { long: true })}
        {text(at('event', 'params', 'reference'), t.legalReference, params.reference, { long: true })}
        <div className="field">
          <label htmlFor={`${id}-message-id`}>{t.form.messageId}</label>
          <textarea id={`${id}-message-id`} rows={2} value={typeof messages.id === 'string' ? messages.id : ''} onChange={(e) => set(at('event', 'params', 'messages'), { id: e.target.value, en: typeof messages.en === 'string' ? messages.en : '' })} />
        </div>
        <div className="field">
          <label htmlFor={`${id}-message-en`}>{t.form.messageEn}</label>
          <textarea id={`${id}-message-en`} rows={2} value={typeof messages.en === 'string' ? messages.en : ''} onChange={(e) => set(at('event', 'params', 'messages'), { id: typeof messages.id === 'string' ? messages.id : '', en: e.target.value })} />
        </div>
      </fieldset>
      <fieldset>
        <legend>{t.form.when}</legend>
        <ConditionFields node={fields.conditions} path={at('conditions')} change={change} root />
      </fieldset>
    </fieldset>
  );
}

function ConditionFields({ node, path, change, root = false, onRemove }: { node: unknown; path: TreePath; change: Change; root?: boolean; onRemove?: () => void }) {
  const { t } = useI18n();
  const id = useId();
  const kind = groupKindOf(node);
  const removeButton = onRemove && (
    <button type="button" className="small" onClick={onRemove}>
      {t.form.removeCondition}
    </button>
  );
  if (kind !== undefined && isRecord(node)) {
    const children: unknown[] = kind === 'not' ? [node.not] : (node[kind] as unknown[]);
    const childPath = (index: number): TreePath => (kind === 'not' ? [...path, 'not'] : [...path, kind, index]);
    return (
      <div className="condition-group" role="group" aria-label={t.form.groupLabel}>
        <div className="field inline">
          <label htmlFor={`${id}-kind`}>{t.form.match}</label>
          <select id={`${id}-kind`} value={kind} onChange={(e) => change(path, (current) => withGroupKind(isRecord(current) ? current : {}, e.target.value as 'all' | 'any' | 'not'))}>
            <option value="all">{t.form.all}</option>
            <option value="any">{t.form.any}</option>
            <option value="not">{t.form.not}</option>
          </select>
          {!root && removeButton}
        </div>
        <ul>
          {children.map((child, index) => (
            <li key={index}>
              <ConditionFields
                node={child}
                path={childPath(index)}
                change={change}
                onRemove={kind === 'not' || children.length === 1 ? undefined : () => change([...path, kind], (list) => removeAt(list as unknown[], index))}
              />
            </li>
          ))}
        </ul>
        {kind !== 'not' && (
          <div className="actions">
            <button type="button" onClick={() => change([...path, kind], (list) => [...(list as unknown[]), newCondition()])}>
              {t.form.addCondition}
            </button>
            <button type="button" onClick={() => change([...path, kind], (list) => [...(list as unknown[]), { all: [newCondition()] }])}>
              {t.form.addGroup}
            </button>
          </div>
        )}
      </div>
    );
  }
  const words: RuleWords = t.ruleWords;
  const leaf = isRecord(node) ? node : {};
  const fact = typeof leaf.fact === 'string' ? leaf.fact : '';
  const operator = typeof leaf.operator === 'string' ? leaf.operator : '';
  const facts: string[] = SELECTABLE_FACTS.includes(fact as FactName) || fact === '' ? [...SELECTABLE_FACTS] : [fact, ...SELECTABLE_FACTS];
  const operators: string[] = operatorsFor(fact).includes(operator as OperatorName) || operator === '' ? operatorsFor(fact) : [operator, ...operatorsFor(fact)];
  return (
    <div className="condition" role="group" aria-label={t.form.conditionLabel}>
      <div className="field">
        <label htmlFor={`${id}-fact`}>{t.form.fact}</label>
        <select id={`${id}-fact`} value={fact} onChange={(e) => change(path, (current) => withFact(isRecord(current) ? current : {}, e.target.value as FactName))}>
          {facts.map((name) => (
            <option key={name} value={name}>
              {words.facts[name] ?? name} ({name})
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor={`${id}-operator`}>{t.form.operator}</label>
        <select id={`${id}-operator`} value={operator} onChange={(e) => change(path, (current) => withOperator(isRecord(current) ? current : {}, e.target.value as OperatorName))}>
          {operators.map((name) => (
            <option key={name} value={name}>
              {words.operators[name] ?? name}
            </option>
          ))}
        </select>
      </div>
      <ValueField input={valueInputFor(fact, operator)} value={leaf.value} id={`${id}-value`} onChange={(value) => change([...path, 'value'], () => value)} />
      {removeButton}
    </div>
  );
}

function ValueField({ input, value, id, onChange }: { input: ValueInput; value: unknown; id: string; onChange: (value: unknown) => void }) {
  const { t } = useI18n();
  const label = <label htmlFor={id}>{t.form.value}</label>;
  switch (input.kind) {
    case 'number':
      return (
        <div className="field">
          {label}
          <input id={id} type="number" value={typeof value === 'number' ? value : ''} onChange={(e) => onChange(numberOrText(e.target.value))} />
        </div>
      );
    case 'date':
      return (
        <div className="field">
          {label}
          <input id={id} type="date" value={typeof value === 'string' ? value : ''} onChange={(e) => onChange(e.target.value)} />
        </div>
      );
    case 'boolean':
      return (
        <div className="field">
          {label}
          <select id={id} value={value === false ? 'false' : 'true'} onChange={(e) => onChange(e.target.value === 'true')}>
            <option value="true">{t.form.yes}</option>
            <option value="false">{t.form.no}</option>
          </select>
        </div>
      );
    case 'choice':
      return (
        <div className="field">
          {label}
          <select id={id} value={typeof value === 'string' ? value : ''} onChange={(e) => onChange(e.target.value)}>
            {input.options.map((option) => (
              <option key={option} value={option}>
                {option}
              </option>
            ))}
          </select>
        </div>
      );
    case 'choices': {
      const chosen = Array.isArray(value) ? value : [];
      return (
        <fieldset className="field choices">
          <legend>{t.form.value}</legend>
          {input.options.map((option) => (
            <label key={option} className="checkbox">
              <input
                type="checkbox"
                checked={chosen.includes(option)}
                onChange={(e) => onChange(e.target.checked ? [...chosen, option] : chosen.filter((item) => item !== option))}
              />{' '}
              {option}
            </label>
          ))}
        </fieldset>
      );
    }
    case 'numbers':
    case 'texts':
      return (
        <div className="field">
          <label htmlFor={id}>{t.form.values}</label>
          <input
            id={id}
            type="text"
            value={Array.isArray(value) ? value.join(', ') : ''}
            onChange={(e) => onChange(listFromText(e.target.value, input.kind === 'numbers'))}
          />
        </div>
      );
    default:
      return (
        <div className="field">
          {label}
          <input id={id} type="text" value={typeof value === 'string' ? value : ''} onChange={(e) => onChange(e.target.value)} />
        </div>
      );
  }
}

/** A number where the text is one; otherwise the text itself, which the validation then names. */
function numberOrText(text: string): number | string {
  const number = Number(text);
  return text.trim() !== '' && Number.isFinite(number) ? number : text;
}

function listFromText(text: string, numbers: boolean): unknown[] {
  const items = text.split(',').map((item) => item.trim()).filter((item) => item !== '');
  return numbers ? items.map(numberOrText) : items;
}
