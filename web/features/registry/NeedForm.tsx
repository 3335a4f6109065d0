import { Alert, Button, Group, Select, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { CONSENT_WORDING_VERSION, consentWording, needBody } from '../../../contracts/households.ts';
import { validateWith } from '../../ui/form.ts';
import type { useHouseholdAction } from './households-api.ts';
import { needCategoryLabels } from './labels.ts';

const needFields = needBody.pick({ category: true, label: true });
type NeedValues = { category: 'health' | 'disability' | 'daily_life' | 'social' | 'other'; label: string };

/** Record a declared need; a health or disability need first asks for the tenant's explicit consent. */
export function NeedForm({
  consentId,
  act,
  run,
}: {
  consentId: string | null;
  act: ReturnType<typeof useHouseholdAction>;
  run: (fn: () => Promise<unknown>, m: string) => Promise<unknown>;
}) {
  const form = useForm<NeedValues>({ initialValues: { category: 'daily_life', label: '' }, validate: validateWith(needFields) });
  const { category } = form.getValues();
  const sensitive = category === 'health' || category === 'disability';
  return (
    <form
      noValidate
      onSubmit={form.onSubmit(({ label }) =>
        run(() => act('POST', '/needs', { category, label: label.trim(), ...(sensitive && consentId ? { consentId } : {}) }), 'Besoin enregistré.'),
      )}
    >
      <Group align="end" mt="sm">
        <Select
          label="Catégorie"
          data={Object.entries(needCategoryLabels).map(([value, label]) => ({ value, label }))}
          {...form.getInputProps('category')}
          allowDeselect={false}
        />
        <TextInput name="label" label="Besoin" required {...form.getInputProps('label')} />
        <Button type="submit" disabled={sensitive && !consentId}>
          Ajouter
        </Button>
      </Group>
      {sensitive && !consentId && (
        <Alert color="orange" mt="sm" title="Consentement explicite nécessaire">
          <Text size="sm">Lisez au locataire : « {consentWording} »</Text>
          <Button
            mt="xs"
            size="xs"
            onClick={() => run(() => act('POST', '/consents', { channel: 'phone', wordingVersion: CONSENT_WORDING_VERSION }), 'Consentement enregistré.')}
          >
            Le locataire accepte (par téléphone)
          </Button>
        </Alert>
      )}
      {sensitive && consentId && (
        <Button
          mt="xs"
          size="xs"
          variant="subtle"
          color="red"
          onClick={() => run(() => act('POST', `/consents/${consentId}/withdraw`), 'Consentement retiré : les besoins de santé ont été effacés.')}
        >
          Retirer le consentement
        </Button>
      )}
    </form>
  );
}
