// How a screen says it is loading, or that the API refused: 401 and 403 in words a person can act on.
import type { ReactNode } from 'react';
import { ApiError } from './api';
import { useI18n } from './i18n';
import { useSignOut } from './session-context';
import type { Request } from './use-request';

export function Loading() {
  const { t } = useI18n();
  return (
    <p className="muted" role="status">
      {t.loading}
    </p>
  );
}

export function ErrorNotice({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const { t } = useI18n();
  const signOut = useSignOut();
  if (!(error instanceof ApiError)) {
    return (
      <div className="notice error" role="alert">
        <p>{error instanceof Error ? error.message : String(error)}</p>
        {onRetry && <button type="button" onClick={onRetry}>{t.retry}</button>}
      </div>
    );
  }
  const headline =
    error.status === 401 ? t.errorUnauthenticated : error.status === 403 ? t.errorForbidden : error.status === 0 ? t.errorNetwork : t.errorOther(error.status, error.code);
  const fields = Object.entries(error.fields);
  return (
    <div className="notice error" role="alert">
      <p>
        <strong>{headline}</strong>
      </p>
      {/* A 403 with a code of its own (e.g. SELF_APPROVAL) says why; a plain FORBIDDEN says no more than the headline. */}
      {error.status !== 0 && error.status !== 401 && (error.status !== 403 || error.code !== 'FORBIDDEN') && <p>{error.message}</p>}
      {fields.length > 0 && (
        <ul className="problems">
          {fields.map(([field, problem]) => (
            <li key={field}>
              <code>{field}</code> {problem}
            </li>
          ))}
        </ul>
      )}
      {error.requestId && (
        <p className="muted small">
          {t.requestId}: <code>{error.requestId}</code>
        </p>
      )}
      {error.status === 401 && (
        <button type="button" onClick={signOut}>
          {t.signInAgain}
        </button>
      )}
      {onRetry && error.status !== 401 && error.status !== 403 && (
        <button type="button" onClick={onRetry}>
          {t.retry}
        </button>
      )}
    </div>
  );
}

/** Renders a request: loading, its error (with retry), or `children` with the data. */
export function Loaded<T>({ request, children }: { request: Request<T> & { reload: () => void }; children: (data: T) => ReactNode }) {
  if (request.state === 'loading') return <Loading />;
  if (request.state === 'failed') return <ErrorNotice error={request.error} onRetry={request.reload} />;
  return <>{children(request.data)}</>;
}

export function Badge({ tone, children }: { tone: 'neutral' | 'good' | 'bad' | 'info' | 'warn'; children: ReactNode }) {
  return <span className={`badge ${tone}`}>{children}</span>;
}
