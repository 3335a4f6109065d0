import { Alert, Button, Center, Group, Loader, Pagination, Stack, Table, Text } from '@mantine/core';
import type { CSSProperties, ReactNode } from 'react';

/** Numbered pages (total known): `page` from 1, `pages` in all. */
export type PageNumbers = { kind: 'numbers'; page: number; pages: number; onChange: (page: number) => void };
/** Previous / next pages (a cursor: the total is not counted); a missing handler is a disabled button. */
export type PageCursor = { kind: 'cursor'; onPrevious?: (() => void) | undefined; onNext?: (() => void) | undefined };

/** What every list shows while it loads, when it fails, when it is empty, and how it pages. */
export type ListProps<T> = {
  /** The rows, or undefined while nothing has been read yet. */
  rows: readonly T[] | undefined;
  /** The first read is under way. */
  loading: boolean;
  /** The read failed (the server's French message is shown). */
  error?: Error | null | undefined;
  /** A newer read is under way while the rows stay shown (`aria-busy`). */
  refreshing?: boolean | undefined;
  /** Shown when there is no row. */
  empty: ReactNode;
  /** A line above the rows (count, range): read out when it changes. */
  summary?: ReactNode;
  paging?: PageNumbers | PageCursor | undefined;
  /** What a screen reader hears while the first read is under way. */
  loadingLabel?: string;
};

/** The list props of a query whose data is the rows: `<DataTable {...fromQuery(users)} …/>`. */
export const fromQuery = <T,>(query: { data?: readonly T[] | undefined; isPending: boolean; error: Error | null; isFetching: boolean }) => ({
  rows: query.data,
  loading: query.isPending,
  error: query.error,
  refreshing: query.isFetching,
});

/**
 * The states of a list around its rows: a loader (first read), the error, the empty text, the
 * summary line and the pages; `children` draws the rows (a table, or cards on the phone pages).
 */
export function ListView<T>({
  rows,
  loading,
  error,
  empty,
  summary,
  paging,
  loadingLabel,
  children,
}: ListProps<T> & { children: (rows: readonly T[]) => ReactNode }) {
  return (
    <Stack gap="sm">
      {error ? (
        <Alert color="red" role="alert" title="La liste n’a pas pu être chargée">
          {error.message}
        </Alert>
      ) : loading && !rows ? (
        <Center py="md" role="status">
          <Loader aria-label={loadingLabel ?? 'Chargement de la liste…'} />
        </Center>
      ) : null}
      {rows && summary && (
        <Text size="sm" aria-live="polite">
          {summary}
        </Text>
      )}
      {rows && rows.length === 0 && !error && <Text aria-live="polite">{empty}</Text>}
      {rows && rows.length > 0 && children(rows)}
      {rows && paging && <Pages paging={paging} />}
    </Stack>
  );
}

function Pages({ paging }: { paging: PageNumbers | PageCursor }) {
  if (paging.kind === 'numbers') {
    if (paging.pages <= 1) return null;
    return (
      <Pagination
        total={paging.pages}
        value={paging.page}
        onChange={paging.onChange}
        getControlProps={(c) => ({ 'aria-label': c === 'next' ? 'Page suivante' : c === 'previous' ? 'Page précédente' : c })}
      />
    );
  }
  return (
    <Group>
      <Button variant="default" disabled={!paging.onPrevious} onClick={paging.onPrevious}>
        Page précédente
      </Button>
      <Button variant="default" disabled={!paging.onNext} onClick={paging.onNext}>
        Page suivante
      </Button>
    </Group>
  );
}

/** One column: its heading and what a row shows in it; `hidden` leaves it out (a field the role may not read). */
export type Column<T> = { header: ReactNode; cell: (row: T) => ReactNode; hidden?: boolean; style?: CSSProperties };

/**
 * A list as a table, with the states of `ListView`. The table is named (`label`, what screen
 * readers announce and the browser tests find), scrolls sideways on a phone (390 px) instead of
 * squeezing its columns, and says `aria-busy` while a newer read is under way.
 */
export function DataTable<T>({
  label,
  columns,
  rowKey,
  minWidth = 900,
  ...list
}: ListProps<T> & { label: string; columns: readonly Column<T>[]; rowKey: (row: T) => string; minWidth?: number }) {
  const shown = columns.filter((c) => !c.hidden);
  return (
    <ListView {...list}>
      {(rows) => (
        <Table.ScrollContainer minWidth={minWidth}>
          <Table striped aria-label={label} aria-busy={list.refreshing || undefined}>
            <Table.Thead>
              <Table.Tr>
                {shown.map((c, i) => (
                  <Table.Th key={i}>{c.header}</Table.Th>
                ))}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.map((row) => (
                <Table.Tr key={rowKey(row)}>
                  {shown.map((c, i) => (
                    <Table.Td key={i} style={c.style}>
                      {c.cell(row)}
                    </Table.Td>
                  ))}
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </ListView>
  );
}
