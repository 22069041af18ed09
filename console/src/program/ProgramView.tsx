// The operators' (and program managers') view of the program: the funnel, the waves and, for
// operators, a participant lookup.
import { useId, useState, type FormEvent } from 'react';
import type { WaveView } from '../../../api/waves/wave.schema';
import { may } from '../shared/access';
import { callApi } from '../shared/api';
import { Loaded } from '../shared/feedback';
import { useI18n } from '../shared/i18n';
import { navigate } from '../shared/router';
import { useSession } from '../shared/session-context';
import { useRequest } from '../shared/use-request';
import { FunnelSection } from './Funnel';
import { WavesSection } from './Waves';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function ProgramView() {
  const { t } = useI18n();
  const { session } = useSession();
  const waves = useRequest(async (signal) => (await callApi<{ waves: WaveView[] }>(session, 'GET', '/v1/waves', { signal })).body.waves, [session.key]);
  return (
    <>
      <h1>{t.programTitle}</h1>
      {may(session.role, 'GET /v1/participants/:id') && <ParticipantLookup />}
      <FunnelSection waves={waves.data ?? []} />
      <Loaded request={waves}>{(loaded) => <WavesSection waves={loaded} />}</Loaded>
    </>
  );
}

function ParticipantLookup() {
  const { t } = useI18n();
  const id = useId();
  const [participantId, setParticipantId] = useState('');
  const [problem, setProblem] = useState(false);
  const find = (event: FormEvent) => {
    event.preventDefault();
    const trimmed = participantId.trim();
    if (!UUID.test(trimmed)) {
      setProblem(true);
      return;
    }
    navigate(`/participants/${trimmed.toLowerCase()}`);
  };
  return (
    <section className="card" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{t.lookupTitle}</h2>
      <form role="search" className="inline-form" onSubmit={find}>
        <label htmlFor={`${id}-participant`}>{t.participantId}</label>
        <input
          id={`${id}-participant`}
          value={participantId}
          autoComplete="off"
          spellCheck={false}
          aria-invalid={problem}
          aria-describedby={problem ? `${id}-problem` : undefined}
          onChange={(event) => {
            setParticipantId(event.target.value);
            setProblem(false);
          }}
        />
        <button type="submit" className="primary">
          {t.find}
        </button>
      </form>
      {problem && (
        <p id={`${id}-problem`} className="notice error" role="alert">
          {t.invalidParticipantId}
        </p>
      )}
    </section>
  );
}
