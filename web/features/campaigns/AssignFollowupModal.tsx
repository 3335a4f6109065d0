import { Button, Group, Modal, Select, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import { type Role, roleLabels } from '../../../contracts/roles.ts';
import { notifyError, notifySuccess } from '../../ui/errors.ts';
import { type FollowupRow, useAssignFollowup, useFollowupAssignees } from './api.ts';

/** Give a follow-up to someone (or to nobody). */
export function AssignFollowupModal({ followup, onClose }: { followup: FollowupRow; onClose: () => void }) {
  // No users list is open to managers; the caller candidates carry every active user of the roles that may receive a follow-up.
  const candidates = useFollowupAssignees();
  const assign = useAssignFollowup();
  const [userId, setUserId] = useState<string | null>(followup.assignedTo);
  const options = (candidates.data ?? []).map((c) => ({ value: c.id, label: `${c.name} (${roleLabels[c.role as Role] ?? c.role})` }));
  return (
    <Modal closeButtonProps={{ 'aria-label': 'Fermer' }} opened onClose={onClose} title="Attribuer le suivi">
      <form
        onSubmit={(event) => {
          event.preventDefault();
          assign.mutate(
            { id: followup.id, userId },
            {
              onSuccess: () => {
                notifySuccess(userId ? 'Suivi attribué.' : 'Attribution retirée.');
                onClose();
              },
              onError: notifyError,
            },
          );
        }}
      >
        <Stack>
          <Text size="sm">
            {followup.label} — ménage {followup.householdRef}
          </Text>
          <Select
            label="Attribuer à"
            placeholder="Personne"
            searchable
            clearable
            nothingFoundMessage="Personne ne correspond"
            data={options}
            value={userId}
            onChange={setUserId}
            comboboxProps={{ withinPortal: false }}
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Annuler
            </Button>
            <Button type="submit" loading={assign.isPending}>
              Enregistrer
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
