import { describe, expect, it } from 'vitest';
import { allowedValues } from './codegen.ts';

describe('the values a CHECK allows, as PostgreSQL prints it', () => {
  it('reads a list and a single value', () => {
    expect(allowedValues('status', "CHECK ((status = ANY (ARRAY['draft'::text, 'active'::text])))")).toEqual(['draft', 'active']);
    expect(allowedValues('purpose', "CHECK ((purpose = 'health_needs'::text))")).toEqual(['health_needs']);
    expect(allowedValues('civility', "CHECK ((civility = ANY (ARRAY['M.'::text, 'l''x'::text])))")).toEqual(['M.', "l'x"]);
  });

  it('leaves any other check alone', () => {
    expect(allowedValues('status', "CHECK (((sealed_body IS NULL) OR (status = ANY (ARRAY['queued'::text]))))")).toBeNull();
    expect(allowedValues('status', "CHECK ((other = ANY (ARRAY['a'::text])))")).toBeNull();
    expect(allowedValues('floor', 'CHECK ((floor >= 0))')).toBeNull();
  });
});
