/**
 * Schema names go into DDL (CREATE SCHEMA, table paths) where no bind parameter can stand,
 * so only plain lower-case identifiers are accepted: nothing to quote, nothing to inject.
 */
const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

export function assertSchemaName(schema: string): string {
  if (!SCHEMA_NAME.test(schema)) {
    throw new Error(
      `invalid schema name ${JSON.stringify(schema)}: use lower-case letters, digits and _ ` +
        '(at most 63, not starting with a digit), e.g. position_monitor',
    );
  }
  return schema;
}
