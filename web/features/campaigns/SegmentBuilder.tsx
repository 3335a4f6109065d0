import { Card, Checkbox, Fieldset, Group, MultiSelect, NumberInput, Radio, Select, Stack, Text, Title } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import type { HouseholdFilters } from '../../../contracts/households.ts';
import { indicatorKinds, indicatorLabels } from '../../../contracts/households.ts';
import { plural, word } from '../../../contracts/plural.ts';
import { useAgencies } from '../users/api.ts';
import type { SegmentCount } from './api.ts';
import { useSegmentCount } from './api.ts';
import type { FieldErrors } from './formState.ts';

/** « 12 ménages seront appelés — 3 exclus (« ne pas appeler ») ». */
export function segmentCountText(count: SegmentCount) {
  return `${plural(count.targeted, 'ménage')} ${word(count.targeted, 'sera appelé', 'seront appelés')} — ${plural(count.excludedNoCall, 'exclu')} (« ne pas appeler »)`;
}

/** The segment: which households the campaign calls (agency, residence, age, indicators), with their count as it is today. */
export function SegmentBuilder({
  segment,
  onChange,
  locked,
  errors,
}: {
  segment: HouseholdFilters;
  onChange: (s: HouseholdFilters) => void;
  locked: boolean;
  errors: FieldErrors;
}) {
  const agencies = useAgencies();
  const [debounced] = useDebouncedValue(segment, 400);
  const count = useSegmentCount(debounced);
  const set = (p: Partial<HouseholdFilters>) => onChange({ ...segment, ...p });
  return (
    <Card withBorder>
      <Stack>
        <Title order={3}>Les ménages à appeler</Title>
        {locked && <Text size="sm">La campagne est lancée : ses ménages ne changent plus. Créez une nouvelle campagne pour d’autres ménages.</Text>}
        <Fieldset legend="Critères de choix des ménages" disabled={locked} variant="unstyled">
          <Stack>
            <Group align="end">
              <Select
                label="Agence"
                placeholder="Toutes les agences"
                clearable
                data={(agencies.data ?? []).map((a) => ({ value: a.id, label: a.name }))}
                value={segment.agencyId ?? null}
                onChange={(v) => set({ agencyId: v ?? undefined })}
                error={errors['segment.agencyId']}
                data-field="segment.agencyId"
              />
              <NumberInput
                label="Âge minimum"
                min={0}
                max={120}
                value={segment.minAge ?? ''}
                onChange={(v) => set({ minAge: typeof v === 'number' ? v : undefined })}
                w={140}
                error={errors['segment.minAge']}
                data-field="segment.minAge"
              />
              <MultiSelect
                label="Indicateurs de fragilité"
                placeholder={segment.indicators?.length ? undefined : 'Tous les ménages'}
                searchable
                data={indicatorKinds.map((k) => ({ value: k, label: indicatorLabels[k] }))}
                value={segment.indicators ?? []}
                onChange={(v) => set({ indicators: v.length ? (v as HouseholdFilters['indicators']) : undefined })}
                w={320}
              />
            </Group>
            <Radio.Group
              label="Combinaison de l’âge et des indicateurs"
              value={segment.fragilityMatch}
              onChange={(v) => set({ fragilityMatch: v as 'all' | 'any' })}
            >
              <Group mt="xs">
                <Radio value="all" label="Tous les critères" />
                <Radio value="any" label="Au moins un critère" />
              </Group>
            </Radio.Group>
            <Group align="end">
              <NumberInput
                label="Sans contact depuis (jours)"
                description="Personne du ménage joint par un appel depuis ce nombre de jours (ou jamais)."
                min={1}
                max={3650}
                value={segment.noContactForDays ?? ''}
                onChange={(v) => set({ noContactForDays: typeof v === 'number' && v >= 1 ? v : undefined })}
                w={320}
                error={errors['segment.noContactForDays']}
                data-field="segment.noContactForDays"
              />
              <Checkbox
                label="En veille régulière seulement"
                checked={segment.regularWatch === true}
                onChange={(e) => set({ regularWatch: e.currentTarget.checked ? true : undefined })}
              />
            </Group>
          </Stack>
        </Fieldset>
        <Text role="status" aria-live="polite" fw={600} data-testid="segment-count">
          {count.error ? count.error.message : count.data ? segmentCountText(count.data) : 'Calcul du nombre de ménages…'}
        </Text>
        <Text size="sm">Les ménages ayant demandé à ne pas être appelés sont toujours exclus.</Text>
      </Stack>
    </Card>
  );
}
