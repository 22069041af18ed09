// A rule's conditions drawn as a tree: all / any / not groups, and leaves as fact, operator and
// value chips. Draws what is there, valid or not (the editor shows it while it is being typed);
// with an evaluation's explanation it also shows each condition's result and the fact value seen.
import { isRecord } from '../../../rules/is-record';
import { useI18n } from '../shared/i18n';

export function formatValue(value: unknown): string {
  if (typeof value === 'string') return `“${value}”`;
  if (Array.isArray(value)) return `[${value.map(formatValue).join(', ')}]`;
  return JSON.stringify(value) ?? 'undefined';
}

function ResultMark({ result }: { result: unknown }) {
  const { t } = useI18n();
  if (typeof result !== 'boolean') return null;
  return (
    <span className={`result ${result ? 'good' : 'bad'}`} title={result ? t.conditionHolds : t.conditionFails}>
      <span aria-hidden="true">{result ? '✓' : '✗'}</span>
      <span className="visually-hidden">{result ? t.conditionHolds : t.conditionFails}</span>
    </span>
  );
}

export interface ConditionTreeProps {
  node: unknown;
  /** Where the node is in the rule set (rules[2].conditions.all[0]), to mark the parts a problem names. */
  path?: string;
  problemPaths?: readonly string[];
}

export function ConditionTree({ node, path = '', problemPaths = [] }: ConditionTreeProps) {
  const { t } = useI18n();
  // A problem at this node or below it: the part it names is marked, and named for screen readers.
  const flagged = (part?: string) => {
    const at = part ? `${path}.${part}` : path;
    return path !== '' && problemPaths.some((problem) => (part ? problem === at || problem.startsWith(`${at}[`) : problem === at));
  };
  const chipClass = (kind: string, part: string) => `chip ${kind}${flagged(part) ? ' flagged' : ''}`;
  if (!isRecord(node)) {
    return (
      <div className="condition invalid">
        {t.notACondition}: <code>{formatValue(node)}</code>
      </div>
    );
  }
  const group = (['all', 'any'] as const).find((kind) => kind in node);
  if (group) {
    const children = node[group];
    return (
      <div className={`condition group ${group}${flagged() ? ' flagged' : ''}`}>
        <div className="group-label">
          <ResultMark result={node.result} />
          {group === 'all' ? t.all : t.any}
        </div>
        {Array.isArray(children) ? (
          <ul>
            {children.map((child, index) => (
              <li key={index}>
                <ConditionTree node={child} path={`${path}.${group}[${index}]`} problemPaths={problemPaths} />
              </li>
            ))}
          </ul>
        ) : (
          <ConditionTree node={children} path={`${path}.${group}`} problemPaths={problemPaths} />
        )}
      </div>
    );
  }
  if ('not' in node) {
    return (
      <div className="condition group not">
        <div className="group-label">
          <ResultMark result={node.result} />
          {t.not}
        </div>
        <ul>
          <li>
            <ConditionTree node={node.not} path={`${path}.not`} problemPaths={problemPaths} />
          </li>
        </ul>
      </div>
    );
  }
  if ('fact' in node || 'operator' in node) {
    return (
      <div className={`condition leaf${flagged() ? ' flagged' : ''}`}>
        <ResultMark result={node.result} />
        <span className={chipClass('fact', 'fact')}>
          <span className="visually-hidden">{t.factLabel}: </span>
          {String(node.fact)}
        </span>
        <span className={chipClass('operator', 'operator')}>
          <span className="visually-hidden">{t.operatorLabel}: </span>
          {String(node.operator)}
        </span>
        <span className={chipClass('value', 'value')}>
          <span className="visually-hidden">{t.valueLabel}: </span>
          {formatValue(node.value)}
        </span>
        {'factValue' in node && (
          <span className="chip seen">
            {t.sawValue} {formatValue(node.factValue)}
          </span>
        )}
      </div>
    );
  }
  return (
    <div className="condition invalid">
      {t.notACondition}: <code>{formatValue(node)}</code>
    </div>
  );
}
