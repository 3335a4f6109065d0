import { Anchor, List, Stack, Title, Typography } from '@mantine/core';
import { useEffect, useMemo } from 'react';
import { renderGuide } from './guide.ts';

/** « Aide »: the user guide, readable from the application by every role. */
export function HelpPage() {
  const guide = useMemo(renderGuide, []);
  useEffect(() => {
    document.title = 'Aide — Lien';
  }, []);
  return (
    <Stack maw={820}>
      <Title order={1} size="h2">
        Aide : guide d’utilisation
      </Title>
      <nav aria-label="Sommaire du guide">
        <List size="sm" spacing={2}>
          {guide.sections.map((s) => (
            <List.Item key={s.id}>
              <Anchor href={`#${s.id}`}>{s.title}</Anchor>
            </List.Item>
          ))}
        </List>
      </nav>
      {/* The project's own guide, converted when the app is built (no user input). */}
      <Typography>
        {/* biome-ignore lint/security/noDangerouslySetInnerHtml: the HTML comes from docs/guide/README.md, bundled at build time */}
        <div dangerouslySetInnerHTML={{ __html: guide.html }} />
      </Typography>
    </Stack>
  );
}
