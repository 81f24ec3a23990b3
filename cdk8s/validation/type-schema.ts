/**
 * Strict JSON Schemas derived from the TypeScript declarations that ship with kubernetes-models and
 * @kubernetes-models/prometheus-operator (generated from the Kubernetes OpenAPI and the CRDs).
 *
 * Why: those packages' `.validate()` accepts unknown fields (OpenAPI schemas do not forbid them),
 * yet a typo'd field (`imagePullPolicey`) is silently dropped by the API server and breaks the
 * cluster in a way no test sees. The packages ship no JSON Schema files, but their `.d.ts`
 * interfaces list every field, so the TypeScript checker turns them into schemas with
 * `additionalProperties: false` wherever the API has a fixed set of fields. Built offline from
 * installed packages at test time; the same schemas feed the in-process walker and kubeconform.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { KINDS, kindKey } from './kinds.js';

/** The subset of JSON Schema (draft-07) these schemas use. */
export interface JsonSchema {
  type?: 'object' | 'array' | 'string' | 'number' | 'boolean';
  enum?: readonly (string | number | boolean)[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  /** `false`: no other field is allowed; a schema: every other field (a map value) must match it. */
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  $ref?: string;
}

/** A root schema per kind; named interfaces live in `definitions` and are reached by `$ref`. */
export interface SchemaSet {
  /** Keyed by `kindKey(apiVersion, kind)`. */
  readonly roots: ReadonlyMap<string, JsonSchema>;
  readonly definitions: Readonly<Record<string, JsonSchema>>;
}

const REF_PREFIX = '#/definitions/';

/**
 * The `.d.ts` file a package subpath's types resolve to (through the package's `exports`). The
 * 4.x packages (pinned for Node 20) resolve `import` to `.mjs`; 5.x and later, ESM-only, to `.js`.
 */
function declarationFile(moduleName: string): string {
  return fileURLToPath(import.meta.resolve(moduleName)).replace(/\.m?js$/, '.d.ts');
}

class SchemaBuilder {
  readonly definitions: Record<string, JsonSchema> = {};
  private readonly named = new Map<ts.Type, string>();

  constructor(private readonly checker: ts.TypeChecker) {}

  schemaOf(type: ts.Type): JsonSchema {
    const flags = type.getFlags();
    if (flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown)) return {};
    if (type.isUnion()) return this.unionSchema(type.types);
    if (type.isStringLiteral()) return { type: 'string', enum: [type.value] };
    if (type.isNumberLiteral()) return { type: 'number', enum: [type.value] };
    if (flags & ts.TypeFlags.StringLike) return { type: 'string' };
    if (flags & ts.TypeFlags.NumberLike) return { type: 'number' };
    if (flags & ts.TypeFlags.BooleanLike) return { type: 'boolean' };
    if (this.checker.isArrayType(type)) {
      const [element] = this.checker.getTypeArguments(type as ts.TypeReference);
      return { type: 'array', items: element ? this.schemaOf(element) : {} };
    }
    if (flags & ts.TypeFlags.Object) return this.objectSchema(type);
    throw new Error(`type-schema: unsupported type ${this.checker.typeToString(type)}`);
  }

  private unionSchema(members: readonly ts.Type[]): JsonSchema {
    const present = members.filter((m) => !(m.getFlags() & (ts.TypeFlags.Undefined | ts.TypeFlags.Null)));
    // `boolean` is the union `true | false`: keep it one type.
    if (present.every((m) => m.getFlags() & ts.TypeFlags.BooleanLiteral)) return { type: 'boolean' };
    if (present.every((m) => m.isStringLiteral())) {
      return { type: 'string', enum: present.map((m) => (m as ts.StringLiteralType).value) };
    }
    const schemas = present.map((m) => this.schemaOf(m));
    return schemas.length === 1 ? (schemas[0] as JsonSchema) : { anyOf: schemas };
  }

  /** Named interfaces become definitions (the CRD schemas are recursive); anonymous ones inline. */
  private objectSchema(type: ts.Type): JsonSchema {
    const symbolName = type.getSymbol()?.getName();
    const anonymous = !symbolName || symbolName.startsWith('__');
    if (anonymous) return this.objectBody(type);
    const known = this.named.get(type);
    if (known) return { $ref: REF_PREFIX + known };
    const name = this.uniqueName(this.checker.typeToString(type));
    this.named.set(type, name);
    this.definitions[name] = {};
    this.definitions[name] = this.objectBody(type);
    return { $ref: REF_PREFIX + name };
  }

  private uniqueName(base: string): string {
    const clean = base.replace(/[^A-Za-z0-9_]/g, '_');
    let name = clean;
    for (let i = 2; name in this.definitions; i++) name = `${clean}_${i}`;
    return name;
  }

  private objectBody(type: ts.Type): JsonSchema {
    const properties: Record<string, JsonSchema> = {};
    const required: string[] = [];
    for (const prop of this.checker.getPropertiesOfType(type)) {
      const declaration = prop.valueDeclaration ?? prop.declarations?.[0];
      if (declaration && ts.isMethodSignature(declaration)) continue;
      const propType = declaration ? this.checker.getTypeOfSymbolAtLocation(prop, declaration) : this.checker.getTypeOfSymbol(prop);
      properties[prop.getName()] = this.schemaOf(propType);
      if (!(prop.getFlags() & ts.SymbolFlags.Optional)) required.push(prop.getName());
    }
    const index = this.checker.getIndexInfosOfType(type).find((info) => info.keyType.getFlags() & ts.TypeFlags.String);
    const schema: JsonSchema = {
      type: 'object',
      properties,
      additionalProperties: index ? this.schemaOf(index.type) : false,
    };
    if (required.length > 0) schema.required = required;
    return schema;
  }
}

/** Virtual root module re-exporting each kind's interface, so one program resolves them all. */
function rootModuleSource(): string {
  return KINDS.map((spec, i) => `export type { ${spec.typeName} as Kind${i} } from ${JSON.stringify(declarationFile(spec.typesModule))};`).join('\n');
}

let cached: SchemaSet | undefined;

/** Builds (once per process, ~1-2 s) the strict schema of every kind in KINDS. */
export function strictSchemas(): SchemaSet {
  if (cached) return cached;
  const rootFile = path.join(import.meta.dirname, '__strict_schema_roots__.ts');
  const options: ts.CompilerOptions = {
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    target: ts.ScriptTarget.ES2022,
    strict: true,
    skipLibCheck: true,
    noEmit: true,
    types: [],
  };
  const host = ts.createCompilerHost(options);
  const source = rootModuleSource();
  const readFile = host.readFile.bind(host);
  const fileExists = host.fileExists.bind(host);
  const getSourceFile = host.getSourceFile.bind(host);
  host.readFile = (file) => (file === rootFile ? source : readFile(file));
  host.fileExists = (file) => file === rootFile || fileExists(file);
  host.getSourceFile = (file, language, onError, create) =>
    file === rootFile ? ts.createSourceFile(file, source, language, true, ts.ScriptKind.TS) : getSourceFile(file, language, onError, create);

  const program = ts.createProgram({ rootNames: [rootFile], options, host });
  const checker = program.getTypeChecker();
  const root = program.getSourceFile(rootFile);
  const moduleSymbol = root && checker.getSymbolAtLocation(root);
  if (!moduleSymbol) throw new Error('type-schema: could not load the kubernetes-models declarations');

  const builder = new SchemaBuilder(checker);
  const roots = new Map<string, JsonSchema>();
  const exports = new Map(checker.getExportsOfModule(moduleSymbol).map((s) => [s.getName(), s]));
  KINDS.forEach((spec, i) => {
    const exported = exports.get(`Kind${i}`);
    if (!exported) throw new Error(`type-schema: ${spec.typesModule} does not export ${spec.typeName}`);
    const type = checker.getDeclaredTypeOfSymbol(checker.getAliasedSymbol(exported));
    if (type.getFlags() & ts.TypeFlags.Any) throw new Error(`type-schema: ${spec.typeName} of ${spec.typesModule} did not resolve`);
    roots.set(kindKey(spec.apiVersion, spec.kind), builder.schemaOf(type));
  });
  cached = { roots, definitions: builder.definitions };
  return cached;
}
