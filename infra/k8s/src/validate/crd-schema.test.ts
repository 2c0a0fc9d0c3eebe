import { toJsonSchema } from './crd-schema';

describe('toJsonSchema (Kubernetes structural schema -> JSON Schema)', () => {
  it('turns a boolean exclusiveMinimum into the numeric form ajv expects', () => {
    expect(toJsonSchema({ type: 'integer', minimum: 0, exclusiveMinimum: true })).toEqual({
      type: 'integer',
      exclusiveMinimum: 0,
    });
    expect(toJsonSchema({ type: 'integer', minimum: 0, exclusiveMinimum: false })).toEqual({
      type: 'integer',
      minimum: 0,
    });
  });

  it('turns nullable into a null type and an int-or-string into integer|string', () => {
    expect(toJsonSchema({ type: 'string', nullable: true, enum: ['a'] })).toEqual({
      type: ['string', 'null'],
      enum: ['a', null],
    });
    expect(
      toJsonSchema({
        'x-kubernetes-int-or-string': true,
        anyOf: [{ type: 'integer' }, { type: 'string' }],
      }),
    ).toEqual({
      type: ['integer', 'string'],
    });
  });

  it('closes objects with declared properties unless they preserve unknown fields', () => {
    expect(toJsonSchema({ type: 'object', properties: { a: { type: 'string' } } })).toMatchObject({
      additionalProperties: false,
    });
    expect(
      toJsonSchema({
        type: 'object',
        properties: { a: { type: 'string' } },
        'x-kubernetes-preserve-unknown-fields': true,
      }),
    ).not.toHaveProperty('additionalProperties');
  });

  it('treats property names as names, not keywords (a field called "nullable" survives)', () => {
    const out = toJsonSchema({ type: 'object', properties: { nullable: { type: 'boolean' } } }) as {
      properties: object;
    };
    expect(out.properties).toEqual({ nullable: { type: 'boolean' } });
  });
});
