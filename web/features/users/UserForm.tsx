import { Button, Group, MultiSelect, Select, Stack, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { type Role, roleLabels, roles } from '../../../contracts/roles.ts';
import { type User, userForm } from '../../../contracts/users.ts';
import { validateWith } from '../../ui/form.ts';
import { useAgencies } from './api.ts';

export type UserFormValues = { email: string; firstName: string; lastName: string; role: Role; agencyIds: string[]; endDate: string | null };

/** Invite form (all fields) or edit form (role, agencies, end date), checked by the users contract. */
export function UserForm({ user, onSubmit, busy }: { user?: User; onSubmit: (values: UserFormValues) => void; busy: boolean }) {
  const agencies = useAgencies();
  const form = useForm({
    initialValues: {
      email: user?.email ?? '',
      firstName: user?.firstName ?? '',
      lastName: user?.lastName ?? '',
      role: user?.role ?? ('staff' as Role),
      agencyIds: user?.agencyIds ?? [],
      endDate: user?.endDate ?? '',
    },
    validate: validateWith(userForm),
  });
  const { role } = form.getValues();
  return (
    <form onSubmit={form.onSubmit((values) => onSubmit({ ...values, endDate: values.endDate || null }))} noValidate>
      <Stack>
        {!user && (
          <>
            <TextInput name="email" type="email" label="Adresse e-mail" required {...form.getInputProps('email')} />
            <Group grow align="start">
              <TextInput name="firstName" label="Prénom" required {...form.getInputProps('firstName')} />
              <TextInput name="lastName" label="Nom" required {...form.getInputProps('lastName')} />
            </Group>
          </>
        )}
        <Select
          label="Rôle"
          data={roles.map((r) => ({ value: r, label: roleLabels[r] }))}
          {...form.getInputProps('role')}
          onChange={(v) => v && form.setFieldValue('role', v as Role)}
          allowDeselect={false}
        />
        <MultiSelect
          label="Agences"
          description="Laisser vide pour tout l’organisme."
          data={(agencies.data ?? []).map((a) => ({ value: a.id, label: a.name }))}
          {...form.getInputProps('agencyIds')}
          clearable
        />
        <TextInput
          name="endDate"
          type="date"
          label="Fin d’accès"
          description={role === 'volunteer' ? 'Obligatoire pour un bénévole : le compte se ferme à cette date.' : 'Facultatif.'}
          required={role === 'volunteer'}
          {...form.getInputProps('endDate')}
        />
        <Button type="submit" loading={busy}>
          {user ? 'Enregistrer' : 'Envoyer l’invitation'}
        </Button>
      </Stack>
    </form>
  );
}
