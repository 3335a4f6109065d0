import { List, Stack, Text } from '@mantine/core';
import { indicatorLabels } from '../../../contracts/households.ts';
import { plural } from '../../../contracts/plural.ts';
import { useAgencies } from '../users/api.ts';
import { useCallerCandidates, useSegmentCount } from './api.ts';
import type { FormState } from './formState.ts';
import { ReviewSection } from './ReviewSection.tsx';
import { segmentCountText } from './SegmentBuilder.tsx';
import { dayLabels } from './StepWhen.tsx';

/** Step 5: everything the manager chose, in sentences, before saving. */
export function StepReview({ form, onEdit }: { form: FormState; onEdit: (step: number) => void }) {
  const agencies = useAgencies();
  const candidates = useCallerCandidates();
  const count = useSegmentCount(form.segment);
  const s = form.segment;
  const criteria = [
    s.agencyId ? `agence ${agencies.data?.find((a) => a.id === s.agencyId)?.name ?? ''}` : 'toutes les agences',
    s.minAge !== undefined ? `${s.minAge} ans et plus` : null,
    s.indicators?.length ? s.indicators.map((i) => indicatorLabels[i]).join(', ') : null,
    s.noContactForDays ? `sans contact depuis ${plural(s.noContactForDays, 'jour')}` : null,
    s.regularWatch ? 'en veille régulière' : null,
  ].filter(Boolean);
  const names = new Map((candidates.data ?? []).map((c) => [c.id, c.name]));
  const w = form.callWindows;
  return (
    <Stack>
      <ReviewSection title="Qui appeler" step={0} onEdit={onEdit}>
        <Text fw={600}>{form.name || 'Campagne sans nom'}</Text>
        {form.purpose && <Text>{form.purpose}</Text>}
        <Text>
          Ménages : {criteria.join(' · ')}
          {s.minAge !== undefined && s.indicators?.length ? (s.fragilityMatch === 'any' ? ' (au moins un critère)' : ' (tous les critères)') : ''}.
        </Text>
        <Text fw={600} data-testid="review-count">
          {count.data ? segmentCountText(count.data) : 'Calcul du nombre de ménages…'}
        </Text>
      </ReviewSection>
      <ReviewSection title="Que demander" step={1} onEdit={onEdit}>
        <Text>
          « {form.script.title} » — {plural(form.script.questions.length, 'question')}
        </Text>
        <List size="sm">
          {form.script.questions.map((q) => (
            <List.Item key={q.uid}>{q.text || '(question sans texte)'}</List.Item>
          ))}
        </List>
      </ReviewSection>
      <ReviewSection title="Qui appelle" step={2} onEdit={onEdit}>
        <Text>
          {form.callerIds.length
            ? `${plural(form.callerIds.length, 'appelant·e')} : ${form.callerIds.map((id) => names.get(id) ?? '…').join(', ')}`
            : 'Personne pour l’instant : la campagne peut être lancée, mais personne ne pourra appeler.'}
        </Text>
      </ReviewSection>
      <ReviewSection title="Quand" step={3} onEdit={onEdit}>
        <Text>
          {w.days.map((d) => dayLabels[d - 1]?.toLowerCase()).join(', ')}, de {w.start} à {w.end} (heure de Paris).
        </Text>
        <Text>
          Nouvel essai après {plural(form.retryPolicy.retryAfterMinutes, 'minute')}, {plural(form.retryPolicy.maxAttempts, 'essai')} au plus ; un ménage reste
          réservé {plural(form.claimTimeoutMinutes, 'minute')}.
        </Text>
        <Text>
          Par appelant·e et par heure : {plural(form.callerLimits.releasesPerHour, 'ménage rendu', 'ménages rendus')} au plus,{' '}
          {plural(form.callerLimits.claimsPerHour, 'ménage confié', 'ménages confiés')} au plus.
        </Text>
      </ReviewSection>
    </Stack>
  );
}
