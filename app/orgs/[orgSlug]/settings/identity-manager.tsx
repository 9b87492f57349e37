"use client";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { api, ApiError } from "@/app/_lib/api-client";
import { orgKeys } from "@/app/_lib/query-keys";

interface Item {
  id: string;
  kind: string;
  value: string;
  normalized: string;
  category: string | null;
  notes: string | null;
  createdAt: string;
  warnings: string[];
}

interface KindSpec {
  kind: string;
  title: string;
  help: string;
  placeholder: string;
  categories?: { value: string; label: string }[];
}

const KINDS: KindSpec[] = [
  { kind: "domain", title: "Domains", help: "Company domains, e.g. acme.com. Subdomains are covered.", placeholder: "acme.com" },
  {
    kind: "email_pattern",
    title: "Email patterns",
    help: "Addresses your people use: * matches any name (*@acme.com), or a literal address (first.last@acme.io).",
    placeholder: "*@acme.com",
  },
  {
    kind: "known_name",
    title: "Known names",
    help: "Brands, products, internal host names and your GitHub organisation.",
    placeholder: "acme-rockets",
    categories: [
      { value: "brand", label: "Brand" },
      { value: "product", label: "Product" },
      { value: "host", label: "Host name" },
      { value: "github_org", label: "GitHub org" },
      { value: "other", label: "Other" },
    ],
  },
  {
    kind: "sanctioned_namespace",
    title: "Sanctioned Docker Hub namespaces",
    help: "Your official Docker Hub organisations: monitored as inventory, never reported as shadow.",
    placeholder: "acmerockets",
  },
  {
    kind: "exclusion",
    title: "Exclusions",
    help: "Names that belong to someone else (an unrelated company with a similar name).",
    placeholder: "acme-corp-unrelated",
  },
  {
    kind: "cloud_account_id",
    title: "Cloud account IDs",
    help: "Your cloud accounts, so leaked keys can be tied to you.",
    placeholder: "123456789012",
    categories: [
      { value: "aws", label: "AWS" },
      { value: "gcp", label: "GCP" },
      { value: "azure", label: "Azure" },
    ],
  },
];

export function IdentityManager({ orgSlug, canWrite, initialItems }: { orgSlug: string; canWrite: boolean; initialItems: Item[] }) {
  const { data, isError, refetch } = useQuery({
    queryKey: orgKeys.identity(orgSlug),
    queryFn: () => api<{ items: Item[] }>(`/api/v1/orgs/${orgSlug}/identity`).then((r) => r.items),
    initialData: initialItems,
  });
  return (
    <div>
      {isError && (
        <p className="alert error" role="alert">
          Could not refresh the list. <button className="link" onClick={() => refetch()}>Retry</button>
        </p>
      )}
      {KINDS.map((spec) => (
        <KindSection key={spec.kind} orgSlug={orgSlug} spec={spec} canWrite={canWrite} items={data.filter((i) => i.kind === spec.kind)} />
      ))}
    </div>
  );
}

function KindSection({ orgSlug, spec, canWrite, items }: { orgSlug: string; spec: KindSpec; canWrite: boolean; items: Item[] }) {
  const qc = useQueryClient();
  const [value, setValue] = useState("");
  const [category, setCategory] = useState(spec.categories?.[0]?.value ?? "");
  const [notes, setNotes] = useState("");
  const [warnings, setWarnings] = useState<string[]>([]);
  const add = useMutation({
    mutationFn: () =>
      api<{ items: Item[] }>(`/api/v1/orgs/${orgSlug}/identity/${spec.kind}`, {
        method: "POST",
        body: { value, ...(spec.categories ? { category } : {}), ...(notes.trim() ? { notes } : {}) },
      }),
    onSuccess: (r) => {
      setValue("");
      setNotes("");
      setWarnings(r.items.flatMap((i) => i.warnings.map((w) => `${i.value}: ${w}`)));
      return qc.invalidateQueries({ queryKey: orgKeys.identity(orgSlug) });
    },
  });
  const remove = useMutation({
    mutationFn: (id: string) => api(`/api/v1/orgs/${orgSlug}/identity/items/${id}`, { method: "DELETE" }),
    onSuccess: () => qc.invalidateQueries({ queryKey: orgKeys.identity(orgSlug) }),
  });
  const err = add.error instanceof ApiError ? add.error : null;
  const valueErr = err?.issueFor("value");
  const id = `add-${spec.kind}`;

  function onSubmit(e: FormEvent) {
    e.preventDefault();
    setWarnings([]);
    add.mutate();
  }

  return (
    <section className="card kind-section" aria-labelledby={`${id}-title`} data-kind={spec.kind}>
      <h2 id={`${id}-title`} style={{ marginTop: 0 }}>
        {spec.title} <span className="badge">{items.length}</span>
      </h2>
      <p className="muted">{spec.help}</p>
      {items.length === 0 ? (
        <p className="muted">None yet.</p>
      ) : (
        <ul className="item-list">
          {items.map((i) => (
            <li key={i.id}>
              <span>
                <span className="mono">{i.value}</span> {i.category && <span className="badge">{i.category}</span>}
                {i.warnings.map((w) => (
                  <span key={w} className="badge warn" title={w} style={{ marginLeft: 4 }}>
                    ⚠ {w}
                  </span>
                ))}
                {i.notes && <div className="field-hint">{i.notes}</div>}
              </span>
              {canWrite && (
                <button
                  type="button"
                  className="danger"
                  onClick={() => remove.mutate(i.id)}
                  disabled={remove.isPending}
                  aria-label={`Remove ${i.value}`}
                >
                  Remove
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      {canWrite && (
        <form className="row" onSubmit={onSubmit} noValidate style={{ marginTop: "0.75rem" }} aria-label={`Add to ${spec.title}`}>
          <label style={{ flex: "2 1 220px" }}>
            {spec.title.replace(/s$/, "")}
            <input
              name="value"
              value={value}
              onChange={(e) => setValue(e.target.value)}
              placeholder={spec.placeholder}
              aria-invalid={valueErr ? true : undefined}
              aria-describedby={valueErr ? `${id}-err` : undefined}
            />
          </label>
          {spec.categories && (
            <label style={{ flex: "1 1 120px" }}>
              {spec.kind === "cloud_account_id" ? "Provider" : "Category"}
              <select name="category" value={category} onChange={(e) => setCategory(e.target.value)}>
                {spec.categories.map((c) => (
                  <option key={c.value} value={c.value}>
                    {c.label}
                  </option>
                ))}
              </select>
            </label>
          )}
          <label style={{ flex: "2 1 180px" }}>
            <span>
              Notes <span className="field-hint">(optional)</span>
            </span>
            <input name="notes" value={notes} onChange={(e) => setNotes(e.target.value)} maxLength={500} />
          </label>
          <button type="submit" disabled={add.isPending}>
            {add.isPending ? "Adding…" : "Add"}
          </button>
          {(valueErr || (err && !valueErr)) && (
            <p id={`${id}-err`} className="field-error" role="alert" style={{ flexBasis: "100%", margin: 0 }}>
              {valueErr ?? err?.issues[0]?.message ?? err?.message}
            </p>
          )}
          {add.error && !err && (
            <p className="field-error" role="alert" style={{ flexBasis: "100%", margin: 0 }}>
              Could not save. Check your connection and try again.
            </p>
          )}
          {warnings.length > 0 && (
            <p className="alert warn" role="status" style={{ flexBasis: "100%", margin: 0 }}>
              Saved with a warning: {warnings.join("; ")}
            </p>
          )}
        </form>
      )}
    </section>
  );
}
