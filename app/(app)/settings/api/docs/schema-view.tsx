/** A readable rendering of a JSON Schema (from the OpenAPI document): fields, types, rules. */
export type JsonSchema = {
  type?: string | string[];
  $ref?: string;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  enum?: unknown[];
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  description?: string;
  format?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  minItems?: number;
  maxItems?: number;
  default?: unknown;
  pattern?: string;
};

function refName(ref: string): string {
  return ref.split("/").pop() ?? ref;
}

function typeLabel(s: JsonSchema): React.ReactNode {
  if (s.$ref) {
    const name = refName(s.$ref);
    return (
      <a className="text-blue-700 underline" href={`#schema-${name}`}>
        {name}
      </a>
    );
  }
  if (s.anyOf || s.oneOf) {
    const parts = (s.anyOf ?? s.oneOf)!;
    return parts.map((p, i) => (
      <span key={i}>
        {i > 0 ? " | " : ""}
        {typeLabel(p)}
      </span>
    ));
  }
  if (s.enum) return s.enum.map((v) => JSON.stringify(v)).join(" | ");
  const t = Array.isArray(s.type) ? s.type.join(" | ") : (s.type ?? "any");
  if (t === "array" && s.items) return <>{typeLabel(s.items)}[]</>;
  return s.format ? `${t} (${s.format})` : t;
}

function range(min: number | undefined, max: number | undefined, unit: string): string | null {
  if (min !== undefined && max !== undefined) return `${min}–${max} ${unit}`;
  if (min !== undefined) return `at least ${min} ${unit}`;
  if (max !== undefined) return `at most ${max} ${unit}`;
  return null;
}

// zod's .int() adds the safe-integer limits; they say nothing to a reader.
const bound = (n: number | undefined) => (n === undefined || Math.abs(n) >= Number.MAX_SAFE_INTEGER ? undefined : n);

function rules(schema: JsonSchema): string {
  const s = { ...schema, minimum: bound(schema.minimum), maximum: bound(schema.maximum) };
  const r: (string | null)[] = [
    range(s.minLength, s.maxLength, "characters"),
    s.minimum !== undefined && s.maximum !== undefined
      ? `${s.minimum}–${s.maximum}`
      : s.minimum !== undefined
        ? `≥ ${s.minimum}`
        : s.maximum !== undefined
          ? `≤ ${s.maximum}`
          : null,
    range(s.minItems, s.maxItems, "items"),
  ];
  if (s.default !== undefined) r.push(`default ${JSON.stringify(s.default)}`);
  // Formats (date-time) say it better than the long regex zod generates for them.
  if (s.pattern && !s.format) r.push(`pattern ${s.pattern}`);
  return r.filter(Boolean).join(", ");
}

export function SchemaView({ schema, inline = false }: { schema: JsonSchema; inline?: boolean }) {
  if (inline || !schema.properties) {
    const extra = rules(schema);
    return (
      <span className="font-mono text-xs text-slate-700">
        {typeLabel(schema)}
        {extra ? <span className="text-slate-500"> · {extra}</span> : null}
      </span>
    );
  }
  const required = new Set(schema.required ?? []);
  return (
    <div className="overflow-x-auto">
      <table className="w-full text-left text-sm">
        <thead className="text-xs text-slate-500">
          <tr>
            <th className="py-1 pr-3 font-medium">Field</th>
            <th className="py-1 pr-3 font-medium">Type</th>
            <th className="py-1 font-medium">Notes</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {Object.entries(schema.properties).map(([name, prop]) => (
            <tr key={name} className="align-top">
              <td className="py-1 pr-3">
                <code className="font-semibold">{name}</code>
                {required.has(name) ? <span className="ml-1 text-xs text-red-700">required</span> : null}
              </td>
              <td className="py-1 pr-3 font-mono text-xs">{typeLabel(prop)}</td>
              <td className="py-1 text-slate-600">{[prop.description, rules(prop)].filter(Boolean).join(" — ")}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
