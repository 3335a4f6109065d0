import { Button, Group, Modal, Stack, Text, Textarea } from '@mantine/core';
import { useForm } from '@mantine/form';
import { followupCloseBody } from '../../../contracts/campaigns.ts';
import { notifySuccess } from '../../ui/errors.ts';
import { validateWith } from '../../ui/form.ts';
import { type FollowupRow, useCloseFollowup } from './api.ts';

/** Close a follow-up with what was done, checked by the API's contract (its French message under the field). */
export function CloseFollowupModal({ followup, onClose }: { followup: FollowupRow; onClose: () => void }) {
  const close = useCloseFollowup();
  const form = useForm({ initialValues: { resolution: '' }, validate: validateWith(followupCloseBody) });
  return (
    <Modal closeButtonProps={{ 'aria-label': 'Fermer' }} opened onClose={onClose} title="Clore le suivi">
      <form
        noValidate
        onSubmit={form.onSubmit(({ resolution }) =>
          close.mutate(
            { id: followup.id, resolution: resolution.trim() },
            {
              onSuccess: () => {
                notifySuccess('Suivi clos.');
                onClose();
              },
              onError: (e) => form.setFieldError('resolution', e.message),
            },
          ),
        )}
      >
        <Stack>
          <Text size="sm">
            {followup.label} — ménage {followup.householdRef}
          </Text>
          <Textarea
            label="Ce qui a été fait"
            description="Restez factuel·le ; pas d’information de santé."
            {...form.getInputProps('resolution')}
            maxLength={500}
            autosize
            minRows={3}
            data-autofocus
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Annuler
            </Button>
            <Button type="submit" loading={close.isPending}>
              Clore le suivi
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
