import { Title } from '@mantine/core';

/** Placeholder, being written. */
export function NoteReviewPage() {
  return <Title order={1}>NoteReviewPage</Title>;
}
