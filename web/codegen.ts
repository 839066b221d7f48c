// The contract as front-end teams consume it: TypeScript types for the schema and for the example operations of
// examples/operations/ (one file per screen). `make test` runs this, then `tsc` over the screens that use the types,
// so a schema change that breaks a client's operation or its types fails the build.
import type { CodegenConfig } from "@graphql-codegen/cli";

const config = {
  enumsAsTypes: true,
  strictScalars: true,
  scalars: { Date: "string", DateTime: "string", JSON: "unknown" },
};

const codegen: CodegenConfig = {
  schema: "../schema.graphql",
  documents: ["../examples/operations/*.graphql"],
  generates: {
    "contract/generated/schema.ts": { plugins: ["typescript"], config },
    "contract/generated/operations.ts": { plugins: ["typescript-operations"], config },
  },
};

export default codegen;
