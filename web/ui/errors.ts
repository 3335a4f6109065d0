import { notifications } from '@mantine/notifications';

/** Show an API error's French message. */
export function notifyError(error: unknown) {
  notifications.show({
    closeButtonProps: { 'aria-label': 'Fermer' },
    color: 'red',
    title: 'Erreur',
    message: error instanceof Error ? error.message : 'Une erreur est survenue.',
  });
}

export function notifySuccess(message: string) {
  notifications.show({ closeButtonProps: { 'aria-label': 'Fermer' }, color: 'teal', title: 'C’est fait', message });
}
