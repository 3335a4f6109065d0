import { Badge, Button, Group, Modal, Stack, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { plural } from '../../../contracts/plural.ts';
import { roleLabels } from '../../../contracts/roles.ts';
import type { User } from '../../../contracts/users.ts';
import { ApiError, api } from '../../app/api.ts';
import { useMe } from '../../app/session.ts';
import { DataTable, fromQuery } from '../../ui/DataTable.tsx';
import { notifyError, notifySuccess } from '../../ui/errors.ts';
import { ReauthModal } from '../../ui/ReauthModal.tsx';
import { usePageTitle } from '../../ui/usePageTitle.ts';
import { useAgencies, useUserMutation, useUsers } from './api.ts';
import { UserForm, type UserFormValues } from './UserForm.tsx';

const statusLabels = { invited: 'Invité·e', active: 'Actif', inactive: 'Désactivé' } as const;
const statusColors = { invited: 'blue', active: 'teal', inactive: 'gray' } as const;

export function UsersPage() {
  usePageTitle('Utilisateurs');
  const me = useMe();
  const users = useUsers();
  const agencies = useAgencies();
  const [inviting, setInviting] = useState(false);
  const [editing, setEditing] = useState<User | null>(null);
  const [resetting, setResetting] = useState<User | null>(null);
  const [reauth, setReauth] = useState(false);
  const invite = useUserMutation((v: UserFormValues) => api('POST', '/api/users', v));
  const update = useUserMutation((v: UserFormValues & { id: string }) =>
    api('PATCH', `/api/users/${v.id}`, { role: v.role, agencyIds: v.agencyIds, endDate: v.endDate }),
  );
  const endSessions = useUserMutation((id: string) => api<{ ended: number }>('POST', `/api/users/${id}/sessions/end`));
  const setActive = useUserMutation((v: { id: string; active: boolean }) => api('POST', `/api/users/${v.id}/${v.active ? 'reactivate' : 'deactivate'}`));
  const resetSecondFactor = useUserMutation((id: string) => api('POST', `/api/users/${id}/second-factor/reset`));
  const resendInvitation = useUserMutation((id: string) => api('POST', `/api/users/${id}/invitation`));
  const agencyName = (id: string) => agencies.data?.find((a) => a.id === id)?.name ?? '…';
  const confirmReset = (user: User) =>
    resetSecondFactor.mutate(user.id, {
      onSuccess: () => {
        setResetting(null);
        notifySuccess(`Double authentification réinitialisée : ${user.firstName} ${user.lastName} l’activera à sa prochaine connexion.`);
      },
      onError: (e) => {
        if (e instanceof ApiError && e.code === 'reauthentication_required') setReauth(true);
        else notifyError(e);
      },
    });

  return (
    <Stack>
      <Group justify="space-between">
        <Title order={1}>Utilisateurs</Title>
        <Button onClick={() => setInviting(true)}>Inviter un utilisateur</Button>
      </Group>
      <Text size="sm" c="dimmed">
        Chaque personne ne voit que ce que son rôle et ses agences permettent. Désactiver un compte ferme immédiatement ses sessions.
      </Text>
      <DataTable
        label="Utilisateurs"
        minWidth={800}
        {...fromQuery(users)}
        empty="Aucun utilisateur pour l’instant."
        loadingLabel="Chargement des utilisateurs…"
        rowKey={(u) => u.id}
        columns={[
          {
            header: 'Nom',
            cell: (u) => `${u.firstName} ${u.lastName}`,
          },
          { header: 'E-mail', cell: (u) => u.email },
          { header: 'Rôle', cell: (u) => roleLabels[u.role] },
          { header: 'Agences', cell: (u) => (u.agencyIds.length ? u.agencyIds.map(agencyName).join(', ') : 'Tout l’organisme') },
          {
            header: 'Statut',
            cell: (u) => (
              <>
                <Badge color={statusColors[u.status]}>{statusLabels[u.status]}</Badge>
                {u.endDate && (
                  <Text size="xs" c="dimmed">
                    jusqu’au {new Date(u.endDate).toLocaleDateString('fr-FR')}
                  </Text>
                )}
              </>
            ),
          },
          {
            header: 'Actions',
            cell: (u) => (
              <Group gap="xs">
                <Button size="xs" variant="light" onClick={() => setEditing(u)}>
                  Modifier
                </Button>
                {u.id !== me.data?.id && u.status === 'active' && (
                  <Button
                    size="xs"
                    variant="subtle"
                    onClick={() =>
                      endSessions.mutate(u.id, {
                        onSuccess: (r) => notifySuccess(`${plural((r as { ended: number }).ended, 'session fermée', 'sessions fermées')}.`),
                        onError: notifyError,
                      })
                    }
                  >
                    Fermer les sessions
                  </Button>
                )}
                {u.status === 'invited' && (
                  <Button
                    size="xs"
                    variant="subtle"
                    loading={resendInvitation.isPending && resendInvitation.variables === u.id}
                    onClick={() =>
                      resendInvitation.mutate(u.id, {
                        onSuccess: () => notifySuccess(`Invitation renvoyée à ${u.email} : le lien précédent ne fonctionne plus.`),
                        onError: notifyError,
                      })
                    }
                  >
                    Renvoyer l’invitation
                  </Button>
                )}
                {u.id !== me.data?.id && u.totpEnabled && (
                  <Button size="xs" variant="subtle" color="red" onClick={() => setResetting(u)}>
                    Réinitialiser la double authentification
                  </Button>
                )}
                {u.id !== me.data?.id && (
                  <Button
                    size="xs"
                    variant="subtle"
                    color={u.status === 'inactive' ? 'teal' : 'red'}
                    onClick={() =>
                      setActive.mutate(
                        { id: u.id, active: u.status === 'inactive' },
                        {
                          onSuccess: () => notifySuccess(u.status === 'inactive' ? 'Compte réactivé.' : 'Compte désactivé, sessions fermées.'),
                          onError: notifyError,
                        },
                      )
                    }
                  >
                    {u.status === 'inactive' ? 'Réactiver' : 'Désactiver'}
                  </Button>
                )}
              </Group>
            ),
          },
        ]}
      />
      <Modal
        closeButtonProps={{ 'aria-label': 'Fermer' }}
        opened={resetting !== null && !reauth}
        onClose={() => setResetting(null)}
        title="Réinitialiser la double authentification"
      >
        {resetting && (
          <Stack>
            <Text size="sm">
              {resetting.firstName} {resetting.lastName} ne pourra plus se connecter avec son application d’authentification ni ses codes de secours, et ses
              sessions ouvertes seront fermées. À sa prochaine connexion, il ou elle activera à nouveau la double authentification.
            </Text>
            <Text size="sm">
              Ne le faites qu’après avoir vérifié son identité (par exemple en personne ou par téléphone, sur un numéro connu) : c’est ce qui protège le compte
              si le mot de passe a été volé.
            </Text>
            <Group justify="flex-end">
              <Button variant="default" onClick={() => setResetting(null)}>
                Annuler
              </Button>
              <Button loading={resetSecondFactor.isPending} onClick={() => confirmReset(resetting)}>
                Réinitialiser
              </Button>
            </Group>
          </Stack>
        )}
      </Modal>
      <ReauthModal
        opened={reauth}
        reason="Réinitialiser la double authentification d’un compte est une action sensible : confirmez qu’il s’agit bien de vous."
        onClose={() => {
          setReauth(false);
          setResetting(null);
        }}
        onConfirmed={() => {
          setReauth(false);
          if (resetting) confirmReset(resetting);
        }}
      />
      <Modal closeButtonProps={{ 'aria-label': 'Fermer' }} opened={inviting} onClose={() => setInviting(false)} title="Inviter un utilisateur">
        <UserForm
          busy={invite.isPending}
          onSubmit={(v) =>
            invite.mutate(v, {
              onSuccess: () => {
                setInviting(false);
                notifySuccess(`Invitation envoyée à ${v.email}.`);
              },
              onError: notifyError,
            })
          }
        />
      </Modal>
      <Modal
        closeButtonProps={{ 'aria-label': 'Fermer' }}
        opened={editing !== null}
        onClose={() => setEditing(null)}
        title={editing ? `Modifier ${editing.firstName} ${editing.lastName}` : ''}
      >
        {editing && (
          <UserForm
            user={editing}
            busy={update.isPending}
            onSubmit={(v) =>
              update.mutate(
                { ...v, id: editing.id },
                {
                  onSuccess: () => {
                    setEditing(null);
                    notifySuccess('Utilisateur modifié.');
                  },
                  onError: notifyError,
                },
              )
            }
          />
        )}
      </Modal>
    </Stack>
  );
}
