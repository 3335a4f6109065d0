import { Card, Checkbox, Group, NumberInput, SimpleGrid, Stack, TextInput, Title } from '@mantine/core';
import type { FieldErrors, FormState } from './formState.ts';

export const dayLabels = ['Lundi', 'Mardi', 'Mercredi', 'Jeudi', 'Vendredi', 'Samedi', 'Dimanche'];

/** Step 4: when calls are made (days and hours), how often a household is tried again, and each caller's hourly limits. */
export function StepWhen({ form, patch, errors }: { form: FormState; patch: (p: Partial<FormState>) => void; errors: FieldErrors }) {
  const w = form.callWindows;
  return (
    <Stack>
      <Card withBorder>
        <Stack>
          <Title order={3}>Plages d’appel</Title>
          <Checkbox.Group
            label="Jours d’appel"
            value={w.days.map(String)}
            onChange={(v) => patch({ callWindows: { ...w, days: v.map(Number).sort() } })}
            error={errors['callWindows.days']}
            data-field="callWindows.days"
          >
            <Group mt="xs">
              {dayLabels.map((label, i) => (
                <Checkbox key={label} value={String(i + 1)} label={label} />
              ))}
            </Group>
          </Checkbox.Group>
          <Group align="start">
            <TextInput
              label="Heure de début"
              description="Heure de Paris, par exemple 09:00"
              value={w.start}
              onChange={(e) => patch({ callWindows: { ...w, start: e.currentTarget.value } })}
              w={220}
              error={errors['callWindows.start']}
              data-field="callWindows.start"
            />
            <TextInput
              label="Heure de fin"
              description="Par exemple 19:00 ; 24:00 pour minuit"
              value={w.end}
              onChange={(e) => patch({ callWindows: { ...w, end: e.currentTarget.value } })}
              w={220}
              error={errors['callWindows.end']}
              data-field="callWindows.end"
            />
          </Group>
        </Stack>
      </Card>
      <Card withBorder>
        <Stack>
          <Title order={3}>Quand personne ne répond</Title>
          <SimpleGrid cols={{ base: 1, sm: 3 }}>
            <NumberInput
              label="Nouvel essai après (minutes)"
              description="Quand personne ne répond."
              min={15}
              max={7 * 24 * 60}
              value={form.retryPolicy.retryAfterMinutes}
              onChange={(v) => patch({ retryPolicy: { ...form.retryPolicy, retryAfterMinutes: Number(v) || 0 } })}
              error={errors['retryPolicy.retryAfterMinutes']}
              data-field="retryPolicy.retryAfterMinutes"
            />
            <NumberInput
              label="Nombre maximal d’essais"
              description="Ensuite, une visite de porte-à-porte est proposée."
              min={1}
              max={10}
              value={form.retryPolicy.maxAttempts}
              onChange={(v) => patch({ retryPolicy: { ...form.retryPolicy, maxAttempts: Number(v) || 0 } })}
              error={errors['retryPolicy.maxAttempts']}
              data-field="retryPolicy.maxAttempts"
            />
            <NumberInput
              label="Délai de réservation d’un ménage (minutes)"
              description="Passé ce délai, le ménage retourne dans la file."
              min={2}
              max={240}
              value={form.claimTimeoutMinutes}
              onChange={(v) => patch({ claimTimeoutMinutes: Number(v) || 0 })}
              error={errors.claimTimeoutMinutes}
              data-field="claimTimeoutMinutes"
            />
          </SimpleGrid>
        </Stack>
      </Card>
      <Card withBorder>
        <Stack>
          <Title order={3}>Limites par appelant·e</Title>
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <NumberInput
              label="Ménages rendus par heure, au plus"
              description="Par appelant·e : au-delà, plus d’appel pendant une heure et les responsables sont prévenu·es."
              min={1}
              max={100}
              value={form.callerLimits.releasesPerHour}
              onChange={(v) => patch({ callerLimits: { ...form.callerLimits, releasesPerHour: Number(v) || 0 } })}
              error={errors['callerLimits.releasesPerHour']}
              data-field="callerLimits.releasesPerHour"
            />
            <NumberInput
              label="Ménages confiés par heure, au plus"
              description="Par appelant·e : un plafond qu’un appel réel n’atteint pas, contre la collecte de numéros."
              min={1}
              max={10_000}
              value={form.callerLimits.claimsPerHour}
              onChange={(v) => patch({ callerLimits: { ...form.callerLimits, claimsPerHour: Number(v) || 0 } })}
              error={errors['callerLimits.claimsPerHour']}
              data-field="callerLimits.claimsPerHour"
            />
          </SimpleGrid>
        </Stack>
      </Card>
    </Stack>
  );
}
