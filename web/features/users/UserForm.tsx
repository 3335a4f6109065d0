import { Button, Group, MultiSelect, Select, Stack, TextInput } from '@mantine/core';
import { useState } from 'react';
import { type Role, roleLabels, roles } from '../../../contracts/roles.ts';
import type { User } from '../../../contracts/users.ts';
import { useAgencies } from './api.ts';

export type UserFormValues = { email: string; firstName: string; lastName: string; role: Role; agencyIds: string[]; endDate: string | null };

/** Invite form (all fields) or edit form (role, agencies, end date). */
export function UserForm({ user, onSubmit, busy }: { user?: User; onSubmit: (values: UserFormValues) => void; busy: boolean }) {
  const agencies = useAgencies();
  const [role, setRole] = useState<Role>(user?.role ?? 'staff');
  const [agencyIds, setAgencyIds] = useState<string[]>(user?.agencyIds ?? []);
  const submit = (event: React.FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const endDate = String(form.get('endDate') ?? '');
    onSubmit({
      email: String(form.get('email') ?? user?.email ?? ''),
      firstName: String(form.get('firstName') ?? user?.firstName ?? ''),
      lastName: String(form.get('lastName') ?? user?.lastName ?? ''),
      role,
      agencyIds,
      endDate: endDate || null,
    });
  };
  return (
    <form onSubmit={submit}>
      <Stack>
        {!user && (
          <>
            <TextInput name="email" type="email" label="Adresse e-mail" required />
            <Group grow>
              <TextInput name="firstName" label="Prénom" required />
              <TextInput name="lastName" label="Nom" required />
            </Group>
          </>
        )}
        <Select
          label="Rôle"
          data={roles.map((r) => ({ value: r, label: roleLabels[r] }))}
          value={role}
          onChange={(v) => v && setRole(v as Role)}
          allowDeselect={false}
        />
        <MultiSelect
          label="Agences"
          description="Laisser vide pour tout l’organisme."
          data={(agencies.data ?? []).map((a) => ({ value: a.id, label: a.name }))}
          value={agencyIds}
          onChange={setAgencyIds}
          clearable
        />
        <TextInput
          name="endDate"
          type="date"
          label="Fin d’accès"
          description={role === 'volunteer' ? 'Obligatoire pour un bénévole : le compte se ferme à cette date.' : 'Facultatif.'}
          defaultValue={user?.endDate ?? ''}
          required={role === 'volunteer'}
        />
        <Button type="submit" loading={busy}>
          {user ? 'Enregistrer' : 'Envoyer l’invitation'}
        </Button>
      </Stack>
    </form>
  );
}
