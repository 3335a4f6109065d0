import { Card, Stack, Textarea, TextInput, Title } from '@mantine/core';
import type { FieldErrors, FormState } from './formState.ts';
import { SegmentBuilder } from './SegmentBuilder.tsx';

/** Step 1: the campaign's name and purpose, and the households it calls, with their live count. */
export function StepWho({ form, patch, errors, locked }: { form: FormState; patch: (p: Partial<FormState>) => void; errors: FieldErrors; locked: boolean }) {
  return (
    <Stack>
      <Card withBorder>
        <Stack>
          <Title order={3}>La campagne</Title>
          <TextInput
            label="Nom de la campagne"
            required
            value={form.name}
            onChange={(e) => patch({ name: e.currentTarget.value })}
            maxLength={120}
            error={errors.name}
            data-field="name"
          />
          <Textarea
            label="Objet"
            description="Pourquoi ces appels : il s’affiche aux appelant·es."
            value={form.purpose}
            onChange={(e) => patch({ purpose: e.currentTarget.value })}
            maxLength={1000}
            autosize
            minRows={2}
            error={errors.purpose}
            data-field="purpose"
          />
        </Stack>
      </Card>
      <SegmentBuilder segment={form.segment} onChange={(segment) => patch({ segment })} locked={locked} errors={errors} />
    </Stack>
  );
}
