import { Button, type ButtonProps, SimpleGrid } from '@mantine/core';

/**
 * Labels of big buttons wrap instead of overflowing a phone's width: between words first, inside a
 * long word (« Hospitalisé·e » in half a phone's width, or with a larger font) only if it must.
 */
export const wrappingButton: ButtonProps['styles'] = {
  root: { height: 'auto', minHeight: 52, paddingTop: 10, paddingBottom: 10, paddingInline: 12 },
  label: { whiteSpace: 'normal', textAlign: 'center', lineHeight: 1.3, overflowWrap: 'anywhere', hyphens: 'auto', minWidth: 0 },
};

/**
 * One answer among a few, as big buttons a thumb can hit: a labelled group of toggle buttons
 * (aria-pressed). Pressing the chosen one again clears the choice.
 */
export function TouchChoices<T extends string>({
  labelledBy,
  options,
  value,
  onChange,
  cols = 2,
  color,
}: {
  labelledBy: string;
  options: readonly { value: T; label: string }[];
  value: T | null | undefined;
  onChange: (value: T | null) => void;
  cols?: number;
  color?: string;
}) {
  return (
    <SimpleGrid cols={cols} spacing="sm" role="group" aria-labelledby={labelledBy}>
      {options.map((o) => {
        const pressed = value === o.value;
        return (
          <Button
            key={o.value}
            size="md"
            color={color}
            variant={pressed ? 'filled' : 'default'}
            aria-pressed={pressed}
            onClick={() => onChange(pressed ? null : o.value)}
            styles={wrappingButton}
          >
            {o.label}
          </Button>
        );
      })}
    </SimpleGrid>
  );
}
