// Editing a draft: as forms (RuleForm) or as JSON in a code editor, two views of one text, checked
// as you type by the API's own validation; every problem listed with its path and shown again at
// the rule it concerns, beside the rules drawn as trees. Saving sends the revision read, so a
// concurrent edit is never overwritten.
import { json } from '@codemirror/lang-json';
import CodeMirror, { EditorView } from '@uiw/react-codemirror';
import { useEffect, useId, useMemo, useState } from 'react';
import type { RuleSetView } from '../../../api/rule-sets/rule-set.schema';
import type { RuleSetError } from '../../../rules';
import { ApiError, callApi } from '../shared/api';
import { ErrorNotice } from '../shared/feedback';
import { useI18n } from '../shared/i18n';
import { useSession } from '../shared/session-context';
import { isRecord } from '../../../rules/is-record';
import { checkDraft, problemsFromApiFields, type DraftCheck } from './draft-validation';
import { ProblemList, RuleList } from './RuleCard';
import { RuleForm } from './RuleForm';
import { documentText } from './rule-form-model';

const CHECK_DELAY_MS = 250;

export interface DraftEditorProps {
  ruleSet: RuleSetView;
  text: string;
  onTextChange: (text: string) => void;
  dirty: boolean;
  onSaved: (ruleSet: RuleSetView, text: string) => void;
  onReloadRequested: () => void;
}

export default function DraftEditor({ ruleSet, text, onTextChange, dirty, onSaved, onReloadRequested }: DraftEditorProps) {
  const { t } = useI18n();
  const { session } = useSession();
  const helpId = useId();
  const [check, setCheck] = useState<DraftCheck>(() => checkDraft(text, ruleSet.name, t.nameMustStay));
  const [checkedText, setCheckedText] = useState(text);
  const [saving, setSaving] = useState(false);
  const [saveError, setSaveError] = useState<unknown>(null);
  const [serverProblems, setServerProblems] = useState<RuleSetError[]>([]);
  const [savedNote, setSavedNote] = useState<string | null>(null);
  const [view, setView] = useState<'form' | 'json'>('form');

  useEffect(() => {
    if (text === checkedText) return;
    const timer = setTimeout(() => {
      setCheck(checkDraft(text, ruleSet.name, t.nameMustStay));
      setCheckedText(text);
      setServerProblems([]);
    }, CHECK_DELAY_MS);
    return () => clearTimeout(timer);
  }, [text, checkedText, ruleSet.name, t]);

  const extensions = useMemo(() => [json(), EditorView.lineWrapping, EditorView.contentAttributes.of({ 'aria-label': t.editorLabel, 'aria-describedby': helpId })], [t, helpId]);
  const checking = text !== checkedText;
  const problems = serverProblems.length > 0 ? serverProblems : check.problems;
  const rules = typeof check.document === 'object' && check.document !== null && 'rules' in check.document ? check.document.rules : undefined;
  // The form reads the text as it is now, not as last checked, so typing in it is never undone.
  const formDocument = useMemo(() => {
    try {
      const parsed: unknown = JSON.parse(text);
      return isRecord(parsed) ? parsed : undefined;
    } catch {
      return undefined;
    }
  }, [text]);

  const save = async () => {
    setSaving(true);
    setSaveError(null);
    setSavedNote(null);
    try {
      const answer = await callApi<RuleSetView>(session, 'PUT', `/v1/rule-sets/${ruleSet.id}`, { body: JSON.parse(text), ifMatch: `"${ruleSet.revision}"` });
      setSavedNote(t.savedRevision(answer.body.revision));
      onSaved(answer.body, text);
    } catch (error) {
      if (error instanceof ApiError && error.code === 'INVALID_RULE_SET') setServerProblems(problemsFromApiFields(error.fields));
      setSaveError(error);
    } finally {
      setSaving(false);
    }
  };

  const conflict = saveError instanceof ApiError && saveError.code === 'REVISION_CONFLICT';
  return (
    <div className="editor-layout">
      <section className="editor-pane" aria-labelledby={`${helpId}-title`}>
        <h3 id={`${helpId}-title`}>{t.editorLabel}</h3>
        <p id={helpId} className="muted small">
          {t.editorHelp}
        </p>
        <fieldset className="view-switch">
          <legend>{t.form.view}</legend>
          <label className="checkbox">
            <input type="radio" name={`${helpId}-view`} checked={view === 'form'} onChange={() => setView('form')} /> {t.form.formView}
          </label>
          <label className="checkbox">
            <input type="radio" name={`${helpId}-view`} checked={view === 'json'} onChange={() => setView('json')} /> {t.form.jsonView}
          </label>
        </fieldset>
        {view === 'json' ? (
          <CodeMirror value={text} onChange={onTextChange} extensions={extensions} minHeight="20rem" maxHeight="70vh" basicSetup={{ foldGutter: true, autocompletion: false }} />
        ) : formDocument ? (
          <RuleForm document={formDocument} onChange={(document) => onTextChange(documentText(document))} />
        ) : (
          <p className="notice warn">{t.form.notJson}</p>
        )}
        <div className="actions">
          <button type="button" className="primary" onClick={() => void save()} disabled={saving || checking || problems.length > 0 || !dirty}>
            {saving ? t.saving : t.saveDraft}
          </button>
          <span role="status" className="muted">
            {problems.length > 0 && !checking ? t.fixBeforeSaving : dirty ? t.unsavedChanges : savedNote}
          </span>
        </div>
        {conflict ? (
          <div className="notice error" role="alert">
            <p>{t.revisionConflict}</p>
            <button type="button" onClick={onReloadRequested}>
              {t.loadLatest}
            </button>
          </div>
        ) : (
          saveError !== null && <ErrorNotice error={saveError} />
        )}
      </section>
      <section className="problems-pane" aria-labelledby={`${helpId}-problems`}>
        <h3 id={`${helpId}-problems`}>
          {t.problems}{' '}
          <span role="status" className={`badge ${checking ? 'neutral' : problems.length > 0 ? 'bad' : 'good'}`} data-testid="problem-count">
            {checking ? t.checking : problems.length > 0 ? t.problemCount(problems.length) : t.noProblems}
          </span>
        </h3>
        {serverProblems.length > 0 && <p>{t.serverRefused}</p>}
        {problems.length > 0 && <ProblemList problems={problems} />}
        <RuleList rules={rules} problems={problems} showJson={false} />
      </section>
    </div>
  );
}
