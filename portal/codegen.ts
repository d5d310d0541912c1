// Typed operations from the server's SDL: every operation in src/**/*.graphql is validated
// against ../schema/schema.graphql, so a schema change that breaks the portal fails the build.
import type { CodegenConfig } from '@graphql-codegen/cli'

// JIXIAO_SDL / JIXIAO_CODEGEN_OUT: for the test that shows a mismatch fails (tests/test_portal_build.py).
const config: CodegenConfig = {
  schema: process.env.JIXIAO_SDL ?? '../schema/schema.graphql',
  documents: ['src/**/*.graphql'],
  ignoreNoDocuments: false,
  generates: {
    [process.env.JIXIAO_CODEGEN_OUT ?? 'src/gql/']: {
      preset: 'client',
      presetConfig: { fragmentMasking: false },
      config: {
        documentMode: 'string',
        useTypeImports: true,
        enumsAsTypes: true,
        scalars: { ID: 'string', Date: 'string', DateTime: 'string', JSON: 'unknown', Decimal: 'string' },
      },
    },
  },
}

export default config
