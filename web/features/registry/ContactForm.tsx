import { Button, Select, Stack, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { contactBody } from '../../../contracts/households.ts';
import { validateWith } from '../../ui/form.ts';

const contactFields = contactBody.pick({ kind: true, value: true });
type ContactValues = { kind: 'mobile' | 'landline' | 'email'; value: string };

/** Correct a person's phone or e-mail (kept through later imports), checked by the API's contract. */
export function ContactForm({ onSubmit }: { onSubmit: (values: ContactValues) => void }) {
  const form = useForm<ContactValues>({ initialValues: { kind: 'mobile', value: '' }, validate: validateWith(contactFields) });
  return (
    <form onSubmit={form.onSubmit((values) => onSubmit({ ...values, value: values.value.trim() }))} noValidate>
      <Stack>
        <Select
          name="kind"
          label="Type"
          data={[
            { value: 'mobile', label: 'Portable' },
            { value: 'landline', label: 'Fixe' },
            { value: 'email', label: 'E-mail' },
          ]}
          {...form.getInputProps('kind')}
          allowDeselect={false}
        />
        <TextInput name="value" label="Valeur" required {...form.getInputProps('value')} />
        <Button type="submit">Enregistrer</Button>
      </Stack>
    </form>
  );
}
