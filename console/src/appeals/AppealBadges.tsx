// An appeal's status and, once an overturned appeal is decided again, its result, as badges.
import type { AppealQueue } from '../../../api/appeals/appeal.schema';
import { Badge } from '../shared/feedback';
import { useI18n } from '../shared/i18n';
import type { AppealStatus } from './appeal-queue';

type AppealResult = NonNullable<AppealQueue['appeals'][number]['result']>;

export function AppealStatusBadge({ status }: { status: AppealStatus }) {
  const { t } = useI18n();
  return <Badge tone={status === 'OPEN' ? 'info' : status === 'OVERTURNED' ? 'warn' : 'neutral'}>{t.appealStatuses[status]}</Badge>;
}

export function AppealResultBadge({ result }: { result: AppealResult }) {
  const { t } = useI18n();
  return <Badge tone={result === 'REINSTATED' ? 'good' : 'bad'}>{t.appealResults[result]}</Badge>;
}
